"""The crawl worker: one long-running process with a crawler per source fed by the shared
Redis frontier, a heartbeat, and a loop that releases finished requests from its taken
ledger."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from secrets import token_hex
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess

from models.config import Config, SourceConfig
from models.source_kinds import distributed_kinds
from models.store import utcnow
from scrapers.distributed.frontier import (
    REQUEUE_LEDGER,
    DistributedError,
    Keys,
    connect,
    distributed_sources,
    is_distributed,
    key_prefix,
    project_settings,
    redis_settings,
    require_redis,
    require_shared_database,
    spider_class,
)
from scrapers.pipelines.store import StorePipeline
from scrapers.redis_scheduler import worker_spider_class

logger = logging.getLogger(__name__)
HEARTBEAT_TTL = 15.0
TICK_SECONDS = 1.0


class WorkerFailed(Exception):
    """A source's crawl could not start or stopped with an error (`failures`: source ->
    the error), with the counters of what the worker did (`counters`)."""

    def __init__(self, failures: dict[str, str], counters: dict[str, Any]) -> None:
        super().__init__("; ".join(f"{name}: {error}" for name, error in failures.items()))
        self.failures = failures
        self.counters = counters


@dataclass
class WorkerOptions:
    """How a worker runs."""

    sources: list[str] = field(default_factory=list)  # empty: every enabled forum source
    concurrency: int | None = None
    prefix: str | None = None
    worker_id: str | None = None
    exit_when_idle: float | None = None  # seconds of empty queues before a clean exit
    tick: float = TICK_SECONDS
    heartbeat_ttl: float = HEARTBEAT_TTL
    settings: dict[str, Any] = field(default_factory=dict)


def new_worker_id() -> str:
    """`<host>-<pid>-<random>`: unique across machines and restarts."""
    host = re.sub(r"[^A-Za-z0-9_.-]", "-", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}-{token_hex(3)}"


def worker_sources(config: Config, names: Sequence[str]) -> list[SourceConfig]:
    """The sources a worker serves: the named ones, else every enabled forum source of a
    kind registered as shared (`distributed_kinds()`: Discourse, XenForo, phpBB...)."""
    if names:
        return distributed_sources(config, names)
    found = [src for src in config.sources if src.enabled and is_distributed(src)]
    if not found:
        raise DistributedError(f"no sources to work on: configure a [[sources]] entry of a "
                               f"shared kind ({', '.join(distributed_kinds())}) or pass "
                               "--sources")
    return found


class Worker:
    """One worker process: a crawler per source, a heartbeat, a taken-ledger release loop."""

    def __init__(self, config: Config, options: WorkerOptions) -> None:
        self.config = config
        self.options = options
        self.redis_url = require_redis(config)
        require_shared_database(config)
        self.sources = worker_sources(config, options.sources)
        self.keys = Keys(key_prefix(options.prefix))
        self.worker_id = options.worker_id or new_worker_id()
        self.client = connect(self.redis_url)
        self.crawlers: dict[str, Crawler] = {}
        self.started_at = utcnow().isoformat()
        self.idle_since: float | None = None
        self.process: CrawlerProcess | None = None
        self.full_flags: dict[str, tuple[float, bool]] = {}
        self.failures: dict[str, str] = {}

    # The Scrapy side.
    def build(self) -> CrawlerProcess:
        settings = project_settings()
        settings.set("SPIDER_MIDDLEWARES", {
            **settings.getdict("SPIDER_MIDDLEWARES"),
            "scrapers.redis_scheduler.TakenLedgerMiddleware": 10}, priority="cmdline")
        for key, value in self.options.settings.items():
            settings.set(key, value, priority="cmdline")
        process = CrawlerProcess(settings)
        config_path = str(self.config.path) if self.config.path else None
        for src in self.sources:
            base = spider_class(settings, src)
            spidercls = worker_spider_class(base)
            spidercls.hairlink_worker = self  # type: ignore[attr-defined]
            crawler = process.create_crawler(spidercls)
            for key, value in redis_settings(self.redis_url, src.name, self.keys.prefix,
                                             self.worker_id).items():
                crawler.settings.set(key, value, priority="cmdline")
            if self.options.concurrency:
                crawler.settings.set("CONCURRENT_REQUESTS", self.options.concurrency,
                                     priority="cmdline")
                crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN",
                                     self.options.concurrency, priority="cmdline")
            crawler.signals.connect(self._closed, signal=signals.spider_closed)
            self.crawlers[src.name] = crawler
            done = process.crawl(crawler, source=src.name, config=config_path, full="")
            done.addErrback(self._failed, src.name)
        self.process = process
        return process

    def _failed(self, failure: Any, name: str) -> None:
        """A source's crawl ended in an error (its spider did not open: an unusable author
        salt file, a database gone): recorded, so the worker does not exit as if it had
        crawled."""
        self.failures[name] = failure.getErrorMessage()
        logger.error("worker %s: the %s crawl failed: %s", self.worker_id, name,
                     self.failures[name])

    def run(self) -> dict[str, Any]:
        """Crawl until stopped (SIGINT/SIGTERM) or, with `exit_when_idle`, until idle;
        WorkerFailed when a source's crawl failed."""
        from twisted.internet import task

        process = self.build()
        loop = task.LoopingCall(self.tick)
        started = {"loop": False}

        def start_loop() -> None:
            loop.start(self.options.tick, now=True)
            started["loop"] = True

        from twisted.internet import reactor

        reactor.callWhenRunning(start_loop)  # type: ignore[attr-defined]
        try:
            process.start(stop_after_crawl=True, install_signal_handlers=True)
        finally:
            if started["loop"] and loop.running:
                loop.stop()
            self.client.delete(self.keys.worker(self.worker_id))
            self.client.close()
        if self.failures:
            raise WorkerFailed(self.failures, self.counters())
        return self.counters()

    def counters(self) -> dict[str, Any]:
        """Pages fetched and items scraped per source by this worker."""
        out: dict[str, Any] = {}
        for name, crawler in self.crawlers.items():
            stats = crawler.stats.get_stats() if crawler.stats else {}
            out[name] = {"pages": int(stats.get("response_received_count", 0)),
                         "items": int(stats.get("item_scraped_count", 0))}
        return out

    def is_full(self, source: str) -> bool:
        """Whether a `--full` round of `source` is being crawled (cached for a tick)."""
        now = time.monotonic()
        cached = self.full_flags.get(source)
        if cached is None or now - cached[0] > self.options.tick:
            cached = (now, bool(self.client.exists(self.keys.full(source))))
            self.full_flags[source] = cached
        return cached[1]

    # Periodic work on the reactor thread.
    def tick(self) -> None:
        try:
            self._tick()
        except Exception:  # the loop must survive a Redis or database hiccup
            logger.exception("worker tick failed")

    def _tick(self) -> None:
        busy = False
        for name, crawler in self.crawlers.items():
            moment = time.monotonic()
            if not crawler.crawling or crawler.spider is None or not _flush_store(crawler):
                busy = True
                continue
            self._release(name, crawler.spider, moment)
            if not _idle(crawler):
                busy = True
        self._heartbeat()
        self._maybe_exit(busy)

    def _release(self, source: str, spider: Any, moment: float) -> None:
        ledger = getattr(spider, "hairlink_ledger", None)
        if ledger is None:
            return
        done = ledger.release_before(moment)
        if done:
            self.client.hdel(self.keys.taken(source, self.worker_id), *done)

    def _heartbeat(self) -> None:
        beat = {"id": self.worker_id, "host": socket.gethostname(), "pid": os.getpid(),
                "sources": list(self.crawlers), "started_at": self.started_at,
                "seen_at": utcnow().isoformat(), "concurrency": self.options.concurrency,
                **{k: sum(c[k] for c in self.counters().values()) for k in ("pages", "items")}}
        self.client.set(self.keys.worker(self.worker_id), json.dumps(beat),
                        px=int(self.options.heartbeat_ttl * 1000))

    def _maybe_exit(self, busy: bool) -> None:
        limit = self.options.exit_when_idle
        if limit is None or self.process is None:
            return
        queued = sum(int(self.client.zcard(self.keys.requests(name))) for name in self.crawlers)
        if busy or queued:
            self.idle_since = None
            return
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        elif now - self.idle_since >= limit:
            logger.info("worker %s: queues empty for %.1fs, exiting", self.worker_id, limit)
            for crawler in self.crawlers.values():
                if crawler.spider is not None:
                    # The next spider_idle signal lets the spider close ("finished").
                    crawler.spider.hairlink_keep_open = False  # type: ignore[attr-defined]

    def _closed(self, spider: Any, reason: str) -> None:
        """A clean close: release what was finished, give back what was not."""
        name = getattr(spider, "source_name", None)
        if name is None:
            return
        self._release(name, spider, float("inf"))
        script = self.client.register_script(REQUEUE_LEDGER)
        given_back = int(script(keys=[self.keys.requests(name),
                                      self.keys.taken(name, self.worker_id)]))
        if given_back:
            logger.info("worker %s: %d unfinished %s requests back to the queue",
                        self.worker_id, given_back, name)


def _flush_store(crawler: Crawler) -> bool:
    """Flush buffered items of the crawler's store pipeline (a worker never closes);
    False while the crawler has no engine yet."""
    try:
        store = crawler.get_item_pipeline(StorePipeline)
    except RuntimeError:  # "can only be called after the crawl engine has been created"
        return False
    if store is not None:
        store.flush()
    return True


def _idle(crawler: Crawler) -> bool:
    """Whether the crawler has nothing in flight and its ledger nothing left to release."""
    try:
        idle = crawler.engine.spider_is_idle()
    except RuntimeError:  # the engine is not open yet, or closed already
        return False
    ledger = getattr(crawler.spider, "hairlink_ledger", None)
    return idle and not (ledger and ledger.finished)


def run_worker(config: Config, options: WorkerOptions) -> dict[str, Any]:
    """Run a crawl worker in this process until stopped; per-source counters at the end."""
    return Worker(config, options).run()
