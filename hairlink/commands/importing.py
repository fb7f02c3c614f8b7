"""`hairlink import ...`: bring history in from files (Reddit dumps; studies elsewhere).

`import_app` is the shared Typer sub-app; other command modules (e.g. `studies`) add their
own `hairlink import <what>` commands to it.
"""

from __future__ import annotations

import typer

from hairlink.app import app

import_app = typer.Typer(
    name="import",
    help="Import history from files: Reddit dumps, study lists.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")
