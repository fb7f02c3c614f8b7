"""Validate items: drop, with a counted reason, whatever the store could not take, and fit
the rest to its columns (`scrapers.pipelines.fit`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from scrapy.exceptions import DropItem

from models.study_store import normalised_ids
from scrapers.items import ReplyItem, StudyItem, ThreadItem
from scrapers.pipelines.fit import (
    MAX_EXTERNAL_ID,
    MAX_REPLY_ID,
    MAX_URL,
    fit_fields,
    fit_reply_time,
    range_problem,
    reply_range_problem,
)

DROPPED_PREFIX = "hairlink/dropped/"
logger = logging.getLogger(__name__)


class Stats(Protocol):
    """What the pipelines count with: Scrapy's stats collector, or any object with its
    `inc_value` (the Reddit dump importer's `DumpImportStats`)."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


def count_drop(stats: Stats | None, reason: str, count: int = 1) -> None:
    """Count `count` dropped items (or pages) under `hairlink/dropped/<reason>`."""
    if stats is not None and count:
        stats.inc_value(DROPPED_PREFIX + reason, count)


class DroppedItem(DropItem):
    """A DropItem carrying a short machine-readable reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


def _aware(value: Any) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None \
        and value.utcoffset() is not None


def thread_problem(item: ThreadItem) -> str | None:
    """The reason a thread item cannot be stored, or None."""
    if not item.source:
        return "missing_source"
    if not item.external_id or len(item.external_id) > MAX_EXTERNAL_ID:
        return "bad_external_id"
    if not item.title or not item.title.strip():
        return "missing_title"
    if not item.url or not item.url.startswith(("http://", "https://")) or \
            len(item.url) > MAX_URL:
        return "bad_url"
    if item.created_at is None:
        return "missing_created_at"
    for value in (item.created_at, item.edited_at, item.last_activity_at):
        if value is not None and not _aware(value):
            return "naive_datetime"
    if item.score is not None and not isinstance(item.score, int):
        return "bad_score"
    if not isinstance(item.num_comments, int) or item.num_comments < 0:
        return "bad_num_comments"
    return range_problem(item)


def reply_problem(reply: ReplyItem) -> str | None:
    """The drop reason of a reply that cannot be stored (its stats key), or None."""
    if not reply.external_id or len(reply.external_id) > MAX_REPLY_ID:
        return "bad_reply_id"
    if reply.created_at is not None and not _aware(reply.created_at):
        return "reply_naive_datetime"
    return reply_range_problem(reply)


def count_notes(stats: Stats | None, item: ThreadItem, notes: list[str]) -> None:
    """Count what fitting changed (`hairlink/dropped/truncated_body`...) and log it once."""
    for note in notes:
        count_drop(stats, note)
    if notes:
        logger.warning("thread %r of %r fitted to its columns: %s", item.external_id,
                       item.source, ", ".join(sorted(set(notes))))


class ValidatePipeline:
    """Drop invalid threads (counted by reason); bad replies are dropped from their thread."""

    def __init__(self, stats: Stats | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ThreadItem):
            return self.validate_thread(item)
        if isinstance(item, StudyItem):
            if not normalised_ids({"pmid": item.pmid, "doi": item.doi, "pmcid": item.pmcid}):
                count_drop(self.stats, "study_without_identifier")
                raise DroppedItem("study_without_identifier", item.title[:80])
            return item
        count_drop(self.stats, "unknown_item_type")
        raise DroppedItem("unknown_item_type", type(item).__name__)

    def validate_thread(self, item: ThreadItem) -> ThreadItem:
        """The thread with its bad and repeated replies dropped, fitted to its columns;
        DroppedItem (counted) when it cannot be stored at all."""
        reason = thread_problem(item)
        if reason:
            count_drop(self.stats, reason)
            raise DroppedItem(reason, f"thread {item.external_id!r} of {item.source!r}")
        kept: list[ReplyItem] = []
        seen: set[str] = set()
        for reply in item.replies:
            if reply.external_id in seen and reply_problem(reply) is None:
                count_drop(self.stats, "reply_duplicate_reply")
                continue
            if self.validate_reply(reply):
                seen.add(reply.external_id)
                kept.append(reply)
        item.replies = kept
        count_notes(self.stats, item, fit_fields(item))
        return item

    def validate_reply(self, reply: ReplyItem) -> bool:
        """Whether a reply can be stored, else its reason is counted. The Reddit dump
        importer's comments pass here too."""
        problem = reply_problem(reply)
        if problem:
            count_drop(self.stats, problem)
            return False
        return True

    def fit_reply(self, reply: ReplyItem) -> None:
        """Clear an implausible reply time, counted (`cleared_reply_created_at`)."""
        for note in fit_reply_time(reply):
            count_drop(self.stats, note)
