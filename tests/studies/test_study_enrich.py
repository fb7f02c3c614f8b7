"""Enrichment against loopback Semantic Scholar and Europe PMC services."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug import Request, Response

from models.entities import Study
from models.study_store import upsert_study
from scrapers.enrich.run import enrich
from scrapers.enrich.settings import EnrichSettings
from scrapers.retry_after import parse_retry_after as retry_after_seconds

S2_PATH = "/graph/v1/paper/batch"
EPMC_PATH = "/europepmc/webservices/rest/search"


class FakeServices:
    """Semantic Scholar batch + Europe PMC search with scripted answers and failures."""

    def __init__(self, server: HTTPServer) -> None:
        self.papers: dict[str, dict[str, Any]] = {}  # "PMID:1" -> paper object
        self.epmc: list[dict[str, Any]] = []  # records searchable by pmid/doi/pmcid
        self.s2_failures: list[tuple[int, dict[str, str]]] = []  # answered first, in order
        self.epmc_failures: list[tuple[int, dict[str, str]]] = []
        self.s2_calls: list[dict[str, Any]] = []
        self.epmc_calls: list[str] = []
        self.works: dict[str, dict[str, Any]] = {}  # DOI -> Crossref work
        self.crossref_calls: list[str] = []
        server.expect_request(S2_PATH, method="POST").respond_with_handler(self.s2)
        server.expect_request(EPMC_PATH, method="GET").respond_with_handler(self.search)
        server.expect_request(re.compile("^/works/")).respond_with_handler(self.work)

    def work(self, request: Request) -> Response:
        doi = request.path.removeprefix("/works/")
        self.crossref_calls.append(doi)
        if doi not in self.works:
            return Response("Resource not found.", status=404)
        return Response(json.dumps({"status": "ok", "message-type": "work",
                                    "message": self.works[doi]}),
                        content_type="application/json")

    def s2(self, request: Request) -> Response:
        body = json.loads(request.data)
        self.s2_calls.append({"ids": body["ids"], "fields": request.args.get("fields"),
                              "key": request.headers.get("x-api-key")})
        if self.s2_failures:
            status, headers = self.s2_failures.pop(0)
            return Response('{"message": "Too Many Requests"}', status=status, headers=headers)
        return Response(json.dumps([self.papers.get(i) for i in body["ids"]]),
                        content_type="application/json")

    def search(self, request: Request) -> Response:
        query = request.args.get("query", "")
        self.epmc_calls.append(query)
        assert request.args.get("format") == "json"
        assert request.args.get("resultType") == "lite"
        if self.epmc_failures:
            status, headers = self.epmc_failures.pop(0)
            return Response("busy", status=status, headers=headers)
        hits = [r for r in self.epmc
                if any(f"EXT_ID:{r.get('pmid')}" == part.strip()
                       or f'DOI:"{r.get("doi")}"' == part.strip()
                       for part in query.split(" OR "))]
        return Response(json.dumps({"hitCount": len(hits), "resultList": {"result": hits}}),
                        content_type="application/json")


@pytest.fixture
def services(httpserver: HTTPServer) -> FakeServices:
    return FakeServices(httpserver)


@pytest.fixture
def settings(httpserver: HTTPServer) -> EnrichSettings:
    base = httpserver.url_for("").rstrip("/")
    return EnrichSettings.from_env(base, base, crossref_base=base, s2_interval=0,
                                   epmc_interval=0, crossref_interval=0, max_retries=2)


def paper(pmid: str | None, doi: str | None, tldr: str | None, count: int | None) -> dict:
    ids = {k: v for k, v in (("PubMed", pmid), ("DOI", doi)) if v}
    return {"paperId": f"p{pmid or doi}", "externalIds": ids, "citationCount": count,
            "tldr": {"model": "tldr@v2.0.0", "text": tldr} if tldr else None}


def seed(session: Session) -> None:
    upsert_study(session, {"pmid": "99000001", "title": "Known to S2"})
    upsert_study(session, {"doi": "10.5555/ONLY.EPMC", "title": "Only in Europe PMC"})
    upsert_study(session, {"pmid": "99000003", "title": "Unknown everywhere",
                           "tldr": "Curated.", "citation_count": 2})
    session.commit()


def get(session: Session, **ident: str) -> Study:
    session.expire_all()
    column, value = next(iter(ident.items()))
    return session.scalars(select(Study).where(getattr(Study, column) == value)).one()


def test_batch_with_null_entries_and_europe_pmc_fallback(
        session: Session, services: FakeServices, settings: EnrichSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed(session)
    services.papers["PMID:99000001"] = paper("99000001", "10.5555/S2.DOI", "Short take.", 31)
    services.epmc.append({"id": "1", "source": "MED", "doi": "10.5555/only.epmc",
                          "citedByCount": 4})
    report = enrich(session, settings, sleep=lambda s: None)
    assert services.s2_calls == [{"ids": ["PMID:99000001", "DOI:10.5555/only.epmc",
                                          "PMID:99000003"],
                                  "fields": "tldr,citationCount,externalIds", "key": None}]
    assert sorted(services.epmc_calls) == ['DOI:"10.5555/only.epmc"', "EXT_ID:99000003"]
    assert (report.asked, report.from_s2, report.from_epmc, report.not_found,
            report.failed) == (3, 1, 1, 1, 0)
    known = get(session, pmid="99000001")
    assert (known.tldr, known.citation_count, known.doi) == ("Short take.", 31,
                                                             "10.5555/s2.doi")
    assert known.enriched_at is not None
    epmc_only = get(session, doi="10.5555/only.epmc")
    assert (epmc_only.citation_count, epmc_only.tldr) == (4, None)
    unknown = get(session, pmid="99000003")
    assert (unknown.tldr, unknown.citation_count) == ("Curated.", 2)  # kept
    assert unknown.enriched_at is not None  # both services answered "unknown"
    # A second run asks nothing: everything was enriched; --all asks again.
    assert enrich(session, settings, sleep=lambda s: None).asked == 0
    assert enrich(session, settings, everything=True, sleep=lambda s: None).asked == 3


def test_429_waits_for_retry_after_then_succeeds(
        session: Session, services: FakeServices, settings: EnrichSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed(session)
    services.papers["PMID:99000001"] = paper("99000001", None, "After the wait.", 8)
    services.s2_failures = [(429, {"Retry-After": "7"})]
    waits: list[float] = []
    report = enrich(session, settings, sleep=waits.append)
    assert waits == [7.0]
    assert len(services.s2_calls) == 2 and report.retries == 1
    assert get(session, pmid="99000001").tldr == "After the wait."


def test_failure_keeps_what_the_study_had(session: Session, services: FakeServices,
                                          settings: EnrichSettings) -> None:
    seed(session)
    services.s2_failures = [(429, {"Retry-After": "1"})] * 3  # more than max_retries
    services.epmc_failures = [(503, {"Retry-After": "1"})] * 9
    waits: list[float] = []
    report = enrich(session, settings, sleep=waits.append)
    assert report.failed == 3 and report.from_s2 == report.from_epmc == 0
    assert len(services.s2_calls) == 3  # one try + max_retries
    assert waits.count(1.0) == 2 + 6
    kept = get(session, pmid="99000003")
    assert (kept.tldr, kept.citation_count, kept.enriched_at) == ("Curated.", 2, None)
    assert session.scalar(select(func.count()).select_from(Study)
                          .where(Study.enriched_at.is_(None))) == 3
    assert any("429" in m for m in report.messages)


def test_s2_server_error_falls_back_to_europe_pmc(session: Session, services: FakeServices,
                                                  settings: EnrichSettings) -> None:
    seed(session)
    services.s2_failures = [(500, {})]
    services.epmc.append({"id": "99000001", "source": "MED", "pmid": "99000001",
                          "citedByCount": 17})
    report = enrich(session, settings, sleep=lambda s: None)
    assert report.from_epmc == 1 and report.not_found == 2 and report.failed == 0
    assert get(session, pmid="99000001").citation_count == 17


def test_batches_of_at_most_batch_size_and_api_key(
        session: Session, services: FakeServices, httpserver: HTTPServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        upsert_study(session, {"pmid": str(99000100 + n)})
    session.commit()
    monkeypatch.setenv("HAIRLINK_S2_API_KEY", "s3cret")
    monkeypatch.setenv("HAIRLINK_S2_BASE_URL", httpserver.url_for("/"))
    monkeypatch.setenv("HAIRLINK_EPMC_BASE_URL", httpserver.url_for("/"))
    settings = EnrichSettings.from_env(batch_size=2, s2_interval=0, epmc_interval=0,
                                       use_epmc=False)
    for n in range(5):
        services.papers[f"PMID:{99000100 + n}"] = paper(str(99000100 + n), None, None, n)
    report = enrich(session, settings, sleep=lambda s: None)
    assert [len(c["ids"]) for c in services.s2_calls] == [2, 2, 1]
    assert {c["key"] for c in services.s2_calls} == {"s3cret"}
    assert report.from_s2 == 5 and services.epmc_calls == []
    assert get(session, pmid="99000104").citation_count == 4


def test_identifiers_from_s2_merge_rows_of_one_paper(session: Session, services: FakeServices,
                                                     settings: EnrichSettings) -> None:
    upsert_study(session, {"pmid": "99000200", "title": "From PubMed"})
    upsert_study(session, {"doi": "10.5555/SAME.PAPER", "tldr": "From a CSV"})
    session.commit()
    services.papers["PMID:99000200"] = paper("99000200", "10.5555/same.paper", None, 5)
    services.papers["DOI:10.5555/same.paper"] = paper("99000200", "10.5555/same.paper", None, 5)
    enrich(session, settings, sleep=lambda s: None)
    session.expire_all()
    study = session.scalars(select(Study)).one()
    assert (study.pmid, study.doi, study.title, study.tldr, study.citation_count) == (
        "99000200", "10.5555/same.paper", "From PubMed", "From a CSV", 5)


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_module_entry_point_for_the_scheduler(db_url: str, services: FakeServices,
                                              httpserver: HTTPServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from models.db import make_engine
    from models.migrate import upgrade
    from scrapers.enrich.cli import main

    engine = make_engine(db_url)
    upgrade(engine)
    with Session(engine) as session:
        upsert_study(session, {"pmid": "99000300"})
        session.commit()
    services.papers["PMID:99000300"] = paper("99000300", None, "Via the module.", 1)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    base = httpserver.url_for("/").rstrip("/")
    assert main(["--s2-url", base, "--epmc-url", base]) == 0
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (counts["asked"], counts["from_s2"], counts["failed"]) == (1, 1, 0)
    with Session(engine) as session:
        assert session.scalars(select(Study)).one().tldr == "Via the module."
    engine.dispose()


def test_crossref_completes_incomplete_studies(session: Session, services: FakeServices,
                                               settings: EnrichSettings) -> None:
    upsert_study(session, {"doi": "10.5555/CSV.ONLY"})  # a CSV row with just a DOI
    upsert_study(session, {"pmid": "99000400", "title": "Kept title"})
    upsert_study(session, {"pmid": "99000401", "title": "Complete", "journal": "J",
                           "pub_year": 2020})
    session.commit()
    services.papers["PMID:99000400"] = paper("99000400", "10.5555/from.s2", None, 1)
    services.works["10.5555/csv.only"] = {
        "DOI": "10.5555/CSV.ONLY", "title": ["Filled by Crossref"], "container-title": ["CJ"],
        "author": [{"given": "Ann", "family": "Lee"}], "issued": {"date-parts": [[2017, 5]]},
        "is-referenced-by-count": 999}
    services.works["10.5555/from.s2"] = {"DOI": "10.5555/from.s2", "title": ["Other title"],
                                         "container-title": ["S2 DOI Journal"],
                                         "issued": {"date-parts": [[2011]]}}
    report = enrich(session, settings, sleep=lambda s: None)
    assert sorted(services.crossref_calls) == ["10.5555/csv.only", "10.5555/from.s2"]
    assert report.from_crossref == 2
    csv_only = get(session, doi="10.5555/csv.only")
    assert (csv_only.title, csv_only.journal, csv_only.pub_year, csv_only.pub_month) == (
        "Filled by Crossref", "CJ", 2017, 5)
    assert csv_only.authors == ["Ann Lee"]
    assert csv_only.citation_count is None  # Crossref's count is not used
    via_s2 = get(session, pmid="99000400")
    assert (via_s2.title, via_s2.journal, via_s2.pub_year) == ("Kept title", "S2 DOI Journal",
                                                               2011)
    settings.use_crossref = False
    services.crossref_calls.clear()
    enrich(session, settings, everything=True, sleep=lambda s: None)
    assert services.crossref_calls == []


def test_unreachable_services_keep_everything(session: Session) -> None:
    seed(session)
    dead = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings = EnrichSettings.from_env(dead, dead, crossref_base=dead, s2_interval=0,
                                       epmc_interval=0, crossref_interval=0, timeout=2)
    report = enrich(session, settings, sleep=lambda s: None)
    assert (report.asked, report.failed, report.from_s2, report.not_found) == (3, 3, 0, 0)
    kept = get(session, pmid="99000003")
    assert (kept.tldr, kept.citation_count, kept.enriched_at) == ("Curated.", 2, None)
    assert report.messages and all(m.startswith(("s2:", "epmc:", "crossref:"))
                                   for m in report.messages)


def test_settings_precedence_option_env_section(monkeypatch: pytest.MonkeyPatch) -> None:
    section = {"s2_url": "http://127.0.0.1:1/", "epmc_url": "http://127.0.0.1:2",
               "crossref_url": "http://127.0.0.1:3", "delay": 2, "epmc": False,
               "batch_size": 900}
    monkeypatch.delenv("HAIRLINK_S2_BASE_URL", raising=False)
    monkeypatch.setenv("HAIRLINK_EPMC_BASE_URL", "http://127.0.0.1:4/")
    settings = EnrichSettings.from_env("http://127.0.0.1:5", None, section=section)
    assert (settings.s2_base, settings.epmc_base, settings.crossref_base) == (
        "http://127.0.0.1:5", "http://127.0.0.1:4", "http://127.0.0.1:3")
    assert (settings.s2_interval, settings.use_epmc, settings.batch_size) == (2, False, 500)
    assert EnrichSettings.from_env(section=section, use_epmc=True).use_epmc is True
    with pytest.raises(ValueError, match="unknown key 'url'"):
        EnrichSettings.from_env(section={"url": "x"})
    with pytest.raises(ValueError, match="'delay': wrong type"):
        EnrichSettings.from_env(section={"delay": "fast"})
