"""Store items through the models upsert layer: batched, one transaction per batch.

Threads go through `models.store.upsert_threads` (score snapshot when changed), studies
through `models.study_store.upsert_study`. The buffer is flushed when it holds
`HAIRLINK_STORE_BATCH` items, when `HAIRLINK_STORE_FLUSH_SECONDS` passed since the last
flush, and when the spider closes. A failed thread batch is retried one thread per
transaction, so a row the database refuses loses only itself (`hairlink/dropped/store_failed`);
when no thread of it can be stored, or a study batch fails, they are counted under
`hairlink/store_errors` (the run is then marked failed, never finished).
"""

from __future__ import annotations

import logging
import time
from dataclasses import fields
from typing import Any, cast

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from models.store import ThreadIn, thread_input_columns, upsert_threads
from models.study_store import StudyIn, upsert_study
from scrapers.database import CrawlDatabase, crawl_database
from scrapers.items import StudyItem, ThreadItem
from scrapers.pipelines.validate import Stats, count_drop

logger = logging.getLogger(__name__)
STORE_ERRORS = "hairlink/store_errors"
THREADS_PREFIX = "hairlink/threads/"
_STUDY_FIELDS = ("pmid", "doi", "pmcid", "title", "authors", "journal", "pub_year",
                 "pub_month", "pub_day", "abstract", "tldr", "citation_count", "mesh_terms",
                 "publication_types", "url")


# ThreadItem fields stored under their own name: those naming a column the items fill
# (`models.store.thread_input_columns`), so a new column needs no line here.
_THREAD_FIELDS = tuple(f.name for f in fields(ThreadItem) if f.name in thread_input_columns())


def thread_in(item: ThreadItem) -> ThreadIn:
    """The upsert layer's dict for a cleaned, hashed thread item (fields by name; the
    item's hashed `author` is the `author_hash` column)."""
    assert item.created_at is not None
    record: dict[str, Any] = {name: getattr(item, name) for name in _THREAD_FIELDS}
    record["body"] = item.body or ""
    record["author_hash"] = item.author
    record["replies"] = [
        {"external_id": r.external_id, "body": r.body or "", "score": r.score,
         "author_hash": r.author, "created_at": r.created_at}
        for r in item.replies
    ]
    return cast(ThreadIn, record)


def study_in(item: StudyItem) -> StudyIn:
    """The study upsert dict of a StudyItem."""
    return {name: getattr(item, name) for name in _STUDY_FIELDS}  # type: ignore[return-value]


class StorePipeline:
    """Buffer items and upsert them in batches into the crawl's database
    (`scrapers.database.CrawlDatabase`)."""

    def __init__(self, database: CrawlDatabase, stats: Stats, batch_size: int = 1000,
                 flush_seconds: float = 5.0) -> None:
        self.database = database
        self.stats = stats
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.threads: list[ThreadItem] = []
        self.studies: list[StudyItem] = []
        self.last_flush = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = crawler.settings
        return cls(crawl_database(crawler), crawler.stats,
                   settings.getint("HAIRLINK_STORE_BATCH", 1000),
                   settings.getfloat("HAIRLINK_STORE_FLUSH_SECONDS", 5.0))

    @property
    def engine(self) -> Engine:
        return self.database.engine

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ThreadItem):
            self.threads.append(item)
        elif isinstance(item, StudyItem):
            self.studies.append(item)
        else:
            return item
        if len(self.threads) + len(self.studies) >= self.batch_size or \
                time.monotonic() - self.last_flush >= self.flush_seconds:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Write the buffered items, one transaction per kind of item."""
        self.last_flush = time.monotonic()
        threads, self.threads = self.threads, []
        studies, self.studies = self.studies, []
        if threads:
            self._store_threads(threads)
        if studies:
            self._store_studies(studies)

    def _store_threads(self, items: list[ThreadItem]) -> None:
        by_source: dict[str, list[ThreadItem]] = {}
        for item in items:
            by_source.setdefault(item.source, []).append(item)
        for name, batch in by_source.items():
            try:
                self._upsert(name, batch)
            except Exception:
                self.database.forget_source_id()
                logger.warning("storing %d threads of %s failed: retrying them one by one",
                               len(batch), name, exc_info=True)
                self._store_one_by_one(name, batch)

    def _upsert(self, name: str, batch: list[ThreadItem]) -> None:
        """One transaction for `batch`; counts what it stored."""
        with Session(self.engine) as session, session.begin():
            source_id = self.database.source_id(session, name)
            stats = upsert_threads(session, source_id, [thread_in(i) for i in batch])
        for key in ("inserted", "updated", "unchanged", "snapshots", "replies"):
            self.stats.inc_value(THREADS_PREFIX + key, getattr(stats, key))
        self.stats.inc_value("hairlink/stored", len(batch))

    def _store_one_by_one(self, name: str, batch: list[ThreadItem]) -> None:
        """After a failed batch: each thread in its own transaction, so only a bad row is
        lost (counted `store_failed`). When the database does not even answer, it is the
        problem, not the rows: they count as store errors and the run fails."""
        failed: list[ThreadItem] = []
        for item in batch:
            try:
                self._upsert(name, [item])
            except Exception as exc:
                self.database.forget_source_id()
                failed.append(item)
                logger.error("thread %r of %s could not be stored: %s: %s", item.external_id,
                             name, type(exc).__name__, str(exc)[:300])
        if not failed:
            return
        if self._database_answers():
            count_drop(self.stats, "store_failed", len(failed))
        else:
            self.stats.inc_value(STORE_ERRORS, len(failed))

    def _database_answers(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def _store_studies(self, items: list[StudyItem]) -> None:
        try:
            with Session(self.engine) as session, session.begin():
                outcomes = [upsert_study(session, study_in(item))[1] for item in items]
        except Exception:
            logger.exception("storing %d studies failed", len(items))
            self.stats.inc_value(STORE_ERRORS, len(items))
            return
        for outcome in outcomes:
            self.stats.inc_value(f"hairlink/studies/{outcome}")
        self.stats.inc_value("hairlink/stored", len(items))
