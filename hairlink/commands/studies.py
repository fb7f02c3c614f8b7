"""`hairlink studies` commands (placeholder until its issue lands)."""
