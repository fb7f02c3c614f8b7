"""The store pipeline's item -> `ThreadIn` conversion: fields by column name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from models.store import thread_input_columns
from scrapers import forum_spider
from scrapers.forum_spider import ForumSpider
from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers.common import Post, ThreadPage
from scrapers.pipelines.store import thread_in

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_thread_in_copies_fields_named_like_columns_and_the_hashed_author() -> None:
    item = ThreadItem(source="f", external_id="7", url="https://forum.test/t/7",
                      title="Dutasteride switch", created_at=T0, body=None, category="Hair",
                      score=3, num_comments=2, edited_at=T0, last_activity_at=T0,
                      author="h" * 64, body_html="<p>x</p>",
                      replies=[ReplyItem(external_id="r", body=None, score=1, author="a" * 64)])
    got = thread_in(item)
    assert got["author_hash"] == "h" * 64 and got["body"] == ""
    assert {k: got[k] for k in ("external_id", "url", "title", "category", "score",  # type: ignore[literal-required]
                                "num_comments", "created_at", "edited_at",
                                "last_activity_at")} == {
        "external_id": "7", "url": "https://forum.test/t/7", "title": "Dutasteride switch",
        "category": "Hair", "score": 3, "num_comments": 2, "created_at": T0, "edited_at": T0,
        "last_activity_at": T0}
    assert "source" not in got and "body_html" not in got and "author" not in got
    assert set(got) - {"replies"} <= set(thread_input_columns())
    assert got["replies"] == [{"external_id": "r", "body": "", "score": 1,
                               "author_hash": "a" * 64, "created_at": None}]


def test_a_forum_page_passes_further_columns_to_the_item_by_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A forum parser fills a new column in `ThreadPage.columns`; the base spider passes it
    to the `ThreadItem` field of that name (no line in the spider or in ThreadPage)."""

    @dataclass
    class WithViews(ThreadItem):
        views: int | None = None

    monkeypatch.setattr(forum_spider, "ThreadItem", WithViews)
    page = ThreadPage(external_id="7", url="https://forum.test/t/7", title="Dutasteride",
                      columns={"views": 1234})
    opening = Post(external_id="p1", body_html="<p>switched</p>", created_at=T0)
    spider = SimpleNamespace(source_name="f")
    item = ForumSpider.thread_item(spider, page, opening, 0, None)  # type: ignore[arg-type]
    assert isinstance(item, WithViews)
    assert (item.views, item.title, item.body, item.created_at) == (1234, "Dutasteride",
                                                                   "switched", T0)
    page.columns = {"no_such_field": 1}
    with pytest.raises(TypeError):
        ForumSpider.thread_item(spider, page, opening, 0, None)  # type: ignore[arg-type]
