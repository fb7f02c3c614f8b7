"""`hairlink thread ID` and the checks `hairlink serve` makes before it serves."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from hairlink.app import app
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.db import make_engine, session_factory
from models.migrate import upgrade
from tests.query.seed_posts import Corpus
from tests.web.corpus import seed_web

runner = CliRunner()


@pytest.fixture
def cli_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    engine = make_engine(db_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        corpus = seed_web(session)
    engine.dispose()
    return corpus


def test_thread_table_shows_the_whole_thread(cli_db: Corpus) -> None:
    result = runner.invoke(app, ["thread", str(cli_db.threads["oral"])], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # Rich wraps long lines at the console width
    assert "Oral vs topical minoxidil after 6 months" in out
    assert "257 upvotes" in out and "tressless in Progress Pictures" in out
    assert "https://forum.example/t/r1" in out
    assert "citation 0.90 doi:10.1001/jamadermatol.2024.0284" in out
    assert "identifier: doi:10.1001/jamadermatol.2024.0284" in out
    assert "2 stored replies" in out and "[12] Same here, crown filled in." in out
    assert "treatments: minoxidil ×1" in out


def test_thread_errors(cli_db: Corpus) -> None:
    result = runner.invoke(app, ["thread", "999999"])
    assert result.exit_code == 2 and "no thread with id 999999" in result.output
    result = runner.invoke(app, ["thread", "1", "--format", "xml"])
    assert result.exit_code == 2 and "--format" in result.output


def test_serve_wants_an_upgraded_database(engine: Engine, db_url: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:  # a database last migrated by an older hairlink
        conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version "
                          "(version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0002topic')"))
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["serve", "--port", "0"])
    assert result.exit_code != 0 and "hairlink init" in result.output


def test_serve_reports_a_port_in_use(cli_db: Corpus) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
