"""An enrichment run: Semantic Scholar in batches, Europe PMC for what it lacks, Crossref for
incomplete bibliographies; results stored through `upsert_study`, one commit per batch."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models.entities import Study
from models.store import utcnow
from models.study_queries import studies_to_enrich
from models.study_store import IDENTIFIERS, StudyIn, upsert_study
from scrapers.enrich.client import HttpClient, RequestFailed
from scrapers.enrich.crossref import crossref_work
from scrapers.enrich.europe_pmc import epmc_lookup
from scrapers.enrich.references import fetch_references
from scrapers.enrich.report import EnrichReport
from scrapers.enrich.semantic_scholar import s2_batch
from scrapers.enrich.settings import EnrichSettings
from scrapers.parsers import semanticscholar


def _ids_of(study: Study) -> StudyIn:
    return {kind: getattr(study, kind) for kind in IDENTIFIERS}  # type: ignore[return-value]


def _incomplete(study: Study) -> bool:
    """A study missing a title, journal or year (Crossref can fill those from its DOI)."""
    return not study.title or not study.journal or study.pub_year is None

def enrich_studies(session: Session, studies: list[Study], settings: EnrichSettings,
                   sleep: Callable[[float], None] = time.sleep,
                   progress: Callable[[str], None] | None = None) -> EnrichReport:
    """Enrich `studies` in batches, committing after each batch."""
    report = EnrichReport()
    client = HttpClient(settings, sleep=sleep, report=report)
    # Identifiers are copied first: a merge during the run may fold one row into another.
    records = [_ids_of(study) for study in studies]
    incomplete = {i for i, study in enumerate(studies) if _incomplete(study)}
    for start in range(0, len(records), settings.batch_size):
        batch = records[start:start + settings.batch_size]
        report.asked += len(batch)
        try:
            papers = s2_batch(client, batch)
        except RequestFailed as exc:
            report.messages.append(str(exc))
            papers = [None] * len(batch)
            s2_failed = True
        else:
            s2_failed = False
        for offset, (record, paper) in enumerate(zip(batch, papers, strict=True)):
            _enrich_one(session, client, record, paper, s2_failed, report)
            if start + offset in incomplete and settings.use_crossref:
                _fill_from_crossref(session, client, record, paper, report)
        session.commit()
        if progress:
            progress(f"{min(start + len(batch), len(records))}/{len(records)} studies asked")
    return report


def _enrich_one(session: Session, client: HttpClient, record: StudyIn,
                paper: semanticscholar.S2Paper | None, s2_failed: bool,
                report: EnrichReport) -> None:
    found: StudyIn | None = None
    if paper is not None:
        found = _merge_ids(record, paper.enrichment())
        report.from_s2 += 1
    epmc_answered: bool | None = None  # None: not asked
    if (found is None or found.get("citation_count") is None) and client.settings.use_epmc:
        try:
            epmc = epmc_lookup(client, record)
        except RequestFailed as exc:
            report.messages.append(str(exc))
            epmc_answered = False
        else:
            epmc_answered = True
            if epmc is not None:
                found = _merge_ids(found or record, epmc.enrichment())
                report.from_epmc += 1
    if found is None:
        # "Unknown" counts only when the last service asked did answer; otherwise the
        # study stays un-enriched and the next run asks again.
        answered = epmc_answered if epmc_answered is not None else not s2_failed
        if not answered:
            report.failed += 1
            return
        report.not_found += 1
        found = dict(record)  # type: ignore[assignment]
    try:
        with session.begin_nested():
            study, _ = upsert_study(session, found)
            study.enriched_at = utcnow()
    except SQLAlchemyError as exc:  # a refused write keeps the stored values
        report.failed += 1
        report.messages.append(f"not stored: {str(exc).splitlines()[0]}")


def _fill_from_crossref(session: Session, client: HttpClient, record: StudyIn,
                        paper: semanticscholar.S2Paper | None, report: EnrichReport) -> None:
    """Fill an incomplete study's empty bibliographic fields from Crossref (by DOI)."""
    doi = record.get("doi") or (paper.doi if paper else None)
    if not doi:
        return
    try:
        work = crossref_work(client, doi)
    except RequestFailed as exc:
        report.messages.append(str(exc))
        return
    if work is None:
        return
    work = _merge_ids(work, record)
    try:
        with session.begin_nested():
            upsert_study(session, work)
    except SQLAlchemyError as exc:
        report.messages.append(f"not stored: {str(exc).splitlines()[0]}")
        return
    report.from_crossref += 1


def _merge_ids(base: StudyIn, extra: StudyIn) -> StudyIn:
    merged: dict[str, Any] = dict(base)
    for key, value in extra.items():
        if value is None:
            continue
        if key in IDENTIFIERS and merged.get(key):
            continue
        if key == "tldr" and merged.get("tldr"):
            continue
        if key == "citation_count" and merged.get("citation_count") is not None:
            continue
        merged[key] = value
    return merged  # type: ignore[return-value]


def enrich(session: Session, settings: EnrichSettings, everything: bool = False,
           limit: int | None = None, sleep: Callable[[float], None] = time.sleep,
           progress: Callable[[str], None] | None = None,
           refresh_references: bool = False) -> EnrichReport:
    """Enrich the studies never enriched (or all of them with `everything`), then fetch the
    reference lists never fetched (all of them again with `refresh_references`) unless
    `settings.use_references` is off."""
    studies = studies_to_enrich(session, everything=everything, limit=limit)
    report = enrich_studies(session, studies, settings, sleep=sleep, progress=progress)
    if settings.use_references:
        client = HttpClient(settings, sleep=sleep, report=report)
        fetch_references(session, client, report.references, refresh=refresh_references,
                         limit=limit, progress=progress)
        report.messages.extend(report.references.messages)
    return report
