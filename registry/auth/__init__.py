"""Logging in and out, and the user accounts behind it."""
