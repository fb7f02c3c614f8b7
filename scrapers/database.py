"""The crawl's database and source: one extension owns them; the spider, the pipelines and
the progress extension ask it (`crawl_database(crawler)`) instead of each other.

Settings (a hairlink spider sets both from its `source=` and `config=` arguments at priority
`spider`; `-s` on the command line, or a test's `get_crawler(settings_dict=...)`, wins):

    HAIRLINK_DATABASE_URL   the store (SQLAlchemy URL); its schema must be current: a crawl
                            never migrates (`hairlink init` does); SchemaNotReady otherwise
    HAIRLINK_SOURCE         {"name": ..., "kind": ..., "base_url": ...}: the source the
                            crawl stores into (a JSON string from the command line works too)

The engine is made on first use and disposed when the Scrapy engine stops (after every
pipeline closed and the progress extension wrote its last counters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.db import make_engine
from models.schema_version import require_schema
from models.store import ensure_source


@dataclass(frozen=True)
class SourceRef:
    """The source row a crawl stores into."""

    name: str
    kind: str
    base_url: str

    def setting(self) -> dict[str, str]:
        """The `HAIRLINK_SOURCE` value naming this source."""
        return {"name": self.name, "kind": self.kind, "base_url": self.base_url}


def source_from_setting(value: Any) -> SourceRef | None:
    """The `HAIRLINK_SOURCE` setting (a dict, or its JSON text) as a SourceRef."""
    if not value:
        return None
    if isinstance(value, str):
        value = json.loads(value)
    return SourceRef(str(value["name"]), str(value["kind"]), str(value["base_url"]))


class CrawlDatabase:
    """Owns the crawl's SQLAlchemy engine and its source row id."""

    def __init__(self, url: str | None = None, source: SourceRef | None = None, *,
                 engine: Engine | None = None) -> None:
        self.url = url
        self.source = source
        self._engine = engine
        self._owns_engine = engine is None
        self._source_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDatabase:
        settings = crawler.settings
        database = cls(settings.get("HAIRLINK_DATABASE_URL") or None,
                       source_from_setting(settings.get("HAIRLINK_SOURCE")))
        crawler.signals.connect(database.close, signal=signals.engine_stopped)
        return database

    @property
    def configured(self) -> bool:
        """Whether there is a database to write to."""
        return self._engine is not None or bool(self.url)

    @property
    def engine(self) -> Engine:
        """The engine (made on first use; the schema must be at this version: `hairlink init`)."""
        if self._engine is None:
            if not self.url:
                raise RuntimeError("no database: set HAIRLINK_DATABASE_URL (a hairlink "
                                   "spider sets it from its config)")
            self._engine = make_engine(self.url)
            require_schema(self._engine)
        return self._engine

    def source_id(self, session: Session | None = None, name: str | None = None) -> int:
        """The id of the crawl's source row (created on first use). `name`, when given,
        must be that source's: an item of another source is refused."""
        source = self.source
        if source is None:
            raise RuntimeError("no source: set HAIRLINK_SOURCE (a hairlink spider sets it)")
        if name is not None and name != source.name:
            raise RuntimeError(f"item of source {name!r} in a crawl of {source.name!r}")
        if self._source_id is None:
            if session is not None:
                self._source_id = ensure_source(session, source.name, source.kind,
                                                source.base_url)
            else:
                with Session(self.engine) as own, own.begin():
                    self._source_id = ensure_source(own, source.name, source.kind,
                                                    source.base_url)
        return self._source_id

    def forget_source_id(self) -> None:
        """Drop the cached id (its transaction may have been rolled back)."""
        self._source_id = None

    def close(self) -> None:
        """Dispose of the engine this component made."""
        if self._engine is not None and self._owns_engine:
            self._engine.dispose()


def crawl_database(crawler: Any) -> CrawlDatabase:
    """The crawl's `CrawlDatabase` (RuntimeError when it is not in EXTENSIONS)."""
    database = crawler.get_extension(CrawlDatabase)
    if database is None:
        raise RuntimeError("scrapers.database.CrawlDatabase is not enabled (EXTENSIONS)")
    return database
