"""Import Reddit history from monthly dump files (Pushshift-style NDJSON, zstd or plain).

Streaming and flat in memory: files are read line by line through a zstd stream reader (a
large `max_window_size`, as these dumps use long windows), records go to the database in
batches (one transaction per batch) and nothing is kept across batches.

Two passes over the given files:
1. submissions (`RS_*` files, and files whose name says nothing) -> threads;
2. comments (`RC_*` files, and files whose name says nothing) -> replies of the thread named
   by their `link_id` (`t3_<id>`), so comment files may come before or after the submission
   files on the command line. Each thread keeps its top N replies by score (N = `replies`):
   a batch inserts its candidates and then trims every touched thread back to N in SQL.
   Comments whose thread is in no given file and not already stored are skipped and counted
   (`thread_not_stored`).

Text fields in these dumps are HTML-escaped (`&amp;`, `&gt;`): they are unescaped. Threads
go through the crawl's own item pipeline stages (`ValidatePipeline`, `CleanPipeline`,
`AuthorHashPipeline`, `StorePipeline`, built here without a crawler and counting into
`DumpImportStats`); comments through the same stages' reply steps (validate, fit, hash). A
line that is not a JSON object is counted as malformed with its file and line number; the
rest imports.

This module holds the two passes (`RedditDumpImporter`, `import_reddit_dumps`) and the
crawl-run record; reading and decoding files is in `reddit_dump_files`, the database writes
in `reddit_dump_store`, the counts in `reddit_dump_stats`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models.crawl_runs import record_run
from models.entities import Thread
from scrapers.database import CrawlDatabase, SourceRef
from scrapers.importers.reddit_dump_files import (
    check_dump_file,
    file_role,
    iter_records,
    record_kind,
)
from scrapers.importers.reddit_dump_stats import DumpImportStats
from scrapers.importers.reddit_dump_store import trim_replies, upsert_replies
from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers.reddit import MalformedRecord, reply_from_comment, thread_from_post
from scrapers.pipelines.authors import AuthorHashPipeline, load_salt
from scrapers.pipelines.clean import CleanPipeline
from scrapers.pipelines.fit import DEFAULT_MAX_BODY, fit_reply_body
from scrapers.pipelines.store import StorePipeline
from scrapers.pipelines.validate import ValidatePipeline, count_drop

DEFAULT_BATCH = 2000
DEFAULT_REPLIES = 10
REDDIT_BASE_URL = "https://oauth.reddit.com"
# Told (file, pass: "submissions" | "comments", bytes read, file size) as a file is read.
ByteProgress = Callable[[Path, str, int, int], None]


@dataclass
class _Comment:
    thread_ext: str
    reply: ReplyItem


class RedditDumpImporter:
    """Imports dump files into one source; see the module docstring for the passes."""

    def __init__(self, engine: Engine, source_name: str, *, subreddit: str | None = None,
                 replies: int = DEFAULT_REPLIES, batch_size: int = DEFAULT_BATCH,
                 base_url: str = REDDIT_BASE_URL, escaped: bool = True,
                 progress: Callable[[str], None] | None = None,
                 on_bytes: ByteProgress | None = None) -> None:
        self.engine = engine
        self.source_name = source_name
        self.subreddit = subreddit.lower().removeprefix("r/") if subreddit else None
        self.keep = max(0, replies)
        self.batch_size = max(1, batch_size)
        self.base_url = base_url
        self.escaped = escaped
        self.progress = progress or (lambda _msg: None)
        self.on_bytes = on_bytes
        self.stats = DumpImportStats()
        self.max_body = DEFAULT_MAX_BODY
        self.database = CrawlDatabase(source=SourceRef(source_name, "reddit", base_url),
                                      engine=engine)
        self.source_id = self.database.source_id()
        # The crawl's pipeline stages, in the crawl's order (scrapers.settings ITEM_PIPELINES).
        self.validate = ValidatePipeline(self.stats)
        self.clean = CleanPipeline(max_body=self.max_body, stats=self.stats)
        self.hasher = AuthorHashPipeline(salt=load_salt(engine))
        self.store = StorePipeline(self.database, self.stats, self.batch_size,
                                   flush_seconds=math.inf)
        self.stages = (self.validate, self.clean, self.hasher, self.store)

    def run(self, paths: Iterable[Path]) -> DumpImportStats:
        """Import every file (submissions first, then comments) and return the counts."""
        files = [Path(p) for p in paths]
        for path in files:
            check_dump_file(path)
        self.stats.files = len(files)
        for path in files:
            if file_role(path) != "comments":
                self.progress(f"{path}: submissions")
                self._import_submissions(path)
        for path in files:
            if file_role(path) != "submissions":
                self.progress(f"{path}: comments")
                self._import_comments(path, count_malformed=file_role(path) == "comments")
        return self.stats

    def _reader(self, path: Path, role: str) -> Callable[[int], None] | None:
        if self.on_bytes is None:
            return None
        size, report = path.stat().st_size, self.on_bytes
        report(path, role, 0, size)
        return lambda done: report(path, role, done, size)

    def _wanted(self, record: dict[str, Any]) -> bool:
        if self.subreddit is None:
            return True
        sub = record.get("subreddit")
        if isinstance(sub, str) and sub.lower() == self.subreddit:
            return True
        self.stats.skipped["other_subreddit"] += 1
        return False

    def _import_submissions(self, path: Path) -> None:
        for record in iter_records(path, self.stats, on_read=self._reader(path, "submissions")):
            kind = record_kind(record)
            if kind == "comment":
                continue  # the comment pass takes it
            if kind is None:
                self.stats.skipped["unknown_record"] += 1
                continue
            if not self._wanted(record):
                continue
            try:
                item = thread_from_post(record, self.source_name, escaped=self.escaped)
            except MalformedRecord as exc:
                self.stats.skipped[exc.reason] += 1
                continue
            self._feed(item)
        self.store.close_spider()  # the comment pass needs every thread stored

    def _feed(self, item: ThreadItem) -> None:
        """Through the stages; a drop is already counted by the stage that dropped it."""
        try:
            for stage in self.stages:
                item = stage.process_item(item)
        except DropItem:
            pass

    def _import_comments(self, path: Path, count_malformed: bool) -> None:
        batch: list[_Comment] = []
        for record in iter_records(path, self.stats, count_malformed=count_malformed,
                                   on_read=self._reader(path, "comments")):
            kind = record_kind(record)
            if kind == "submission":
                continue
            if kind is None:
                if count_malformed:
                    self.stats.skipped["unknown_record"] += 1
                continue
            if not self._wanted(record):
                continue
            link = record.get("link_id")
            if not isinstance(link, str) or not link.startswith("t3_") or len(link) < 4:
                self.stats.skipped["bad_link_id"] += 1
                continue
            try:
                reply = reply_from_comment(record, escaped=self.escaped)
            except MalformedRecord as exc:
                self.stats.skipped[exc.reason] += 1
                continue
            if not self.validate.validate_reply(reply):
                continue
            self.validate.fit_reply(reply)
            for note in fit_reply_body(reply, self.max_body):
                count_drop(self.stats, note)
            batch.append(_Comment(link[3:], reply))
            if len(batch) >= self.batch_size:
                self._flush_comments(batch)
                batch = []
        if batch:
            self._flush_comments(batch)

    def _flush_comments(self, batch: list[_Comment]) -> None:
        by_thread: dict[str, dict[str, ReplyItem]] = {}
        for comment in batch:
            by_thread.setdefault(comment.thread_ext, {})[comment.reply.external_id] = \
                comment.reply
        with Session(self.engine) as session, session.begin():
            ids: dict[str, int] = {
                ext: tid for ext, tid in session.execute(
                    select(Thread.external_id, Thread.id)
                    .where(Thread.source_id == self.source_id,
                           Thread.external_id.in_(list(by_thread))))}
            rows: list[dict[str, Any]] = []
            for ext, replies in by_thread.items():
                thread_id = ids.get(ext)
                if thread_id is None:
                    self.stats.skipped["thread_not_stored"] += len(replies)
                    continue
                ranked = sorted(replies.values(), key=lambda r: -(r.score or 0))
                if len(ranked) > self.keep:
                    self.stats.skipped["below_top_replies"] += len(ranked) - self.keep
                for reply in ranked[:self.keep]:
                    rows.append({
                        "thread_id": thread_id, "external_id": reply.external_id,
                        "body": reply.body or "", "score": reply.score,
                        "author_hash": self.hasher.hash_reply(reply).author,
                        "created_at": reply.created_at, "position": 0,
                    })
            if not rows:
                return
            upsert_replies(session, rows)
            self.stats.replies += len(rows)
            self.stats.replies_trimmed += trim_replies(
                session, {row["thread_id"] for row in rows}, self.keep)


def import_reddit_dumps(engine: Engine, paths: Iterable[Path | str], source_name: str, *,
                        subreddit: str | None = None, replies: int = DEFAULT_REPLIES,
                        batch_size: int = DEFAULT_BATCH, base_url: str = REDDIT_BASE_URL,
                        progress: Callable[[str], None] | None = None,
                        on_bytes: ByteProgress | None = None) -> DumpImportStats:
    """Import Reddit dump files into the source `source_name` (created if needed). Every
    file is checked to be a dump (DumpError) before anything is written."""
    files = [Path(p) for p in paths]
    for path in files:
        check_dump_file(path)
    importer = RedditDumpImporter(engine, source_name, subreddit=subreddit, replies=replies,
                                  batch_size=batch_size, base_url=base_url, progress=progress,
                                  on_bytes=on_bytes)
    return importer.run(files)


def record_import_run(engine: Engine, source_name: str, stats: DumpImportStats,
                      started_at: datetime, status: str, message: str | None = None) -> int:
    """Write a crawl-run row (spider `reddit-dump`) for an import; returns its id."""
    return record_run(engine, source_name, "reddit-dump", started_at=started_at, status=status,
                      counters={"pages": stats.files,
                                "items": stats.threads_stored + stats.replies,
                                "dropped": {k: v for k, v in stats.skipped.items() if v},
                                "errors": stats.malformed},
                      message=message)
