"""Crawl runs a dead scheduler left `running`, closed as failed when the service starts."""

from __future__ import annotations

from datetime import UTC, datetime

import psutil
from sqlalchemy import Engine, select

from models.db import session_scope
from models.entities import CrawlRun

# A process started this long after the run began cannot be the run's crawl (pid reused).
PID_REUSE_SLACK_SECONDS = 5.0
# A row without a pid younger than this may be a crawl being started right now.
UNSTARTED_AGE_SECONDS = 60.0


def process_alive(pid: int, started_at: datetime) -> bool:
    """True if `pid` runs and was started no later than the run it is recorded for."""
    try:
        process = psutil.Process(pid)
        created = process.create_time()
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return created <= started_at.timestamp() + PID_REUSE_SLACK_SECONDS


def close_abandoned_runs(engine: Engine) -> list[tuple[int, str]]:
    """Mark `running` rows nobody runs any more as failed; (run id, message) of each.

    Rows without a pid older than a minute were created by a scheduler that died before its
    crawl started (a crawl child records its pid at once): abandoned. Rows with a pid are
    checked against this machine's processes on SQLite only, where every crawl runs here;
    on PostgreSQL a crawl may run elsewhere, and `scrapers.run` closes its own source's dead
    rows when it next starts.
    """
    closed: list[tuple[int, str]] = []
    local = engine.dialect.name == "sqlite"
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.status == "running"))
        for run in runs:
            if run.pid is None:
                if (now - run.started_at).total_seconds() < UNSTARTED_AGE_SECONDS:
                    continue
                message = "abandoned: the scheduler stopped before the crawl started"
            elif local and not process_alive(run.pid, run.started_at):
                message = f"abandoned: the crawl process (pid {run.pid}) is gone"
            else:
                continue
            run.status, run.finished_at, run.message = "failed", now, message
            closed.append((run.id, message))
    return closed
