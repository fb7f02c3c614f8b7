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

Text fields in these dumps are HTML-escaped (`&amp;`, `&gt;`): they are unescaped. Author
names are hashed with the install's salt exactly as the crawl pipelines do. A line that is
not a JSON object is counted as malformed with its file and line number; the rest imports.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import zstandard
from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy import func as sa_func
from sqlalchemy.orm import Session

from models import store
from models.entities import CrawlRun, Reply, Thread
from models.store import ThreadIn, UpsertStats, ensure_source, upsert_threads
from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers.reddit import MalformedRecord, reply_from_comment, thread_from_post
from scrapers.pipelines.authors import author_salt, hash_author
from scrapers.pipelines.store import thread_in
from scrapers.pipelines.validate import thread_problem

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MAX_WINDOW_SIZE = 2**31  # Pushshift dumps are compressed with --long=31
READ_SIZE = 1 << 16
DEFAULT_BATCH = 2000
DEFAULT_REPLIES = 10
MAX_ERROR_EXAMPLES = 20
REDDIT_BASE_URL = "https://oauth.reddit.com"


class DumpError(Exception):
    """A dump file that cannot be read at all (missing, unreadable)."""


@dataclass
class DumpImportStats:
    """What an import did: CrawlRun-like counts plus malformed line examples."""

    files: int = 0
    lines: int = 0
    threads: UpsertStats = field(default_factory=UpsertStats)
    replies: int = 0
    replies_trimmed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    malformed: int = 0
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        """Record an error message (the first few are kept verbatim)."""
        if len(self.errors) < MAX_ERROR_EXAMPLES:
            self.errors.append(message)

    @property
    def threads_stored(self) -> int:
        """Threads inserted or updated (or seen unchanged)."""
        t = self.threads
        return t.inserted + t.updated + t.unchanged

    def summary(self) -> dict[str, Any]:
        """A plain dict for printing or JSON."""
        return {
            "files": self.files, "lines": self.lines,
            "threads": self.threads_stored, "threads_inserted": self.threads.inserted,
            "threads_updated": self.threads.updated,
            "threads_unchanged": self.threads.unchanged, "snapshots": self.threads.snapshots,
            "replies": self.replies, "replies_trimmed": self.replies_trimmed,
            "malformed": self.malformed,
            "skipped": {k: v for k, v in sorted(self.skipped.items()) if v},
        }


# --- reading ------------------------------------------------------------------------------

class TruncatedStream(Exception):
    """A compressed stream that ends in the middle of a frame."""


def _zstd_chunks(raw: BinaryIO) -> Iterator[bytes]:
    """Decompressed chunks of a (possibly multi-frame) zstd file; TruncatedStream at a cut."""
    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW_SIZE)
    dobj = dctx.decompressobj()
    pending = False  # the current frame has started but not ended
    while chunk := raw.read(READ_SIZE):
        while chunk:
            pending = True
            out = dobj.decompress(chunk)
            if out:
                yield out
            if dobj.eof:
                chunk, pending = dobj.unused_data, False
                dobj = dctx.decompressobj()
            else:
                chunk = b""
    if pending:
        raise TruncatedStream("the file ends in the middle of a compressed frame")


def _plain_chunks(raw: BinaryIO) -> Iterator[bytes]:
    while chunk := raw.read(READ_SIZE):
        yield chunk


def iter_lines(path: Path) -> Iterator[bytes]:
    """The lines of a dump file (zstd detected by its magic bytes), without line ends.

    Raises DumpError when the file cannot be opened, TruncatedStream or zstandard.ZstdError
    (after the good lines) when the compressed stream is cut or corrupt.
    """
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise DumpError(f"{path}: cannot open: {exc.strerror}") from exc
    with raw:
        compressed = raw.read(4) == ZSTD_MAGIC
        raw.seek(0)
        rest = b""
        for chunk in (_zstd_chunks(raw) if compressed else _plain_chunks(raw)):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest


def iter_records(path: Path, stats: DumpImportStats | None = None,
                 count_malformed: bool = True) -> Iterator[dict[str, Any]]:
    """The JSON objects of one dump file, line by line.

    Malformed lines (bad UTF-8, bad JSON, not an object) are counted in `stats` with their
    line number when `count_malformed`, and skipped. A corrupt or truncated zstd stream ends
    the file with a recorded error (`corrupt_file`); the records before it are kept.
    """
    counting = stats if count_malformed else None
    line_no = 0
    try:
        for line in iter_lines(path):
            line_no += 1
            if counting is not None:
                counting.lines += 1
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, ValueError) as exc:
                record, problem = None, str(exc)[:120]
            else:
                problem = "not a JSON object"
            if isinstance(record, dict):
                yield record
            elif counting is not None:
                counting.malformed += 1
                counting.skipped["malformed_line"] += 1
                counting.error(f"{path}:{line_no}: malformed line: {problem}")
    except (TruncatedStream, zstandard.ZstdError) as exc:
        if counting is not None:
            counting.skipped["corrupt_file"] += 1
            counting.error(f"{path}: after line {line_no}: compressed stream broken ({exc}); "
                           "the rest of the file is skipped")


def file_role(path: Path) -> str:
    """`submissions` for RS_* files, `comments` for RC_* files, else `mixed`."""
    name = path.name.upper()
    if name.startswith("RS_"):
        return "submissions"
    if name.startswith("RC_"):
        return "comments"
    return "mixed"


def record_kind(record: dict[str, Any]) -> str | None:
    """`submission`, `comment` or None for a dump record."""
    if "link_id" in record and "body" in record:
        return "comment"
    if "title" in record:
        return "submission"
    return None


# --- storing ------------------------------------------------------------------------------

def _thread_in(item: ThreadItem, salt: str) -> ThreadIn:
    item.title = " ".join(item.title.split())
    item.body = item.body or ""  # markdown_to_text output is already tidy
    item.author = hash_author(salt, item.author)
    return thread_in(item)


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


def _upsert_replies(session: Session, rows: list[dict[str, Any]]) -> int:
    """`models.store.upsert_reply_rows`, which takes tuples in REPLY_COLUMNS order."""
    return store.upsert_reply_rows(
        session, [tuple(row[c] for c in store.REPLY_COLUMNS) for row in rows])


@dataclass
class _Comment:
    thread_ext: str
    reply: ReplyItem


class RedditDumpImporter:
    """Imports dump files into one source; see the module docstring for the passes."""

    def __init__(self, engine: Engine, source_name: str, *, subreddit: str | None = None,
                 replies: int = DEFAULT_REPLIES, batch_size: int = DEFAULT_BATCH,
                 base_url: str = REDDIT_BASE_URL, escaped: bool = True,
                 progress: Callable[[str], None] | None = None) -> None:
        self.engine = engine
        self.source_name = source_name
        self.subreddit = subreddit.lower().removeprefix("r/") if subreddit else None
        self.keep = max(0, replies)
        self.batch_size = max(1, batch_size)
        self.base_url = base_url
        self.escaped = escaped
        self.progress = progress or (lambda _msg: None)
        self.stats = DumpImportStats()
        with Session(engine) as session, session.begin():
            self.source_id = ensure_source(session, source_name, "reddit", base_url)
            self.salt = author_salt(session)

    def run(self, paths: Iterable[Path]) -> DumpImportStats:
        """Import every file (submissions first, then comments) and return the counts."""
        files = [Path(p) for p in paths]
        for path in files:
            if not path.is_file():
                raise DumpError(f"{path}: no such file")
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

    def _wanted(self, record: dict[str, Any]) -> bool:
        if self.subreddit is None:
            return True
        sub = record.get("subreddit")
        if isinstance(sub, str) and sub.lower() == self.subreddit:
            return True
        self.stats.skipped["other_subreddit"] += 1
        return False

    def _import_submissions(self, path: Path) -> None:
        batch: list[ThreadIn] = []
        for record in iter_records(path, self.stats):
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
            problem = thread_problem(item)
            if problem:
                self.stats.skipped[problem] += 1
                continue
            batch.append(_thread_in(item, self.salt))
            if len(batch) >= self.batch_size:
                self._flush_threads(batch)
                batch = []
        if batch:
            self._flush_threads(batch)

    def _flush_threads(self, batch: list[ThreadIn]) -> None:
        with Session(self.engine) as session, session.begin():
            self.stats.threads.add(upsert_threads(session, self.source_id, batch))

    def _import_comments(self, path: Path, count_malformed: bool) -> None:
        batch: list[_Comment] = []
        for record in iter_records(path, self.stats, count_malformed=count_malformed):
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
            if len(reply.external_id) > 64:
                self.stats.skipped["bad_reply_id"] += 1
                continue
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
                        "author_hash": hash_author(self.salt, reply.author),
                        "created_at": reply.created_at, "position": 0,
                    })
            if not rows:
                return
            _upsert_replies(session, rows)
            self.stats.replies += len(rows)
            self.stats.replies_trimmed += trim_replies(
                session, {row["thread_id"] for row in rows}, self.keep)


def import_reddit_dumps(engine: Engine, paths: Iterable[Path | str], source_name: str, *,
                        subreddit: str | None = None, replies: int = DEFAULT_REPLIES,
                        batch_size: int = DEFAULT_BATCH, base_url: str = REDDIT_BASE_URL,
                        progress: Callable[[str], None] | None = None) -> DumpImportStats:
    """Import Reddit dump files into the source `source_name` (created if needed)."""
    importer = RedditDumpImporter(engine, source_name, subreddit=subreddit, replies=replies,
                                  batch_size=batch_size, base_url=base_url, progress=progress)
    return importer.run(Path(p) for p in paths)


def record_import_run(engine: Engine, source_name: str, stats: DumpImportStats,
                      started_at: datetime, status: str, message: str | None = None) -> int:
    """Write a crawl-run row (spider `reddit-dump`) for an import; returns its id."""
    with Session(engine) as session, session.begin():
        run = CrawlRun(source_name=source_name, spider="reddit-dump", started_at=started_at,
                       finished_at=datetime.now(UTC), status=status, pages=stats.files,
                       items=stats.threads_stored + stats.replies,
                       dropped={k: v for k, v in stats.skipped.items() if v},
                       errors=stats.malformed, pid=os.getpid(),
                       message=message)
        session.add(run)
        session.flush()
        return run.id
