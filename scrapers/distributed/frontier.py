"""The shared Redis frontier's plumbing: key names and prefix, the Redis connection, the
configuration checks of distributed mode and the Scrapy settings that route a crawler
through Redis."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import redis
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from sqlalchemy.engine import make_url

from models.config import Config, SourceConfig
from models.source_kinds import distributed_kinds, source_kind

DEFAULT_PREFIX = "hairlink"
PREFIX_ENV = "HAIRLINK_REDIS_PREFIX"
_PREFIX_RE = re.compile(r"^[A-Za-z0-9_.:-]+$")
# Move a worker's taken ledger (KEYS[2]) back into the queue (KEYS[1]), atomically.
REQUEUE_LEDGER = """
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  redis.call('ZADD', KEYS[1], entries[i + 1], entries[i])
end
redis.call('DEL', KEYS[2])
return #entries / 2
"""


# Which kinds are shared is part of each kind's registration (`distributed=True` in
# `models.source_kinds`): forum engines whose spiders keep no state between pages beyond
# what rides on requests. Reddit keeps its OAuth token, waiting calls and rate-limit budget
# in the process (and the budget is per API client, not per worker), PubMed its
# history-server session: those kinds crawl in one process even when Redis is configured.


class DistributedError(Exception):
    """Distributed crawling cannot run as configured (no Redis URL, SQLite store...)."""


def is_distributed(source: SourceConfig) -> bool:
    """Whether this source's crawls go through the shared Redis frontier."""
    return source.kind in distributed_kinds()


def require_distributed(source: SourceConfig) -> None:
    """DistributedError unless this source's kind can be shared through Redis."""
    if not is_distributed(source):
        raise DistributedError(
            f"source {source.name!r} is a {source.kind} source: those crawl in one process "
            f"(`python -m scrapers.run`), only {', '.join(distributed_kinds())} sources are "
            "shared through Redis")


def distributed_sources(config: Config, names: Iterable[str]) -> list[SourceConfig]:
    """The named sources (each once), DistributedError for an unknown name or a source
    that cannot be shared through Redis."""
    try:
        sources = [config.source(name) for name in dict.fromkeys(names)]
    except KeyError as exc:
        raise DistributedError(str(exc.args[0])) from None
    for source in sources:
        require_distributed(source)
    return sources


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


def project_settings() -> Settings:
    """Scrapy's project settings; `scrapers.settings` when they do not list our spiders."""
    settings = get_project_settings()
    if "scrapers.spiders" not in (settings.getlist("SPIDER_MODULES") or []):
        settings.setmodule("scrapers.settings", priority="project")
    return settings


def spider_class(settings: Settings, source: SourceConfig) -> type[Spider]:
    """The spider of a source's kind (Scrapy's SpiderLoader, as `scrapers.run` does)."""
    loader = SpiderLoader.from_settings(settings)
    try:
        return loader.load(source_kind(source.kind).spider)
    except KeyError:
        raise DistributedError(f"source {source.name!r}: no spider for kind "
                               f"{source.kind!r}") from None
