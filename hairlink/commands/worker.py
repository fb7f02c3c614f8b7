"""`hairlink worker` commands (placeholder until its issue lands)."""
