"""The research sections in every output: `hairlink studies` JSON/CSV and its --cites /
--cited-by filters, `hairlink show`, and each digest format (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers every command)
from aggregator.digest import export_digests
from aggregator.run import aggregate
from hairlink.app import app
from models.db import make_engine, session_factory
from models.digest_queries import all_study_ids
from models.migrate import upgrade
from models.study_references import CitedPaperIn, store_references
from models.study_store import upsert_study

runner = CliRunner()
NOW = datetime(2026, 11, 1, tzinfo=UTC)
EVIL = '<script>alert("x")</script> Outside paper'


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    engine = make_engine(db_url)
    upgrade(engine)
    make = session_factory(engine)
    with make() as session:
        ids = {}
        for key, pmid, title in (("oral", "1001", "Oral minoxidil versus topical minoxidil"),
                                 ("women", "1002", "Oral minoxidil in women with hair loss"),
                                 ("fin", "1003", "Finasteride over ten years")):
            study, _ = upsert_study(session, {"pmid": pmid, "title": title,
                                              "abstract": title + "."})
            ids[key] = study.id
        store_references(session, ids["oral"], [
            CitedPaperIn(doi="10.5555/out.1", title=EVIL, year=2001),
            CitedPaperIn(pmid="1002"),
            CitedPaperIn(doi="10.5555/out.2", title="Second outside paper", year=2003),
            CitedPaperIn(title="No identifier at all", year=1990)], "s2", NOW)
        store_references(session, ids["women"], [CitedPaperIn(pmid="1003")], "s2", NOW)
        session.commit()
    aggregate(make, workers=1)
    yield engine
    engine.dispose()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_studies_json_and_csv_carry_references_cited_by_and_similar(db: Engine) -> None:
    code, output = invoke("studies", "--format", "json")
    assert code == 0, output
    rows = {r["pmid"]: r for r in json.loads(output)}
    oral = rows["1001"]
    assert oral["references"][0] == {"pmid": "1002", "doi": None, "pmcid": None,
                                     "title": "Oral minoxidil in women with hair loss",
                                     "year": None, "in_catalogue": True}
    assert [r["in_catalogue"] for r in oral["references"]] == [True, False, False, False]
    assert oral["references"][3]["title"] == "No identifier at all"
    assert (rows["1001"]["cited_by"], rows["1002"]["cited_by"], rows["1003"]["cited_by"]) \
        == (0, 1, 1)
    assert oral["similar"][0]["pmid"] == "1002"  # shares minoxidil and cites it
    assert set(oral["similar"][0]) == {"pmid", "doi", "pmcid", "title", "score"}
    assert all(len(r["similar"]) <= 6 for r in rows.values())
    code, output = invoke("studies", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(output)))
    assert json.loads(next(r for r in table if r["pmid"] == "1001")["references"])[1][
        "doi"] == "10.5555/out.1"
    assert next(r for r in table if r["pmid"] == "1003")["cited_by"] == "1"


def test_cites_and_cited_by_filters(db: Engine) -> None:
    code, output = invoke("studies", "--cites", "pmid:1002", "--format", "json")
    assert code == 0 and [r["pmid"] for r in json.loads(output)] == ["1001"]
    code, output = invoke("studies", "--cited-by", "pmid:1001", "--format", "json")
    assert [r["pmid"] for r in json.loads(output)] == ["1002"]
    code, output = invoke("studies", "--cited-by", "pmid:1003", "--format", "json")
    assert json.loads(output) == []
    code, output = invoke("studies", "--cites", "pmid:424242")
    assert code == 2 and "--cites: no study with pmid:424242" in output
    assert "Traceback" not in output


def test_show_prints_the_three_sections(db: Engine) -> None:
    code, output = invoke("show", "pmid:1001")
    assert code == 0, output
    assert "Research cited in this study (4 / 4)" in output
    assert "in this catalogue" in output and "https://doi.org/10.5555/out.1" in output
    assert EVIL in output  # shown as plain text, never read as markup
    assert "Cited by 0 studies here" in output
    assert "Similar research (1)" in output and "similarity 0." in output
    code, output = invoke("show", "pmid:1003")
    assert "Cited by 1 study here" in output and "Oral minoxidil in women" in output


def test_every_digest_format_has_the_sections(db: Engine, tmp_path: Path) -> None:
    with session_factory(db)() as session:
        ids = all_study_ids(session)
        for fmt in ("html", "md", "json", "csv", "atom"):
            export_digests(session, ids, fmt, tmp_path / fmt, now=NOW, charts="none")
        partial = export_digests(session, ids[:1], "html", tmp_path / "one", now=NOW,
                                 charts="none")
    page = (tmp_path / "html" / "pmid-1001.html").read_text()
    assert "Research cited in this study" in page and "Similar research" in page
    assert '<a class="study-link" href="pmid-1002.html">' in page  # its own page
    assert 'href="https://doi.org/10.5555/out.1"' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<span class="unlinked">No identifier at all (1990)</span>' in page
    # A page outside the export links to the paper instead.
    alone = (partial.files[0]).read_text()
    assert 'href="pmid-1002.html"' not in alone
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/1002/"' in alone
    md = (tmp_path / "md" / "pmid-1001.md").read_text()
    assert "## Research cited in this study (4 / 4)" in md and "## Similar research" in md
    assert "\\<script\\>" in md
    data = json.loads((tmp_path / "json" / "pmid-1001.json").read_text())
    assert data["references_total"] == 4 and data["references_in_catalogue"] == 1
    assert data["references"][0]["key"] == "pmid:1002" and data["similar"]
    research = list(csv.DictReader((tmp_path / "csv" / "pmid-1001.refs.csv").open()))
    assert {r["section"] for r in research} == {"references", "similar"}
    atom = (tmp_path / "atom" / "pmid-1001.atom").read_text()
    assert "cites 4 papers (1 here)" in atom
