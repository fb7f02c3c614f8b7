"""`hairlink digest` commands (placeholder until its issue lands)."""
