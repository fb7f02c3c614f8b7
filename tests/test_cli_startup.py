"""The CLI starts fast: `--help`, `--version`, `sources`, `posts` and `studies` import
neither Scrapy nor scikit-learn, matplotlib, Jinja2, Alembic or pydantic, nor the modules of
other commands, and on SQLite not the PostgreSQL dialect (the budget is held by counting
imported modules, not by timing: what is left is Python, Typer, Rich and SQLAlchemy's core
and ORM). Timing: benchmarks/startup.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.db import make_engine
from models.migrate import upgrade

# Packages only the commands that need them may import.
HEAVY = {"scrapy", "twisted", "sklearn", "scipy", "numpy", "matplotlib", "jinja2", "lxml",
         "bs4", "apscheduler", "alembic", "zstandard", "rispy", "redis", "feedgen", "humanize",
         "pydantic", "pydantic_core"}  # pydantic: Typer's coercion (hairlink.cli_params)
PROBE = """
import json, sys
sys.argv = ["hairlink", *json.loads(sys.argv[1])]
try:
    from hairlink.entry import main
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported(args: list[str], cwd: Path, database_url: str) -> tuple[int, set[str], list[str]]:
    """Exit code, top-level packages imported and the modules of `hairlink ARGS`."""
    env = {**os.environ, "HAIRLINK_DATABASE_URL": database_url}
    env.pop("HAIRLINK_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    modules = report["modules"]
    return report["code"], {m.split(".")[0] for m in modules}, modules


# Measured (hairlink.entry): 240 (--help), 277 (--version reads the installed metadata),
# 225 (a command's help: only its own module), 453-460 (database commands; they were 520-530
# before plain option values skipped pydantic and commands loaded only their own module).
# The margin is for library upgrades, not for a heavy import (Scrapy alone is 900 more).
@pytest.mark.parametrize(("args", "max_modules", "no_database"), [
    (["--help"], 250, True),
    (["--version"], 290, True),
    (["posts", "--help"], 240, True),
    (["sources"], 480, False),
    (["posts", "--source", "nosuch"], 480, False),
    (["posts", "--treatment", "minoxidil"], 480, False),
    (["studies"], 480, False),
])
def test_light_commands_import_no_heavy_package(args: list[str], max_modules: int,
                                                no_database: bool, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    code, packages, modules = imported(args, tmp_path, url)
    assert code in (0, 2), (args, code)
    assert not packages & HEAVY, (args, sorted(packages & HEAVY))
    assert "sqlalchemy.dialects.postgresql" not in modules  # a SQLite database
    if no_database:
        assert "sqlalchemy" not in packages
    assert len(modules) <= max_modules, (args, len(modules))


def test_entry_point_maps_every_command_to_its_modules() -> None:
    """hairlink.entry loads only the modules a command line names: its map must name, for
    every top-level command, each module that registers a part of it."""
    import hairlink.cli  # noqa: F401  (registers every command)
    from hairlink.app import app
    from hairlink.entry import ALL_MODULES, COMMAND_MODULES, command_name

    found: dict[str, set[str]] = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        found.setdefault(name, set()).add(info.callback.__module__)
    for group in app.registered_groups:
        sub = group.typer_instance
        callbacks = [c.callback for c in sub.registered_commands]
        if sub.registered_callback is not None:
            callbacks.append(sub.registered_callback.callback)
        found.setdefault(group.name, set()).update(f.__module__ for f in callbacks)
    assert set(found) == set(COMMAND_MODULES)
    for name, modules in found.items():
        assert modules == {f"hairlink.commands.{m}" for m in COMMAND_MODULES[name]}, name
    assert {m for ms in COMMAND_MODULES.values() for m in ms} == set(ALL_MODULES)
    assert command_name(["-c", "x.toml", "--debug", "posts", "--limit", "3"]) == "posts"
    assert command_name(["--config=x.toml", "studies"]) == "studies"
    assert command_name(["--help"]) is None


def test_plain_values_skip_pydantic_and_leave_the_rest_to_typer() -> None:
    """str, bool, int in range and list[str] are taken as is; anything else (a bad number,
    one out of range, another type) is left to Typer's coercion and its messages."""
    from typer.models import OptionInfo

    from hairlink.cli_params import _UNSURE, plain_value

    info = OptionInfo(min=0)
    assert plain_value(str, info, "x") == "x"
    assert plain_value(bool, info, True) is True
    assert plain_value(int, info, "12") == 12 and plain_value(int, info, 3) == 3
    assert plain_value(list[str], info, ("a", "b")) == ["a", "b"]
    for annotation, value in ((int, "-1"), (int, "1.5"), (int, "x"), (int, True),
                              (float, "1.5"), (Path, "a"), (str, 3)):
        assert plain_value(annotation, info, value) is _UNSURE, (annotation, value)
    assert plain_value(str, OptionInfo(parser=str.upper), "x") is _UNSURE
