"""The yearly evaluation of the team."""
