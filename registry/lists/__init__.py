"""Who is qualified: eligibility, saved and ready-made qualification lists."""
