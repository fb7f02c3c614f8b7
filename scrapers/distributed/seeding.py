"""Seeding the shared Redis frontier: each seed starts a new crawl round of a source (dead
workers' requests back into the queue, fingerprints scoped to the round, the spider's start
requests pushed)."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy_redis.queue import PriorityQueue

from models.config import Config, SourceConfig
from models.crawl_runs import claim_run, create_run, finish_run
from models.db import make_engine
from models.schema_version import require_schema
from models.store import utcnow
from scrapers import redis_serializer
from scrapers.distributed.frontier import (
    REQUEUE_LEDGER,
    Keys,
    connect,
    distributed_sources,
    key_prefix,
    project_settings,
    require_distributed,
    require_redis,
    spider_class,
)
from scrapers.redis_scheduler import fingerprint

ROUND_TTL_SECONDS = 30 * 86400  # fingerprints of an abandoned source do not live forever
FULL_TTL_SECONDS = 7 * 86400


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
    script = client.register_script(REQUEUE_LEDGER)
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
    settings = project_settings()
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
    sources = distributed_sources(config, source_names)
    engine = make_engine(config.database_url)
    try:
        require_schema(engine)  # `hairlink init` migrates, before any worker starts
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
    when every source was seeded, 1 otherwise. One engine and one Redis client serve every
    source (a source whose connection attempt fails is `failed`; the next one tries again).
    """
    engine = make_engine(config.database_url)
    client: redis.Redis | None = None
    ok = True
    try:
        require_schema(engine)
        for name in dict.fromkeys(source_names):
            src = config.source(name)
            if run_id is not None:
                claim_run(engine, run_id, src.name, src.kind)
                row = run_id
            else:
                row = create_run(engine, src.name, src.kind, os.getpid())
            try:
                require_distributed(src)
                if client is None:
                    client = connect(require_redis(config))
                result = seed_source(client, Keys(key_prefix()), config, src, full)
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
        if client is not None:
            client.close()
    return 0 if ok else 1
