"""Crawls that meet trouble: injected faults and malformed pages (in process), SIGKILL and
SIGTERM half-way (`python -m scrapers.run` as a child: signals need a process)."""

from __future__ import annotations

import json
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest

from scrapers.loopback import LoopbackServer, Request
from tests.scrapers import inprocess
from tests.scrapers.crawlkit import describe, run_crawl, start_crawl, stored, write_config
from tests.scrapers.fake_threads import make_threads
from tests.scrapers.sites import serve

ENGINES = ["discourse", "xenforo", "phpbb", "vbulletin", "xenforo1"]
pytestmark = pytest.mark.slow


def _thread_pattern(kind: str, digits: str) -> str:
    """A regex for thread-page targets whose thread id ends in one of `digits`."""
    return {"discourse": rf"^/t/\d*[{digits}]\.json",
            "xenforo": rf"^/threads/[^/]*\.\d*[{digits}]/",
            "xenforo1": rf"^/threads/[^/]*\.\d*[{digits}]/",
            "phpbb": rf"^/viewtopic\.php\?t=\d*[{digits}](&|$)",
            "vbulletin": rf"^/showthread\.php\?t=\d*[{digits}](&|$)"}[kind]


@pytest.mark.parametrize("kind", ENGINES)
def test_faults_every_thread_stored_exactly_once(kind: str, db_url: str,
                                                 tmp_path: Path) -> None:
    threads = make_threads(30, posts_per_thread=12, age_step=timedelta(hours=7))
    with LoopbackServer() as server:
        serve(kind, server, threads)
        # Each fault at most twice per URL; every URL meets at most one kind of fault.
        server.fault("429", times=2, pattern=_thread_pattern(kind, "012"), retry_after=1)
        server.fault("503", times=2, pattern=_thread_pattern(kind, "34"), retry_after=1)
        server.fault("stall", times=2, pattern=_thread_pattern(kind, "5"), stall=4)
        server.fault("truncate", times=2, pattern=_thread_pattern(kind, "67"))
        server.fault("503", times=2, pattern=r"^/(latest|forums|viewforum|forumdisplay)")
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, kind,
                              extra="replies = 10")
        # Under the 4 s stalls, with room for a loaded machine (the server shares our GIL).
        result = inprocess.run_crawl(config, "forum", args=("-s", "DOWNLOAD_TIMEOUT=2.5"))
        assert result.returncode == 0, describe(result)
        db = stored(db_url)
        assert sorted(db.threads) == sorted(str(t.thread_id) for t in threads)
        assert db.total_rows == 30
        assert all(db.replies[str(t.thread_id)] == 10 for t in threads)
        assert all(count == 1 for count in db.snapshots.values())
        assert db.runs[-1].status == "finished" and db.runs[-1].items == 30
        assert sum(f.counts.get(t, 0) for f in server.faults for t in f.counts) > 30
        # A faulted URL was asked for exactly (faults + 1) times: retried until it worked.
        target = {"discourse": "/t/100.json", "phpbb": "/viewtopic.php?t=100",
                  "vbulletin": "/showthread.php?t=100"}.get(kind)
        if target:
            assert server.count(target) == 3


def _slow_site(kind: str, server: LoopbackServer, count: int) -> None:
    threads = make_threads(count, posts_per_thread=3, age_step=timedelta(hours=3))
    serve(kind, server, threads)
    # Slow every thread page down a little so the crawl is still running when we interrupt.
    for target, entry in list(server.exact.items()):
        if target.startswith(("/t/", "/threads/", "/viewtopic")):
            def slow(request: Request, entry=entry):  # type: ignore[no-untyped-def]
                time.sleep(0.05)
                return entry
            server.exact[target] = slow


def _wait_for_threads(db_url: str, at_least: int, process, limit: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the crawl ended early ({process.returncode}): {out}\n{err[-3000:]}")
        try:
            if stored(db_url).total_rows >= at_least:
                return
        except Exception:  # the schema may not exist yet
            pass
        time.sleep(0.2)
    pytest.fail("the crawl stored nothing in time")


def test_sigkill_half_way_then_rerun(db_url: str, tmp_path: Path) -> None:
    kind = "xenforo"
    with LoopbackServer() as server:
        _slow_site(kind, server, 120)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, kind,
                              extra="replies = 5")
        process = start_crawl(config, "forum", args=(
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "HAIRLINK_STORE_BATCH=5"))
        _wait_for_threads(db_url, 10, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed = stored(db_url)
        assert 10 <= killed.total_rows < 120
        assert [r.status for r in killed.runs] == ["running"]
        assert killed.runs[0].finished_at is None

        again = run_crawl(config, "forum")
        assert again.returncode == 0, describe(again)
        db = stored(db_url)
        assert db.total_rows == len(db.threads) == 120  # no duplicates, nothing missing
        assert [r.status for r in db.runs] == ["failed", "finished"]
        assert "ended without finishing" in (db.runs[0].message or "")


def test_sigterm_cancels_gracefully(db_url: str, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        _slow_site("discourse", server, 150)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, "discourse")
        process = start_crawl(config, "forum", args=("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                                                     "-s", "HAIRLINK_STORE_BATCH=5"))
        _wait_for_threads(db_url, 5, process)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 1, err[-3000:]
        line = json.loads(out.strip().splitlines()[-1])
        assert line["status"] == "cancelled"
        db = stored(db_url)
        run = db.runs[-1]
        assert run.status == "cancelled" and run.finished_at is not None
        # What was scraped before the signal was flushed on the way out.
        assert run.items == db.total_rows < 150


@pytest.mark.parametrize("kind", ENGINES)
def test_malformed_pages_are_dropped_and_counted(kind: str, db_url: str,
                                                 tmp_path: Path) -> None:
    threads = make_threads(12, posts_per_thread=3)
    broken, untitled = threads[3], threads[5]
    untitled.title = " "  # the validate pipeline drops it: missing_title
    with LoopbackServer() as server:
        serve(kind, server, threads)
        bad_body = "{not json" if kind == "discourse" else "<html><body>maintenance</body></html>"
        for target in list(server.exact):
            if str(broken.thread_id) in target and ("/t/" in target or "/threads/" in target
                                                    or "viewtopic" in target
                                                    or "showthread" in target):
                server.add(target, bad_body)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, kind)
        result = inprocess.run_crawl(config, "forum")
        assert result.returncode == 0, describe(result)
        db = stored(db_url)
        assert len(db.threads) == 10
        assert str(broken.thread_id) not in db.threads
        assert str(untitled.thread_id) not in db.threads
        run = db.runs[-1]
        malformed = {"discourse": "malformed_topic", "xenforo": "malformed_thread_page",
                     "xenforo1": "malformed_thread_page", "phpbb": "malformed_viewtopic_page",
                     "vbulletin": "no_posts"}[kind]
        assert run.dropped.get(malformed) == 1, run.dropped
        assert run.dropped.get("missing_title") == 1, run.dropped
        assert run.status == "finished" and run.items == 10
