"""`hairlink import ...`: bring history in from files (Reddit dumps; studies elsewhere).

`import_app` is the shared Typer sub-app; other command modules (e.g. `studies`) add their
own `hairlink import <what>` commands to it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hairlink.app import app, console, err_console, fail, state
from models.author_salt import SaltError
from models.config import Config
from models.migrate import upgrade
from scrapers.importers.reddit_dump import DEFAULT_REPLIES, import_reddit_dumps, record_import_run
from scrapers.importers.reddit_dump_files import DumpError

import_app = typer.Typer(
    name="import",
    help="Import history from files: Reddit dumps, study lists.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")


def resolve_reddit_source(config: Config, source: str | None,
                          subreddit: str | None) -> tuple[str, str, int]:
    """(source name, base URL, replies to keep) for a dump import; ValueError if ambiguous."""
    from models.source_kinds import source_kind

    reddit_base_url = source_kind("reddit").default_base_url or "https://oauth.reddit.com"
    reddit = [s for s in config.sources if s.kind == "reddit"]
    chosen = None
    if source:
        try:
            chosen = config.source(source)
        except KeyError:  # not configured: the import creates it
            return source, reddit_base_url, DEFAULT_REPLIES
        if chosen.kind != "reddit":
            raise ValueError(f"source {source!r} is a {chosen.kind} source, not reddit")
    elif subreddit:
        wanted = subreddit.lower().removeprefix("r/")
        matching = [s for s in reddit
                    if wanted in {str(x).lower() for x in s.get("subreddits", [])}]
        chosen = matching[0] if len(matching) == 1 else None
        if len(matching) > 1:
            names = ", ".join(s.name for s in matching)
            raise ValueError(f"r/{wanted} is in several sources ({names}): pass --source")
    if chosen is None:
        if len(reddit) == 1:
            chosen = reddit[0]
        elif len(reddit) > 1:
            names = ", ".join(s.name for s in reddit)
            raise ValueError(f"several reddit sources are configured ({names}): pass --source")
        else:
            return "reddit", reddit_base_url, DEFAULT_REPLIES
    return chosen.name, chosen.base_url, int(chosen.get("replies", DEFAULT_REPLIES))


def _progress(message: str) -> None:
    err_console.print(f"reading {message}", soft_wrap=True, markup=False, highlight=False)


@import_app.command("reddit-dump")
def reddit_dump(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        help="Dump files: RS_*.zst / RC_*.zst (zstd NDJSON) or plain .jsonl/.ndjson.")],
    subreddit: Annotated[str | None, typer.Option(
        "--subreddit", help="Only records of this subreddit (dumps of all of Reddit).")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Store into this source (default: the configured reddit source).")
    ] = None,
    replies: Annotated[int | None, typer.Option(
        "--replies", min=0, help="Top replies kept per thread (default: the source's "
        "`replies`, else 10).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 2000,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Import Reddit monthly dumps (submissions -> threads, comments -> top replies)."""
    st = state(ctx)
    try:
        name, base_url, keep = resolve_reddit_source(st.config, source, subreddit)
    except ValueError as exc:
        fail(str(exc), code=2)
    for path in files:
        if not path.is_file():
            fail(f"{path}: no such file", code=2)
    upgrade(st.engine)
    started = datetime.now(UTC)
    try:
        stats = import_reddit_dumps(
            st.engine, files, name, subreddit=subreddit,
            replies=keep if replies is None else replies, batch_size=batch_size,
            base_url=base_url, progress=_progress)
    except (DumpError, SaltError) as exc:
        fail(str(exc))
    status = "finished" if "corrupt_file" not in stats.skipped else "failed"
    record_import_run(st.engine, name, stats, started, status,
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
