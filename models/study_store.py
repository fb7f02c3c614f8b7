"""Study upserts: one row per paper, whichever identifiers each source knows."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NotRequired, TypedDict

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from models.entities import Study, StudyTreatment, ThreadStudyLink
from models.identifiers import NORMALISERS
from models.link_lock import lock_links
from models.store import dialect_insert, utcnow
from models.study_references import adopt_reference_papers, move_references
from models.study_stats import forget_study_stats
from models.study_tags import move_tagger_added

IDENTIFIERS = ("pmid", "doi", "pmcid")
# Fields a later record fills when the stored value is empty.
_BIBLIOGRAPHIC = ("title", "authors", "journal", "pub_year", "pub_month", "pub_day",
                  "abstract", "mesh_terms", "publication_types", "url")
# Fields from enrichment services: the newest value wins.
_ENRICHMENT = ("tldr", "citation_count")


class StudyIn(TypedDict):
    """A study as parsers and importers hand it over; at least one identifier."""

    pmid: NotRequired[str | None]
    doi: NotRequired[str | None]
    pmcid: NotRequired[str | None]
    title: NotRequired[str]
    authors: NotRequired[list[str]]
    journal: NotRequired[str | None]
    pub_year: NotRequired[int | None]
    pub_month: NotRequired[int | None]
    pub_day: NotRequired[int | None]
    abstract: NotRequired[str | None]
    tldr: NotRequired[str | None]
    citation_count: NotRequired[int | None]
    mesh_terms: NotRequired[list[str]]
    publication_types: NotRequired[list[str]]
    url: NotRequired[str | None]
    treatments: NotRequired[list[str]]


class StudyWithoutIdentifier(ValueError):
    """A study record carries no PMID, DOI or PMCID."""


def normalised_ids(item: StudyIn) -> dict[str, str]:
    """The record's identifiers that normalise, keyed by kind."""
    ids: dict[str, str] = {}
    for kind in IDENTIFIERS:
        value = NORMALISERS[kind](item.get(kind))
        if value:
            ids[kind] = value
    return ids


def study_content_hash(study: Study) -> str:
    """A hash of what the linker reads of a study: its text and its identifiers."""
    payload = json.dumps([study.title, study.abstract, study.tldr, study.mesh_terms,
                          study.pmid, study.doi, study.pmcid], sort_keys=True, default=str)
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


# Column widths of the bounded text fields: a longer journal is cut, a longer URL dropped
# (as is a URL that is not http(s)).
_MAX_JOURNAL: int = Study.__table__.c.journal.type.length
_MAX_URL: int = Study.__table__.c.url.type.length


def _fit(field: str, value: Any) -> Any:
    if field == "journal" and isinstance(value, str) and len(value) > _MAX_JOURNAL:
        return value[:_MAX_JOURNAL - 1].rstrip() + "…"
    if field == "url" and isinstance(value, str) and (
            len(value) > _MAX_URL or not value.strip().lower().startswith(("http://", "https://"))):
        return None  # too long, or not a web link (`javascript:`...)
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def upsert_study(session: Session, item: StudyIn) -> tuple[Study, str]:
    """Insert or merge one study; returns the row and `inserted`, `updated` or `merged`.

    Every stored row that shares any normalised identifier with `item` is the same paper:
    those rows are merged into the oldest one (links and treatments move with them).
    Takes the links lock (`models.link_lock`) before its first write, not only to merge:
    a merge later in the same transaction must not wait for it while the aggregator, holding
    it, waits for a study row this transaction wrote (a deadlock).
    """
    ids = normalised_ids(item)
    if not ids:
        raise StudyWithoutIdentifier("a study needs a PMID, DOI or PMCID")
    lock_links(session)
    clauses = [getattr(Study, kind) == value for kind, value in ids.items()]
    matches = list(session.scalars(select(Study).where(or_(*clauses)).order_by(Study.id)))
    now = utcnow()
    outcome = "updated"
    if not matches:
        study = Study(created_at=now, updated_at=now, title="", authors=[], mesh_terms=[],
                      publication_types=[])
        session.add(study)
        outcome = "inserted"
    else:
        study = matches[0]
        for other in matches[1:]:
            _absorb(session, study, other)
            outcome = "merged"
    for kind, value in ids.items():
        if getattr(study, kind) is None:
            setattr(study, kind, value)
    for field in _BIBLIOGRAPHIC:
        value = _fit(field, item.get(field))
        if not _empty(value) and _empty(getattr(study, field)):
            setattr(study, field, value)
    for field in _ENRICHMENT:
        value = item.get(field)
        if not _empty(value):
            setattr(study, field, value)
    study.updated_at = now
    study.content_hash = study_content_hash(study)
    session.flush()
    adopt_reference_papers(session, study)
    treatments = item.get("treatments")
    if treatments:
        set_study_treatments(session, study.id, treatments, replace=False)
    return study, outcome


def _absorb(session: Session, keep: Study, other: Study) -> None:
    """Fold `other` into `keep`: identifiers, empty fields, links, treatments (those the
    aggregator added to `other` count as added to `keep`: `models.study_tags`); the caller,
    `upsert_study`, holds the links lock (`models.link_lock`)."""
    for kind in IDENTIFIERS:
        value = getattr(other, kind)
        if value is not None and getattr(keep, kind) is None:
            setattr(other, kind, None)
            session.flush()
            setattr(keep, kind, value)
    for field in _BIBLIOGRAPHIC:
        if _empty(getattr(keep, field)) and not _empty(getattr(other, field)):
            setattr(keep, field, getattr(other, field))
    # Enrichment values: the row written last holds the newest (ties keep `keep`'s).
    other_newer = (other.updated_at is not None and keep.updated_at is not None
                   and other.updated_at > keep.updated_at)
    for field in _ENRICHMENT:
        value = getattr(other, field)
        if not _empty(value) and (_empty(getattr(keep, field)) or other_newer):
            setattr(keep, field, value)
    if other.enriched_at is not None and (keep.enriched_at is None
                                          or other.enriched_at > keep.enriched_at):
        keep.enriched_at = other.enriched_at
    kept_links = set(session.scalars(
        select(ThreadStudyLink.thread_id).where(ThreadStudyLink.study_id == keep.id)))
    session.execute(update(ThreadStudyLink)
                    .where(ThreadStudyLink.study_id == other.id,
                           ThreadStudyLink.thread_id.not_in(kept_links or {-1}))
                    .values(study_id=keep.id))
    forget_study_stats(session, [keep.id])  # counted live until the next aggregate run
    treatments = list(session.scalars(
        select(StudyTreatment.treatment_id).where(StudyTreatment.study_id == other.id)))
    keep_had = set(session.scalars(
        select(StudyTreatment.treatment_id).where(StudyTreatment.study_id == keep.id)))
    move_tagger_added(session, keep.id, other.id, keep_had, set(treatments))
    move_references(session, keep.id, other.id)
    session.delete(other)
    session.flush()
    if treatments:
        set_study_treatments(session, keep.id, treatments, replace=False)


def set_study_treatments(session: Session, study_id: int, treatment_ids: list[str],
                         replace: bool = True) -> None:
    """Attach treatments to a study (replacing its set unless `replace` is False).

    A change marks the study for relinking by the next aggregate run.
    """
    current = set(session.scalars(select(StudyTreatment.treatment_id)
                                  .where(StudyTreatment.study_id == study_id)))
    wanted = set(treatment_ids) if replace else current | set(treatment_ids)
    if wanted == current:
        return
    if replace:
        session.query(StudyTreatment).filter(StudyTreatment.study_id == study_id).delete()
    rows = [{"study_id": study_id, "treatment_id": t} for t in sorted(set(treatment_ids))]
    if rows:
        stmt = dialect_insert(session, StudyTreatment).on_conflict_do_nothing()
        session.execute(stmt, rows)
    session.execute(update(Study).where(Study.id == study_id).values(aggregated_hash=None))

