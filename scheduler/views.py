"""Read-only views for `hairlink schedule list` and `hairlink schedule status`.

Both read the database only: the job store table is read directly (no scheduler is started,
nothing is written), so they are safe while the service runs.
"""

from __future__ import annotations

import logging
import pickle
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Float, LargeBinary, MetaData, Table, Unicode, func, inspect, select
from sqlalchemy.sql.schema import Column

from models.config import Config
from models.db import read_only, session_factory
from models.entities import CrawlRun
from scheduler.crawls import format_seconds
from scheduler.plan import (
    CRAWL_PREFIX,
    describe_stored,
    planned_jobs,
    scheduler_timezone,
    trigger_signature,
)
from scheduler.service import JOBS_TABLE
from scheduler.settings import ScheduleSettings

log = logging.getLogger(__name__)


def _jobs_table() -> Table:
    return Table(JOBS_TABLE, MetaData(), Column("id", Unicode(191), primary_key=True),
                 Column("next_run_time", Float(25)), Column("job_state", LargeBinary))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def stored_jobs(engine: Engine) -> list[dict[str, Any]]:
    """The jobs in the store: id, function, schedule, next run time (empty: no table)."""
    if not inspect(engine).has_table(JOBS_TABLE):
        return []
    table = _jobs_table()
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.next_run_time, table.c.job_state)
                            .order_by(table.c.id)).all()
    jobs = []
    for job_id, next_run, blob in rows:
        entry: dict[str, Any] = {
            "id": job_id,
            "next_run": _iso(datetime.fromtimestamp(next_run, UTC) if next_run else None),
        }
        try:
            state = pickle.loads(blob)  # our own table: written by APScheduler for us
            entry.update(func=state.get("func"), args=list(state.get("args") or ()),
                         schedule=describe_stored(state.get("name"), state["trigger"]),
                         trigger=str(state["trigger"]),
                         signature=trigger_signature(state["trigger"]),
                         next_run=_iso(state.get("next_run_time")) or entry["next_run"])
        except Exception as exc:  # a job of another version: show it, do not fail
            entry.update(func=None, args=[], schedule=f"unreadable ({exc.__class__.__name__})",
                         trigger=None, signature=None)
        jobs.append(entry)
    return jobs


def job_listing(engine: Engine, config: Config,
                settings: ScheduleSettings) -> list[dict[str, Any]]:
    """Stored jobs next to what the config asks for, with what the next start will do."""
    timezone = scheduler_timezone(settings)
    now = datetime.now(timezone)
    stored = {job["id"]: job for job in stored_jobs(engine)}
    planned = {spec.id: spec for spec in planned_jobs(config, settings, timezone, now)}
    rows = []
    for job_id in sorted(set(stored) | set(planned), key=_job_order):
        job, spec = stored.get(job_id), planned.get(job_id)
        if job and spec:
            same = job["signature"] == trigger_signature(spec.trigger)
            state = "scheduled" if same else "changed: rescheduled at the next start"
        elif job:
            pending_aggregate = job_id == "aggregate" and settings.aggregate_after_crawls
            state = ("pending" if pending_aggregate
                     else "not in the config: removed at the next start")
        else:
            state = "not stored yet: added at the next start"
        rows.append({
            "id": job_id,
            "schedule": spec.description if spec else (job or {}).get("schedule"),
            "next_run": (job or {}).get("next_run"),
            "state": state,
        })
    if settings.aggregate_after_crawls and "aggregate" not in stored:
        rows.append({"id": "aggregate", "schedule": "after crawls", "next_run": None,
                     "state": "runs when a crawl finishes"})
    return rows


def _job_order(job_id: str) -> tuple[int, str]:
    return (0 if job_id.startswith(CRAWL_PREFIX) else 1, job_id)


def _run_row(run: CrawlRun, now: datetime) -> dict[str, Any]:
    end = run.finished_at or now
    seconds = max(0.0, (end - run.started_at).total_seconds())
    dropped = dict(run.dropped or {})
    return {
        "run_id": run.id,
        "status": run.status,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "duration_seconds": round(seconds, 1),
        "duration": format_seconds(seconds),
        "pages": run.pages,
        "items": run.items,
        "dropped": sum(int(v) for v in dropped.values() if isinstance(v, int | float)),
        "dropped_by_reason": dropped,
        "errors": run.errors,
        "message": run.message,
    }


def crawl_status(engine: Engine, config: Config, last: int = 1) -> list[dict[str, Any]]:
    """Per source (configured ones first, then any other with runs): its `last` runs."""
    now = datetime.now(UTC)
    rank = func.row_number().over(partition_by=CrawlRun.source_name,
                                  order_by=CrawlRun.id.desc()).label("rank")
    ranked = select(CrawlRun.id, rank).subquery()
    with session_factory(read_only(engine))() as session:
        runs = session.scalars(select(CrawlRun).join(ranked, ranked.c.id == CrawlRun.id)
                               .where(ranked.c.rank <= last)
                               .order_by(CrawlRun.source_name, CrawlRun.id.desc())).all()
        by_source: dict[str, list[dict[str, Any]]] = {}
        for run in runs:
            by_source.setdefault(run.source_name, []).append(_run_row(run, now))
    next_runs = {job["id"][len(CRAWL_PREFIX):]: job["next_run"]
                 for job in stored_jobs(engine) if job["id"].startswith(CRAWL_PREFIX)}
    names = [src.name for src in config.sources]
    names += sorted(set(by_source) - set(names))
    schedules = {src.name: (f"every {src.every}" if src.every else
                            f"cron {src.cron}" if src.cron else None)
                 for src in config.sources if src.enabled}
    return [{"source": name, "schedule": schedules.get(name), "next_run": next_runs.get(name),
             "runs": by_source.get(name, [])} for name in names]

