"""The `meta` table: named values kept between runs (caller's session)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import Meta
from models.store import dialect_insert


def get_meta(session: Session, key: str) -> str | None:
    """A value of the `meta` table."""
    return session.scalar(select(Meta.value).where(Meta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    """Insert or replace a value of the `meta` table."""
    stmt = dialect_insert(session, Meta).values(key=key, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=[Meta.key],
                                               set_={"value": stmt.excluded.value}))
