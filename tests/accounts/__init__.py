"""Accounts in the browser, password rules, forced password change (issue 13 §1)."""
