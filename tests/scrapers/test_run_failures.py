"""A spider that cannot start ends its crawl-run row `failed` with the reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from models.db import make_engine
from models.entities import CrawlRun
from tests.scrapers.crawlkit import ROOT
from tests.scrapers.inprocess import run_crawl


def test_spider_constructor_error_is_a_failed_run(tmp_path: Path, ready_db_url: str) -> None:
    db_url = ready_db_url
    config = tmp_path / "h.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[[sources]]\nname = "b"\n'
                      'kind = "discourse"\nbase_url = "http://127.0.0.1:9"\n')
    done = run_crawl(config, "b", args=("-s", "SPIDER_MODULES=tests.scrapers.broken_spiders"))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert (line["status"], line["message"]) == (
        "failed", "ValueError: cannot start: broken on purpose")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlRun.status, CrawlRun.finished_at)).all()
    engine.dispose()
    assert len(rows) == 1 and rows[0][0] == "failed" and rows[0][1] is not None


def test_a_crawl_never_migrates(tmp_path: Path) -> None:
    """`scrapers.run` on a database without hairlink's schema stops with one line naming
    `hairlink init` and creates no table (only `hairlink init` migrates); on a SQLite file
    that does not exist it creates no file either."""
    db_path = tmp_path / "empty.db"
    config = tmp_path / "h.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db_path}"\n[[sources]]\nname = "b"\n'
                      'kind = "discourse"\nbase_url = "http://127.0.0.1:9"\n')

    def crawl() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "scrapers.run", "b", "--config",
                               str(config)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)

    done = crawl()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.strip().splitlines() == [
        f"error: no hairlink database at {db_path}: run `hairlink init`"]
    assert not db_path.exists()
    db_path.touch()  # an empty SQLite database
    done = crawl()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.strip().splitlines() == [
        f"error: the database sqlite:///{db_path} has no hairlink tables: run `hairlink init`"]
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master").all()
    engine.dispose()
    assert tables == []
