"""The real `hairlink schedule run` as a child process, crawling a loopback Discourse forum
with second-scale intervals."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from models.db import make_engine
from models.entities import Thread
from scheduler.views import stored_jobs
from tests.scheduler.helpers import (
    Service,
    engine_for,
    forum,
    publish,
    runs,
    source_toml,
    thread_count,
    wait_for,
    write_config,
)
from tests.scrapers.fake_threads import make_threads

pytestmark = pytest.mark.slow


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hairlink.db'}"


def finished(db_url: str, source: str, count: int) -> bool:
    return sum(run.status == "finished" for run in runs(make_engine(db_url), source)) >= count


def all_aggregated(engine: Engine) -> bool:
    with Session(engine) as session:
        return all(session.scalars(select(Thread.aggregated_hash)))


def test_two_scheduled_crawls_store_their_threads_and_aggregate(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    engine = engine_for(db)
    with forum(threads=3) as (server, threads):
        # The first crawl sees 3 topics; from the second on a 4th, newer one is listed.
        before = server.exact["/latest.json?page=0"]
        publish(server, threads + make_threads(1, posts_per_thread=2, first_id=900,
                                               age_step=timedelta(minutes=1)))
        after = server.exact["/latest.json?page=0"]
        lists = iter([before])
        server.exact["/latest.json?page=0"] = lambda _request: next(lists, after)
        cfg = write_config(tmp_path / "h.toml", db,
                           [source_toml("forum", server.base_url, every="2s")],
                           schedule={"aggregate_delay": 0})
        service = Service(cfg, tmp_path / "service.log").start()
        try:
            wait_for(lambda: finished(db, "forum", 2), 60, service.text)
            assert thread_count(engine, "forum") == 4
            # The aggregate job follows the crawls: every stored thread gets aggregated.
            wait_for(lambda: all_aggregated(engine), 30, service.text)
            assert service.stop() == 0
        finally:
            service.kill()
    all_runs = runs(engine, "forum")
    assert len(all_runs) >= 2 and all(run.status in ("finished", "cancelled")
                                      for run in all_runs)
    assert all_runs[0].items == 3 and all_runs[0].pid is not None
    assert all_runs[1].status == "finished" and all_runs[1].items >= 1
    assert "aggregate: " in service.text()


def test_a_crawl_slower_than_its_interval_never_overlaps_itself(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    engine = engine_for(db)
    with forum(threads=2, topic_delay=0.5) as (server, _threads):
        cfg = write_config(tmp_path / "h.toml", db,
                           [source_toml("forum", server.base_url, every="1s")],
                           schedule={"aggregate": False})
        service = Service(cfg, tmp_path / "service.log").start()
        most_running = 0

        def two_done() -> bool:
            nonlocal most_running
            rows = runs(engine, "forum")
            most_running = max(most_running, sum(run.status == "running" for run in rows))
            return sum(run.status == "finished" for run in rows) >= 2

        try:
            wait_for(two_done, 45, service.text, step=0.1)
            assert service.stop() == 0
        finally:
            service.kill()
    assert most_running == 1
    done = [run for run in runs(engine, "forum") if run.finished_at is not None]
    for earlier, later in itertools.pairwise(done):
        assert later.started_at >= earlier.finished_at
    assert "skipped: maximum number of running instances reached" in service.text()


def test_a_restart_keeps_the_jobs_without_duplicates_and_reads_the_new_config(
        tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    engine = engine_for(db)
    cfg = tmp_path / "h.toml"
    base = "http://127.0.0.1:9"

    def run_once(signum: int) -> dict[str, dict[str, str]]:
        service = Service(cfg, tmp_path / "service.log").start()
        try:
            service.wait_started()
            assert service.stop(signum) == 0
        finally:
            service.kill()
        return {job["id"]: job for job in stored_jobs(engine)}

    write_config(cfg, db, [source_toml("keep", base, every="1h"),
                           source_toml("change", base, every="1h"),
                           source_toml("drop", base, every="6h")])
    first = run_once(signal.SIGINT)  # Ctrl-C
    assert set(first) == {"crawl:keep", "crawl:change", "crawl:drop"}
    write_config(cfg, db, [source_toml("keep", base, every="1h"),
                           source_toml("change", base, every="2h"),
                           source_toml("new", base, every=None, cron="0 4 * * 1")],
                 schedule={"aggregate_every": "30m"})
    second = run_once(signal.SIGTERM)
    assert set(second) == {"crawl:keep", "crawl:change", "crawl:new", "aggregate"}
    assert second["crawl:keep"] == first["crawl:keep"]  # same next run: nothing restarted
    assert second["crawl:change"]["schedule"] == "every 2h"
    assert second["crawl:new"]["schedule"] == "cron 0 4 * * 1"
    assert second["aggregate"]["schedule"] == "every 30m"
    with engine.connect() as conn:  # one row per job: nothing doubled
        assert conn.execute(text("SELECT count(*) FROM apscheduler_jobs")).scalar_one() == 4
    log = Service(cfg, tmp_path / "service.log").text()
    assert "jobs: 3 added, 0 updated, 0 kept, 0 removed" in log
    assert "jobs: 2 added, 1 updated, 1 kept, 1 removed" in log


def test_a_second_scheduler_on_the_same_database_is_refused(tmp_path: Path,
                                                            db_url: str) -> None:
    cfg = write_config(tmp_path / "h.toml", db_url,
                       [source_toml("a", "http://127.0.0.1:9", every="1h")])
    first = Service(cfg, tmp_path / "first.log").start()
    try:
        first.wait_started()
        second = subprocess.run([sys.executable, "-m", "hairlink", "--config", str(cfg),
                                 "schedule", "run"], capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "another hairlink scheduler is already running" in second.stderr
        assert "Scheduler started" not in second.stderr
        assert first.process is not None and first.process.poll() is None  # unharmed
        assert first.stop() == 0
    finally:
        first.kill()


def test_sigterm_during_a_crawl_exits_0_within_the_grace(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    engine = engine_for(db)
    # Scrapy's graceful stop finishes the requests already handed to the downloader (here
    # about 4 x 1 s), well inside the 10 s grace; a crawl that overruns it is killed.
    with forum(threads=4, topic_delay=1.0) as (server, _threads):
        cfg = write_config(tmp_path / "h.toml", db,
                           [source_toml("forum", server.base_url, every="1s",
                                        concurrency=1)],
                           schedule={"grace": "10s", "aggregate": False})
        service = Service(cfg, tmp_path / "service.log").start()
        try:
            wait_for(lambda: any(target.startswith("/t/") for _, target in server.requests),
                     40, service.text)
            [running] = [run for run in runs(engine, "forum") if run.status == "running"]
            started = time.monotonic()
            assert service.stop(timeout=30) == 0
            took = time.monotonic() - started
        finally:
            service.kill()
    assert took < 10 + 3, service.text()
    [run] = [r for r in runs(engine, "forum") if r.id == running.id]
    assert run.status in ("finished", "cancelled"), run.message
    assert run.finished_at is not None
    assert all(r.status != "running" for r in runs(engine, "forum"))
    assert running.pid is not None and not psutil.pid_exists(running.pid)
