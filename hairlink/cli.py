"""Console entry point: `hairlink ...`."""

from __future__ import annotations

from hairlink.app import app

# Importing a command module registers its commands on `app`.
from hairlink.commands import (  # noqa: F401
    aggregate,
    core,
    crawl,
    demo,
    digest,
    importing,
    posts,
    schedule,
    studies,
    treatments,
    web,
    worker,
)


def main() -> None:
    """Run the hairlink command line."""
    app()
