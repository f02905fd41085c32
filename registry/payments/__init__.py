"""Allowance rates, monthly payments and the payment sheet."""
