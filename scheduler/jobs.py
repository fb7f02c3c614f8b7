"""The job functions APScheduler stores: importable, module-level, plain arguments.

Jobs are pickled into the `apscheduler_jobs` table as a reference (`scheduler.jobs:crawl`)
plus their arguments, so they carry nothing but a source name; the running service installs
the `Runtime` that does the work (see `scheduler.runtime`).
"""

from __future__ import annotations

from scheduler.runtime import current


def crawl(source_name: str) -> None:
    """Crawl one configured source in a child process."""
    current().crawl(source_name)


def aggregate() -> None:
    """Tag and link what is new since the last aggregation."""
    current().aggregate()


def export() -> None:
    """Write the digests of the `[export]` table."""
    current().export()


def enrich() -> None:
    """Enrich stored studies (TLDR, citation count) in a child process."""
    current().enrich()
