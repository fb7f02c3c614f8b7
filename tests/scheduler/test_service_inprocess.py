"""The service in this process, with stand-in crawl children: quick checks of the loop."""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from models.config import load_config
from scheduler.lock import lock_holder
from scheduler.plan import SyncReport
from scheduler.service import ScheduleService, ServiceResult
from tests.scheduler.helpers import engine_for, runs, source_toml, wait_for, write_config

# Takes 1.5 s (longer than the 1 s interval), then records a finished run.
SLOW_FINISH = """
import os, sys, time
from sqlalchemy import text
from models.db import make_engine
time.sleep(1.5)
engine = make_engine(os.environ["HAIRLINK_DATABASE_URL"])
with engine.begin() as conn:
    conn.execute(text("UPDATE crawl_run SET status = 'finished', finished_at = "
                      "CURRENT_TIMESTAMP, items = 1 WHERE id = :id"), {"id": int(sys.argv[1])})
"""


def slow_finish(source: str, run_id: int, config: Path | None, full: bool) -> Sequence[str]:
    return [sys.executable, "-c", SLOW_FINISH, str(run_id)]


def test_service_loop_runs_jobs_without_overlap_and_stops(tmp_path: Path, db_url: str) -> None:
    engine: Engine = engine_for(db_url)
    cfg = write_config(tmp_path / "h.toml", db_url,
                       [source_toml("a", "http://127.0.0.1:9", every="1s"),
                        source_toml("b", "http://127.0.0.1:9", every="1h")],
                       schedule={"aggregate": False})
    service = ScheduleService(load_config(cfg), command=slow_finish)
    reports: list[SyncReport] = []
    results: list[ServiceResult] = []
    worker = threading.Thread(target=lambda: results.append(
        service.run(handle_signals=False, on_ready=reports.append)))
    worker.start()
    try:
        wait_for(lambda: sum(r.status == "finished" for r in runs(engine, "a")) >= 2, 30)
        assert lock_holder(db_url) is not None
    finally:
        service.request_stop()
        worker.join(timeout=30)
    assert not worker.is_alive()
    [report] = reports
    assert sorted(report.added) == ["crawl:a", "crawl:b"]
    [result] = results
    assert result.idle and not result.lock_lost
    done = runs(engine, "a")
    assert all(run.status in ("finished", "cancelled") for run in done)
    for earlier, later in itertools.pairwise(done):
        assert earlier.finished_at is not None and later.started_at >= earlier.finished_at
    assert runs(engine, "b") == []  # hourly: not due yet
    assert lock_holder(db_url) is None  # released on stop
