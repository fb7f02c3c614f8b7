"""Pure parsing of Reddit JSON: listings, comment trees and dump records -> items.

Every function here is a function of already-decoded JSON, so the spider, the dump importer
and the tests share one code path. Bodies are Reddit markdown turned into plain text with
link targets kept as plain URLs (the linker looks for paper URLs, DOIs and PMIDs there).

`escaped=True` is for payloads fetched without `raw_json=1` (the public `.json` endpoint and
Pushshift-style dumps): Reddit then HTML-escapes `&`, `<` and `>` in text fields.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers.common import from_epoch
from scrapers.parsers.jsonbody import as_int
from scrapers.text import tidy

PUBLIC_URL = "https://www.reddit.com"
DELETED_AUTHORS = frozenset({"[deleted]", "[removed]", ""})
REMOVED_BODIES = frozenset({"[deleted]", "[removed]"})

# [text](url "title")  ->  text (url)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~>|^&])")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
_ZERO_WIDTH_ENTITY = re.compile(r"&#x200[bB];")
_ZERO_WIDTH_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


class MalformedRecord(ValueError):
    """A listing child, comment or dump record that cannot become an item."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass
class ListingPage:
    """One page of `/r/<sub>/new`: its threads, the `after` cursor and what was dropped."""

    threads: list[ThreadItem] = field(default_factory=list)
    after: str | None = None
    dropped: dict[str, int] = field(default_factory=dict)


@dataclass
class CommentPage:
    """A `/comments/<id>` response: the post (as a thread, if parseable) and its top replies."""

    thread: ThreadItem | None
    replies: list[ReplyItem]
    more_stubs: int = 0
    more_count: int = 0


def edited_time(value: Any) -> datetime | None:
    """`edited` is `false` or the edit time as epoch seconds."""
    if value is False or value is None or value is True:
        return None
    return from_epoch(value)


def author_name(value: Any) -> str | None:
    """The author name, or None for deleted/removed accounts."""
    if not isinstance(value, str) or value in DELETED_AUTHORS:
        return None
    return value


def markdown_to_text(text: str | None, *, escaped: bool = False) -> str:
    """Reddit markdown as plain text: `[label](url)` becomes `label (url)`, backslash escapes
    and emphasis markers go, quote markers (`>`) and line structure stay.

    The result is already tidy (`scrapers.text.tidy`: runs of spaces collapsed, lines
    trimmed, at most one blank line in a row), so the crawl's clean pipeline and the dump
    importer store the same text.
    Cheap checks skip every regex a text does not need (dump imports parse millions).
    """
    if not text:
        return ""
    if escaped and "&" in text:
        text = html.unescape(text)
    if "&#" in text:
        text = _ZERO_WIDTH_ENTITY.sub("", text)
    if any(c in text for c in "\u200b\u200c\u200d\ufeff"):
        text = text.translate(_ZERO_WIDTH_CHARS)

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), _MD_ESCAPE.sub(r"\1", match.group(2))
        label_plain = _MD_ESCAPE.sub(r"\1", label)
        if not label_plain or label_plain == url:
            return url
        return f"{label_plain} ({url})"

    if "](" in text:
        text = _MD_LINK.sub(link, text)
    if "**" in text or "__" in text or "~~" in text:
        text = _MD_EMPHASIS.sub(r"\2", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return tidy(text)


def _text(value: Any, escaped: bool) -> str:
    if not isinstance(value, str):
        return ""
    return html.unescape(value) if escaped else value


def permalink_url(post: dict[str, Any]) -> str:
    """The public URL of a post (from its permalink; built from subreddit and id otherwise)."""
    permalink = post.get("permalink")
    if isinstance(permalink, str) and permalink.startswith("/"):
        return PUBLIC_URL + permalink
    if isinstance(permalink, str) and permalink.startswith("http"):
        return permalink
    sub = post.get("subreddit") or "all"
    return f"{PUBLIC_URL}/r/{sub}/comments/{post.get('id')}/"


def post_body(post: dict[str, Any], *, escaped: bool = False) -> str:
    """The text of a post: its selftext as plain text, plus the link target of link posts."""
    body = markdown_to_text(post.get("selftext"), escaped=escaped)
    if body in REMOVED_BODIES:
        body = ""
    url = _text(post.get("url") or post.get("url_overridden_by_dest"), escaped).strip()
    is_self = bool(post.get("is_self"))
    if url and not is_self and url.startswith("http") and url not in body:
        own = permalink_url(post)
        if url.rstrip("/") != own.rstrip("/"):
            body = f"{body}\n\n{url}" if body else url
    return body


def thread_from_post(post: dict[str, Any], source: str, *,
                     escaped: bool = False) -> ThreadItem:
    """A `t3` (submission) data object as a ThreadItem; MalformedRecord when unusable."""
    if not isinstance(post, dict):
        raise MalformedRecord("not_an_object")
    post_id = post.get("id")
    if not isinstance(post_id, str) or not post_id:
        raise MalformedRecord("missing_id")
    title = _text(post.get("title"), escaped).strip()
    if not title:
        raise MalformedRecord("missing_title", post_id)
    created = from_epoch(post.get("created_utc"))
    if created is None:
        raise MalformedRecord("missing_created_at", post_id)
    flair = post.get("link_flair_text")
    category = _text(flair, escaped).strip() if isinstance(flair, str) else ""
    edited = edited_time(post.get("edited"))
    return ThreadItem(
        source=source,
        external_id=post_id,
        url=permalink_url(post),
        title=title,
        created_at=created,
        body=post_body(post, escaped=escaped),
        category=category or None,  # cut to its column (and counted) by validation
        score=as_int(post.get("score")),
        num_comments=as_int(post.get("num_comments")) or 0,
        edited_at=edited,
        last_activity_at=max(created, edited) if edited else created,
        author=author_name(post.get("author")),
    )


def reply_from_comment(comment: dict[str, Any], *, escaped: bool = False) -> ReplyItem:
    """A `t1` (comment) data object as a ReplyItem; MalformedRecord when unusable."""
    if not isinstance(comment, dict):
        raise MalformedRecord("not_an_object")
    comment_id = comment.get("id")
    if not isinstance(comment_id, str) or not comment_id:
        raise MalformedRecord("missing_id")
    raw = comment.get("body")
    if not isinstance(raw, str):
        raise MalformedRecord("missing_body", comment_id)
    body = markdown_to_text(raw, escaped=escaped)
    if not body or body in REMOVED_BODIES:
        raise MalformedRecord("deleted_comment", comment_id)
    return ReplyItem(
        external_id=comment_id,
        body=body,
        score=as_int(comment.get("score")),
        created_at=from_epoch(comment.get("created_utc")),
        author=author_name(comment.get("author")),
    )


def _bump(counts: dict[str, int], reason: str) -> None:
    counts[reason] = counts.get(reason, 0) + 1


def parse_listing(payload: Any, source: str, *, escaped: bool = False) -> ListingPage:
    """A `Listing` of `t3` children (e.g. `/r/<sub>/new`) as threads plus the `after` cursor.

    Children that are not submissions, or that lack an id, title or time, are dropped and
    counted by reason; a payload that is not a Listing at all raises MalformedRecord.
    """
    if not isinstance(payload, dict) or payload.get("kind") != "Listing":
        raise MalformedRecord("not_a_listing")
    data = payload.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("children", []), list):
        raise MalformedRecord("listing_without_children")
    page = ListingPage(after=data.get("after") if isinstance(data.get("after"), str) else None)
    for child in data.get("children") or []:
        if not isinstance(child, dict) or child.get("kind") != "t3":
            _bump(page.dropped, "not_a_submission")
            continue
        try:
            page.threads.append(thread_from_post(child.get("data"), source, escaped=escaped))
        except MalformedRecord as exc:
            _bump(page.dropped, exc.reason)
    return page


def iter_comments(children: Any) -> Iterator[dict[str, Any]]:
    """Every `t1` data object of a comment forest, depth first (`more` stubs skipped,
    `replies: ""` treated as no replies)."""
    if not isinstance(children, list):
        return
    for child in children:
        if not isinstance(child, dict) or child.get("kind") != "t1":
            continue
        data = child.get("data")
        if not isinstance(data, dict):
            continue
        yield data
        replies = data.get("replies")
        if isinstance(replies, dict):
            yield from iter_comments((replies.get("data") or {}).get("children"))


def _more_stubs(children: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(children, list):
        return
    for child in children:
        if not isinstance(child, dict):
            continue
        data = child.get("data") or {}
        if child.get("kind") == "more":
            yield data
        elif child.get("kind") == "t1" and isinstance(data.get("replies"), dict):
            yield from _more_stubs((data["replies"].get("data") or {}).get("children"))


def top_replies(comments: Any, limit: int, *, escaped: bool = False) -> list[ReplyItem]:
    """The `limit` highest-scored usable comments of a forest (ties: earlier first)."""
    replies: list[ReplyItem] = []
    for data in comments:
        try:
            replies.append(reply_from_comment(data, escaped=escaped))
        except MalformedRecord:
            continue
    floor = datetime.max.replace(tzinfo=UTC)
    replies.sort(key=lambda r: (-(r.score if r.score is not None else -(10**9)),
                                r.created_at or floor, r.external_id))
    return replies[:max(limit, 0)]


def parse_comments(payload: Any, source: str, limit: int, *,
                   escaped: bool = False) -> CommentPage:
    """A `/comments/<id>` response (`[Listing(t3), Listing(t1/more)]`): the post as a thread
    and its top `limit` replies by score (the whole tree, not only top level)."""
    if not isinstance(payload, list) or len(payload) < 2:
        raise MalformedRecord("not_a_comments_response")
    post_listing, comment_listing = payload[0], payload[1]
    try:
        post_page = parse_listing(post_listing, source, escaped=escaped)
    except MalformedRecord:
        post_page = ListingPage()
    thread = post_page.threads[0] if post_page.threads else None
    if not isinstance(comment_listing, dict) or comment_listing.get("kind") != "Listing":
        raise MalformedRecord("comments_listing_missing")
    children = (comment_listing.get("data") or {}).get("children") or []
    stubs = list(_more_stubs(children))
    return CommentPage(
        thread=thread,
        replies=top_replies(iter_comments(children), limit, escaped=escaped),
        more_stubs=len(stubs),
        more_count=sum(as_int(s.get("count")) or 0 for s in stubs),
    )
