"""`python -m scrapers.distributed`: seed, status and worker subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from models.config import ConfigError, load_config
from models.schema_version import SchemaNotReady
from scrapers.distributed.frontier import DistributedError, require_redis
from scrapers.distributed.seeding import seed
from scrapers.distributed.status import queue_status
from scrapers.distributed.worker import HEARTBEAT_TTL, WorkerFailed, WorkerOptions, run_worker


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
            try:
                print(json.dumps(run_worker(config, options)), flush=True)
            except WorkerFailed as exc:
                print(json.dumps(exc.counters), flush=True)
                print(f"error: a crawl failed: {exc}", file=sys.stderr)
                return 1
    except (ConfigError, DistributedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SchemaNotReady as exc:  # `hairlink init` migrates, seeding only checks
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
