"""`hairlink worker`: a long-running crawl worker fed by the shared Redis frontier."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from hairlink.app import app, console, fail, state


@app.command("worker")
def worker(
    ctx: typer.Context,
    sources: Annotated[list[str] | None, typer.Option(
        "--sources", "-s", metavar="NAME", help="Sources to work on (repeatable or "
        "comma-separated; default: every enabled forum source).")] = None,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", "-n", min=1, max=256, metavar="N",
        help="Concurrent requests per source in this worker (default: the source's "
        "`concurrency`).")] = None,
    exit_when_idle: Annotated[float | None, typer.Option(
        "--exit-when-idle", min=0.0, metavar="SECONDS",
        help="Exit once the queues stayed empty this long (default: run until stopped).")
    ] = None,
) -> None:
    """Crawl requests from Redis and store the threads in the shared database.

    Needs `[redis] url` (or HAIRLINK_REDIS_URL) and a PostgreSQL `[database] url`. Run one
    per machine (or several); `hairlink crawl` and the scheduler seed the queues. Stop with
    Ctrl-C or SIGTERM: unfinished requests go back to the queue.
    """
    from scrapers.distributed.frontier import DistributedError
    from scrapers.distributed.worker import WorkerFailed, WorkerOptions, run_worker

    config = state(ctx).config
    names = [name.strip() for value in sources or [] for name in value.split(",")
             if name.strip()]
    options = WorkerOptions(sources=names, concurrency=concurrency,
                            exit_when_idle=exit_when_idle)
    try:
        counters = run_worker(config, options)
    except DistributedError as exc:
        fail(str(exc), code=2)
    except WorkerFailed as exc:
        console.print_json(json.dumps(exc.counters))
        fail(f"a crawl failed: {exc}")
    console.print_json(json.dumps(counters))

