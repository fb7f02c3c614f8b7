"""Query parameters of the web view, checked: a bad value raises BadParameter (400, a line
naming the parameter); an unknown study or thread raises NotFound (404)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from models.entities import Source, Study, Treatment
from models.post_queries import SORTS
from models.post_types import PostQuery
from models.study_keys import StudyKeyError, StudyNotFound, find_study, parse_study_key
from models.time_specs import BadTimeSpec, parse_time_spec

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_TEXT = 1000  # characters kept of a free-text parameter (search, category, source)
MAX_TREATMENTS = 10
POST_FILTERS = ("treatment", "study", "source", "category", "since", "until", "min_score",
                "search", "sort", "limit", "offset")


class BadParameter(ValueError):
    """A query parameter with a value the view cannot use (answered with 400)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"bad parameter {name}: {message}")
        self.name = name


class NotFound(LookupError):
    """A study, thread or treatment that is not stored (answered with 404)."""


def _one(params: QueryParams, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "give it once")
    value = values[0].strip() if values else ""
    if len(value) > MAX_TEXT and name != "search":
        raise BadParameter(name, f"longer than {MAX_TEXT} characters")
    return value or None


def int_param(params: QueryParams, name: str, default: int | None, low: int,
              high: int) -> int | None:
    """An integer parameter within [low, high], or `default` when absent or empty."""
    raw = _one(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"{raw[:40]!r} is not an integer") from None
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return value


def _time(params: QueryParams, name: str, now: datetime, end_of_day: bool) -> datetime | None:
    raw = _one(params, name)
    if raw is None:
        return None
    try:
        return parse_time_spec(raw, now, end_of_day=end_of_day)
    except BadTimeSpec as exc:
        raise BadParameter(name, str(exc)) from None


@dataclass(frozen=True)
class KnownNames:
    """The stored source names and treatment ids, read once per data version by the pages
    (parameters are checked against them without a query), and the treatments' display
    names by id (`models.treatment_names`) that the pages show."""

    sources: list[str]
    treatments: list[str]
    treatment_names: dict[str, str] = field(default_factory=dict)


def treatment_ids(session: Session, params: QueryParams,
                  known_ids: Collection[str] | None = None) -> list[str]:
    """The `treatment` values (repeatable), each a known treatment id (`known_ids`, else
    looked up)."""
    wanted = list(dict.fromkeys(v.strip().lower() for v in params.getlist("treatment")
                                if v.strip()))
    if len(wanted) > MAX_TREATMENTS:
        raise BadParameter("treatment", f"at most {MAX_TREATMENTS}")
    if wanted:
        known = set(known_ids) if known_ids is not None else set(
            session.scalars(select(Treatment.id).where(Treatment.id.in_(wanted))))
        for treatment in wanted:
            if treatment not in known:
                raise BadParameter("treatment", f"unknown treatment {treatment[:60]!r}")
    return wanted


@cache
def _id_by(kind: str) -> Select[tuple[int]]:
    """The id of the study whose `kind` column (id, pmid, doi, pmcid) is `:value` (built
    once per kind)."""
    column = Study.id if kind == "id" else getattr(Study, kind)
    return select(Study.id).where(column == bindparam("value"))


def study_id(session: Session, key: str) -> int:
    """The id of the study a key names; BadParameter for a malformed key, NotFound for an
    unknown one."""
    try:
        kind, value = parse_study_key(key)
        # find_study's lookups, reading the id column only (not the study's abstract)
        found = None
        conn = session.connection()
        if kind == "id" and key.strip().isdigit():  # a bare number: a PMID first
            found = conn.execute(_id_by("pmid"), {"value": str(value)}).scalar()
        if found is None:
            found = conn.execute(_id_by(kind), {"value": value}).scalar()
        if found is not None:
            return int(found)
        return find_study(session, key).id  # raises StudyNotFound with its message
    except StudyKeyError as exc:
        raise BadParameter("study", str(exc)) from None
    except StudyNotFound as exc:
        raise NotFound(str(exc)) from None


@dataclass
class PostFilters:
    """A checked posts query and the parameters it came from (for links and forms)."""

    query: PostQuery
    values: dict[str, Any]


def post_filters(session: Session, params: QueryParams, now: datetime, *,
                 study: int | None = None, default_sort: str = "relevance",
                 known: KnownNames | None = None,
                 default_limit: int = DEFAULT_LIMIT) -> PostFilters:
    """The `hairlink posts` filters and sorts from query parameters (`study` fixed by the
    page when given; source and treatments checked against `known` when given; `limit`
    `default_limit` unless given)."""
    sort = _one(params, "sort") or default_sort
    if sort not in SORTS:
        raise BadParameter("sort", f"use one of {', '.join(SORTS)}")
    source = _one(params, "source")
    if source is not None and (source not in known.sources if known is not None else
                               session.scalar(select(Source.id).where(Source.name == source))
                               is None):
        raise BadParameter("source", f"unknown source {source[:60]!r}")
    study_key = None if study is not None else _one(params, "study")
    if study_key is not None:
        study = study_id(session, study_key)
    search = _one(params, "search")
    query = PostQuery(
        treatments=treatment_ids(session, params, known.treatments if known else None),
        study_id=study, source=source,
        category=_one(params, "category"),
        since=_time(params, "since", now, end_of_day=False),
        until=_time(params, "until", now, end_of_day=True),
        min_score=int_param(params, "min_score", None, -10**9, 10**9),
        search=search, sort=sort,
        limit=int_param(params, "limit", default_limit, 1, MAX_LIMIT),
        offset=int_param(params, "offset", 0, 0, MAX_OFFSET) or 0)
    values = {name: params.getlist(name) if name == "treatment" else _one(params, name)
              for name in POST_FILTERS}
    values["study"] = study_key
    values["sort"] = sort
    return PostFilters(query, values)
