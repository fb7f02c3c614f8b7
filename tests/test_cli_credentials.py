"""`hairlink crawl` refuses a malformed API key or Reddit credential before any crawl run
starts: one `error: configuration error: ...` line naming the variable, never the key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hairlink.app import app
from tests.test_cli_errors import database_url, runner

BROKEN = "half\nof-the-key"
# Nothing listens on port 9: were the check to let a crawl start, no key would leave the host.
CONFIG = (
    '[[sources]]\nname = "pm"\nkind = "pubmed"\nterm = "x"\n'
    'base_url = "http://127.0.0.1:9"\n'
    '[[sources]]\nname = "tl"\nkind = "reddit"\nsubreddits = ["tressless"]\n'
    'base_url = "http://127.0.0.1:9/api"\n'
    'auth_url = "http://127.0.0.1:9/api/v1/access_token"\n'
)


@pytest.mark.parametrize(
    ("source", "variable"),
    [
        ("pm", "HAIRLINK_NCBI_API_KEY"),
        ("tl", "HAIRLINK_REDDIT_CLIENT_ID"),
        ("tl", "HAIRLINK_REDDIT_CLIENT_SECRET"),
    ],
)
def test_a_broken_key_is_one_line_and_starts_no_crawl(
    source: str, variable: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", database_url("ready", tmp_path))
    for name in (
        "HAIRLINK_NCBI_API_KEY",
        "HAIRLINK_REDDIT_CLIENT_ID",
        "HAIRLINK_REDDIT_CLIENT_SECRET",
    ):
        monkeypatch.setenv(name, "fine-value\n")  # a line end alone is trimmed, not refused
    monkeypatch.setenv(variable, BROKEN)
    (tmp_path / "c.toml").write_text(CONFIG)
    result = runner.invoke(app, ["--config", str(tmp_path / "c.toml"), "crawl", source])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert lines == [
        f"error: configuration error: {variable} holds spaces, control or "
        "non-ASCII characters: check the key"
    ]
    assert "half" not in result.output and "of-the-key" not in result.output
    with sqlite3.connect(tmp_path / "h.db") as connection:
        assert connection.execute("SELECT count(*) FROM crawl_run").fetchone() == (0,)


def test_a_key_of_another_kind_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PubMed key does not stop a Reddit crawl (it fails later, on the missing Reddit
    credentials, as before: a crawl run that ends `failed`)."""
    from hairlink.commands.crawl import check_source_credentials
    from models.config import load_config

    monkeypatch.setenv("HAIRLINK_NCBI_API_KEY", BROKEN)
    (tmp_path / "c.toml").write_text(CONFIG)
    config = load_config(tmp_path / "c.toml")
    check_source_credentials([config.source("tl")])  # no exit
