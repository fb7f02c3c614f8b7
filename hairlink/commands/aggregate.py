"""`hairlink aggregate [--full]`: tag treatments and link threads to studies."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aggregator.lexicon import LexiconError, load_lexicon
from aggregator.link_types import LinkSettings
from hairlink.app import app, console, fail, state
from models.db import session_factory
from models.migrate import upgrade


@app.command()
def aggregate(
    ctx: typer.Context,
    full: Annotated[bool, typer.Option(
        "--full", help="Re-tag and re-link everything, not only what changed.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Tag threads with treatments and link them to studies (incremental by default)."""
    if fmt not in ("text", "json"):
        fail("--format must be text or json", code=2)
    st = state(ctx)
    config = st.config
    try:
        lexicon = load_lexicon(config.lexicon)
        settings = LinkSettings.from_section(config.section("aggregate"))
    except (LexiconError, ValueError) as exc:
        fail(f"configuration error: {exc}", code=2)
    from aggregator.run import aggregate as run_aggregate  # numpy, scipy, scikit-learn

    upgrade(st.engine)
    make_session = session_factory(st.engine)
    quiet = fmt == "json" or not console.is_terminal
    with Progress(TextColumn("aggregating"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, disable=quiet) as bar:
        task = bar.add_task("threads", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        stats = run_aggregate(make_session, full=full, lexicon=lexicon, settings=settings,
                              progress=report)
    if fmt == "json":
        typer.echo(json.dumps(stats.as_dict(), indent=2))
        return
    if stats.full:
        reason = "full run"
    elif stats.lexicon_partial:
        reason = f"lexicon changed: {stats.lexicon_threads} threads affected"
    else:
        reason = "lexicon changed: full run" if stats.lexicon_changed else "incremental"
    console.print(
        f"{reason}: {stats.threads_tagged} threads tagged ({stats.thread_treatments} "
        f"treatment tags), {stats.threads_scanned} scanned for links, "
        f"{stats.studies_changed} of {stats.studies} studies re-tagged; "
        f"{stats.citation_links} citation links, +{stats.topic_links_added}/"
        f"-{stats.topic_links_removed} topic links ({stats.topic_links_total} stored)"
        + (f", {stats.studies_refilled} studies relinked from scratch"
           if stats.studies_refilled else "")
        + f" in {stats.seconds:.1f}s", highlight=False)
