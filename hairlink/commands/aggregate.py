"""`hairlink aggregate [--full]`: tag treatments and link threads to studies."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aggregator.link_types import aggregate_settings
from aggregator.outcomes import outcome_cues_for
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
        lexicon, settings = aggregate_settings(config)
        cues = outcome_cues_for(config)
    except ValueError as exc:  # a LexiconError and an OutcomeCueError are ones
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
                              progress=report, cues=cues)
    if fmt == "json":
        typer.echo(json.dumps(stats.as_dict(), indent=2))
        return
    console.print(stats.summary(), highlight=False)
