"""Run crawls in this process: `python -m scrapers.run SOURCE [SOURCE...]`.

    python -m scrapers.run SOURCE [SOURCE...] [--config PATH] [--full] [--run-id N]
                           [-s KEY=VALUE]... [--log-file PATH] [--log-level LEVEL]

Each source gets a crawl-run row (status `running`, this pid), or `--run-id N` reuses an
existing row (one source only). The sources' spiders (the spider name each source kind
registers in `models.source_kinds`, loaded through Scrapy's SpiderLoader) run together in
one CrawlerProcess. At the end every row is marked `finished` (the spider closed normally
and every item was stored), `cancelled` (SIGINT/SIGTERM: Scrapy's graceful shutdown) or
`failed` (anything else, with a message),
with pages, items, dropped-by-reason and errors. A process killed outright leaves its row
`running`; the next run of that source marks such rows `failed` once their pid is gone. The
rows are written through `models.crawl_runs`.

One JSON line per source goes to stdout at the end:
    {"run_id": 7, "source": "hlt", "status": "finished", "pages": 12, "items": 40, ...}
Exit status: 0 when every source finished, 1 when any failed or was cancelled (or the
database is not at this version's schema: `hairlink init` migrates, a crawl never does), 2 for
a bad invocation (unknown source, bad config).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from sqlalchemy import Engine

from models.config import Config, ConfigError, SourceConfig, load_config
from models.crawl_runs import claim_run, create_run, finish_run, reap_stale_runs
from models.db import make_engine
from models.schema_version import SchemaNotReady, require_schema
from models.source_kinds import source_kind
from scrapers.distributed.frontier import is_distributed
from scrapers.distributed.seeding import run_seed
from scrapers.extensions import run_counters
from scrapers.pipelines.store import STORE_ERRORS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class SourceRun:
    """One source's crawl in this process."""

    source: SourceConfig
    run_id: int
    crawler: Crawler | None = None
    error: str | None = None
    status: str = "running"
    counters: dict[str, Any] = field(default_factory=dict)


def final_status(finish_reason: str | None, stats: dict[str, Any],
                 error: str | None) -> tuple[str, str | None]:
    """(status, message) of a crawl from its finish reason, stats and any start-up error."""
    if error:
        return "failed", error
    if finish_reason == "shutdown":
        return "cancelled", "stopped by a signal"
    if finish_reason != "finished":
        return "failed", f"the spider closed: {finish_reason or 'never started'}"
    if stats.get(STORE_ERRORS):
        return "failed", f"{stats[STORE_ERRORS]} items could not be stored"
    if not stats.get("response_received_count") and stats.get("log_count/ERROR"):
        return "failed", "no page could be fetched (see the crawl log)"
    return "finished", None


# -- the command ---------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scrapers.run",
                                     description="Crawl configured sources now.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="[[sources]] names")
    parser.add_argument("--config", help="config file (default: the usual lookup)")
    parser.add_argument("--full", action="store_true", help="re-walk everything")
    parser.add_argument("--run-id", type=int, help="use this existing crawl-run row")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a Scrapy setting (repeatable)")
    parser.add_argument("--log-file", help="write the Scrapy log here instead of stderr")
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING...")
    return parser.parse_args(argv)


class BadInvocation(Exception):
    """The command line or the configuration is wrong (exit 2, one line)."""


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _crawler_stats(crawler: Crawler | None) -> dict[str, Any]:
    """The crawl's stats; empty when it never started (e.g. the spider's __init__ failed:
    Scrapy raises on `Crawler.stats` until the crawl starts)."""
    if crawler is None:
        return {}
    try:
        stats = crawler.stats
    except RuntimeError:
        return {}
    return stats.get_stats() if stats else {}


# -- the phases of a run --------------------------------------------------------------------
def load_sources(args: argparse.Namespace) -> tuple[Config, list[SourceConfig]]:
    """The configuration and the named sources (each once); BadInvocation when wrong."""
    try:
        config = load_config(args.config)
        sources = [config.source(name) for name in dict.fromkeys(args.sources)]
    except ConfigError as exc:
        raise BadInvocation(f"configuration error: {exc}") from None
    except KeyError as exc:
        raise BadInvocation(str(exc.args[0])) from None
    if args.run_id is not None and len(sources) != 1:
        raise BadInvocation("--run-id takes exactly one source")
    return config, sources


def crawl_settings(args: argparse.Namespace) -> Settings:
    """The project's Scrapy settings with `-s KEY=VALUE`, `--log-file` and `--log-level`."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    settings = get_project_settings()
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise BadInvocation(f"-s wants KEY=VALUE, got {pair!r}")
        settings.set(key.strip(), value, priority="cmdline")
    if args.log_file:
        settings.set("LOG_FILE", args.log_file, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    return settings


def open_runs(engine: Engine, sources: Sequence[SourceConfig],
              run_id: int | None) -> list[SourceRun]:
    """A crawl-run row per source: `run_id` claimed, or a new one (stale rows reaped)."""
    runs: list[SourceRun] = []
    for src in sources:
        reap_stale_runs(engine, src.name)
        if run_id is not None:
            try:
                claim_run(engine, run_id, src.name, src.kind)
            except ValueError as exc:
                raise BadInvocation(str(exc)) from None
            runs.append(SourceRun(src, run_id))
        else:
            runs.append(SourceRun(src, create_run(engine, src.name, src.kind, os.getpid())))
    return runs


def start_crawlers(process: CrawlerProcess, settings: Settings, config: Config,
                   runs: Sequence[SourceRun], full: bool) -> None:
    """Schedule each run's spider in `process` (a kind without a spider: `run.error`)."""
    loader = SpiderLoader.from_settings(settings)
    spider_args: dict[str, Any] = {"config": str(config.path) if config.path else None,
                                   "full": "1" if full else ""}
    for run in runs:
        try:
            spidercls = loader.load(source_kind(run.source.kind).spider)
        except KeyError:
            run.error = f"no spider for kind {run.source.kind!r} (SPIDER_MODULES)"
            continue
        crawler = process.create_crawler(spidercls)
        crawler.settings.set("HAIRLINK_RUN_ID", run.run_id, priority="cmdline")
        run.crawler = crawler
        deferred = process.crawl(crawler, source=run.source.name, **spider_args)
        deferred.addErrback(_record_error, run)


def finish_runs(engine: Engine, runs: Sequence[SourceRun]) -> bool:
    """Write each run's final row and print its JSON line; True when every one finished."""
    ok = True
    for run in runs:
        stats = _crawler_stats(run.crawler)
        run.status, message = final_status(stats.get("finish_reason"), stats, run.error)
        run.counters = run_counters(stats)
        finish_run(engine, run.run_id, run.status, run.counters, message)
        ok = ok and run.status == "finished"
        print(json.dumps({"run_id": run.run_id, "source": run.source.name,
                          "status": run.status, "message": message, **run.counters}),
              flush=True)
    return ok


def crawl(args: argparse.Namespace, config: Config, sources: Sequence[SourceConfig],
          engine: Engine) -> int:
    """Crawl `sources` in this process (the database is at the head revision)."""
    settings = crawl_settings(args)
    runs = open_runs(engine, sources, args.run_id)
    process = CrawlerProcess(settings)
    start_crawlers(process, settings, config, runs, args.full)
    if any(run.crawler for run in runs):
        process.start()
    return EXIT_OK if finish_runs(engine, runs) else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the crawls; the exit status (see the module docstring)."""
    args = parse_args(argv)
    try:
        config, sources = load_sources(args)
        engine = make_engine(config.database_url)
        try:
            require_schema(engine)  # `hairlink init` migrates, never a crawl
            if config.redis_url and all(is_distributed(src) for src in sources):
                # Distributed mode: seed the shared Redis frontier; `hairlink worker`s crawl.
                return run_seed(config, [src.name for src in sources], full=args.full,
                                run_id=args.run_id)
            return crawl(args, config, sources, engine)
        finally:
            engine.dispose()
    except BadInvocation as exc:
        return _usage(str(exc))
    except SchemaNotReady as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _record_error(failure: Any, run: SourceRun) -> None:
    run.error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
    print(f"error: source {run.source.name}: {run.error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
