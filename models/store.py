"""The storage layer: batched, idempotent upserts for threads, replies and studies.

One code path for SQLite and PostgreSQL (dialect `INSERT ... ON CONFLICT`). Functions named
`upsert_*` work inside the caller's session and do not commit; `store_threads` splits an
iterable into batches and commits one transaction per batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any, NotRequired, TypedDict, TypeVar

from sqlalchemy import Insert, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.bulk import bulk_write, restrict_to
from models.entities import Reply, ScoreSnapshot, Source, Thread

DEFAULT_BATCH_SIZE = 1000
T = TypeVar("T")


class ReplyIn(TypedDict):
    """A reply as the spiders and importers hand it over."""

    external_id: str
    body: str
    score: NotRequired[int | None]
    author_hash: NotRequired[str | None]
    created_at: NotRequired[datetime | None]


class ThreadIn(TypedDict):
    """A thread as the spiders and importers hand it over (times in UTC)."""

    external_id: str
    url: str
    title: str
    created_at: datetime
    body: NotRequired[str]
    category: NotRequired[str | None]
    score: NotRequired[int | None]
    num_comments: NotRequired[int]
    author_hash: NotRequired[str | None]
    edited_at: NotRequired[datetime | None]
    last_activity_at: NotRequired[datetime | None]
    replies: NotRequired[list[ReplyIn]]


@dataclass
class UpsertStats:
    """What an upsert did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    snapshots: int = 0
    replies: int = 0

    def add(self, other: UpsertStats) -> None:
        """Accumulate another batch's counts."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.snapshots += other.snapshots
        self.replies += other.replies


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def dialect_insert(session: Session, table: Any) -> Insert:
    """An INSERT that supports `on_conflict_do_*` for the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"hairlink supports SQLite and PostgreSQL, not {name}")


def content_hash(title: str, body: str, replies: Sequence[ReplyIn] | None = None) -> str:
    """A hash of the text the aggregator reads (title, body, reply bodies)."""
    digest = hashlib.sha1(title.encode("utf-8"), usedforsecurity=False)
    digest.update(b"\0")
    digest.update(body.encode("utf-8"))
    for reply in replies or ():
        digest.update(b"\0")
        digest.update(reply["body"].encode("utf-8"))
    return digest.hexdigest()


def ensure_source(session: Session, name: str, kind: str, base_url: str) -> int:
    """The id of the source row called `name`, created or updated to match the config."""
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind=kind, base_url=base_url, created_at=utcnow())
        session.add(source)
        session.flush()
    elif (source.kind, source.base_url) != (kind, base_url):
        source.kind, source.base_url = kind, base_url
        session.flush()
    return source.id


THREAD_COLUMNS = ("source_id", "external_id", "url", "title", "body", "category", "score",
                  "num_comments", "author_hash", "created_at", "edited_at", "last_activity_at",
                  "first_seen_at", "last_seen_at", "content_hash")
_SCORE, _COMMENTS, _HASH = (THREAD_COLUMNS.index(c) for c in
                            ("score", "num_comments", "content_hash"))
REPLY_COLUMNS = ("thread_id", "external_id", "body", "score", "author_hash", "created_at",
                 "position")
SNAPSHOT_COLUMNS = ("thread_id", "observed_at", "score", "num_comments")


def _thread_row(source_id: int, item: ThreadIn, now: datetime) -> tuple[Any, ...]:
    body = item.get("body") or ""
    return (source_id, item["external_id"], item["url"], item["title"], body,
            item.get("category"), item.get("score"), item.get("num_comments") or 0,
            item.get("author_hash"), item["created_at"], item.get("edited_at"),
            item.get("last_activity_at"), now, now,
            content_hash(item["title"], body, item.get("replies")))


_UPDATED_ON_CONFLICT = ("url", "title", "body", "category", "score", "num_comments",
                        "author_hash", "created_at", "edited_at", "last_activity_at",
                        "last_seen_at", "content_hash")


def upsert_threads(session: Session, source_id: int, items: Sequence[ThreadIn],
                   now: datetime | None = None) -> UpsertStats:
    """Insert or update one batch of threads (and their replies) of one source.

    A score snapshot is written for every new thread and for every thread whose score
    or reply count changed. Does not commit.
    """
    now = now or utcnow()
    stats = UpsertStats()
    by_id: dict[str, ThreadIn] = {}
    for item in items:
        by_id[item["external_id"]] = item  # the last occurrence in a batch wins
    if not by_id:
        return stats
    ids = list(by_id)
    existing = {
        row.external_id: row
        for row in session.execute(restrict_to(
            session,
            select(Thread.id, Thread.external_id, Thread.score, Thread.num_comments,
                   Thread.content_hash).where(Thread.source_id == source_id),
            Thread.external_id, ids))
    }
    rows = [_thread_row(source_id, by_id[ext], now) for ext in ids]
    bulk_write(session, Thread.__table__, THREAD_COLUMNS, rows,
               conflict=("source_id", "external_id"), update=_UPDATED_ON_CONFLICT)
    new_ids = [ext for ext in ids if ext not in existing]
    changed: list[tuple[Any, ...]] = []
    for ext, row in zip(ids, rows, strict=True):
        old = existing.get(ext)
        if old is None:
            stats.inserted += 1
            continue
        if (old.score, old.num_comments) != (row[_SCORE], row[_COMMENTS]):
            changed.append((old.id, now, row[_SCORE], row[_COMMENTS]))
        if (old.score, old.num_comments, old.content_hash) == (
                row[_SCORE], row[_COMMENTS], row[_HASH]):
            stats.unchanged += 1
        else:
            stats.updated += 1
    bulk_write(session, ScoreSnapshot.__table__, SNAPSHOT_COLUMNS, changed)
    if new_ids:
        # First observations are copied inside the database: no rows travel back and forth.
        session.execute(
            insert(ScoreSnapshot.__table__).from_select(
                list(SNAPSHOT_COLUMNS),
                restrict_to(
                    session,
                    select(Thread.id, Thread.first_seen_at, Thread.score, Thread.num_comments)
                    .where(Thread.source_id == source_id),
                    Thread.external_id, new_ids),
            )
        )
    stats.snapshots = len(changed) + len(new_ids)
    if not any(item.get("replies") for item in by_id.values()):
        return stats
    id_of = {ext: row.id for ext, row in existing.items()}
    if new_ids:
        id_of.update(
            (ext, thread_id) for thread_id, ext in session.execute(restrict_to(
                session,
                select(Thread.id, Thread.external_id).where(Thread.source_id == source_id),
                Thread.external_id, new_ids))
        )

    reply_rows = [
        (id_of[ext], reply["external_id"], reply["body"], reply.get("score"),
         reply.get("author_hash"), reply.get("created_at"), position)
        for ext, item in by_id.items()
        for position, reply in enumerate(item.get("replies") or ())
    ]
    if reply_rows:
        stats.replies = upsert_reply_rows(session, reply_rows)
    return stats


def upsert_reply_rows(session: Session, rows: Sequence[tuple[Any, ...]]) -> int:
    """Insert or update reply rows (tuples in REPLY_COLUMNS order; unique on thread and
    external id). Does not commit."""
    unique = {(row[0], row[1]): row for row in rows}
    bulk_write(session, Reply.__table__, REPLY_COLUMNS, list(unique.values()),
               conflict=("thread_id", "external_id"), update=REPLY_COLUMNS[2:])
    return len(unique)


def known_thread_ids(session: Session, source_id: int,
                     external_ids: Iterable[str]) -> dict[str, datetime]:
    """Which of `external_ids` are stored for the source, with their created time."""
    ids = list(external_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Thread.external_id, Thread.created_at)
        .where(Thread.source_id == source_id, Thread.external_id.in_(ids))
    )
    return {external_id: created for external_id, created in rows}


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Split an iterable into lists of at most `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def store_threads(make_session: Callable[[], Session], source_id: int,
                  items: Iterable[ThreadIn], batch_size: int = DEFAULT_BATCH_SIZE,
                  now: datetime | None = None) -> UpsertStats:
    """Upsert threads in batches, one transaction per batch."""
    total = UpsertStats()
    for batch in batched(items, batch_size):
        with make_session() as session, session.begin():
            total.add(upsert_threads(session, source_id, batch, now=now))
    return total


def thread_keys(session: Session, pairs: Sequence[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Map (source id, external id) pairs to thread ids."""
    if not pairs:
        return {}
    rows = session.execute(
        select(Thread.source_id, Thread.external_id, Thread.id)
        .where(tuple_(Thread.source_id, Thread.external_id).in_(list(pairs)))
    )
    return {(sid, ext): tid for sid, ext, tid in rows}
