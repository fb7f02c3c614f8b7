"""Thin adapters over scrapy-redis 0.9.1 for Scrapy 2.19 and for hairlink's worker model.

- `HairlinkRedisScheduler`: scrapy-redis' Scheduler without the deprecated `spider=` argument
  to the stats collector, and with a *taken* ledger: a request popped by a worker is moved
  atomically (one Lua script) from the source's queue into `<prefix>:<source>:taken:<worker>`
  and leaves that hash once its response was parsed and the items flushed to the database.
  A worker killed with SIGKILL leaves its ledger behind; the next seed puts those requests
  back into the queue (`requeue_dead_workers`).
- `RoundDupeFilter`: scrapy-redis' fingerprint set, never deleted by a closing worker; its
  contents are scoped to a seed round (see `scrapers.distributed.seeding.seed`).
- `WorkerSpiderMixin`: a spider that yields no start requests (they are seeded into Redis)
  and does not close when idle.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.python import to_unicode
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from w3lib.url import canonicalize_url

from models.store import utcnow

TAKEN_META = "hairlink_taken"
# Pop the best request (lowest score = highest priority) and record it as taken, atomically.
_POP_AND_TAKE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""


def fingerprint(method: str, url: str, body: bytes | None) -> str:
    """The dupe-filter fingerprint of a request (scrapy-redis' own formula)."""
    data = {"method": to_unicode(method), "url": canonicalize_url(url),
            "body": (body or b"").hex()}
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode(),
                        usedforsecurity=False).hexdigest()


class RoundDupeFilter(RFPDupeFilter):
    """Fingerprints in a Redis set; closing a worker never deletes them."""

    def request_fingerprint(self, request: Request) -> str:
        return fingerprint(request.method, request.url, request.body)

    def close(self, reason: str = "") -> None:
        """Keep the shared fingerprints: other workers are still crawling."""


class HairlinkRedisScheduler(Scheduler):
    """scrapy-redis Scheduler adapted to Scrapy 2.19 with a per-worker taken ledger."""

    taken_key: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> HairlinkRedisScheduler:
        instance: HairlinkRedisScheduler = cls.from_settings(crawler.settings)
        instance.stats = crawler.stats
        instance.taken_key = crawler.settings.get("HAIRLINK_TAKEN_KEY") or None
        instance._pop = instance.server.register_script(_POP_AND_TAKE)
        return instance

    def enqueue_request(self, request: Request) -> bool:
        # A retry or redirect of a taken request goes back to the queue: it is no longer ours.
        taken = request.meta.pop(TAKEN_META, None)
        if taken is not None and self.taken_key:
            self.server.hdel(self.taken_key, taken)
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        if not self.taken_key:
            request = self.queue.pop(self.idle_before_close)
        else:
            data = self._pop(keys=[self.queue.key, self.taken_key])
            if not data:
                return None
            request = self.queue._decode_request(data)
            request.meta[TAKEN_META] = data.decode("utf-8") if isinstance(data, bytes) \
                else data
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class TakenLedger:
    """Requests this worker finished; released from the Redis ledger after a store flush."""

    def __init__(self) -> None:
        self.finished: list[tuple[float, str]] = []

    def finish(self, request: Request) -> None:
        taken = request.meta.get(TAKEN_META)
        if taken is not None:
            self.finished.append((time.monotonic(), taken))

    def release_before(self, moment: float) -> list[str]:
        """The ledger entries finished before `moment`, removed from the local list."""
        done = [taken for at, taken in self.finished if at <= moment]
        self.finished = [(at, taken) for at, taken in self.finished if at > moment]
        return done


class TakenLedgerMiddleware:
    """Spider middleware: a request is finished once its callback output is consumed."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> TakenLedgerMiddleware:
        return cls(crawler)

    def _ledger(self) -> TakenLedger | None:
        return getattr(self.crawler.spider, "hairlink_ledger", None)

    async def process_spider_output(self, response: Any, result: Any) -> Any:
        async for item in result:
            yield item
        ledger = self._ledger()
        if ledger is not None:
            ledger.finish(response.request)

    def process_spider_exception(self, response: Any, exception: Exception) -> None:
        ledger = self._ledger()
        if ledger is not None:
            ledger.finish(response.request)


class WorkerSpiderMixin:
    """Mixed in before a hairlink spider class: requests come from Redis only."""

    hairlink_ledger: TakenLedger
    hairlink_keep_open: bool = True

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        spider.hairlink_ledger = TakenLedger()
        crawler.signals.connect(spider.hairlink_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> Any:
        """Seeds live in Redis: nothing to start with."""
        return
        yield  # an async generator that yields nothing

    def start_requests(self) -> list[Request]:
        return []

    @property
    def refresh_cutoff(self) -> datetime:
        """A worker lives for weeks: the refresh window is counted from now."""
        days = float(getattr(self, "refresh_days", 0.0))
        return utcnow() - timedelta(days=days)

    def plan(self, entries: Any) -> Any:
        """The base spider's plan, with `full` taken from the current seed round."""
        worker = getattr(self, "hairlink_worker", None)
        if worker is not None:
            self.full = worker.is_full(self.source_name)  # type: ignore[attr-defined]
        return super().plan(entries)  # type: ignore[misc]

    def hairlink_idle(self) -> None:
        if self.hairlink_keep_open:
            raise DontCloseSpider


def worker_spider_class(base: type[Spider]) -> type[Spider]:
    """`base` with requests from Redis and no closing when idle."""
    return type(f"Worker{base.__name__}", (WorkerSpiderMixin, base), {})
