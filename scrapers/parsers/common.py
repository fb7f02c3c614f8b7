"""Shared parser types and helpers: list entries, thread pages, numbers, times."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.utc import as_utc
from scrapers.parsers.tree import outer_html
from scrapers.text import block_text, element_text, html_to_text


class ParseError(ValueError):
    """A page is not in the expected format (its items are dropped with a counted reason).

    `reason` names the drop counter (`hairlink/dropped/<reason>`) when the page says why it
    is not what it should be (`login_required`, `no_posts`, `unknown_date_format`); without
    one the spider counts `malformed_<page kind>`.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class ListEntry:
    """One thread as a list (forum / latest) page shows it."""

    external_id: str
    url: str
    title: str = ""
    created_at: datetime | None = None
    last_activity_at: datetime | None = None
    num_comments: int | None = None
    score: int | None = None
    category: str | None = None
    author: str | None = None


@dataclass
class ListPage:
    """A page of a thread list and the URL of the next one (None on the last page)."""

    entries: list[ListEntry]
    next_url: str | None = None


class _BodyHtml:
    """`Post.body_html`: the HTML given, else serialised from `body_node` when first read
    (the crawl reads a post through its tree, `Post.text`, and never needs the HTML)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, post: Any, owner: type | None = None) -> Any:
        if post is None:
            return None  # the dataclass default: nothing given
        html = post.__dict__.get(self.slot)
        if html is None:
            html = body_html_of(post.body_node, post.body_block) \
                if post.body_node is not None else ""
            post.__dict__[self.slot] = html
        return html

    def __set__(self, post: Any, html: str | None) -> None:
        post.__dict__[self.slot] = html


def body_html_of(node: Any, block: bool = False) -> str:
    """A post body element as HTML: the element itself, or (`block`) its content in a plain
    `<div>` (a post that is itself a `<blockquote>`, not a quote)."""
    html = outer_html(node)
    if not block:
        return html
    start = html.find(">") + 1
    end = html.rfind("</")
    return "<div>" + html[start:end if end >= start else len(html)] + "</div>"


@dataclass
class Post:
    """One post of a thread page (the opening post or a reply).

    `body_html` may be left out when `body_node` is given: it is then serialised from the
    node on first read (the crawl never reads it)."""

    external_id: str
    body_html: str = _BodyHtml()  # type: ignore[assignment]
    created_at: datetime | None = None
    edited_at: datetime | None = None
    author: str | None = None
    score: int | None = None
    position: int = 0
    # The body's element on the parsed page: `text()` walks it instead of parsing
    # `body_html` again. `body_block`: read it as a plain block (a post that is itself a
    # `<blockquote>`, not a quote).
    body_node: Any = field(default=None, compare=False, repr=False)
    body_block: bool = field(default=False, compare=False, repr=False)

    def remember_text(self, base_url: str | None, text: str) -> None:
        """Keep `text` as `self.text(base_url)` of the current `body_node` and
        `body_block` (a parser that walked the body already). Kept beside the fields
        (`_known_text` in the instance's dict: not a field, compared or copied)."""
        self.__dict__["_known_text"] = (base_url, self.body_node, self.body_block, text)

    def text(self, base_url: str | None = None) -> str:
        """The body as clean text (`scrapers.text.html_to_text(body_html, base_url)`)."""
        known = self.__dict__.get("_known_text")
        if known is not None and known[0] == base_url and known[1] is self.body_node \
                and known[2] == self.body_block:
            return known[3]
        if self.body_node is None:
            return html_to_text(self.body_html or "", base_url)
        if self.body_block:
            return block_text(self.body_node, base_url)
        return element_text(self.body_node, base_url)


@dataclass
class ThreadPage:
    """One page of a thread: its header fields (page 1) and its posts in order."""

    external_id: str
    url: str
    title: str
    posts: list[Post] = field(default_factory=list)
    category: str | None = None
    num_comments: int | None = None
    score: int | None = None
    page: int = 1
    last_page: int = 1
    next_url: str | None = None
    last_activity_at: datetime | None = None
    # Further stored thread columns, by name: each key is a `ThreadItem` field, passed on
    # as it is (a new column a parser fills goes here, not into this class or the spider).
    columns: dict[str, Any] = field(default_factory=dict)


_NUMBER = re.compile(r"^\s*([0-9][0-9.,\s]*)\s*([kKmMbB]?)\s*$")
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def parse_count(text: str | None) -> int | None:
    """"1,234" -> 1234, "1.2K" -> 1200, "3M" -> 3000000; None when not a number."""
    if text is None:
        return None
    match = _NUMBER.match(text.replace("\u00a0", " "))
    if not match:
        return None
    digits, suffix = match.group(1).replace(" ", ""), match.group(2).lower()
    if suffix:
        try:
            value = float(digits.replace(",", ".") if digits.count(",") == 1
                          and "." not in digits else digits.replace(",", ""))
            return round(value * _SUFFIX[suffix])
        except ValueError:
            return None
    cleaned = digits.replace(",", "").replace(".", "")
    return int(cleaned) if cleaned.isdigit() else None


def from_epoch(value: Any) -> datetime | None:
    """A Unix timestamp (int, float or numeric string) as an aware UTC datetime; None when
    absent, not a number, or not a plausible time (not after 1970, after the year 3000)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not 0 < seconds <= 32503680000:  # also false for NaN
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def from_iso(value: str | None) -> datetime | None:
    """An ISO 8601 time ("Z", "+0000" and "+00:00" offsets) as aware UTC; naive = UTC."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    return as_utc(datetime.fromisoformat(text))


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name (UTC when not given); ParseError when unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ParseError(f"unknown time zone {name!r}") from exc


def squash(text: str | None) -> str:
    """Collapse whitespace."""
    return " ".join((text or "").split())
