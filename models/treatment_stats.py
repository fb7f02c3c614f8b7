"""What the community reports per treatment: `treatment_stats(session, ids)`.

Per treatment: how many threads discuss it, how many report each effect (and the share of
those reporting any effect), side-effect counts, the studies its threads link to most, and
the best example threads (highest score) for each reported effect. The CLI's `hairlink
treatments` and the web view call this one function; records pass by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from models.entities import Source, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.identifiers import study_key
from models.treatment_names import display_names, treatment_name

EFFECT_VALUES = ("improved", "no_effect", "mixed", "none")
REPORTED_EFFECTS = ("improved", "no_effect", "mixed")
SIDE_EFFECT_VALUES = ("sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast",
                      "other")


@dataclass(frozen=True)
class ExampleThread:
    """A thread shown as an example of an outcome."""

    id: int
    source: str
    external_id: str
    url: str
    title: str
    score: int | None
    summary: str | None
    effect: str
    side_effects: list[str]


@dataclass(frozen=True)
class StudyCount:
    """A study the treatment's threads link to, and how many of them do."""

    id: int
    key: str
    title: str
    threads: int


@dataclass
class TreatmentStats:
    """Counts of what threads report about one treatment."""

    treatment: str
    name: str
    threads: int = 0
    effects: dict[str, int] = field(default_factory=dict)  # every EFFECT_VALUES key
    side_effects: dict[str, int] = field(default_factory=dict)  # only those reported, most first
    top_studies: list[StudyCount] = field(default_factory=list)
    examples: dict[str, list[ExampleThread]] = field(default_factory=dict)  # per reported effect

    @property
    def reported(self) -> int:
        """Threads reporting an effect on hair (improved, no effect or mixed)."""
        return sum(self.effects.get(e, 0) for e in REPORTED_EFFECTS)

    @property
    def shares(self) -> dict[str, float]:
        """Each reported effect's share of the threads reporting one (0 when none do)."""
        total = self.reported
        return {e: (self.effects.get(e, 0) / total if total else 0.0) for e in REPORTED_EFFECTS}

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (shares and `reported` included)."""
        out = asdict(self)
        out["reported"] = self.reported
        out["shares"] = {k: round(v, 4) for k, v in self.shares.items()}
        return out


def treatment_stats(session: Session, ids: Sequence[str] | None = None, *,
                    examples: int = 3, studies: int = 5) -> list[TreatmentStats]:
    """Stats for the given treatment ids (every treatment some thread discusses when None),
    most discussed first. Unknown ids are left out (compare the result's ids to ask)."""
    wanted = list(dict.fromkeys(ids)) if ids else None
    names = display_names(session)
    stats: dict[str, TreatmentStats] = {}

    def entry(tid: str) -> TreatmentStats:
        if tid not in stats:
            stats[tid] = TreatmentStats(tid, treatment_name(tid, names),
                                        effects=dict.fromkeys(EFFECT_VALUES, 0))
        return stats[tid]

    tt = ThreadTreatment
    counts = select(tt.treatment_id, tt.effect, func.count().label("threads")).group_by(
        tt.treatment_id, tt.effect)
    if wanted is not None:
        counts = counts.where(tt.treatment_id.in_(wanted))
        for tid in wanted:
            if tid in names:
                entry(tid)
    for row in session.execute(counts):
        item = entry(row.treatment_id)
        item.threads += row.threads
        key = row.effect if row.effect in EFFECT_VALUES else "none"
        item.effects[key] += row.threads
    if not stats:
        return []
    chosen = list(stats)
    sides = (select(tt.treatment_id, tt.side_effects)
             .where(tt.treatment_id.in_(chosen), cast(tt.side_effects, String) != "[]"))
    side_counts: dict[str, Counter[str]] = {t: Counter() for t in chosen}
    for row in session.execute(sides):
        side_counts[row.treatment_id].update(v for v in row.side_effects or []
                                             if v in SIDE_EFFECT_VALUES)
    for tid, counter in side_counts.items():
        stats[tid].side_effects = dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
    if studies > 0:
        _top_studies(session, stats, chosen, studies)
    if examples > 0:
        _examples(session, stats, chosen, examples)
    return sorted(stats.values(), key=lambda s: (-s.threads, s.treatment))


def _top_studies(session: Session, stats: dict[str, TreatmentStats], chosen: list[str],
                 limit: int) -> None:
    tt, link = ThreadTreatment, ThreadStudyLink
    n = func.count().label("n")
    grouped = (select(tt.treatment_id, link.study_id, n)
               .join(link, link.thread_id == tt.thread_id)
               .where(tt.treatment_id.in_(chosen))
               .group_by(tt.treatment_id, link.study_id).subquery())
    rank = func.row_number().over(partition_by=grouped.c.treatment_id,
                                  order_by=(grouped.c.n.desc(), grouped.c.study_id)).label("r")
    ranked = select(grouped, rank).subquery()
    rows = session.execute(
        select(ranked.c.treatment_id, ranked.c.n, Study.id, Study.pmid, Study.doi, Study.pmcid,
               Study.title)
        .join(Study, Study.id == ranked.c.study_id)
        .where(ranked.c.r <= limit).order_by(ranked.c.treatment_id, ranked.c.r))
    for row in rows:
        stats[row.treatment_id].top_studies.append(StudyCount(
            id=row.id, key=study_key(row.pmid, row.doi, row.pmcid, row.id),
            title=row.title or "", threads=row.n))


def _examples(session: Session, stats: dict[str, TreatmentStats], chosen: list[str],
              limit: int) -> None:
    tt = ThreadTreatment
    rank = func.row_number().over(
        partition_by=(tt.treatment_id, tt.effect),
        order_by=(func.coalesce(Thread.score, 0).desc(), Thread.id)).label("r")
    ranked = (select(tt.treatment_id, tt.effect, tt.side_effects, tt.thread_id, rank)
              .join(Thread, Thread.id == tt.thread_id)
              .where(tt.treatment_id.in_(chosen), tt.effect.in_(REPORTED_EFFECTS))
              .subquery())
    rows = session.execute(
        select(ranked.c.treatment_id, ranked.c.effect, ranked.c.side_effects, Thread.id,
               Source.name, Thread.external_id, Thread.url, Thread.title, Thread.score,
               Thread.summary)
        .join(Thread, Thread.id == ranked.c.thread_id)
        .join(Source, Source.id == Thread.source_id)
        .where(ranked.c.r <= limit)
        .order_by(ranked.c.treatment_id, ranked.c.effect, ranked.c.r))
    for row in rows:
        example = ExampleThread(id=row.id, source=row.name, external_id=row.external_id,
                                url=row.url, title=row.title, score=row.score,
                                summary=row.summary, effect=row.effect,
                                side_effects=list(row.side_effects or []))
        stats[row.treatment_id].examples.setdefault(row.effect, []).append(example)
