"""Scrapy settings for hairlink: polite by default.

Per-source `delay`, `concurrency` and `timeout` (config `[[sources]]`) are applied on top of
these by the spider (`scrapers.base.HairlinkSpider.from_crawler`); `-s KEY=VALUE` on the
command line (scrapy or `python -m scrapers.run`) wins over both.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("hairlink")
except PackageNotFoundError:  # running from a source tree
    VERSION = "0.0.0+source"

BOT_NAME = "hairlink"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
# One broken spider module must not take the others down (it is logged; its kind fails).
SPIDER_LOADER_WARN_ONLY = True

# Identify ourselves; the spider adds the configured `contact` ("+you@example.org").
USER_AGENT = f"hairlink/{VERSION}"
DEFAULT_CONTACT = "https://github.com/hairlink/hairlink"

# Manners.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# Items (and requests) of one callback handled at once. Scrapy's default (100) starts 100
# asyncio tasks for every response, whatever it yields: about half of a bare spider's CPU
# per page on a loopback board (benchmarks/crawl.py). Every pipeline here is synchronous,
# so more than a few in flight gains nothing.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # +-50 %
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports in a crawler
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # also bounds a decompressed body (gzip bombs)
DOWNLOAD_FAIL_ON_DATALOSS = True  # a truncated body is an error (and retried)

# Retries: 429/503 wait for Retry-After, everything retried backs off exponentially.
RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
HAIRLINK_RETRY_AFTER_MAX = 120.0
HAIRLINK_BACKOFF_BASE = 2.0
HAIRLINK_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapers.middlewares.LoopAwareRedirectMiddleware": 600,
}

ITEM_PIPELINES = {
    "scrapers.pipelines.validate.ValidatePipeline": 100,
    "scrapers.pipelines.clean.CleanPipeline": 200,
    "scrapers.pipelines.authors.AuthorHashPipeline": 300,
    "scrapers.pipelines.store.StorePipeline": 400,
}
# Flush the store buffer at this many items or after HAIRLINK_STORE_FLUSH_SECONDS, whichever
# comes first: big batches cost the database less per row (benchmarks/store.py).
HAIRLINK_STORE_BATCH = 1000
HAIRLINK_STORE_FLUSH_SECONDS = 5.0
# Text kept per thread or reply body (characters); longer is cut and counted truncated_body.
HAIRLINK_MAX_BODY_CHARS = 200_000

EXTENSIONS = {
    # Owns the database engine and the source row; the pipelines and CrawlRunProgress use it.
    "scrapers.database.CrawlDatabase": 100,
    "scrapers.extensions.CrawlRunProgress": 500,
    # gc.freeze() at engine start: full collections stop walking the imported modules.
    "scrapers.extensions.FreezeHeap": 600,
}
# The store and the source the crawl writes to (`scrapers.database`); a hairlink spider sets
# both from its config.
HAIRLINK_DATABASE_URL = ""
HAIRLINK_SOURCE: dict[str, str] = {}
# Crawl-run row to keep up to date (set by `python -m scrapers.run`); 0 = none.
HAIRLINK_RUN_ID = 0
HAIRLINK_PROGRESS_SECONDS = 2.0

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "scrapers.extensions.QuietDropFormatter"
LOG_LEVEL = "INFO"
