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
