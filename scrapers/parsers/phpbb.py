"""phpBB 3 (prosilver) HTML: `viewforum.php?f=N&start=M` topic lists and
`viewtopic.php?t=N&start=M` topics. Times from `<time datetime>` where present (3.1+),
else the board's local date string ("Sun May 26, 2019 4:34 pm") read in the zone the footer
names ("All times are UTC - 5 hours [ DST ]": phpBB 3.0/3.1 add an hour for `[ DST ]`, so
"UTC [ DST ]" is UTC+1; 3.2+ "UTC-05:00" or a zone name), else in the source's `timezone`.
phpBB has no score: None, never 0.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsel import Selector
from w3lib.url import url_query_parameter

from scrapers.parsers.common import (
    ListEntry,
    ListPage,
    ParseError,
    Post,
    ThreadPage,
    from_iso,
    parse_count,
    squash,
)
from scrapers.parsers.tree import html_page

LOCAL_FORMATS = ("%a %b %d, %Y %I:%M %p", "%a %b %d, %Y %H:%M", "%b %d, %Y %I:%M %p",
                 "%d %b %Y, %H:%M", "%a %d %b %Y %H:%M", "%d.%m.%Y, %H:%M", "%Y-%m-%d %H:%M",
                 "%a %b %d, %Y %I:%M:%S %p", "%d %b %Y %H:%M")
_RELATIVE = re.compile(r"^(today|yesterday),?\s*(.+)$", re.IGNORECASE)
_POSTS = re.compile(r"([\d.,]+)\s+posts?\b", re.IGNORECASE)
_FOOTER = re.compile(r"All times are\s+(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?:[.:](\d{1,2}))?"
                     r"(?:\s*hours?)?)?\s*(\[\s*DST\s*\])?", re.IGNORECASE)


def _minutes(text: str, digits: str | None) -> int:
    """"5.5 hours" -> 30 minutes, "05:30" -> 30."""
    if not digits:
        return 0
    return round(float(f"0.{digits}") * 60) if f".{digits}" in text else int(digits)


def board_zone(doc: Selector, default: tzinfo) -> tzinfo:
    """The zone the page's footer says its times are in, else `default`.

    "All times are UTC [ DST ]" (phpBB 3.0/3.1) is UTC+1: those boards add the DST hour to
    the displayed times and say so only with the bracket. 3.2+ print "UTC-05:00" with the
    zone name in a `title` ("America/New York"), which wins when it is a known zone."""
    # Last first: the footer ends the page, and a post that quotes "All times are ..." must
    # not set the zone of every post.
    for node in reversed(doc.xpath("//*[text()[contains(., 'All times are')]]")):
        named = node.css("span[title]::attr(title), abbr[title]::attr(title)").getall()
        for name in named:
            if "/" in name:
                try:
                    return ZoneInfo(name.strip().replace(" ", "_"))
                except (ZoneInfoNotFoundError, ValueError):
                    pass
        text = " ".join(" ".join(node.css("::text").getall()).split())
        match = _FOOTER.search(text[text.index("All times are"):])
        if not match:
            continue
        sign, hours, minutes, dst = match.groups()
        offset = timedelta(hours=int(hours or 0), minutes=_minutes(match.group(0), minutes))
        if sign == "-":
            offset = -offset
        if dst:
            offset += timedelta(hours=1)
        return UTC if not offset else timezone(offset)
    return default


def local_time(text: str | None, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """A phpBB local date string in zone `tz`, as aware UTC; None if unreadable."""
    text = squash((text or "").replace("\u00bb", " ").replace("&raquo;", " "))
    if not text:
        return None
    match = _RELATIVE.match(text)
    if match:
        day = (now or datetime.now(UTC)).astimezone(tz).date()
        if match.group(1).lower() == "yesterday":
            day -= timedelta(days=1)
        for fmt in ("%I:%M %p", "%H:%M"):
            try:
                clock = datetime.strptime(match.group(2).strip(), fmt).time()
            except ValueError:
                continue
            return datetime.combine(day, clock, tz).astimezone(UTC)
        return None
    for fmt in LOCAL_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=tz).astimezone(UTC)
    return None


def _moment(sel: Selector, tz: tzinfo, fallback_text: str | None = None) -> datetime | None:
    stamp = sel.css("time::attr(datetime)").get()
    if stamp:
        return from_iso(stamp)
    return local_time(fallback_text, tz)


def _after_raquo(parts: list[str]) -> str:
    text = squash(" ".join(parts))
    return text.rsplit("\u00bb", 1)[-1] if "\u00bb" in text else text


def _pagination(doc: Selector, url: str) -> tuple[int, int, str | None]:
    """(current page, last page, next page URL) from the first `.pagination` block."""
    blocks = doc.css(".pagination")
    if not blocks:
        return 1, 1, None
    block = blocks[0]
    text = squash(" ".join(block.css("::text").getall()))
    match = re.search(r"Page\s+(\d+)\s+of\s+(\d+)", text)
    current = int(match.group(1)) if match else 0
    last = int(match.group(2)) if match else 0
    if not current:
        active = squash(block.css("li.active span::text, strong::text").get())
        current = int(active) if active.isdigit() else 1
    href = block.css("a[rel=next]::attr(href)").get()
    if not href:
        for link in block.css("a"):
            if squash(link.css("::text").get()) == str(current + 1):
                href = link.attrib.get("href")
                break
    numbers = [int(t) for t in (squash(x) for x in block.css("a::text").getall())
               if t.isdigit()]
    last = max([last, current, *numbers])
    return current, last, urljoin(url, href) if href else None


def breadcrumb_category(doc: Selector) -> str | None:
    """The last forum crumb: 3.1+ `#nav-breadcrumbs .crumb`, 3.0 `.navlinks`."""
    crumbs = [squash(" ".join(c.css("::text").getall()))
              for c in doc.css("#nav-breadcrumbs .crumb a, .breadcrumbs .crumb a")]
    if not crumbs:
        crumbs = [squash(a.css("::text").get()) for a in doc.css(".navlinks a")
                  if "viewforum.php" in (a.attrib.get("href") or "")]
    crumbs = [c for c in crumbs if c]
    return crumbs[-1] if crumbs else None


def topic_url(base_url: str, topic_id: str) -> str:
    return f"{base_url.rstrip('/')}/viewtopic.php?t={topic_id}"


def parse_viewforum(text: str, url: str, base_url: str, tz: tzinfo) -> ListPage:
    """A prosilver `viewforum.php` page: its topics and the next page's URL."""
    doc = html_page(text)
    tz = board_zone(doc, tz)
    rows = doc.css("ul.topiclist.topics > li.row")
    if not rows and not doc.css(".forumbg, #page-body"):
        raise ParseError("no topic list (ul.topiclist.topics) on the page")
    forum = breadcrumb_category(doc) or squash(doc.css("h2 a::text, h2::text").get()) or None
    entries = []
    for row in rows:
        link = row.css("a.topictitle")
        if not link:
            raise ParseError("a topic row without a.topictitle")
        href = urljoin(url, link[0].attrib.get("href", ""))
        topic = url_query_parameter(href, "t")
        if not topic or not topic.isdigit():
            raise ParseError(f"no topic id in {href!r}")
        poster = row.css(".topic-poster, dt .list-inner, dt")
        created = None
        if poster:
            created = _moment(poster[0], tz, _after_raquo(
                poster[0].xpath(".//text()[not(ancestor::a[contains(@class,'topictitle')])]"
                                "[not(ancestor::div[contains(@class,'pagination')])]")
                .getall()))
        last_dd = row.css("dd.lastpost")
        last = None
        if last_dd:
            texts = last_dd[0].css("::text").getall()
            last = _moment(last_dd[0], tz, texts[-1] if texts else None)
            if last is None:
                last = local_time(_after_raquo(texts), tz)
        posts_text = squash(" ".join(row.css("dd.posts::text").getall()))
        entries.append(ListEntry(
            external_id=topic, url=topic_url(base_url, topic),
            title=squash(" ".join(link[0].css("::text").getall())), created_at=created,
            last_activity_at=last, num_comments=parse_count(posts_text.split(" ")[0])
            if posts_text else None, score=None, category=forum))
    _, _, next_url = _pagination(doc, url)
    return ListPage(entries, next_url)


def _topic_title(doc: Selector) -> str:
    """The topic's title (`h2.topic-title a`, else the first `h2`); ParseError without."""
    title_link = doc.css("h2.topic-title a, h2 a")
    title = squash(" ".join((title_link[0] if title_link else doc.css("h2")[0])
                            .css("::text").getall())) if (title_link or doc.css("h2")) else ""
    if not title and not doc.css("h2"):
        raise ParseError("no topic title (h2)")
    return title


def _topic_id(doc: Selector, url: str) -> str:
    """The topic id: the URL's `t`, else the title link's or the reply form's."""
    topic = url_query_parameter(url, "t")
    for href in doc.css("h2 a::attr(href), input[name=t]::attr(value)").getall():
        topic = topic or (href if href.isdigit() else url_query_parameter(urljoin(url, href), "t"))
    if not topic:
        raise ParseError("no topic id on the page")
    return topic


def _topic_post(block: Selector, position: int, tz: tzinfo) -> Post:
    post_id = re.sub(r"\D", "", block.attrib.get("id", ""))
    content = block.css("div.content")
    if not post_id or not content:
        raise ParseError("a post without an id or div.content")
    author_p = block.css("p.author")
    author = squash(" ".join(block.css("p.author a.username::text, "
                                       "p.author a.username-coloured::text, "
                                       "p.author strong a::text").getall()[:1])) or None
    created = None
    if author_p:
        created = _moment(author_p[0], tz, _after_raquo(author_p[0].css("::text").getall()))
    return Post(external_id=post_id, body_node=content[0].root,
                created_at=created, author=author, score=None, position=position)


def parse_viewtopic(text: str, url: str, base_url: str, tz: tzinfo) -> ThreadPage:
    """A prosilver `viewtopic.php` page: title, category, posts, paging."""
    doc = html_page(text)
    tz = board_zone(doc, tz)
    blocks = doc.css("div.post[id^=p]")
    if not blocks:
        raise ParseError("no posts (div.post) on the page")
    title = _topic_title(doc)
    topic = _topic_id(doc, url)
    start = int(url_query_parameter(url, "start") or 0)
    posts = [_topic_post(block, start + offset, tz) for offset, block in enumerate(blocks)]
    page, last_page, next_url = _pagination(doc, url)
    total_text = squash(" ".join(doc.css(".pagination::text").getall()))
    total = _POSTS.search(total_text)
    total_posts = parse_count(total.group(1)) if total else None
    return ThreadPage(
        external_id=topic, url=topic_url(base_url, topic), title=title, posts=posts,
        category=breadcrumb_category(doc),
        num_comments=max(0, total_posts - 1) if total_posts else None,
        score=None, page=page, last_page=last_page,
        next_url=next_url if page < last_page else None)
