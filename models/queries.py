"""Read-side query functions. Each takes the caller's session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.config import SourceConfig
from models.entities import CrawlRun, Source, Thread


def latest_runs(session: Session) -> dict[str, CrawlRun]:
    """The most recent crawl run of each source, by source name."""
    newest = (select(CrawlRun.source_name, func.max(CrawlRun.id).label("id"))
              .group_by(CrawlRun.source_name).subquery())
    runs = session.scalars(select(CrawlRun).join(newest, CrawlRun.id == newest.c.id))
    return {run.source_name: run for run in runs}


def thread_counts(session: Session) -> dict[str, int]:
    """Stored threads per source name."""
    rows = session.execute(select(Source.name, func.count(Thread.id))
                           .join(Thread, Thread.source_id == Source.id, isouter=True)
                           .group_by(Source.name))
    return {name: count for name, count in rows}


def source_overview(session: Session, sources: Sequence[SourceConfig]) -> list[dict[str, Any]]:
    """Configured sources joined with their stored thread counts and last crawl, then the
    stored sources no config names (e.g. a dump import's `--new-source`), `configured` False."""
    runs = latest_runs(session)
    counts = thread_counts(session)
    rows = []
    configured = {src.name for src in sources}
    for src in sources:
        run = runs.get(src.name)
        rows.append({
            "name": src.name,
            "kind": src.kind,
            "base_url": src.base_url,
            "schedule": f"every {src.every}" if src.every else (src.cron and f"cron {src.cron}"),
            "enabled": src.enabled,
            "threads": counts.get(src.name, 0),
            "last_started": run.started_at.isoformat(timespec="seconds") if run else None,
            "last_status": run.status if run else None,
            "configured": True,
        })
    for source in session.execute(
            select(Source.name, Source.kind, Source.base_url).order_by(Source.name)):
        if source.name in configured:
            continue
        run = runs.get(source.name)
        rows.append({
            "name": source.name, "kind": source.kind, "base_url": source.base_url,
            "schedule": None, "enabled": False, "threads": counts.get(source.name, 0),
            "last_started": run.started_at.isoformat(timespec="seconds") if run else None,
            "last_status": run.status if run else None,
            "configured": False,
        })
    return rows
