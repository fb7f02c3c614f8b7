"""The Typer application, its global options and the helpers commands share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperArgument, TyperGroup

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - older typer on click
    from click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # type: ignore

import hairlink
from hairlink.cli_params import use_plain_values
from hairlink.errors import USAGE, UserError, explain
from models.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from sqlalchemy import Engine

use_plain_values()  # no pydantic for plain option values
console = Console()
err_console = Console(stderr=True)


def print_error(message: str) -> None:
    """`error: message` on stderr, on one line whatever the terminal width (text, not
    markup: "[enrich] s2_url ..." keeps its brackets)."""
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True,
                      soft_wrap=True)


def _usage_error(exc: UsageError) -> NoReturn:
    command = exc.ctx.command_path if exc.ctx is not None else "hairlink"
    print_error(f"{exc.format_message()} (see `{command} --help`)")
    raise typer.Exit(USAGE) from None


class _NamedArgument(TyperArgument):
    """An argument whose help shows its metavar (`KEY`), not a Python type (`<str>`)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _name_arguments(command: Any) -> None:
    """Every argument given a metavar shows only that in `--help`, in every subcommand."""
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument) and param.metavar:
            param.__class__ = _NamedArgument
    for sub in getattr(command, "commands", {}).values():
        _name_arguments(sub)


class HairlinkGroup(TyperGroup):
    """The root command: every expected failure of any command ends here as one line
    `error: ...` and exit 2 (usage, config) or 1 (runtime); `--debug` re-raises instead.
    Help shows metavars (`KEY`, `N`, `PATH`), never Python types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_arguments(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:  # a bad global option
            _usage_error(exc)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, NoArgsIsHelpError):
            raise
        except UsageError as exc:
            _usage_error(exc)
        except ClickException as exc:
            print_error(exc.format_message())
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            obj = ctx.obj
            if isinstance(obj, State) and obj.debug:
                raise
            message, code = explain(exc, obj.database_label if isinstance(obj, State)
                                    else None)
            print_error(message)
            raise typer.Exit(code) from None


app = typer.Typer(
    name="hairlink",
    help="Crawl hair-loss communities, tag treatments, link threads to studies, export digests.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=HairlinkGroup,
)


@dataclass
class State:
    """Per-invocation state: the config path and lazily loaded config and engine."""

    config_path: str | None = None
    debug: bool = False
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
            from models.db import is_in_memory, make_engine

            url = self.config.database_url
            if is_in_memory(url):
                fail(f"configuration error: database url {url!r} is an in-memory SQLite "
                     "database, gone when the command ends; give a file, e.g. "
                     "sqlite:///hairlink.db", code=2)
            self._engine = make_engine(url)
        return self._engine

    @property
    def read_engine(self) -> Engine:
        """The same database for commands that only read: on SQLite their transactions take
        no write lock, so crawls and imports can write meanwhile."""
        from models.db import read_only

        return read_only(self.engine)

    @property
    def database_label(self) -> str | None:
        """The database URL without its password, once an engine was made (for errors)."""
        if self._engine is None:
            return None
        return self._engine.url.render_as_string(hide_password=True)

    def ready_engine(self, write: bool = False) -> Engine:
        """The engine of a database at this version's schema: `hairlink init` is the one
        command that creates or upgrades it; others stop with `run hairlink init`."""
        from models.schema_version import require_schema

        engine = self.engine
        require_schema(engine)
        return engine if write else self.read_engine


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop the command with `error: message` on stderr and exit `code`."""
    raise UserError(message, code)


def state(ctx: typer.Context) -> State:
    """The State object of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def _version(value: bool) -> None:
    if value:
        console.print(f"hairlink {hairlink.__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(
        "--config", "-c", metavar="PATH",
        help="Config file (default: $HAIRLINK_CONFIG, else ./hairlink.toml).", envvar=None)
    ] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", envvar="HAIRLINK_DEBUG",
        help="Show the traceback of an error instead of one line.")] = False,
) -> None:
    """hairlink: community threads about hair-loss treatments, linked to the research."""
    ctx.obj = State(config_path=config, debug=debug)
