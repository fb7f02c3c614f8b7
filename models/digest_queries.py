"""Load what a per-study digest shows, for many studies at once (a few queries per 900).

A digest lists a study's linked threads: citations first, then topical links by link score,
then thread score. Counts and chart data cover every linked thread, not only the shown ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from models.entities import Source, Study, Thread, ThreadStudyLink
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
from models.study_research import StudyResearch, research_by_study
from models.study_stats import StudyCounts, count_studies, stored_counts
from models.treatment_names import display_names

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
    # treatment id -> display name (`models.treatment_names`; one dict shared by a load)
    names: Mapping[str, str] = field(default_factory=dict)

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


def load_digests(session: Session, study_ids: Sequence[int], limit: int | None = 50,
                 stored: bool = False, names: Mapping[str, str] | None = None
                 ) -> list[StudyDigestData]:
    """Digest data for `study_ids` (in that order), up to `limit` shown threads each. With
    `stored`, the counts `hairlink aggregate` stored are used where a study has them
    (`models.study_stats`); else every study's linked threads are counted now. `names`: the
    treatments' display names (`display_names`), read here when not given."""
    digests: dict[int, StudyDigestData] = {}
    for chunk in chunked(list(dict.fromkeys(study_ids))):
        _load_chunk(session, chunk, limit, digests, stored)
    if digests:
        shared = display_names(session) if names is None else names
        for digest in digests.values():
            digest.names = shared
    posts = [p for d in digests.values() for p in d.posts]
    attach_details(session, posts)
    attach_top_replies(session, posts)
    for study_id, research in research_by_study(session, list(digests),
                                                shown=RESEARCH_SHOWN).items():
        digests[study_id].research = research
    return [digests[i] for i in dict.fromkeys(study_ids) if i in digests]


def _apply_counts(digest: StudyDigestData, counts: StudyCounts) -> None:
    """A study's totals, months, treatment mix and community reports from its counts."""
    digest.related_total, digest.citing_total = counts.related_total, counts.citing_total
    digest.months = Counter(counts.months)
    for treatment, effect, side_effects, n in counts.outcomes:
        digest.treatment_mix[treatment] += n
        report = digest.community.get(treatment)
        if report is None:
            report = digest.community[treatment] = CommunityReport(treatment)
        report.threads += n
        report.effects[effect] += n
        for side_effect in side_effects:
            report.side_effects[side_effect] += n


@cache
def _studies_statement() -> Select[tuple[Study]]:
    """The studies in `:ids` (built once)."""
    return select(Study).where(Study.id.in_(bindparam("ids", expanding=True)))


def _load_chunk(session: Session, ids: Sequence[int], limit: int | None,
                out: dict[int, StudyDigestData], stored: bool) -> None:
    for study in session.scalars(_studies_statement(), {"ids": list(ids)}):
        out[study.id] = StudyDigestData(study=study)
    for study_id, treatments in treatments_of(session, list(ids)).items():
        out[study_id].treatments = treatments
    counts = stored_counts(session, ids) if stored else {}
    counts.update(count_studies(session, [i for i in ids if i not in counts and i in out]))
    for study_id, found in counts.items():
        if study_id in out:
            _apply_counts(out[study_id], found)
    if limit == 0:  # counts only (the web view reads its page of threads itself)
        return
    conn = session.connection()
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

