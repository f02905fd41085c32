"""The roster: people, their appointments, the filtered list and name search."""
