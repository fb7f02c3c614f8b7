"""The pipelines and extensions as Scrapy components: built `from_crawler` by
`scrapy.utils.test.get_crawler` with plain settings, under any spider class, and in a real
in-process crawl of a plain `scrapy.Spider` against the loopback server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import scrapy
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models.crawl_runs import create_run
from models.entities import CrawlRun, Source, Thread
from scrapers.database import CrawlDatabase, SourceRef, crawl_database
from scrapers.extensions import CrawlRunProgress
from scrapers.items import ReplyItem, ThreadItem
from scrapers.loopback import LoopbackServer
from scrapers.pipelines.authors import AuthorHashPipeline, hash_author, load_salt
from scrapers.pipelines.store import StorePipeline
from tests.scrapers.inprocess import crawl, hairlink_crawler

NOW = datetime.now(UTC).replace(microsecond=0)
SOURCE = SourceRef("board", "discourse", "https://board.example")


def _settings(db_url: str, **more: Any) -> dict[str, Any]:
    return {"HAIRLINK_DATABASE_URL": db_url, "HAIRLINK_SOURCE": SOURCE.setting(), **more}


def _thread(n: int, **fields: Any) -> ThreadItem:
    values: dict[str, Any] = {
        "source": SOURCE.name, "external_id": str(n), "url": f"https://board.example/t/{n}",
        "title": f"Thread {n}", "created_at": NOW - timedelta(days=1), "body": "text",
        "author": "alice", "replies": [ReplyItem(f"{n}r", body="reply", author="bob")]}
    values.update(fields)
    return ThreadItem(**values)


def test_the_database_component_reads_its_settings(engine: Engine, db_url: str) -> None:
    crawler = hairlink_crawler(scrapy.Spider, **_settings(db_url))
    database = crawl_database(crawler)
    assert database.url == db_url and database.source == SOURCE
    source_id = database.source_id()
    with Session(database.engine) as session:
        assert session.get(Source, source_id).name == "board"  # type: ignore[union-attr]
    with pytest.raises(RuntimeError, match="in a crawl of 'board'"):
        database.source_id(name="other")
    # From the command line the source comes as JSON text.
    text = hairlink_crawler(scrapy.Spider, HAIRLINK_SOURCE=json.dumps(SOURCE.setting()))
    assert crawl_database(text).source == SOURCE and not crawl_database(text).configured
    with pytest.raises(RuntimeError, match="HAIRLINK_DATABASE_URL"):
        _ = crawl_database(text).engine


def test_store_pipeline_under_any_spider_class(engine: Engine, db_url: str) -> None:
    crawler = hairlink_crawler(scrapy.Spider, **_settings(db_url, HAIRLINK_STORE_BATCH=2))
    crawler.stats.open_spider()
    store = build_from_crawler(StorePipeline, crawler)
    hasher = build_from_crawler(AuthorHashPipeline, crawler)
    hasher.open_spider()
    for n in (1, 2, 3):
        store.process_item(hasher.process_item(_thread(n)))
    with Session(engine) as session:  # a batch of 2 went in; the third waits for close
        assert sorted(session.scalars(select(Thread.external_id))) == ["1", "2"]
    store.close_spider()
    with Session(engine) as session:
        rows = session.scalars(select(Thread).order_by(Thread.external_id)).all()
        assert [r.external_id for r in rows] == ["1", "2", "3"]
        assert rows[0].author_hash == hash_author(load_salt(engine), "alice")
    stats = crawler.stats.get_stats()
    assert stats["hairlink/stored"] == 3 and stats["hairlink/threads/inserted"] == 3
    assert stats["hairlink/threads/replies"] == 3


def test_an_item_of_another_source_is_not_stored_under_this_one(engine: Engine,
                                                                db_url: str) -> None:
    crawler = hairlink_crawler(scrapy.Spider, **_settings(db_url))
    crawler.stats.open_spider()
    store = build_from_crawler(StorePipeline, crawler)
    store.process_item(_thread(1, source="elsewhere"))
    store.close_spider()
    with Session(engine) as session:
        assert session.scalars(select(Thread)).all() == []
    assert crawler.stats.get_value("hairlink/dropped/store_failed") == 1


def test_author_hash_without_a_database_is_still_one_way() -> None:
    crawler = hairlink_crawler(scrapy.Spider)
    pipeline = build_from_crawler(AuthorHashPipeline, crawler)
    pipeline.open_spider()
    item = pipeline.process_item(_thread(1))
    assert item.author not in (None, "alice") and len(item.author) == 64
    assert item.replies[0].author == hash_author(pipeline.salt or "", "bob")
    again = build_from_crawler(AuthorHashPipeline, hairlink_crawler(scrapy.Spider))
    assert again.process_item(_thread(1)).author != item.author  # a fresh random salt


def test_progress_extension_is_not_configured_without_a_run(db_url: str) -> None:
    crawler = hairlink_crawler(scrapy.Spider, **_settings(db_url))
    assert crawler.get_extension(CrawlRunProgress) is None
    assert crawler.get_extension(CrawlDatabase) is not None


class PlainSpider(scrapy.Spider):
    """Not a hairlink spider: reads a JSON list of threads, one item per entry."""

    name = "plain"

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.url)

    def parse(self, response: Response) -> Any:
        for entry in json.loads(response.text):
            yield _thread(entry["id"], title=entry["title"], body=None,
                          body_html=f"<p>{entry['title']} <a href='/x'>link</a></p>")


def test_a_plain_spider_crawl_is_validated_cleaned_hashed_stored_and_counted(
        engine: Engine, db_url: str) -> None:
    run_id = create_run(engine, SOURCE.name, "plain")
    entries = [{"id": n, "title": f"Thread {n} about fin"} for n in range(1, 6)]
    entries.append({"id": 9, "title": "   "})  # dropped by the validate pipeline
    with LoopbackServer() as server:
        server.add("/threads.json", json.dumps(entries).encode(),
                   headers={"Content-Type": "application/json"})
        crawler = hairlink_crawler(PlainSpider, **_settings(
            db_url, HAIRLINK_RUN_ID=run_id, HAIRLINK_PROGRESS_SECONDS=0.05,
            ROBOTSTXT_OBEY=False, AUTOTHROTTLE_ENABLED=False, DOWNLOAD_DELAY=0))
        crawl(crawler, url=server.url("/threads.json"))
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    assert stats["item_scraped_count"] == 5 and stats["hairlink/dropped/missing_title"] == 1
    with Session(engine) as session:
        rows = session.scalars(select(Thread).order_by(Thread.id)).all()
        assert [r.external_id for r in rows] == ["1", "2", "3", "4", "5"]
        assert rows[0].body == "Thread 1 about fin link (https://board.example/x)"
        assert rows[0].author_hash == hash_author(load_salt(engine), "alice")
        run = session.get(CrawlRun, run_id)
        assert run is not None
        # The progress extension's last write, at spider_closed.
        assert (run.items, run.pages, run.dropped) == (5, 1, {"missing_title": 1})
