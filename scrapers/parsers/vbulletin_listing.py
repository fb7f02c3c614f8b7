"""vBulletin 3.8, 4.2 and 5.x forum listings: each thread row (vB3 `threadbits_forum_`
rows, vB4 `li.threadbit`, vB5 `tr.topic-item`) as a `ListEntry`, and the next page's URL.
Thread pages, URLs and board-wide lookups are in `scrapers.parsers.vbulletin`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from scrapers.parsers.common import ListEntry, ListPage, ParseError, from_epoch, parse_count, squash
from scrapers.parsers.tree import css, has_class, html_page, parsed_page, text_of, xpath
from scrapers.parsers.vbulletin import CONTENT, NAVIGATION, breadcrumb_category, refuse_login
from scrapers.parsers.vbulletin_dates import BoardClock, board_zone
from scrapers.parsers.vbulletin_urls import (
    next_page_url,
    page_base,
    page_numbers,
    thread_base,
    thread_id_of,
    thread_url,
)


def parse_forum_page(text: str, url: str, base_url: str, tz: tzinfo = UTC,
                     now: datetime | None = None) -> ListPage:
    """A vBulletin 3, 4 or 5 forum listing: its threads and the next page's URL."""
    # Parsed without vBulletin 4's navigation menu, as a thread page is (nothing is read
    # there); `source`, the text the tree was parsed from, for the lookups' marks.
    doc, source = parsed_page(text, NAVIGATION, CONTENT)
    root = doc.root
    refuse_login(doc, url, body=False)
    base = page_base(root, url)
    clock = BoardClock(board_zone(root, tz, source), None, now, text)
    category = breadcrumb_category(root, source)
    own = squash(" ".join(_OWN_TITLE(root)[:1]))
    category = own or category
    if "topic-item" in source and doc.css("tr.topic-item"):
        entries = [_vb5_entry(row, base, clock, category) for row in doc.css("tr.topic-item")]
    elif rows := _VB4_ROWS(root):
        entries = [_vb4_entry(row, base, base_url, clock, category) for row in rows]
    elif doc.css("[id^=threadbits_forum_]") or doc.css("a[id^=thread_title_]"):
        entries = [_vb3_entry(row, base, base_url, clock, category)
                   for row in doc.xpath("//tbody[starts-with(@id, 'threadbits_forum_')]/tr"
                                        "[.//a[starts-with(@id, 'thread_title_')]]")]
    elif doc.css("#threadlist, #threads, .threadlist, .topic-list-container, "
                 "[id^=threadbits_forum_]"):
        refuse_login(html_page(text), url)  # (the whole page)
        entries = []  # an empty forum
    else:
        refuse_login(html_page(text), url)
        raise ParseError("no thread list (threadbits, li.threadbit, tr.topic-item) on the page")
    page, last_page = page_numbers(root, url, source)
    next_url = next_page_url(root, base)
    return ListPage(entries, None if last_page > 1 and page >= last_page else next_url)


_OWN_TITLE = css("h1 span.forumtitle ::text, h1.main-title::text, td.navbar strong ::text")
_VB4_ROWS = css("li.threadbit")


def _title_link(row: Selector) -> Selector:
    link = row.css("a[id^=thread_title_], a.title, a.topic-title")
    if not link:
        raise ParseError("a thread row without a title link")
    return link[0]


def _vb3_entry(row: Selector, base: str, base_url: str, clock: BoardClock,
               category: str | None) -> ListEntry:
    link = _title_link(row)
    ext = re.sub(r"\D", "", link.attrib.get("id", "")) or \
        thread_id_of(urljoin(base, link.attrib.get("href", "")))
    if not ext:
        raise ParseError("no thread id in a thread row")
    replies = row.css("a[href*='whoposted']::text").get()
    last_cell = row.xpath("./td[.//a[contains(@href, 'lastpost')]]")
    last = None
    if last_cell:
        cell = last_cell[0].css("div.smallfont")[:1]
        texts = cell.xpath("./br[1]/preceding-sibling::text()|./br[1]/preceding-sibling::span"
                           "/text()").getall() if cell.xpath("./br") else \
            cell.xpath("./text()|./span/text()").getall()
        last = clock.read_or_none(" ".join(t for t in texts if t.strip()))
    author = squash(" ".join(row.xpath(".//div[@class='smallfont']/span[contains(@onclick,"
                                       " 'member.php')]/text()").getall()[:1]))
    return ListEntry(external_id=ext, url=thread_url(base_url, ext),
                     title=squash(" ".join(link.css("::text").getall())),
                     last_activity_at=last, num_comments=parse_count(replies),
                     category=category, author=author or None)


def _vb4_entry(row: Any, base: str, base_url: str, clock: BoardClock,
               category: str | None) -> ListEntry:
    link = _title_link_of(row)
    if link is None:
        raise ParseError("a thread row without a title link")
    ext = re.sub(r"\D", "", row.attrib.get("id", "")) or \
        thread_id_of(urljoin(base, link.attrib.get("href", "")))
    if not ext:
        raise ParseError("no thread id in a thread row")
    stats = squash(" ".join(css("ul.threadstats li ::text")(row)))
    replies = re.search(r"Replies:?\s*([\d,.]+)", stats)
    label = _meta_author_labels(row)[:1] or css(".threadmeta .author")(row)[:1]
    started = squash(" ".join(xpath(
        "./a[contains(@class, 'username')]/following-sibling::node()"
        "/descendant-or-self::text()")(label[0])) if label else "").lstrip(",").strip()
    last_dd = css("dl.threadlastpost dd")(row)
    last = None
    if last_dd:
        last = clock.read_or_none(" ".join(xpath(
            "./text()|./span[contains(@class, 'time')]/text()")(last_dd[-1])))
    author = squash(" ".join(_meta_author_names(row)))
    return ListEntry(external_id=ext, url=thread_url(base_url, ext),
                     title=squash(text_of(link)),
                     created_at=clock.read_or_none(started),
                     last_activity_at=last,
                     num_comments=parse_count(replies.group(1)) if replies else None,
                     score=None, category=category, author=author or None)


# A vB4 row's lookups, read with lxml's tag filter and a walk up from each candidate instead
# of their CSS queries (a class test over every element of the row for each of the
# selector's steps: about 25 us a row for each of the two `.threadmeta .author` queries);
# the same elements and texts, tested against the queries on fuzzed rows.
_TITLE_LINKS = css("a[id^=thread_title_], a.title, a.topic-title")
_META_AUTHOR_LABELS = css(".threadmeta .author span.label")
_META_AUTHOR_NAMES = css(".threadmeta .author a.username ::text")


def _title_link_of(row: Any) -> Any | None:
    """The first of `_TITLE_LINKS(row)`, else None."""
    for link in row.iter("a"):
        if (link.get("id") or "").startswith("thread_title_") or has_class(link, "title") \
                or has_class(link, "topic-title"):
            return link
    return None


def _under_meta_author(el: Any, row: Any) -> bool:
    """Whether `el` is under an element of class `author` that is under one of class
    `threadmeta` that is `row` or under it (CSS `.threadmeta .author <el>` from `row`)."""
    author = False
    node = el.getparent()
    while node is not None:
        if author and has_class(node, "threadmeta"):
            return True
        if has_class(node, "author"):
            author = True
        if node is row:
            return False
        node = node.getparent()
    return False


def _meta_author_labels(row: Any) -> list[Any]:
    """`_META_AUTHOR_LABELS(row)`."""
    return [span for span in row.iterdescendants("span")
            if has_class(span, "label") and _under_meta_author(span, row)]


def _meta_author_names(row: Any) -> list[str]:
    """`_META_AUTHOR_NAMES(row)`: the texts of the row's `.threadmeta .author a.username`
    links (the query itself when one such link holds another: it gives shared texts once)."""
    links = [a for a in row.iterdescendants("a")
             if has_class(a, "username") and _under_meta_author(a, row)]
    if len(links) > 1 and any(a is not b and any(up is b for up in a.iterancestors())
                              for a in links for b in links):
        return _META_AUTHOR_NAMES(row)
    return [text for link in links for text in link.itertext()]


def _vb5_entry(row: Selector, base: str, clock: BoardClock,
               category: str | None) -> ListEntry:
    link = _title_link(row)
    ext = row.attrib.get("data-node-id", "")
    href = urljoin(base, link.attrib.get("href", ""))
    if not ext.isdigit():
        ext = thread_id_of(href) or ""
    if not ext:
        raise ParseError("no node id in a topic row")
    counts = squash(" ".join(row.css(".posts-count ::text").getall()))
    replies = re.search(r"([\d,.]+)\s*(repl|post)", counts, re.IGNORECASE)
    num = parse_count(replies.group(1)) if replies else None
    if num is not None and replies and replies.group(2).lower() == "post":
        num = max(0, num - 1)  # "N posts" counts the opening post
    last = None
    if row.css(".cell-lastpost .post-date"):
        last = clock.read_or_none(" ".join(row.css(".cell-lastpost .post-date ::text").getall()))
    created = from_epoch(row.attrib.get("data-node-publishdate"))
    if created is None and row.css(".topic-info .date"):
        created = clock.read_or_none(" ".join(row.css(".topic-info .date ::text").getall()))
    return ListEntry(external_id=ext, url=thread_base(href),
                     title=squash(" ".join(link.css("::text").getall())),
                     created_at=created, last_activity_at=last, num_comments=num,
                     score=None, category=category)
