"""Worker processes against the real Redis and PostgreSQL, crawling a loopback Discourse site:
shared work stored exactly once, a SIGKILLed worker recovered by the next seed, and a re-seed
inside the refresh window that re-visits recent threads only."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from benchmarks.distributed import (
    discourse_site,
    make_topics,
    worker_command,
    worker_env,
    write_config,
)
from models.config import load_config
from models.db import make_engine
from models.entities import Thread
from scrapers.distributed.frontier import Keys
from scrapers.distributed.seeding import seed
from scrapers.distributed.status import queue_status
from scrapers.loopback import LoopbackServer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
WAIT = 240.0


def _spawn(cmd: list[str], prefix: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=worker_env(prefix), stdout=subprocess.PIPE,
                            stderr=log.open("wb"), cwd=Path(__file__).resolve().parents[2])


def _finish(proc: subprocess.Popen[bytes], log: Path) -> dict[str, dict[str, int]]:
    try:
        out, _ = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"worker did not finish; log tail:\n{log.read_text()[-3000:]}") \
            from None
    assert proc.returncode == 0, log.read_text()[-3000:]
    return json.loads(out.decode())


def _thread_fetches(server: LoopbackServer) -> Counter[str]:
    return Counter(t for _, t in server.requests if t.startswith("/t/"))


def _stored(db_url: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Thread)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(Thread.external_id)))).scalar_one()
    engine.dispose()
    return total, distinct


def test_two_workers_share_one_seeded_crawl(tmp_path: Path, pg_url: str, redis_url: str,
                                           prefix: str, rclient: redis.Redis) -> None:
    count = 2000
    with LoopbackServer() as server:
        discourse_site(server, make_topics(count, recent=0, now=datetime.now(UTC)))
        # Thread pages answer after 30 ms: a site as slow as a real one, so the worker that
        # starts second (the CLI one) still finds work (a fast crawl let the first take all)
        server.fault("stall", times=1, pattern=r"^/t/", stall=0.03)
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        [seeded] = seed(load_config(path), ["forum"])
        assert seeded.seeded == 1
        module_worker = _spawn(worker_command(path, 4, exit_when_idle=3), prefix,
                               tmp_path / "a.log")
        cli_worker = _spawn([sys.executable, "-m", "hairlink", "--config", str(path), "worker",
                             "--concurrency", "4", "--exit-when-idle", "3"], prefix,
                            tmp_path / "b.log")
        a = _finish(module_worker, tmp_path / "a.log")["forum"]
        b = _finish(cli_worker, tmp_path / "b.log")["forum"]
        fetches = _thread_fetches(server)
        lists = Counter(t for _, t in server.requests if t.startswith("/latest.json"))
        served = len(server.requests)  # thread and list pages, categories, robots.txt
    assert _stored(pg_url) == (count, count)
    assert len(fetches) == count and set(fetches.values()) == {1}  # each thread page once
    assert len(lists) == count // 30 + 1 and set(lists.values()) == {1}
    assert a["pages"] > 50 and b["pages"] > 50, (a, b)  # both workers did real work
    assert a["pages"] + b["pages"] == served
    keys = Keys(prefix)
    assert rclient.zcard(keys.requests("forum")) == 0
    assert not list(rclient.scan_iter(match=keys.taken_pattern("forum")))
    assert not list(rclient.scan_iter(match=keys.workers_pattern()))  # clean exits


def test_killed_worker_is_recovered_by_the_next_seed(tmp_path: Path, pg_url: str,
                                                     redis_url: str, prefix: str,
                                                     rclient: redis.Redis) -> None:
    count = 1200
    keys = Keys(prefix)
    with LoopbackServer() as server:
        discourse_site(server, make_topics(count, recent=0, now=datetime.now(UTC)))
        # Thread pages answer after 50 ms, so a working victim always holds taken requests
        # (with a fast crawl the site could be done between two looks at the victim's ledger).
        server.fault("stall", times=1, pattern=r"^/t/", stall=0.05)
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        config = load_config(path)
        seed(config, ["forum"])
        victim = _spawn(worker_command(path, 8, exit_when_idle=3, heartbeat_ttl=3), prefix,
                        tmp_path / "victim.log")
        survivor = _spawn(worker_command(path, 4, exit_when_idle=3, heartbeat_ttl=3), prefix,
                          tmp_path / "survivor.log")
        deadline = time.monotonic() + WAIT

        def victim_holding() -> str | None:
            """The victim's id once it holds taken requests (an idle victim waits for work
            up to its pickup interval, so 400 pages served alone does not say it holds any)."""
            workers = queue_status(redis_url, ["forum"], prefix=prefix)["workers"]
            ids = [w["id"] for w in workers if w["pid"] == victim.pid]
            return ids[0] if ids and rclient.hlen(keys.taken("forum", ids[0])) else None

        while len(server.requests) < 400 or (victim_id := victim_holding()) is None:
            assert time.monotonic() < deadline and victim.poll() is None, "no progress"
            time.sleep(0.05)
        victim.kill()  # SIGKILL: no clean-up, its taken requests stay in its ledger
        victim.wait()
        _finish(survivor, tmp_path / "survivor.log")
        # The survivor finished everything that was queued...
        assert rclient.zcard(keys.requests("forum")) == 0
        lost = rclient.hlen(keys.taken("forum", victim_id))
        assert lost > 0  # ...but what the victim had taken is not done
        assert not rclient.exists(keys.worker(victim_id))  # its heartbeat expired
        stored_before, _ = _stored(pg_url)
        assert stored_before < count
        # The next scheduled run: seed again, one worker.
        [again] = seed(config, ["forum"])
        assert again.requeued == lost
        _finish(_spawn(worker_command(path, 8, exit_when_idle=3), prefix,
                       tmp_path / "next.log"), tmp_path / "next.log")
        fetches = _thread_fetches(server)
    assert _stored(pg_url) == (count, count)
    assert len(fetches) == count
    assert not list(rclient.scan_iter(match=keys.taken_pattern("forum")))


def test_reseed_inside_the_refresh_window_revisits_recent_threads_only(
        tmp_path: Path, pg_url: str, redis_url: str, prefix: str) -> None:
    count, recent, per_page = 300, 60, 30
    topics = make_topics(count, recent=recent, now=datetime.now(UTC))
    with LoopbackServer() as server:
        discourse_site(server, topics, per_page=per_page)
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url,
                            refresh_days=1)
        config = load_config(path)
        for round_no in (1, 2):
            seed(config, ["forum"])
            _finish(_spawn(worker_command(path, 4, exit_when_idle=2), prefix,
                           tmp_path / f"round{round_no}.log"), tmp_path / f"round{round_no}.log")
            if round_no == 1:
                assert _stored(pg_url) == (count, count)
                assert set(_thread_fetches(server).values()) == {1}
        fetches = _thread_fetches(server)
        lists = Counter(t for _, t in server.requests if t.startswith("/latest.json"))
    recent_ids = {t.topic_id for t in topics[:recent]}
    for topic in topics:
        expected = 2 if topic.topic_id in recent_ids else 1
        assert fetches[f"/t/{topic.topic_id}.json"] == expected, topic
    # Pages 0-1 hold the recent threads, page 2 is the first all-old page: paging stops there.
    assert [lists[f"/latest.json?page={n}"] for n in range(count // per_page)] == \
        [2, 2, 2] + [1] * (count // per_page - 3)
    assert _stored(pg_url) == (count, count)


def test_sigterm_gives_unfinished_requests_back(tmp_path: Path, pg_url: str, redis_url: str,
                                                prefix: str, rclient: redis.Redis) -> None:
    import signal

    count = 600
    keys = Keys(prefix)
    with LoopbackServer() as server:
        discourse_site(server, make_topics(count, recent=0, now=datetime.now(UTC)))
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        seed(load_config(path), ["forum"])
        worker = _spawn(worker_command(path, 8), prefix, tmp_path / "w.log")
        deadline = time.monotonic() + WAIT
        while len(server.requests) < 150:
            assert time.monotonic() < deadline and worker.poll() is None, "no progress"
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _finish(worker, tmp_path / "w.log")
        # Nothing is left in its ledger, its heartbeat is gone, the rest waits in the queue.
        assert not list(rclient.scan_iter(match=keys.taken_pattern("forum")))
        assert not list(rclient.scan_iter(match=keys.workers_pattern()))
        assert rclient.zcard(keys.requests("forum")) > 0
        _finish(_spawn(worker_command(path, 8, exit_when_idle=2), prefix,
                       tmp_path / "w2.log"), tmp_path / "w2.log")
    assert _stored(pg_url) == (count, count)


def test_one_worker_serves_xenforo_and_phpbb_with_paged_threads(
        tmp_path: Path, pg_url: str, redis_url: str, prefix: str) -> None:
    from tests.scrapers.fake_threads import make_threads
    from tests.scrapers.site_phpbb import serve_phpbb
    from tests.scrapers.site_xenforo import serve_xenforo

    xf_threads = make_threads(40, posts_per_thread=5, first_id=100)
    bb_threads = make_threads(40, posts_per_thread=5, first_id=500)
    with LoopbackServer() as server:
        serve_xenforo(server, xf_threads, forum="hair.4", posts_per_page=2)
        serve_phpbb(server, bb_threads, forum_id=2, posts_per_page=2)
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        path.write_text(path.read_text() + (
            f'\n[[sources]]\nname = "xf"\nkind = "xenforo"\nbase_url = "{server.base_url}"\n'
            'forums = ["hair.4"]\ndelay = 0\n'
            f'\n[[sources]]\nname = "bb"\nkind = "phpbb"\nbase_url = "{server.base_url}"\n'
            'forums = [2]\ntimezone = "UTC"\ndelay = 0\n'))
        config = load_config(path)
        assert [r.seeded for r in seed(config, ["xf", "bb"])] == [1, 1]
        cmd = [*worker_command(path, 4, exit_when_idle=2), "--sources", "xf", "bb"]
        counters = _finish(_spawn(cmd, prefix, tmp_path / "w.log"), tmp_path / "w.log")
    assert counters["xf"]["items"] == 40 and counters["bb"]["items"] == 40, counters
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        from models.entities import Reply, Source

        rows = conn.execute(select(Source.name, func.count(func.distinct(Thread.id)),
                                   func.count(Reply.id))
                            .join(Thread, Thread.source_id == Source.id)
                            .join(Reply, Reply.thread_id == Thread.id)
                            .group_by(Source.name)).all()
    engine.dispose()
    # Every thread with its 4 replies: pages 2 and 3 of each thread were crawled from the
    # queue with the partly built thread riding along in cb_kwargs.
    assert sorted(rows) == [("bb", 40, 160), ("xf", 40, 160)]


def test_one_worker_serves_vbulletin_and_xenforo_1_with_paged_threads(
        tmp_path: Path, pg_url: str, redis_url: str, prefix: str) -> None:
    from tests.scrapers.fake_threads import make_threads
    from tests.scrapers.site_vbulletin import serve_vbulletin
    from tests.scrapers.site_xenforo import serve_xenforo1

    vb_threads = make_threads(30, posts_per_thread=5, first_id=100)
    xf_threads = make_threads(30, posts_per_thread=5, first_id=500)
    with LoopbackServer() as server:
        serve_vbulletin(server, vb_threads, forum_id=2, posts_per_page=2)
        serve_xenforo1(server, xf_threads, forum="hair.4", posts_per_page=2)
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        path.write_text(path.read_text() + (
            f'\n[[sources]]\nname = "vb"\nkind = "vbulletin"\nbase_url = "{server.base_url}"\n'
            'forums = [2]\ndelay = 0\n'
            f'\n[[sources]]\nname = "xf1"\nkind = "xenforo"\nbase_url = "{server.base_url}"\n'
            'forums = ["hair.4"]\ntimezone = "America/New_York"\ndelay = 0\n'))
        config = load_config(path)
        assert [r.seeded for r in seed(config, ["vb", "xf1"])] == [1, 1]
        cmd = [*worker_command(path, 4, exit_when_idle=2), "--sources", "vb", "xf1"]
        counters = _finish(_spawn(cmd, prefix, tmp_path / "w.log"), tmp_path / "w.log")
    assert counters["vb"]["items"] == 30 and counters["xf1"]["items"] == 30, counters
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        from models.entities import Reply, Source

        rows = conn.execute(select(Source.name, func.count(func.distinct(Thread.id)),
                                   func.count(Reply.id), func.sum(Thread.score))
                            .join(Thread, Thread.source_id == Source.id)
                            .join(Reply, Reply.thread_id == Thread.id)
                            .group_by(Source.name)).all()
    engine.dispose()
    # Pages 2 and 3 of every thread came from the shared queue with the partly built thread
    # in cb_kwargs; scores are the thanks boxes (vBulletin) and likes (XenForo 1).
    likes = 4 * sum(t.likes for t in vb_threads)  # summed over the 4 reply rows per thread
    assert sorted((name, threads, replies) for name, threads, replies, _ in rows) == \
        [("vb", 30, 120), ("xf1", 30, 120)]
    assert dict((name, score) for name, _, _, score in rows)["vb"] == likes


def test_a_worker_whose_crawl_cannot_start_exits_as_failed(tmp_path: Path, pg_url: str,
                                                            redis_url: str, prefix: str) -> None:
    """An empty author salt file stops the spider at open: the worker says so in one line
    and exits 1 (not 0 with nothing crawled, as if the queue had been empty)."""
    with LoopbackServer() as server:
        discourse_site(server, make_topics(5, recent=0, now=datetime.now(UTC)))
        path = write_config(tmp_path / "hairlink.toml", server.base_url, pg_url, redis_url)
        seed(load_config(path), ["forum"])
        salt = tmp_path / "empty.salt"
        salt.write_text("\n", encoding="utf-8")
        env = {**worker_env(prefix), "HAIRLINK_AUTHOR_SALT_FILE": str(salt)}
        env.pop("HAIRLINK_AUTHOR_SALT", None)
        for cmd in (worker_command(path, 2, exit_when_idle=1),
                    [sys.executable, "-m", "hairlink", "--config", str(path), "worker",
                     "--exit-when-idle", "1"]):
            done = subprocess.run(cmd, env=env, capture_output=True, timeout=WAIT,
                                  cwd=Path(__file__).resolve().parents[2])
            assert done.returncode == 1, done.stderr.decode()[-2000:]
            errors = [line for line in done.stderr.decode().splitlines()
                      if line.startswith("error:")]
            assert len(errors) == 1 and "a crawl failed" in errors[0] \
                and "salt file" in errors[0] and "is empty" in errors[0], errors
            assert "Traceback" not in done.stderr.decode().split("error:")[-1]
