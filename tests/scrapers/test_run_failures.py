"""A spider that cannot start ends its crawl-run row `failed` with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from models.db import make_engine
from models.entities import CrawlRun
from tests.scrapers.inprocess import run_crawl


def test_spider_constructor_error_is_a_failed_run(tmp_path: Path, db_url: str) -> None:
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
