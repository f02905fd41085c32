"""Information supply: documents, their files, sending them to the team, receipts, coverage."""
