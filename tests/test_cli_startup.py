"""The CLI starts fast: `--help`, `--version`, `sources`, `posts` and `studies` import
neither Scrapy nor scikit-learn, matplotlib, Jinja2 or Alembic (the budget is held by
counting imported modules, not by timing)."""

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
         "bs4", "apscheduler", "alembic", "zstandard", "rispy", "redis", "feedgen", "humanize"}
PROBE = """
import json, sys
sys.argv = ["hairlink", *json.loads(sys.argv[1])]
try:
    from hairlink.cli import main
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported(args: list[str], cwd: Path, database_url: str) -> tuple[int, set[str], int]:
    """Exit code, top-level packages imported and the module count of `hairlink ARGS`."""
    env = {**os.environ, "HAIRLINK_DATABASE_URL": database_url}
    env.pop("HAIRLINK_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    modules = report["modules"]
    return report["code"], {m.split(".")[0] for m in modules}, len(modules)


@pytest.mark.parametrize(("args", "max_modules", "no_database"), [
    (["--help"], 350, True),
    (["--version"], 350, True),
    (["posts", "--help"], 350, True),
    (["sources"], 800, False),
    (["posts", "--source", "nosuch"], 800, False),
    (["posts", "--treatment", "minoxidil"], 800, False),
    (["studies"], 800, False),
])
def test_light_commands_import_no_heavy_package(args: list[str], max_modules: int,
                                                no_database: bool, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    code, packages, count = imported(args, tmp_path, url)
    assert code in (0, 2), (args, code)
    assert not packages & HEAVY, (args, sorted(packages & HEAVY))
    if no_database:
        assert "sqlalchemy" not in packages
    assert count <= max_modules, (args, count)
