"""The web view's aggregate cache: a data version that moves with every write by another
connection, values reused only for their version (or a stale window), one computation at a
time per key."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

from sqlalchemy import text

from hairlink.web.cache import DataVersion, VersionedCache
from models.db import make_engine, session_factory


def test_sqlite_data_version_moves_with_each_commit_of_another_connection(
        tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    version = DataVersion(engine)
    with session_factory(engine)() as session:
        first = version.current(session)
        assert version.current(session) == first  # nothing written
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with session_factory(engine)() as session:
        second = version.current(session)
        assert second != first and version.current(session) == second
    version.close()
    engine.dispose()


def test_values_are_kept_per_version_and_for_the_stale_window() -> None:
    cache = VersionedCache(size=2)
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    assert cache.get("k", 1, lambda: compute("a")) == "a"
    assert cache.get("k", 1, lambda: compute("b")) == "a"  # same version: reused
    assert cache.get("k", 2, lambda: compute("c")) == "c"  # a write: recomputed
    assert cache.get("k", 3, lambda: compute("d"), stale_seconds=60) == "c"  # in the window
    assert cache.get("k", 3, lambda: compute("e"), stale_seconds=0) == "e"
    cache.get("x", 3, lambda: compute("x"))
    cache.get("y", 3, lambda: compute("y"))
    assert len(cache) == 2 and cache.get("k", 3, lambda: compute("f")) == "f"  # evicted
    assert calls == ["a", "c", "e", "x", "y", "f"]


def test_one_thread_computes_a_missing_value_while_the_others_wait() -> None:
    cache = VersionedCache()
    calls = 0
    lock = threading.Lock()

    def slow() -> int:
        nonlocal calls
        with lock:
            calls += 1
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", 1, slow)))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 6 and calls == 1


def test_entries_of_plain_values_are_left_out_of_garbage_collection() -> None:
    """A kept card (a str at a version tuple) leaves nothing for the collector's full
    passes to walk once a collection has looked at it."""
    cache = VersionedCache(size=10)
    for i in range(5):
        cache.put(("card", i, "topic", True, "3 days ago"), ("sqlite", 7), f"<article>{i}")
    gc.collect()
    tracked = [v for v in gc.get_objects() if isinstance(v, tuple) and len(v) == 3
               and isinstance(v[2], str) and v[2].startswith("<article>")]
    assert tracked == []
    assert cache.find(("card", 3, "topic", True, "3 days ago"), ("sqlite", 7)) == "<article>3"


def test_a_server_process_freezes_its_startup_heap() -> None:
    from hairlink.web.server import GC_YOUNG_THRESHOLD, settle_heap

    before = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
