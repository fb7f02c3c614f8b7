"""Database writes of a Reddit dump import's comments: reply rows upserted, and each touched
thread trimmed back to its top replies by score (threads go through `StorePipeline`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy import func as sa_func
from sqlalchemy.orm import Session

from models import store
from models.entities import Reply


def _rank_order() -> tuple[Any, ...]:
    return (sa_func.coalesce(Reply.score, -(10**9)).desc(), Reply.created_at.asc(),
            Reply.external_id.asc())


def trim_replies(session: Session, thread_ids: Iterable[int], keep: int) -> int:
    """Keep the top `keep` replies by score of each thread; renumber positions. Returns the
    number of replies deleted."""
    ids = sorted(set(thread_ids))
    if not ids:
        return 0
    rank = sa_func.row_number().over(partition_by=Reply.thread_id, order_by=_rank_order())
    rows = session.connection().execute(  # Core: no ORM row processing needed
        select(Reply.id, Reply.position, rank.label("rank"))
        .where(Reply.thread_id.in_(ids))).all()
    doomed = [row.id for row in rows if row.rank > keep]
    moved = [{"rid": row.id, "pos": row.rank - 1} for row in rows
             if row.rank <= keep and row.position != row.rank - 1]
    if doomed:
        session.execute(delete(Reply).where(Reply.id.in_(doomed)))
    if moved:
        table = Reply.__table__
        session.execute(update(table).where(table.c.id == bindparam("rid"))
                        .values(position=bindparam("pos")), moved)  # one executemany
    return len(doomed)


def upsert_replies(session: Session, rows: list[dict[str, Any]]) -> int:
    """`models.store.upsert_reply_rows` (rows by Reply column name)."""
    return store.upsert_reply_rows(session, rows)
