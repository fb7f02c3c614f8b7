"""Jinja2 templates and the stylesheet of the HTML digests (package data)."""
