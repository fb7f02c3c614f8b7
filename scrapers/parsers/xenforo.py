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
from urllib.parse import urljoin

from parsel import Selector, SelectorList

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

_THREAD_ID = re.compile(r"/threads/(?:[^/?#]*\.)?(\d+)(?:/|$|\?|#)")
_OTHERS = re.compile(r"\band\s+([\d.,]+\s*[KkMm]?)\s+others?\s*$")
_FIRST_SCORE = re.compile(r"reaction score:\s*([\d.,]+\s*[KkMm]?)", re.IGNORECASE)
_PAGE = re.compile(r"/page-(\d+)/?(?:$|[?#])")
_XF1_FIRST_LIKES = re.compile(r"liked the first message:\s*([\d.,]+\s*[KkMm]?)", re.IGNORECASE)
_RATING = re.compile(r"\bx\s*([\d.,]+)")
_DATE_TIME = "//*[self::abbr or self::span][contains(@class, 'DateTime')]"
_XF1_FORMATS = ("%b %d, %Y at %I:%M %p", "%b %d, %Y", "%d %b %Y at %H:%M", "%B %d, %Y at %I:%M %p")


def thread_id_of(url: str) -> str | None:
    """`/threads/some-title.8276/page-2` -> "8276"."""
    match = _THREAD_ID.search(url)
    return match.group(1) if match else None


def thread_base_url(url: str) -> str:
    """A thread URL without `page-N`, query or fragment, ending in '/'."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    url = re.sub(r"/page-\d+/?$", "/", url)
    url = re.sub(r"/(?:post-\d+|latest|unread)/?$", "/", url)
    return url if url.endswith("/") else url + "/"


def reaction_count(text: str | None, names: int | None = None) -> int:
    """"A, B and 12 others" -> 14, "A and B" -> 2, "A" -> 1, "" -> 0.

    `names`: how many names the bar shows (its `<bdi>` elements), when known.
    """
    text = squash(text)
    if not text:
        return 0
    others = 0
    match = _OTHERS.search(text)
    if match:
        others = parse_count(match.group(1)) or 0
        text = text[: match.start()].strip().rstrip(",")
    if names is None:
        parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
        names = len(parts)
    return names + others


def _time(sel: Selector | None) -> tuple[str | None, str | None]:
    if sel is None:
        return None, None
    return sel.attrib.get("data-time"), sel.attrib.get("datetime")


def time_of(sel: Selector | None) -> datetime | None:
    """A `time.u-dt` element's moment: `data-time` (epoch), else `datetime`."""
    epoch, iso = _time(sel)
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


def _first(sel: Selector, query: str) -> Selector | None:
    found = sel.css(query)
    return found[0] if found else None


def _current_and_last_page(doc: Selector, url: str) -> tuple[int, int]:
    current = squash(doc.css(".pageNav-page--current a::text, .pageNav-page--current::text")
                     .get())
    page = int(current) if current.isdigit() else 0
    if not page:
        match = _PAGE.search(url)
        page = int(match.group(1)) if match else 1
    numbers = [int(t) for t in (squash(x) for x in doc.css(".pageNav-page a::text").getall())
               if t.isdigit()]
    return page, max([page, *numbers])


def _next_url(doc: Selector, url: str) -> str | None:
    href = doc.css("a.pageNav-jump--next::attr(href)").get() or \
        doc.css("link[rel=next]::attr(href)").get()
    return urljoin(url, href) if href else None


def breadcrumb_category(doc: Selector) -> str | None:
    """The last breadcrumb (the forum the thread is in)."""
    crumbs = doc.css("ul.p-breadcrumbs")
    if not crumbs:
        return None
    names = [squash(" ".join(li.css("[itemprop=name] ::text, [itemprop=name]::text").getall())
                    or " ".join(li.css("a ::text").getall()))
             for li in crumbs[0].css("li")]
    names = [n for n in names if n]
    return names[-1] if names else None


def parse_forum_page(text: str, url: str, tz: tzinfo = UTC) -> ListPage:
    """A XenForo 2 or 1 forum page: its threads and the next page's URL."""
    doc = Selector(text=text)
    if doc.css("li.discussionListItem, ol.discussionListItems, .discussionList"):
        return _xf1_forum_page(doc, url, tz)
    rows = doc.css(".structItem--thread")
    if not rows:
        refuse_login(doc, url)
        if not doc.css(".structItemContainer, .block-body"):
            raise ParseError("no thread list (structItem--thread) on the page")
    forum = squash(doc.css("h1.p-title-value::text").get()) or None
    entries = []
    for row in rows:
        link = row.css(".structItem-title a[data-tp-primary]") or \
            row.css(".structItem-title a:not(.labelLink)")
        if not link:
            raise ParseError("a thread row without a title link")
        href = urljoin(url, link[-1].attrib.get("href", ""))
        ext = thread_id_of(href)
        if ext is None:
            raise ParseError(f"no thread id in {href!r}")
        pairs: dict[str, str] = {}
        for pair in row.css(".structItem-cell--meta dl"):
            key = squash(" ".join(pair.css("dt ::text").getall())).lower()
            pairs[key] = squash(" ".join(pair.css("dd ::text").getall()))
        score_title = row.css(".structItem-cell--meta::attr(title)").get() or ""
        score_match = _FIRST_SCORE.search(score_title)
        entries.append(ListEntry(
            external_id=ext, url=thread_base_url(href),
            title=squash(" ".join(link[-1].css("::text").getall())),
            created_at=time_of(_first(row, ".structItem-startDate time, "
                                           ".structItem-minor time")),
            last_activity_at=time_of(_first(row, ".structItem-cell--latest time")),
            num_comments=parse_count(pairs.get("replies")),
            score=parse_count(score_match.group(1)) if score_match else None,
            category=forum, author=row.attrib.get("data-author"),
        ))
    return ListPage(entries, _next_url(doc, url))


def parse_thread_page(text: str, url: str, tz: tzinfo = UTC) -> ThreadPage:
    """A XenForo 2 or 1 thread page: title, category, posts, paging."""
    doc = Selector(text=text)
    articles = doc.xpath("//article[contains(@class, 'message--post')]")
    if not articles:
        xf1 = doc.xpath("//li[starts-with(@id, 'post-')][contains(@class, 'message')]")
        if xf1:
            return _xf1_thread_page(doc, xf1, url, tz)
    if not articles:
        refuse_login(doc, url)
        raise ParseError("no posts (article.message--post) on the page")
    key = doc.css("html::attr(data-content-key)").get() or ""
    ext = key.removeprefix("thread-") if key.startswith("thread-") else None
    canonical = doc.css("link[rel=canonical]::attr(href)").get()
    canonical = urljoin(url, canonical) if canonical else None
    ext = ext or thread_id_of(canonical or "") or thread_id_of(url)
    if not ext:
        raise ParseError("no thread id on the page")
    title = squash(" ".join(doc.css("h1.p-title-value::text, "
                                    "h1.p-title-value :not(.label)::text").getall()))
    if not title and not doc.css("h1.p-title-value"):
        raise ParseError("no thread title (h1.p-title-value)")
    posts = []
    for position, art in enumerate(articles):
        content = art.attrib.get("data-content") or art.attrib.get("id") or ""
        post_id = re.sub(r"\D", "", content)
        if not post_id:
            raise ParseError("a post without an id")
        body = art.css(".message-body .bbWrapper").get() or art.css(".bbWrapper").get()
        if body is None:
            raise ParseError(f"post {post_id} has no body (.bbWrapper)")
        bar = _first(art, ".reactionsBar-link")
        score = 0
        if bar is not None:
            bdis = bar.css("bdi")
            score = reaction_count(" ".join(bar.css("::text").getall()),
                                   len(bdis) if bdis else None)
        posts.append(Post(
            external_id=post_id, body_html=body,
            created_at=time_of(_first(art, ".message-attribution-main time.u-dt")
                               or _first(art, "time.u-dt")),
            edited_at=time_of(_first(art, ".message-lastEdit time")),
            author=art.attrib.get("data-author"), score=score, position=position))
    page, last_page = _current_and_last_page(doc, url)
    base = thread_base_url(canonical or url)
    return ThreadPage(
        external_id=ext, url=base, title=title, posts=posts,
        category=breadcrumb_category(doc),
        score=posts[0].score if page == 1 else None,
        page=page, last_page=last_page,
        next_url=_next_url(doc, url) if page < last_page else None,
    )


# -- XenForo 1 --------------------------------------------------------------------------------
def xf1_time(sel: Selector | None, tz: tzinfo) -> datetime | None:
    """An XF1 `.DateTime`: `abbr[data-time]` (epoch), else the `title` (or text) of a
    `span.DateTime` ("Oct 30, 2014 at 10:48 PM") read in zone `tz`."""
    if sel is None:
        return None
    epoch = sel.attrib.get("data-time")
    if epoch and epoch.strip().isdigit():
        return from_epoch(epoch)
    text = squash(sel.attrib.get("title") or " ".join(sel.css("::text").getall()))
    for fmt in _XF1_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None


def _xf1_base(doc: Selector, url: str) -> str:
    href = doc.css("base::attr(href)").get()
    return urljoin(url, href) if href else url


def _xf1_pages(doc: Selector, url: str) -> tuple[int, int, str | None]:
    """(current page, last page, next URL) from `div.PageNav` (no PageNav: one page)."""
    base = _xf1_base(doc, url)
    nav = doc.css("div.PageNav")
    if not nav:
        match = _PAGE.search(url)
        page = int(match.group(1)) if match else 1
        return page, page, None
    page = int(nav[0].attrib.get("data-page") or 1)
    last = int(nav[0].attrib.get("data-last") or page)
    href = doc.css("link[rel=next]::attr(href)").get()
    if not href:
        for link in nav[0].css("nav a.text"):
            if "next" in squash(" ".join(link.css("::text").getall())).lower():
                href = link.attrib.get("href")
    return page, last, urljoin(base, href) if href and page < last else None


def xf1_likes(block: Selector) -> int:
    """Likes under an XF1 post: `.LikeText` ("A, B and 3 others like this.") or a rating
    summary ("Like x 3", "Hugs x 1": summed); 0 when none are shown."""
    like_text = block.xpath(".//span[contains(@class, 'LikeText')]")
    if like_text:
        text = squash(" ".join(like_text[0].css("::text").getall()))
        text = re.sub(r"\s*likes? this\.?$", "", text)
        names = like_text[0].xpath(".//a[contains(@class, 'username')]")
        return reaction_count(text, len(names) if names else None)
    ratings = block.xpath(".//ul[contains(@class, 'dark_postrating_outputlist')]/li"
                          "|.//*[contains(@class, 'ratingsSummary')]//li")
    total = 0
    for rating in ratings:
        match = _RATING.search(squash(" ".join(rating.css("::text").getall())))
        total += parse_count(match.group(1)) or 0 if match else 0
    return total


def _xf1_body(block: Selector) -> str | None:
    text = block.xpath(".//blockquote[contains(@class, 'messageText')]")
    if not text:
        return None
    html = text[0].get()
    # The post itself is a <blockquote>: keep its inside, or the whole post reads as a quote.
    html = re.sub(r"^<blockquote[^>]*>", "<div>", html, count=1)
    html = re.sub(r"</blockquote>\s*$", "</div>", html, count=1)
    return re.sub(r'<div class="messageTextEndMarker">.*?</div>', "", html, flags=re.S)


def _xf1_thread_page(doc: Selector, blocks: SelectorList[Selector], url: str,
                     tz: tzinfo) -> ThreadPage:
    base = _xf1_base(doc, url)
    canonical = doc.css("link[rel=canonical]::attr(href)").get()
    canonical = urljoin(base, canonical) if canonical else None
    ext = thread_id_of(canonical or "") or thread_id_of(url)
    if not ext:
        raise ParseError("no thread id on the page")
    title = squash(" ".join(doc.css(".titleBar h1 ::text").getall()))
    if not title and not doc.css(".titleBar h1"):
        raise ParseError("no thread title (.titleBar h1)")
    posts = []
    for index, block in enumerate(blocks):
        post_id = re.sub(r"\D", "", block.attrib.get("id", ""))
        body = _xf1_body(block)
        if not post_id or body is None:
            raise ParseError(f"post {post_id or '?'} has no body (blockquote.messageText)")
        number = re.sub(r"\D", "", block.xpath(
            ".//a[contains(@class, 'postNumber')]/text()").get() or "")
        meta = block.xpath(".//div[contains(@class, 'messageMeta')]" + _DATE_TIME)
        edit = block.xpath(".//div[contains(@class, 'editDate')]" + _DATE_TIME)
        posts.append(Post(
            external_id=post_id, body_html=body,
            created_at=xf1_time(meta[0] if meta else None, tz),
            edited_at=xf1_time(edit[0] if edit else None, tz),
            author=block.attrib.get("data-author"), score=xf1_likes(block),
            position=int(number) - 1 if number else index))
    page, last_page, next_url = _xf1_pages(doc, url)
    crumbs = [squash(" ".join(c.css("::text").getall()))
              for c in doc.css(".breadcrumb .crumbs a.crumb [itemprop=title], "
                               ".breadcrumb .crumbs a.crumb span")]
    crumbs = [c for c in crumbs if c]
    return ThreadPage(
        external_id=ext, url=thread_base_url(canonical or url), title=title, posts=posts,
        category=crumbs[-1] if crumbs else None,
        score=posts[0].score if page == 1 and posts else None,
        page=page, last_page=last_page, next_url=next_url)


def _xf1_forum_page(doc: Selector, url: str, tz: tzinfo) -> ListPage:
    base = _xf1_base(doc, url)
    forum = squash(" ".join(doc.css(".titleBar h1 ::text").getall())) or None
    entries = []
    for row in doc.css("li.discussionListItem"):
        link = row.css("h3.title a[href*='threads/']") or row.css("h3.title a")
        if not link:
            raise ParseError("a thread row without a title link")
        href = urljoin(base, link[-1].attrib.get("href", ""))
        ext = re.sub(r"\D", "", row.attrib.get("id", "")) or thread_id_of(href)
        if not ext:
            raise ParseError(f"no thread id in {href!r}")
        pairs: dict[str, str] = {}
        for pair in row.css(".stats dl"):
            key = squash(" ".join(pair.css("dt ::text").getall())).rstrip(":").lower()
            pairs[key] = squash(" ".join(pair.css("dd ::text").getall()))
        likes = _XF1_FIRST_LIKES.search(row.css(".stats::attr(title)").get() or "")
        entries.append(ListEntry(
            external_id=ext, url=thread_base_url(href),
            title=squash(" ".join(link[-1].css("::text").getall())),
            created_at=xf1_time(_first(row, ".posterDate .DateTime, .startDate .DateTime"), tz),
            last_activity_at=xf1_time(_first(row, ".lastPost .DateTime"), tz),
            num_comments=parse_count(pairs.get("replies")),
            score=parse_count(likes.group(1)) if likes else None,
            category=forum, author=row.attrib.get("data-author")))
    if not entries and not doc.css("ol.discussionListItems, .discussionList"):
        raise ParseError("no thread list (li.discussionListItem) on the page")
    return ListPage(entries, _xf1_pages(doc, url)[2])
