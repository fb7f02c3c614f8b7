"""In-process crawls, as Scrapy tests its own: a Twisted reactor in a background thread (one
per test session, as a reactor cannot be restarted), crawlers made by a `CrawlerRunner` with
hairlink's settings, and the crawl-run row written as `python -m scrapers.run` writes it.

`run_crawl(config, *sources, args=...)` takes the same arguments as the subprocess helper in
`crawlkit` and returns the same shape (`returncode`, `stdout` with one JSON line per source,
`stderr` with the log), so a test asserts the same things without a process per crawl.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler

from models.config import ConfigError, load_config
from models.crawl_runs import create_run, finish_run, reap_stale_runs
from models.db import make_engine
from models.schema_version import require_schema
from models.source_kinds import source_kind
from scrapers.extensions import run_counters
from scrapers.run import final_status, parse_args
from tests.scrapers.crawlkit import FAST

_lock = threading.Lock()
_reactor: Any = None


def reactor() -> Any:
    """The session's asyncio Twisted reactor, running in a daemon thread."""
    global _reactor
    with _lock:
        if _reactor is None:
            from twisted.internet import asyncioreactor

            loop = asyncio.new_event_loop()
            asyncioreactor.install(eventloop=loop)
            from twisted.internet import reactor as installed

            def run() -> None:
                asyncio.set_event_loop(loop)
                installed.run(installSignalHandlers=False)

            threading.Thread(target=run, name="twisted-reactor", daemon=True).start()
            _reactor = installed
    return _reactor


def in_reactor(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call `function` in the reactor thread and wait for its result (or its Deferred's)."""
    from twisted.internet.threads import blockingCallFromThread

    return blockingCallFromThread(reactor(), function, *args, **kwargs)


def project_settings(**overrides: Any) -> dict[str, Any]:
    """hairlink's Scrapy settings (`scrapers.settings`) with `overrides`, as a dict."""
    module = importlib.import_module("scrapers.settings")
    values = {key: getattr(module, key) for key in dir(module) if key.isupper()}
    values.update(overrides)
    return values


def hairlink_crawler(spidercls: Any = None, **settings: Any) -> Crawler:
    """`scrapy.utils.test.get_crawler` with hairlink's settings (made in the reactor thread,
    as Scrapy checks the installed reactor)."""
    return in_reactor(get_crawler, spidercls, project_settings(**settings))


def crawl(crawler: Crawler, **spider_kwargs: Any) -> Crawler:
    """Run `crawler` to its end; the crawler (stats, spider) for the assertions."""
    in_reactor(crawler.crawl, **spider_kwargs)
    return crawler


@dataclass
class Result:
    """What `python -m scrapers.run` would have printed and returned."""

    returncode: int
    stdout: str = ""
    stderr: str = ""
    crawlers: dict[str, Crawler] = field(default_factory=dict)


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    """The crawl's environment: no stray HAIRLINK_DATABASE_URL / HAIRLINK_CONFIG, and
    `env` (when given) replacing the HAIRLINK_REDDIT_* variables."""
    saved = dict(os.environ)
    for name in ("HAIRLINK_DATABASE_URL", "HAIRLINK_CONFIG"):
        os.environ.pop(name, None)
    if env is not None:
        for name in [n for n in os.environ if n.startswith("HAIRLINK_REDDIT_")]:
            del os.environ[name]
        os.environ.update({k: v for k, v in env.items() if k.startswith("HAIRLINK_")})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _captured_log() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)


def run_crawl(config: Path, *sources: str, args: tuple[str, ...] = (),
              env: dict[str, str] | None = None, fast: bool = True) -> Result:
    """Crawl `sources` of `config` in this process (with crawlkit's fast settings unless
    `fast` is false); `env` replaces the HAIRLINK_REDDIT_* variables."""
    # The loopback server shares this process's GIL with the crawl: on a loaded machine a
    # page can take longer than the subprocess runs' 1.5 s timeout (a test's own -s wins).
    fast_args = (*FAST, "-s", "DOWNLOAD_TIMEOUT=10") if fast else ()
    options = parse_args([*sources, "--config", str(config), *fast_args, *args])
    with _environment(env), _captured_log() as log:
        try:
            hairlink = load_config(options.config)
            chosen = [hairlink.source(name) for name in dict.fromkeys(options.sources)]
        except (ConfigError, KeyError) as exc:
            return Result(2, stderr=f"error: {exc}")
        overrides = dict(pair.split("=", 1) for pair in options.set)
        settings = Settings(project_settings(**overrides))
        runner = in_reactor(CrawlerRunner, project_settings(**overrides))
        engine = make_engine(hairlink.database_url)
        require_schema(engine)  # as scrapers.run: a crawl never migrates
        runs: dict[str, tuple[int, Crawler]] = {}
        for src in chosen:
            reap_stale_runs(engine, src.name)
            run_id = create_run(engine, src.name, src.kind, os.getpid())
            spidercls = SpiderLoader.from_settings(settings).load(source_kind(src.kind).spider)
            crawler = in_reactor(runner.create_crawler, spidercls)
            crawler.settings.set("HAIRLINK_RUN_ID", run_id, priority="cmdline")
            runs[src.name] = (run_id, crawler)
        errors = _crawl_all(runs, str(hairlink.path), options.full)
        lines, ok = [], True
        for name, (run_id, crawler) in runs.items():
            stats = crawler.stats.get_stats() if crawler.spider is not None else {}
            status, message = final_status(stats.get("finish_reason"), stats, errors.get(name))
            counters = run_counters(stats)
            finish_run(engine, run_id, status, counters, message)
            ok = ok and status == "finished"
            lines.append(json.dumps({"run_id": run_id, "source": name, "status": status,
                                     "message": message, **counters}))
        engine.dispose()
    stderr = log.getvalue() + "".join(f"error: source {name}: {error}\n"
                                      for name, error in errors.items())
    return Result(0 if ok else 1, "\n".join(lines) + "\n", stderr,
                  {name: crawler for name, (_, crawler) in runs.items()})


def _crawl_all(runs: dict[str, tuple[int, Crawler]], config: str, full: bool
               ) -> dict[str, str]:
    """Run every crawler together; the start-up errors by source."""
    from twisted.internet.defer import DeferredList

    errors: dict[str, str] = {}

    def start() -> Any:
        deferreds = []
        for name, (_, crawler) in runs.items():
            deferred = crawler.crawl(source=name, config=config, full="1" if full else "")
            deferred.addErrback(lambda failure, name=name: errors.__setitem__(
                name, f"{failure.type.__name__}: {failure.getErrorMessage()}"))
            deferreds.append(deferred)
        return DeferredList(deferreds)

    in_reactor(start)
    return errors
