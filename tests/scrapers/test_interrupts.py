"""Ctrl-C and SIGTERM on `hairlink crawl`: the children get one SIGTERM, flush what they
hold and end `cancelled`; the parent waits and exits 130 / 143; no process is left over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest

from scrapers.loopback import LoopbackServer, Request
from tests.scrapers.crawlkit import ROOT, crawl_env, stored, write_config
from tests.scrapers.fake_threads import make_threads
from tests.scrapers.sites import serve

pytestmark = pytest.mark.slow


def _slow_forum(server: LoopbackServer, pause: float = 0.15) -> None:
    serve("discourse", server, make_threads(80, posts_per_thread=3,
                                            age_step=timedelta(hours=3)))
    for target, entry in list(server.exact.items()):
        if target.startswith("/t/"):
            def slow(request: Request, entry=entry):  # type: ignore[no-untyped-def]
                time.sleep(pause)
                return entry
            server.exact[target] = slow


def _crawl_processes(config: Path) -> list[psutil.Process]:
    """Processes whose command line names this test's config (the crawl children)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if str(config) in " ".join(process.info["cmdline"] or []) and \
                    process.pid != os.getpid():
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@pytest.mark.parametrize(("signum", "code", "to_group"), [
    (signal.SIGINT, 130, True),    # Ctrl-C in a terminal: the whole foreground group
    (signal.SIGTERM, 143, False),  # `timeout`, a service manager: the parent only
])
def test_interrupted_crawl_is_cancelled_flushed_and_leaves_nothing(
        signum: int, code: int, to_group: bool, db_url: str, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        _slow_forum(server)
        config = write_config(tmp_path / "h.toml", db_url, server.base_url, "discourse",
                              extra="delay = 0\nconcurrency = 2")
        _init(db_url)  # `hairlink crawl` checks the schema; `hairlink init` makes it
        # Items stay buffered in the store pipeline until the spider closes.
        argv = [sys.executable, "-m", "hairlink", "--config", str(config), "crawl", "forum",
                "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "HAIRLINK_PROGRESS_SECONDS=0.2",
                "-s", "HAIRLINK_STORE_FLUSH_SECONDS=600", "-s", "HAIRLINK_STORE_BATCH=10000"]
        parent = subprocess.Popen(argv, cwd=ROOT, env=crawl_env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                runs = _runs(db_url)
                if runs and runs[-1].items >= 5 and runs[-1].pid:
                    break
                assert parent.poll() is None, parent.communicate()
                time.sleep(0.2)
            else:
                pytest.fail("the crawl never got going")
            assert stored(db_url).total_rows == 0  # everything so far is buffered
            child_pid = runs[-1].pid
            assert psutil.pid_exists(child_pid)
            if to_group:
                os.killpg(parent.pid, signum)
            else:
                parent.send_signal(signum)
            out, err = parent.communicate(timeout=60)
        finally:
            if parent.poll() is None:
                parent.kill()
                parent.wait()
    assert parent.returncode == code, out + err[-3000:]
    [run] = _runs(db_url)
    db = stored(db_url)
    assert run.status == "cancelled", run.message
    assert f"interrupted by {signal.Signals(signum).name}" in (run.message or "")
    assert 5 <= run.items < 80
    assert db.total_rows == run.items  # every scraped item was flushed, none lost
    assert "cancelled" in err and f"{run.items} items" in err
    assert not psutil.pid_exists(child_pid) or \
        psutil.Process(child_pid).status() == psutil.STATUS_ZOMBIE
    assert _crawl_processes(config) == []


def _init(db_url: str) -> None:
    from models.db import make_engine
    from models.migrate import upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()


def _runs(db_url: str):  # type: ignore[no-untyped-def]
    try:
        return stored(db_url).runs
    except Exception:  # the schema may not exist yet
        return []


def test_hairlink_crawl_has_a_time_limit(db_url: str, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        # 80 thread pages of 2 s each: past the 8 s limit on a fast, quiet machine even if
        # the downloader fetched 16 at once.
        _slow_forum(server, pause=2.0)
        config = write_config(tmp_path / "h.toml", db_url, server.base_url, "discourse",
                              extra="delay = 0\nconcurrency = 1")
        _init(db_url)
        argv = [sys.executable, "-m", "hairlink", "--config", str(config), "crawl", "forum",
                "--time-limit", "8s", "-s", "AUTOTHROTTLE_ENABLED=0",
                "-s", "HAIRLINK_STORE_FLUSH_SECONDS=600"]
        started = time.monotonic()
        result = subprocess.run(argv, cwd=ROOT, env=crawl_env(), capture_output=True,
                                text=True, timeout=120)
        took = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    [run] = _runs(db_url)
    assert run.status == "cancelled" and "time limit of 8s reached" in (run.message or "")
    assert run.items < 80 and stored(db_url).total_rows == run.items
    assert took < 60
    bad = subprocess.run([sys.executable, "-m", "hairlink", "--config", str(config), "crawl",
                          "forum", "--time-limit", "soon"], cwd=ROOT, env=crawl_env(),
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--time-limit" in bad.stderr
