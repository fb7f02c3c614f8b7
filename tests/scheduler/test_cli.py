"""`hairlink schedule list | status | run` through Typer's CliRunner."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from hairlink.app import app
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.config import load_config
from models.db import session_scope
from models.entities import CrawlRun
from scheduler.lock import SchedulerLock
from tests.scheduler.helpers import apply_jobs, engine_for, source_toml, write_config

runner = CliRunner()
BASE = "http://127.0.0.1:9"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The database made by the migrations, as the commands expect it."""
    eng = engine_for(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def config_file(tmp_path: Path, db_url: str, engine: Engine) -> Path:
    return write_config(tmp_path / "h.toml", db_url, [source_toml("alpha", BASE, every="30m"),
                                                      source_toml("beta", BASE, every="6h")])


def add_run(engine: Engine, source: str, status: str, minutes_ago: int, **values: object) -> None:
    started = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    with session_scope(engine) as session:
        session.add(CrawlRun(source_name=source, spider="discourse", started_at=started,
                             finished_at=None if status == "running"
                             else started + timedelta(seconds=95), status=status, **values))


def test_status_shows_the_last_runs_per_source(config_file: Path, engine: Engine) -> None:
    add_run(engine, "alpha", "finished", 90, pages=12, items=40, errors=1,
            dropped={"missing_title": 2, "too_old": 3})
    add_run(engine, "alpha", "cancelled", 30, pages=3, items=5, message="stopped")
    add_run(engine, "alpha", "running", 1, pages=1)
    add_run(engine, "retired", "failed", 600, message="boom")
    result = runner.invoke(app, ["--config", str(config_file), "schedule", "status",
                                 "--format", "json", "--last", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scheduler"] is None
    sources = {row["source"]: row for row in data["sources"]}
    assert [row["source"] for row in data["sources"]] == ["alpha", "beta", "retired"]
    alpha = sources["alpha"]["runs"]
    assert [run["status"] for run in alpha] == ["running", "cancelled"]
    assert alpha[1]["duration"] == "1m35s" and alpha[1]["message"] == "stopped"
    assert sources["beta"]["runs"] == [] and sources["beta"]["schedule"] == "every 6h"
    result = runner.invoke(app, ["--config", str(config_file), "schedule", "status",
                                 "--format", "json", "--last", "3"])
    oldest = json.loads(result.stdout)["sources"][0]["runs"][2]
    assert (oldest["pages"], oldest["items"], oldest["errors"], oldest["dropped"]) == \
        (12, 40, 1, 5)
    assert oldest["dropped_by_reason"] == {"missing_title": 2, "too_old": 3}
    table = runner.invoke(app, ["--config", str(config_file), "schedule", "status"])
    assert table.exit_code == 0 and "alpha" in table.output and "never" in table.output
    assert "scheduler: not running" in table.output


def test_list_shows_jobs_next_runs_and_the_running_scheduler(config_file: Path,
                                                             engine: Engine,
                                                             db_url: str) -> None:
    result = runner.invoke(app, ["--config", str(config_file), "schedule", "list",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    jobs = {job["id"]: job for job in json.loads(result.stdout)["jobs"]}
    assert jobs["crawl:alpha"]["state"].startswith("not stored yet")
    apply_jobs(engine, load_config(config_file))
    with SchedulerLock(db_url):
        result = runner.invoke(app, ["--config", str(config_file), "schedule", "list",
                                     "--format", "json"])
    data = json.loads(result.stdout)
    assert data["scheduler"] is not None
    jobs = {job["id"]: job for job in data["jobs"]}
    assert set(jobs) == {"crawl:alpha", "crawl:beta", "aggregate"}
    assert jobs["crawl:alpha"]["state"] == "scheduled"
    assert jobs["crawl:alpha"]["schedule"] == "every 30m"
    next_run = datetime.fromisoformat(jobs["crawl:alpha"]["next_run"])
    assert timedelta(0) < next_run - datetime.now(UTC) <= timedelta(minutes=30)
    assert jobs["aggregate"]["schedule"] == "after crawls"
    table = runner.invoke(app, ["--config", str(config_file), "schedule", "list"])
    assert table.exit_code == 0 and "crawl:beta" in table.output and "every 6h" in table.output


def test_run_is_refused_while_another_scheduler_holds_the_database(config_file: Path,
                                                                   db_url: str) -> None:
    with SchedulerLock(db_url):
        result = runner.invoke(app, ["--config", str(config_file), "schedule", "run"])
    assert result.exit_code == 1
    assert "another hairlink scheduler is already running" in result.output


def test_bad_schedule_config_exits_2_naming_the_key(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path / "h.toml", db_url, [source_toml("alpha", BASE)],
                       schedule={"time_limit": "forever"})
    for command in ("run", "list"):
        result = runner.invoke(app, ["--config", str(cfg), "schedule", command])
        assert result.exit_code == 2
        assert "schedule.time_limit" in result.output


def test_unknown_format_is_refused(config_file: Path) -> None:
    result = runner.invoke(app, ["--config", str(config_file), "schedule", "status",
                                 "--format", "xml"])
    assert result.exit_code == 2


def test_status_in_distributed_mode_shows_queues_and_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setenv("HAIRLINK_REDIS_PREFIX", f"hairlink-test-{uuid.uuid4().hex[:8]}")
    db_url = f"sqlite:///{tmp_path / 'h.db'}"
    engine_for(db_url)
    cfg = write_config(tmp_path / "h.toml", db_url, [source_toml("alpha", BASE)])
    cfg.write_text('[redis]\nurl = "redis://127.0.0.1:6379/0"\n' + cfg.read_text())
    result = runner.invoke(app, ["--config", str(cfg), "schedule", "status", "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    distributed = json.loads(result.stdout)["distributed"]
    assert distributed["sources"]["alpha"]["queued"] == 0
    assert distributed["sources"]["alpha"]["last_seed"] is None
    assert distributed["workers"] == []
    cfg.write_text(cfg.read_text().replace("6379", "9"))  # nothing listens there
    result = runner.invoke(app, ["--config", str(cfg), "schedule", "status"])
    assert result.exit_code == 0 and "redis: unavailable" in result.output


def test_a_bad_cron_expression_stops_run_and_list_with_exit_2(tmp_path: Path,
                                                               db_url: str) -> None:
    cfg = write_config(tmp_path / "h.toml", db_url,
                       [source_toml("alpha", BASE, every=None, cron="61 * * * *")])
    for command in ("run", "list"):
        result = runner.invoke(app, ["--config", str(cfg), "schedule", command])
        assert result.exit_code == 2, result.output
        text = " ".join(result.output.split())
        assert "source 'alpha': key 'cron'" in text and "61" in text
