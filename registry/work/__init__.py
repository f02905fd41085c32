"""The team's work, gathered: the hub page whose tabs lead to each kind of work."""
