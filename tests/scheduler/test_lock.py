"""One scheduler per database: a second one is refused; a crashed holder frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler.lock import SchedulerLock, SchedulerLocked, lock_holder, sqlite_lock_path
from tests.scheduler.helpers import wait_for

HOLD = """
import sys, time
from scheduler.lock import SchedulerLock
lock = SchedulerLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_second_lock_on_the_same_database_is_refused(db_url: str) -> None:
    with SchedulerLock(db_url):
        with pytest.raises(SchedulerLocked) as info:
            SchedulerLock(db_url).acquire()
        assert "already running" in str(info.value)
        assert f"pid {os.getpid()}" in str(info.value) or f"pid={os.getpid()}" in str(info.value)
        assert lock_holder(db_url) is not None
    assert lock_holder(db_url) is None
    with SchedulerLock(db_url):  # released: can be taken again
        pass


def test_other_sqlite_databases_do_not_conflict(tmp_path: Path) -> None:
    with SchedulerLock(f"sqlite:///{tmp_path / 'a.db'}"), \
            SchedulerLock(f"sqlite:///{tmp_path / 'b.db'}"):
        assert sqlite_lock_path(f"sqlite:///{tmp_path / 'a.db'}") == tmp_path / \
            "a.db.scheduler.lock"


def test_in_memory_sqlite_needs_no_lock() -> None:
    assert sqlite_lock_path("sqlite://") is None
    with SchedulerLock("sqlite://"), SchedulerLock("sqlite:///:memory:"):
        pass


def test_a_killed_holder_frees_the_lock(db_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db_url], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(SchedulerLocked) as info:
            SchedulerLock(db_url).acquire()
        assert str(holder.pid) in str(info.value)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    lock = SchedulerLock(db_url)

    def taken() -> bool:
        try:
            lock.acquire()
        except SchedulerLocked:
            time.sleep(0.2)
            return False
        return True

    wait_for(taken, 10)
    assert lock.still_held()
    lock.release()


def test_a_second_path_to_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    from models.db import make_engine
    from models.migrate import upgrade

    first = tmp_path / "a" / "h.db"
    first.parent.mkdir()
    engine = make_engine(f"sqlite:///{first}")
    upgrade(engine)
    engine.dispose()
    (tmp_path / "b").mkdir()
    linked = tmp_path / "b" / "hard.db"
    os.link(first, linked)  # another name for the same file: another lock file
    with SchedulerLock(f"sqlite:///{first}"):
        with pytest.raises(SchedulerLocked) as info:
            SchedulerLock(f"sqlite:///{linked}").acquire()
        assert "another path to the same file" in str(info.value)
        assert f"pid {os.getpid()}" in str(info.value)
        assert lock_holder(f"sqlite:///{linked}") is not None
    assert lock_holder(f"sqlite:///{linked}") is None
    with SchedulerLock(f"sqlite:///{linked}"):  # released: the other path may take it now
        pass


def test_a_dead_holder_recorded_in_the_database_is_taken_over(tmp_path: Path) -> None:
    from models.db import make_engine
    from models.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, url], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()  # its row stays behind in the database
    holder.wait(timeout=10)
    os.link(tmp_path / "h.db", tmp_path / "other.db")
    with SchedulerLock(f"sqlite:///{tmp_path / 'other.db'}"):
        pass
