"""Reference lists: fetched from loopback Semantic Scholar / Europe PMC, stored once, light
rows adopted by later imports, bad input counted (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import ReferenceFetch, ReferencePaper, Study, StudyReference
from models.study_research import (
    cited_by_count,
    citing_studies,
    references_of,
    study_research,
)
from models.study_store import upsert_study
from scrapers.enrich.run import enrich
from scrapers.enrich.settings import EnrichSettings
from scrapers.loopback import LoopbackServer
from scrapers.parsers.references import parse_s2_references
from scrapers.samples.reference_service import ReferenceService
from tests.conftest import realdata


class Services:
    """A loopback server with the reference service mounted (batch answers all unknown)."""

    def __init__(self, server: LoopbackServer, refs: ReferenceService) -> None:
        self.server = server
        self.refs = refs

    def settings(self, **extra: Any) -> EnrichSettings:
        options: dict[str, Any] = {"s2_interval": 0.0, "epmc_interval": 0.0,
                                   "max_wait": 0.01, "use_crossref": False, **extra}
        return EnrichSettings(s2_base=self.server.url("/s2"), epmc_base=self.server.base_url,
                              **options)

    def s2_requests(self) -> list[str]:
        return [t for _, t in self.server.requests if "/references" in t and "/s2/" in t]


def _batch(request: Any) -> tuple[int, dict[str, str], bytes]:
    ids = json.loads(request.body or b"{}").get("ids") or []
    return 200, {"Content-Type": "application/json"}, json.dumps([None] * len(ids)).encode()


@pytest.fixture
def services() -> Iterator[Services]:
    refs = ReferenceService()
    with LoopbackServer() as server:
        server.add("/s2/graph/v1/paper/batch", b"", status=404)
        server.route("/s2/graph/v1/paper/batch", _batch)
        server.route("/s2/graph/v1/paper/", refs.s2)
        server.route("/europepmc/webservices/rest/search",
                     lambda r: (200, {"Content-Type": "application/json"},
                                b'{"hitCount":0,"resultList":{"result":[]}}'))
        server.route("/europepmc/webservices/rest/", refs.epmc)
        yield Services(server, refs)


def _paper(doi: str | None = None, pmid: str | None = None, title: str = "T",
           year: int | None = 2001, pmcid: str | None = None) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    if doi:
        ids["DOI"] = doi
    if pmid:
        ids["PubMed"] = pmid
    if pmcid:
        ids["PubMedCentral"] = pmcid
    return {"paperId": None, "externalIds": ids or None, "title": title, "year": year}


def _study(session: Session, **ids: Any) -> Study:
    study, _ = upsert_study(session, {"title": ids.pop("title", "A study"), **ids})
    session.commit()
    return study


def _run(session: Session, services: Services, **kwargs: Any) -> Any:
    return enrich(session, services.settings(), sleep=lambda _s: None, **kwargs)


def test_real_last_page_parses_titles_without_identifiers() -> None:
    page = parse_s2_references(realdata("semanticscholar",
                                        "paper_references_last_page_no_next.json").read_bytes())
    assert page.next_offset is None
    assert len(page.papers) == 17
    assert page.papers[0].title.startswith("Does Gender Matter")
    assert all(p.pmid is None and p.doi is None for p in page.papers)


def test_references_stored_linked_and_fetched_once(session: Session,
                                                   services: Services) -> None:
    a = _study(session, pmid="111", title="Oral minoxidil trial")
    b = _study(session, doi="10.1000/b", title="Finasteride cohort")
    services.refs.add(["PMID:111"], [
        _paper(doi="10.1000/B", title="Finasteride cohort"),  # in the catalogue (any case)
        _paper(doi="10.9000/out", title="Outside paper", year=1999),
        _paper(title="A reference without identifiers", year=2005),
        _paper(pmid="111", title="Itself"),  # a self-reference
        _paper(doi="https://doi.org/10.9000/OUT", title="Outside again"),  # a duplicate
    ])
    services.refs.add(["DOI:10.1000/b"], [_paper(pmid="111")])  # a citation cycle
    report = _run(session, services)
    refs = report.references
    assert (refs.asked, refs.from_s2, refs.stored, refs.in_catalogue, refs.outside) == \
        (2, 2, 4, 2, 2)
    assert (refs.without_identifier, refs.self_references, refs.duplicates) == (1, 1, 1)
    listed = references_of(session, a.id)
    assert [(r.in_catalogue, r.doi, r.title) for r in listed] == [
        (True, "10.1000/b", "Finasteride cohort"), (False, "10.9000/out", "Outside paper"),
        (False, None, "A reference without identifiers")]
    assert listed[1].url == "https://doi.org/10.9000/out" and listed[2].url is None
    assert cited_by_count(session, a.id) == 1 and cited_by_count(session, b.id) == 1
    assert [s.study_id for s in citing_studies(session, b.id)] == [a.id]
    # A second run asks nothing; --refresh asks again and duplicates nothing.
    before = len(services.s2_requests())
    assert _run(session, services).references.asked == 0
    assert len(services.s2_requests()) == before
    again = _run(session, services, refresh_references=True).references
    assert again.asked == 2 and len(services.s2_requests()) == before + 2
    assert session.scalar(select(func.count()).select_from(StudyReference)) == 4
    assert session.scalar(select(func.count()).select_from(ReferencePaper)) == 2


def test_light_row_becomes_the_study_when_imported(session: Session,
                                                   services: Services) -> None:
    a = _study(session, pmid="111")
    c = _study(session, pmid="333")
    services.refs.add(["PMID:111"], [_paper(doi="10.2000/later", pmid="222", title="Later")])
    services.refs.add(["PMID:333"], [_paper(pmid="222", title="Later")])
    _run(session, services)
    assert session.scalar(select(func.count()).select_from(ReferencePaper)) == 1
    later, outcome = upsert_study(session, {"pmid": "222", "title": "Later, in full"})
    session.commit()
    assert outcome == "inserted"
    assert session.scalar(select(func.count()).select_from(ReferencePaper)) == 0
    assert [r.study_id for r in references_of(session, a.id)] == [later.id]
    assert [r.study_id for r in references_of(session, c.id)] == [later.id]
    assert cited_by_count(session, later.id) == 2
    assert session.scalar(select(func.count()).select_from(Study)) == 3


def test_merging_two_rows_of_one_paper_keeps_edges_once(session: Session,
                                                        services: Services) -> None:
    a = _study(session, pmid="111")
    b1 = _study(session, pmid="444")
    b2 = _study(session, doi="10.4000/four")
    services.refs.add(["PMID:111"], [_paper(pmid="444"), _paper(doi="10.4000/four")])
    services.refs.add(["PMID:444"], [_paper(pmid="111")])
    services.refs.add(["DOI:10.4000/four"], [_paper(pmid="111")])
    _run(session, services)
    assert len(references_of(session, a.id)) == 2
    upsert_study(session, {"pmid": "444", "doi": "10.4000/four"})  # joins b1 and b2
    session.commit()
    assert session.get(Study, b2.id) is None
    assert [r.study_id for r in references_of(session, a.id)] == [b1.id]
    assert [r.study_id for r in references_of(session, b1.id)] == [a.id]
    assert cited_by_count(session, a.id) == 1


def test_unknown_empty_and_failing_services(session: Session, services: Services) -> None:
    unknown = _study(session, doi="10.5000/unknown")  # S2: 404; no id Europe PMC takes
    empty = _study(session, pmid="555")  # S2: empty list -> Europe PMC
    epmc_only = _study(session, pmcid="PMC666")  # S2: 404 -> Europe PMC has it
    services.refs.add(["PMID:555"], [])
    services.refs.add_epmc("MED", "555", [])
    services.refs.add_epmc("PMC", "PMC666", [
        {"id": "777", "source": "MED", "title": "From Europe PMC", "pubYear": 2010},
        {"id": "x", "source": "AGR", "title": "Agricola record", "pubYear": "2011"}])
    report = _run(session, services).references
    assert (report.asked, report.s2_unknown, report.s2_empty, report.from_epmc,
            report.none, report.failed) == (3, 2, 1, 1, 2, 0)
    assert references_of(session, unknown.id) == [] and references_of(session, empty.id) == []
    got = references_of(session, epmc_only.id)
    assert [(r.pmid, r.title, r.year) for r in got] == [
        ("777", "From Europe PMC", 2010), (None, "Agricola record", 2011)]
    fetched = {row.study_id: row.source for row in session.execute(
        select(ReferenceFetch.study_id, ReferenceFetch.source))}
    assert fetched == {unknown.id: "none", empty.id: "none", epmc_only.id: "epmc"}


def test_service_errors_leave_the_study_to_ask_again(session: Session,
                                                     services: Services) -> None:
    study = _study(session, doi="10.6000/busy")
    other = _study(session, doi="10.6000/fine")
    services.refs.add(["DOI:10.6000/busy"], [_paper(doi="10.9000/x")])
    services.refs.add(["DOI:10.6000/fine"], [_paper(doi="10.9000/y")])
    services.server.fault("503", times=10, pattern="busy/references", retry_after=0)
    report = _run(session, services).references
    assert report.failed == 1 and report.from_s2 == 1
    assert any("10.6000/busy" in m for m in report.messages)
    assert references_of(session, study.id) == []
    assert [r.doi for r in references_of(session, other.id)] == ["10.9000/y"]
    services.server.clear_faults()
    assert _run(session, services).references.from_s2 == 1
    assert [r.doi for r in references_of(session, study.id)] == ["10.9000/x"]


def test_429_waits_for_retry_after(session: Session, services: Services) -> None:
    _study(session, pmid="888")
    services.refs.add(["PMID:888"], [_paper(doi="10.9000/z")])
    services.server.fault("429", times=1, pattern="references", retry_after=7)
    waits: list[float] = []
    settings = services.settings(max_wait=60.0)
    report = enrich(session, settings, sleep=waits.append)
    assert report.references.from_s2 == 1 and 7.0 in waits


def test_five_thousand_references_paged_stored_and_shown_first_n(
        session: Session, services: Services) -> None:
    review = _study(session, pmid="999", title="A big review")
    refs = [_paper(doi=f"10.7000/r{i}", title=f"Paper {i}", year=1990 + i % 30)
            for i in range(5000)]
    services.refs.add(["PMID:999"], refs)
    report = _run(session, services).references
    assert report.stored == 5000 and report.received == 5000
    pages = [t for t in services.s2_requests() if "PMID:999" in t]
    assert len(pages) == 5 and all("limit=1000" in t for t in pages)
    research = study_research(session, review.id, shown=20)
    assert research.references_total == 5000 and len(research.references) == 20
    assert research.references[0].doi == "10.7000/r0"
    assert session.scalar(select(func.count()).select_from(ReferencePaper)) == 5000


def test_commands_report_references_and_take_refresh(db_url: str, services: Services,
                                                     tmp_path: Any, monkeypatch: Any,
                                                     capsys: Any) -> None:
    from typer.testing import CliRunner

    import hairlink.cli  # noqa: F401  (registers every command)
    from hairlink.app import app
    from models.db import make_engine, session_factory
    from models.migrate import upgrade
    from scrapers.enrich.cli import main

    engine = make_engine(db_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        _study(session, pmid="121")
    engine.dispose()
    services.refs.add(["PMID:121"], [_paper(doi="10.9000/cli", title="Cited")])
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    s2, epmc = services.server.url("/s2"), services.server.base_url
    assert main(["--s2-url", s2, "--epmc-url", epmc, "--no-references"]) == 0
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert counts["references"]["asked"] == 0
    assert main(["--s2-url", s2, "--epmc-url", epmc]) == 0
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (counts["references"]["asked"], counts["references"]["stored"]) == (1, 1)
    runner = CliRunner()
    args = ["studies", "enrich", "--s2-url", s2, "--epmc-url", epmc, "--delay", "0"]
    result = runner.invoke(app, args)
    assert "references of 0 studies" in result.output
    result = runner.invoke(app, [*args, "--refresh"])
    assert result.exit_code == 0, result.output
    assert "references of 1 studies: 1 from Semantic Scholar" in result.output
    assert "1 of 1 entries stored (0 in the catalogue, 1 outside" in result.output


def test_enrich_section_turns_references_off() -> None:
    assert EnrichSettings.from_env(section={"references": False}).use_references is False
    assert EnrichSettings.from_env().use_references is True
    with pytest.raises(ValueError, match="references"):
        EnrichSettings.from_env(section={"references": "no"})
