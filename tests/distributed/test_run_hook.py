"""`python -m scrapers.run` (what `hairlink crawl` and the scheduler start) seeds Redis
instead of crawling when `[redis] url` is configured."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import redis

from scrapers.distributed.frontier import Keys
from scrapers.loopback import LoopbackServer
from tests.distributed.test_frontier import _config, site  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_run_seeds_instead_of_crawling(tmp_path: Path, site: LoopbackServer,  # noqa: F811
                                       redis_url: str, prefix: str,
                                       rclient: redis.Redis) -> None:
    config = _config(tmp_path, site, redis_url)
    done = subprocess.run([sys.executable, "-m", "scrapers.run", "forum", "--config",
                           str(config)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert line["status"] == "finished"
    assert line["message"].startswith("distributed: seeded 1 start request(s)")
    assert site.requests == []  # nothing was crawled in this process
    assert rclient.zcard(Keys(prefix).requests("forum")) == 1
