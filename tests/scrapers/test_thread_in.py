"""The store pipeline's item -> `ThreadIn` conversion: fields by column name."""

from __future__ import annotations

from datetime import UTC, datetime

from models.store import thread_input_columns
from scrapers.items import ReplyItem, ThreadItem
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
