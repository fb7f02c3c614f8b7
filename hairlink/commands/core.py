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
    for column in ("name", "kind", "base url", "schedule", "threads", "last crawl", "status"):
        table.add_column(column, overflow="fold", no_wrap=column in ("name", "threads"),
                         ratio=2 if column in ("base url", "last crawl") else 1)
    for row in rows:
        schedule = row["schedule"] or ("-" if row["configured"] else "not in config")
        table.add_row(row["name"], row["kind"], row["base_url"], schedule,
                      str(row["threads"]), row["last_started"] or "never",
                      row["last_status"] or "-")
    console.print(table)
    if not rows:
        console.print("no sources configured: copy hairlink.example.toml to hairlink.toml")
