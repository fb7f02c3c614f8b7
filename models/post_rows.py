"""Load a page of threads as `Post`s: the columns read, row to `Post`, and the treatments and
study links of many posts at once (one query each per 900, no N+1)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from models.entities import Reply, Source, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.post_types import Post, PostLink, ReplyRef, StudyRef

EXCERPT_SOURCE_CHARS = 800
IN_CHUNK = 900  # bound parameters per IN (...) list; SQLite allows far more, PG too


# `Post` fields read from the thread row under their own name (a field added to `Post`
# with the name of a thread column is read with no line here).
POST_THREAD_FIELDS = tuple(f.name for f in fields(Post) if f.name in Thread.__table__.c)


def post_columns() -> list[Any]:
    """The labelled columns of a thread row that `post_from_row` reads: the `Post` fields
    that name thread columns, the source's name and kind, and the body cut to an excerpt."""
    return [*(Thread.__table__.c[name].label(name) for name in POST_THREAD_FIELDS),
            Source.name.label("source"), Source.kind.label("source_kind"),
            func.substr(Thread.body, 1, EXCERPT_SOURCE_CHARS).label("body_start")]


def post_from_row(row: Mapping[str, Any], ranked: Mapping[str, Any] | None = None) -> Post:
    """A `Post` from a row of `post_columns()` with `relevance` and `link_kind` (by name),
    or with those two read from `ranked` (the key row that placed it on the page)."""
    ranked = row if ranked is None else ranked
    post = Post(**{name: row[name] for name in POST_THREAD_FIELDS}, source=row["source"],
                source_kind=row["source_kind"], body_start=row["body_start"] or "",
                link_kind=ranked["link_kind"])
    post.num_comments = post.num_comments or 0
    relevance = ranked["relevance"]
    post.relevance = None if relevance is None else float(relevance)
    return post


def link_rank(kind: Any, score: Any, thread_id: Any) -> list[Any]:
    """A study's links in relevance order: citations, then link score, then thread id."""
    return [case((kind == "citation", 0), else_=1), score.desc(), thread_id]


def study_ref_columns() -> list[Any]:
    """The labelled study columns `study_ref` reads."""
    return [Study.id.label("study_id"), Study.pmid, Study.doi, Study.pmcid,
            Study.title.label("study_title")]


def study_ref(row: Any) -> StudyRef:
    """A `StudyRef` from a row holding `study_ref_columns()`."""
    return StudyRef(id=row.study_id, pmid=row.pmid, doi=row.doi, pmcid=row.pmcid,
                    title=row.study_title or "")


def chunked(values: Sequence[int]) -> Iterable[Sequence[int]]:
    """`values` in slices of at most IN_CHUNK, for IN (...) lists."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start:start + IN_CHUNK]


@cache
def _details_statements() -> tuple[Select[Any], Select[Any]]:
    """The treatments and the study links of the threads in `:ids`, built once (a page's
    statements are then only executed, not rebuilt)."""
    ids = bindparam("ids", expanding=True)
    return (select(ThreadTreatment.thread_id, ThreadTreatment.treatment_id,
                   ThreadTreatment.effect, ThreadTreatment.side_effects)
            .where(ThreadTreatment.thread_id.in_(ids)),
            select(ThreadStudyLink.thread_id, ThreadStudyLink.kind, ThreadStudyLink.score,
                   *study_ref_columns())
            .join(Study, Study.id == ThreadStudyLink.study_id)
            .where(ThreadStudyLink.thread_id.in_(ids)))


def attach_details(session: Session, posts: Sequence[Post], links: bool = True) -> None:
    """Fill `treatments`, `outcomes` and (with `links`) `links` of `posts`: one query each
    per 900 posts."""
    if not posts:
        return
    ids = [p.id for p in posts]
    treatments: dict[int, list[str]] = defaultdict(list)
    found_links: dict[int, list[PostLink]] = defaultdict(list)
    studies: dict[int, StudyRef] = {}
    outcomes: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    conn = session.connection()  # Core rows: labelled columns need no ORM row processing
    treatment_rows, link_rows = _details_statements()
    for chunk in chunked(ids):
        # fetchall: one DBAPI call for the rows instead of one fetchone each
        for thread_id, treatment_id, effect, side_effects in conn.execute(
                treatment_rows, {"ids": list(chunk)}).all():
            treatments[thread_id].append(treatment_id)
            outcomes[thread_id][treatment_id] = {
                "effect": effect or "none", "side_effects": list(side_effects or [])}
        if not links:
            continue
        for row in conn.execute(link_rows, {"ids": list(chunk)}).all():
            ref = studies.get(row.study_id)
            if ref is None:
                ref = studies[row.study_id] = study_ref(row)
            found_links[row.thread_id].append(PostLink(ref, row.kind, float(row.score)))
    for post in posts:
        post.treatments = sorted(treatments.get(post.id, ()))
        post.outcomes = dict(sorted(outcomes.get(post.id, {}).items()))
        if links:
            post.links = sorted(found_links.get(post.id, ()),
                                key=lambda lk: (lk.kind != "citation", -lk.score, lk.study.id))


def top_replies(session: Session, thread_ids: Sequence[int], per_post: int = 3,
                chars: int = EXCERPT_SOURCE_CHARS) -> dict[int, list[ReplyRef]]:
    """The stored top replies of each thread (by score, then position), at most `per_post`
    each and the first `chars` characters of their text: one query per 900 threads. The one
    reply ranking that `--with-replies` and the digests' cards share."""
    by_thread: dict[int, list[ReplyRef]] = defaultdict(list)
    conn = session.connection()
    for chunk in chunked(list(thread_ids)):
        for row in conn.execute(_top_replies_statement(), {
                "ids": list(chunk), "per_post": per_post, "chars": chars}).mappings().all():
            by_thread[row["thread_id"]].append(
                ReplyRef(score=row["score"], created_at=row["created_at"],
                         body=row["body"] or ""))
    return by_thread


@cache
def _top_replies_statement() -> Select[Any]:
    """The `:per_post` best replies of the threads in `:ids`, their first `:chars`
    characters (built once)."""
    ranked = (select(Reply.thread_id, Reply.score, Reply.created_at,
                     func.substr(Reply.body, 1, bindparam("chars")).label("body"),
                     func.row_number().over(
                         partition_by=Reply.thread_id,
                         order_by=(func.coalesce(Reply.score, 0).desc(), Reply.position,
                                   Reply.id)).label("rank"))
              .where(Reply.thread_id.in_(bindparam("ids", expanding=True))).subquery())
    return (select(ranked).where(ranked.c.rank <= bindparam("per_post"))
            .order_by(ranked.c.thread_id, ranked.c.rank))


def attach_replies(session: Session, posts: Sequence[Post], per_post: int = 3) -> None:
    """Fill `replies` of `posts` with their stored top replies (`top_replies`)."""
    by_thread = top_replies(session, [p.id for p in posts], per_post)
    for post in posts:
        post.replies = by_thread.get(post.id, [])
