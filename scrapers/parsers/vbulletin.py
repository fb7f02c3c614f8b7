"""vBulletin 3.8, 4.2 and 5.x HTML: thread pages and board-wide lookups (forum listings
are read by `vbulletin_listing`, URLs and pagination by `vbulletin_urls`, dates by
`vbulletin_dates`, bodies by `vbulletin_bodies`, scores by `vbulletin_scores`; a thread
page's own fields by `vbulletin_thread_fields`, its posts by `vbulletin_vb34_posts` and
`vbulletin_vb5_posts`).

- vB3: `forumdisplay.php?f=N&page=M` (`tbody[id^=threadbits_forum_]` rows) and
  `showthread.php?t=N&page=M` (`table[id^=post]`, `div#post_message_N`, the date as text
  after `<!-- status icon and date -->`, `a.bigusername`).
- vB4: the same scripts, also as `showthread.php?N-slug` / `showthread.php/N-slug/pageM`
  (`li.threadbit`, `li.postbitlegacy#post_N`, `span.date`, `blockquote.postcontent`).
- vB5: node URLs `/forum/<path>/<N>-slug/pageM` (`tr.topic-item[data-node-id]`,
  `li.b-post[data-node-id][data-node-publishdate]`, `.js-post__content-text`).

Times are the board's local strings in its own format, read in the zone of the footer's "All
times are GMT -5" (else the source's `timezone`), "Today"/"Yesterday" included; vB5 posts
carry a Unix time. A date string in no known format is a `ParseError` with reason
`unknown_date_format` (`vbulletin_dates`). Quotes ("Originally Posted by X") become
`<blockquote>`s without the header (`vbulletin_bodies`). Stock vBulletin has no score
(None); the "thanks" box (Post Thank You hack) or a like count is the post's score where the
page shows one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin

from bs4.dammit import EncodingDetector
from parsel import Selector

from scrapers.parsers.common import ParseError, ThreadPage, squash
from scrapers.parsers.tree import (
    PageIds,
    css,
    html_page,
    parsed_page,
    root_of,
    xpath,
)
from scrapers.parsers.vbulletin_bodies import (
    REWRITE_MARKS_IN_PAGE,
    finish_body,
    is_postcontent,
)
from scrapers.parsers.vbulletin_dates import BoardClock, board_zone
from scrapers.parsers.vbulletin_post_fields import first_of
from scrapers.parsers.vbulletin_scores import ScoreMarks
from scrapers.parsers.vbulletin_thread_fields import (
    CRUMB_MARKS,
    VB34_CRUMB_MARKS,
    _posts_total,
    _vb34_thread,
    breadcrumb_category,
)
from scrapers.parsers.vbulletin_urls import (
    next_page_url,
    page_base,
    page_numbers,
    thread_base,
    thread_url,
)
from scrapers.parsers.vbulletin_vb5_posts import _vb5_posts
from scrapers.parsers.vbulletin_vb34_posts import _vb34_posts

__all__ = ["CONTENT", "CRUMB_MARKS", "LOGIN_MARKERS", "NAVIGATION", "PAGE_IDS",
           "VB34_CRUMB_MARKS", "breadcrumb_category", "decode_page", "parse_thread_page",
           "refuse_login"]

# vBulletin 4's navigation menu, left out of a thread page's parse: nothing is read there.
NAVIGATION = ('<div id="navbar"',)
# Marks of the posts and thread rows read (lower case): a menu cut that would take one with
# it ran past an unclosed tag, so the menu stays (`tree.without_element`).
CONTENT = ('id="post_', "b-post", "postbit", "threadbit", 'id="thread_title_', "topic-item")
LOGIN_MARKERS = ("you are not logged in", "you do not have permission to access this page",
                 "you must be registered", "please log in", "must be logged in")


# -- text and time ---------------------------------------------------------------------------
def decode_page(body: bytes, declared: str | None = None) -> str:
    """Page bytes as text. vBulletin 3 pages declare ISO-8859-1 but hold Windows-1252 bytes
    (curly quotes 0x93/0x94): Latin-1 and ASCII are read as cp1252, as browsers do. Without
    a `declared` (HTTP header) charset, the page's own <meta>/XML declaration is read with
    BeautifulSoup's EncodingDetector."""
    charset = (declared or "").strip().lower()
    if not charset:
        found = EncodingDetector.find_declared_encoding(body[:4096], is_html=True)
        charset = (found or "utf-8").lower()
    if charset in ("iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii",
                   "windows-1252", "cp1252"):
        return body.decode("cp1252", errors="replace")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


# -- page kinds ------------------------------------------------------------------------------
def refuse_login(doc: Selector, url: str, body: bool = True) -> None:
    """ParseError (reason `login_required`) at a login URL, or (`body`) on a page that says
    "You are not logged in" (checked only on pages without posts or threads)."""
    if re.search(r"/login\.php|[?&]do=login\b|/login(?:[/?#]|$)", url):
        raise ParseError(f"redirected to a login page: {url}", reason="login_required")
    if not body:
        return
    text = squash(" ".join(css("body ::text")(root_of(doc)))).lower()
    if any(marker in text for marker in LOGIN_MARKERS):
        raise ParseError("the board asks to log in (\"You are not logged in\")",
                         reason="login_required")



# -- thread pages ----------------------------------------------------------------------------
_VB5_POSTS = "//li[@data-node-id][contains(@class, 'b-post')]"
# The ids vB4's templates give what a thread page's lookups read (`PageIds`)
PAGE_IDS = ("footer_time", "breadcrumb", "pagetitle", "postpagestats_above", "posts")


def parse_thread_page(text: str, url: str, base_url: str, tz: tzinfo = UTC,
                      now: datetime | None = None) -> ThreadPage:
    """A vBulletin 3, 4 or 5 thread page: title, category, posts, reply count, paging."""
    # `source`: the text the tree was parsed from (the page less its menu), which the
    # lookups below test for their marks; the day-order scan reads the whole page.
    doc, source = parsed_page(text, NAVIGATION, CONTENT)
    root = doc.root
    refuse_login(doc, url, body=False)
    base = page_base(root, url)
    ids = PageIds(root, PAGE_IDS)  # (one id() call for the page's lookups below)
    clock = BoardClock(board_zone(root, tz, source, ids), None, now, text,
                       ScoreMarks(source))
    vb5 = xpath(_VB5_POSTS)(root) if "b-post" in source else []
    apart = False  # (whether the post bodies lie apart: `finish_body`'s `text_for`)
    if vb5:
        posts, ext, canonical = _vb5_posts(vb5, root, base, clock)
        title = squash(" ".join(xpath("//h1[contains(@class, 'main-title')]/text()")(root)
                                [:1]))
    else:
        posts, apart = _vb34_posts(root, clock, ids)
        ext, canonical, title = _vb34_thread(root, url, base, source, ids)
    if not posts:
        refuse_login(html_page(text), url)  # (the whole page)
        raise ParseError("no posts on the thread page", reason="no_posts")
    if not ext or not str(ext).isdigit():
        raise ParseError("no thread id on the page")
    if not title:
        title = squash((first_of(xpath("//title/text()")(root)) or "").split(" - ")[0])
    page, last_page = page_numbers(root, url, source)
    total = _posts_total(root, ids) if "postpagestats" in source or "esults" in source \
        else None
    stable = (thread_base(urljoin(base, canonical)) if canonical and vb5
              else thread_url(base_url, str(ext)))
    thread = ThreadPage(
        external_id=str(ext), url=stable, title=title, posts=posts,
        category=breadcrumb_category(root, source, ids,
                                     CRUMB_MARKS if vb5 else VB34_CRUMB_MARKS),
        num_comments=max(0, total - 1) if total else None,
        score=posts[0].score if page == 1 else None, page=page, last_page=last_page,
        next_url=next_page_url(root, base) if page < last_page else None)
    marks = any(mark in source for mark in REWRITE_MARKS_IN_PAGE) or \
        source.count("postcontent") > sum(is_postcontent(post.body_node) for post in posts)
    text_for = (stable,) if apart else None  # (the URL the spider reads texts against)
    for post in posts:  # last: this rewrites the page's tree
        finish_body(post, marks, text_for)
    return thread

