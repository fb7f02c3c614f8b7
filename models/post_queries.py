"""Query threads ("posts") with their treatments and study links. Functions take a session.

`query_posts` returns one page of results: the filters and order of a `PostQuery` become one
select of thread keys, then the page's rows, treatments and links are loaded with one query
each (no N+1; see `models.post_rows`). `count_posts` counts the same selection.

Where things live: the outcome and column filters in `models.post_filters`, the query and
result types in `models.post_types`, study keys
(`find_study`) in `models.study_keys`, `--since`/`--until` parsing in `models.time_specs`, JSON
and CSV shapes in `models.post_output`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    false,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from models.entities import Source, Thread, ThreadStudyLink, ThreadTreatment
from models.fulltext import (
    has_search_text,
    pg_condition_and_rank,
    search_phrases,
    sqlite_match_ids,
    sqlite_matches,
)
from models.post_filters import (
    COLUMN_FILTERS,
    column_conditions,
    filter_params,
    outcome_condition,
)
from models.post_rows import attach_details, chunked, link_rank, post_columns, post_from_row
from models.post_types import SORTS, Post, PostQuery

# On SQLite a treatment filter with fewer tagged threads than this drives the query from the
# thread_treatment index instead of walking the score/date index until enough rows match.
SELECTIVE_TREATMENT_ROWS = 5000
# `query_posts_counted` reads the page and the capped count in one walk up to this many keys.
CAPPED_WALK = 1000


# Tagged-thread counts of the rarest-treatment probe, per database and treatment, reused for
# this many seconds: the probe only picks the query plan (an IN over the rarest treatment or an
# EXISTS per treatment select the same threads), so a stale count never changes a result.
PROBE_SECONDS = 60.0
_PROBE_SIZE = 4096
_probed: dict[tuple[int, str, int, str], tuple[float, int]] = {}
_probe_lock = threading.Lock()


def _tagged_count(session: Session, treatment: str) -> int:
    """Threads tagged with `treatment`, counted up to SELECTIVE_TREATMENT_ROWS (memoised for
    PROBE_SECONDS per database)."""
    bind = session.get_bind()
    key = (id(bind), str(bind.url), SELECTIVE_TREATMENT_ROWS, treatment)
    now = time.monotonic()
    found = _probed.get(key)
    if found is not None and now - found[0] < PROBE_SECONDS:
        return found[1]
    capped = (select(literal(1)).select_from(ThreadTreatment)
              .where(ThreadTreatment.treatment_id == treatment)
              .limit(SELECTIVE_TREATMENT_ROWS).subquery())
    count = session.scalar(select(func.count()).select_from(capped)) or 0
    with _probe_lock:
        if len(_probed) >= _PROBE_SIZE:
            _probed.clear()
        _probed[key] = (now, count)
    return count


def _rarest_treatment(session: Session, treatments: Sequence[str]) -> str | None:
    """On SQLite, the requested treatment with the fewest tagged threads when that is under
    SELECTIVE_TREATMENT_ROWS (counts are bounded, so the probe stays cheap); else None."""
    if not treatments or session.get_bind().dialect.name != "sqlite":
        return None
    best: tuple[int, str] | None = None
    for treatment in treatments:
        count = _tagged_count(session, treatment)
        if best is None or count < best[0]:
            best = (count, treatment)
    return best[1] if best and best[0] < SELECTIVE_TREATMENT_ROWS else None


def _only_study(q: PostQuery) -> bool:
    return (q.study_id is not None and q.sort == "relevance" and not q.treatments
            and not has_search_text(q.search) and q.effect is None and q.side_effect is None
            and all(v is None for v in (q.source, q.category, q.since, q.until, q.min_score)))


def _study_page(q: PostQuery) -> tuple[Select[Any], dict[str, Any]]:
    """`--study KEY` alone: rank the study's links first, then read only that page's threads
    (the statement and its parameters; with a limit, a statement built once)."""
    if q.limit is not None:
        return _study_page_statement(), {"study_id": q.study_id, "limit": q.limit,
                                         "offset": q.offset or 0}
    return _study_page_select(q.study_id, None, q.offset or None), {}


@cache
def _study_page_statement() -> Select[Any]:
    """A study's page of links by `:study_id`, `:limit` and `:offset` (built once)."""
    return _study_page_select(bindparam("study_id"), bindparam("limit"), bindparam("offset"))


def _study_page_select(study_id: Any, limit: Any, offset: Any) -> Select[Any]:
    link = ThreadStudyLink
    ranked = (select(link.thread_id, link.kind, link.score)
              .where(link.study_id == study_id)
              .order_by(*link_rank(link.kind, link.score, link.thread_id)))
    if limit is not None:
        ranked = ranked.limit(limit)
    if offset is not None:
        ranked = ranked.offset(offset)
    page = ranked.subquery()
    return (select(*post_columns(), page.c.score.label("relevance"),
                   page.c.kind.label("link_kind"))
            .select_from(page)
            .join(Thread, Thread.id == page.c.thread_id)
            .join(Source, Source.id == Thread.source_id)
            .order_by(*link_rank(page.c.kind, page.c.score, page.c.thread_id)))


@dataclass
class _Ranking:
    """What orders a filtered selection: relevance, its order terms and the link kind."""

    relevance: Any = field(default_factory=lambda: literal(None))
    order: list[Any] = field(default_factory=list)
    link_kind: Any = field(default_factory=lambda: literal(None))


def _treatment_conditions(q: PostQuery, rare: str | None) -> list[Any]:
    """One condition per requested treatment, its id the bound parameter `:treatment_<i>`
    (`rare`, the rarest on SQLite, as an IN over the thread_treatment index; see
    `_rarest_treatment`)."""
    conditions: list[Any] = []
    for i, treatment in enumerate(dict.fromkeys(q.treatments)):
        value = bindparam(f"treatment_{i}")
        if treatment == rare:
            conditions.append(Thread.id.in_(
                select(ThreadTreatment.thread_id).where(ThreadTreatment.treatment_id == value)))
        else:
            conditions.append(select(ThreadTreatment.thread_id)
                              .where(ThreadTreatment.thread_id == Thread.id,
                                     ThreadTreatment.treatment_id == value).exists())
    if q.effect is not None or q.side_effect is not None:
        conditions.append(outcome_condition(q))
    return conditions


def _search(session: Session, q: PostQuery, stmt_from: Any, conditions: list[Any],
            ranking: _Ranking) -> Any:
    """Add `q.search` to the selection (a join on SQLite when its rank orders the page, a
    condition otherwise); returns the FROM clause."""
    phrases = search_phrases(q.search)
    if not phrases:  # nothing searchable (only punctuation): nothing matches
        conditions.append(false())
        return stmt_from
    ranked = q.study_id is None and q.sort == "relevance"  # else no rank is computed
    rank: Any = None
    if session.get_bind().dialect.name != "sqlite":
        condition, rank = pg_condition_and_rank(phrases)
        conditions.append(condition)
    elif ranked:
        matches = sqlite_matches(phrases)
        stmt_from = stmt_from.join(matches, matches.c.rowid == Thread.id)
        rank = matches.c.rank
    else:
        conditions.append(Thread.id.in_(sqlite_match_ids(phrases)))
    if ranked:
        ranking.relevance = rank
        ranking.order = [rank.desc()]
    return stmt_from


def _filtered(session: Session, q: PostQuery) -> tuple[Select[Any], list[Any], bool]:
    """The filtered select of thread keys (executed with `filter_params(q)`), its relevance
    order terms, and whether a selective treatment filter drives it (then `_ordered` keeps
    the planner off the score/date index)."""
    if q.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {q.sort!r}")
    rare = _rarest_treatment(session, list(dict.fromkeys(q.treatments)))
    return _build_filtered(q, rare, session.get_bind().dialect.name, session)


def _build_filtered(q: PostQuery, rare: str | None, dialect: str,
                    session: Session | None = None) -> tuple[Select[Any], list[Any], bool]:
    """`_filtered` once the rarest treatment is known: every filter value a bound parameter
    named after its filter, so only which filters are given shapes the statement (a search
    is added with its phrases and needs `session`)."""
    ranking = _Ranking()
    stmt_from: Any = Thread.__table__
    if q.study_id is not None:
        stmt_from = Thread.__table__.join(
            ThreadStudyLink.__table__,
            and_(ThreadStudyLink.thread_id == Thread.id,
                 ThreadStudyLink.study_id == bindparam("study_id")))
        ranking = _Ranking(ThreadStudyLink.score,
                           link_rank(ThreadStudyLink.kind, ThreadStudyLink.score, Thread.id),
                           ThreadStudyLink.kind)
    # The column checks first: SQLite tests the terms in this order, and a date or score
    # that fails costs nothing, a treatment's EXISTS an index lookup (~15 % of the walk).
    conditions: list[Any] = [*column_conditions(q), *_treatment_conditions(q, rare)]
    searching = has_search_text(q.search)
    if searching:
        assert session is not None
        stmt_from = _search(session, q, stmt_from, conditions, ranking)
    treatments = list(dict.fromkeys(q.treatments))
    if q.study_id is None and not searching and treatments and q.sort == "relevance":
        ranking.relevance = (
            select(func.coalesce(func.sum(ThreadTreatment.mentions), 0))
            .where(ThreadTreatment.thread_id == Thread.id,
                   ThreadTreatment.treatment_id.in_(
                       [bindparam(f"treatment_{i}") for i in range(len(treatments))]))
            .scalar_subquery())
        ranking.order = [ranking.relevance.desc()]
    # Only the keys: on SQLite the score walk then stays inside the (covering) score index;
    # the page's full rows are read afterwards by id.
    stmt = select(Thread.id, ranking.relevance.label("relevance"),
                  ranking.link_kind.label("link_kind")).select_from(stmt_from)
    if conditions:
        stmt = stmt.where(*conditions)
    return stmt, ranking.order, rare is not None


def _ordered(session: Session, stmt: Select[Any], q: PostQuery, relevance_order: list[Any],
             selective: bool) -> Select[Any]:
    return _order_by(stmt, q.sort, relevance_order, selective, session.get_bind().dialect.name)


def _order_by(stmt: Select[Any], sort: str, relevance_order: list[Any], selective: bool,
              dialect: str) -> Select[Any]:
    # With a selective filter, sort the few tagged threads rather than walk the whole
    # score/date index: SQLite's unary + keeps a value but stops the planner ordering by it.
    score = literal_column("+thread.score") if selective else Thread.score
    created = literal_column("+thread.created_at") if selective else Thread.created_at
    score_desc = score.desc() if dialect == "sqlite" else score.desc().nulls_last()
    if sort == "new":
        order = [created.desc(), Thread.id.desc()]
    elif sort == "relevance" and relevance_order:
        order = [*relevance_order, score_desc, Thread.id.desc()]
    else:
        order = [score_desc, Thread.id.desc()]
    return stmt.order_by(*order)


def _walk_shape(session: Session, q: PostQuery) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """The shape of `q`'s filters (which are given, how many treatments, which one is the
    rarest, the sort, the dialect) and their values as the parameters of `_bound_walk`; None
    for a search or an outcome filter (built each time)."""
    if q.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {q.sort!r}")
    if has_search_text(q.search) or q.effect is not None or q.side_effect is not None:
        return None
    treatments = list(dict.fromkeys(q.treatments))
    rare = _rarest_treatment(session, treatments)
    params = filter_params(q)
    shape = (session.get_bind().dialect.name, q.sort, len(treatments),
             None if rare is None else treatments.index(rare), q.study_id is not None,
             *(name in params for name in COLUMN_FILTERS))
    return shape, params


@lru_cache(maxsize=256)
def _bound_walk(shape: tuple[Any, ...]) -> Select[Any]:
    """The ordered keys select of a query shape (`_walk_shape`) up to `:walk` rows, every
    filter value a bound parameter: built, and its cache key made, once per shape."""
    dialect, sort, n_treatments, rare, study, *given = shape
    names = [f"treatment_{i}" for i in range(n_treatments)]
    present = dict(zip(COLUMN_FILTERS, given, strict=True))
    q = PostQuery(treatments=names, study_id=0 if study else None, sort=sort,
                  **{name: "given" if present[name] else None for name in COLUMN_FILTERS})
    stmt, order, selective = _build_filtered(q, None if rare is None else names[rare],
                                             dialect)
    return _order_by(stmt, sort, order, selective, dialect).limit(bindparam("walk"))


@cache
def _rows_statement() -> Select[Any]:
    """The `post_columns` of the threads in `:ids` (built once)."""
    return (select(*post_columns()).join(Source, Source.id == Thread.source_id)
            .where(Thread.id.in_(bindparam("ids", expanding=True))))


def posts_by_keys(session: Session, keys: Sequence[tuple[int, float | None, str | None, Any]]
                  ) -> list[Post]:
    """The posts of `keys` ((thread id, relevance, link kind, ...) each, as a page placed
    them) in that order, read by id as `query_posts_counted(..., details=False)` reads a
    page's rows; a thread no longer stored is left out."""
    conn = session.connection()
    rows: dict[int, Any] = {}
    for chunk in chunked([key[0] for key in keys]):
        for row in conn.execute(_rows_statement(), {"ids": list(chunk)}).mappings().all():
            rows[row["id"]] = row
    return [post_from_row(rows[thread_id], {"relevance": relevance, "link_kind": kind})
            for thread_id, relevance, kind, *_ in keys if thread_id in rows]


def query_posts(session: Session, q: PostQuery) -> list[Post]:
    """One page of posts matching `q`, with their treatments and study links."""
    return query_posts_counted(session, q)[0]


def query_posts_counted(session: Session, q: PostQuery, cap: int | None = None,
                        details: bool = True) -> tuple[list[Post], int]:
    """`query_posts(q)` and `count_posts(q, cap)` (0 when `cap` is None) in one walk: the
    matches up to max(`cap`, offset + limit) are read in the page's order, the page sliced
    from them and the count taken from their number, so the filters are built and the index
    walked once. A far page (offset + limit over CAPPED_WALK) counts with a second query.
    Without `details` the posts' treatments, outcomes and links are left for the caller
    (`models.post_rows.attach_details`: the web view fills only the cards it renders)."""
    conn = session.connection()  # Core rows: no ORM row processing for labelled columns
    counted = 0
    if _only_study(q):
        statement, values = _study_page(q)
        page = conn.execute(statement, values).mappings().all()
        posts = [post_from_row(row) for row in page]
        if cap is not None:
            counted = count_posts(session, q, cap)
    else:
        end = None if q.limit is None else q.offset + q.limit
        walk = None if end is None or cap is None else max(cap, end)
        shaped = _walk_shape(session, q) if walk is not None and walk <= CAPPED_WALK else None
        if walk is not None and walk <= CAPPED_WALK:
            if shaped is not None:  # a statement built once for its shape
                shape, params = shaped
                keys = conn.execute(_bound_walk(shape), {**params, "walk": walk}
                                    ).mappings().all()
            else:
                stmt, relevance_order, selective = _filtered(session, q)
                stmt = _ordered(session, stmt, q, relevance_order, selective)
                keys = conn.execute(stmt.limit(walk), filter_params(q)).mappings().all()
            counted = min(len(keys), cap or 0)
            keys = keys[q.offset:end]
        else:
            stmt, relevance_order, selective = _filtered(session, q)
            stmt = _ordered(session, stmt, q, relevance_order, selective)
            keys = conn.execute(stmt.limit(q.limit).offset(q.offset or None),
                                filter_params(q)).mappings().all()
            if cap is not None:
                counted = count_posts(session, q, cap)
        rows: dict[int, Any] = {}
        for chunk in chunked([key["id"] for key in keys]):
            for row in conn.execute(_rows_statement(), {"ids": list(chunk)}).mappings().all():
                rows[row["id"]] = row
        posts = [post_from_row(rows[key["id"]], key) for key in keys]
    if details:
        attach_details(session, posts)
    return posts, counted


def count_posts(session: Session, q: PostQuery, cap: int | None = None) -> int:
    """How many posts match `q` (ignoring its limit and offset); with `cap`, counting stops
    there (a page can say "10,000+" without visiting every match), walking the matches in
    the page's own order: the index walk that found the page then finds the cap."""
    stmt, relevance_order, selective = _filtered(session, q)
    if cap is not None:
        stmt = _ordered(session, stmt, q, relevance_order, selective).limit(cap)
    return session.scalar(select(func.count()).select_from(stmt.subquery()),
                          filter_params(q)) or 0
