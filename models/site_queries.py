"""Overview queries for the web view: treatments with thread counts, the most discussed
studies, one treatment's statistics, and stored sources with their recent crawl runs.
Each takes the caller's session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.entities import (
    CrawlRun,
    Source,
    Study,
    StudyTreatment,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    Treatment,
)
from models.identifiers import study_key


def treatment_overview(session: Session) -> list[dict[str, Any]]:
    """Every known treatment with its tagged threads and studies, most threads first."""
    threads = dict(session.execute(
        select(ThreadTreatment.treatment_id, func.count())
        .group_by(ThreadTreatment.treatment_id)).all())
    studies = dict(session.execute(
        select(StudyTreatment.treatment_id, func.count())
        .group_by(StudyTreatment.treatment_id)).all())
    rows = [{"id": t.id, "name": t.name, "category": t.category,
             "threads": int(threads.get(t.id, 0)), "studies": int(studies.get(t.id, 0))}
            for t in session.scalars(select(Treatment))]
    return sorted(rows, key=lambda r: (-r["threads"], r["id"]))


def most_discussed_studies(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The studies with the most linked community threads (citations counted apart)."""
    counts = (select(ThreadStudyLink.study_id, func.count().label("related"),
                     func.sum(case((ThreadStudyLink.kind == "citation", 1), else_=0))
                     .label("citing"))
              .group_by(ThreadStudyLink.study_id)
              .order_by(func.count().desc(), ThreadStudyLink.study_id)
              .limit(limit).subquery())
    rows = session.execute(
        select(Study.id, Study.pmid, Study.doi, Study.pmcid, Study.title, Study.journal,
               Study.pub_year, counts.c.related, counts.c.citing)
        .join(counts, counts.c.study_id == Study.id)
        .order_by(counts.c.related.desc(), Study.id))
    return [{"id": r.id, "key": study_key(r.pmid, r.doi, r.pmcid, r.id), "title": r.title or "",
             "journal": r.journal, "year": r.pub_year, "related_total": int(r.related),
             "citing_total": int(r.citing or 0)} for r in rows]


class Tally(NamedTuple):
    """A name (a source, a treatment id, a form) and how many threads have it."""

    name: str
    threads: int


@dataclass
class TreatmentProfile:
    """Where and with what one treatment is discussed: threads, studies, sources, forms."""

    id: str
    name: str
    category: str
    threads: int = 0
    studies: int = 0
    by_source: list[Tally] = field(default_factory=list)
    together_with: list[Tally] = field(default_factory=list)  # co-mentioned treatments
    forms: list[Tally] = field(default_factory=list)


def treatment_profile(session: Session, treatment_id: str,
                      top: int = 8) -> TreatmentProfile | None:
    """Threads, studies, threads per source, the treatments most often named with it, and
    the forms it is named in; None for an unknown treatment."""
    treatment = session.get(Treatment, treatment_id)
    if treatment is None:
        return None
    stats = TreatmentProfile(treatment.id, treatment.name, treatment.category)
    tagged = select(ThreadTreatment.thread_id).where(
        ThreadTreatment.treatment_id == treatment_id)
    stats.threads = session.scalar(select(func.count()).select_from(tagged.subquery())) or 0
    stats.studies = session.scalar(select(func.count()).select_from(StudyTreatment).where(
        StudyTreatment.treatment_id == treatment_id)) or 0
    stats.by_source = [Tally(r.name, int(r.threads)) for r in session.execute(
        select(Source.name, func.count().label("threads")).select_from(ThreadTreatment)
        .join(Thread, Thread.id == ThreadTreatment.thread_id)
        .join(Source, Source.id == Thread.source_id)
        .where(ThreadTreatment.treatment_id == treatment_id)
        .group_by(Source.name).order_by(func.count().desc(), Source.name))]
    other = ThreadTreatment.__table__.alias("other")
    stats.together_with = [Tally(r.treatment_id, int(r.threads)) for r in session.execute(
        select(other.c.treatment_id, func.count().label("threads")).select_from(ThreadTreatment)
        .join(other, other.c.thread_id == ThreadTreatment.thread_id)
        .where(ThreadTreatment.treatment_id == treatment_id,
               other.c.treatment_id != treatment_id)
        .group_by(other.c.treatment_id)
        .order_by(func.count().desc(), other.c.treatment_id).limit(top))]
    forms: dict[str, int] = {}
    for (values,) in session.execute(
            select(ThreadTreatment.forms).where(ThreadTreatment.treatment_id == treatment_id)
            .limit(20_000)):
        for form in values or []:
            forms[form] = forms.get(form, 0) + 1
    stats.forms = sorted((Tally(form, n) for form, n in forms.items()),
                         key=lambda t: (-t.threads, t.name))[:top]
    return stats


def source_activity(session: Session, runs: int = 5) -> list[dict[str, Any]]:
    """Every stored source with its thread count and its last `runs` crawl runs."""
    counts = dict(session.execute(
        select(Thread.source_id, func.count()).group_by(Thread.source_id)).all())
    out = []
    for source in session.scalars(select(Source).order_by(Source.name)):
        recent = session.scalars(
            select(CrawlRun).where(CrawlRun.source_name == source.name)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(runs))
        out.append({
            "name": source.name, "kind": source.kind, "base_url": source.base_url,
            "threads": int(counts.get(source.id, 0)),
            "runs": [{"started_at": r.started_at.isoformat(timespec="seconds"),
                      "finished_at": r.finished_at.isoformat(timespec="seconds")
                      if r.finished_at else None,
                      "status": r.status, "pages": r.pages, "items": r.items,
                      "dropped": sum(int(v) for v in (r.dropped or {}).values()
                                     if isinstance(v, int | float)),
                      "errors": r.errors} for r in recent],
        })
    return out
