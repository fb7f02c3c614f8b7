"""`hairlink import studies`, `hairlink studies` and `hairlink studies enrich` via CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers every command)
from hairlink.app import app
from models.db import make_engine
from models.entities import Study, StudyTreatment, Treatment
from models.migrate import upgrade
from models.study_queries import STUDY_FIELDS
from models.study_store import upsert_study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studies"
runner = CliRunner()


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)  # no stray ./hairlink.toml
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_import_studies_reports_problems_and_imports_the_rest(db: Engine) -> None:
    code, output = invoke("import", "studies", str(FIXTURES / "studies.csv"),
                          str(FIXTURES / "efetch_hairloss.xml"))
    assert code == 0, output
    assert f"{FIXTURES / 'studies.csv'}:4: no PMID, DOI or PMCID" in output
    assert f"{FIXTURES / 'studies.csv'}:8: expected 10 columns, got 11" in output
    assert "no PMID" in output and "bad PMID" in output
    # The PubMed article 99000102 and the CSV's DOI-only row are one paper.
    assert "read 6 studies from 2 file(s): 5 new, 1 updated, 0 merged" in output
    code, output = invoke("studies", "--format", "json")
    rows = json.loads(output)
    assert len(rows) == 5
    registry = next(r for r in rows if r["doi"] == "10.5555/scalp.2019.0102")
    assert (registry["pmid"], registry["tldr"]) == ("99000102", "Few men reported lasting "
                                                    "effects.")
    # The lexicon's treatments are loaded first, so the file's treatment ids are attached.
    assert registry["treatments"] == ["finasteride"]
    assert "unknown treatment" not in output


def test_import_nothing_readable_exits_1(db: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n{\"title\": \"no id\"}\n")
    code, output = invoke("import", "studies", str(bad))
    assert code == 1
    assert f"{bad}:1: not JSON" in output and f"{bad}:2: no PMID, DOI or PMCID" in output
    code, output = invoke("import", "studies", "--format", "bibtex", str(bad))
    assert code == 2 and "--format must be one of" in output


def test_import_with_format_option(db: Engine, tmp_path: Path) -> None:
    txt = tmp_path / "list.txt"
    txt.write_text("TY  - JOUR\nTI  - From a .txt RIS\nDO  - 10.5555/RIS.TXT\nER  - \n")
    code, output = invoke("import", "studies", "--format", "ris", str(txt))
    assert code == 0 and "1 new" in output


@pytest.fixture
def listed(db: Engine) -> Engine:
    with Session(db) as session:
        session.add_all([Treatment(id="minoxidil", name="Minoxidil", category="drug"),
                         Treatment(id="finasteride", name="Finasteride", category="drug")])
        session.flush()
        oral, _ = upsert_study(session, {
            "pmid": "99000001", "doi": "10.5555/ORAL.1", "title": "Oral minoxidil in women",
            "journal": "Synth Derm", "pub_year": 2021, "authors": ["Beatriz Lima", "Ann Lee"],
            "tldr": "It helped.", "citation_count": 12, "abstract": "100% of 50 women"})
        fin, _ = upsert_study(session, {"pmcid": "PMC9900002",
                                        "title": "Finasteride <script>alert(1)</script>",
                                        "pub_year": 2015})
        upsert_study(session, {"doi": "10.5555/NONE.3", "title": "Nothing tagged"})
        session.add_all([StudyTreatment(study_id=oral.id, treatment_id="minoxidil"),
                         StudyTreatment(study_id=oral.id, treatment_id="finasteride"),
                         StudyTreatment(study_id=fin.id, treatment_id="finasteride")])
        session.commit()
    return db


def test_studies_json_carries_every_key(listed: Engine) -> None:
    code, output = invoke("studies", "--format", "json")
    assert code == 0, output
    rows = json.loads(output)
    assert [r["title"] for r in rows] == ["Oral minoxidil in women",
                                         "Finasteride <script>alert(1)</script>",
                                         "Nothing tagged"]
    oral = rows[0]
    for key in ("pmid", "doi", "pmcid", "title", "journal", "year", "authors", "tldr",
                "citation_count", "url", "treatments"):
        assert key in oral
    assert (oral["pmid"], oral["doi"], oral["year"], oral["citation_count"]) == (
        "99000001", "10.5555/oral.1", 2021, 12)
    assert oral["treatments"] == ["finasteride", "minoxidil"]
    assert oral["authors"] == ["Beatriz Lima", "Ann Lee"]
    assert rows[1]["url"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC9900002/"
    assert rows[2]["url"] == "https://doi.org/10.5555/none.3" and rows[2]["treatments"] == []


@pytest.mark.parametrize(("args", "titles"), [
    (["--treatment", "minoxidil"], ["Oral minoxidil in women"]),
    (["--treatment", "finasteride"], ["Oral minoxidil in women",
                                      "Finasteride <script>alert(1)</script>"]),
    (["--treatment", "ru58841"], []),
    (["--search", "ORAL MINOX"], ["Oral minoxidil in women"]),
    (["--search", "100%"], ["Oral minoxidil in women"]),  # % is literal, not a wildcard
    (["--search", "10%"], []),
    (["--search", "https://doi.org/10.5555/none.3"], ["Nothing tagged"]),
    (["--search", "pmc9900002"], ["Finasteride <script>alert(1)</script>"]),
    (["--search", "PMID: 99000001"], ["Oral minoxidil in women"]),
    (["--treatment", "finasteride", "--search", "script"],
     ["Finasteride <script>alert(1)</script>"]),
])
def test_studies_filters(listed: Engine, args: list[str], titles: list[str]) -> None:
    code, output = invoke("studies", *args, "--format", "json")
    assert code == 0, output
    assert [r["title"] for r in json.loads(output)] == titles



def test_studies_search_takes_every_study_key(listed: Engine) -> None:
    """`--search` finds a study by the keys `--study` resolves, prefixes included."""
    with Session(listed) as session:
        fin_id = session.scalar(select(Study.id).where(Study.pmcid == "PMC9900002"))
    fin = ["Finasteride <script>alert(1)</script>"]
    for key, titles in (("pmcid:PMC9900002", fin), ("PMCID: pmc9900002", fin),
                        ("pmid:99000001", ["Oral minoxidil in women"]),
                        ("doi:10.5555/NONE.3", ["Nothing tagged"]), (f"id:{fin_id}", fin),
                        ("pmcid:PMC1", [])):
        code, output = invoke("studies", "--search", key, "--format", "json")
        assert code == 0, output
        assert [r["title"] for r in json.loads(output)] == titles, key

def test_studies_csv_and_table(listed: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from hairlink.app import console

    monkeypatch.setattr(console, "width", 240)  # no folding of cells in the assertion
    code, output = invoke("studies", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert tuple(rows[0]) == STUDY_FIELDS
    assert rows[0]["treatments"] == "finasteride; minoxidil"
    assert rows[0]["authors"] == "Beatriz Lima; Ann Lee"
    code, output = invoke("studies")
    assert code == 0
    assert "Oral minoxidil" in output and "Beatriz Lima et al." in output
    assert "<script>alert(1)</script>" in output  # shown as text, not interpreted
    code, output = invoke("studies", "--format", "xml")
    assert code == 2 and "--format must be one of" in output


def test_studies_on_empty_database(db: Engine) -> None:
    code, output = invoke("studies")
    assert code == 0 and "no studies yet" in output
    code, output = invoke("studies", "--format", "json")
    assert json.loads(output) == []


def test_enrich_command_against_loopback(listed: Engine, httpserver: HTTPServer) -> None:
    answers = {"PMID:99000001": {"paperId": "a", "externalIds": {"PubMed": "99000001"},
                                 "citationCount": 40, "tldr": {"text": "Fresh TLDR."}}}

    def batch(request: object) -> object:
        from werkzeug import Response
        ids = json.loads(request.data)["ids"]  # type: ignore[attr-defined]
        return Response(json.dumps([answers.get(i) for i in ids]),
                        content_type="application/json")

    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_handler(batch)
    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_json(
        {"hitCount": 0, "resultList": {"result": []}})
    httpserver.expect_request("/works/10.5555/none.3").respond_with_json({
        "status": "ok", "message-type": "work", "message": {
            "DOI": "10.5555/none.3", "title": ["Nothing tagged, per Crossref"],
            "container-title": ["Synth Crossref J"], "issued": {"date-parts": [[2019, 4]]}}})
    httpserver.expect_request(re.compile("/works/.*")).respond_with_data(
        "Resource not found.", status=404)
    base = httpserver.url_for("/").rstrip("/")
    code, output = invoke("studies", "enrich", "--s2-url", base, "--epmc-url", base,
                          "--crossref-url", base, "--delay", "0")
    assert code == 0, output
    assert ("asked about 3 studies: 1 from Semantic Scholar, 0 from Europe PMC, 2 unknown, "
            "1 completed from Crossref") in output
    code, output = invoke("studies", "--search", "doi:10.5555/NONE.3", "--format", "json")
    (completed,) = json.loads(output)
    assert (completed["title"], completed["journal"], completed["year"]) == (
        "Nothing tagged", "Synth Crossref J", 2019)  # fill-gaps: the stored title stays
    code, output = invoke("studies", "--search", "PMID 99000001", "--format", "json")
    (oral,) = json.loads(output)
    assert (oral["tldr"], oral["citation_count"]) == ("Fresh TLDR.", 40)
    assert oral["enriched_at"]
    code, output = invoke("studies", "enrich", "--s2-url", "ftp://x")
    assert code == 2
