"""Load a page of threads as `Post`s: the columns read, row to `Post`, and the treatments and
study links of many posts at once (one query each per 900, no N+1)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.entities import Reply, Source, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.post_types import Post, PostLink, ReplyRef, StudyRef

EXCERPT_SOURCE_CHARS = 800
IN_CHUNK = 900  # bound parameters per IN (...) list; SQLite allows far more, PG too


def post_columns() -> list[Any]:
    """The columns of a thread row that `post_from_row` reads (body cut to an excerpt)."""
    return [Thread.id, Source.name, Source.kind, Thread.external_id, Thread.url, Thread.title,
            Thread.category, Thread.score, Thread.num_comments, Thread.created_at,
            func.substr(Thread.body, 1, EXCERPT_SOURCE_CHARS), Thread.summary]


def post_from_row(row: Any) -> Post:
    """A `Post` from `post_columns()` followed by relevance and link kind."""
    return Post(id=row[0], source=row[1], source_kind=row[2], external_id=row[3], url=row[4],
                title=row[5], category=row[6], score=row[7], num_comments=row[8] or 0,
                created_at=row[9], body_start=row[10] or "", summary=row[11],
                relevance=None if row[12] is None else float(row[12]), link_kind=row[13])


def link_rank(kind: Any, score: Any, thread_id: Any) -> list[Any]:
    """A study's links in relevance order: citations, then link score, then thread id."""
    return [case((kind == "citation", 0), else_=1), score.desc(), thread_id]


def chunked(values: Sequence[int]) -> Iterable[Sequence[int]]:
    """`values` in slices of at most IN_CHUNK, for IN (...) lists."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start:start + IN_CHUNK]


def attach_details(session: Session, posts: Sequence[Post]) -> None:
    """Fill `treatments`, `outcomes` and `links` of `posts`: one query each per 900 posts."""
    if not posts:
        return
    ids = [p.id for p in posts]
    treatments: dict[int, list[str]] = defaultdict(list)
    links: dict[int, list[PostLink]] = defaultdict(list)
    studies: dict[int, StudyRef] = {}
    outcomes: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for chunk in chunked(ids):
        for thread_id, treatment_id, effect, sides in session.execute(
                select(ThreadTreatment.thread_id, ThreadTreatment.treatment_id,
                       ThreadTreatment.effect, ThreadTreatment.side_effects)
                .where(ThreadTreatment.thread_id.in_(chunk))):
            treatments[thread_id].append(treatment_id)
            outcomes[thread_id][treatment_id] = {"effect": effect or "none",
                                                 "side_effects": list(sides or [])}
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
        post.outcomes = dict(sorted(outcomes.get(post.id, {}).items()))
        post.links = sorted(links.get(post.id, ()),
                            key=lambda lk: (lk.kind != "citation", -lk.score, lk.study.id))


def top_replies(session: Session, thread_ids: Sequence[int], per_post: int = 3,
                chars: int = EXCERPT_SOURCE_CHARS) -> dict[int, list[ReplyRef]]:
    """The stored top replies of each thread (by score, then position), at most `per_post`
    each and the first `chars` characters of their text: one query per 900 threads. The one
    reply ranking that `--with-replies` and the digests' cards share."""
    by_thread: dict[int, list[ReplyRef]] = defaultdict(list)
    for chunk in chunked(list(thread_ids)):
        ranked = (select(Reply.thread_id, Reply.score, Reply.created_at,
                         func.substr(Reply.body, 1, chars).label("body"),
                         func.row_number().over(
                             partition_by=Reply.thread_id,
                             order_by=(func.coalesce(Reply.score, 0).desc(), Reply.position,
                                       Reply.id)).label("rank"))
                  .where(Reply.thread_id.in_(chunk)).subquery())
        for row in session.execute(select(ranked).where(ranked.c.rank <= per_post)
                                   .order_by(ranked.c.thread_id, ranked.c.rank)).mappings():
            by_thread[row["thread_id"]].append(
                ReplyRef(row["score"], row["created_at"], row["body"] or ""))
    return by_thread


def attach_replies(session: Session, posts: Sequence[Post], per_post: int = 3) -> None:
    """Fill `replies` of `posts` with their stored top replies (`top_replies`)."""
    by_thread = top_replies(session, [p.id for p in posts], per_post)
    for post in posts:
        post.replies = by_thread.get(post.id, [])
