"""One scheduler per database.

PostgreSQL: a session-level `pg_try_advisory_lock` on a dedicated connection held for the life
of the service (the server drops it when that connection ends, so a crashed holder frees it).
SQLite: `fcntl.flock` on `<database file>.scheduler.lock`; the kernel releases the lock when
the holding process dies, however it dies. The lock file keeps the holder's pid for messages
and is never deleted (deleting a lock file races with the next holder). A lock file keys on
the path, so the holder also claims the database itself: the `meta` row `scheduler_holder`
(pid, process start time, host), written with a compare-and-set. A second path to the same
file (a hard link, another mount, a symlinked directory) reaches the same row and is refused
while that process lives; a dead holder's row (its pid gone or reused) is taken over.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import psutil
from sqlalchemy import Connection, Engine, delete, inspect, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from models.db import make_engine
from models.entities import Meta

# A fixed 64-bit advisory lock key: "hairlink.scheduler" hashed, as a signed bigint.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"hairlink.scheduler").digest()[:8], "big",
                              signed=True)


HOLDER_KEY = "scheduler_holder"


class SchedulerLocked(Exception):
    """Another scheduler already runs on this database."""


def _this_process() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "created": psutil.Process().create_time(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "token": secrets.token_hex(8)}  # two locks of one process differ too


def _holder_alive(holder: dict[str, Any]) -> bool:
    """The process a holder row names still runs (another host's: assumed to)."""
    if holder.get("host") != socket.gethostname():
        return True
    try:
        process = psutil.Process(int(holder["pid"]))
        return abs(process.create_time() - float(holder["created"])) < 1.0 and \
            process.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.ZombieProcess, KeyError, TypeError, ValueError):
        return False
    except psutil.AccessDenied:
        return True


def _describe(holder: dict[str, Any]) -> str:
    return f"pid {holder.get('pid')} on {holder.get('host')}, since {holder.get('since')}"


def database_holder(engine: Engine) -> dict[str, Any] | None:
    """The live scheduler recorded inside the database, if any."""
    if not inspect(engine).has_table(Meta.__tablename__):
        return None
    with engine.connect() as connection:
        raw = connection.execute(select(Meta.value).where(Meta.key == HOLDER_KEY)).scalar()
    holder = _parse(raw)
    return holder if holder is not None and _holder_alive(holder) else None


def _parse(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def claim_database(engine: Engine, me: dict[str, Any]) -> None:
    """Record `me` as the database's scheduler (compare-and-set), or raise SchedulerLocked
    naming the live holder. No-op on an empty database (no `meta` table yet)."""
    if not inspect(engine).has_table(Meta.__tablename__):
        return
    mine = json.dumps(me, sort_keys=True)
    for _attempt in range(5):
        with engine.begin() as connection:
            raw = connection.execute(
                select(Meta.value).where(Meta.key == HOLDER_KEY)).scalar()
            holder = _parse(raw)
            if raw == mine:
                return
            if holder is not None and _holder_alive(holder):
                raise SchedulerLocked(
                    f"another hairlink scheduler is already running on this database "
                    f"({_describe(holder)}), reached through another path to the same "
                    f"file; stop it first")
            if raw is None:
                stmt = sqlite_insert(Meta).values(key=HOLDER_KEY, value=mine)
                done = connection.execute(
                    stmt.on_conflict_do_nothing(index_elements=[Meta.key])).rowcount
            else:
                done = connection.execute(
                    update(Meta).where(Meta.key == HOLDER_KEY, Meta.value == raw)
                    .values(value=mine)).rowcount
        if done:
            return
    raise SchedulerLocked("could not record this scheduler in the database (contention)")


def release_database(engine: Engine, me: dict[str, Any]) -> None:
    """Remove this process's holder row (another's is left alone)."""
    if not inspect(engine).has_table(Meta.__tablename__):
        return
    with engine.begin() as connection:
        connection.execute(delete(Meta).where(Meta.key == HOLDER_KEY,
                                              Meta.value == json.dumps(me, sort_keys=True)))


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
        self._me: dict[str, Any] | None = None
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
        try:
            self.claim_database()
        except BaseException:
            self.release()
            raise

    def claim_database(self) -> None:
        """(SQLite) Record this scheduler inside the database, so another path to the same
        file is refused too. Called again once the schema exists (a no-op before)."""
        if self.backend != "sqlite" or sqlite_lock_path(self.database_url) is None:
            return
        if self._me is None:
            self._me = _this_process()
        engine = make_engine(self.database_url, poolclass=NullPool)
        try:
            claim_database(engine, self._me)
        finally:
            engine.dispose()

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
        if self._me is not None:
            engine = make_engine(self.database_url, poolclass=NullPool)
            try:
                release_database(engine, self._me)
            except Exception:
                pass  # a dead holder's row is taken over anyway
            finally:
                engine.dispose()
            self._me = None
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
        if path is None:
            return None
        if not path.exists():
            return _sqlite_database_holder(database_url)
        fd = os.open(path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return os.read(fd, 200).decode("utf-8", "replace").strip() or "running"
            fcntl.flock(fd, fcntl.LOCK_UN)
            return _sqlite_database_holder(database_url)
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


def _sqlite_database_holder(database_url: str) -> str | None:
    """The live scheduler recorded in the database (it may use another path to the file)."""
    engine = make_engine(database_url, poolclass=NullPool)
    try:
        holder = database_holder(engine)
    except Exception:
        return None
    finally:
        engine.dispose()
    return _describe(holder) if holder is not None else None
