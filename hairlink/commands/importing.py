"""`hairlink import ...`: bring history in from files (Reddit dumps; studies elsewhere).

`import_app` is the shared Typer sub-app; other command modules (e.g. `studies`) add their
own `hairlink import <what>` commands to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, err_console, fail, state
from hairlink.errors import USAGE, UserError, did_you_mean
from hairlink.names import check_choice

if TYPE_CHECKING:
    from models.config import Config, SourceConfig
    from scrapers.importers.reddit_dump import ByteProgress

import_app = typer.Typer(
    name="import",
    help="Import history from files: Reddit dumps, study lists.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")
_SOURCE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"


def resolve_reddit_source(config: Config, source: str | None, subreddit: str | None,
                          new_source: str | None = None) -> tuple[str, str, int]:
    """(source name, base URL, replies to keep) for a dump import. `source` must be a
    configured reddit source; a source no config names is only made with `new_source`.
    UserError (exit 2) when the choice is wrong or ambiguous."""
    from models.source_kinds import source_kind
    from scrapers.importers.reddit_dump import DEFAULT_REPLIES, REDDIT_BASE_URL

    if new_source is not None:
        if source is not None:
            raise UserError("give --source (a configured source) or --new-source, not both",
                            USAGE)
        _check_new_source(config, new_source)
        reddit_base_url = source_kind("reddit").default_base_url or REDDIT_BASE_URL
        return new_source, reddit_base_url, DEFAULT_REPLIES
    reddit = [s for s in config.sources if s.kind == "reddit"]
    if source:
        chosen = _named_reddit_source(config, source, reddit)
    else:
        chosen = _subreddit_source(subreddit, reddit) if subreddit else None
        chosen = chosen or _only_reddit_source(reddit)
    return chosen.name, chosen.base_url, int(chosen.get("replies", DEFAULT_REPLIES))


def _check_new_source(config: Config, name: str) -> None:
    import re

    if not re.match(_SOURCE_NAME, name):
        raise UserError(f"--new-source {name!r}: use letters, digits, '.', '_' and '-'",
                        USAGE)
    if any(s.name == name for s in config.sources):
        raise UserError(f"--new-source {name!r} is configured already: use --source {name}",
                        USAGE)


def _named_reddit_source(config: Config, name: str,
                         reddit: list[SourceConfig]) -> SourceConfig:
    """`--source NAME`: a configured reddit source."""
    try:
        chosen = config.source(name)
    except KeyError:
        names = [s.name for s in reddit]
        raise UserError(
            f"--source {name!r} is not a configured reddit source"
            f"{did_you_mean(name, names) if names else ''}; to import into a new "
            f"source, declare it with --new-source {name}", USAGE) from None
    if chosen.kind != "reddit":
        raise UserError(f"--source {name!r} is a {chosen.kind} source, not reddit", USAGE)
    return chosen


def _subreddit_source(subreddit: str, reddit: list[SourceConfig]) -> SourceConfig | None:
    """The one reddit source listing `subreddit` (None: no source lists it)."""
    wanted = subreddit.lower().removeprefix("r/")
    matching = [s for s in reddit
                if wanted in {str(x).lower() for x in s.get("subreddits", [])}]
    if len(matching) > 1:
        names = ", ".join(s.name for s in matching)
        raise UserError(f"r/{wanted} is in several sources ({names}): pass --source", USAGE)
    return matching[0] if matching else None


def _only_reddit_source(reddit: list[SourceConfig]) -> SourceConfig:
    """The configured reddit source when there is exactly one."""
    if len(reddit) == 1:
        return reddit[0]
    if reddit:
        names = ", ".join(s.name for s in reddit)
        raise UserError(f"several reddit sources are configured ({names}): pass --source",
                        USAGE)
    raise UserError("no reddit source is configured: add one to the config, or declare one "
                    "with --new-source NAME", USAGE)


@contextmanager
def byte_progress(enabled: bool) -> Iterator[ByteProgress | None]:
    """A Rich progress bar per file and pass (bytes read of the file's size) on stderr."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    tasks: dict[tuple[Path, str], int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), console=err_console,
                  transient=False) as bar:

        def report(path: Path, role: str, done: int, total: int) -> None:
            key = (path, role)
            if key not in tasks:
                tasks[key] = bar.add_task(f"{path.name}: {role}", total=total)
            bar.update(tasks[key], completed=done)

        yield report


@import_app.command("reddit-dump")
def reddit_dump(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE",
        help="Dump files: RS_*.zst / RC_*.zst (zstd NDJSON) or plain .jsonl/.ndjson.")],
    subreddit: Annotated[str | None, typer.Option(
        "--subreddit", metavar="NAME",
        help="Only records of this subreddit (dumps of all of Reddit).")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", metavar="NAME",
        help="Store into this configured reddit source (default: the only one, or the one "
        "listing --subreddit).")] = None,
    new_source: Annotated[str | None, typer.Option(
        "--new-source", metavar="NAME",
        help="Store into a new source of this name that no config names.")] = None,
    replies: Annotated[int | None, typer.Option(
        "--replies", min=0, metavar="N", help="Top replies kept per thread (default: the "
        "source's `replies`, else 10).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, metavar="N",
                                            help="Records per transaction.")] = 2000,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="table or json")] = "table",
) -> None:
    """Import Reddit monthly dumps (submissions -> threads, comments -> top replies)."""
    import json
    from datetime import UTC, datetime

    from rich.table import Table

    from models.author_salt import SaltError
    from scrapers.importers.reddit_dump import import_reddit_dumps, record_import_run
    from scrapers.importers.reddit_dump_files import DumpError, check_dump_file

    check_choice(fmt, ("table", "json"), "--format")
    st = state(ctx)
    name, base_url, keep = resolve_reddit_source(st.config, source, subreddit, new_source)
    for path in files:
        try:
            check_dump_file(path)
        except DumpError as exc:
            fail(str(exc), code=2)
    engine = st.ready_engine(write=True)
    started = datetime.now(UTC)
    with byte_progress(err_console.is_terminal and fmt != "json") as on_bytes:
        try:
            stats = import_reddit_dumps(
                engine, files, name, subreddit=subreddit,
                replies=keep if replies is None else replies, batch_size=batch_size,
                base_url=base_url, on_bytes=on_bytes)
        except (DumpError, SaltError) as exc:
            fail(str(exc))
    status = "finished" if "corrupt_file" not in stats.skipped else "failed"
    record_import_run(engine, name, stats, started, status,
                      "; ".join(stats.errors[:5]) or None)
    summary = {"source": name, "status": status, **stats.summary()}
    for message in stats.errors:
        err_console.print(f"warning: {message}", highlight=False, markup=False,
                          soft_wrap=True)
    if stats.malformed > len(stats.errors):
        err_console.print(f"... and {stats.malformed - len(stats.errors)} more malformed lines")
    if fmt == "json":
        typer.echo(json.dumps(summary, indent=2))
    else:
        table = Table(title=f"reddit dump import into {name!r}: {status}")
        table.add_column("what")
        table.add_column("count", justify="right")
        for key, value in summary.items():
            if key in ("source", "status", "skipped"):
                continue
            table.add_row(key.replace("_", " "), str(value))
        for reason, count in summary["skipped"].items():
            table.add_row(f"skipped: {reason}", str(count))
        console.print(table)
    if status != "finished":
        raise typer.Exit(1)
