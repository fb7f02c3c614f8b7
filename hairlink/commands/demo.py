"""`hairlink demo`: the whole pipeline offline on the bundled sample communities."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hairlink.app import app, console, fail
from hairlink.demo import DEFAULT_OUT, DemoError, DemoResult, run_demo
from models.db import make_engine, read_only


@app.command()
def demo(
    out: Annotated[Path, typer.Option(
        "--out", help="Directory for the database, config, site and digests.")] = Path(
        DEFAULT_OUT),
    serve: Annotated[bool, typer.Option(
        "--serve", help="Then serve the web view of the demo database (hairlink serve).")
                     ] = False,
) -> None:
    """Crawl bundled sample forums on loopback, enrich, aggregate, export: all offline."""
    if out.exists() and not out.is_dir():
        fail(f"--out {out} exists and is not a directory", code=2)
    try:
        result = run_demo(out, progress=lambda line: console.print(
            line, highlight=False, markup=False))
    except DemoError as exc:
        fail(str(exc))
    console.print(summary_table(result))
    if result.summary.get("example_study") is not None:
        print_example_research(result)
    if result.index_html is not None:
        console.print(f"open {result.index_html}", highlight=False, markup=False)
    console.print(f"browse it: {serve_command(result)}", highlight=False, markup=False,
                  soft_wrap=True)
    if serve:
        from hairlink.web.server import serve as run_server

        engine = make_engine(result.database_url)
        try:
            run_server(read_only(engine), announce=lambda line: console.print(
                line, highlight=False, markup=False))
        except OSError as exc:
            fail(f"cannot listen on 127.0.0.1:8080: {exc.strerror or exc}")


def serve_command(result: DemoResult) -> str:
    """The `hairlink serve` command line for the demo's database."""
    return f"hairlink --config {shlex.quote(str(result.config_path))} serve"


def summary_table(result: DemoResult) -> Table:
    """Threads per source, treatments found, links made."""
    summary = result.summary
    table = Table(title=f"hairlink demo ({result.out_dir})")
    for column in ("source", "kind", "threads", "replies", "threads with treatments"):
        table.add_column(column, justify="left" if column in ("source", "kind") else "right")
    for name, row in summary["sources"].items():
        table.add_row(name, row["kind"], str(row["threads"]), str(row["replies"]),
                      str(row["tagged"]))
    links = summary["links"]
    table.caption = (
        f"treatments found: {summary['treatments']} "
        f"({summary['thread_treatments']} thread tags) | links made: "
        f"{sum(links.values())} ({links.get('citation', 0)} citations, "
        f"{links.get('topic', 0)} topical) | studies: {summary['studies']} "
        f"({summary['enriched']} with TLDR) | references: {summary['references']} "
        f"({summary['references_in_catalogue']} to catalogue studies) | similar research "
        f"for {summary['studies_with_similar']} studies")
    return table


def print_example_research(result: DemoResult) -> None:
    """The research sections of one demo study (as `hairlink show` prints them)."""
    from datetime import UTC, datetime

    from aggregator.digest.views import digest_view
    from hairlink.commands.digest import render_research
    from models.db import make_engine, session_factory
    from models.digest_queries import load_digests

    engine = make_engine(result.database_url)
    try:
        with session_factory(engine)() as session:
            data = load_digests(session, [result.summary["example_study"]], limit=1)[0]
            view = digest_view(data, datetime.now(UTC))
    finally:
        engine.dispose()
    console.print(f"\n{view.study.title} ({view.study.key}); every study page has these "
                  "sections:", highlight=False, markup=False, style="bold")
    for part in render_research(view.research):
        console.print(part)
