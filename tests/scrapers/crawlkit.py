"""Helpers for crawl tests: a config file per test, `python -m scrapers.run` as a
subprocess with fast settings (only for the few end-to-end tests that need a process:
signals, two processes; the rest crawl in process, `tests.scrapers.inprocess`), and reading
back what was stored."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db import make_engine
from models.entities import CrawlRun, Reply, ScoreSnapshot, Source, Thread
from tests.conftest import init_database

ROOT = Path(__file__).resolve().parents[2]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
        "-s", "HAIRLINK_BACKOFF_BASE=0.05", "-s", "HAIRLINK_RETRY_AFTER_MAX=0.3",
        "-s", "DOWNLOAD_TIMEOUT=1.5", "-s", "HAIRLINK_STORE_FLUSH_SECONDS=0.2",
        "-s", "HAIRLINK_PROGRESS_SECONDS=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "--log-level", "WARNING"]
TARGETS = {"discourse": "", "xenforo": 'forums = ["hair.4"]',
           "phpbb": 'forums = [2]\ntimezone = "UTC"',
           "vbulletin": 'forums = [2]',
           "xenforo1": 'forums = ["hair.4"]\ntimezone = "America/New_York"'}
# Test flavours of an engine that are configured as that engine's kind.
CONFIG_KIND = {"xenforo1": "xenforo"}


def write_config(path: Path, db_url: str, base_url: str, kind: str, name: str = "forum",
                 extra: str = "", initialise: bool = True) -> Path:
    """A hairlink.toml with one source of `kind` at `base_url`; its database initialised
    as `hairlink init` leaves it (a crawl checks the schema, never migrates) unless
    `initialise` is False."""
    if initialise:
        init_database(db_url)
    path.write_text(f"""
contact = "tests@example.org"
[database]
url = "{db_url}"

[[sources]]
name = "{name}"
kind = "{CONFIG_KIND.get(kind, kind)}"
base_url = "{base_url}"
{TARGETS[kind]}
{extra}
""", encoding="utf-8")
    return path


def run_crawl(config: Path, *sources: str, args: tuple[str, ...] = (),
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m scrapers.run SOURCES --config CONFIG` with fast settings."""
    argv = [sys.executable, "-m", "scrapers.run", *sources, "--config", str(config), *FAST,
            *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=crawl_env())


def start_crawl(config: Path, *sources: str, args: tuple[str, ...] = ()) -> subprocess.Popen:
    """The same, started in the background."""
    argv = [sys.executable, "-m", "scrapers.run", *sources, "--config", str(config), *FAST,
            *args]
    return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=crawl_env())


def crawl_env() -> dict[str, str]:
    env = os.environ.copy()
    env.pop("HAIRLINK_DATABASE_URL", None)
    env.pop("HAIRLINK_CONFIG", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@dataclass
class Stored:
    """What a database holds after a crawl."""

    threads: dict[str, Thread]
    replies: dict[str, int]
    snapshots: dict[str, int]
    runs: list[CrawlRun]
    total_rows: int


def stored(db_url: str, source: str = "forum") -> Stored:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(Thread).join(Source).where(Source.name == source))
            threads = {t.external_id: t for t in rows}
            total = session.scalar(select(func.count()).select_from(Thread)) or 0
            replies = dict(session.execute(
                select(Thread.external_id, func.count(Reply.id)).join(Reply.thread)
                .group_by(Thread.external_id)).all())
            snaps = dict(session.execute(
                select(Thread.external_id, func.count(ScoreSnapshot.id))
                .join(Thread, ScoreSnapshot.thread_id == Thread.id)
                .group_by(Thread.external_id)).all())
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            session.expunge_all()
            return Stored(threads, replies, snaps, runs, total)
    finally:
        engine.dispose()


def describe(result: Any) -> str:
    """A crawl's exit status, stdout and the tail of its log (for assertion messages)."""
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"


def thread_pages(kind: str, server: Any, thread_id: int) -> int:
    """How many requests asked for the first page of a thread."""
    target = {"discourse": f"/t/{thread_id}.json", "phpbb": f"/viewtopic.php?t={thread_id}",
              "vbulletin": f"/showthread.php?t={thread_id}"}
    if kind in target:
        return server.count(target[kind])
    return sum(1 for _, t in server.requests
               if t.endswith(f".{thread_id}/") and t.startswith("/threads/"))
