"""Fixtures of the route tests: a migrated database, the seeded web corpus (with the CLI
pointed at it), and a TestClient of the app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hairlink.web import create_app
from models.db import make_engine, session_factory
from models.migrate import upgrade
from tests.query.seed_posts import Corpus
from tests.web.corpus import seed_web
from tests.web.pages import TestClient


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A database built by the migrations (as `hairlink init` builds it)."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def corpus(db_url: str, engine: Engine, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Corpus:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    with session_factory(engine)() as session:
        return seed_web(session)


@pytest.fixture
def client(engine: Engine, corpus: Corpus) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as test_client:
        yield test_client
