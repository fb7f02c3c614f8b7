"""Console entry point: `hairlink ...`."""

from __future__ import annotations

from hairlink.app import app
from hairlink.commands import core  # noqa: F401  (registers commands)


def main() -> None:
    """Run the hairlink command line."""
    app()
