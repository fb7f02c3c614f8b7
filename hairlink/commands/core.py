"""`hairlink init` and `hairlink sources`."""

from __future__ import annotations

from typing import Annotated

import typer

from hairlink.app import app, console, fail, state
from hairlink.names import check_choice


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database schema, or upgrade it to this version, and load the treatments
    of the lexicon. The one command that migrates; the others ask for it."""
    from aggregator.lexicon import LexiconError, load_lexicon
    from aggregator.store import sync_treatments
    from models.db import session_scope
    from models.migrate import current_revision, head_revision, upgrade

    st = state(ctx)
    engine = st.engine
    try:
        lexicon = load_lexicon(st.config.lexicon)
    except LexiconError as exc:
        fail(f"lexicon: {exc}", code=2)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    with session_scope(engine) as session:
        treatments = sync_treatments(session, lexicon)
    url = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"database {url} is up to date (revision {after})")
    else:
        console.print(f"database {url} upgraded: {before or 'empty'} -> {after}")
    console.print(f"{treatments} treatments from the lexicon")
    if after != head_revision():
        raise typer.Exit(1)


@app.command()
def sources(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="table or json")] = "table",
) -> None:
    """List the configured sources with their last crawl."""
    import json

    from rich.table import Table
    from rich.text import Text

    from models.db import session_scope
    from models.queries import source_overview

    check_choice(fmt, ("table", "json"), "--format")
    st = state(ctx)
    config = st.config
    with session_scope(st.ready_engine()) as session:
        rows = source_overview(session, config.sources)
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"sources ({config.path or 'defaults'})", expand=True)
    table.add_column("name", no_wrap=True,  # the key column, kept whole at 80 columns
                     min_width=max((len(r["name"]) for r in rows), default=4))
    table.add_column("kind", no_wrap=True)
    table.add_column("base url", ratio=3, overflow="fold")
    table.add_column("schedule", ratio=2, overflow="fold")
    table.add_column("threads", no_wrap=True, justify="right")
    table.add_column("last crawl", ratio=2, overflow="fold")
    for row in rows:
        schedule = row["schedule"] or ("-" if row["configured"] else "not in config")
        last = (f"{row['last_status']}\n{row['last_started']}" if row["last_started"]
                else "never")
        table.add_row(Text(row["name"]), row["kind"], Text(row["base_url"]), Text(schedule),
                      f"{row['threads']:,}", last)
    console.print(table)
    if not rows:
        console.print("no sources configured: copy hairlink.example.toml to hairlink.toml")
