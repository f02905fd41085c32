"""BCV conferences: connection points, attendance, conferences missed."""
