"""What the threads linked to a study add up to: linked threads by link kind and month, and
by treatment, reported effect and side effects. A digest's counts, chart and "What the
community reports" are made from these.

`count_studies` counts them in SQL (grouped, two queries per 900 studies). `hairlink
aggregate` stores them per study in `study_stats` (`refresh_study_stats`: the studies whose
links or linked threads' tags it changed, and any study without a row), so the web view's
first view of a study reads one row (`stored_counts`) instead of counting its threads. A
study's row is as new as the last aggregate run, like its links; a writer that changes a
study's links outside the aggregator deletes its row (`forget_study_stats`), and a study
without a row is counted live.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from models.entities import Study, StudyStats, Thread, ThreadStudyLink, ThreadTreatment
from models.post_rows import chunked

# (treatment id, effect, side effects, linked threads with that combination)
OutcomeRow = tuple[str, str, list[str], int]


@dataclass
class StudyCounts:
    """One study's linked threads, counted."""

    related_total: int = 0
    citing_total: int = 0
    months: Counter[str] = field(default_factory=Counter)  # "2025-03" -> linked threads
    outcomes: list[OutcomeRow] = field(default_factory=list)

    def row(self, study_id: int, now: datetime) -> dict[str, Any]:
        """The `study_stats` row of these counts."""
        return {"study_id": study_id, "related_total": self.related_total,
                "citing_total": self.citing_total, "months": dict(sorted(self.months.items())),
                "outcomes": [list(o) for o in self.outcomes], "computed_at": now}


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
                            ThreadTreatment.effect, ThreadTreatment.side_effects)
                  .order_by(ThreadStudyLink.study_id, ThreadTreatment.treatment_id,
                            ThreadTreatment.effect))
    return by_month, by_outcome


def count_studies(session: Session, study_ids: Sequence[int]) -> dict[int, StudyCounts]:
    """The counts of `study_ids` from their links (every id gets an entry)."""
    found = {i: StudyCounts() for i in study_ids}
    conn = session.connection()  # grouped Core rows: counted in SQL, not row by row here
    by_month, by_outcome = _count_statements(session.get_bind().dialect.name)
    for chunk in chunked(list(found)):
        for row in conn.execute(by_month, {"ids": list(chunk)}):
            counts = found[row.study_id]
            counts.related_total += row.n
            counts.citing_total += row.n if row.kind == "citation" else 0
            counts.months[row.month] += row.n
        for row in conn.execute(by_outcome, {"ids": list(chunk)}):
            found[row.study_id].outcomes.append(
                (row.treatment_id, row.effect or "none", list(row.side_effects or []), row.n))
    return found


@cache
def _stored_statement() -> Select[Any]:
    return select(StudyStats.study_id, StudyStats.related_total, StudyStats.citing_total,
                  StudyStats.months, StudyStats.outcomes).where(
        StudyStats.study_id.in_(bindparam("ids", expanding=True)))


def stored_counts(session: Session, study_ids: Sequence[int]) -> dict[int, StudyCounts]:
    """The stored counts of those of `study_ids` that have a `study_stats` row."""
    found: dict[int, StudyCounts] = {}
    conn = session.connection()
    for chunk in chunked(list(dict.fromkeys(study_ids))):
        for row in conn.execute(_stored_statement(), {"ids": list(chunk)}):
            found[row.study_id] = StudyCounts(
                row.related_total, row.citing_total, Counter(row.months),
                [(t, e, list(s), n) for t, e, s, n in row.outcomes])
    return found


def refresh_study_stats(session: Session, study_ids: Iterable[int] | None = None) -> int:
    """Recount and store the rows of `study_ids` (None: every study) and of every study
    without a row; returns how many rows were written."""
    if study_ids is None:
        session.execute(delete(StudyStats))
        wanted = set(session.scalars(select(Study.id)))
    else:
        wanted = set(study_ids) | set(session.scalars(select(Study.id).where(
            ~select(StudyStats.study_id).where(StudyStats.study_id == Study.id).exists())))
        forget_study_stats(session, wanted)
    now = datetime.now(UTC)
    written = 0
    for chunk in chunked(sorted(wanted)):
        existing = set(session.scalars(select(Study.id).where(Study.id.in_(list(chunk)))))
        rows = [c.row(i, now) for i, c in count_studies(session, sorted(existing)).items()]
        if rows:
            session.execute(insert(StudyStats), rows)
            written += len(rows)
    return written


def forget_study_stats(session: Session, study_ids: Iterable[int]) -> None:
    """Delete the stored counts of `study_ids` (they are counted live until the next
    aggregate run stores them again)."""
    for chunk in chunked(sorted(set(study_ids))):
        session.execute(delete(StudyStats).where(StudyStats.study_id.in_(list(chunk))))


def studies_linked_to(session: Session, thread_ids: Iterable[int]) -> set[int]:
    """The ids of the studies linked to any of `thread_ids`."""
    found: set[int] = set()
    for chunk in chunked(sorted(set(thread_ids))):
        found.update(session.scalars(
            select(ThreadStudyLink.study_id).where(ThreadStudyLink.thread_id.in_(list(chunk)))
            .distinct()))
    return found
