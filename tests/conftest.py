"""Shared fixtures: every `db_url` test runs on SQLite and, when configured, PostgreSQL.

Set HAIRLINK_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run
the PostgreSQL half; each test session creates and drops its own database on that server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from models.db import make_engine, normalise_url, session_factory
from models.entities import Base

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALDATA = SHARED / "realdata"
EVAL = SHARED / "eval"
POSTGRES_ENV = "HAIRLINK_TEST_POSTGRES_URL"


def realdata(*parts: str) -> Path:
    """A file of ../shared/realdata; skips the test when the folder is absent."""
    path = REALDATA.joinpath(*parts)
    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present")
    return path


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session (dropped at the end)."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    admin_url = make_url(normalise_url(base))
    name = f"hairlink_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file, or this session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_server_url")
    _reset_postgres(url)
    return url


def init_database(url: str) -> str:
    """Migrate `url`'s database to the head revision, as `hairlink init` does (crawls,
    imports and every other command only check the schema); returns `url`."""
    from models.migrate import upgrade

    eng = make_engine(url)
    try:
        upgrade(eng)
    finally:
        eng.dispose()
    return url


@pytest.fixture
def ready_db_url(db_url: str) -> str:
    """`db_url` initialised as `hairlink init` leaves it (schema at the head revision)."""
    return init_database(db_url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine with hairlink's schema created from the models, stamped at the head
    revision (as `hairlink init` leaves it, so commands accept the database)."""
    eng = make_engine(db_url)
    Base.metadata.create_all(eng)
    stamp_head(eng)
    yield eng
    eng.dispose()


def stamp_head(engine: Engine) -> None:
    """Record the head revision in `engine`'s database (its tables made from the models)."""
    from alembic import command

    from models.migrate import alembic_config

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.stamp(cfg, "head")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database; the test commits what it needs."""
    with session_factory(engine)() as sess:
        yield sess


@pytest.fixture(autouse=True)
def _salts_in_tmp(monkeypatch: pytest.MonkeyPatch,
                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """Author salts of PostgreSQL test databases go to a temporary directory of this test
    (the session's database is reused, its salt must not be), not the user's config
    directory (SQLite ones sit next to their database file)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
