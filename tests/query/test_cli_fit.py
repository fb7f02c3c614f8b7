"""The CLI on the seeded corpus: names checked with hints, one study key everywhere, tables
that fit 80 columns with paging, replies in posts output, site index kept by partial
exports, sample links marked, help without Python types."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hairlink.app import app, console
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.entities import Reply, Thread
from tests.query.seed_posts import NOW, Corpus

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def external_ids(output: str) -> list[str]:
    return [p["external_id"] for p in json.loads(output)]


# -- 3. names are checked ------------------------------------------------------------------

def test_treatment_aliases_resolve_and_unknown_names_are_refused(cli_db: Corpus) -> None:
    code, by_id = run("posts", "--format", "json", "--treatment", "minoxidil")
    assert code == 0, by_id
    for alias in ("minoxidill", "Minox", "rogaine"):  # a misspelling and brands: lexicon
        code, out = run("posts", "--format", "json", "--treatment", alias)
        assert code == 0 and external_ids(out) == external_ids(by_id), (alias, out)
    code, out = run("posts", "--treatment", "minoxxidil")
    assert code == 2 and "did you mean 'minoxidil'?" in out
    code, out = run("posts", "--source", "treslesss")
    assert code == 2 and "did you mean 'tressless'?" in out
    assert run("posts", "--source", "oldforum", "--format", "json")[0] == 0
    code, out = run("posts", "--since", "30d", "--until", "60d")
    assert code == 2 and "is not before --until" in out
    code, out = run("posts", "--sort", "newest")
    assert code == 2 and "did you mean 'new'?" in out
    code, out = run("show", "pmid:12345679")
    assert code == 2 and "did you mean pmid:12345678?" in out


# -- 4. one study key everywhere -----------------------------------------------------------

def test_listings_print_the_keys_show_and_study_accept(cli_db: Corpus,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 200)
    code, table = run("studies")
    assert code == 0, table
    printed = re.findall(r"(?:pmid|doi|pmcid):\S+", table)
    assert sorted(printed) == ["doi:10.1001/jamadermatol.2024.0284", "pmcid:PMC777",
                               "pmid:12345678"]
    assert "PMID 12345678" not in table
    rows = json.loads(run("studies", "--format", "json")[1])
    assert sorted(r["key"] for r in rows) == sorted(printed)
    for key in printed:
        code, out = run("show", key)
        assert code == 0, out
        assert key in " ".join(out.split())
        assert run("posts", "--study", key, "--format", "json")[0] == 0
    # the looser forms users paste: a bare PMID, the old "PMID N", an internal id
    for key in ("12345678", "PMID 12345678", f"id:{cli_db.studies['S2']}"):
        code, out = run("posts", "--study", key, "--format", "json")
        assert code == 0 and external_ids(out) == ["r2", "d1"], (key, out)


# -- 6. output that fits --------------------------------------------------------------------

def test_posts_table_fits_80_columns_and_pages(cli_db: Corpus,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 80)
    code, out = run("posts", "--sort", "score", "--limit", "3")
    assert code == 0, out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "showing 3 of 7" in out and "next page: --offset 3" in out
    assert "Finasteride 10 year" in out  # titles fold at words, not one letter per line
    assert f" {cli_db.threads['fin10']} " in out  # the thread id is a column
    assert "1,200" in out and "upvotes" in out and "likes" in out
    code, out = run("posts", "--sort", "score", "--limit", "3", "--offset", "3")
    assert code == 0 and "showing 4-6 of 7" in out
    code, page = run("posts", "--sort", "score", "--limit", "3", "--offset", "3", "--format",
                     "json")
    code, everything = run("posts", "--sort", "score", "--format", "json", "--limit", "0")
    assert external_ids(page) == external_ids(everything)[3:6]


def test_with_replies_adds_the_stored_top_replies(cli_db: Corpus, session: Session) -> None:
    thread_id = cli_db.threads["fin10"]
    for n, score in enumerate([5, 40, None, 12]):
        session.add(Reply(thread_id=thread_id, external_id=f"c{n}", body=f"reply {n} " * 3,
                          score=score, created_at=NOW - timedelta(hours=n), position=n))
    session.commit()
    code, out = run("posts", "--format", "json", "--with-replies", "--source", "tressless")
    assert code == 0, out
    posts = {p["external_id"]: p for p in json.loads(out)}
    assert [r["score"] for r in posts["r2"]["replies"]] == [40, 12, 5]
    assert posts["r2"]["replies"][0]["excerpt"] == "reply 1 reply 1 reply 1"
    assert posts["r1"]["replies"] == []
    assert "replies" not in json.loads(run("posts", "--format", "json")[1])[0]
    code, out = run("posts", "--format", "csv", "--with-replies", "--study", "pmid:12345678")
    assert code == 0 and out.splitlines()[0].endswith(",replies")
    assert "40: reply 1 reply 1 reply 1" in out


def test_studies_table_fits_80_columns(cli_db: Corpus,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 80)
    code, out = run("studies")
    assert code == 0, out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "pmid:12345678" in out and "Finasteride 10-year" in out


# -- 5. partial exports keep the site index ------------------------------------------------

def test_a_partial_html_export_keeps_the_index(cli_db: Corpus, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("digest", "--all", "--out", str(site), "--charts", "none")[0] == 0
    pages = sorted(p.name for p in site.glob("*.html") if p.name != "index.html")
    assert len(pages) == 3
    code, out = run("digest", "pmid:12345678", "--out", str(site), "--charts", "none")
    assert code == 0, out
    index = (site / "index.html").read_text()
    for page in pages:
        assert f'href="{page}"' in index
    assert "3 studies" in index
    assert "Oral Minoxidil vs Topical Minoxidil" in index  # rows of earlier pages kept whole
    (site / "pmcid-PMC777.html").unlink()
    assert run("digest", "pmid:12345678", "--out", str(site), "--charts", "none")[0] == 0
    index = (site / "index.html").read_text()
    assert "pmcid-PMC777.html" not in index and "2 studies" in index


# -- 7. sample links -----------------------------------------------------------------------

def test_loopback_thread_links_are_marked_as_sample_links(cli_db: Corpus, session: Session,
                                                          tmp_path: Path) -> None:
    thread = session.get(Thread, cli_db.threads["fin10"])
    assert thread is not None
    thread.url = "http://127.0.0.1:8765/r/tressless/comments/r2/"
    session.commit()
    assert run("digest", "pmid:12345678", "--out", str(tmp_path / "h"), "--charts",
               "none")[0] == 0
    html = (tmp_path / "h" / "pmid-12345678.html").read_text()
    assert html.count("(sample link)") == 1  # the loopback thread only, not d1
    assert run("digest", "pmid:12345678", "--format", "md", "--out", str(tmp_path / "m"))[0] == 0
    md = (tmp_path / "m" / "pmid-12345678.md").read_text()
    assert md.count("sample link: a local test server") == 1
    code, out = run("show", "pmid:12345678")
    assert code == 0 and "sample link" in out


# -- 8. help without Python types ----------------------------------------------------------

def test_help_shows_no_python_types() -> None:
    def walk(command: object, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, [*path, name])
        return found

    paths = walk(typer.main.get_command(app), [])
    assert len(paths) > 12
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        leaked = re.findall(r"<(?:str|int|float|bool|list|path|Path|dict|tuple)\b[^>]*>",
                            result.output)
        assert not leaked, (path, leaked)
