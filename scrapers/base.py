"""The base of hairlink's spiders: source config, database access, incremental rules
(the forum spiders' list and thread crawl is `scrapers.forum_spider.ForumSpider`).

Every spider takes `source=NAME` (a `[[sources]]` entry of its kind), `config=PATH`
(default: the usual lookup) and `full=1` (re-walk everything), so both
`python -m scrapers.run NAME` and `scrapy crawl <kind> -a source=NAME` work.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

import scrapy
from scrapy.exceptions import CloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy import Engine, bindparam, select
from twisted.internet.defer import CancelledError, TimeoutError
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError
from twisted.internet.error import TimeoutError as ConnectTimeout
from twisted.web.client import ResponseFailed

from models.config import Config, SourceConfig, load_config
from models.entities import Thread
from models.source_kinds import source_kind
from models.store import utcnow
from scrapers.database import SourceRef, crawl_database
from scrapers.parsers.common import ListEntry, ParseError
from scrapers.pipelines.validate import count_drop
from scrapers.settings import DEFAULT_CONTACT, VERSION

logger = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_REPLIES = 10
DEFAULT_REFRESH_DAYS = 7.0
# List pages read per target unless the source sets `max_pages` (0: no limit).
DEFAULT_MAX_PAGES = 500
RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
RETRIED_EXCEPTIONS = (TimeoutError, ConnectTimeout, ConnectError, ConnectionLost,
                      DNSLookupError, ResponseFailed, CancelledError, OSError)
# Everything a parser may raise on a page that is not what it should be.
MALFORMED = (ParseError, ValueError, KeyError, TypeError, IndexError, AttributeError,
             json.JSONDecodeError)


@dataclass(frozen=True)
class KnownThread:
    """What the store already holds about a thread (for incremental crawls)."""

    created_at: datetime
    last_activity_at: datetime | None
    num_comments: int
    score: int | None


def truthy(value: Any) -> bool:
    """`-a full=1` style flags: 1/true/yes/on are true."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def user_agent(contact: str | None) -> str:
    """`hairlink/<version> (+<contact>)`."""
    return f"hairlink/{VERSION} (+{contact or DEFAULT_CONTACT})"


# The stored state `plan_list_page` reads, one statement built once (the source and the
# ids bound per call: an expanding IN), run on a plain connection: building the select and
# an ORM session per list page cost about twice the query itself.
_STORED = select(Thread.external_id, Thread.created_at, Thread.last_activity_at,
                 Thread.num_comments, Thread.score).where(
    Thread.source_id == bindparam("source_id"),
    Thread.external_id.in_(bindparam("ids", expanding=True)))


def stored_threads(engine: Engine, source_id: int,
                   ids: list[str]) -> dict[str, KnownThread]:
    """`KnownThread` of each of `ids` source `source_id` has stored (none asked: {})."""
    if not ids:
        return {}
    with engine.connect() as connection:
        rows = connection.execute(_STORED, {"source_id": source_id, "ids": ids})
        return {r.external_id: KnownThread(r.created_at, r.last_activity_at,
                                           r.num_comments, r.score) for r in rows}


def plan_list_page(entries: Iterable[ListEntry], known: dict[str, KnownThread],
                   cutoff: datetime, full: bool) -> tuple[list[ListEntry], bool]:
    """Which threads of a list page to fetch, and whether to read the next list page.

    Fetched: everything on `full`; else threads not stored yet, threads created after
    `cutoff` (the refresh window), and stored threads whose reply count or score on the
    list differs from the stored one. Paging stops (incremental only) once every thread
    of the page is stored and its last activity (else creation) is older than `cutoff`.
    """
    entries = list(entries)
    if full:
        return entries, True
    fetch: list[ListEntry] = []
    all_old_and_known = bool(entries)
    for entry in entries:
        old = known.get(entry.external_id)
        seen_at = entry.last_activity_at or entry.created_at
        if old is None or seen_at is None or seen_at >= cutoff:
            all_old_and_known = False
        created = entry.created_at or (old.created_at if old else None)
        if old is None or created is None or created >= cutoff or _changed(entry, old):
            fetch.append(entry)
    return fetch, not all_old_and_known


def _changed(entry: ListEntry, old: KnownThread) -> bool:
    """The list shows another reply count or score than the store holds."""
    if entry.num_comments is not None and entry.num_comments != old.num_comments:
        return True
    return entry.score is not None and entry.score != old.score


def fetch_failure_reason(failure: Any) -> str:
    """Why a request failed for good, as a drop reason: `http_<status>` (a status that is
    not retried), `retries_exhausted` (retried statuses and network errors), `redirect_loop`,
    `too_large` (DOWNLOAD_MAXSIZE, a decompression bomb included), `robots_disallowed`,
    else `fetch_failed`."""
    exc = getattr(failure, "value", failure)
    if isinstance(exc, HttpError):
        status = exc.response.status
        return "retries_exhausted" if status in RETRIED_STATUSES else f"http_{status}"
    message = str(exc)
    if isinstance(exc, DownloadCancelledError | CancelledError) or \
            "DOWNLOAD_MAXSIZE" in message or "max size" in message:
        return "too_large"
    if isinstance(exc, IgnoreRequest):
        if "redirect" in message:  # "max redirections reached", "redirect loop: ..."
            return "redirect_loop"
        if "robots.txt" in message:
            return "robots_disallowed"
        return "fetch_failed"
    if isinstance(exc, RETRIED_EXCEPTIONS):
        return "retries_exhausted"
    return "fetch_failed"


class HairlinkSpider(scrapy.Spider):
    """A spider bound to one configured source of its kind."""

    name: ClassVar[str] = "hairlink"  # type: ignore[misc]

    def __init__(self, source: str | None = None, config: str | None = None,
                 full: Any = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not source:
            raise ValueError(f"the {self.name} spider needs a source: -a source=NAME")
        self.hairlink_config: Config = load_config(config or None)
        try:
            src = self.hairlink_config.source(source)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        if source_kind(src.kind).spider != self.name:
            raise ValueError(f"source {source!r} is a {src.kind} source: the {self.name} "
                             "spider cannot crawl it")
        self.source_config: SourceConfig = src
        self.source_name = src.name
        self.base_url = src.base_url.rstrip("/")
        self.full = truthy(full)
        self.replies_limit = int(src.get("replies", DEFAULT_REPLIES))
        self.refresh_days = float(src.get("refresh_days", DEFAULT_REFRESH_DAYS))
        max_pages = src.get("max_pages")
        max_pages = DEFAULT_MAX_PAGES if max_pages is None else int(max_pages)
        self.max_pages: int | None = max_pages if max_pages > 0 else None
        self.started_at = utcnow()
        self.last_drop_reason: str | None = None
        self.refused_targets: set[str] = set()  # first list pages that asked us to log in
        # why the spider's credentials could not be read ("missing_credentials: ...",
        # "bad_credentials: ..."): the spider then closes at start (`credentials_failure`)
        self.credentials_error: str | None = None

    def credentials_failure(self) -> CloseSpider:
        """The CloseSpider to raise at start when `credentials_error` is set, logged: before
        any request, so the crawl-run row is marked failed with the reason (the key itself
        is never in it)."""
        self.logger.error("%s", self.credentials_error)
        return CloseSpider(self.credentials_error)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> HairlinkSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.apply_source_settings(crawler.settings)
        return spider

    def apply_source_settings(self, settings: Any) -> None:
        """Per-source delay, concurrency, timeout and the User-Agent (priority `spider`:
        `-s` on the command line still wins)."""
        if getattr(settings, "frozen", False):
            return
        src = self.source_config
        if src.get("delay") is not None:
            settings.set("DOWNLOAD_DELAY", float(src.get("delay")), priority="spider")
            settings.set("AUTOTHROTTLE_START_DELAY", max(float(src.get("delay")), 0.01),
                         priority="spider")
        if src.get("concurrency") is not None:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", int(src.get("concurrency")),
                         priority="spider")
        if src.get("timeout") is not None:
            settings.set("DOWNLOAD_TIMEOUT", float(src.get("timeout")), priority="spider")
        settings.set("USER_AGENT", user_agent(self.hairlink_config.contact), priority="spider")
        # The store and source row belong to `scrapers.database.CrawlDatabase`.
        settings.set("HAIRLINK_DATABASE_URL", self.hairlink_config.database_url,
                     priority="spider")
        settings.set("HAIRLINK_SOURCE", SourceRef(src.name, src.kind, src.base_url).setting(),
                     priority="spider")

    # -- database (owned by `scrapers.database.CrawlDatabase`) -------------------------
    def known_threads(self, external_ids: Iterable[str]) -> dict[str, KnownThread]:
        """The stored state of those of `external_ids` this source already has."""
        ids = list(dict.fromkeys(external_ids))
        if not ids:
            return {}
        database = crawl_database(self.crawler)
        return stored_threads(database.engine, database.source_id(), ids)

    @property
    def refresh_cutoff(self) -> datetime:
        """Threads created (or active) after this are refreshed on an incremental crawl."""
        return self.started_at - timedelta(days=self.refresh_days)

    def plan(self, entries: list[ListEntry]) -> tuple[list[ListEntry], bool]:
        """`plan_list_page` against the store, counting what it skipped."""
        known = {} if self.full else self.known_threads(e.external_id for e in entries)
        fetch, more = plan_list_page(entries, known, self.refresh_cutoff, self.full)
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value("hairlink/threads/skipped_unchanged",
                                         len(entries) - len(fetch))
        return fetch, more

    # -- malformed pages ----------------------------------------------------------------
    def parse_or_drop(self, response: Response, parser: Callable[[Response], T],
                      what: str) -> T | None:
        """`parser(response)`, or None after counting `hairlink/dropped/malformed_<what>`."""
        try:
            return parser(response)
        except MALFORMED as exc:
            self.drop_page(response, getattr(exc, "reason", None) or f"malformed_{what}", exc)
            return None

    def drop_page(self, response: Response, reason: str, exc: BaseException | None = None) -> None:
        """Count a page whose items are lost under `hairlink/dropped/<reason>` and log it."""
        self.last_drop_reason = reason
        count_drop(self.crawler.stats if self.crawler else None, reason)
        logger.warning("dropped %s (%s): %s", response.url, reason,
                       f"{type(exc).__name__}: {exc}" if exc else "")

    # -- lost requests and paging bounds -----------------------------------------------
    def count_fetch_failure(self, failure: Any, what: str) -> str:
        """Count a request that failed for good under `hairlink/dropped/<reason>` (threads)
        or `<what>_<reason>` (other pages) and log it; the reason."""
        reason = fetch_failure_reason(failure)
        key = reason if what == "thread" else f"{what}_{reason}"
        count_drop(self.crawler.stats if self.crawler else None, key)
        request = getattr(failure, "request", None)
        logger.warning("lost %s %s (%s): %s: %s", what, getattr(request, "url", "?"), reason,
                       getattr(failure.type, "__name__", "?"), failure.getErrorMessage())
        return reason

    def more_pages(self, page: int, ids: tuple[str, ...], previous: tuple[str, ...]) -> bool:
        """Whether paging may go past list page `page` (whose thread ids are `ids`): not
        past `max_pages`, nor after a page that repeats the previous one (an endless
        pager serving its last page again). Stopping is counted under `hairlink/paging/`."""
        stats = self.crawler.stats if self.crawler else None
        if ids and ids == previous:
            if stats:
                stats.inc_value("hairlink/paging/repeated_page")
            logger.info("list page %d repeats the previous one: paging ends", page)
            return False
        if self.max_pages is not None and page >= self.max_pages:
            if stats:
                stats.inc_value("hairlink/paging/max_pages")
            logger.info("max_pages (%d) reached: paging ends", self.max_pages)
            return False
        return True
