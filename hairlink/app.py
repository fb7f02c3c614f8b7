"""The Typer application, its global options and the helpers commands share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine

from hairlink import __version__
from models.config import Config, ConfigError, load_config
from models.db import make_engine, read_only

app = typer.Typer(
    name="hairlink",
    help="Crawl hair-loss communities, tag treatments, link threads to studies, export digests.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console()
err_console = Console(stderr=True)


@dataclass
class State:
    """Per-invocation state: the config path and lazily loaded config and engine."""

    config_path: str | None = None
    _config: Config | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """The loaded configuration (exits 2 with the file and key on a bad one)."""
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                fail(f"configuration error: {exc}", code=2)
        return self._config

    @property
    def engine(self) -> Engine:
        """An engine for the configured database."""
        if self._engine is None:
            self._engine = make_engine(self.config.database_url)
        return self._engine

    @property
    def read_engine(self) -> Engine:
        """The same database for commands that only read: on SQLite their transactions take
        no write lock, so crawls and imports can write meanwhile."""
        return read_only(self.engine)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error to stderr as one line (never wrapped) and exit with `code` (the message
    is text, not markup: "[enrich] s2_url ..." keeps its brackets)."""
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True,
                      soft_wrap=True)
    raise typer.Exit(code)


def state(ctx: typer.Context) -> State:
    """The State object of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def _version(value: bool) -> None:
    if value:
        console.print(f"hairlink {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(
        "--config", "-c", help="Config file (default: $HAIRLINK_CONFIG, else ./hairlink.toml).",
        envvar=None)] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """hairlink: community threads about hair-loss treatments, linked to the research."""
    ctx.obj = State(config_path=config)
