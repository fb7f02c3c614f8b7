"""`hairlink aggregate [--full]`: tag treatments and link threads to studies."""

from __future__ import annotations

from typing import Annotated

import typer

from hairlink.app import app, console, fail, state
from hairlink.names import check_choice


@app.command()
def aggregate(
    ctx: typer.Context,
    full: Annotated[bool, typer.Option(
        "--full", help="Re-tag and re-link everything, not only what changed.")] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="text or json")] = "text",
) -> None:
    """Tag threads with treatments and link them to studies (incremental by default)."""
    import json

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from aggregator.link_types import aggregate_settings
    from aggregator.outcome_config import outcome_cues_for
    from models.db import session_factory

    check_choice(fmt, ("text", "json"), "--format")
    st = state(ctx)
    config = st.config
    try:
        lexicon, settings = aggregate_settings(config)
        cues = outcome_cues_for(config)
    except ValueError as exc:  # a LexiconError and an OutcomeCueError are ones
        fail(f"configuration error: {exc}", code=2)
    from aggregator.run import aggregate as run_aggregate  # numpy, scipy, scikit-learn

    make_session = session_factory(st.ready_engine(write=True))
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
