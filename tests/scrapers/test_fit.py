"""Items are fitted or dropped one by one before the store; a batch the database still
refuses is retried row by row, so one bad value never loses the other threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models.entities import Thread
from scrapers.database import CrawlDatabase, SourceRef
from scrapers.items import ReplyItem, ThreadItem
from scrapers.pipelines.clean import CleanPipeline
from scrapers.pipelines.fit import MAX_CATEGORY, fit_fields
from scrapers.pipelines.store import StorePipeline
from scrapers.pipelines.validate import DROPPED_PREFIX, ValidatePipeline, thread_problem
from scrapers.text import html_to_text

NOW = datetime.now(UTC)


def thread(n: int = 1, **fields: object) -> ThreadItem:
    values: dict[str, object] = {
        "source": "forum", "external_id": str(n), "url": f"https://f.example/t/{n}",
        "title": f"Thread {n}", "created_at": NOW - timedelta(days=1), "body": "text",
        "score": 3, "num_comments": 1}
    values.update(fields)
    return ThreadItem(**values)  # type: ignore[arg-type]


class FakeCrawler:
    def __init__(self) -> None:
        self.stats = MemoryStatsCollector(SimpleNamespace(settings=Settings({"STATS_DUMP": False})))

    def dropped(self) -> dict[str, int]:
        return {k[len(DROPPED_PREFIX):]: v for k, v in self.stats.get_stats().items()
                if k.startswith(DROPPED_PREFIX)}


def test_numbers_and_dates_out_of_range_are_problems() -> None:
    assert thread_problem(thread()) is None
    assert thread_problem(thread(score=2**31)) == "score_out_of_range"
    assert thread_problem(thread(score=-(2**31) - 1)) == "score_out_of_range"
    assert thread_problem(thread(score=2**31 - 1)) is None
    assert thread_problem(thread(num_comments=10**12)) == "num_comments_out_of_range"
    assert thread_problem(thread(created_at=datetime(2100, 1, 1, tzinfo=UTC))) == \
        "created_at_out_of_range"
    assert thread_problem(thread(created_at=datetime(1994, 12, 31, tzinfo=UTC))) == \
        "created_at_out_of_range"
    assert thread_problem(thread(created_at=NOW + timedelta(hours=20))) is None


def test_text_is_cut_to_its_column_and_implausible_times_cleared() -> None:
    item = thread(category="x" * 500, title="t" * 5000,
                  edited_at=datetime(2100, 1, 1, tzinfo=UTC),
                  replies=[ReplyItem("r1", body="ok", created_at=datetime(1970, 1, 1,
                                                                          tzinfo=UTC))])
    notes = fit_fields(item)
    assert sorted(notes) == ["cleared_edited_at", "cleared_reply_created_at",
                             "truncated_category", "truncated_title"]
    assert item.category is not None and len(item.category) == MAX_CATEGORY == 200
    assert item.category.endswith("…") and len(item.title) == 2000
    assert item.edited_at is None and item.replies[0].created_at is None


def test_validate_pipeline_drops_and_counts_each_item_on_its_own() -> None:
    crawler = FakeCrawler()
    pipeline = ValidatePipeline(crawler.stats)
    kept = pipeline.process_item(thread(1, category="c" * 300, replies=[
        ReplyItem("a", body="x", score=2**40), ReplyItem("b", body="y", score=4)]))
    assert [r.external_id for r in kept.replies] == ["b"]
    with pytest.raises(DropItem):
        pipeline.process_item(thread(2, score=10**20))
    with pytest.raises(DropItem):
        pipeline.process_item(thread(3, created_at=datetime(2100, 1, 1, tzinfo=UTC)))
    assert crawler.dropped() == {"reply_score_out_of_range": 1, "truncated_category": 1,
                                 "score_out_of_range": 1, "created_at_out_of_range": 1}


def test_a_huge_post_is_kept_up_to_the_cap_and_counted() -> None:
    words = "intro " + "word " * 4_000_000  # 20 MB in one text node
    html = f"<div><p>{words}</p><p>tail</p></div>"
    # libxml2 drops a text node over 10 MB unless told otherwise: the text must survive.
    assert len(html_to_text(html)) > 19_000_000
    assert html_to_text(html)[:10] == "intro word"
    crawler = FakeCrawler()
    pipeline = CleanPipeline(max_body=1000, stats=crawler.stats)
    item = pipeline.process_item(thread(body=None, body_html=html))
    assert len(item.body) == 1000 and item.body.startswith("intro word") and \
        item.body.endswith("…")
    assert crawler.dropped() == {"truncated_body": 1}


def test_a_batch_the_database_refuses_is_stored_row_by_row(engine: Engine) -> None:
    crawler = FakeCrawler()
    database = CrawlDatabase(source=SourceRef("forum", "discourse", "https://f.example"),
                             engine=engine)
    store = StorePipeline(database, crawler.stats, batch_size=100)
    items = [thread(n) for n in range(1, 6)]
    items[2].score = 2**70  # past validation: no database column takes it
    for item in items:
        store.process_item(item)
    store.close_spider()
    with Session(engine) as session:
        ids = sorted(session.scalars(select(Thread.external_id)))
        assert session.scalar(select(func.count()).select_from(Thread)) == 4
    assert ids == ["1", "2", "4", "5"]
    assert crawler.dropped() == {"store_failed": 1}
    assert crawler.stats.get_value("hairlink/store_errors") is None
    assert crawler.stats.get_value("hairlink/stored") == 4
