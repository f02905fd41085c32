"""Files attached to a person or their records: portrait photo, decision scans, certificates."""
