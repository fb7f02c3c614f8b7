"""Memo of the web view's aggregates (treatment counts and outcomes, the most discussed
studies, a study's counts, chart and research), keyed by a data version: on a large database
they cost tens to hundreds of milliseconds, and they change only when something writes.

`DataVersion` answers a token that changes whenever another connection commits:
- SQLite: `PRAGMA data_version` on a connection of its own (SQLite changes it when any other
  connection, of this process or another, commits to the file);
- PostgreSQL: the transaction snapshot (`txid_current_snapshot()`: its xmax moves when a
  writing transaction starts, its in-progress list changes when one ends; read-only
  transactions take no id), read in the request's own session before anything else.
Other databases (and a SQLite file the probe cannot open) get a token that changes every
`fallback_seconds`.

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
        # One tuple per version, shared by every entry kept at it (once the collector has
        # seen it, it and the entries holding it are left out of its passes).
        self._token: tuple[str, int] = ("sqlite", 0)
        database = engine.url.database
        if self.dialect == "sqlite" and database and database != ":memory:" and \
                not database.startswith("file:"):
            try:
                self._probe = sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                              check_same_thread=False, isolation_level=None)
                self._probe.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:  # cannot open it so: versions by the clock instead
                self._probe = None

    def current(self, session: Session) -> Hashable:
        """The version now; call it before `session` reads anything else."""
        if self._probe is not None:
            with self._lock:
                value = self._probe.execute("PRAGMA data_version").fetchone()[0]
                if value != self._seen:
                    self._seen = value
                    self._generation += 1
                    self._token = ("sqlite", self._generation)
                return self._token
        if self.dialect == "postgresql":
            return ("pg", session.scalar(text("SELECT txid_current_snapshot()::text")))
        return ("time", int(time.monotonic() // self.fallback_seconds))

    def close(self) -> None:
        """Close the SQLite probe connection."""
        with self._lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None


# A kept value: (version, computed_at, value). A plain tuple, which the garbage collector
# stops tracking once everything in it is untracked (numbers, strings, tuples of them; not
# so a NamedTuple): its full passes then do not walk the thousands of kept cards.
_Entry = tuple[Hashable, float, Any]


class VersionedCache:
    """At most `size` values, the least recently used dropped first; safe across request
    threads. Each value is kept with the data version it was computed at and is reused while
    the version is the same; after a write it may still be reused for `stale_seconds`
    (whole-table aggregates that take seconds on a large database, while a crawl commits
    every few seconds). One thread computes a missing value while others wanting it wait."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, version: Hashable, compute: Callable[[], T],
            stale_seconds: float = 0.0) -> T:
        """The value for `key` at `version` (or computed within `stale_seconds`), computed
        by `compute()` otherwise."""
        found = self._fresh(key, version, stale_seconds)
        if found is not None:
            return found[2]  # type: ignore[no-any-return]
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            found = self._fresh(key, version, stale_seconds)  # computed while we waited?
            if found is not None:
                return found[2]  # type: ignore[no-any-return]
            started = time.monotonic()
            value = compute()
            self._store(key, (version, started, value), computed=True)
        return value

    def find(self, key: Hashable, version: Hashable) -> Any:
        """The value stored for `key` at exactly `version`, else None (nothing computed)."""
        found = self._fresh(key, version, 0.0)
        return None if found is None else found[2]

    def put(self, key: Hashable, version: Hashable, value: Any) -> None:
        """Store `value` for `key` at `version` (the least recently used dropped past
        `size`)."""
        self._store(key, (version, time.monotonic(), value))

    def _store(self, key: Hashable, entry: _Entry, computed: bool = False) -> None:
        """Keep `entry` as the most recently used; `computed`: by `get`, whose per-key
        lock is released."""
        with self._lock:
            self._values[key] = entry
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
            if computed:
                self._computing.pop(key, None)

    def _fresh(self, key: Hashable, version: Hashable, stale_seconds: float) -> _Entry | None:
        with self._lock:
            entry = self._values.get(key)
            if entry is None or (entry[0] != version and
                                 time.monotonic() - entry[1] >= stale_seconds):
                return None
            self._values.move_to_end(key)
            return entry

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()
