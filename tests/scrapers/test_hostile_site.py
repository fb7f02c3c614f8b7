"""Crawls of hostile sites end on their own, store every good thread exactly once, count
every lost thread with its reason, and never send a Reddit request into a spent window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import make_engine
from models.entities import CrawlRun, Reply, Thread
from scrapers.loopback import LoopbackServer
from tests.conftest import init_database
from tests.scrapers import inprocess
from tests.scrapers.crawlkit import ROOT, describe, stored, write_config
from tests.scrapers.fake_threads import make_threads
from tests.scrapers.hostile import (
    FITTED,
    LONG_CATEGORY,
    LOST,
    MAX_SIZE,
    HostileForum,
    WindowedReddit,
    hostile_threads,
    reddit_posts,
)

pytestmark = pytest.mark.slow
HOSTILE_SETTINGS = ("-s", f"DOWNLOAD_MAXSIZE={MAX_SIZE}", "-s", "RETRY_TIMES=2",
                    "-s", "REDIRECT_MAX_TIMES=5", "--log-level", "INFO")


def test_hostile_forum_every_good_thread_once_every_lost_one_counted(
        db_url: str, tmp_path: Path) -> None:
    threads = hostile_threads()
    forum = HostileForum(threads, rotate=True)
    repeat = HostileForum(make_threads(5, first_id=500), prefix="/r", rotate=False)
    with LoopbackServer() as server:
        forum.install(server)
        repeat.install(server)
        config = write_config(tmp_path / "h.toml", db_url, server.base_url, "discourse",
                              extra="replies = 10\nmax_pages = 4")
        with config.open("a") as out:
            out.write(f'\n[[sources]]\nname = "repeat"\nkind = "discourse"\n'
                      f'base_url = "{server.base_url}/r"\n')
        result = inprocess.run_crawl(config, "forum", "repeat", args=HOSTILE_SETTINGS)
    assert result.returncode == 0, describe(result)
    # Endless pagination ends: at max_pages for the rotating lister, after the first
    # repeated page for the other (its default max_pages is far away).
    assert forum.list_requests == 4
    assert repeat.list_requests == 2
    db = stored(db_url)
    good = sorted(str(t.thread_id) for t in threads if t.thread_id not in LOST)
    assert sorted(db.threads) == good and db.total_rows == len(good) + 5
    assert all(count == 1 for count in db.snapshots.values())
    assert db.threads["114"].category == LONG_CATEGORY[:199] + "…"
    assert db.replies["122"] == 1  # the reply with the impossible score is dropped
    run = next(r for r in db.runs if r.source_name == "forum")
    expected: dict[str, int] = {}
    for reason in [*LOST.values(), *FITTED.values()]:
        expected[reason] = expected.get(reason, 0) + 1
    assert run.status == "finished", run.message
    assert run.dropped == expected
    assert run.items == len(good)
    assert sorted(stored(db_url, "repeat").threads) == ["500", "501", "502", "503", "504"]


def test_reddit_window_is_never_overrun_by_two_processes(db_url: str,
                                                        tmp_path: Path) -> None:
    fake = WindowedReddit({"aaa": reddit_posts("aaa", 7), "bbb": reddit_posts("bbb", 7)},
                          size=12, window=4.0, page_size=4)
    with LoopbackServer() as server:
        fake.install(server)
        config = tmp_path / "h.toml"
        sources = "".join(
            f'\n[[sources]]\nname = "{sub}"\nkind = "reddit"\nsubreddits = ["{sub}"]\n'
            f'base_url = "{server.base_url}/api"\n'
            f'auth_url = "{server.base_url}/api/v1/access_token"\nreplies = 3\ndelay = 0\n'
            f'concurrency = 8\n' for sub in ("aaa", "bbb"))
        config.write_text(f'contact = "u/hairlink_test"\n[database]\nurl = "{db_url}"\n'
                          f'{sources}', encoding="utf-8")
        env = {**os.environ, "HAIRLINK_REDDIT_CLIENT_ID": "one-client",
               "HAIRLINK_REDDIT_CLIENT_SECRET": "s"}
        env.pop("HAIRLINK_DATABASE_URL", None)
        init_database(db_url)  # as `hairlink init` does: a crawl never migrates
        children = [subprocess.Popen(
            [sys.executable, "-m", "scrapers.run", sub, "--config", str(config),
             "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "HAIRLINK_BACKOFF_BASE=0.05",
             "-s", "HAIRLINK_STORE_FLUSH_SECONDS=0.2", "-s", "HAIRLINK_REDDIT_RATELIMIT_LOW=0",
             "-s", "HAIRLINK_REDDIT_RESET_MARGIN=1", "-s", f"HAIRLINK_REDDIT_GATE_DIR={tmp_path}",
             "--log-level", "INFO"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for sub in ("aaa", "bbb")]
        outputs = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, out + err[-3000:]
    # 2 x (2 listing pages + 7 comment pages) = 18 calls: more than one window of 12.
    assert len(fake.api_requests) == 18
    assert fake.over_limit == 0, fake.api_requests
    # After a response reporting 0 left, the next request went into a new window.
    for before, after in zip(fake.api_requests, fake.api_requests[1:], strict=False):
        if before[2] == 0:
            assert after[3] > before[3], fake.api_requests
    assert len({window for _, _, _, window in fake.api_requests}) >= 2
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            ids = sorted(session.scalars(select(Thread.external_id)))
            assert ids == sorted(p["id"] for posts in fake.subs.values() for p in posts)
            assert len(list(session.scalars(select(Reply)))) == 14
            runs = list(session.scalars(select(CrawlRun)))
            assert sorted((r.source_name, r.status) for r in runs) == [
                ("aaa", "finished"), ("bbb", "finished")]
    finally:
        engine.dispose()
