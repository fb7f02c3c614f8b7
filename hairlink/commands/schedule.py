"""`hairlink schedule` commands (placeholder until its issue lands)."""
