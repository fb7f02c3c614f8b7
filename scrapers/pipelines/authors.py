"""Hash author names with a per-install salt (the `meta` row `author_salt`); names are not kept.

hash = sha256(salt + name), hex. The salt is created once per database with `secrets`.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from scrapy import Spider
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models.entities import Meta
from models.store import dialect_insert
from scrapers.items import ThreadItem

SALT_KEY = "author_salt"


def author_salt(session: Session) -> str:
    """The install's author salt, created on first use (safe against concurrent creators)."""
    salt = session.scalar(select(Meta.value).where(Meta.key == SALT_KEY))
    if salt:
        return salt
    stmt = dialect_insert(session, Meta).values(key=SALT_KEY, value=secrets.token_hex(32))
    session.execute(stmt.on_conflict_do_nothing(index_elements=[Meta.key]))
    salt = session.scalar(select(Meta.value).where(Meta.key == SALT_KEY))
    assert salt
    return salt


def load_salt(engine: Engine) -> str:
    """`author_salt` in its own committed transaction."""
    with Session(engine) as session, session.begin():
        return author_salt(session)


def hash_author(salt: str, name: str | None) -> str | None:
    """sha256(salt + name) as hex; None for no name or a deleted account."""
    if not name or not name.strip() or name.strip() in ("[deleted]", "[removed]"):
        return None
    return hashlib.sha256((salt + name.strip()).encode("utf-8")).hexdigest()


class AuthorHashPipeline:
    """Replace `author` by its salted hash in `author` (threads and replies)."""

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self.salt: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> AuthorHashPipeline:
        return cls(crawler)

    def _salt(self) -> str:
        if self.salt is None:
            spider: Spider | None = getattr(self.crawler, "spider", None)
            engine = getattr(spider, "engine", None)
            # Without a database (a spider used outside hairlink) the hash is still one-way.
            self.salt = load_salt(engine) if engine is not None else secrets.token_hex(32)
        return self.salt

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ThreadItem):
            return item
        salt = self._salt()
        item.author = hash_author(salt, item.author)
        for reply in item.replies:
            reply.author = hash_author(salt, reply.author)
        return item
