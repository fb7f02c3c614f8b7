"""Crawl children: run rows, time limit, graceful stop, kill after the grace period.

The children here are small Python scripts standing in for `python -m scrapers.run`, so each
ending (finished, crash, ignores SIGTERM, too slow) can be produced on purpose.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, update

from models.config import Config, SourceConfig, parse_config
from models.entities import CrawlRun
from scheduler import runtime as runtime_module
from scheduler.crawls import CrawlOutcome, CrawlSupervisor, format_seconds, scrapers_command
from scheduler.recovery import close_abandoned_runs
from scheduler.runtime import Runtime
from scheduler.settings import load_settings
from tests.scheduler.helpers import engine_for, runs, wait_for

SOURCE = SourceConfig(name="forum", kind="discourse", base_url="http://127.0.0.1:9")

# argv[1] = run id. The environment carries HAIRLINK_DATABASE_URL, like for scrapers.run.
FINISH = """
import os, sys
from sqlalchemy import text
from models.db import make_engine
engine = make_engine(os.environ["HAIRLINK_DATABASE_URL"])
with engine.begin() as conn:
    conn.execute(text("UPDATE crawl_run SET status = 'finished', items = 3, pages = 2 "
                      "WHERE id = :id"), {"id": int(sys.argv[1])})
"""
CRASH = "import sys; sys.exit(3)"
SLEEP = "import time; print('up', flush=True); time.sleep(60)"
STUBBORN = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('up', flush=True); time.sleep(60)")


def script(code: str):  # type: ignore[no-untyped-def]
    def command(source: str, run_id: int, config: Path | None, full: bool) -> Sequence[str]:
        return [sys.executable, "-c", code, str(run_id)]
    return command


def supervisor(engine: Engine, db_url: str, code: str, **options: float) -> CrawlSupervisor:
    return CrawlSupervisor(engine, database_url=db_url, config_path=None,
                           time_limit=options.get("time_limit", 30),
                           grace=options.get("grace", 1), command=script(code))


def test_the_child_command_is_scrapers_run() -> None:
    argv = scrapers_command("hlt", 7, Path("/etc/h.toml"), True)
    assert argv == [sys.executable, "-m", "scrapers.run", "hlt", "--run-id", "7", "--config",
                    "/etc/h.toml", "--full"]
    assert format_seconds(7200) == "2h" and format_seconds(90) == "1m30s"


def test_a_finished_child_keeps_its_result(engine: Engine, db_url: str) -> None:
    outcome = supervisor(engine, db_url, FINISH).run(SOURCE)
    assert outcome is not None and outcome.status == "finished" and outcome.returncode == 0
    [run] = runs(engine, "forum")
    assert (run.status, run.items, run.pages, run.spider) == ("finished", 3, 2, "discourse")
    assert run.pid is not None


def test_a_crashed_child_is_recorded_failed(engine: Engine, db_url: str) -> None:
    outcome = supervisor(engine, db_url, CRASH).run(SOURCE)
    assert outcome is not None and outcome.status == "failed" and outcome.returncode == 3
    [run] = runs(engine, "forum")
    assert run.status == "failed" and "exited with status 3" in (run.message or "")
    assert run.finished_at is not None


def test_time_limit_stops_the_child(engine: Engine, db_url: str) -> None:
    started = time.monotonic()
    outcome = supervisor(engine, db_url, SLEEP, time_limit=1, grace=2).run(SOURCE)
    assert time.monotonic() - started < 10
    assert outcome is not None and outcome.status == "cancelled"
    [run] = runs(engine, "forum")
    assert run.status == "cancelled" and run.message == "time limit of 1s reached: stopped"


def test_a_child_ignoring_sigterm_is_killed_after_the_grace(engine: Engine, db_url: str) -> None:
    outcome = supervisor(engine, db_url, STUBBORN, time_limit=1, grace=1).run(SOURCE)
    assert outcome is not None and outcome.status == "cancelled"
    assert "killed after 1s of grace" in (outcome.message or "")


def test_stop_all_cancels_running_crawls_within_the_grace(engine: Engine, db_url: str) -> None:
    sup = supervisor(engine, db_url, STUBBORN, grace=1)
    outcomes: list[CrawlOutcome | None] = []
    worker = threading.Thread(target=lambda: outcomes.append(sup.run(SOURCE)))
    worker.start()
    wait_for(lambda: sup.running(), 10)
    time.sleep(0.5)  # let the child install its handler
    started = time.monotonic()
    sup.stop_all()
    worker.join(timeout=10)
    assert time.monotonic() - started < 5
    [outcome] = outcomes
    assert outcome is not None and outcome.status == "cancelled"
    [run] = runs(engine, "forum")
    assert run.status == "cancelled" and run.message is not None
    assert run.message.startswith("the scheduler was stopped")
    # Stopping: nothing new starts.
    assert sup.run(SOURCE) is None and len(runs(engine)) == 1


def test_abandoned_runs_are_closed_at_start(engine: Engine, db_url: str) -> None:
    sup = supervisor(engine, db_url, FINISH)
    unstarted = sup._create_run(SOURCE)  # its scheduler died before the crawl started
    assert close_abandoned_runs(engine) == []  # too young: may be starting right now
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    alive = sup._create_run(SOURCE)
    gone = sup._create_run(SOURCE)
    with engine.begin() as conn:
        conn.execute(update(CrawlRun).where(CrawlRun.id == unstarted)
                     .values(started_at=datetime.now(UTC) - timedelta(minutes=5)))
        conn.execute(update(CrawlRun).where(CrawlRun.id == alive).values(pid=os.getpid()))
        conn.execute(update(CrawlRun).where(CrawlRun.id == gone)
                     .values(pid=int(dead.stdout)))
    closed = dict(close_abandoned_runs(engine))
    status = {run.id: run.status for run in runs(engine)}
    assert unstarted in closed and status[unstarted] == "failed"
    assert status[alive] == "running"
    if engine.dialect.name == "sqlite":  # only there is every crawl on this machine
        assert status[gone] == "failed" and "is gone" in closed[gone]
    else:
        assert status[gone] == "running"


def counting_runtime(config: Config, engine: Engine, db_url: str,
                     scheduler: BackgroundScheduler, calls: list[str]) -> Runtime:
    """The installed Runtime whose aggregate task only records in `calls` that it ran."""
    runtime = Runtime(config=config, settings=load_settings(config), engine=engine,
                      supervisor=supervisor(engine, db_url, FINISH), scheduler=scheduler,
                      aggregate_task=lambda e, c, stop: calls.append("aggregate") or "ok",
                      export_task=lambda e, c, stop: "ok")
    runtime_module.install(runtime)
    return runtime


def test_a_finished_crawl_asks_for_one_aggregation(engine: Engine, db_url: str) -> None:
    config: Config = parse_config({"sources": [{"name": "forum", "kind": "discourse",
                                                "base_url": "http://127.0.0.1:9",
                                                "every": "1h"}],
                                   "schedule": {"aggregate_delay": 0}})
    calls: list[str] = []
    scheduler = BackgroundScheduler()
    scheduler.start()
    try:
        runtime = counting_runtime(config, engine, db_url, scheduler, calls)
        runtime.crawl("forum")
        wait_for(lambda: calls, 10)
        assert calls == ["aggregate"]
        runtime.crawl("unknown")  # a source gone from the config: ignored
        assert len(runs(engine)) == 1
    finally:
        scheduler.shutdown()
        runtime_module.install(None)


@pytest.mark.parametrize("code", [CRASH])
def test_no_aggregation_after_a_failed_crawl(engine: Engine, db_url: str, code: str) -> None:
    config = parse_config({"sources": [{"name": "forum", "kind": "discourse",
                                        "base_url": "http://127.0.0.1:9", "every": "1h"}]})
    scheduler = BackgroundScheduler()
    scheduler.start(paused=True)
    try:
        runtime = Runtime(config=config, settings=load_settings(config), engine=engine,
                          supervisor=supervisor(engine, db_url, code), scheduler=scheduler,
                          aggregate_task=lambda e, c, stop: "ok",
                          export_task=lambda e, c, stop: "ok")
        runtime.crawl("forum")
        assert scheduler.get_job("aggregate") is None
    finally:
        scheduler.shutdown()


# Like scrapers.run on SIGTERM: records `cancelled` itself, then exits 1.
GRACEFUL = """
import os, signal, sys, time
def stop(*_):  # installed before the slow imports: a loaded machine starts Python slowly
    from sqlalchemy import text
    from models.db import make_engine
    engine = make_engine(os.environ["HAIRLINK_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE crawl_run SET status = 'cancelled', "
                          "message = 'stopped by a signal' WHERE id = :id"),
                     {"id": int(sys.argv[1])})
    sys.exit(1)
signal.signal(signal.SIGTERM, stop)
time.sleep(60)
"""


def test_a_gracefully_stopped_child_keeps_its_result_and_gets_the_reason(
        engine: Engine, db_url: str) -> None:
    outcome = supervisor(engine, db_url, GRACEFUL, time_limit=2, grace=10).run(SOURCE)
    assert outcome is not None and outcome.status == "cancelled" and outcome.returncode == 1
    [run] = runs(engine, "forum")
    assert run.message == "time limit of 2s reached: stopped by a signal"


def test_enrichment_runs_as_a_task_and_asks_for_aggregation(db_url: str) -> None:
    engine = engine_for(db_url)  # migrated, as `scrapers.enrich` expects
    config = parse_config({"schedule": {"enrich_every": "1d", "aggregate_delay": 0}})
    calls: list[str] = []
    scheduler = BackgroundScheduler()
    scheduler.start()
    try:
        runtime = counting_runtime(config, engine, db_url, scheduler, calls)
        runtime.enrich()  # the real `python -m scrapers.enrich`: no studies, no requests
        wait_for(lambda: calls, 15)
        assert runs(engine) == []  # a task, not a crawl run
    finally:
        scheduler.shutdown()
        runtime_module.install(None)


def test_stop_all_stops_tasks_too(engine: Engine, db_url: str) -> None:
    sup = supervisor(engine, db_url, SLEEP, grace=1)
    codes: list[int | None] = []
    worker = threading.Thread(target=lambda: codes.append(
        sup.run_task("enrich", [sys.executable, "-c", STUBBORN])))
    worker.start()
    wait_for(lambda: sup.running(), 10)
    assert sup.running()[0][0] < 0 and sup.running()[0][1] == "enrich"
    time.sleep(0.5)
    sup.stop_all()
    worker.join(timeout=10)
    assert codes == [-9]  # ignored SIGTERM: killed after the grace
    assert sup.run_task("enrich", [sys.executable, "-c", "pass"]) is None  # stopping
