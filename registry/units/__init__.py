"""The unit tree: units, their history (end, merge) and the tree as of a date."""
