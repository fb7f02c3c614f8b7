"""Extensions: keep the crawl-run row's counters current while a crawl runs."""

from __future__ import annotations

import gc
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from twisted.internet import task

from models.entities import CrawlRun
from scrapers.database import CrawlDatabase, crawl_database
from scrapers.pipelines.validate import DROPPED_PREFIX

logger = logging.getLogger(__name__)


def run_counters(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl-run columns (pages, items, dropped by reason, errors) from Scrapy stats."""
    dropped = {key[len(DROPPED_PREFIX):]: int(value) for key, value in stats.items()
               if key.startswith(DROPPED_PREFIX) and value}
    errors = int(stats.get("log_count/ERROR", 0))  # store failures are logged as errors
    return {
        "pages": int(stats.get("response_received_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "dropped": dropped,
        "errors": errors,
    }


def write_counters(engine: Engine, run_id: int, stats: dict[str, Any]) -> None:
    """Store the current counters on the crawl-run row (status untouched)."""
    with Session(engine) as session, session.begin():
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                        .values(**run_counters(stats)))


class CrawlRunProgress:
    """Every HAIRLINK_PROGRESS_SECONDS, copy the crawl's counters to its crawl-run row."""

    def __init__(self, crawler: Any, run_id: int, interval: float) -> None:
        self.crawler = crawler
        self.run_id = run_id
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.database: CrawlDatabase | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlRunProgress:
        run_id = crawler.settings.getint("HAIRLINK_RUN_ID", 0)
        if not run_id:
            raise NotConfigured
        ext = cls(crawler, run_id, crawler.settings.getfloat("HAIRLINK_PROGRESS_SECONDS", 2.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.database = crawl_database(self.crawler)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.tick()

    def tick(self) -> None:
        if self.database is None or not self.database.configured:
            return
        try:
            write_counters(self.database.engine, self.run_id, self.crawler.stats.get_stats())
        except Exception:  # progress is best effort; the final write is run.py's
            logger.warning("could not update crawl run %s", self.run_id, exc_info=True)


# Young collections during a crawl run once per this many new container objects (Python's
# default 700): a thread page makes a few thousand short-lived ones (requests, items, the
# parser's element proxies and posts), most freed by reference counting before any
# collection would look at them. 600 generated vBulletin thread pages: collections took
# about 60 ms at 700, 11 ms at 10,000 (docs/history/crawling-log.md, the `vbc` round of
# 2026-12-03). The web server and the aggregator set theirs too.
CRAWL_GC_YOUNG_THRESHOLD = 10_000


class FreezeHeap:
    """Move every object alive when the engine starts (the imported modules: Scrapy,
    SQLAlchemy, lxml, the models...) out of the garbage collector's reach (`gc.freeze`),
    and run young collections once per `CRAWL_GC_YOUNG_THRESHOLD` new objects until the
    engine stops.

    They live as long as the process, yet each full collection during the crawl walked all
    ~150,000 of them: about 0.1 s a collection (docs/history/crawling-log.md, "Navigation
    left out of the parse, heap frozen"). Objects made during the crawl are collected as
    before (cycles too, less often)."""

    def __init__(self) -> None:
        self.threshold_before: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> FreezeHeap:
        ext = cls()
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        # No collection first: a full one costs what it saves (0.1 s), and what it would free
        # at this point is a few dozen objects (kept for the process's life, frozen).
        gc.freeze()
        self.threshold_before = gc.get_threshold()
        _, middle, old = self.threshold_before
        gc.set_threshold(CRAWL_GC_YOUNG_THRESHOLD, middle, old)

    def engine_stopped(self) -> None:
        """Give the process its collection thresholds back (a crawl run in a process that
        goes on: tests, a scheduler running crawls in-process)."""
        if self.threshold_before is not None:
            gc.set_threshold(*self.threshold_before)
            self.threshold_before = None


class QuietDropFormatter(LogFormatter):
    """Log a dropped item as one line with its reason (Scrapy logs the whole item); build no
    "Crawled" / "Scraped from" DEBUG line when LOG_LEVEL is above DEBUG (Scrapy's loggers
    pass DEBUG records on to the handlers, which drop them: two records a thread page)."""

    def __init__(self, debug: bool = True) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietDropFormatter:
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        level = logging.getLevelName(level) if isinstance(level, str) else level
        return cls(debug=not isinstance(level, int) or level <= logging.DEBUG)

    def crawled(self, request: Any, response: Response,
                spider: Spider | None = None) -> LogFormatterResult | None:  # type: ignore[override]
        return super().crawled(request, response, spider) if self.debug else None  # type: ignore[arg-type]

    def scraped(self, item: Any, response: Any,
                spider: Spider | None = None) -> LogFormatterResult | None:  # type: ignore[override]
        return super().scraped(item, response, spider) if self.debug else None  # type: ignore[arg-type]

    def dropped(self, item: Any, exception: BaseException, response: Response | None,
                spider: Spider | None = None) -> LogFormatterResult:
        ident = getattr(item, "external_id", None) or getattr(item, "pmid", None) or ""
        return {
            "level": logging.INFO,
            "msg": "dropped %(kind)s %(ident)s: %(reason)s",
            "args": {"kind": type(item).__name__, "ident": ident, "reason": str(exception)},
        }
