"""Reference lists: Semantic Scholar `/graph/v1/paper/{id}/references` (offset/limit pages,
`next` in the answer), Europe PMC `/{source}/{id}/references` where Semantic Scholar has
none; stored through `models.study_references.store_references`, once per study."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models.entities import ReferenceFetch, Study
from models.store import utcnow
from models.study_references import CitedPaperIn, store_references
from scrapers.enrich.client import HttpClient, RequestFailed
from scrapers.enrich.report import ReferencesReport
from scrapers.parsers import semanticscholar
from scrapers.parsers.jsonbody import ServiceError
from scrapers.parsers.references import (
    S2_REFERENCE_FIELDS,
    parse_epmc_references,
    parse_s2_references,
)

S2_PAGE = 1000  # Semantic Scholar's largest `limit` for reference pages
S2_MAX_OFFSET = 10_000  # it answers at most offset + limit <= 10,000
EPMC_PAGE = 1000
EPMC_MAX_PAGES = 20
COMMIT_EVERY = 50


def s2_references(client: HttpClient, paper_id: str) -> list[CitedPaperIn] | None:
    """Every reference Semantic Scholar lists for `paper_id` (`PMID:n`, `DOI:x`,
    `PMCID:n`), page by page; None when it does not know the paper (404)."""
    settings = client.settings
    headers = {"x-api-key": settings.s2_api_key} if settings.s2_api_key else {}
    path = f"/graph/v1/paper/{urllib.parse.quote(paper_id, safe=':')}/references"
    papers: list[CitedPaperIn] = []
    offset: int | None = 0
    while offset is not None and offset < S2_MAX_OFFSET:
        limit = min(S2_PAGE, S2_MAX_OFFSET - offset)
        query = urllib.parse.urlencode({"fields": S2_REFERENCE_FIELDS, "offset": offset,
                                        "limit": limit})
        status, body = client.request("s2", settings.s2_interval,
                                      f"{settings.s2_base}{path}?{query}", headers=headers)
        if status == 404 and offset == 0:
            return None
        if status != 200:
            raise RequestFailed(f"s2: HTTP {status} for the references of {paper_id}")
        try:
            page = parse_s2_references(body)
        except ServiceError as exc:
            raise RequestFailed(f"s2: references of {paper_id}: {exc}") from exc
        papers.extend(page.papers)
        if page.next_offset is not None and page.next_offset <= offset:
            break  # a `next` that does not move on would loop forever
        offset = page.next_offset
    return papers


def epmc_source_id(study: Study) -> tuple[str, str] | None:
    """Europe PMC's (source, id) for a study: ("MED", pmid), else ("PMC", pmcid)."""
    if study.pmid:
        return "MED", study.pmid
    if study.pmcid:
        return "PMC", study.pmcid
    return None


def epmc_references(client: HttpClient, source: str, ident: str) -> list[CitedPaperIn] | None:
    """Europe PMC's reference list of a paper, page by page; None when unknown (404)."""
    settings = client.settings
    base = (f"{settings.epmc_base}/europepmc/webservices/rest/"
            f"{urllib.parse.quote(source)}/{urllib.parse.quote(ident)}/references")
    papers: list[CitedPaperIn] = []
    for page_number in range(1, EPMC_MAX_PAGES + 1):
        query = urllib.parse.urlencode({"format": "json", "page": page_number,
                                        "pageSize": EPMC_PAGE})
        status, body = client.request("epmc", settings.epmc_interval, f"{base}?{query}")
        if status == 404 and page_number == 1:
            return None
        if status != 200:
            raise RequestFailed(f"epmc: HTTP {status} for the references of {source}/{ident}")
        try:
            page = parse_epmc_references(body)
        except ServiceError as exc:
            raise RequestFailed(f"epmc: references of {source}/{ident}: {exc}") from exc
        papers.extend(page.papers)
        if not page.papers or len(page.papers) < EPMC_PAGE or (
                page.total is not None and len(papers) >= page.total):
            break
    return papers


def studies_needing_references(session: Session, refresh: bool = False,
                               limit: int | None = None) -> list[Study]:
    """Studies with an identifier whose references were never fetched (all with `refresh`)."""
    stmt = select(Study).where((Study.pmid.is_not(None)) | (Study.doi.is_not(None))
                               | (Study.pmcid.is_not(None))).order_by(Study.id)
    if not refresh:
        stmt = stmt.where(Study.id.not_in(select(ReferenceFetch.study_id)))
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def fetch_references(session: Session, client: HttpClient, report: ReferencesReport,
                     refresh: bool = False, limit: int | None = None,
                     progress: Callable[[str], None] | None = None) -> ReferencesReport:
    """Fetch and store the reference lists of the studies that need them; a study whose
    services failed is left unfetched (asked again next run) and the run goes on."""
    studies = studies_needing_references(session, refresh=refresh, limit=limit)
    targets = [(s.id, semanticscholar.batch_id({"pmid": s.pmid, "doi": s.doi,
                                                "pmcid": s.pmcid}), epmc_source_id(s))
               for s in studies]
    for number, (study_id, s2_id, epmc_id) in enumerate(targets, 1):
        report.asked += 1
        papers, source = _fetch_one(client, s2_id, epmc_id, report)
        if source is not None:
            _store(session, study_id, papers or [], source, report)
        if number % COMMIT_EVERY == 0:
            session.commit()
            if progress:
                progress(f"{number}/{len(targets)} reference lists asked")
    session.commit()
    return report


def _fetch_one(client: HttpClient, s2_id: str | None, epmc_id: tuple[str, str] | None,
               report: ReferencesReport) -> tuple[list[CitedPaperIn] | None, str | None]:
    """(papers, source) of one study; source None when a service failed (not stored)."""
    s2_answered = False
    if s2_id:
        try:
            papers = s2_references(client, s2_id)
        except RequestFailed as exc:
            report.messages.append(_message(exc, s2_id))
            papers = None
        else:
            s2_answered = True
            if papers is None:
                report.s2_unknown += 1
            elif papers:
                report.from_s2 += 1
                return papers, "s2"
            else:
                report.s2_empty += 1
    if epmc_id and client.settings.use_epmc:
        try:
            epmc = epmc_references(client, *epmc_id)
        except RequestFailed as exc:
            report.messages.append(_message(exc, "/".join(epmc_id)))
            report.failed += 1
            return None, None
        if epmc:
            report.from_epmc += 1
            return epmc, "epmc"
        report.none += 1
        return [], "none"
    if not s2_answered:
        report.failed += 1
        return None, None
    report.none += 1
    return [], "none"


def _message(exc: RequestFailed, paper_id: str) -> str:
    """The failure, naming the paper (messages start with the service: `s2:`, `epmc:`)."""
    text = str(exc)
    return text if paper_id in text else f"{text} (references of {paper_id})"


def _store(session: Session, study_id: int, papers: list[CitedPaperIn], source: str,
           report: ReferencesReport) -> None:
    try:
        with session.begin_nested():
            stats = store_references(session, study_id, papers, source, utcnow())
    except SQLAlchemyError as exc:  # e.g. a concurrent writer: the study is asked again
        report.failed += 1
        report.messages.append(f"not stored: references: {str(exc).splitlines()[0]}")
        return
    report.received += stats.received
    report.stored += stats.stored
    report.in_catalogue += stats.in_catalogue
    report.outside += stats.outside
    report.without_identifier += stats.without_identifier
    report.self_references += stats.self_references
    report.duplicates += stats.duplicates
    report.empty_entries += stats.empty
