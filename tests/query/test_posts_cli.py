"""`hairlink posts`, `hairlink show` and `hairlink digest` through Typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import time_machine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hairlink.app import app, console
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.entities import Thread
from tests.query.seed_posts import NOW, Corpus

runner = CliRunner()
S1 = "doi:10.1001/jamadermatol.2024.0284"


def run(*args: str) -> tuple[int, str]:
    """Exit code and stdout (stdout and stderr together when the command failed)."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def ids(output: str) -> list[str]:
    return [p["external_id"] for p in json.loads(output)]


def test_posts_json_filters(cli_db: Corpus) -> None:
    code, out = run("posts", "--format", "json", "--sort", "score")
    assert code == 0, out
    assert ids(out)[:5] == ["r2", "r1", "d1", "r3", "r4"]
    assert ids(run("posts", "--format", "json", "--treatment", "minoxidil", "-t",
                   "finasteride")[1]) == ["d1"]
    assert ids(run("posts", "--format", "json", "--study", S1)[1]) == [
        "r1", "d1", "p1", "r2", "r4"]
    assert ids(run("posts", "--format", "json", "--study", "pmid:12345678")[1]) == ["r2", "d1"]
    assert ids(run("posts", "--format", "json", "--study", str(cli_db.studies["S2"]))[1]) == [
        "r2", "d1"]
    assert ids(run("posts", "--format", "json", "--source", "tressless", "--sort", "new")[1]) == [
        "r3", "r2", "r1", "r4"]
    assert ids(run("posts", "--format", "json", "--category", "Progress Pictures", "--sort",
                   "score")[1]) == ["r1", "d1"]
    assert ids(run("posts", "--format", "json", "--since", "2026-09-01", "--until",
                   "2026-10-29", "--sort", "new")[1]) == ["r2", "d1"]
    assert ids(run("posts", "--format", "json", "--min-score", "15", "--sort", "score")[1]) == [
        "r2", "r1", "d1"]
    found = ids(run("posts", "--format", "json", "--search", "minox")[1])
    assert found[:2] == ["p1", "r1"] and sorted(found[2:]) == ["d1", "r4"]  # titles first
    assert ids(run("posts", "--format", "json", "--sort", "new", "--limit", "2")[1]) == [
        "r3", "r2"]
    assert len(ids(run("posts", "--format", "json", "--limit", "0")[1])) == 7


def test_posts_relative_since_uses_the_clock(cli_db: Corpus) -> None:
    with time_machine.travel(NOW, tick=False):
        code, out = run("posts", "--format", "json", "--since", "30d", "--sort", "new")
    assert code == 0, out
    assert ids(out) == ["r3", "r2"]


def test_posts_json_shape(cli_db: Corpus) -> None:
    posts = json.loads(run("posts", "--format", "json", "--study", "pmid:12345678")[1])
    first = posts[0]
    assert first["created_at"] == "2026-10-29T12:00:00+00:00"
    assert first["links"][0] == {"study": {"pmid": "12345678", "doi": None, "pmcid": "PMC999",
                                           "title": "Finasteride 10-year follow-up"},
                                 "kind": "citation", "score": 1.0}
    assert posts[1]["treatments"] == ["finasteride", "ketoconazole", "minoxidil"]


def test_posts_csv(cli_db: Corpus) -> None:
    code, out = run("posts", "--format", "csv", "--treatment", "minoxidil", "--sort", "score")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["external_id"] for r in rows] == ["r1", "d1", "r4", "p1"]
    assert rows[0]["links"] == "doi:10.1001/jamadermatol.2024.0284"
    assert rows[0]["link_kinds"] == "citation"
    assert rows[3]["score"] == ""
    assert rows[1]["treatments"] == "finasteride;ketoconazole;minoxidil"


def test_posts_table_prints_markup_literally(cli_db: Corpus, session: Session,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 250)
    thread = session.get(Thread, cli_db.threads["keto"])
    assert thread is not None
    thread.title = "[bold red]not markup[/bold red]"
    session.commit()
    code, out = run("posts", "--source", "tressless", "--sort", "new")
    assert code == 0, out
    assert "[bold red]not markup[/bold red]" in out
    assert "1,200 upvotes" in out


def test_posts_errors(cli_db: Corpus) -> None:
    code, out = run("posts", "--study", "pmid:999")
    assert code == 2 and "no study with pmid:999" in out
    code, out = run("posts", "--study", "banana")
    assert code == 2 and "bad study key" in out
    code, out = run("posts", "--since", "yesterday")
    assert code == 2 and "--since" in out
    code, out = run("posts", "--sort", "random")
    assert code == 2
    code, out = run("posts", "--format", "xml")
    assert code == 2


def test_empty_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.chdir(tmp_path)
    code, out = run("posts")
    assert code == 1 and "hairlink init" in out


def test_show(cli_db: Corpus) -> None:
    with time_machine.travel(NOW, tick=False):
        code, out = run("show", S1)
    assert code == 0, out
    flat = " ".join(out.split())
    assert "Oral Minoxidil vs Topical Minoxidil" in flat
    assert "Related Community Posts 5 / 5" in flat
    assert "Threads citing this study (1 / 1)" in flat
    assert "257 upvotes · 40 comments · 10 months ago · tressless in Progress Pictures" in flat
    assert flat.index("Oral vs topical minoxidil after 6") < flat.index("Big 3 update")
    code, out = run("show", "pmcid:PMC123")
    assert code == 2 and "no study" in out


def test_digest_command(cli_db: Corpus, tmp_path: Path) -> None:
    out_dir = tmp_path / "site"
    code, out = run("digest", "--all", "--format", "html", "--out", str(out_dir), "--charts",
                    "svg")
    assert code == 0, out
    assert "3 studies" in out
    assert sorted(p.name for p in out_dir.iterdir()) == [
        ".hairlink-index.json", "doi-10.1001_jamadermatol.2024.0284.html", "index.html",
        "pmcid-PMC777.html", "pmid-12345678.html"]
    code, out = run("digest", "pmid:12345678", "PMC777", "--format", "json", "--out",
                    str(tmp_path / "j"))
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "j").iterdir()) == [
        "pmcid-PMC777.json", "pmid-12345678.json"]
    assert json.loads((tmp_path / "j" / "pmid-12345678.json").read_text())["related_total"] == 2
    assert run("digest", "pmid:999", "--out", str(tmp_path / "x"))[0] == 2
    assert run("digest", "--out", str(tmp_path / "x"))[0] == 2
    assert run("digest", "--all", "pmid:12345678", "--out", str(tmp_path / "x"))[0] == 2
    assert run("digest", "--all", "--format", "pdf", "--out", str(tmp_path / "x"))[0] == 2
