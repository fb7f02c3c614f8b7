"""Query threads ("posts") with their treatments and study links. Functions take a session.

`query_posts` returns one page of results; the treatments and links of that page are loaded
with one query each (no N+1). `find_study` resolves a study key (`pmid:123`, `doi:10.x/y`,
`pmcid:PMC9`, or the internal id).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from models.entities import Source, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid

SORTS = ("score", "new", "relevance")
# On SQLite a treatment filter with fewer tagged threads than this drives the query from the
# thread_treatment index instead of walking the score/date index until enough rows match.
SELECTIVE_TREATMENT_ROWS = 5000
EXCERPT_SOURCE_CHARS = 800
_IN_CHUNK = 900  # bound parameters per IN (...) list; SQLite allows far more, PG too


class StudyKeyError(ValueError):
    """A study key that is not `pmid:N`, `doi:10.x/...`, `pmcid:PMCn` or an internal id."""


class StudyNotFound(LookupError):
    """No stored study has the given identifier."""


class BadTimeSpec(ValueError):
    """A `--since`/`--until` value that is neither a date nor a relative age like `30d`."""


@dataclass(frozen=True)
class StudyRef:
    """The identifying part of a study, as shown beside a post."""

    id: int
    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str

    @property
    def key(self) -> str:
        """The preferred public key: `pmid:N`, else `doi:...`, else `pmcid:...`, else `id:N`."""
        if self.pmid:
            return f"pmid:{self.pmid}"
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmcid:
            return f"pmcid:{self.pmcid}"
        return f"id:{self.id}"


@dataclass(frozen=True)
class PostLink:
    """A thread's link to a study."""

    study: StudyRef
    kind: str
    score: float


@dataclass
class Post:
    """One thread as the query API returns it."""

    id: int
    source: str
    source_kind: str
    external_id: str
    url: str
    title: str
    category: str | None
    score: int | None
    num_comments: int
    created_at: datetime
    body_start: str = ""
    treatments: list[str] = field(default_factory=list)
    links: list[PostLink] = field(default_factory=list)
    relevance: float | None = None
    link_kind: str | None = None  # the kind of this post's link to the queried study


@dataclass
class PostQuery:
    """Filters, order and page of a posts query. Every filter given must hold."""

    treatments: Sequence[str] = ()
    study_id: int | None = None
    source: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: int | None = None
    search: str | None = None
    sort: str = "relevance"
    limit: int | None = 50
    offset: int = 0


# ---------------------------------------------------------------------------- study keys


def parse_study_key(key: str) -> tuple[str, str | int]:
    """`pmid:123` -> ("pmid", "123"); `42` -> ("id", 42). Raises StudyKeyError."""
    text = key.strip()
    prefix, sep, rest = text.partition(":")
    kind = prefix.lower() if sep else ""
    if kind in ("pmid", "doi", "pmcid", "id"):
        value = rest.strip()
    elif kind in ("http", "https") and "doi.org/" in text.lower():
        kind, value = "doi", text
    else:
        kind, value = "", text
    if kind == "id" or (not kind and value.isdigit()):
        if value.isdigit() and int(value) > 0:
            return "id", int(value)
        raise StudyKeyError(f"bad study key {key!r}: an internal id is a positive integer")
    if not kind:
        if value.upper().startswith("PMC"):
            kind = "pmcid"
        elif value.startswith("10."):
            kind = "doi"
        else:
            raise StudyKeyError(
                f"bad study key {key!r}: use pmid:NNN, doi:10.x/..., pmcid:PMCn or an id")
    normalised = {"pmid": normalise_pmid, "doi": normalise_doi, "pmcid": normalise_pmcid}[kind](
        value)
    if not normalised:
        raise StudyKeyError(f"bad study key {key!r}: {value!r} is not a valid {kind.upper()}")
    return kind, normalised


def find_study(session: Session, key: str) -> Study:
    """The study a key names. Raises StudyKeyError (malformed) or StudyNotFound."""
    kind, value = parse_study_key(key)
    if kind == "id":
        study = session.get(Study, value)
    else:
        study = session.scalar(select(Study).where(getattr(Study, kind) == value))
    if study is None:
        label = f"id {value}" if kind == "id" else f"{kind}:{value}"
        raise StudyNotFound(f"no study with {label}")
    return study


# ------------------------------------------------------------------------------- times

_RELATIVE = re.compile(r"^(\d+)\s*([hdwmy])$", re.IGNORECASE)
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
         "m": timedelta(days=30), "y": timedelta(days=365)}


def parse_time_spec(text: str, now: datetime | None = None, end_of_day: bool = False) -> datetime:
    """`30d`/`12h`/`2w`/`6m`/`1y` before `now`, or an ISO date or datetime (UTC if naive).

    A bare date means its start, or with `end_of_day` the start of the next day (so an
    `--until` date includes that day).
    """
    value = text.strip()
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(value)
    if match:
        return now - int(match.group(1)) * _UNIT[match.group(2).lower()]
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadTimeSpec(
            f"bad time {text!r}: use a date (2025-01-31), a datetime or an age like 30d"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ------------------------------------------------------------------------------ queries


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_terms(search: str | None) -> list[str]:
    """The words of a search (quoted phrases kept whole), lower-cased."""
    if not search:
        return []
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', search)]
    return [t.lower() for t in terms if t.strip()]


def _rarest_treatment(session: Session, treatments: Sequence[str]) -> str | None:
    """On SQLite, the requested treatment with the fewest tagged threads when that is under
    SELECTIVE_TREATMENT_ROWS (counts are bounded, so the probe stays cheap); else None."""
    if not treatments or session.get_bind().dialect.name != "sqlite":
        return None
    best: tuple[int, str] | None = None
    for treatment in treatments:
        capped = (select(literal(1)).select_from(ThreadTreatment)
                  .where(ThreadTreatment.treatment_id == treatment)
                  .limit(SELECTIVE_TREATMENT_ROWS).subquery())
        count = session.scalar(select(func.count()).select_from(capped)) or 0
        if best is None or count < best[0]:
            best = (count, treatment)
    return best[1] if best and best[0] < SELECTIVE_TREATMENT_ROWS else None


def _post_columns() -> list[Any]:
    return [Thread.id, Source.name, Source.kind, Thread.external_id, Thread.url, Thread.title,
            Thread.category, Thread.score, Thread.num_comments, Thread.created_at,
            func.substr(Thread.body, 1, EXCERPT_SOURCE_CHARS)]


def _link_rank(kind: Any, score: Any, thread_id: Any) -> list[Any]:
    """A study's links in relevance order: citations, then link score, then thread id."""
    return [case((kind == "citation", 0), else_=1), score.desc(), thread_id]


def _only_study(q: PostQuery) -> bool:
    return (q.study_id is not None and q.sort == "relevance" and not q.treatments
            and not search_terms(q.search)
            and all(v is None for v in (q.source, q.category, q.since, q.until, q.min_score)))


def _study_page(q: PostQuery) -> Select[Any]:
    """`--study KEY` alone: rank the study's links first, then read only that page's threads."""
    link = ThreadStudyLink
    ranked = (select(link.thread_id, link.kind, link.score)
              .where(link.study_id == q.study_id)
              .order_by(*_link_rank(link.kind, link.score, link.thread_id)))
    if q.limit is not None:
        ranked = ranked.limit(q.limit)
    if q.offset:
        ranked = ranked.offset(q.offset)
    page = ranked.subquery()
    return (select(*_post_columns(), page.c.score.label("relevance"),
                   page.c.kind.label("link_kind"))
            .select_from(page)
            .join(Thread, Thread.id == page.c.thread_id)
            .join(Source, Source.id == Thread.source_id)
            .order_by(*_link_rank(page.c.kind, page.c.score, page.c.thread_id)))


def _filtered(session: Session, q: PostQuery) -> tuple[Select[Any], Any, list[Any]]:
    """The filtered select of post columns, the relevance expression and its order terms."""
    if q.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {q.sort!r}")
    relevance: Any = literal(None)
    relevance_order: list[Any] = []
    link_kind: Any = literal(None)
    conditions: list[ColumnElement[bool]] = []
    stmt_from: Any = Thread
    if q.study_id is not None:
        stmt_from = Thread.__table__.join(
            ThreadStudyLink.__table__,
            and_(ThreadStudyLink.thread_id == Thread.id, ThreadStudyLink.study_id == q.study_id))
        relevance = ThreadStudyLink.score
        link_kind = ThreadStudyLink.kind
        relevance_order = _link_rank(ThreadStudyLink.kind, ThreadStudyLink.score, Thread.id)
    rare = _rarest_treatment(session, list(dict.fromkeys(q.treatments)))
    if rare is not None:
        conditions.append(Thread.id.in_(
            select(ThreadTreatment.thread_id).where(ThreadTreatment.treatment_id == rare)))
    for treatment in dict.fromkeys(q.treatments):
        if treatment == rare:
            continue
        conditions.append(
            select(ThreadTreatment.thread_id)
            .where(ThreadTreatment.thread_id == Thread.id,
                   ThreadTreatment.treatment_id == treatment)
            .exists())
    if q.source:
        conditions.append(Thread.source_id.in_(select(Source.id).where(Source.name == q.source)))
    if q.category:
        conditions.append(func.lower(Thread.category) == q.category.strip().lower())
    if q.since is not None:
        conditions.append(Thread.created_at >= q.since)
    if q.until is not None:
        conditions.append(Thread.created_at < q.until)
    if q.min_score is not None:
        conditions.append(Thread.score >= q.min_score)
    terms = search_terms(q.search)
    if terms:
        hits: list[Any] = []
        for term in terms:
            pattern = _like_pattern(term)
            in_title = func.lower(Thread.title).like(pattern, escape="\\")
            in_body = func.lower(Thread.body).like(pattern, escape="\\")
            conditions.append(or_(in_title, in_body))
            hits.append(case((in_title, 2), else_=0) + case((in_body, 1), else_=0))
        if q.study_id is None:
            relevance = sum(hits[1:], hits[0])
            relevance_order = [relevance.desc()]
    if q.study_id is None and not terms and q.treatments and q.sort == "relevance":
        relevance = (select(func.coalesce(func.sum(ThreadTreatment.mentions), 0))
                     .where(ThreadTreatment.thread_id == Thread.id,
                            ThreadTreatment.treatment_id.in_(list(q.treatments)))
                     .scalar_subquery())
        relevance_order = [relevance.desc()]
    # Only the keys: on SQLite the score walk then stays inside the (covering) score index;
    # the page's full rows are read afterwards by id.
    stmt = select(Thread.id, relevance.label("relevance"),
                  link_kind.label("link_kind")).select_from(stmt_from)
    if conditions:
        stmt = stmt.where(*conditions)
    if rare is not None:
        # Sort the few tagged threads rather than walk the whole score/date index.
        stmt = stmt.execution_options(hairlink_selective=True)
    return stmt, relevance, relevance_order


def _ordered(session: Session, stmt: Select[Any], q: PostQuery,
             relevance_order: list[Any]) -> Select[Any]:
    selective = stmt.get_execution_options().get("hairlink_selective", False)
    # SQLite's unary + keeps a value but stops the planner from ordering by its index.
    score = literal_column("+thread.score") if selective else Thread.score
    created = literal_column("+thread.created_at") if selective else Thread.created_at
    score_desc = score.desc() if session.get_bind().dialect.name == "sqlite" else (
        score.desc().nulls_last())
    if q.sort == "new":
        order = [created.desc(), Thread.id.desc()]
    elif q.sort == "relevance" and relevance_order:
        order = [*relevance_order, score_desc, Thread.id.desc()]
    else:
        order = [score_desc, Thread.id.desc()]
    return stmt.order_by(*order)


def query_posts(session: Session, q: PostQuery) -> list[Post]:
    """One page of posts matching `q`, with their treatments and study links."""
    if q.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {q.sort!r}")
    if _only_study(q):
        posts = [_post(row) for row in session.execute(_study_page(q))]
    else:
        stmt, _, relevance_order = _filtered(session, q)
        stmt = _ordered(session, stmt, q, relevance_order)
        if q.limit is not None:
            stmt = stmt.limit(q.limit)
        if q.offset:
            stmt = stmt.offset(q.offset)
        page = session.execute(stmt).all()
        rows: dict[int, Any] = {}
        for chunk in _chunks([key[0] for key in page]):
            for row in session.execute(select(*_post_columns())
                                       .join(Source, Source.id == Thread.source_id)
                                       .where(Thread.id.in_(chunk))):
                rows[row[0]] = row
        posts = [_post((*rows[key[0]], key[1], key[2])) for key in page]
    attach_details(session, posts)
    return posts


def count_posts(session: Session, q: PostQuery) -> int:
    """How many posts match `q` (ignoring its limit and offset)."""
    stmt, _, _ = _filtered(session, q)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _post(row: Any) -> Post:
    return Post(id=row[0], source=row[1], source_kind=row[2], external_id=row[3], url=row[4],
                title=row[5], category=row[6], score=row[7], num_comments=row[8] or 0,
                created_at=row[9], body_start=row[10] or "",
                relevance=None if row[11] is None else float(row[11]), link_kind=row[12])


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start:start + _IN_CHUNK]


def attach_details(session: Session, posts: Sequence[Post]) -> None:
    """Fill `treatments` and `links` of `posts`: one query each per 900 posts."""
    if not posts:
        return
    ids = [p.id for p in posts]
    treatments: dict[int, list[str]] = defaultdict(list)
    links: dict[int, list[PostLink]] = defaultdict(list)
    studies: dict[int, StudyRef] = {}
    for chunk in _chunks(ids):
        for thread_id, treatment_id in session.execute(
                select(ThreadTreatment.thread_id, ThreadTreatment.treatment_id)
                .where(ThreadTreatment.thread_id.in_(chunk))):
            treatments[thread_id].append(treatment_id)
        for row in session.execute(
                select(ThreadStudyLink.thread_id, ThreadStudyLink.kind, ThreadStudyLink.score,
                       Study.id, Study.pmid, Study.doi, Study.pmcid, Study.title)
                .join(Study, Study.id == ThreadStudyLink.study_id)
                .where(ThreadStudyLink.thread_id.in_(chunk))):
            ref = studies.get(row[3])
            if ref is None:
                ref = studies[row[3]] = StudyRef(row[3], row[4], row[5], row[6], row[7] or "")
            links[row[0]].append(PostLink(ref, row[1], float(row[2])))
    for post in posts:
        post.treatments = sorted(treatments.get(post.id, ()))
        post.links = sorted(links.get(post.id, ()),
                            key=lambda lk: (lk.kind != "citation", -lk.score, lk.study.id))


# ----------------------------------------------------------------------------- output


def post_to_dict(post: Post, with_relevance: bool = False) -> dict[str, Any]:
    """The JSON shape of a post (`relevance` added when asked)."""
    out: dict[str, Any] = {
        "source": post.source,
        "external_id": post.external_id,
        "url": post.url,
        "title": post.title,
        "category": post.category,
        "score": post.score,
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "treatments": list(post.treatments),
        "links": [
            {"study": {"pmid": lk.study.pmid, "doi": lk.study.doi, "pmcid": lk.study.pmcid,
                       "title": lk.study.title},
             "kind": lk.kind, "score": lk.score}
            for lk in post.links
        ],
    }
    if with_relevance:
        out["relevance"] = post.relevance
    return out


CSV_FIELDS = ("source", "external_id", "url", "title", "category", "score", "num_comments",
              "created_at", "treatments", "links", "link_kinds")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str | None) -> str:
    """Scraped text for a CSV cell: a leading `=`, `+`, `-` or `@` is quoted with `'` so a
    spreadsheet never evaluates it as a formula."""
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def post_to_csv_row(post: Post, with_relevance: bool = False) -> dict[str, Any]:
    """A flat CSV row: treatments joined with `;`; links as study keys joined with `;` and
    their kinds, in the same order, in `link_kinds`."""
    row: dict[str, Any] = {
        "source": post.source,
        "external_id": post.external_id,
        "url": csv_safe(post.url),
        "title": csv_safe(post.title),
        "category": csv_safe(post.category),
        "score": "" if post.score is None else post.score,
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "treatments": ";".join(post.treatments),
        "links": ";".join(lk.study.key for lk in post.links),
        "link_kinds": ";".join(lk.kind for lk in post.links),
    }
    if with_relevance:
        row["relevance"] = "" if post.relevance is None else post.relevance
    return row
