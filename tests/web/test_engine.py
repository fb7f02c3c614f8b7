"""The web view's bounds (hairlink.web.engine): a pool of exactly the request threads'
connections, none opened beyond it, SQLite's page cache set on every connection, and the
app running at most that many pages at once; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from anyio import to_thread
from sqlalchemy import Engine, exc, text

from hairlink.web import create_app
from hairlink.web.engine import REQUEST_THREADS, SQLITE_CACHE_KIB, web_engine
from models.db import read_only
from models.migrate import upgrade


@pytest.fixture
def bounded(db_url: str) -> Iterator[Engine]:
    """A web engine of three connections that waits 0.2 s at most for one."""
    engine = web_engine(db_url, threads=3, wait_seconds=0.2)
    yield engine
    engine.dispose()


def test_the_pool_holds_the_request_threads_connections_and_no_more(bounded: Engine) -> None:
    held = [bounded.connect() for _ in range(3)]
    try:
        assert bounded.pool.size() == 3  # type: ignore[attr-defined]
        with pytest.raises(exc.TimeoutError):  # no fourth connection, however long
            bounded.connect()
        held.pop().close()
        with bounded.connect() as conn:  # a returned one is reused
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        for conn in held:
            conn.close()
    assert bounded.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_every_sqlite_connection_gets_the_web_page_cache(tmp_path: Path) -> None:
    engine = web_engine(f"sqlite:///{tmp_path / 'web.db'}", threads=3)
    held = [read_only(engine).connect() for _ in range(3)]  # as the app reads: no write lock
    try:
        sizes = [conn.exec_driver_sql("PRAGMA cache_size").scalar() for conn in held]
        journal = held[0].exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        for conn in held:
            conn.close()
        engine.dispose()
    assert sizes == [-SQLITE_CACHE_KIB] * 3  # negative: KiB, not pages
    assert journal == "wal"  # hairlink's own connection settings still apply


def test_the_app_runs_at_most_its_request_threads_at_once(db_url: str) -> None:
    engine = web_engine(db_url)
    upgrade(engine)
    assert engine.pool.size() == REQUEST_THREADS  # type: ignore[attr-defined]
    app = create_app(engine)

    async def tokens_while_serving() -> float:
        async with app.router.lifespan_context(app):
            return to_thread.current_default_thread_limiter().total_tokens

    try:
        assert anyio.run(tokens_while_serving) == REQUEST_THREADS
        assert REQUEST_THREADS < 40  # anyio's default, which the pool was smaller than
    finally:
        app.state.version.close()
        engine.dispose()


def test_a_worker_process_serves_with_a_bounded_engine(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from hairlink.web.server import WORKER_DATABASE_ENV, worker_app

    monkeypatch.setenv(WORKER_DATABASE_ENV, db_url)
    before = gc.get_threshold()
    app = worker_app()
    engine = app.state.engine
    try:
        held = [read_only(engine).connect() for _ in range(REQUEST_THREADS)]
        assert engine.pool.size() == REQUEST_THREADS
        assert engine.pool.overflow() == 0  # all of the pool, none beyond it
        if engine.dialect.name == "sqlite":
            assert held[-1].exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
        for conn in held:
            conn.close()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        app.state.version.close()
        engine.dispose()
