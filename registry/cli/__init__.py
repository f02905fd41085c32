"""The flask command group and what the commands share."""
