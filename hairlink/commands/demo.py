"""`hairlink demo` commands (placeholder until its issue lands)."""
