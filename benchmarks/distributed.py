"""Distributed crawl throughput: pages/s for 1 and 2 workers on a loopback Discourse site.

    HAIRLINK_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/distributed.py [--threads 2000] [--concurrency 8] [--workers 1 2]

Needs Redis (HAIRLINK_TEST_REDIS_URL, default redis://127.0.0.1:6379/15) and a PostgreSQL
server (a scratch database is created and dropped). For each worker count: a fresh database
and key prefix, one seed, N `python -m scrapers.distributed worker --exit-when-idle`
processes; pages/s = pages fetched by all workers / time from the first request the site
saw to the last one (process start-up and the idle wait before exit are not counted).

`discourse_site()` is also the site the tests in tests/distributed crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scrapers.loopback import LoopbackServer  # noqa: E402

PER_PAGE = 30


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class SiteThread:
    """One generated topic."""

    topic_id: int
    created_at: datetime
    posts: int = 2
    likes: int = 0

    @property
    def last_activity(self) -> datetime:
        return self.created_at + timedelta(minutes=10 * (self.posts - 1))


def make_topics(count: int, recent: int, now: datetime, first_id: int = 1000) -> list[SiteThread]:
    """`count` topics newest first: `recent` of them within the last day, the rest weeks old."""
    topics = []
    for n in range(count):
        if n < recent:
            created = now - timedelta(hours=1) - timedelta(minutes=n)
        else:
            created = now - timedelta(days=30) - timedelta(minutes=n)
        topics.append(SiteThread(first_id + n, created, posts=2, likes=n % 5))
    return topics


def _topic(t: SiteThread) -> dict[str, Any]:
    return {
        "id": t.topic_id, "title": f"Topic {t.topic_id} on minoxidil",
        "fancy_title": f"Topic {t.topic_id} on minoxidil", "slug": f"topic-{t.topic_id}",
        "posts_count": t.posts, "chunk_size": 20, "created_at": _iso(t.created_at),
        "last_posted_at": _iso(t.last_activity), "like_count": t.likes, "category_id": 4,
        "post_stream": {"posts": [{
            "id": t.topic_id * 10 + k, "post_number": k + 1, "username": f"user{k}",
            "created_at": _iso(t.created_at + timedelta(minutes=10 * k)),
            "updated_at": _iso(t.created_at + timedelta(minutes=10 * k)), "version": 1,
            "post_type": 1, "cooked": f"<p>Post {k} of topic {t.topic_id}: fin and min.</p>",
            "actions_summary": [{"id": 2, "count": t.likes}] if k == 0 and t.likes else [],
        } for k in range(t.posts)]},
    }


def discourse_site(server: LoopbackServer, topics: list[SiteThread],
                   per_page: int = PER_PAGE) -> None:
    """Serve /categories.json, /latest.json?page=N and /t/<id>.json for `topics`."""
    server.add("/categories.json?show_subcategory_list=true", json.dumps(
        {"category_list": {"categories": [{"id": 4, "slug": "treatments",
                                           "name": "Treatments"}]}}))
    ordered = sorted(topics, key=lambda t: t.last_activity, reverse=True)
    pages = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for number, page in enumerate(pages):
        listing: dict[str, Any] = {"per_page": per_page, "topics": [{
            "id": t.topic_id, "title": f"Topic {t.topic_id} on minoxidil",
            "slug": f"topic-{t.topic_id}", "posts_count": t.posts,
            "created_at": _iso(t.created_at), "last_posted_at": _iso(t.last_activity),
            "bumped_at": _iso(t.last_activity), "like_count": t.likes, "category_id": 4,
        } for t in page]}
        if number + 1 < len(pages):
            listing["more_topics_url"] = f"/latest?page={number + 1}"
        server.add(f"/latest.json?page={number}", json.dumps({"topic_list": listing}))
    for t in topics:
        server.add(f"/t/{t.topic_id}.json", json.dumps(_topic(t)))


def write_config(path: Path, base_url: str, database_url: str, redis_url: str,
                 name: str = "forum", refresh_days: float = 1.0) -> Path:
    """A config with one Discourse source on the loopback site, no delays."""
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n[redis]\nurl = "{redis_url}"\n\n'
        f'[[sources]]\nname = "{name}"\nkind = "discourse"\nbase_url = "{base_url}"\n'
        f"delay = 0\nconcurrency = 4\nrefresh_days = {refresh_days}\nevery = \"6h\"\n",
        encoding="utf-8")
    return path


def worker_command(config: Path, concurrency: int | None = None,
                   exit_when_idle: float | None = None,
                   heartbeat_ttl: float | None = None) -> list[str]:
    """The command line of one worker process (extra Scrapy settings for a fast loopback)."""
    cmd = [sys.executable, "-m", "scrapers.distributed", "worker", "--config", str(config),
           "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY_JITTER=0",
           "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=WARNING",
           "-s", "HAIRLINK_STORE_FLUSH_SECONDS=0.5"]
    if concurrency:
        cmd += ["--concurrency", str(concurrency)]
    if exit_when_idle is not None:
        cmd += ["--exit-when-idle", str(exit_when_idle)]
    if heartbeat_ttl is not None:
        cmd += ["--heartbeat-ttl", str(heartbeat_ttl)]
    return cmd


def worker_env(prefix: str) -> dict[str, str]:
    """The environment of worker and seed processes: this run's key prefix, repo on path."""
    env = dict(os.environ)
    env["HAIRLINK_REDIS_PREFIX"] = prefix
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("HAIRLINK_DATABASE_URL", None)
    env.pop("HAIRLINK_REDIS_URL", None)
    return env


def _bench_once(workers: int, topics: int, concurrency: int, pg_base: str, redis_url: str,
                tmp: Path) -> dict[str, Any]:
    import redis
    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.engine import make_url

    from models.db import make_engine, normalise_url
    from models.entities import Thread
    from models.migrate import upgrade

    admin_url = make_url(normalise_url(pg_base))
    db_name = f"hairlink_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    db_url = admin_url.set(database=db_name).render_as_string(hide_password=False)
    prefix = f"hlbench{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        engine = make_engine(db_url)
        upgrade(engine)
        with LoopbackServer() as server:
            discourse_site(server, make_topics(topics, recent=0, now=now))
            config = write_config(tmp / f"bench-{workers}.toml", server.base_url, db_url,
                                  redis_url)
            env = worker_env(prefix)
            seeded = subprocess.run([sys.executable, "-m", "scrapers.distributed", "seed",
                                     "forum", "--config", str(config)], env=env,
                                    capture_output=True, text=True)
            if seeded.returncode:
                raise RuntimeError(f"seed failed: {seeded.stderr[-2000:]}")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            launched = time.monotonic()
            procs = [subprocess.Popen(worker_command(config, concurrency, 2.0), env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                     for _ in range(workers)]
            first_at = last_at = None
            seen = 0
            while any(p.poll() is None for p in procs):
                count = len(server.requests)
                now_t = time.monotonic()
                if count and first_at is None:
                    first_at = now_t
                if count != seen:
                    seen, last_at = count, now_t
                time.sleep(0.05)
            outs = [json.loads(p.stdout.read().decode().strip().splitlines()[-1])
                    for p in procs if p.stdout]
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            pages = sum(o["forum"]["pages"] for o in outs)
            per_worker = [o["forum"]["pages"] for o in outs]
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(Thread)).scalar()
        engine.dispose()
        wall = max((last_at or launched) - (first_at or launched), 1e-3)
        return {"workers": workers, "pages": pages, "per_worker": per_worker,
                "stored": stored, "seconds": round(wall, 2),
                "startup": round((first_at or launched) - launched, 1),
                "worker_cpu_ms_per_page": round(1000 * cpu / max(pages, 1), 1),
                "pages_per_s": round(pages / wall, 1)}
    finally:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n"), {"n": db_name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}"'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    pg = os.environ.get("HAIRLINK_BENCH_POSTGRES_URL") or \
        os.environ.get("HAIRLINK_TEST_POSTGRES_URL")
    if not pg:
        print("set HAIRLINK_BENCH_POSTGRES_URL (a PostgreSQL server URL)", file=sys.stderr)
        return 2
    redis_url = os.environ.get("HAIRLINK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import tempfile

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            result = _bench_once(workers, args.threads, args.concurrency, pg, redis_url,
                                 Path(tmp))
            results.append(result)
            print(f"{workers} worker(s): {result['pages']} pages in {result['seconds']} s = "
                  f"{result['pages_per_s']} pages/s (per worker {result['per_worker']}, "
                  f"{result['stored']} threads stored, start-up {result['startup']} s, worker CPU "
                  f"{result['worker_cpu_ms_per_page']} ms/page incl. start-up)", flush=True)
    if len(results) >= 2 and results[0]["pages_per_s"]:
        print(f"ratio {results[-1]['workers']}/{results[0]['workers']} workers: "
              f"{results[-1]['pages_per_s'] / results[0]['pages_per_s']:.2f}x "
              f"on {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
