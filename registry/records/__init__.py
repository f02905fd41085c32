"""Commendations, discipline and the team's activities."""
