"""Accounts in the browser: the admins' account pages, everyone's password change, and the
change forced at first login and after a reset."""
