"""The storage layer: batched, idempotent upserts for threads, replies and studies.

One code path for SQLite and PostgreSQL (dialect `INSERT ... ON CONFLICT`). Functions named
`upsert_*` work inside the caller's session and do not commit; `store_threads` splits an
iterable into batches and commits one transaction per batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any, NotRequired, TypedDict, TypeVar

from sqlalchemy import Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.bulk import restrict_to, write_records
from models.entities import Reply, ScoreSnapshot, Source, Thread
from models.study_stats import forget_study_stats, studies_linked_to
from models.utc import as_utc

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
    """A thread as the spiders and importers hand it over (times in UTC).

    Keys are `thread` column names (plus `replies`): any other key naming a column the
    items fill (`thread_input_columns()`) is stored as well, so a new column needs no
    line here; keys naming no such column are ignored."""

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
    text = "\0".join((title, body, *(reply["body"] for reply in replies))) if replies \
        else f"{title}\0{body}"
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


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


# Columns of `thread` the store never writes (the aggregator owns these two).
NOT_STORED = frozenset({"id", "aggregated_hash", "summary"})
# Set by the store itself, not taken from the item.
STORE_SET = ("source_id", "first_seen_at", "last_seen_at", "content_hash")
# Kept from the first observation when a thread is seen again.
KEPT_ON_UPDATE = frozenset({"source_id", "external_id", "first_seen_at"})
# A missing (or None) optional key of a `ThreadIn` (any other column defaults to NULL).
THREAD_DEFAULTS: dict[str, Any] = {"body": "", "num_comments": 0}


def thread_columns() -> tuple[str, ...]:
    """The columns of `thread` an upsert writes: every column of the table but NOT_STORED,
    so a new column is written as soon as the entity has it and items carry its key."""
    return tuple(c.name for c in Thread.__table__.columns if c.name not in NOT_STORED)


def thread_input_columns() -> tuple[str, ...]:
    """The columns a `ThreadIn` fills (the written ones the store does not set itself)."""
    return tuple(c for c in thread_columns() if c not in STORE_SET)


def _thread_records(source_id: int, items: Iterable[ThreadIn],
                    now: datetime) -> list[dict[str, Any]]:
    """The thread rows of `items` by column name (missing optional keys defaulted)."""
    defaults = {**dict.fromkeys(thread_input_columns()), **THREAD_DEFAULTS}
    stamp = {"source_id": source_id, "first_seen_at": now, "last_seen_at": now}
    records = []
    for item in items:
        record = {**defaults, **item, **stamp}
        if record["body"] is None or record["num_comments"] is None:  # given as None
            record["body"] = record["body"] or ""
            record["num_comments"] = record["num_comments"] or 0
        record["content_hash"] = content_hash(record["title"], record["body"],
                                              item.get("replies"))
        records.append(record)
    return records


def _existing(session: Session, source_id: int,
              ids: Sequence[str]) -> dict[str, Any]:
    """The stored id, score, reply count, content hash and date of the threads `ids`, by
    id."""
    stmt = select(Thread.id, Thread.external_id, Thread.score, Thread.num_comments,
                  Thread.content_hash, Thread.created_at).where(Thread.source_id == source_id)
    rows = session.connection().execute(restrict_to(session, stmt, Thread.external_id, ids))
    return {row.external_id: row for row in rows}  # Core rows: no ORM work per row


def _thread_ids(session: Session, source_id: int, ids: Sequence[str]) -> dict[str, int]:
    """Thread id by external id for the threads `ids` of the source."""
    stmt = select(Thread.id, Thread.external_id).where(Thread.source_id == source_id)
    rows = session.connection().execute(restrict_to(session, stmt, Thread.external_id, ids))
    return {row.external_id: row.id for row in rows}


def _first_snapshots(session: Session, source_id: int, ids: Sequence[str]) -> None:
    """A score snapshot of each new thread `ids`, copied from its row by the database."""
    stmt = select(*(Thread.__table__.c[c] for c in ("id", "first_seen_at", "score",
                                                     "num_comments"))
                  ).where(Thread.source_id == source_id)
    session.execute(insert(ScoreSnapshot.__table__).from_select(
        ["thread_id", "observed_at", "score", "num_comments"],
        restrict_to(session, stmt, Thread.external_id, ids)))


def _classify(records: Sequence[dict[str, Any]], existing: dict[str, Any], now: datetime,
              stats: UpsertStats) -> list[dict[str, Any]]:
    """Count inserted, updated and unchanged threads; the score snapshots of stored threads
    whose score or reply count changed."""
    changed: list[dict[str, Any]] = []
    for record in records:
        old = existing.get(record["external_id"])
        if old is None:
            stats.inserted += 1
            continue
        counts = (record["score"], record["num_comments"])
        if (old.score, old.num_comments) != counts:
            changed.append({"thread_id": old.id, "observed_at": now, "score": counts[0],
                            "num_comments": counts[1]})
        if (old.score, old.num_comments, old.content_hash) == (*counts,
                                                               record["content_hash"]):
            stats.unchanged += 1
        else:
            stats.updated += 1
    return changed


def upsert_threads(session: Session, source_id: int, items: Sequence[ThreadIn],
                   now: datetime | None = None) -> UpsertStats:
    """Insert or update one batch of threads (and their replies) of one source.

    A score snapshot is written for every new thread and for every thread whose score
    or reply count changed. Does not commit.
    """
    now = now or utcnow()
    stats = UpsertStats()
    by_id = {item["external_id"]: item for item in items}  # the last occurrence wins
    if not by_id:
        return stats
    existing = _existing(session, source_id, list(by_id))
    records = _thread_records(source_id, by_id.values(), now)
    columns = thread_columns()
    write_records(session, Thread.__table__, columns, records,
                  conflict=("source_id", "external_id"),
                  update=tuple(c for c in columns if c not in KEPT_ON_UPDATE))
    changed = _classify(records, existing, now, stats)
    write_records(session, ScoreSnapshot.__table__, SNAPSHOT_COLUMNS, changed)
    new_ids = [ext for ext in by_id if ext not in existing]
    if new_ids:  # first observations are copied inside the database
        _first_snapshots(session, source_id, new_ids)
    stats.snapshots = len(changed) + len(new_ids)
    stats.replies = _upsert_replies(session, source_id, by_id, existing, new_ids)
    _forget_redated(session, records, existing)
    return stats


def _forget_redated(session: Session, records: Sequence[dict[str, Any]],
                    existing: dict[str, Any]) -> None:
    """Drop the stored counts of the studies linked to threads whose date changed without
    their text (a corrected board time zone): the aggregator sees no change in them, and
    those studies' month charts are counted live until its next run stores them again."""
    redated = [old.id for record in records
               if (old := existing.get(record["external_id"])) is not None
               and as_utc(old.created_at) != as_utc(record["created_at"])]
    if not redated:
        return
    forget_study_stats(session, studies_linked_to(session, redated))


def _upsert_replies(session: Session, source_id: int, by_id: dict[str, ThreadIn],
                    existing: dict[str, Any], new_ids: Sequence[str]) -> int:
    """Upsert the replies of the threads `by_id` (positions in item order); how many."""
    if not any(item.get("replies") for item in by_id.values()):
        return 0
    id_of = {ext: row.id for ext, row in existing.items()}
    if new_ids:
        id_of.update(_thread_ids(session, source_id, new_ids))
    replies = [{"thread_id": id_of[ext], "external_id": reply["external_id"],
                "body": reply["body"], "score": reply.get("score"),
                "author_hash": reply.get("author_hash"), "created_at": reply.get("created_at"),
                "position": position}
               for ext, item in by_id.items()
               for position, reply in enumerate(item.get("replies") or ())]
    return upsert_reply_rows(session, replies)


REPLY_COLUMNS = tuple(c.name for c in Reply.__table__.columns if c.name != "id")
SNAPSHOT_COLUMNS = tuple(c.name for c in ScoreSnapshot.__table__.columns if c.name != "id")
REPLY_KEY = ("thread_id", "external_id")


def upsert_reply_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert or update reply rows (mappings with every REPLY_COLUMNS key; unique on thread
    and external id; the last of two equal keys wins). Does not commit."""
    unique = {(row["thread_id"], row["external_id"]): row for row in rows}
    write_records(session, Reply.__table__, REPLY_COLUMNS, list(unique.values()),
                  conflict=REPLY_KEY, update=tuple(c for c in REPLY_COLUMNS
                                                   if c not in REPLY_KEY))
    return len(unique)


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
