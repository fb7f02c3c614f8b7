"""`hairlink crawl NAME... | --all [--full]`: crawl sources now, one subprocess per source.

Each source runs `python -m scrapers.run NAME --run-id N` (Scrapy's reactor cannot restart
inside one process); this command creates the crawl-run rows, shows a progress line per
source from them, and exits 0 only if every source finished.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, err_console, fail, state
from models.config import Config, SourceConfig

if TYPE_CHECKING:  # imported where used: `hairlink --help` must start fast
    from rich.table import Table
    from sqlalchemy import Engine

    from models.entities import CrawlRun

POLL_SECONDS = 0.5


@dataclass
class ChildCrawl:
    """One source's crawl subprocess and its crawl-run row."""

    source: SourceConfig
    run_id: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    started: float

    @property
    def log_path(self) -> str:
        return self.log.name


def crawl_command(source: str, run_id: int, config: Config, full: bool,
                  settings: list[str], log_level: str | None) -> list[str]:
    """The argv of one source's crawl subprocess."""
    argv = [sys.executable, "-m", "scrapers.run", source, "--run-id", str(run_id)]
    if config.path is not None:
        argv += ["--config", str(config.path)]
    if full:
        argv.append("--full")
    for pair in settings:
        argv += ["-s", pair]
    if log_level:
        argv += ["--log-level", log_level]
    return argv


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


def run_rows(engine: Engine, run_ids: list[int]) -> dict[int, CrawlRun]:
    """The crawl-run rows by id (fresh reads)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models.entities import CrawlRun

    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.id.in_(run_ids)))
        return {run.id: run for run in runs}


def progress_table(children: list[ChildCrawl], rows: dict[int, CrawlRun]) -> Table:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for column in ("source", "kind", "run", "status", "pages", "items", "dropped", "errors",
                   "time"):
        table.add_column(column)
    for child in children:
        row = rows.get(child.run_id)
        dropped = sum((row.dropped or {}).values()) if row else 0
        table.add_row(child.source.name, child.source.kind, str(child.run_id),
                      row.status if row else "?", str(row.pages if row else 0),
                      str(row.items if row else 0), str(dropped),
                      str(row.errors if row else 0), f"{time.monotonic() - child.started:.0f}s")
    return table


def progress_line(source: SourceConfig, row: CrawlRun | None) -> str:
    """One line on how a source's crawl ended."""
    if row is None:
        return f"{source.name}: no crawl-run row"
    dropped = ", ".join(f"{k} {v}" for k, v in sorted((row.dropped or {}).items())) or "none"
    line = (f"{source.name} ({source.kind}) run {row.id}: {row.status}, "
            f"{row.pages} pages, {row.items} items, dropped {dropped}, {row.errors} errors")
    return line + (f" - {row.message}" if row.message else "")


def run_crawls(engine: Engine, config: Config, sources: list[SourceConfig], full: bool,
               settings: list[str], log_level: str | None, live: bool) -> dict[int, CrawlRun]:
    """Start one subprocess per source, follow them to the end; the final rows."""
    from rich.live import Live

    from models.crawl_runs import create_run, finish_run
    from models.schema_version import require_schema

    require_schema(engine)
    children: list[ChildCrawl] = []
    for src in sources:
        run_id = create_run(engine, src.name, src.kind, os.getpid())  # until the child claims it
        log = tempfile.NamedTemporaryFile(prefix=f"hairlink-crawl-{src.name}-",  # noqa: SIM115
                                          suffix=".log", delete=False)
        argv = crawl_command(src.name, run_id, config, full, settings, log_level)
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log,
                                   env=os.environ.copy())
        children.append(ChildCrawl(src, run_id, process, log, time.monotonic()))
    ids = [c.run_id for c in children]
    try:
        if live:
            with Live(progress_table(children, run_rows(engine, ids)), console=console,
                      refresh_per_second=4) as view:
                while any(c.process.poll() is None for c in children):
                    time.sleep(POLL_SECONDS)
                    view.update(progress_table(children, run_rows(engine, ids)))
        else:
            for child in children:
                child.process.wait()
    except KeyboardInterrupt:
        for child in children:  # graceful: the crawls mark themselves cancelled
            if child.process.poll() is None:
                child.process.terminate()
        for child in children:
            child.process.wait()
    for child in children:
        child.log.close()
        # A row still running: the subprocess died without recording an end (killed, crashed).
        finish_run(engine, child.run_id, "failed",
                   message=f"the crawl process exited with status {child.process.returncode} "
                           f"without finishing", only_running=True)
    return run_rows(engine, ids)


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
) -> None:
    """Crawl sources now, one subprocess each, with a progress line per source."""
    st = state(ctx)
    config = st.config
    sources = pick_sources(config, names or [], all_)
    rows = run_crawls(st.engine, config, sources, full, setting or [], log_level,
                      live=console.is_terminal)
    failed = False
    for child_source in sources:
        row = next((r for r in rows.values() if r.source_name == child_source.name), None)
        if row is None:
            continue
        line = progress_line(child_source, row)
        if row.status == "finished":
            console.print(line, highlight=False, markup=False)
        else:
            failed = True
            err_console.print(line, highlight=False, markup=False)
    logs = Path(tempfile.gettempdir())
    if failed:
        err_console.print(f"crawl logs: {logs}/hairlink-crawl-<source>-*.log", highlight=False)
        raise typer.Exit(1)
