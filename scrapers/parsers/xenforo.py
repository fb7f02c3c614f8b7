"""XenForo 2 HTML: forum pages (`/forums/<slug>.<id>/page-N`, `structItem--thread` rows)
and thread pages (`/threads/<slug>.<id>/page-N`, `article.message--post`).

Score = the opening post's reactions: the list's "First message reaction score: N" when
present, else the thread page's reactions bar ("A, B and 12 others" = 14).
"""

from __future__ import annotations

import re
from datetime import datetime
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

_THREAD_ID = re.compile(r"/threads/(?:[^/?#]*\.)?(\d+)(?:/|$|\?|#)")
_OTHERS = re.compile(r"\band\s+([\d.,]+\s*[KkMm]?)\s+others?\s*$")
_FIRST_SCORE = re.compile(r"reaction score:\s*([\d.,]+\s*[KkMm]?)", re.IGNORECASE)
_PAGE = re.compile(r"/page-(\d+)/?(?:$|[?#])")


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


def parse_forum_page(text: str, url: str) -> ListPage:
    """A XenForo 2 forum page: its threads and the next page's URL."""
    doc = Selector(text=text)
    rows = doc.css(".structItem--thread")
    if not rows and not doc.css(".structItemContainer, .block-body"):
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


def parse_thread_page(text: str, url: str) -> ThreadPage:
    """A XenForo 2 thread page: title, category, posts, paging."""
    doc = Selector(text=text)
    articles = doc.css("article.message--post")
    if not articles:
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
