"""The Redis side without workers: serializer, seeding, round-scoped fingerprints, the
taken ledger's recovery, status, and the refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import scrapy
from scrapy.utils.request import request_from_dict
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401 - registers the commands
from benchmarks.distributed import discourse_site, make_topics, write_config
from hairlink.app import app
from models.config import load_config
from scrapers import redis_serializer
from scrapers.distributed.cli import main as module_main
from scrapers.distributed.frontier import DistributedError, Keys
from scrapers.distributed.seeding import requeue_dead_workers, seed
from scrapers.distributed.status import queue_status
from scrapers.distributed.worker import WorkerOptions
from scrapers.items import ReplyItem, ThreadItem
from scrapers.loopback import LoopbackServer
from scrapers.parsers.common import ListEntry
from scrapers.redis_scheduler import fingerprint
from tests.conftest import init_database


class _Spider(scrapy.Spider):
    name = "t"

    def parse_thread(self, response: object, entry: object = None, acc: object = None) -> None:
        pass


def test_serializer_round_trips_forum_requests() -> None:
    spider = _Spider()
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    entry = ListEntry("7", "http://127.0.0.1/t/x/7", title="fin", created_at=now,
                      num_comments=3)
    acc = ThreadItem(source="f", external_id="7", url="u", title="t", created_at=now,
                     replies=[ReplyItem("r1", body_html="<p>min</p>", created_at=now)])
    request = scrapy.Request("http://127.0.0.1/t/7.json?page=2", callback=spider.parse_thread,
                             cb_kwargs={"entry": entry, "acc": acc}, priority=3,
                             headers={"Accept": "application/json"}, meta={"n": [1, 2]})
    data = redis_serializer.dumps(request.to_dict(spider=spider))
    assert b"pickle" not in data and data.startswith(b"{")
    back = request_from_dict(redis_serializer.loads(data), spider=spider)
    assert back.url == request.url and back.priority == 3
    assert back.callback == spider.parse_thread
    assert back.cb_kwargs == {"entry": entry, "acc": acc}
    assert back.headers.get("Accept") == b"application/json"
    assert back.meta["n"] == [1, 2]


def test_serializer_refuses_foreign_classes_and_values() -> None:
    evil = json.dumps({"url": "http://x/", "_class": "os.system"})
    with pytest.raises(ValueError, match="refusing request class"):
        redis_serializer.loads(evil)
    gadget = json.dumps({"url": "http://x/", "meta": {"x": {"__dc__": "subprocess:Popen",
                                                            "fields": {}}}})
    with pytest.raises(ValueError, match="refusing to build"):
        redis_serializer.loads(gadget)
    with pytest.raises(redis_serializer.UnserializableRequest, match="set"):
        redis_serializer.dumps({"url": "http://x/", "meta": {"s": {1, 2}}})


@pytest.fixture
def site() -> LoopbackServer:
    now = datetime.now(UTC).replace(microsecond=0)
    with LoopbackServer() as server:
        discourse_site(server, make_topics(90, recent=10, now=now))
        yield server


def _config(tmp_path: Path, site: LoopbackServer, redis_url: str, db: str | None = None) -> Path:
    return write_config(tmp_path / "hairlink.toml", site.base_url,
                        db or init_database(f"sqlite:///{tmp_path / 'seed.db'}"), redis_url)


def test_seed_pushes_start_requests_once_per_round(tmp_path: Path, site: LoopbackServer,
                                                   redis_url: str, prefix: str,
                                                   rclient: redis.Redis) -> None:
    config = load_config(_config(tmp_path, site, redis_url))
    keys = Keys(prefix)
    [first] = seed(config, ["forum"])
    assert (first.seeded, first.already_queued, first.queued) == (1, 0, 1)
    [queued] = rclient.zrange(keys.requests("forum"), 0, -1)
    data = redis_serializer.loads(queued)
    assert data["url"] == f"{site.base_url}/categories.json?show_subcategory_list=true"
    assert data["callback"] == "parse_categories"
    # A second seed while the first is still queued adds nothing and keeps its fingerprint.
    [again] = seed(config, ["forum"])
    assert (again.seeded, again.already_queued, again.queued) == (0, 1, 1)
    assert rclient.scard(keys.dupefilter("forum")) == 1
    # A stale fingerprint of the previous round (a page crawled then) is dropped.
    rclient.sadd(keys.dupefilter("forum"), fingerprint("GET", f"{site.base_url}/t/1000.json",
                                                       None))
    rclient.delete(keys.requests("forum"))
    [third] = seed(config, ["forum"], full=True)
    assert third.seeded == 1 and third.full
    members = {m.decode() for m in rclient.smembers(keys.dupefilter("forum"))}
    assert fingerprint("GET", f"{site.base_url}/t/1000.json", None) not in members
    assert len(members) == 1
    assert rclient.exists(keys.full("forum"))
    assert rclient.ttl(keys.dupefilter("forum")) > 0


def test_dead_workers_ledger_goes_back_to_the_queue(tmp_path: Path, site: LoopbackServer,
                                                    redis_url: str, prefix: str,
                                                    rclient: redis.Redis) -> None:
    keys = Keys(prefix)
    rclient.hset(keys.taken("forum", "dead-1"), mapping={b'{"url":"http://a/1"}': 0,
                                                         b'{"url":"http://a/2"}': -5})
    rclient.hset(keys.taken("forum", "alive-1"), mapping={b'{"url":"http://a/3"}': 0})
    rclient.set(keys.worker("alive-1"), "{}", ex=30)
    assert requeue_dead_workers(rclient, keys, "forum") == 2
    assert not rclient.exists(keys.taken("forum", "dead-1"))
    assert rclient.hlen(keys.taken("forum", "alive-1")) == 1
    assert rclient.zscore(keys.requests("forum"), b'{"url":"http://a/2"}') == -5
    # seed() does the same before pushing its start requests.
    rclient.hset(keys.taken("forum", "dead-2"), mapping={b'{"url":"http://a/4"}': 0})
    [result] = seed(load_config(_config(tmp_path, site, redis_url)), ["forum"])
    assert result.requeued == 1 and result.queued == 4
    status = queue_status(redis_url, ["forum"], prefix=prefix)
    forum = status["sources"]["forum"]
    assert (forum["queued"], forum["taken"]) == (4, 1)
    assert forum["last_seed"]["requests"] == 1
    assert [w["expires_in"] is not None for w in status["workers"]] == [True]


def test_module_entry_seeds_and_reports(tmp_path: Path, site: LoopbackServer, redis_url: str,
                                        prefix: str, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    path = _config(tmp_path, site, redis_url)
    assert module_main(["seed", "forum", "--config", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["seeded"] == 1
    assert module_main(["status", "--config", str(path)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["sources"]["forum"]["queued"] == 1
    assert module_main(["seed", "nosuch", "--config", str(path)]) == 2
    assert "no source named 'nosuch'" in capsys.readouterr().err


def test_seeding_never_migrates(tmp_path: Path, site: LoopbackServer, redis_url: str,
                                prefix: str, rclient: redis.Redis,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """Seeding checks the schema (`hairlink init` migrates): one line, exit 1, no queue."""
    db = tmp_path / "new.db"
    path = write_config(tmp_path / "hairlink.toml", site.base_url, f"sqlite:///{db}",
                        redis_url)
    assert module_main(["seed", "forum", "--config", str(path)]) == 1
    assert capsys.readouterr().err == f"error: no hairlink database at {db}: run `hairlink init`\n"
    assert not db.exists() and rclient.zcard(Keys(prefix).requests("forum")) == 0


def test_worker_refuses_sqlite_and_missing_redis(tmp_path: Path, site: LoopbackServer,
                                                 redis_url: str, prefix: str) -> None:
    path = _config(tmp_path, site, redis_url)
    result = CliRunner().invoke(app, ["--config", str(path), "worker"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "SQLite is a file on one machine: set [database] url" in said
    no_redis = tmp_path / "plain.toml"
    no_redis.write_text(path.read_text().replace('[redis]\nurl = "' + redis_url + '"', ""))
    result = CliRunner().invoke(app, ["--config", str(no_redis), "worker"])
    assert result.exit_code == 2
    assert "no Redis configured: set [redis] url" in " ".join(result.output.split())
    with pytest.raises(DistributedError, match="no source named"):
        from scrapers.distributed.worker import Worker

        Worker(load_config(path).__class__(
            path=path, database_url="postgresql://u@127.0.0.1/x", redis_url=redis_url,
            sources=load_config(path).sources), WorkerOptions(sources=["nosuch"]))


def test_run_seed_keeps_the_crawl_run_contract(tmp_path: Path, site: LoopbackServer,
                                               redis_url: str, prefix: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models.crawl_runs import create_run
    from models.db import make_engine
    from models.entities import CrawlRun
    from scrapers.distributed.seeding import run_seed

    config = load_config(_config(tmp_path, site, redis_url))
    assert run_seed(config, ["forum"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert (line["status"], line["seeded"], line["queued"]) == ("finished", 1, 1)
    engine = make_engine(config.database_url)
    claimed = create_run(engine, "forum", "discourse")
    assert run_seed(config, ["forum"], full=True, run_id=claimed) == 0
    assert json.loads(capsys.readouterr().out)["run_id"] == claimed
    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    engine.dispose()
    assert [r.status for r in runs] == ["finished", "finished"]
    assert runs[0].message.startswith("distributed: seeded 1 start request(s)")
    assert runs[1].finished_at is not None


def test_status_shows_queues_and_live_workers(tmp_path: Path, site: LoopbackServer,
                                              redis_url: str, prefix: str,
                                              rclient: redis.Redis) -> None:
    config = load_config(_config(tmp_path, site, redis_url))
    assert queue_status(redis_url, ["forum"], prefix=prefix)["workers"] == []
    seed(config, ["forum"])
    rclient.set(Keys(prefix).worker("box-1-abc"), json.dumps({
        "id": "box-1-abc", "host": "box", "pid": 1, "sources": ["forum"], "pages": 12,
        "items": 10, "started_at": "2026-11-24T10:00:00+00:00"}), ex=30)
    status = queue_status(redis_url, ["forum"], prefix=prefix)
    forum = status["sources"]["forum"]
    assert (forum["queued"], forum["taken"], forum["fingerprints"], forum["full"]) == \
        (1, 0, 1, False)
    assert forum["last_seed"]["requests"] == 1 and forum["last_seed"]["full"] is False
    [beat] = status["workers"]
    assert (beat["id"], beat["host"], beat["sources"], beat["pages"], beat["items"]) == \
        ("box-1-abc", "box", ["forum"], 12, 10)
    assert 0 < beat["expires_in"] <= 30


def test_stateful_kinds_stay_in_one_process(tmp_path: Path, site: LoopbackServer,
                                            redis_url: str, prefix: str) -> None:
    from scrapers.distributed.frontier import is_distributed
    from scrapers.distributed.worker import worker_sources

    path = _config(tmp_path, site, redis_url)
    path.write_text(path.read_text() + '\n[[sources]]\nname = "tl"\nkind = "reddit"\n'
                    'subreddits = ["tressless"]\n')
    config = load_config(path)
    assert [is_distributed(s) for s in config.sources] == [True, False]
    assert [s.name for s in worker_sources(config, [])] == ["forum"]
    with pytest.raises(DistributedError, match="'tl' is a reddit source: those crawl in one"):
        seed(config, ["tl"])
    with pytest.raises(DistributedError, match="reddit source"):
        worker_sources(config, ["forum", "tl"])
