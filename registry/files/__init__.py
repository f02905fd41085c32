"""Files kept in the database (models.StoredFile): check an upload on its content, store it,
send it back safely. Owners (documents; attachments of later issues) decide who reaches a file."""
