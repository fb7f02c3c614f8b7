"""The `hairlink` console entry point: it loads only the command module the command line
names (`hairlink posts` imports hairlink.commands.posts, not the other twelve), so a light
command starts fast; `--help`, no command, an unknown name or shell completion load every
module, in one fixed order (the order of `hairlink --help`). `import hairlink.cli` registers
every command, for tests and tools that use `hairlink.app.app` directly."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence

# Every command module, in the order their commands are listed by `hairlink --help`.
ALL_MODULES = ("aggregate", "core", "crawl", "demo", "digest", "importing", "posts",
               "schedule", "studies", "treatments", "web", "worker")
# The modules that register each top-level command (`import studies` lives in studies).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "aggregate": ("aggregate",), "init": ("core",), "sources": ("core",),
    "crawl": ("crawl",), "demo": ("demo",), "digest": ("digest",), "show": ("digest",),
    "import": ("importing", "studies"), "posts": ("posts",), "schedule": ("schedule",),
    "studies": ("studies",), "treatments": ("treatments",), "serve": ("web",),
    "thread": ("web",), "worker": ("worker",),
}
_VALUED_OPTIONS = ("-c", "--config")  # the root options that take a value
_NO_RUN = {"--help", "-h", "--version"}  # options that print and exit before the command


def command_name(args: Sequence[str]) -> str | None:
    """The command a hairlink command line names (the first word after the root options),
    or None."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif arg == "--":
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(args: Sequence[str] | None = None) -> None:
    """Register the commands `args` needs on hairlink.app.app (None: every command)."""
    modules = ALL_MODULES
    if args is not None and not any(k.endswith("_COMPLETE") for k in os.environ):
        modules = COMMAND_MODULES.get(command_name(args) or "", ALL_MODULES)
    for module in modules:
        importlib.import_module(f"hairlink.commands.{module}")


def opens_database(args: Sequence[str]) -> bool:
    """Does this command line run a command (all of them open the database), not only
    print help or the version?"""
    return command_name(args) in COMMAND_MODULES and not _NO_RUN.intersection(args)


def main() -> None:
    """Run the hairlink command line."""
    # Start-up allocates hundreds of thousands of long-lived objects (modules, classes,
    # SQLAlchemy's mapped tables) and next to no garbage, and the cyclic collector would
    # walk them again and again: ~0.2 CPU-s of a light command. So the collector is off
    # while the command's modules and SQLAlchemy load, then those objects are frozen (never
    # walked again) and it runs as usual for the command itself. The mappers are configured
    # here too: the first query would configure all of them anyway.
    gc.disable()
    args = sys.argv[1:]
    load_commands(args)
    if opens_database(args):
        from sqlalchemy.orm import configure_mappers

        import models.entities  # noqa: F401  (SQLAlchemy, its ORM and the mapped classes)

        configure_mappers()
    gc.freeze()
    gc.enable()
    from hairlink.app import app

    app()
