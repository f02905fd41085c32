"""The 2025 reorganisation: people and records of ended units moved to their successors."""
