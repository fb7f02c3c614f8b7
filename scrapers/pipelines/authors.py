"""Hash author names with a per-install salt kept outside the database; names are not kept.

hash = sha256(salt + name), hex. Where the salt lives: `models.author_salt` (an environment
variable, or a 0600 file next to the SQLite database / in the user's config directory).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from scrapy import Spider
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.author_salt import load_author_salt
from scrapers.items import ThreadItem


def author_salt(session: Session) -> str:
    """The author salt of the session's database (created on first use)."""
    return load_author_salt(session.get_bind().engine.url)


def load_salt(engine: Engine) -> str:
    """The author salt of `engine`'s database (created on first use)."""
    return load_author_salt(engine.url)


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

    def open_spider(self) -> None:
        """Read the salt before the crawl starts: an unreadable salt file stops it at once,
        with the file named (`models.author_salt.SaltError`)."""
        self._salt()

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
