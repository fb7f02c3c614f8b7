"""`hairlink posts` commands (placeholder until its issue lands)."""
