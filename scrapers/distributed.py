"""Crawling past one machine: a shared Redis frontier (scrapy-redis) and N crawl workers.

With `[redis] url` (or `$HAIRLINK_REDIS_URL`) set, crawls are not run in one process:
`seed()` puts each source's start requests into Redis and long-running workers
(`run_worker()`, `hairlink worker`) take requests from there, crawl with the source's usual
spider and store into the configured database (PostgreSQL; SQLite is refused).

Keys (prefix `hairlink`, or `$HAIRLINK_REDIS_PREFIX`), per source:

    <prefix>:<source>:requests        sorted set: the queue (scrapy-redis PriorityQueue, JSON)
    <prefix>:<source>:dupefilter      set: fingerprints of requests queued in this seed round
    <prefix>:<source>:taken:<worker>  hash: requests a worker popped and has not finished
    <prefix>:<source>:full            present while a `--full` round is being crawled
    <prefix>:<source>:seeded          hash: when and what the last seed put in
    <prefix>:workers:<worker>         string with a TTL: a live worker's heartbeat (JSON)

Fingerprints are scoped to a seed round: each seed replaces the set with the fingerprints of
the requests still queued or taken. Inside a round nothing is fetched twice (overlapping list
pages, several workers parsing them); a new round may fetch any page again, and the spider's
incremental rules (`scrapers.base.plan_list_page`) decide which threads: new ones, ones inside
the refresh window, ones whose counts changed. Old stored threads are skipped there, not by
stale fingerprints, so a thread that comes back to life is never blocked by its old visit.
Requests a killed worker had taken are put back into the queue by the next seed.

    python -m scrapers.distributed seed SOURCE... [--config PATH] [--full]
    python -m scrapers.distributed status [SOURCE...] [--config PATH]
    python -m scrapers.distributed worker [--sources NAME...] [--concurrency N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import socket
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from secrets import token_hex
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy_redis.queue import PriorityQueue
from sqlalchemy.engine import make_url

from models.config import Config, ConfigError, SourceConfig, load_config
from models.db import make_engine
from models.store import utcnow
from scrapers import redis_serializer
from scrapers.base import ensure_schema
from scrapers.redis_scheduler import fingerprint, worker_spider_class

logger = logging.getLogger(__name__)
DEFAULT_PREFIX = "hairlink"
PREFIX_ENV = "HAIRLINK_REDIS_PREFIX"
HEARTBEAT_TTL = 15.0
TICK_SECONDS = 1.0
ROUND_TTL_SECONDS = 30 * 86400  # fingerprints of an abandoned source do not live forever
FULL_TTL_SECONDS = 7 * 86400
_PREFIX_RE = re.compile(r"^[A-Za-z0-9_.:-]+$")
# Move a dead worker's ledger back into the queue, atomically.
_REQUEUE = """
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  redis.call('ZADD', KEYS[1], entries[i + 1], entries[i])
end
redis.call('DEL', KEYS[2])
return #entries / 2
"""


# Forum engines whose spiders keep no state between pages beyond what rides on requests.
# Reddit keeps its OAuth token, waiting calls and rate-limit budget in the process (and the
# budget is per API client, not per worker), PubMed its history-server session: those kinds
# crawl in one process even when Redis is configured.
DISTRIBUTED_KINDS = ("discourse", "xenforo", "phpbb")


class DistributedError(Exception):
    """Distributed crawling cannot run as configured (no Redis URL, SQLite store...)."""


def is_distributed(source: SourceConfig) -> bool:
    """Whether this source's crawls go through the shared Redis frontier."""
    return source.kind in DISTRIBUTED_KINDS


def _require_distributed(source: SourceConfig) -> None:
    if not is_distributed(source):
        raise DistributedError(
            f"source {source.name!r} is a {source.kind} source: those crawl in one process "
            f"(`python -m scrapers.run`), only {', '.join(DISTRIBUTED_KINDS)} sources are "
            "shared through Redis")


# -- keys --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Keys:
    """Redis key names under one prefix."""

    prefix: str = DEFAULT_PREFIX

    def requests(self, source: str) -> str:
        return f"{self.prefix}:{source}:requests"

    def dupefilter(self, source: str) -> str:
        return f"{self.prefix}:{source}:dupefilter"

    def taken(self, source: str, worker: str) -> str:
        return f"{self.prefix}:{source}:taken:{worker}"

    def taken_pattern(self, source: str) -> str:
        return f"{self.prefix}:{source}:taken:*"

    def full(self, source: str) -> str:
        return f"{self.prefix}:{source}:full"

    def seeded(self, source: str) -> str:
        return f"{self.prefix}:{source}:seeded"

    def worker(self, worker: str) -> str:
        return f"{self.prefix}:workers:{worker}"

    def workers_pattern(self) -> str:
        return f"{self.prefix}:workers:*"


def key_prefix(prefix: str | None = None) -> str:
    """The key prefix: the argument, else `$HAIRLINK_REDIS_PREFIX`, else `hairlink`."""
    value = prefix or os.environ.get(PREFIX_ENV) or DEFAULT_PREFIX
    if not _PREFIX_RE.match(value):
        raise DistributedError(f"redis key prefix {value!r}: use letters, digits and . _ : -")
    return value


def connect(redis_url: str) -> redis.Redis:
    """A Redis client (bytes replies) for `redis_url`; DistributedError if unreachable."""
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=10, socket_timeout=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise DistributedError(f"cannot reach Redis at {_safe_url(redis_url)}: {exc}") from exc
    return client


def _safe_url(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def require_redis(config: Config) -> str:
    """The configured Redis URL; DistributedError when distributed mode is off."""
    if not config.redis_url:
        raise DistributedError("no Redis configured: set [redis] url in the config or "
                               "HAIRLINK_REDIS_URL")
    return config.redis_url


def require_shared_database(config: Config) -> None:
    """Workers on several machines need a server database: refuse SQLite."""
    backend = make_url(config.database_url).get_backend_name()
    if backend == "sqlite":
        raise DistributedError(
            "a crawl worker stores into the shared database, and SQLite is a file on one "
            "machine: set [database] url (or HAIRLINK_DATABASE_URL) to a PostgreSQL URL such "
            "as postgresql://user@dbhost/hairlink")


# -- Scrapy settings -----------------------------------------------------------------------
def redis_settings(redis_url: str, source: str, prefix: str, worker: str | None = None
                   ) -> dict[str, Any]:
    """Scrapy settings that make one source's crawler use the shared Redis frontier."""
    keys = Keys(prefix)
    settings: dict[str, Any] = {
        "SCHEDULER": "scrapers.redis_scheduler.HairlinkRedisScheduler",
        "DUPEFILTER_CLASS": "scrapers.redis_scheduler.RoundDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor waiting on Redis
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests(source),
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter(source),
        "SCHEDULER_SERIALIZER": "scrapers.redis_serializer",
        "REDIS_URL": redis_url,
        "HAIRLINK_TAKEN_KEY": keys.taken(source, worker) if worker else "",
    }
    return settings


def _project_settings() -> Settings:
    settings = get_project_settings()
    if "scrapers.spiders" not in (settings.getlist("SPIDER_MODULES") or []):
        settings.setmodule("scrapers.settings", priority="project")
    return settings


def spider_class(settings: Settings, source: SourceConfig) -> type[Spider]:
    """The spider of a source's kind (Scrapy's SpiderLoader, as `scrapers.run` does)."""
    loader = SpiderLoader.from_settings(settings)
    try:
        return loader.load(source.kind)
    except KeyError:
        raise DistributedError(f"source {source.name!r}: no spider for kind "
                               f"{source.kind!r}") from None


# -- seeding --------------------------------------------------------------------------------
@dataclass
class SeedResult:
    """What one seed did for one source."""

    source: str
    seeded: int = 0
    already_queued: int = 0
    requeued: int = 0
    queued: int = 0
    full: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "seeded": self.seeded,
                "already_queued": self.already_queued, "requeued": self.requeued,
                "queued": self.queued, "full": self.full}


def _start_requests(spider: Spider) -> list[Request]:
    """The requests the spider's `start()` yields (items there are ignored)."""
    async def collect() -> list[Request]:
        found: list[Request] = []
        async for obj in spider.start():
            if isinstance(obj, Request):
                found.append(obj)
        return found

    return asyncio.run(collect())


def live_workers(client: redis.Redis, keys: Keys) -> set[str]:
    """Ids of workers whose heartbeat key has not expired."""
    start = len(keys.worker(""))
    return {key.decode()[start:] for key in client.scan_iter(match=keys.workers_pattern())}


def requeue_dead_workers(client: redis.Redis, keys: Keys, source: str) -> int:
    """Put the requests of workers without a heartbeat back into the queue; how many."""
    alive = live_workers(client, keys)
    start = len(keys.taken(source, ""))
    script = client.register_script(_REQUEUE)
    moved = 0
    for raw in list(client.scan_iter(match=keys.taken_pattern(source))):
        key = raw.decode()
        if key[start:] not in alive:
            moved += int(script(keys=[keys.requests(source), key]))
    return moved


def _queued_fingerprints(client: redis.Redis, keys: Keys, source: str) -> set[str]:
    found: set[str] = set()
    members: list[bytes] = list(client.zrange(keys.requests(source), 0, -1))
    for raw in client.scan_iter(match=keys.taken_pattern(source)):
        members.extend(client.hkeys(raw))
    for member in members:
        try:
            data = redis_serializer.loads(member)
        except ValueError:
            continue
        body = data.get("body")
        found.add(fingerprint(str(data.get("method", "GET")), str(data["url"]),
                              body if isinstance(body, bytes) else None))
    return found


def seed_source(client: redis.Redis, keys: Keys, config: Config, source: SourceConfig,
                full: bool = False) -> SeedResult:
    """Start a new crawl round of one source: requeue dead workers' requests, scope the
    fingerprints to this round and push the spider's start requests."""
    result = SeedResult(source.name, full=full)
    result.requeued = requeue_dead_workers(client, keys, source.name)
    settings = _project_settings()
    spidercls = spider_class(settings, source)
    crawler = Crawler(spidercls, settings)
    spider = spidercls.from_crawler(  # type: ignore[attr-defined]
        crawler, source=source.name, config=str(config.path) if config.path else None,
        full="1" if full else "")
    requests = _start_requests(spider)
    fingerprints = _queued_fingerprints(client, keys, source.name)
    queue = PriorityQueue(client, spider, keys.requests(source.name), redis_serializer)
    fresh: list[str] = []
    for request in requests:
        fp = fingerprint(request.method, request.url, request.body)
        if fp in fingerprints:
            result.already_queued += 1
            continue
        fingerprints.add(fp)
        fresh.append(fp)
        queue.push(request)
        result.seeded += 1
    with client.pipeline(transaction=True) as pipe:
        dupefilter = keys.dupefilter(source.name)
        pipe.delete(dupefilter)
        if fingerprints:
            pipe.sadd(dupefilter, *fingerprints)
        pipe.expire(dupefilter, ROUND_TTL_SECONDS)
        if full:
            pipe.set(keys.full(source.name), "1", ex=FULL_TTL_SECONDS)
        else:
            pipe.delete(keys.full(source.name))
        pipe.hset(keys.seeded(source.name), mapping={
            "at": utcnow().isoformat(), "requests": result.seeded, "full": int(full)})
        pipe.execute()
    result.queued = int(client.zcard(keys.requests(source.name)))
    if hasattr(spider, "closed"):
        spider.closed("seeded")
    return result


def seed(config: Config, source_names: Iterable[str], full: bool = False, *,
         prefix: str | None = None) -> list[SeedResult]:
    """Seed the start requests of the named sources into Redis (a new crawl round each)."""
    client = connect(require_redis(config))
    keys = Keys(key_prefix(prefix))
    try:
        sources = [config.source(name) for name in dict.fromkeys(source_names)]
    except KeyError as exc:
        raise DistributedError(str(exc.args[0])) from None
    for src in sources:
        _require_distributed(src)
    engine = make_engine(config.database_url)
    try:
        ensure_schema(engine)  # before any worker starts: they must not race to migrate
        return [seed_source(client, keys, config, src, full) for src in sources]
    finally:
        engine.dispose()
        client.close()


def run_seed(config: Config, source_names: Sequence[str], full: bool = False,
             run_id: int | None = None) -> int:
    """`python -m scrapers.run` in distributed mode: seed instead of crawling.

    Keeps `scrapers.run`'s contract for `hairlink crawl` and the scheduler: each source gets
    a crawl-run row (or `run_id` is claimed), the row ends `finished` with a message saying
    what was seeded (or `failed`), one JSON line per source goes to stdout; exit status 0
    when every source was seeded, 1 otherwise.
    """
    from scrapers.run import claim_run, create_run, finish_run

    engine = make_engine(config.database_url)
    ok = True
    try:
        ensure_schema(engine)
        for name in dict.fromkeys(source_names):
            src = config.source(name)
            if run_id is not None:
                claim_run(engine, run_id, src.name, src.kind)
                row = run_id
            else:
                row = create_run(engine, src.name, src.kind)
            try:
                [result] = seed(config, [name], full=full)
            except Exception as exc:  # the row must not stay `running`
                ok = False
                message = f"seeding Redis failed: {exc}"
                finish_run(engine, row, "failed", message=message)
                print(json.dumps({"run_id": row, "source": name, "status": "failed",
                                  "message": message}), flush=True)
                continue
            message = (f"distributed: seeded {result.seeded} start request(s) into Redis "
                       f"({result.queued} queued, {result.requeued} recovered from dead "
                       f"workers); workers crawl them")
            finish_run(engine, row, "finished", message=message)
            print(json.dumps({"run_id": row, "status": "finished", "message": message,
                              **result.as_dict()}), flush=True)
    finally:
        engine.dispose()
    return 0 if ok else 1


# -- status ---------------------------------------------------------------------------------
def queue_status(redis_url: str, sources: Iterable[str], *, prefix: str | None = None
                 ) -> dict[str, Any]:
    """Queue lengths per source and the live workers' heartbeats, for `schedule status`.

    {"sources": {name: {"queued": n, "taken": n, "fingerprints": n, "full": bool,
                        "last_seed": {"at": iso, "requests": n, "full": bool} | None}},
     "workers": [{"id", "host", "pid", "sources", "started_at", "seen_at", "pages",
                  "items", "concurrency", "expires_in"}]}
    """
    client = connect(redis_url)
    keys = Keys(key_prefix(prefix))
    try:
        out: dict[str, Any] = {"sources": {}, "workers": []}
        for name in sources:
            taken = sum(int(client.hlen(key))
                        for key in client.scan_iter(match=keys.taken_pattern(name)))
            seeded = {k.decode(): v.decode()
                      for k, v in client.hgetall(keys.seeded(name)).items()}
            out["sources"][name] = {
                "queued": int(client.zcard(keys.requests(name))),
                "taken": taken,
                "fingerprints": int(client.scard(keys.dupefilter(name))),
                "full": bool(client.exists(keys.full(name))),
                "last_seed": {"at": seeded["at"], "requests": int(seeded["requests"]),
                              "full": seeded.get("full") == "1"} if seeded else None,
            }
        for key in sorted(client.scan_iter(match=keys.workers_pattern())):
            raw = client.get(key)
            if raw is None:
                continue
            try:
                beat = json.loads(raw)
            except ValueError:
                continue
            ttl = client.pttl(key)
            beat["expires_in"] = round(ttl / 1000, 1) if ttl and ttl > 0 else None
            out["workers"].append(beat)
        return out
    finally:
        client.close()


# -- the worker ----------------------------------------------------------------------------
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
    distributed kind (Discourse, XenForo, phpBB)."""
    if names:
        try:
            chosen = [config.source(name) for name in dict.fromkeys(names)]
        except KeyError as exc:
            raise DistributedError(str(exc.args[0])) from None
        for src in chosen:
            _require_distributed(src)
        return chosen
    found = [src for src in config.sources if src.enabled and is_distributed(src)]
    if not found:
        raise DistributedError("no sources to work on: configure a discourse, xenforo or "
                               "phpbb [[sources]] entry or pass --sources")
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

    # The Scrapy side.
    def build(self) -> CrawlerProcess:
        settings = _project_settings()
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
            process.crawl(crawler, source=src.name, config=config_path, full="")
        self.process = process
        return process

    def run(self) -> dict[str, Any]:
        """Crawl until stopped (SIGINT/SIGTERM) or, with `exit_when_idle`, until idle."""
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
            spider = crawler.spider
            engine = crawler.engine
            if spider is None or engine is None:
                busy = True
                continue
            moment = time.monotonic()
            _flush_store(crawler)
            self._release(name, spider, moment)
            slot = getattr(engine, "_slot", None)
            if slot is not None and getattr(slot, "nextcall", None) is not None:
                slot.nextcall.schedule()  # poll Redis now, not at the 5 s engine heartbeat
            ledger = getattr(spider, "hairlink_ledger", None)
            if slot is None or not engine.spider_is_idle() or (ledger and ledger.finished):
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
                    crawler.spider.hairlink_keep_open = False  # type: ignore[attr-defined]
                    slot = getattr(crawler.engine, "_slot", None)
                    if slot is not None:
                        slot.nextcall.schedule()

    def _closed(self, spider: Any, reason: str) -> None:
        """A clean close: release what was finished, give back what was not."""
        name = getattr(spider, "source_name", None)
        if name is None:
            return
        self._release(name, spider, float("inf"))
        script = self.client.register_script(_REQUEUE)
        given_back = int(script(keys=[self.keys.requests(name),
                                      self.keys.taken(name, self.worker_id)]))
        if given_back:
            logger.info("worker %s: %d unfinished %s requests back to the queue",
                        self.worker_id, given_back, name)


def _flush_store(crawler: Crawler) -> None:
    """Flush buffered items of the crawler's store pipeline (a worker never closes)."""
    scraper = getattr(crawler.engine, "scraper", None)
    itemproc = getattr(scraper, "itemproc", None)
    for pipeline in getattr(itemproc, "middlewares", ()):
        if type(pipeline).__name__ == "StorePipeline" and hasattr(pipeline, "flush"):
            pipeline.flush()


def run_worker(config: Config, options: WorkerOptions) -> dict[str, Any]:
    """Run a crawl worker in this process until stopped; per-source counters at the end."""
    return Worker(config, options).run()


# -- module entry ---------------------------------------------------------------------------
def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scrapers.distributed",
                                     description="Shared Redis frontier: seed, status, work.")
    sub = parser.add_subparsers(dest="command", required=True)
    seed_p = sub.add_parser("seed", help="put sources' start requests into Redis")
    seed_p.add_argument("sources", nargs="+", metavar="SOURCE")
    seed_p.add_argument("--full", action="store_true", help="re-walk everything")
    status_p = sub.add_parser("status", help="queue lengths and live workers (JSON)")
    status_p.add_argument("sources", nargs="*", metavar="SOURCE")
    work_p = sub.add_parser("worker", help="crawl from Redis until stopped")
    work_p.add_argument("--sources", nargs="*", default=[], metavar="NAME")
    work_p.add_argument("--concurrency", type=int, default=None)
    work_p.add_argument("--exit-when-idle", type=float, default=None, metavar="SECONDS")
    work_p.add_argument("--heartbeat-ttl", type=float, default=HEARTBEAT_TTL,
                        metavar="SECONDS", help="how long a silent worker counts as alive")
    work_p.add_argument("-s", "--set", action="append", default=[], metavar="KEY=VALUE")
    for p in (seed_p, status_p, work_p):
        p.add_argument("--config", help="config file (default: the usual lookup)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The module entry; exit status 0 ok, 1 failed, 2 bad configuration or invocation."""
    args = _parse_args(argv)
    try:
        config = load_config(args.config)
        if args.command == "seed":
            for result in seed(config, args.sources, full=args.full):
                print(json.dumps(result.as_dict()), flush=True)
        elif args.command == "status":
            names = args.sources or [s.name for s in config.sources]
            print(json.dumps(queue_status(require_redis(config), names), indent=2))
        else:
            extra: dict[str, Any] = {}
            for pair in args.set:
                key, sep, value = pair.partition("=")
                if not sep:
                    raise DistributedError(f"-s wants KEY=VALUE, got {pair!r}")
                extra[key] = value
            options = WorkerOptions(sources=args.sources, concurrency=args.concurrency,
                                    exit_when_idle=args.exit_when_idle, settings=extra,
                                    heartbeat_ttl=args.heartbeat_ttl)
            print(json.dumps(run_worker(config, options)), flush=True)
    except (ConfigError, DistributedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
