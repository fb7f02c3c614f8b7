"""Fit a thread item to its columns before the store, so one bad value never fails a batch.

The limits come from the tables (`Thread.__table__`, `Reply.__table__`), as the study store
reads its own: text longer than its column is cut (a `truncated_<field>` note), numbers are
checked against the portable 32-bit range of an `Integer` column (PostgreSQL's; SQLite's is
wider), and times must lie in [1995-01-01, now + 1 day]. What cannot be fitted is a problem
(the item, or the reply, is dropped with that reason); what was fitted is a note, counted
under the same `hairlink/dropped/<note>` keys as drops because part of the item was lost.

Used by the validate and clean pipelines and by the Reddit dump importer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from models.entities import Reply, Thread
from scrapers.items import ReplyItem, ThreadItem

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
# Body text kept per thread or reply (characters); `HAIRLINK_MAX_BODY_CHARS` overrides it.
DEFAULT_MAX_BODY = 200_000
MAX_TITLE = 2000  # title is TEXT: a sane cap, not a column width
MAX_CATEGORY: int = Thread.__table__.c.category.type.length
MAX_EXTERNAL_ID: int = Thread.__table__.c.external_id.type.length
MAX_REPLY_ID: int = Reply.__table__.c.external_id.type.length
MAX_URL: int = Thread.__table__.c.url.type.length
ELLIPSIS = "…"


def in_int_range(value: Any) -> bool:
    """An int an `Integer` column takes on every supported database."""
    return isinstance(value, int) and not isinstance(value, bool) and \
        INT_MIN <= value <= INT_MAX


def plausible_time(value: datetime, now: datetime | None = None) -> bool:
    """An aware time in [1995-01-01, now + 1 day]."""
    now = now or datetime.now(UTC)
    return EARLIEST <= value <= now + FUTURE_SLACK


def cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:max(0, limit - 1)] + ELLIPSIS


def range_problem(item: ThreadItem, now: datetime | None = None) -> str | None:
    """The reason a thread cannot be stored because of a number or time out of range."""
    if item.score is not None and not in_int_range(item.score):
        return "score_out_of_range"
    if not in_int_range(item.num_comments):
        return "num_comments_out_of_range"
    if item.created_at is not None and not plausible_time(item.created_at, now):
        return "created_at_out_of_range"
    return None


def reply_range_problem(reply: ReplyItem) -> str | None:
    """The reason a reply cannot be stored because of a number out of range."""
    if reply.score is not None and not in_int_range(reply.score):
        return "reply_score_out_of_range"
    return None


def fit_fields(item: ThreadItem, now: datetime | None = None) -> list[str]:
    """Cut the title and category to size, clear implausible edit/activity/reply times;
    the notes (`truncated_title`, `cleared_edited_at`...) of what changed. (The clock is
    read once for the item, not once for each of its times.)"""
    notes: list[str] = []
    now = now or datetime.now(UTC)
    if len(item.title) > MAX_TITLE:
        item.title = cut(item.title, MAX_TITLE)
        notes.append("truncated_title")
    if item.category is not None and len(item.category) > MAX_CATEGORY:
        item.category = cut(item.category, MAX_CATEGORY)
        notes.append("truncated_category")
    for name in ("edited_at", "last_activity_at"):
        value = getattr(item, name)
        if value is not None and not plausible_time(value, now):
            setattr(item, name, None)
            notes.append(f"cleared_{name}")
    for reply in item.replies:
        notes += fit_reply_time(reply, now)
    return notes


def fit_reply_time(reply: ReplyItem, now: datetime | None = None) -> list[str]:
    """Clear an implausible reply time; the note (`cleared_reply_created_at`) if it was."""
    if reply.created_at is not None and not plausible_time(reply.created_at, now):
        reply.created_at = None
        return ["cleared_reply_created_at"]
    return []


def fit_reply_body(reply: ReplyItem, limit: int = DEFAULT_MAX_BODY) -> list[str]:
    """Cut a reply's text body to `limit` characters; the note if it was."""
    if reply.body and len(reply.body) > limit:
        reply.body = cut(reply.body, limit)
        return ["truncated_reply_body"]
    return []


def fit_bodies(item: ThreadItem, limit: int = DEFAULT_MAX_BODY) -> list[str]:
    """Cut the thread's and its replies' text bodies to `limit` characters; the notes."""
    notes: list[str] = []
    if item.body and len(item.body) > limit:
        item.body = cut(item.body, limit)
        notes.append("truncated_body")
    for reply in item.replies:
        notes += fit_reply_body(reply, limit)
    return notes
