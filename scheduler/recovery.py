"""Crawl runs a dead scheduler left `running`, closed as failed when the service starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from models.crawl_runs import close_dead_runs, process_gone
from models.entities import CrawlRun

# A row without a pid younger than this may be a crawl being started right now.
UNSTARTED_AGE_SECONDS = 60.0


def close_abandoned_runs(engine: Engine) -> list[tuple[int, str]]:
    """Mark `running` rows nobody runs any more as failed; (run id, message) of each.

    Rows without a pid older than a minute were created by a scheduler that died before its
    crawl started (a crawl child records its pid at once): abandoned. Rows with a pid are
    checked against this machine's processes (`models.crawl_runs.process_alive`, which also
    sees a reused pid) on SQLite only, where every crawl runs here; on PostgreSQL a crawl may
    run elsewhere, and `scrapers.run` closes its own source's dead rows when it next starts.
    """
    local = engine.dialect.name == "sqlite"

    def why(run: CrawlRun, now: datetime) -> str | None:
        if run.pid is None:
            if (now - run.started_at).total_seconds() < UNSTARTED_AGE_SECONDS:
                return None
            return "abandoned: the scheduler stopped before the crawl started"
        if local and process_gone(run):
            return f"abandoned: the crawl process (pid {run.pid}) is gone"
        return None

    return close_dead_runs(engine, why)
