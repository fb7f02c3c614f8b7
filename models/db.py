"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Seconds a PostgreSQL connection attempt may take: a server that is down or a host that
# drops packets fails in seconds, not after the TCP timeout (the URL's own
# `?connect_timeout=N` wins).
POSTGRES_CONNECT_TIMEOUT = 10


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy own BEGIN so transactions are real (pysqlite's legacy mode defers them).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, waiting up to the busy timeout. A deferred
    # transaction that reads and then writes fails at once with "database is locked" when
    # another process committed in between (WAL cannot upgrade a stale read snapshot).
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


_BEGIN_OPTION = "hairlink_sqlite_begin"


def read_only(engine: Engine) -> Engine:
    """The same engine for long read-only work: on SQLite its transactions take no write
    lock, so crawls and imports can write meanwhile (elsewhere nothing changes)."""
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def is_in_memory(url: str) -> bool:
    """Is `url` an in-memory SQLite database (`sqlite://`, `sqlite:///:memory:`), which
    lives only as long as the process?"""
    try:
        parsed = make_url(normalise_url(url))
    except Exception:  # a malformed URL: make_engine names the problem
        return False
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or parsed.query.get("mode") == "memory"
        or database.startswith("file::memory:"))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url` with hairlink's connection settings."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT)
        kwargs["connect_args"] = connect_args
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        if exc.name and "psycopg" in exc.name:
            raise  # the CLI names the extra that installs it: hairlink[postgres]
        raise ArgumentError(f"no driver for {parsed.drivername} URLs: the module {exc.name!r} "
                            "is not installed (hairlink uses sqlite:///path or "
                            "postgresql://...)") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to `engine` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with session_factory(engine).begin() as session:
        yield session
