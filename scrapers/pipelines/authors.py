"""Hash author names with a per-install salt kept outside the database; names are not kept.

hash = sha256(salt + name), hex. Where the salt lives: `models.author_salt` (an environment
variable, or a 0600 file next to the SQLite database / in the user's config directory).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.author_salt import load_author_salt
from scrapers.database import CrawlDatabase, crawl_database
from scrapers.items import ReplyItem, ThreadItem


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
    """Replace `author` by its salted hash in `author` (threads and replies).

    The salt is the crawl database's (`scrapers.database.CrawlDatabase`), or `salt` when
    given; with no database at all (a spider used outside hairlink) a random one, so the
    hash stays one-way."""

    # Hashes remembered by name (a board's members post again and again): cleared when the
    # salt changes or it holds this many names.
    MEMO_SIZE = 50_000

    def __init__(self, database: CrawlDatabase | None = None, salt: str | None = None) -> None:
        self.database = database
        self.salt = salt
        self._memo: dict[str, str | None] = {}
        self._memo_salt: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> AuthorHashPipeline:
        return cls(crawl_database(crawler))

    def open_spider(self) -> None:
        """Read the salt before the crawl starts: an unreadable salt file stops it at once,
        with the file named (`models.author_salt.SaltError`)."""
        self._salt()

    def _salt(self) -> str:
        if self.salt is None:
            database = self.database
            self.salt = load_salt(database.engine) if database and database.configured \
                else secrets.token_hex(32)
        return self.salt

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ThreadItem):
            return item
        item.author = self.hash(item.author)
        for reply in item.replies:
            reply.author = self.hash(reply.author)
        return item

    def hash_reply(self, reply: ReplyItem) -> ReplyItem:
        """The reply with its author hashed (the dump importer's comments pass here)."""
        reply.author = self.hash(reply.author)
        return reply

    def hash(self, name: str | None) -> str | None:
        """`hash_author(salt, name)` with the pipeline's salt, remembered by name."""
        salt = self._salt()
        if not name:
            return None
        memo = self._memo
        if salt != self._memo_salt or len(memo) >= self.MEMO_SIZE:
            memo.clear()
            self._memo_salt = salt
        try:
            return memo[name]
        except KeyError:
            hashed = memo[name] = hash_author(salt, name)
            return hashed
