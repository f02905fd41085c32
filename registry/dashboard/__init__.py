"""The home page: the team's figures and charts."""
