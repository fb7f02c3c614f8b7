"""`hairlink demo`: the whole pipeline offline on the bundled sample communities."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, fail
from hairlink.errors import writable_dir

if TYPE_CHECKING:
    from rich.table import Table

    from hairlink.demo import DemoResult


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Directory for the database, config, site and digests "
        "(default: ./hairlink-demo).")] = None,
    serve: Annotated[bool, typer.Option(
        "--serve", help="Then serve the web view of the demo database (hairlink serve).")
                     ] = False,
) -> None:
    """Crawl bundled sample forums on loopback, enrich, aggregate, export: all offline."""
    from hairlink.demo import DEFAULT_OUT, DemoError, run_demo

    out = writable_dir(out or Path(DEFAULT_OUT), "--out")
    try:
        result = run_demo(out, progress=lambda line: console.print(
            line, highlight=False, markup=False))
    except DemoError as exc:
        fail(str(exc))
    console.print(summary_table(result))
    console.print(community_table(result))
    for line in example_lines(result):
        console.print(line, highlight=False, markup=False)
    if result.summary.get("example_study") is not None:
        print_example_research(result)
    if result.index_html is not None:
        console.print(f"open {result.index_html}", highlight=False, markup=False)
    console.print(f"browse it: {serve_command(result)}", highlight=False, markup=False,
                  soft_wrap=True)
    if serve:
        from hairlink.web.server import serve as run_server
        from models.db import make_engine, read_only

        engine = make_engine(result.database_url)
        try:
            run_server(read_only(engine), announce=lambda line: console.print(
                line, highlight=False, markup=False))
        except OSError as exc:
            fail(f"cannot listen on 127.0.0.1:8080: {exc.strerror or exc}")


def serve_command(result: DemoResult) -> str:
    """The `hairlink serve` command line for the demo's database."""
    return f"hairlink --config {shlex.quote(str(result.config_path))} serve"


def community_table(result: DemoResult) -> Table:
    """"What the community reports": per treatment (by its display name), reported effects
    and side effects (by their labels)."""
    from rich.table import Table
    from rich.text import Text

    from aggregator.outcome_types import READER_NOTE, side_effect_label

    table = Table(title="What the community reports (hairlink treatments)", caption=READER_NOTE)
    for column in ("treatment", "threads", "improved", "no effect", "mixed", "side effects"):
        table.add_column(column, justify="left" if column in ("treatment", "side effects")
                         else "right")
    for item in result.summary.get("community", []):
        effects = item["effects"]
        table.add_row(Text(item["name"]), str(item["threads"]), str(effects["improved"]),
                      str(effects["no_effect"]), str(effects["mixed"]),
                      Text(", ".join(f"{side_effect_label(k)} {v}"
                                     for k, v in item["side_effects"].items())))
    return table


def example_lines(result: DemoResult) -> list[str]:
    """A few threads as cards: title, outcome chips (as the digests label them), summary."""
    from aggregator.digest.views import OutcomeChip

    lines = ["", "Example threads (summary and what they report):"]
    for post in result.summary.get("examples", []):
        chips = "  ".join(
            f"[{OutcomeChip(t, o['effect'], o['side_effects'], post['names'][t]).label}]"
            for t, o in post["outcomes"].items() if o["effect"] != "none" or o["side_effects"])
        lines += [f"- {post['title']}", f"  {chips}", f"  {post['summary'] or ''}"]
    return lines


def summary_table(result: DemoResult) -> Table:
    """Threads per source, treatments found, links made."""
    from rich.table import Table

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
