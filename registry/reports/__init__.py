"""The periodic team report, on screen and as xlsx."""
