"""Load what a per-study digest shows, for many studies at once (a few queries per 900).

A digest lists a study's linked threads: citations first, then topical links by link score,
then thread score. Counts and chart data cover every linked thread, not only the shown ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from models.entities import Source, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.post_rows import (
    attach_details,
    chunked,
    link_rank,
    post_columns,
    post_from_row,
    top_replies,
)
from models.post_types import Post
from models.study_queries import treatments_of
from models.study_references import StudyResearch, research_by_study

# References and citing studies shown per page (the totals count them all).
RESEARCH_SHOWN = 20

TOP_REPLIES = 2  # replies shown under each post card
REPLY_CHARS = 400  # of each reply's text


@dataclass
class CommunityReport:
    """What the threads linked to a study report about one of its treatments."""

    treatment: str
    threads: int = 0
    effects: Counter[str] = field(default_factory=Counter)  # improved, no_effect, mixed, none
    side_effects: Counter[str] = field(default_factory=Counter)

    @property
    def reported(self) -> int:
        """Threads reporting an effect on hair."""
        return sum(self.effects[e] for e in ("improved", "no_effect", "mixed"))


@dataclass
class StudyDigestData:
    """One study with its linked threads (the shown page) and whole-set counts."""

    study: Study
    treatments: list[str] = field(default_factory=list)
    related_total: int = 0
    citing_total: int = 0
    posts: list[Post] = field(default_factory=list)
    months: Counter[str] = field(default_factory=Counter)  # "2025-03" -> linked threads
    treatment_mix: Counter[str] = field(default_factory=Counter)  # treatment -> threads
    research: StudyResearch = field(default_factory=StudyResearch)  # cited, citing, similar
    # treatment -> what the linked threads report about it (every linked thread counted)
    community: dict[str, CommunityReport] = field(default_factory=dict)

    @property
    def community_reports(self) -> list[CommunityReport]:
        """Reports for the study's treatments (else its threads' three commonest)."""
        wanted = self.treatments or [t for t, _ in sorted(
            self.treatment_mix.items(), key=lambda i: (-i[1], i[0]))[:3]]
        return [self.community[t] for t in wanted if t in self.community]

    @property
    def topical_total(self) -> int:
        """Linked threads that do not cite the study."""
        return self.related_total - self.citing_total

    @property
    def citing(self) -> list[Post]:
        """The shown threads that cite the study."""
        return [p for p in self.posts if p.link_kind == "citation"]

    @property
    def topical(self) -> list[Post]:
        """The shown threads linked by topic, ranked."""
        return [p for p in self.posts if p.link_kind != "citation"]


def all_study_ids(session: Session) -> list[int]:
    """Every study id, oldest first."""
    return list(session.scalars(select(Study.id).order_by(Study.id)))


def load_digests(session: Session, study_ids: Sequence[int],
                 limit: int | None = 50) -> list[StudyDigestData]:
    """Digest data for `study_ids` (in that order), up to `limit` shown threads each."""
    digests: dict[int, StudyDigestData] = {}
    for chunk in chunked(list(dict.fromkeys(study_ids))):
        _load_chunk(session, chunk, limit, digests)
    posts = [p for d in digests.values() for p in d.posts]
    attach_details(session, posts)
    attach_top_replies(session, posts)
    for study_id, research in research_by_study(session, list(digests),
                                                shown=RESEARCH_SHOWN).items():
        digests[study_id].research = research
    return [digests[i] for i in dict.fromkeys(study_ids) if i in digests]


def _month(dialect: str, created_at: Any) -> Any:
    """`created_at` as its UTC "YYYY-MM" in SQL (SQLite stores naive UTC text)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", created_at), "YYYY-MM")
    return func.substr(created_at, 1, 7)


@cache
def _count_statements(dialect: str) -> tuple[Select[Any], Select[Any]]:
    """Per study in `:ids`: linked threads by link kind and month, and by treatment, effect
    and side effects (grouped in SQL; built once per dialect)."""
    ids = bindparam("ids", expanding=True)
    month = _month(dialect, Thread.created_at)
    by_month = (select(ThreadStudyLink.study_id, ThreadStudyLink.kind, month.label("month"),
                       func.count().label("n"))
                .join(Thread, Thread.id == ThreadStudyLink.thread_id)
                .where(ThreadStudyLink.study_id.in_(ids))
                .group_by(ThreadStudyLink.study_id, ThreadStudyLink.kind, month))
    by_outcome = (select(ThreadStudyLink.study_id, ThreadTreatment.treatment_id,
                         ThreadTreatment.effect, ThreadTreatment.side_effects,
                         func.count().label("n"))
                  .join(ThreadTreatment, ThreadTreatment.thread_id == ThreadStudyLink.thread_id)
                  .where(ThreadStudyLink.study_id.in_(ids))
                  .group_by(ThreadStudyLink.study_id, ThreadTreatment.treatment_id,
                            ThreadTreatment.effect, ThreadTreatment.side_effects))
    return by_month, by_outcome


def _load_chunk(session: Session, ids: Sequence[int], limit: int | None,
                out: dict[int, StudyDigestData]) -> None:
    for study in session.scalars(select(Study).where(Study.id.in_(ids))):
        out[study.id] = StudyDigestData(study=study)
    for study_id, treatments in treatments_of(session, list(ids)).items():
        out[study_id].treatments = treatments
    conn = session.connection()  # grouped Core rows: counted in SQL, not row by row here
    by_month, by_outcome = _count_statements(session.get_bind().dialect.name)
    for row in conn.execute(by_month, {"ids": list(ids)}):
        digest = out[row.study_id]
        digest.related_total += row.n
        digest.citing_total += row.n if row.kind == "citation" else 0
        digest.months[row.month] += row.n
    for row in conn.execute(by_outcome, {"ids": list(ids)}):
        digest = out[row.study_id]
        digest.treatment_mix[row.treatment_id] += row.n
        report = digest.community.get(row.treatment_id)
        if report is None:
            report = digest.community[row.treatment_id] = CommunityReport(row.treatment_id)
        report.threads += row.n
        report.effects[row.effect or "none"] += row.n
        for side_effect in row.side_effects or []:
            report.side_effects[side_effect] += row.n
    if limit == 0:  # counts only (the web view reads its page of threads itself)
        return
    rank = func.row_number().over(
        partition_by=ThreadStudyLink.study_id,
        order_by=link_rank(ThreadStudyLink.kind, ThreadStudyLink.score, ThreadStudyLink.thread_id),
    ).label("rank")
    ranked = (select(ThreadStudyLink.study_id, ThreadStudyLink.thread_id, ThreadStudyLink.kind,
                     ThreadStudyLink.score, rank)
              .where(ThreadStudyLink.study_id.in_(ids)).subquery())
    stmt = (select(ranked.c.study_id, *post_columns(), ranked.c.score.label("relevance"),
                   ranked.c.kind.label("link_kind"))
            .join(Thread, Thread.id == ranked.c.thread_id)
            .join(Source, Source.id == Thread.source_id)
            .order_by(ranked.c.study_id, ranked.c.rank))
    if limit is not None:
        stmt = stmt.where(ranked.c.rank <= limit)
    for row in conn.execute(stmt).mappings():
        out[row["study_id"]].posts.append(post_from_row(row))


def attach_top_replies(session: Session, posts: Sequence[Post],
                       limit: int = TOP_REPLIES) -> None:
    """Fill `replies` of `posts`: their best-scored replies with text (post_rows ranks)."""
    by_thread = top_replies(session, [p.id for p in posts], limit, REPLY_CHARS)
    for post in posts:
        post.replies = [r for r in by_thread.get(post.id, ()) if r.body.strip()]


def newest_related(digest: StudyDigestData, limit: int = 20) -> list[Post]:
    """The shown threads of a digest, newest first (for feeds)."""
    return sorted(digest.posts, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]

