"""The crawl_run row lifecycle (models.crawl_runs): create, claim, finish, reap, record."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from models.crawl_runs import (
    claim_run,
    create_run,
    finish_run,
    process_alive,
    reap_stale_runs,
    record_pid,
    record_run,
)
from models.entities import CrawlRun


def row(engine: Engine, run_id: int) -> CrawlRun:
    with Session(engine) as session:
        return session.scalars(select(CrawlRun).where(CrawlRun.id == run_id)).one()


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process started now."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def test_create_claim_finish(engine: Engine) -> None:
    run_id = create_run(engine, "forum", "discourse")
    run = row(engine, run_id)
    assert (run.status, run.pid, run.dropped, run.finished_at) == ("running", None, {}, None)
    record_pid(engine, run_id, 4242)
    record_pid(engine, run_id, 4343)  # the first pid stays
    assert row(engine, run_id).pid == 4242
    claim_run(engine, run_id, "forum", "discourse")
    assert row(engine, run_id).pid == os.getpid()
    with pytest.raises(ValueError, match="is for source 'forum'"):
        claim_run(engine, run_id, "other", "discourse")
    assert finish_run(engine, run_id, "finished",
                      {"pages": 2, "items": 3, "dropped": {"x": 1}, "errors": 0})
    run = row(engine, run_id)
    assert (run.status, run.pages, run.items, run.dropped) == ("finished", 2, 3, {"x": 1})
    assert run.finished_at is not None
    with pytest.raises(ValueError, match="already finished"):
        claim_run(engine, run_id, "forum", "discourse")
    with pytest.raises(ValueError, match="no crawl run"):
        claim_run(engine, run_id + 100, "forum", "discourse")
    with pytest.raises(ValueError, match="final"):
        finish_run(engine, run_id, "running")


def test_only_running_leaves_a_recorded_end(engine: Engine) -> None:
    run_id = create_run(engine, "forum", "discourse", os.getpid())
    assert finish_run(engine, run_id, "cancelled", message="stopped by a signal")
    assert not finish_run(engine, run_id, "failed", message="observer", only_running=True)
    assert (row(engine, run_id).status, row(engine, run_id).message) == (
        "cancelled", "stopped by a signal")
    # The crawl's own end replaces an earlier verdict.
    assert finish_run(engine, run_id, "finished")
    assert row(engine, run_id).status == "finished"


def test_process_alive_sees_a_reused_pid(sleeper: subprocess.Popen[bytes]) -> None:
    now = datetime.now(UTC)
    assert process_alive(sleeper.pid, now)
    assert not process_alive(sleeper.pid, now - timedelta(hours=1))  # started after the run
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    assert not process_alive(int(dead.stdout), now)


def test_reap_closes_rows_whose_process_is_gone(engine: Engine,
                                                sleeper: subprocess.Popen[bytes]) -> None:
    mine = create_run(engine, "forum", "discourse", os.getpid())
    live = create_run(engine, "forum", "discourse", sleeper.pid)
    reused = create_run(engine, "forum", "discourse", sleeper.pid)
    unstarted = create_run(engine, "forum", "discourse")
    other = create_run(engine, "board", "phpbb", 2**22 + 1)
    with engine.begin() as conn:
        conn.execute(update(CrawlRun).where(CrawlRun.id.in_([reused, mine]))
                     .values(started_at=datetime.now(UTC) - timedelta(hours=1)))
    assert reap_stale_runs(engine, "forum") == 1
    assert [row(engine, i).status for i in (mine, live, unstarted, other)] == ["running"] * 4
    run = row(engine, reused)
    assert run.status == "failed" and run.finished_at is not None
    assert run.message == f"the crawl process (pid {sleeper.pid}) ended without finishing"


def test_record_run_writes_a_closed_row(engine: Engine) -> None:
    started = datetime.now(UTC) - timedelta(minutes=1)
    run_id = record_run(engine, "reddit", "reddit-dump", started_at=started, status="finished",
                        counters={"pages": 1, "items": 5})
    run = row(engine, run_id)
    assert (run.status, run.pid, run.pages, run.items, run.dropped, run.errors) == (
        "finished", os.getpid(), 1, 5, {}, 0)
    assert run.finished_at is not None and run.finished_at >= run.started_at
    with pytest.raises(ValueError, match="counters"):
        record_run(engine, "reddit", "reddit-dump", started_at=started, status="finished",
                   counters={"threads": 1})
