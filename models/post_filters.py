"""The filters of a posts query (`PostQuery`) as SQL conditions: the reported outcome, and
the source, category, time and score columns, each value a bound parameter named after its
filter (`filter_params` gives the values), so only which filters are given shapes a
statement. `models.post_queries` puts them together with the treatment, study and search
filters and the order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, cast, func, select

from models.entities import Source, Thread, ThreadTreatment
from models.kinds import EFFECTS
from models.post_types import PostQuery

EFFECT_FILTERS = tuple(e for e in EFFECTS if e != "none")
SIDE_EFFECT_FILTERS = ("sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast",
                       "other")


def outcome_condition(q: PostQuery) -> ColumnElement[bool]:
    """Threads reporting `q.effect` / `q.side_effect` about one of `q.treatments` (any
    treatment when none is given)."""
    if q.effect is not None and q.effect not in EFFECT_FILTERS:
        raise ValueError(f"effect must be one of {', '.join(EFFECT_FILTERS)}, not {q.effect!r}")
    if q.side_effect is not None and q.side_effect not in SIDE_EFFECT_FILTERS:
        raise ValueError(f"side effect must be one of {', '.join(SIDE_EFFECT_FILTERS)}, "
                         f"not {q.side_effect!r}")
    where: list[ColumnElement[bool]] = [ThreadTreatment.thread_id == Thread.id]
    if q.treatments:
        where.append(ThreadTreatment.treatment_id.in_(list(q.treatments)))
    if q.effect is not None:
        where.append(ThreadTreatment.effect == q.effect)
    if q.side_effect is not None:  # a JSON list of fixed words: its text holds '"word"'
        where.append(cast(ThreadTreatment.side_effects, String)
                     .like(f'%"{q.side_effect}"%'))
    return select(ThreadTreatment.thread_id).where(*where).exists()


def _given(value: Any) -> bool:
    return value is not None and value != ""


def column_conditions(q: PostQuery) -> list[ColumnElement[bool]]:
    """The source, category, time and score filters given in `q`, each value the bound
    parameter named after its filter (`filter_params` gives the values)."""
    checks: list[tuple[Any, Any]] = [
        (q.source, lambda: Thread.source_id.in_(
            select(Source.id).where(Source.name == bindparam("source")))),
        (q.category, lambda: func.lower(Thread.category) == bindparam("category")),
        (q.since, lambda: Thread.created_at >= bindparam("since")),
        (q.until, lambda: Thread.created_at < bindparam("until")),
        (q.min_score, lambda: Thread.score >= bindparam("min_score")),
    ]
    return [make() for value, make in checks if _given(value)]


COLUMN_FILTERS = ("source", "category", "since", "until", "min_score")


def filter_params(q: PostQuery) -> dict[str, Any]:
    """The values of the bound parameters of `q`'s filters (treatments, study, columns)."""
    params: dict[str, Any] = {f"treatment_{i}": t
                              for i, t in enumerate(dict.fromkeys(q.treatments))}
    if q.study_id is not None:
        params["study_id"] = q.study_id
    for name in COLUMN_FILTERS:
        value = getattr(q, name)
        if _given(value):
            params[name] = value.strip().lower() if name == "category" else value
    return params
