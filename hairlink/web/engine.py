"""The web view's database engine and request threads, with explicit bounds: a server
process holds at most REQUEST_THREADS database connections, and on SQLite each keeps at
most SQLITE_CACHE_KIB of page cache and SQLITE_STATEMENTS prepared statements, whatever
the load (docs/web.md, "Memory").

Starlette runs each page function in a thread of anyio's pool (40 threads unless told), and
a page holds one pooled connection while it runs. SQLAlchemy's default pool keeps 5
connections and opens up to 10 more while more pages run at once, closing each extra one
when it is returned: on SQLite each new one filled a fresh 2 MB page cache and prepared its
statements again (one benchmark worker opened 92 connections to keep 8 busy), and the
resident memory grew with every new peak. Here the threads and the pool are sized
together: at most REQUEST_THREADS pages run at once in a process (more requests wait for a
thread), the pool keeps that many connections and opens no others (so a page never waits
for one), and the operating system's file cache, shared by every process, holds the rest
of a SQLite database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from models.db import make_engine

# Pages a server process computes at once (its request threads) and its pooled connections.
# A process computes on one core at a time (the GIL), so more threads add no throughput;
# eight let a slow page (a cold whole-table aggregate) run beside quick ones.
REQUEST_THREADS = 8
# Page cache of each SQLite connection of the web view (PRAGMA cache_size, KiB). SQLite's
# default is 2,000 KiB; in process, 512, 1,024 and 2,000 KiB cost the same CPU a request
# on the 1M-thread database (the OS file cache serves the pages a connection misses).
SQLITE_CACHE_KIB = 1024
# Prepared statements each SQLite connection keeps (the sqlite3 module's LRU, 128 unless
# told; ~9 KB each here). The web view's statements differ in the length of their IN lists
# (a page's thread ids: ~120 texts after 3,000 requests), so with 128 every connection
# slowly fills to ~1.2 MB; with 32 the CPU a request is the same in process.
SQLITE_STATEMENTS = 32


def _sqlite_cache(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_CACHE_KIB)}")  # negative: KiB
    cursor.close()


def web_engine(url: str, threads: int = REQUEST_THREADS, wait_seconds: float = 30.0) -> Engine:
    """An engine for the web view of `url`: a pool of at most `threads` connections (none
    opened beyond them; a checkout waits up to `wait_seconds` for one, which the app's
    request threads never make it do), each SQLite connection with a SQLITE_CACHE_KIB page
    cache and SQLITE_STATEMENTS prepared statements."""
    sqlite = make_url(url).get_backend_name() == "sqlite"
    connect_args = {"cached_statements": SQLITE_STATEMENTS} if sqlite else {}
    engine = make_engine(url, pool_size=threads, max_overflow=0,
                         pool_timeout=wait_seconds, connect_args=connect_args)
    if sqlite:
        event.listen(engine, "connect", _sqlite_cache)
    return engine


def thread_lifespan(threads: int) -> Any:
    """A Starlette lifespan that runs at most `threads` page functions at once in this
    process (anyio's default thread limiter, which Starlette's sync routes use)."""

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan
