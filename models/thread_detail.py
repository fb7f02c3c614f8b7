"""One thread in full: its row, stored replies, score history, treatments and study links.

`thread_detail` serves both `hairlink thread ID` and the web thread page; `thread_to_dict`
is the JSON shape both print.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import (
    Reply,
    ScoreSnapshot,
    Source,
    Study,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    Treatment,
)
from models.post_rows import study_ref, study_ref_columns
from models.post_types import StudyRef, ThreadHead

MAX_SNAPSHOTS = 500  # the newest ones; a score history chart needs no more


@dataclass(frozen=True)
class ReplyRow:
    """A stored reply."""

    external_id: str
    body: str
    score: int | None
    created_at: datetime | None
    position: int


@dataclass(frozen=True)
class Snapshot:
    """A thread's score and reply count at one observation."""

    observed_at: datetime
    score: int | None
    num_comments: int


@dataclass(frozen=True)
class TreatmentMention:
    """A treatment a thread mentions: how often, in which forms, where."""

    id: str
    name: str
    mentions: int
    forms: list[str]
    locations: list[str]


@dataclass(frozen=True)
class StudyLinkRow:
    """A thread's link to a study, with the evidence the linker kept."""

    study: StudyRef
    kind: str
    score: float
    evidence: dict[str, Any]


@dataclass(kw_only=True)
class ThreadDetail(ThreadHead):
    """Everything stored about one thread: the `ThreadHead` fields and the rest of its row,
    its replies, score history, treatment mentions and study links with their evidence."""

    body: str
    edited_at: datetime | None
    last_activity_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    replies: list[ReplyRow] = field(default_factory=list)
    history: list[Snapshot] = field(default_factory=list)
    treatments: list[TreatmentMention] = field(default_factory=list)
    links: list[StudyLinkRow] = field(default_factory=list)


# `ThreadDetail` fields read from the thread row under their own name.
DETAIL_THREAD_FIELDS = tuple(f.name for f in fields(ThreadDetail)
                             if f.name in Thread.__table__.c)


def thread_detail(session: Session, thread_id: int) -> ThreadDetail | None:
    """The thread with id `thread_id` in full, or None when there is none."""
    row = session.execute(
        select(*(Thread.__table__.c[name].label(name) for name in DETAIL_THREAD_FIELDS),
               Source.name.label("source"), Source.kind.label("source_kind"))
        .join(Source, Source.id == Thread.source_id).where(Thread.id == thread_id)
    ).mappings().first()
    if row is None:
        return None
    detail = ThreadDetail(**{name: row[name] for name in DETAIL_THREAD_FIELDS},
                          source=row["source"], source_kind=row["source_kind"])
    detail.body = detail.body or ""
    detail.num_comments = detail.num_comments or 0
    detail.replies = [
        ReplyRow(external_id=r.external_id, body=r.body or "", score=r.score,
                 created_at=r.created_at, position=r.position)
        for r in session.scalars(select(Reply).where(Reply.thread_id == thread_id)
                                 .order_by(Reply.position, Reply.id))]
    newest = (select(ScoreSnapshot.observed_at, ScoreSnapshot.score, ScoreSnapshot.num_comments)
              .where(ScoreSnapshot.thread_id == thread_id)
              .order_by(ScoreSnapshot.observed_at.desc(), ScoreSnapshot.id.desc())
              .limit(MAX_SNAPSHOTS))
    detail.history = sorted((Snapshot(**r) for r in session.execute(newest).mappings()),
                            key=lambda s: s.observed_at)
    detail.treatments = [
        TreatmentMention(r.treatment_id, r.name, r.mentions or 0, list(r.forms or []),
                         list(r.locations or []))
        for r in session.execute(
            select(ThreadTreatment.treatment_id, Treatment.name, ThreadTreatment.mentions,
                   ThreadTreatment.forms, ThreadTreatment.locations)
            .join(Treatment, Treatment.id == ThreadTreatment.treatment_id)
            .where(ThreadTreatment.thread_id == thread_id)
            .order_by(ThreadTreatment.mentions.desc(), ThreadTreatment.treatment_id))]
    links = session.execute(
        select(ThreadStudyLink.kind, ThreadStudyLink.score, ThreadStudyLink.evidence,
               *study_ref_columns())
        .join(Study, Study.id == ThreadStudyLink.study_id)
        .where(ThreadStudyLink.thread_id == thread_id))
    detail.links = sorted(
        (StudyLinkRow(study_ref(r), r.kind, float(r.score), dict(r.evidence or {}))
         for r in links),
        key=lambda lk: (lk.kind != "citation", -lk.score, lk.study.id))
    return detail


# Thread columns `thread_to_dict` does not write by hand (none today): a column added to
# `ThreadHead` is written under its own name, last.
_WRITTEN = frozenset({"id", "external_id", "url", "title", "category", "score", "num_comments",
                      "created_at", "edited_at", "last_activity_at", "first_seen_at",
                      "last_seen_at", "body"})
EXTRA_FIELDS = tuple(name for name in DETAIL_THREAD_FIELDS if name not in _WRITTEN)


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def thread_to_dict(detail: ThreadDetail) -> dict[str, Any]:
    """The JSON shape of a thread in full (the posts JSON keys, plus body, times, replies,
    score history, treatment details and link evidence)."""
    return {
        "id": detail.id,
        "source": detail.source,
        "external_id": detail.external_id,
        "url": detail.url,
        "title": detail.title,
        "category": detail.category,
        "score": detail.score,
        "num_comments": detail.num_comments,
        "created_at": detail.created_at.isoformat(),
        "edited_at": _iso(detail.edited_at),
        "last_activity_at": _iso(detail.last_activity_at),
        "first_seen_at": _iso(detail.first_seen_at),
        "last_seen_at": _iso(detail.last_seen_at),
        "body": detail.body,
        "treatments": [{"id": t.id, "name": t.name, "mentions": t.mentions, "forms": t.forms,
                        "locations": t.locations} for t in detail.treatments],
        "links": [{"study": {"key": lk.study.key, "pmid": lk.study.pmid, "doi": lk.study.doi,
                             "pmcid": lk.study.pmcid, "title": lk.study.title},
                   "kind": lk.kind, "score": lk.score, "evidence": lk.evidence}
                  for lk in detail.links],
        "replies": [{"external_id": r.external_id, "body": r.body, "score": r.score,
                     "created_at": _iso(r.created_at), "position": r.position}
                    for r in detail.replies],
        "score_history": [{"observed_at": s.observed_at.isoformat(), "score": s.score,
                           "num_comments": s.num_comments} for s in detail.history],
        **{name: _json_value(getattr(detail, name)) for name in EXTRA_FIELDS},
    }
