"""`hairlink schedule run | list | status`: the background scheduler and what it did."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hairlink.app import app, console, fail, state
from hairlink.errors import writable_dir
from models.config import Config, ConfigError

if TYPE_CHECKING:
    from scheduler.settings import ScheduleSettings

schedule_app = typer.Typer(
    name="schedule",
    help="Crawl, aggregate and export on a schedule, in the background.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(schedule_app, name="schedule")

FormatOption = Annotated[str, typer.Option("--format", metavar="FORMAT",
                                           help="table or json")]


def _settings(config: Config) -> ScheduleSettings:
    from scheduler.settings import load_settings

    try:
        return load_settings(config)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", code=2)


def _check_plan(config: Config, settings: ScheduleSettings) -> None:
    """Exit 2 on a schedule the config cannot have (a bad cron, an unknown time zone)."""
    from scheduler.plan import planned_jobs, scheduler_timezone

    try:
        zone = scheduler_timezone(settings)
        planned_jobs(config, settings, zone, datetime.now(zone))  # cron expressions parse
    except (ConfigError, ValueError) as exc:
        fail(f"configuration error: {exc}", code=2)


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}", code=2)


@schedule_app.command("run")
def run(
    ctx: typer.Context,
    log_level: Annotated[str, typer.Option("--log-level", metavar="LEVEL",
                                           help="DEBUG, INFO, WARNING...")]
    = "INFO",
) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C (logs go to stderr).
    It creates or upgrades the schema at start, like `hairlink init`."""
    from scheduler import tasks
    from scheduler.lock import SchedulerLocked
    from scheduler.plan import planned_jobs, scheduler_timezone
    from scheduler.service import ScheduleService

    st = state(ctx)
    config = st.config
    settings = _settings(config)
    try:
        zone = scheduler_timezone(settings)
        planned_jobs(config, settings, zone, datetime.now(zone))  # cron expressions parse
        tasks.check(config)
    except (ConfigError, ValueError, OSError) as exc:  # a LexiconError is a ValueError
        fail(f"configuration error: {exc}", code=2)
    # The folders the jobs write to: a bad one now, not in a failed job hours later.
    if settings.log_dir is not None:
        writable_dir(settings.log_dir, "[schedule] log_dir")
    if settings.export is not None:
        writable_dir(settings.export.directory, "[export] dir")
    level = getattr(logging, log_level.upper(), None)
    if not isinstance(level, int):
        fail(f"unknown log level {log_level!r}", code=2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        result = ScheduleService(config, settings).run()
    except SchedulerLocked as exc:
        fail(str(exc), code=1)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", code=2)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
    if result.lock_lost:
        fail("the scheduler lost its database lock and stopped", code=1)
    if not result.idle:
        # A job thread that would not return must not keep a stopped service alive.
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(0)


@schedule_app.command("list")
def list_jobs(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """The scheduled jobs: their schedules and next run times."""
    from rich.table import Table

    from scheduler.lock import lock_holder
    from scheduler.views import job_listing

    _check_format(fmt)
    st = state(ctx)
    config = st.config
    settings = _settings(config)
    _check_plan(config, settings)
    try:
        rows = job_listing(st.ready_engine(), config, settings)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", code=2)
    holder = lock_holder(config.database_url)
    if fmt == "json":
        typer.echo(json.dumps({"scheduler": holder, "jobs": rows}, indent=2))
        return
    table = Table(title="scheduled jobs")
    for column in ("job", "schedule", "next run", "state"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["id"], row["schedule"] or "-", row["next_run"] or "-", row["state"])
    console.print(table)
    console.print(f"scheduler: running ({holder})" if holder else
                  "scheduler: not running (start it with `hairlink schedule run`)")


def _status_cells(run: dict[str, Any] | None) -> list[str]:
    """The last-run cells of the status table: when and how it ended, what it fetched."""
    if run is None:
        return ["never", "-", ""]
    ended = f"{run['status']}\n{run['started_at'] or '-'} ({run['duration']})"
    counts = (f"{run['pages']} pages, {run['items']} items\n{run['dropped']} dropped, "
              f"{run['errors']} errors")
    return [ended, counts, run["message"] or ""]


def _distributed(config: Config) -> dict[str, Any] | None:
    """Redis queue lengths and worker heartbeats in distributed mode (None otherwise)."""
    if not config.redis_url:
        return None
    from scrapers.distributed.frontier import is_distributed
    from scrapers.distributed.status import queue_status

    try:
        return queue_status(config.redis_url,
                            [src.name for src in config.sources if is_distributed(src)])
    except Exception as exc:  # Redis down must not hide the crawl runs
        return {"error": f"{exc.__class__.__name__}: {exc}"}


def _print_distributed(info: dict[str, Any]) -> None:
    from rich.table import Table

    if "error" in info:
        console.print(f"redis: unavailable ({info['error']})", highlight=False)
        return
    queues = Table(title="redis queues")
    for column in ("source", "queued", "taken", "last seed"):
        queues.add_column(column)
    for name, row in info["sources"].items():
        seed = row["last_seed"]
        queues.add_row(name, str(row["queued"]), str(row["taken"]),
                       f"{seed['at']} ({seed['requests']} requests)" if seed else "never")
    console.print(queues)
    workers = Table(title="workers")
    for column in ("worker", "host", "pid", "seen", "pages", "items"):
        workers.add_column(column)
    for beat in info["workers"]:
        workers.add_row(str(beat.get("id")), str(beat.get("host")), str(beat.get("pid")),
                        str(beat.get("seen_at")), str(beat.get("pages")),
                        str(beat.get("items")))
    console.print(workers if info["workers"] else "workers: none alive")


@schedule_app.command("status")
def status(
    ctx: typer.Context,
    fmt: FormatOption = "table",
    last: Annotated[int, typer.Option("--last", min=1, metavar="N",
                                      help="runs to show per source")] = 1,
) -> None:
    """The last crawl runs per source: when, how long, pages, items, dropped, errors.

    With `[redis] url` also the Redis queue per source and the live workers.
    """
    from rich.table import Table

    from scheduler.lock import lock_holder
    from scheduler.views import crawl_status

    _check_format(fmt)
    st = state(ctx)
    config = st.config
    rows = crawl_status(st.ready_engine(), config, last=last)
    holder = lock_holder(config.database_url)
    distributed = _distributed(config)
    if fmt == "json":
        out: dict[str, Any] = {"scheduler": holder, "sources": rows}
        if distributed is not None:
            out["distributed"] = distributed
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    table = Table(title="crawl runs", expand=True)  # fits 80 columns: the source kept whole
    table.add_column("source", no_wrap=True,
                     min_width=max((len(r["source"]) for r in rows), default=6))
    table.add_column("next run", ratio=2, overflow="fold")
    table.add_column("last run", ratio=3, overflow="fold")
    table.add_column("fetched", ratio=3, overflow="fold")
    table.add_column("message", ratio=3, overflow="fold")
    for row in rows:
        runs = row["runs"] or [None]
        for index, run_row in enumerate(runs):
            first = index == 0
            table.add_row(row["source"] if first else "",
                          (row["next_run"] or row["schedule"] or "-") if first else "",
                          *_status_cells(run_row))
    console.print(table)
    if distributed is not None:
        _print_distributed(distributed)
    console.print(f"scheduler: running ({holder})" if holder else "scheduler: not running")
