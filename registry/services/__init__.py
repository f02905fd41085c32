"""Domain operations: plain typed functions that check access, change rows and flush."""
