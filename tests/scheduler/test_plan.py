"""Jobs from the config, synced into the database job store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import Engine, text

from models.config import Config, ConfigError, parse_config
from scheduler import jobs
from scheduler.service import job_store
from scheduler.settings import load_settings
from scheduler.views import job_listing, stored_jobs
from tests.scheduler.helpers import apply_jobs as apply


def config_of(*sources: dict[str, Any], **tables: Any) -> Config:
    full = [{"kind": "discourse", "base_url": "http://127.0.0.1:9", **s} for s in sources]
    return parse_config({"sources": full, **tables})


def loaded(engine: Engine) -> dict[str, Job]:
    scheduler = BackgroundScheduler(timezone=UTC)
    store = job_store(engine)
    store.start(scheduler, "default")
    return {job.id: job for job in store.get_all_jobs()}


def row_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM apscheduler_jobs")).scalar_one()


def test_jobs_from_sources_with_defaults(engine: Engine) -> None:
    config = config_of({"name": "a", "every": "30m"}, {"name": "b", "cron": "*/5 * * * *"},
                       {"name": "manual"}, {"name": "off", "every": "1h", "enabled": False})
    report = apply(engine, config)
    assert sorted(report.added) == ["crawl:a", "crawl:b"]
    stored = loaded(engine)
    assert set(stored) == {"crawl:a", "crawl:b"}
    a, b = stored["crawl:a"], stored["crawl:b"]
    assert a.func is jobs.crawl and a.args == ("a",) and b.args == ("b",)
    assert a.coalesce and a.max_instances == 1 and b.coalesce and b.max_instances == 1
    # Misfire grace: one period of the job.
    assert a.misfire_grace_time == 1800 and b.misfire_grace_time == 300
    assert a.trigger.interval == timedelta(minutes=30)
    assert a.next_run_time - datetime.now(UTC) <= timedelta(minutes=30)


def test_restart_keeps_jobs_and_next_run_without_duplicates(engine: Engine) -> None:
    config = config_of({"name": "a", "every": "30m"}, {"name": "b", "every": "6h"})
    apply(engine, config)
    before = {job_id: job.next_run_time for job_id, job in loaded(engine).items()}
    report = apply(engine, config)
    assert sorted(report.kept) == ["crawl:a", "crawl:b"] and not report.added
    after = {job_id: job.next_run_time for job_id, job in loaded(engine).items()}
    assert after == before  # an interval does not restart from zero at every restart
    assert row_count(engine) == 2


def test_config_change_updates_adds_and_removes(engine: Engine) -> None:
    apply(engine, config_of({"name": "a", "every": "30m"}, {"name": "b", "every": "6h"},
                            {"name": "c", "every": "1h"}))
    report = apply(engine, config_of({"name": "a", "every": "2h"}, {"name": "b", "every": "6h"},
                                     {"name": "d", "cron": "0 4 * * 1"}))
    assert report.updated == ["crawl:a"] and report.kept == ["crawl:b"]
    assert report.added == ["crawl:d"] and report.removed == ["crawl:c"]
    stored = loaded(engine)
    assert set(stored) == {"crawl:a", "crawl:b", "crawl:d"}
    assert stored["crawl:a"].trigger.interval == timedelta(hours=2)
    assert stored["crawl:d"].misfire_grace_time == 7 * 86400
    assert row_count(engine) == 3


def test_aggregate_and_export_jobs(engine: Engine, tmp_path: Any) -> None:
    config = config_of({"name": "a", "every": "30m"},
                       schedule={"aggregate_every": "1h"},
                       export={"dir": str(tmp_path), "formats": ["md"], "cron": "0 6 * * *"})
    apply(engine, config)
    stored = loaded(engine)
    assert set(stored) == {"crawl:a", "aggregate", "export"}
    assert stored["aggregate"].func is jobs.aggregate and stored["export"].func is jobs.export
    assert stored["aggregate"].misfire_grace_time == 3600
    assert stored["export"].misfire_grace_time == 86400
    # Back to "after crawls" and no export: both scheduled jobs go.
    report = apply(engine, config_of({"name": "a", "every": "30m"}))
    assert sorted(report.removed) == ["aggregate", "export"]


def test_enrich_job(engine: Engine) -> None:
    apply(engine, config_of({"name": "a", "every": "30m"}, schedule={"enrich_cron": "0 3 * * *"}))
    stored = loaded(engine)
    assert stored["enrich"].func is jobs.enrich and stored["enrich"].misfire_grace_time == 86400


def test_pending_after_crawls_aggregate_survives_a_restart(engine: Engine) -> None:
    config = config_of({"name": "a", "every": "30m"})
    apply(engine, config)
    scheduler = BackgroundScheduler(timezone=UTC, jobstores={"default": job_store(engine)})
    scheduler.start(paused=True)
    scheduler.add_job(jobs.aggregate, DateTrigger(datetime.now(UTC) + timedelta(seconds=5)),
                      id="aggregate", name="after crawls")
    scheduler.shutdown(wait=False)
    assert "aggregate" not in apply(engine, config).removed
    assert "aggregate" in loaded(engine)
    listing = {row["id"]: row for row in job_listing(engine, config, load_settings(config))}
    assert listing["aggregate"]["state"] == "pending"
    # With aggregation switched off it is removed.
    report = apply(engine, config_of({"name": "a", "every": "30m"},
                                     schedule={"aggregate": False}))
    assert report.removed == ["aggregate"]


def test_bad_cron_names_source_and_key(engine: Engine) -> None:
    with pytest.raises(ConfigError) as info:
        apply(engine, config_of({"name": "a", "cron": "61 * * * *"}))
    assert info.value.source == "a" and info.value.key == "cron"


def test_listing_shows_what_the_next_start_does(engine: Engine) -> None:
    apply(engine, config_of({"name": "a", "every": "30m"}, {"name": "b", "every": "1h"}))
    config = config_of({"name": "a", "every": "45m"}, {"name": "c", "every": "1h"})
    rows = {row["id"]: row for row in job_listing(engine, config, load_settings(config))}
    assert rows["crawl:a"]["state"].startswith("changed")
    assert rows["crawl:a"]["schedule"] == "every 45m"
    assert rows["crawl:b"]["state"].startswith("not in the config")
    assert rows["crawl:c"]["state"].startswith("not stored yet")
    assert rows["crawl:c"]["next_run"] is None
    assert rows["aggregate"]["schedule"] == "after crawls"
    assert [job["id"] for job in stored_jobs(engine)] == ["crawl:a", "crawl:b"]
