"""`hairlink importing` commands (placeholder until its issue lands)."""
