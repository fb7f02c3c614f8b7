"""Memo of the web view's aggregates (treatment counts and outcomes, the most discussed
studies, a study's counts, chart and research), keyed by a data version: on a large database
they cost tens to hundreds of milliseconds, and they change only when something writes.

`DataVersion` answers a token that changes whenever another connection commits:
- SQLite: `PRAGMA data_version` on a connection of its own (SQLite changes it when any other
  connection, of this process or another, commits to the file);
- PostgreSQL: the transaction snapshot (`txid_current_snapshot()`: its xmax moves when a
  writing transaction starts, its in-progress list changes when one ends; read-only
  transactions take no id), read in the request's own session before anything else.
Other databases get a token that changes every `fallback_seconds`.

Probe the version before the session reads anything else: a value computed afterwards is then
at least as new as its key, so a cached value is never older than the data it is keyed by.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

T = TypeVar("T")


class DataVersion:
    """A token that changes whenever the database behind `engine` may have changed."""

    def __init__(self, engine: Engine, fallback_seconds: float = 60.0) -> None:
        self.dialect = engine.dialect.name
        self.fallback_seconds = fallback_seconds
        self._lock = threading.Lock()
        self._probe: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._generation = 0
        database = engine.url.database
        if self.dialect == "sqlite" and database and database != ":memory:" and \
                not database.startswith("file:"):
            self._probe = sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                          check_same_thread=False, isolation_level=None)

    def current(self, session: Session) -> Hashable:
        """The version now; call it before `session` reads anything else."""
        if self._probe is not None:
            with self._lock:
                value = self._probe.execute("PRAGMA data_version").fetchone()[0]
                if value != self._seen:
                    self._seen = value
                    self._generation += 1
                return ("sqlite", self._generation)
        if self.dialect == "postgresql":
            return ("pg", session.scalar(text("SELECT txid_current_snapshot()::text")))
        return ("time", int(time.monotonic() // self.fallback_seconds))

    def close(self) -> None:
        """Close the SQLite probe connection."""
        with self._lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None


class VersionedCache:
    """At most `size` values, the least recently used dropped first; safe across request
    threads. Keys carry the data version, so a write makes every older value unreachable.
    Two threads missing the same key at once may both compute it (no lock held meanwhile)."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, computed by `compute()` when absent."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()
