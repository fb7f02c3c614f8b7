"""Helpers for scheduler tests: a tiny Discourse forum on loopback, config files, and the real
`hairlink schedule run` as a child process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models.config import Config
from models.db import make_engine
from models.entities import CrawlRun, Source, Thread
from models.migrate import upgrade
from scheduler.plan import SyncReport, planned_jobs, scheduler_timezone, sync_jobs
from scheduler.service import job_store
from scheduler.settings import load_settings
from scrapers.loopback import LoopbackServer, Request, Response
from tests.scrapers.fake_threads import FakeThread, make_threads
from tests.scrapers.site_discourse import serve_discourse


def slow(entry: Any, seconds: float) -> Callable[[Request], Response]:
    """A route that answers like `entry` after `seconds`."""

    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return entry(request) if callable(entry) else entry

    return handler


@contextmanager
def forum(threads: int = 4, topic_delay: float = 0.0) -> Iterator[tuple[LoopbackServer,
                                                                          list[FakeThread]]]:
    """A Discourse forum of `threads` topics; each topic page takes `topic_delay` seconds."""
    items = make_threads(threads, posts_per_thread=2)
    with LoopbackServer() as server:
        publish(server, items, topic_delay)
        yield server, items


def publish(server: LoopbackServer, threads: list[FakeThread], topic_delay: float = 0.0) -> None:
    """(Re)serve `threads`; topic pages slowed down by `topic_delay` seconds."""
    serve_discourse(server, threads)
    if topic_delay:
        with server.lock:
            for target, entry in list(server.exact.items()):
                if target.startswith("/t/"):
                    server.exact[target] = slow(entry, topic_delay)


def source_toml(name: str, base_url: str, every: str | None = "2s",
                cron: str | None = None, **options: Any) -> str:
    """One `[[sources]]` table of kind discourse."""
    lines = ["[[sources]]", f'name = "{name}"', 'kind = "discourse"', f'base_url = "{base_url}"']
    options = {"delay": 0, "concurrency": 4, **options}
    if every:
        lines.append(f'every = "{every}"')
    if cron:
        lines.append(f'cron = "{cron}"')
    lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def write_config(path: Path, db_url: str, sources: list[str], schedule: dict[str, Any] | None
                 = None, export: dict[str, Any] | None = None) -> Path:
    """A config file with `[database]`, `[schedule]`, optional `[export]` and sources."""
    text = f'[database]\nurl = "{db_url}"\n\n[schedule]\n'
    for key, value in {"grace": "5s", **(schedule or {})}.items():
        text += f"{key} = {json.dumps(value)}\n"
    if export:
        text += "\n[export]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in export.items())
    path.write_text(text + "\n" + "\n".join(sources), encoding="utf-8")
    return path


class Service:
    """`hairlink --config CFG schedule run` in a child process, its log in a file."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hairlink", "--config", str(self.config), "schedule",
                 "run"], stdout=out, stderr=out, cwd=self.config.parent)
        return self

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_started(self, timeout: float = 20.0) -> None:
        """Until APScheduler logs that it started (the jobs are in the store then)."""
        wait_for(lambda: self.text().count("Scheduler started") >= self.starts,
                 timeout, lambda: self.text())

    @property
    def starts(self) -> int:
        return 1 + self.text().count("scheduler stopped")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send `signum`; the exit status (fails if the service outlives `timeout`)."""
        assert self.process is not None
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_for(predicate: Callable[[], Any], timeout: float,
             explain: Callable[[], str] | None = None, step: float = 0.2) -> Any:
    """Poll `predicate` until truthy; AssertionError with `explain()` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s" + (f"\n{explain()}" if explain else ""))


def runs(engine: Engine, source: str | None = None) -> list[CrawlRun]:
    """The crawl runs (of `source`), oldest first."""
    query = select(CrawlRun).order_by(CrawlRun.id)
    if source:
        query = query.where(CrawlRun.source_name == source)
    with Session(engine) as session:
        return list(session.scalars(query))


def thread_count(engine: Engine, source: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count(Thread.id)).join(Source)
                            .where(Source.name == source)).scalar_one()


def engine_for(db_url: str) -> Engine:
    """An engine on `db_url` with the schema at head (the service would do it too)."""
    engine = make_engine(db_url)
    upgrade(engine)
    return engine


def apply_jobs(engine: Engine, config: Config) -> SyncReport:
    """What the service does at start, then stop: the configured jobs end up in the store."""
    settings = load_settings(config)
    zone = scheduler_timezone(settings)
    scheduler = BackgroundScheduler(timezone=zone)
    store = job_store(engine)
    store.start(scheduler, "default")
    report = sync_jobs(scheduler, store, planned_jobs(config, settings, zone, datetime.now(zone)),
                       settings)
    scheduler.add_jobstore(store, "default")
    scheduler.start(paused=True)
    scheduler.shutdown(wait=False)
    return report
