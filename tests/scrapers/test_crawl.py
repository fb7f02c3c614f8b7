"""The real spiders, crawled in process (`tests.scrapers.inprocess`, the crawl-run row
written as `python -m scrapers.run` writes it) against a loopback forum, per engine and per
database: pagination, replies, incremental re-crawl, --full."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from scrapers.loopback import LoopbackServer
from tests.scrapers.crawlkit import describe, stored, thread_pages, write_config
from tests.scrapers.fake_threads import FakePost, make_threads
from tests.scrapers.inprocess import run_crawl
from tests.scrapers.sites import THIRD_LIST_PAGE, serve

ENGINES = ["discourse", "xenforo", "phpbb", "vbulletin", "xenforo1"]
REPLIES = 22


def forum(count: int = 70):  # type: ignore[no-untyped-def]
    """`count` threads a day apart; the first 10 have 24 posts (reply paging), the rest 3."""
    threads = make_threads(count, posts_per_thread=24, age_step=timedelta(days=1))
    for thread in threads[10:]:
        del thread.posts[3:]
    return threads


def field_accuracy(kind: str, threads: list, db: Any) -> tuple[float, float]:  # type: ignore[type-arg]
    """(share of the site's threads stored, share of checked fields stored right): title,
    category, created time, reply count, score (None where the engine has none), author
    hashed, a cited link in the body, replies kept."""
    checked = right = 0
    for thread in threads:
        row = db.threads.get(str(thread.thread_id))
        if row is None:
            continue
        expected_score = None if kind == "phpbb" else thread.likes
        fields = [
            row.title == thread.title, row.category == thread.category,
            row.created_at == thread.created_at, row.num_comments == len(thread.posts) - 1,
            row.score == expected_score,
            bool(row.author_hash) and thread.posts[0].author not in (row.author_hash or ""),
            f"https://pubmed.ncbi.nlm.nih.gov/{30000 + thread.thread_id - 100}/" in row.body,
            db.replies.get(str(thread.thread_id), 0) == min(REPLIES, len(thread.posts) - 1),
        ]
        checked += len(fields)
        right += sum(fields)
    coverage = sum(str(t.thread_id) in db.threads for t in threads) / len(threads)
    return coverage, right / checked if checked else 0.0


@pytest.mark.slow
@pytest.mark.parametrize("kind", ENGINES)
def test_crawl_then_incremental_recrawl(kind: str, db_url: str, tmp_path: Path) -> None:
    threads = forum()
    with LoopbackServer() as server:
        serve(kind, server, threads)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, kind,
                              extra=f"replies = {REPLIES}\nrefresh_days = 7")
        first = run_crawl(config, "forum")
        assert first.returncode == 0, describe(first)
        summary = json.loads(first.stdout.strip().splitlines()[-1])
        assert summary["status"] == "finished" and summary["items"] == 70

        db = stored(db_url)
        assert len(db.threads) == 70 == db.total_rows
        coverage, accuracy = field_accuracy(kind, threads, db)
        assert coverage == 1.0 and accuracy >= 0.98, (coverage, accuracy)
        big, small = db.threads["100"], db.threads["150"]
        assert big.title == "Thread 0 about minoxidil and fin"
        assert big.num_comments == 23 and db.replies["100"] == REPLIES
        assert small.num_comments == 2 and db.replies["150"] == 2
        assert big.category == threads[0].category and small.category == threads[50].category
        if kind == "phpbb":
            assert big.score is None
        else:
            assert big.score == threads[0].likes and small.score == threads[50].likes
        assert big.created_at == threads[0].created_at
        assert "https://pubmed.ncbi.nlm.nih.gov/30000/" in big.body
        assert big.author_hash and len(big.author_hash) == 64 and "user" not in big.author_hash
        assert db.snapshots["100"] == 1
        run = db.runs[-1]
        assert (run.status, run.items, run.source_name) == ("finished", 70, "forum")
        assert run.pages >= 70 and run.finished_at is not None and run.dropped == {}
        assert server.count(THIRD_LIST_PAGE[kind]) == 1
        assert thread_pages(kind, server, 165) == 1

        # Second crawl: thread 0 gained a like and a reply, a new thread appeared.
        hot = threads[0]
        hot.posts[0].likes += 5
        hot.posts.append(FakePost(99999, "late", "late reply", hot.posts[-1].created_at +
                                  timedelta(minutes=5)))
        newest = make_threads(1, posts_per_thread=2, age_step=timedelta(minutes=30),
                              first_id=999)[0]
        threads.insert(0, newest)
        server.exact.clear()
        server.prefixes.clear()
        serve(kind, server, threads)
        second = run_crawl(config, "forum")
        assert second.returncode == 0, describe(second)
        db = stored(db_url)
        assert len(db.threads) == 71 == db.total_rows
        assert db.threads["100"].num_comments == 24
        if kind != "phpbb":
            assert db.threads["100"].score == hot.likes
        assert db.snapshots["100"] == 2
        assert db.replies["100"] == REPLIES
        assert db.threads["999"].title == newest.title
        # Paging stopped at the first page that was wholly old and known.
        assert server.count(THIRD_LIST_PAGE[kind]) == 1
        assert thread_pages(kind, server, 165) == 1
        assert db.runs[-1].status == "finished"

        if "postgresql" in db_url:
            return  # --full is storage-independent; once on SQLite is enough
        full = run_crawl(config, "forum", args=("--full",))
        assert full.returncode == 0, describe(full)
        assert server.count(THIRD_LIST_PAGE[kind]) == 2
        assert thread_pages(kind, server, 165) == 2
        assert stored(db_url).total_rows == 71
