"""Crawling past one machine: a shared Redis frontier (scrapy-redis) and N crawl workers.

With `[redis] url` (or `$HAIRLINK_REDIS_URL`) set, crawls are not run in one process:
`seeding.seed()` puts each source's start requests into Redis and long-running workers
(`worker.run_worker()`, `hairlink worker`) take requests from there, crawl with the source's
usual spider and store into the configured database (PostgreSQL; SQLite is refused).

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

Modules:

    frontier   key names, prefix, Redis connection, config checks, Scrapy settings
    seeding    seed rounds, dead workers' requests back into the queue, `run_seed`
    worker     the long-running crawl worker
    status     queue lengths and live workers
    cli        the module entry (`__main__` runs it):

    python -m scrapers.distributed seed SOURCE... [--config PATH] [--full]
    python -m scrapers.distributed status [SOURCE...] [--config PATH]
    python -m scrapers.distributed worker [--sources NAME...] [--concurrency N]
"""
