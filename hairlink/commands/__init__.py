"""Command modules; each registers its commands on `hairlink.app.app` when imported."""
