"""`hairlink crawl` commands (placeholder until its issue lands)."""
