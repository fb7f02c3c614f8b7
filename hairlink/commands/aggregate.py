"""`hairlink aggregate` commands (placeholder until its issue lands)."""
