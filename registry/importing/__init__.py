"""The database side of the roster import: batches, matching, applying, views and CLI."""
