"""`hairlink crawl NAME... | --all [--full]`: crawl sources now, one subprocess per source.

The crawls run under the scheduler's `CrawlSupervisor` (one crawl-run row each, the command
line from `scrapers_command`, the `[schedule] time_limit` / `--time-limit`, graceful stop).
Ctrl-C (SIGINT) or SIGTERM: the children (in their own sessions, so a terminal's Ctrl-C
reaches only this process) get exactly one SIGTERM, flush what they hold and end
`cancelled`; this process waits for them (killing any still running after `grace`), prints
the lines and exits 130 (SIGINT) or 143 (SIGTERM). A second signal kills them at once.
"""

from __future__ import annotations

import signal
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hairlink.app import app, console, err_console, fail, state
from models.config import Config, ConfigError, SourceConfig, parse_interval

if TYPE_CHECKING:  # imported where used: `hairlink --help` must start fast
    from rich.table import Table
    from sqlalchemy import Engine

    from models.entities import CrawlRun
    from scheduler.crawls import CrawlOutcome, CrawlSupervisor

POLL_SECONDS = 0.5
LOG_PREFIX = "hairlink-crawl-"


def pick_sources(config: Config, names: list[str], all_: bool) -> list[SourceConfig]:
    """The sources to crawl: the named ones, or every enabled one with --all."""
    if all_ and names:
        fail("give source names or --all, not both", code=2)
    if all_:
        chosen = [s for s in config.sources if s.enabled]
        if not chosen:
            fail("no enabled sources configured", code=2)
        return chosen
    if not names:
        fail("name at least one source, or use --all", code=2)
    try:
        return [config.source(name) for name in dict.fromkeys(names)]
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)


def check_crawl_options(settings: list[str], log_level: str | None) -> None:
    """Exit 2 on a `--set` without KEY=VALUE or an unknown `--log-level`, before any crawl
    run is started (the crawl children would only fail on them, one failed run each)."""
    import logging

    for pair in settings:
        key, sep, _value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"--set wants KEY=VALUE, got {pair!r}", code=2)
    if log_level is not None and log_level.upper() not in logging.getLevelNamesMapping():
        fail(f"--log-level: unknown level {log_level!r}; use DEBUG, INFO, WARNING, ERROR or "
             "CRITICAL", code=2)


def check_source_credentials(sources: list[SourceConfig]) -> None:
    """Exit 2 on a malformed API key or client credential a crawl of `sources` would read
    (`scrapers.credentials`), before any crawl run is started; the key is never shown."""
    from scrapers.credentials import CredentialError, check_credentials

    try:
        check_credentials(source.kind for source in sources)
    except CredentialError as exc:
        fail(f"configuration error: {exc}", code=2)


def run_rows(engine: Engine, run_ids: list[int]) -> dict[int, CrawlRun]:
    """The crawl-run rows by id (fresh reads)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models.entities import CrawlRun

    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.id.in_(run_ids)))
        return {run.id: run for run in runs}


def progress_table(sources: list[SourceConfig], rows: dict[str, CrawlRun],
                   started: float) -> Table:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for column in ("source", "kind", "run", "status", "pages", "items", "dropped", "errors",
                   "time"):
        table.add_column(column)
    for source in sources:
        row = rows.get(source.name)
        dropped = sum((row.dropped or {}).values()) if row else 0
        table.add_row(source.name, source.kind, str(row.id) if row else "-",
                      row.status if row else "starting", str(row.pages if row else 0),
                      str(row.items if row else 0), str(dropped),
                      str(row.errors if row else 0), f"{time.monotonic() - started:.0f}s")
    return table


def progress_line(source: SourceConfig, row: CrawlRun | None) -> str:
    """One line on how a source's crawl ended."""
    if row is None:
        return f"{source.name}: no crawl-run row"
    dropped = ", ".join(f"{k} {v}" for k, v in sorted((row.dropped or {}).items())) or "none"
    line = (f"{source.name} ({source.kind}) run {row.id}: {row.status}, "
            f"{row.pages} pages, {row.items} items, dropped {dropped}, {row.errors} errors")
    return line + (f" - {row.message}" if row.message else "")


class SignalForwarder:
    """While active, SIGINT and SIGTERM stop the supervisor's crawls instead of this
    process: the first asks every child once to close (in a thread: `stop_all` waits the
    grace period), a second kills them. `signum` is the first signal received."""

    def __init__(self, supervisor: CrawlSupervisor) -> None:
        self.supervisor = supervisor
        self.signum: int | None = None
        self.stopper: threading.Thread | None = None
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> SignalForwarder:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self.handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.stopper is not None:
            self.stopper.join()
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is not None:
            self.supervisor.kill_all()
            return
        self.signum = signum
        reason = f"interrupted by {signal.Signals(signum).name}"
        self.stopper = threading.Thread(target=self.supervisor.stop_all, args=(reason,),
                                        name="crawl-stop", daemon=True)
        self.stopper.start()


def run_crawls(engine: Engine, config: Config, sources: list[SourceConfig], full: bool,
               settings: list[str], log_level: str | None, live: bool,
               time_limit: int | None = None) -> tuple[dict[str, CrawlRun], int | None]:
    """Crawl every source in its own child under one supervisor and follow them to the end;
    the final rows by source name and the signal that stopped them (None: none did)."""
    from rich.live import Live

    from models.schema_version import require_schema
    from scheduler.crawls import CrawlSupervisor, crawl_options
    from scheduler.settings import load_settings

    schedule = load_settings(config)
    require_schema(engine)
    supervisor = CrawlSupervisor(
        engine, database_url=config.database_url, config_path=config.path,
        time_limit=time_limit or schedule.time_limit, grace=schedule.grace,
        max_parallel=len(sources), log_dir=Path(tempfile.gettempdir()), log_prefix=LOG_PREFIX,
        extra_args=crawl_options(settings, log_level))
    outcomes: dict[str, CrawlOutcome | None] = {}

    def crawl_one(source: SourceConfig) -> None:
        outcomes[source.name] = supervisor.run(source, full=full)

    workers = [threading.Thread(target=crawl_one, args=(src,), name=f"crawl-{src.name}")
               for src in sources]
    started = time.monotonic()
    with SignalForwarder(supervisor) as forwarder:
        for worker in workers:
            worker.start()
        if live:
            with Live(progress_table(sources, {}, started), console=console,
                      refresh_per_second=4) as view:
                while any(w.is_alive() for w in workers):
                    time.sleep(POLL_SECONDS)
                    view.update(progress_table(sources, _live_rows(engine, supervisor,
                                                                   outcomes), started))
        for worker in workers:
            while worker.is_alive():  # join with a timeout: signals are handled meanwhile
                worker.join(POLL_SECONDS)
    ids = [o.run_id for o in outcomes.values() if o is not None]
    rows = run_rows(engine, ids)
    return {r.source_name: r for r in rows.values()}, forwarder.signum


def _live_rows(engine: Engine, supervisor: CrawlSupervisor,
               outcomes: dict[str, CrawlOutcome | None]) -> dict[str, CrawlRun]:
    ids = [run_id for run_id, _, _ in supervisor.running()]
    ids += [o.run_id for o in outcomes.values() if o is not None]
    return {r.source_name: r for r in run_rows(engine, [i for i in ids if i > 0]).values()}


@app.command()
def crawl(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(metavar="NAME",
                                                       help="Source names.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every enabled source.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Re-walk everything.")] = False,
    setting: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="KEY=VALUE",
        help="Scrapy setting override KEY=VALUE (repeatable).")] = None,
    log_level: Annotated[str | None, typer.Option("--log-level", metavar="LEVEL",
                                                  help="Crawl log level.")] = None,
    time_limit: Annotated[str | None, typer.Option(
        "--time-limit", metavar="DURATION",
        help="Stop crawls still running after this long, e.g. 30m "
        "(default: [schedule] time_limit, 2h).")] = None,
) -> None:
    """Crawl sources now, one subprocess each, with a progress line per source."""
    st = state(ctx)
    config = st.config
    sources = pick_sources(config, names or [], all_)
    check_crawl_options(setting or [], log_level)
    check_source_credentials(sources)
    limit = None
    if time_limit is not None:
        try:
            limit = parse_interval(time_limit)
        except ValueError as exc:
            fail(f"--time-limit: {exc}", code=2)
        if limit <= 0:
            fail("--time-limit must be positive", code=2)
    try:
        rows, signum = run_crawls(st.engine, config, sources, full, setting or [], log_level,
                                  live=console.is_terminal, time_limit=limit)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", code=2)
    failed = False
    for source in sources:
        row = rows.get(source.name)
        if row is None:
            continue
        line = progress_line(source, row)
        if row.status == "finished":
            console.print(line, highlight=False, markup=False)
        else:
            failed = True
            err_console.print(line, highlight=False, markup=False)
    if failed:
        logs = Path(tempfile.gettempdir())
        err_console.print(f"crawl logs: {logs}/{LOG_PREFIX}<source>-<run>.log", highlight=False)
    if signum is not None:
        raise typer.Exit(128 + signum)
    if failed:
        raise typer.Exit(1)
