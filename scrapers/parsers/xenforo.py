"""XenForo 2 and 1 HTML: forum pages (`/forums/<slug>.<id>/page-N`) and thread pages
(`/threads/<slug>.<id>/page-N`); the version is read from the page.

- XenForo 2: `structItem--thread` rows, `article.message--post`, `time.u-dt[data-time]`.
- XenForo 1: `li.discussionListItem` rows, `li.message#post-N`, `blockquote.messageText`,
  `abbr.DateTime[data-time]` (recent) or `span.DateTime[title="Oct 30, 2014 at 10:48 PM"]`
  (older, in the board's zone: the source's `timezone`), `div.PageNav[data-page][data-last]`.

Score = the opening post's reactions or likes: the list's "First message reaction score: N"
(XF1: "Members who liked the first message: N") when present, else the thread page's bar
("A, B and 12 others" = 14; XF1 `.LikeText` "... like this.", or rating counts "Like x 3").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from scrapers.parsers.common import (
    ListEntry,
    ListPage,
    ParseError,
    Post,
    ThreadPage,
    from_epoch,
    from_iso,
    parse_count,
    squash,
)
from scrapers.parsers.tree import css, first, html_page, parsed_page, text_of, xpath
from scrapers.parsers.xenforo_shared import (
    PAGE,
    elements,
    first_string,
    reaction_count,
    thread_base_url,
    thread_id_of,
)
from scrapers.parsers.xenforo_v1 import xf1_forum_page, xf1_thread_page

# The navigation menus (XenForo 2, 1), left out of a thread page's parse: nothing is read there.
NAVIGATION = ('<nav class="p-nav"', '<div id="navigation"')
# Marks of the posts and thread rows read (lower case): a menu cut that would take one with
# it ran past an unclosed tag, so the menu stays (`tree.without_element`).
CONTENT = ("structitem", "message--post", 'id="post-', "discussionlistitem", "messagelist")

_FIRST_SCORE = re.compile(r"reaction score:\s*([\d.,]+\s*[KkMm]?)", re.IGNORECASE)


def time_of(node: Any | None) -> datetime | None:
    """A `time.u-dt` element's moment: `data-time` (epoch), else `datetime`."""
    if node is None:
        return None
    epoch, iso = node.attrib.get("data-time"), node.attrib.get("datetime")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return from_epoch(epoch)
    return from_iso(iso) if iso else None


_LOGIN_TEXT = ("you must be logged-in to do that", "you must be logged in to do that",
               "you do not have permission to view this page")


_LOGIN_PATH = re.compile(r"/login(?:/|$|[?#])")  # not /forums/login-help.5/


def refuse_login(doc: Selector, url: str) -> None:
    """ParseError (reason `login_required`) for XenForo's login form or "You must be
    logged-in to do that." page (called only on pages without posts or threads)."""
    template = doc.css("html::attr(data-template)").get() or ""
    text = squash(" ".join(doc.css(".blockMessage ::text, .errorOverlay ::text, "
                                   ".p-body-pageContent ::text, #content ::text").getall()))
    if template in ("login", "error_with_login") or _LOGIN_PATH.search(url) or \
            any(marker in text.lower() for marker in _LOGIN_TEXT):
        raise ParseError("the forum asks to log in", reason="login_required")


def _current_and_last_page(root: Any, text: str, url: str) -> tuple[int, int]:
    """(current page, last page) from the page's `.pageNav`, else the URL (one page)."""
    match = PAGE.search(url)
    url_page = int(match.group(1)) if match else 1
    if "pageNav" not in text:  # a thread of one page: no pager to read
        return url_page, url_page
    current = squash(first_string(root, ".pageNav-page--current a::text, "
                                        ".pageNav-page--current::text"))
    page = int(current) if current.isdigit() else url_page
    numbers = [int(t) for t in (squash(x) for x in css(".pageNav-page a::text")(root))
               if t.isdigit()]
    return page, max([page, *numbers])


def _next_url(root: Any, url: str) -> str | None:
    href = first_string(root, "a.pageNav-jump--next::attr(href)") or \
        first_string(root, "link[rel=next]::attr(href)")
    return urljoin(url, href) if href else None


def breadcrumb_category(root: Any, text: str | None = None) -> str | None:
    """The last breadcrumb (the forum the thread is in)."""
    if text is not None and "p-breadcrumbs" not in text:
        return None
    crumbs = css("ul.p-breadcrumbs")(root)
    if not crumbs:
        return None
    names = [squash(text_of(li, "[itemprop=name] ::text, [itemprop=name]::text")
                    or text_of(li, "a ::text"))
             for li in css("li")(crumbs[0])]
    names = [n for n in names if n]
    return names[-1] if names else None


def parse_forum_page(text: str, url: str, tz: tzinfo = UTC) -> ListPage:
    """A XenForo 2 or 1 forum page: its threads and the next page's URL."""
    doc = html_page(text, NAVIGATION, CONTENT)  # (as a thread page: nothing is read in the menu)
    root = doc.root
    if _XF1_LIST(root):
        return xf1_forum_page(doc, url, tz)
    rows = _XF2_ROWS(root)
    if not rows:
        refuse_login(html_page(text), url)  # (the whole page)
        if not css(".structItemContainer, .block-body")(root):
            raise ParseError("no thread list (structItem--thread) on the page")
    forum = squash(first_string(root, "h1.p-title-value::text")) or None
    entries = [_xf2_entry(row, url, forum) for row in rows]
    return ListPage(entries, _next_url(root, url))


_XF1_LIST = css("li.discussionListItem, ol.discussionListItems, .discussionList")
_XF2_ROWS = css(".structItem--thread")


def _xf2_entry(row: Any, url: str, forum: str | None) -> ListEntry:
    """One `structItem--thread` row of a forum page."""
    link = css(".structItem-title a[data-tp-primary]")(row) or \
        css(".structItem-title a:not(.labelLink)")(row)
    if not link:
        raise ParseError("a thread row without a title link")
    href = urljoin(url, link[-1].attrib.get("href", ""))
    ext = thread_id_of(href)
    if ext is None:
        raise ParseError(f"no thread id in {href!r}")
    pairs: dict[str, str] = {}
    for pair in css(".structItem-cell--meta dl")(row):
        key = squash(text_of(pair, "dt ::text")).lower()
        pairs[key] = squash(text_of(pair, "dd ::text"))
    score_match = _FIRST_SCORE.search(
        first_string(row, ".structItem-cell--meta::attr(title)") or "")
    return ListEntry(
        external_id=ext, url=thread_base_url(href), title=squash(text_of(link[-1])),
        created_at=time_of(first(row, ".structItem-startDate time, .structItem-minor time")),
        last_activity_at=time_of(first(row, ".structItem-cell--latest time")),
        num_comments=parse_count(pairs.get("replies")),
        score=parse_count(score_match.group(1)) if score_match else None,
        category=forum, author=row.attrib.get("data-author"))


# (the queries `parse_thread_page` reads by lxml's tag filter: `xf2_articles`, `xf1_posts`)
ARTICLES = xpath("//article[contains(@class, 'message--post')]")
XF1_POSTS = xpath("//li[starts-with(@id, 'post-')][contains(@class, 'message')]")


def xf2_articles(root: Any) -> list[Any]:
    """`ARTICLES(root)`."""
    return elements(root, "article", "class", "message--post")


def xf1_posts(root: Any) -> list[Any]:
    """`XF1_POSTS(root)`."""
    return [block for block in elements(root, "li", "id", "post-", start=True)
            if "message" in (block.get("class") or "")]


def parse_thread_page(text: str, url: str, tz: tzinfo = UTC) -> ThreadPage:
    """A XenForo 2 or 1 thread page: title, category, posts, paging."""
    # `source`: the text the tree was parsed from (the page less its menu), where the
    # lookups below test for their marks
    doc, source = parsed_page(text, NAVIGATION, CONTENT)
    root = doc.root
    # (by lxml's tag filter: an XPath call walks the page in its own way, slower)
    articles = xf2_articles(root)
    if not articles:
        blocks = xf1_posts(root)
        if blocks:
            return xf1_thread_page(root, source, blocks, url, tz)
        refuse_login(html_page(text), url)  # (the whole page)
        raise ParseError("no posts (article.message--post) on the page")
    ext, canonical = _xf2_thread_id(root, url)
    title = squash(text_of(root, "h1.p-title-value::text, "
                                 "h1.p-title-value :not(.label)::text"))
    if not title and not css("h1.p-title-value")(root):
        raise ParseError("no thread title (h1.p-title-value)")
    edits = "message-lastEdit" in source  # (most pages have no edited post: skip the lookups)
    posts = [_xf2_post(art, position, edits) for position, art in enumerate(articles)]
    page, last_page = _current_and_last_page(root, source, url)
    return ThreadPage(
        external_id=ext, url=thread_base_url(canonical or url), title=title, posts=posts,
        category=breadcrumb_category(root, source),
        score=posts[0].score if page == 1 else None,
        page=page, last_page=last_page,
        next_url=_next_url(root, url) if page < last_page else None,
    )


def _xf2_thread_id(root: Any, url: str) -> tuple[str, str | None]:
    """The thread id (`data-content-key`, else the canonical URL's, else the URL's) and the
    canonical URL."""
    key = first_string(root, "html::attr(data-content-key)") or ""
    ext = key.removeprefix("thread-") if key.startswith("thread-") else None
    canonical = first_string(root, "link[rel=canonical]::attr(href)")
    canonical = urljoin(url, canonical) if canonical else None
    ext = ext or thread_id_of(canonical or "") or thread_id_of(url)
    if not ext:
        raise ParseError("no thread id on the page")
    return ext, canonical


def _xf2_post(art: Any, position: int, edits: bool = True) -> Post:
    content = art.attrib.get("data-content") or art.attrib.get("id") or ""
    post_id = re.sub(r"\D", "", content)
    if not post_id:
        raise ParseError("a post without an id")
    body = first(art, ".message-body .bbWrapper")
    if body is None:
        body = first(art, ".bbWrapper")
    if body is None:
        raise ParseError(f"post {post_id} has no body (.bbWrapper)")
    bar = first(art, ".reactionsBar-link")
    score = 0
    if bar is not None:
        bdis = css("bdi")(bar)
        score = reaction_count(text_of(bar), len(bdis) if bdis else None)
    created = first(art, ".message-attribution-main time.u-dt")
    return Post(
        external_id=post_id, body_node=body,
        created_at=time_of(created if created is not None else first(art, "time.u-dt")),
        edited_at=time_of(first(art, ".message-lastEdit time")) if edits else None,
        author=art.attrib.get("data-author"), score=score, position=position)
