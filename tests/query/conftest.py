"""The query tests' shared fixture: the seeded corpus behind the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.query.seed_posts import Corpus, seed


@pytest.fixture
def cli_db(db_url: str, engine: Engine, session: Session, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Corpus:
    """The seeded corpus, reachable by the CLI through HAIRLINK_DATABASE_URL."""
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return seed(session)
