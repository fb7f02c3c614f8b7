from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hairlink.app import app
from hairlink.cli import main  # noqa: F401  (registers every command)

runner = CliRunner()


def test_version_and_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("hairlink ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "init" in result.output and "sources" in result.output


def test_init_then_sources(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    cfg = tmp_path / "h.toml"
    cfg.write_text('[[sources]]\nname = "hlt"\nkind = "discourse"\n'
                   'base_url = "http://127.0.0.1:9/"\nevery = "1h"\n')
    result = runner.invoke(app, ["--config", str(cfg), "init"])
    assert result.exit_code == 0, result.output
    assert "upgraded: empty ->" in result.output
    assert "35 treatments from the lexicon" in result.output
    result = runner.invoke(app, ["--config", str(cfg), "init"])
    assert "up to date" in result.output
    result = runner.invoke(app, ["--config", str(cfg), "sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"name": "hlt"' in result.output and '"last_status": null' in result.output


def test_bad_config_exits_2_naming_file_source_and_key(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[sources]]\nname = "hlt"\nkind = "discourse"\nbase_url = "nope"\n')
    result = runner.invoke(app, ["--config", str(cfg), "sources"])
    assert result.exit_code == 2
    assert str(cfg) in result.output and "'hlt'" in result.output
    assert "'base_url'" in result.output


def test_sources_and_status_tables_fit_80_columns(tmp_path: Path, db_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from hairlink.app import console

    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.setattr(console, "_width", 80)
    cfg = tmp_path / "h.toml"
    cfg.write_text('[[sources]]\nname = "hairlosstalk-forum"\nkind = "xenforo"\n'
                   'base_url = "https://www.hairlosstalk.com/interact/"\n'
                   'forums = ["hair-loss-treatments.5"]\ncron = "*/30 * * * *"\n')
    assert runner.invoke(app, ["--config", str(cfg), "init"]).exit_code == 0
    for command in (["sources"], ["schedule", "status"]):
        result = runner.invoke(app, ["--config", str(cfg), *command])
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.output.splitlines()) <= 80
        assert "hairlosstalk-forum" in result.output  # the name is never cut
