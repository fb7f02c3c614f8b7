"""XenForo 1 pages (`scrapers.parsers.xenforo` reads the version and calls here):
`li.discussionListItem` rows, `li.message#post-N`, `blockquote.messageText`,
`abbr.DateTime[data-time]` or `span.DateTime[title]` (in the board's zone), `div.PageNav`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from scrapers.parsers import xenforo_shared as shared
from scrapers.parsers.common import (
    ListEntry,
    ListPage,
    ParseError,
    Post,
    ThreadPage,
    from_epoch,
    parse_count,
    squash,
)
from scrapers.parsers.tree import css, drop_tree, iter_document, text_of, xpath
from scrapers.parsers.xenforo_v1_post_fields import (
    LIKE_TEXT,
    USERNAMES,
    PostFields,
    RowFields,
    first_of,
)

_XF1_FIRST_LIKES = re.compile(r"liked the first message:\s*([\d.,]+\s*[KkMm]?)", re.IGNORECASE)
_RATING = re.compile(r"\bx\s*([\d.,]+)")
_XF1_FORMATS = ("%b %d, %Y at %I:%M %p", "%b %d, %Y", "%d %b %Y at %H:%M", "%B %d, %Y at %I:%M %p")
_TITLE_BAR = ("[@class and contains(@class, 'titleBar') and "
              "contains(concat(' ', normalize-space(@class), ' '), ' titleBar ')]")
TITLE_HEADS = xpath(f"//h1[ancestor::*{_TITLE_BAR}]")
TITLE_TEXTS = xpath(f"//h1[ancestor::*{_TITLE_BAR}]//text()")
_XML_SPACE = str.maketrans("\t\n\r", "   ")  # (what XPath's normalize-space collapses)


def title_heads(root: Any) -> list[Any]:
    """`TITLE_HEADS(root)`: the h1 elements inside an element of class `titleBar`, found by
    lxml's tag filter (an XPath call with an ancestor test costs more than the page's few
    h1s)."""
    heads = []
    for head in iter_document(root, "h1"):
        for above in head.iterancestors():
            classes = above.get("class")
            if classes and " titleBar " in f" {classes.translate(_XML_SPACE)} ":
                heads.append(head)
                break
    return heads


def xf1_time(node: Any | None, tz: tzinfo) -> datetime | None:
    """An XF1 `.DateTime`: `abbr[data-time]` (epoch), else the `title` (or text) of a
    `span.DateTime` ("Oct 30, 2014 at 10:48 PM") read in zone `tz`."""
    if node is None:
        return None
    epoch = node.attrib.get("data-time")
    if epoch and epoch.strip().isdigit():
        return from_epoch(epoch)
    text = squash(node.attrib.get("title") or text_of(node))
    for fmt in _XF1_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None


def _xf1_base(root: Any, url: str) -> str:
    href = shared.first_href(root, "base")
    return urljoin(url, href) if href else url


def _xf1_pages(root: Any, url: str, text: str | None = None) -> tuple[int, int, str | None]:
    """(current page, last page, next URL) from `div.PageNav` (no PageNav: one page)."""
    nav = css("div.PageNav")(root) if text is None or "PageNav" in text else []
    if not nav:
        match = shared.PAGE.search(url)
        page = int(match.group(1)) if match else 1
        return page, page, None
    base = _xf1_base(root, url)
    page = int(nav[0].attrib.get("data-page") or 1)
    last = int(nav[0].attrib.get("data-last") or page)
    href = shared.first_string(root, "link[rel=next]::attr(href)")
    if not href:
        for link in css("nav a.text")(nav[0]):
            if "next" in squash(text_of(link)).lower():
                href = link.attrib.get("href")
    return page, last, urljoin(base, href) if href and page < last else None


_LIKES_THIS = re.compile(r"\s*likes? this\.?$")
_RATINGS = xpath(".//ul[contains(@class, 'dark_postrating_outputlist')]/li"
                 "|.//*[contains(@class, 'ratingsSummary')]//li")
RATING_MARKS = ("dark_postrating_outputlist", "ratingsSummary")


def xf1_likes(block: Any, ratings: bool = True, fields: PostFields | None = None) -> int:
    """Likes under an XF1 post: `.LikeText` ("A, B and 3 others like this.") or a rating
    summary ("Like x 3", "Hugs x 1": summed); 0 when none are shown. `ratings` False: the
    page's text names no rating summary (`RATING_MARKS`), which is then not looked up.
    `fields`: the post's walk, which found the like text (else it is looked up)."""
    like = fields.like_text if fields is not None else first_of(LIKE_TEXT(block))
    if like is not None:
        text = squash(" ".join(like.itertext()))  # (its `::text`)
        text = _LIKES_THIS.sub("", text)
        names = fields.like_names if fields is not None else len(USERNAMES(like))
        return shared.reaction_count(text, names or None)
    if not ratings:
        return 0
    total = 0
    for rating in _RATINGS(block):
        match = _RATING.search(squash(text_of(rating)))
        total += parse_count(match.group(1)) or 0 if match else 0
    return total


_NON_DIGITS = re.compile(r"\D")


def _xf1_post(block: Any, index: int, tz: tzinfo, marks: tuple[bool, bool] = (True, True),
              ) -> Post:
    """One `li.message`. `marks`: whether the page's text has an edit date and a rating
    summary (most pages have neither: their lookups are skipped). Its body (less the end
    marker), post number, dates and like text come from one walk (`PostFields`)."""
    edits, ratings = marks
    post_id = _NON_DIGITS.sub("", block.attrib.get("id", ""))
    fields = PostFields(block, edits)
    body = fields.body
    if body is not None:
        fields.drop_markers(drop_tree)
    if not post_id or body is None:
        raise ParseError(f"post {post_id or '?'} has no body (blockquote.messageText)")
    number = _NON_DIGITS.sub("", fields.number() or "")
    return Post(
        external_id=post_id, body_node=body, body_block=True,
        created_at=xf1_time(fields.meta_time, tz),
        edited_at=xf1_time(fields.edit_time, tz),
        author=block.attrib.get("data-author"), score=xf1_likes(block, ratings, fields),
        position=int(number) - 1 if number else index)


def _xf1_category(root: Any, text: str) -> str | None:
    if "breadcrumb" not in text:
        return None
    crumbs = [squash(text_of(c))
              for c in css(".breadcrumb .crumbs a.crumb [itemprop=title], "
                           ".breadcrumb .crumbs a.crumb span")(root)]
    crumbs = [c for c in crumbs if c]
    return crumbs[-1] if crumbs else None


def xf1_thread_page(root: Any, text: str, blocks: list[Any], url: str,
                     tz: tzinfo) -> ThreadPage:
    base = _xf1_base(root, url)
    canonical = shared.first_href(root, "link", "canonical")
    canonical = urljoin(base, canonical) if canonical else None
    ext = shared.thread_id_of(canonical or "") or shared.thread_id_of(url)
    if not ext:
        raise ParseError("no thread id on the page")
    # (`.titleBar h1 ::text`: the texts of the h1s inside a `.titleBar`)
    heads = title_heads(root)
    if len(heads) == 1:
        title = squash(" ".join(heads[0].itertext()))
    else:  # (none, or several: one may hold another, the query keeps each text once)
        title = squash(" ".join(TITLE_TEXTS(root)))
    if not title and not heads:
        raise ParseError("no thread title (.titleBar h1)")
    marks = ("editDate" in text, any(mark in text for mark in RATING_MARKS))
    posts = [_xf1_post(block, index, tz, marks) for index, block in enumerate(blocks)]
    page, last_page, next_url = _xf1_pages(root, url, text)
    return ThreadPage(
        external_id=ext, url=shared.thread_base_url(canonical or url), title=title, posts=posts,
        category=_xf1_category(root, text),
        score=posts[0].score if page == 1 and posts else None,
        page=page, last_page=last_page, next_url=next_url)


def xf1_forum_page(doc: Selector, url: str, tz: tzinfo) -> ListPage:
    root = doc.root
    base = _xf1_base(root, url)
    forum = squash(text_of(root, ".titleBar h1 ::text")) or None
    entries = [_xf1_entry(row, base, forum, tz) for row in css("li.discussionListItem")(root)]
    if not entries and not css("ol.discussionListItems, .discussionList")(root):
        raise ParseError("no thread list (li.discussionListItem) on the page")
    return ListPage(entries, _xf1_pages(root, url)[2])


def _xf1_entry(row: Any, base: str, forum: str | None, tz: tzinfo) -> ListEntry:
    """One `li.discussionListItem` row of an XF1 forum page (its fields from one walk:
    `RowFields`)."""
    fields = RowFields(row)
    link = fields.thread_links or fields.links
    if not link:
        raise ParseError("a thread row without a title link")
    href = urljoin(base, link[-1].attrib.get("href", ""))
    ext = re.sub(r"\D", "", row.attrib.get("id", "")) or shared.thread_id_of(href)
    if not ext:
        raise ParseError(f"no thread id in {href!r}")
    pairs: dict[str, str] = {}
    for pair in fields.pairs:
        key = squash(fields.texts(pair, "dt")).rstrip(":").lower()
        pairs[key] = squash(fields.texts(pair, "dd"))
    likes = _XF1_FIRST_LIKES.search(fields.stats_title or "")
    return ListEntry(
        external_id=ext, url=shared.thread_base_url(href),
        title=squash(" ".join(link[-1].itertext())),  # (its `::text`)
        created_at=xf1_time(fields.started, tz), last_activity_at=xf1_time(fields.last_post, tz),
        num_comments=parse_count(pairs.get("replies")),
        score=parse_count(likes.group(1)) if likes else None,
        category=forum, author=row.attrib.get("data-author"))
