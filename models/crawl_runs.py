"""The `crawl_run` row lifecycle: one place that creates, claims, finishes and reaps rows.

A row is created `running` (by the process that crawls, or by a supervisor before it starts
the crawl child: then without a pid until the child runs), may be claimed by the crawl
child (`--run-id`), and ends `finished`, `failed` or `cancelled` with its counters. The
process that ran the crawl records its own end (`finish_run`); an observer that only saw
the process die closes the row if it is still `running` (`finish_run(..., only_running=True)`).
Rows whose process is gone are closed as `failed` by `close_dead_runs`, with a pid check that
also sees a reused pid (`process_alive`). Imports that run in one go write a closed row at
once (`record_run`).

Who calls what: `scrapers.run` (create or claim, finish, reap its sources' rows), the
distributed seed (`scrapers.distributed.seeding.run_seed`), `hairlink crawl` (create, close
dead children's rows), the scheduler (`scheduler.crawls`: create, record the child's pid,
close; `scheduler.recovery`: close what a dead scheduler left) and the Reddit dump import.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psutil
from sqlalchemy import Engine, select, update

from models.db import session_scope
from models.entities import CrawlRun
from models.kinds import FINAL_CRAWL_STATUSES, FinalCrawlStatus

FINAL_STATUSES = FINAL_CRAWL_STATUSES
# A process started this long after the run began cannot be the run's crawl (pid reused).
PID_REUSE_SLACK_SECONDS = 5.0
# The counters a finished row carries (see `scrapers.extensions.run_counters`).
COUNTERS = ("pages", "items", "dropped", "errors")


def create_run(engine: Engine, source: str, spider: str, pid: int | None = None) -> int:
    """A new `running` crawl-run row; its id.

    `pid` is the process that runs the crawl: `os.getpid()` when it is this one, None when a
    child will be started for it (it is recorded with `record_pid`, or by `claim_run`).
    """
    with session_scope(engine) as session:
        run = CrawlRun(source_name=source, spider=spider, started_at=datetime.now(UTC),
                       status="running", pid=pid, dropped={})
        session.add(run)
        session.flush()
        return run.id


def claim_run(engine: Engine, run_id: int, source: str, spider: str) -> None:
    """Take over an existing row (`--run-id`): running, this pid. ValueError if unusable."""
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            raise ValueError(f"no crawl run with id {run_id}")
        if run.source_name != source:
            raise ValueError(f"crawl run {run_id} is for source {run.source_name!r}, "
                             f"not {source!r}")
        if run.status in FINAL_STATUSES:
            raise ValueError(f"crawl run {run_id} is already {run.status}")
        run.status, run.pid, run.spider = "running", os.getpid(), spider


def record_pid(engine: Engine, run_id: int, pid: int) -> None:
    """Record the crawl child's pid, unless the child claimed the row (and wrote it) first."""
    with session_scope(engine) as session:
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id, CrawlRun.pid.is_(None))
                        .values(pid=pid))


def finish_run(engine: Engine, run_id: int, status: FinalCrawlStatus,
               counters: dict[str, Any] | None = None, message: str | None = None, *,
               only_running: bool = False) -> bool:
    """Mark a row finished / failed / cancelled with its final counters; whether it changed.

    The process that ran the crawl has the last word (its result replaces a `failed` a
    reaper may have written meanwhile). `only_running=True` is for observers that only saw
    the process end: the row is closed only if nobody closed it yet.
    """
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final crawl-run status: {status!r}")
    values: dict[str, Any] = {"status": status, "finished_at": datetime.now(UTC),
                              "message": message, **_counters(counters)}
    where = [CrawlRun.id == run_id]
    if only_running:
        where.append(CrawlRun.status == "running")
    with session_scope(engine) as session:
        result = session.execute(update(CrawlRun).where(*where).values(**values))
        return bool(getattr(result, "rowcount", 0))


def record_run(engine: Engine, source: str, spider: str, *, started_at: datetime,
               status: FinalCrawlStatus, counters: dict[str, Any] | None = None,
               message: str | None = None) -> int:
    """A row for work that already ended in this process (an import); its id."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final crawl-run status: {status!r}")
    values = {"dropped": {}, **_counters(counters)}
    with session_scope(engine) as session:
        run = CrawlRun(source_name=source, spider=spider, started_at=started_at,
                       finished_at=datetime.now(UTC), status=status, pid=os.getpid(),
                       message=message, **values)
        session.add(run)
        session.flush()
        return run.id


def _counters(counters: dict[str, Any] | None) -> dict[str, Any]:
    unknown = set(counters or {}) - set(COUNTERS)
    if unknown:
        raise ValueError(f"not crawl-run counters: {sorted(unknown)}")
    return dict(counters or {})


# -- dead processes ------------------------------------------------------------------------
def process_alive(pid: int, started_at: datetime) -> bool:
    """True if `pid` runs (not a zombie) and was started no later than the run it is recorded
    for: a process started after that is another one that reused the pid. A process this
    user may not inspect counts as alive (it exists; better left running than failed)."""
    try:
        process = psutil.Process(pid)
        created = process.create_time()
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return True
    return created <= started_at.timestamp() + PID_REUSE_SLACK_SECONDS


def process_gone(run: CrawlRun) -> bool:
    """The row names a crawl process other than this one, and that process has ended."""
    return (run.pid is not None and run.pid != os.getpid()
            and not process_alive(run.pid, run.started_at))


def close_dead_runs(engine: Engine, why: Callable[[CrawlRun, datetime], str | None], *,
                    source: str | None = None) -> list[tuple[int, str]]:
    """Mark `running` rows (of `source`, else all) failed where `why(run, now)` gives a
    message (None: leave it running); (run id, message) of each closed row."""
    closed: list[tuple[int, str]] = []
    now = datetime.now(UTC)
    query = select(CrawlRun).where(CrawlRun.status == "running")
    if source is not None:
        query = query.where(CrawlRun.source_name == source)
    with session_scope(engine) as session:
        for run in session.scalars(query):
            message = why(run, now)
            if message is not None:
                run.status, run.finished_at, run.message = "failed", now, message
                closed.append((run.id, message))
    return closed


def reap_stale_runs(engine: Engine, source: str) -> int:
    """Mark `running` rows of `source` whose crawl process is gone as failed; how many.

    The pids are checked against this machine's processes (on a shared database a crawl of
    that source running on another machine would be closed too).
    """
    def why(run: CrawlRun, _now: datetime) -> str | None:
        if process_gone(run):
            return f"the crawl process (pid {run.pid}) ended without finishing"
        return None

    return len(close_dead_runs(engine, why, source=source))
