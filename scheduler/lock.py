"""One scheduler per database.

PostgreSQL: a session-level `pg_try_advisory_lock` on a dedicated connection held for the life
of the service (the server drops it when that connection ends, so a crashed holder frees it).
SQLite: `fcntl.flock` on `<database file>.scheduler.lock`; the kernel releases the lock when
the holding process dies, however it dies. The lock file keeps the holder's pid for messages
and is never deleted (deleting a lock file races with the next holder).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from models.db import make_engine

# A fixed 64-bit advisory lock key: "hairlink.scheduler" hashed, as a signed bigint.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"hairlink.scheduler").digest()[:8], "big",
                              signed=True)


class SchedulerLocked(Exception):
    """Another scheduler already runs on this database."""


def sqlite_lock_path(database_url: str) -> Path | None:
    """The lock file for a SQLite database URL (None: in-memory, nothing to share)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).resolve().with_name(Path(database).name + ".scheduler.lock")


def _key_parts() -> tuple[int, int]:
    unsigned = ADVISORY_KEY & 0xFFFFFFFFFFFFFFFF
    return unsigned >> 32, unsigned & 0xFFFFFFFF


class SchedulerLock:
    """Held while a scheduler runs; `acquire` raises SchedulerLocked if another holds it."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.backend = make_url(database_url).get_backend_name()
        self._fd: int | None = None
        self._engine: Engine | None = None
        self._connection: Connection | None = None

    def acquire(self) -> None:
        """Take the lock or raise SchedulerLocked with who holds it."""
        if self.backend == "postgresql":
            self._acquire_postgres()
        elif self.backend == "sqlite":
            self._acquire_sqlite()
        else:
            raise SchedulerLocked(f"no scheduler lock for {self.backend} databases: use "
                                  f"SQLite or PostgreSQL")

    def _acquire_sqlite(self) -> None:
        path = sqlite_lock_path(self.database_url)
        if path is None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise SchedulerLocked(
                f"another hairlink scheduler is already running on "
                f"{path.with_name(path.name.removesuffix('.scheduler.lock'))} ({holder}); "
                f"stop it first (lock file: {path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, _holder_text().encode(), 0)
        self._fd = fd

    def _acquire_postgres(self) -> None:
        engine = make_engine(self.database_url, poolclass=NullPool,
                             connect_args={"application_name": _application_name()})
        connection = engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": ADVISORY_KEY}).scalar_one()
            connection.commit()  # a session-level lock outlives the transaction
        except BaseException:
            connection.close()
            engine.dispose()
            raise
        if not got:
            holder = postgres_holder(connection) or "holder unknown"
            connection.close()
            engine.dispose()
            url = make_url(self.database_url).render_as_string(hide_password=True)
            raise SchedulerLocked(f"another hairlink scheduler is already running on {url} "
                                  f"({holder}); stop it first")
        self._engine, self._connection = engine, connection

    def still_held(self) -> bool:
        """False if the PostgreSQL connection holding the lock was lost."""
        if self._connection is None:
            return self._fd is not None or self.backend == "sqlite"
        try:
            self._connection.execute(text("SELECT 1")).scalar_one()
            self._connection.commit()
        except Exception:
            return False
        return True

    def release(self) -> None:
        """Give the lock back (dying does it too)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": ADVISORY_KEY})
                self._connection.commit()
            except Exception:
                pass  # a closed connection has released it already
            self._connection.close()
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> SchedulerLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _application_name() -> str:
    return f"hairlink-scheduler pid={os.getpid()} host={socket.gethostname()}"[:63]


def _holder_text() -> str:
    started = datetime.now(UTC).isoformat(timespec="seconds")
    return f"pid {os.getpid()} on {socket.gethostname()}, since {started}"


def postgres_holder(connection: Connection) -> str | None:
    """Who holds the scheduler's advisory lock on this PostgreSQL database, if anyone."""
    high, low = _key_parts()
    row = connection.execute(text(
        "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :high "
        "AND l.objid = :low AND l.objsubid = 1 AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())"),
        {"high": high, "low": low}).first()
    connection.rollback()
    if row is None:
        return None
    name, addr, since = row
    since_text = since.isoformat(timespec="seconds") if since else "?"
    return f"{name or 'a client'} from {addr or 'local socket'}, since {since_text}"


def lock_holder(database_url: str) -> str | None:
    """A description of the running scheduler on this database, or None if there is none."""
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        path = sqlite_lock_path(database_url)
        if path is None or not path.exists():
            return None
        fd = os.open(path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return os.read(fd, 200).decode("utf-8", "replace").strip() or "running"
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)
    if backend == "postgresql":
        engine = make_engine(database_url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return postgres_holder(connection)
        finally:
            engine.dispose()
    return None
