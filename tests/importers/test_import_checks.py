"""Importers that lose nothing: RIS resynchronises at the next `TY  -`; a dump file is checked
before anything is written; `--source` names a configured source or `--new-source` declares
one; a dump import reports its progress in bytes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from hairlink import app as app_module
from hairlink.app import app
from models.db import make_engine
from models.entities import Source, Study, Thread
from scrapers.importers.reddit_dump import import_reddit_dumps
from scrapers.importers.reddit_dump_files import DumpError, check_dump_file
from tests.importers.test_reddit_dump import SUBMISSIONS, ndjson, submission, write_zst

runner = CliRunner()

RIS = """TY  - JOUR
TI  - Oral minoxidil in women
DO  - 10.1000/first
PY  - 2021
ER  -
this line is not RIS at all
TY  - JOUR
TI  - Finasteride and mood
DO  - 10.1000/second
ER  -
TY  - JOUR
TI  - A record that never closes
DO  - 10.1000/third
TY  - JOUR
TI  - Microneedling trial
DO  - 10.1000/fourth
ER  -
"""


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """An initialised database the CLI reaches, and a config with one reddit source."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    (tmp_path / "hairlink.toml").write_text('[[sources]]\nname = "tl"\nkind = "reddit"\n'
                                            'subreddits = ["tressless"]\n')
    assert runner.invoke(app, ["init"]).exit_code == 0
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_ris_garbage_line_does_not_swallow_the_next_record(cli: Engine, tmp_path: Path) -> None:
    path = tmp_path / "garbage.ris"
    path.write_text(RIS)
    result = runner.invoke(app, ["import", "studies", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:6: a line outside any record" in result.output
    assert (f"{path}:11: RIS record is not closed by an 'ER  -' line before line 14"
            in result.output)
    assert "read 3 studies" in result.output
    with Session(cli) as session:
        dois = sorted(session.scalars(select(Study.doi)))
    assert dois == ["10.1000/first", "10.1000/fourth", "10.1000/second"]


def test_a_dump_is_checked_before_anything_is_written(cli: Engine, tmp_path: Path) -> None:
    fake = tmp_path / "RS_2024-01.zst"
    fake.write_bytes(os.urandom(8192))
    good = tmp_path / "RS_2024-02.jsonl"
    good.write_bytes(ndjson([submission("ok1", "Minoxidil month 3")]))
    with pytest.raises(DumpError, match="not a zstd file"):
        import_reddit_dumps(cli, [good, fake], "tl")
    text = tmp_path / "RC_2024-01.jsonl"
    text.write_text("hello\nworld\n")
    with pytest.raises(DumpError, match="not a Reddit dump"):
        import_reddit_dumps(cli, [text], "tl")
    with Session(cli) as session:  # not even the good file's threads, nor the source row
        assert session.scalar(select(func.count()).select_from(Thread)) == 0
        assert session.scalar(select(func.count()).select_from(Source)) == 0
    assert check_dump_file(good) == "json"
    assert check_dump_file(write_zst(tmp_path / "RS_2024-03.zst", ndjson(SUBMISSIONS))) == "zstd"
    zst_named_jsonl = tmp_path / "RS_2024-04.jsonl"
    zst_named_jsonl.write_bytes((tmp_path / "RS_2024-03.zst").read_bytes())
    with pytest.raises(DumpError, match=r"rename it to \.zst"):
        check_dump_file(zst_named_jsonl)


def test_dump_source_must_be_configured_or_declared(cli: Engine, tmp_path: Path) -> None:
    dump = write_zst(tmp_path / "RS_2023-11.zst", ndjson(SUBMISSIONS))
    result = runner.invoke(app, ["import", "reddit-dump", str(dump), "--source", "tll"])
    assert result.exit_code == 2
    assert "did you mean 'tl'?" in result.output and "--new-source tll" in result.output
    with Session(cli) as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 0
    result = runner.invoke(app, ["import", "reddit-dump", str(dump), "--new-source", "tl"])
    assert result.exit_code == 2 and "configured already" in result.output
    result = runner.invoke(app, ["import", "reddit-dump", str(dump), "--new-source",
                                 "archive", "--subreddit", "tressless", "--format", "json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["sources", "--format", "json"])
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["tl"]["configured"] is True and rows["tl"]["threads"] == 0
    assert rows["archive"]["configured"] is False and rows["archive"]["threads"] == 3
    assert rows["archive"]["last_status"] == "finished"


def test_dump_import_reports_bytes_read(cli: Engine, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dump = write_zst(tmp_path / "RS_2023-11.zst", ndjson(SUBMISSIONS * 200))
    seen: list[tuple[str, int, int]] = []
    import_reddit_dumps(cli, [dump], "tl",
                        on_bytes=lambda path, role, done, total: seen.append(
                            (role, done, total)))
    size = dump.stat().st_size
    assert seen[0] == ("submissions", 0, size) and seen[-1] == ("submissions", size, size)
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    screen = io.StringIO()
    monkeypatch.setattr(app_module, "err_console",
                        Console(file=screen, force_terminal=True, width=100))
    monkeypatch.setattr("hairlink.commands.importing.err_console", app_module.err_console)
    result = runner.invoke(app, ["import", "reddit-dump", str(dump)])
    assert result.exit_code == 0, result.output
    shown = screen.getvalue()
    assert "RS_2023-11.zst: submissions" in shown and "━" in shown
    assert size < 1000 and f"{size}/{size} bytes" in shown  # DownloadColumn at the end
