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

from sqlalchemy import Insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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


def _thread_row(source_id: int, item: ThreadIn, now: datetime) -> dict[str, Any]:
    body = item.get("body") or ""
    return {
        "source_id": source_id,
        "external_id": item["external_id"],
        "url": item["url"],
        "title": item["title"],
        "body": body,
        "category": item.get("category"),
        "score": item.get("score"),
        "num_comments": item.get("num_comments") or 0,
        "author_hash": item.get("author_hash"),
        "created_at": item["created_at"],
        "edited_at": item.get("edited_at"),
        "last_activity_at": item.get("last_activity_at"),
        "first_seen_at": now,
        "last_seen_at": now,
        "content_hash": content_hash(item["title"], body, item.get("replies")),
    }


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
        for row in session.execute(
            select(Thread.id, Thread.external_id, Thread.score, Thread.num_comments,
                   Thread.content_hash)
            .where(Thread.source_id == source_id, Thread.external_id.in_(ids))
        )
    }
    rows = [_thread_row(source_id, by_id[ext], now) for ext in ids]
    stmt = dialect_insert(session, Thread)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Thread.source_id, Thread.external_id],
        set_={col: stmt.excluded[col] for col in _UPDATED_ON_CONFLICT},
    )
    session.execute(stmt, rows)

    snapshots: list[dict[str, Any]] = []
    new_ids = [row["external_id"] for row in rows if row["external_id"] not in existing]
    id_of = {ext: row.id for ext, row in existing.items()}
    if new_ids:
        for thread_id, ext in session.execute(
            select(Thread.id, Thread.external_id)
            .where(Thread.source_id == source_id, Thread.external_id.in_(new_ids))
        ):
            id_of[ext] = thread_id
    for row in rows:
        old = existing.get(row["external_id"])
        if old is None:
            stats.inserted += 1
        elif (old.score, old.num_comments, old.content_hash) == (
                row["score"], row["num_comments"], row["content_hash"]):
            stats.unchanged += 1
        else:
            stats.updated += 1
        if old is None or (old.score, old.num_comments) != (row["score"], row["num_comments"]):
            snapshots.append({"thread_id": id_of[row["external_id"]], "observed_at": now,
                              "score": row["score"], "num_comments": row["num_comments"]})
    if snapshots:
        session.execute(dialect_insert(session, ScoreSnapshot), snapshots)
        stats.snapshots = len(snapshots)

    reply_rows = [
        {
            "thread_id": id_of[ext],
            "external_id": reply["external_id"],
            "body": reply["body"],
            "score": reply.get("score"),
            "author_hash": reply.get("author_hash"),
            "created_at": reply.get("created_at"),
            "position": position,
        }
        for ext, item in by_id.items()
        for position, reply in enumerate(item.get("replies") or ())
    ]
    if reply_rows:
        stats.replies = upsert_reply_rows(session, reply_rows)
    return stats


def upsert_reply_rows(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert or update reply rows (unique on thread and external id). Does not commit."""
    unique: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        unique[(row["thread_id"], row["external_id"])] = row
    if not unique:
        return 0
    stmt = dialect_insert(session, Reply)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Reply.thread_id, Reply.external_id],
        set_={col: stmt.excluded[col] for col in ("body", "score", "author_hash",
                                                  "created_at", "position")},
    )
    session.execute(stmt, list(unique.values()))
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
