from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from models.db import make_engine
from models.entities import Base
from models.migrate import current_revision, head_revision, include_name, upgrade


def test_upgrade_empty_database_then_autogenerate_finds_no_difference(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # a second run is a no-op
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "include_name": include_name})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_apscheduler_table_is_ignored_by_autogenerate(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY)"))
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(ctx, Base.metadata) == []
        assert "apscheduler_jobs" in inspect(conn).get_table_names()
    engine.dispose()


def test_sqlite_connections_get_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two connections that each read then write: the second waits (busy timeout) and
    succeeds, where a deferred BEGIN would fail with 'database is locked'."""
    import threading

    from models.db import read_only

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    first_read = threading.Event()
    errors: list[Exception] = []

    def writer(delay: float) -> None:
        try:
            with engine.begin() as conn:
                conn.execute(text("SELECT count(*) FROM t")).scalar()
                first_read.set()
                import time

                time.sleep(delay)
                conn.execute(text("INSERT INTO t VALUES (1)"))
        except Exception as exc:  # pragma: no cover - the failure this test guards against
            errors.append(exc)

    a = threading.Thread(target=writer, args=(0.5,))
    a.start()
    first_read.wait(5)
    writer(0.0)
    a.join()
    with read_only(engine).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 2
    engine.dispose()
    assert errors == []
