"""The province's settings, edited by its admins."""
