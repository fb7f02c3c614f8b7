"""vBulletin 3.8, 4.2 and 5.x HTML: thread pages and board-wide lookups (forum listings
are read by `vbulletin_listing`, URLs and pagination by `vbulletin_urls`, dates by
`vbulletin_dates`, bodies by `vbulletin_bodies`, scores by `vbulletin_scores`).

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
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urljoin

from bs4.dammit import EncodingDetector
from parsel import Selector

from scrapers.parsers.common import (
    ParseError,
    Post,
    ThreadPage,
    from_epoch,
    parse_count,
    squash,
)
from scrapers.parsers.tree import (
    BY_ID,
    PageIds,
    by_id,
    css,
    html_page,
    iter_document,
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
from scrapers.parsers.vbulletin_post_fields import PostFields, first_of
from scrapers.parsers.vbulletin_scores import ScoreMarks, post_score
from scrapers.parsers.vbulletin_urls import (
    next_page_url,
    page_base,
    page_numbers,
    thread_base,
    thread_id_of,
    thread_url,
)

_RESULTS = re.compile(r"Results\s+[\d,.]+\s+to\s+[\d,.]+\s+of\s+([\d,.]+)", re.IGNORECASE)
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


# The marks of a page with crumbs (any of them; "navbar" first: real vB3, vB4 and vB5
# pages all hold it early, in CSS or scripts). `VB34_CRUMB_MARKS`: the same marks in the
# order for a vB3/vB4 thread page's `source`, which is cut before vB4's navbar (`NAVIGATION`)
# and so often lacks "navbar" but holds "navbit" near its start.
CRUMB_MARKS = ("navbar", "navbit", "breadcrumbs")
VB34_CRUMB_MARKS = ("navbit", "navbar", "breadcrumbs")


def breadcrumb_category(doc: Any, html: str | None = None,
                        ids: PageIds | None = None,
                        marks: tuple[str, ...] = CRUMB_MARKS) -> str | None:
    """The forum the page is in: the last forum crumb (vB3 `span.navbar`, vB4 `li.navbit`,
    vB5 `li.crumb`). `html`: the page's text, to skip the lookup on a page without crumbs
    (none of `CRUMB_MARKS` in it; `marks`: those marks in the order to test them); `ids`:
    the page's `PageIds`, when the caller has them."""
    if html is not None and not any(mark in html for mark in marks):
        return None
    root = root_of(doc)
    # vB4 keeps its crumbs in div#breadcrumb: look there first, the whole page otherwise
    holder = by_id(root, "breadcrumb", ids)
    links = crumb_links(holder) if holder is not None else []
    names = [squash(" ".join(a.itertext())) for a in links or _CRUMBS(root)]  # (`_TEXTS`)
    names = [n for n in names if n and n.lower() not in ("home", "forum", "forums")]
    return names[-1] if names else None


_CRUMB_LINKS = ("{0}span[@class='navbar']/a|{0}li[contains(@class, 'navbit')]/a"
                "|{0}ul[@id='breadcrumbs']/li[contains(@class, 'crumb')]/a")
_CRUMBS = xpath(_CRUMB_LINKS.format("//"))
_CRUMBS_IN = xpath(_CRUMB_LINKS.format(".//"))  # (the plain form of `crumb_links`)


def crumb_links(holder: Any) -> list[Any]:
    """`_CRUMBS_IN(holder)` by lxml's tag filter (no query call): the links under `holder`
    whose parent, itself under `holder`, is a `span` of class "navbar", a `li` whose class
    holds "navbit", or a `li` whose class holds "crumb" in a `ul#breadcrumbs` under
    `holder`; in document order."""
    links = []
    for link in holder.iterdescendants("a"):
        parent = link.getparent()
        if parent is holder:
            continue
        tag = parent.tag
        if tag == "span":
            if parent.get("class") == "navbar":
                links.append(link)
        elif tag == "li":
            classes = parent.get("class") or ""
            if "navbit" in classes:
                links.append(link)
            elif "crumb" in classes:
                above = parent.getparent()
                if above is not holder and above.tag == "ul" and \
                        above.get("id") == "breadcrumbs":
                    links.append(link)
    return links
_TEXTS = xpath(".//text()")  # (the plain form of a crumb's `itertext()`, kept for the test)


def _position(text: str | None) -> int | None:
    """The 0-based position a post counter ("#12") gives, else None."""
    if text and text[0] == "#" and text[1:].isdecimal():  # (`\D` is what is not decimal)
        return int(text[1:]) - 1
    digits = _NON_DIGITS.sub("", text or "")
    return int(digits) - 1 if digits else None


def _post_id(block: Any) -> str:
    """The digits of a post block's id (`post_12`, vB3's `post12`)."""
    raw = block.get("id") or ""
    digits = raw[5:] if raw.startswith("post_") else raw[4:] if raw.startswith("post") else ""
    return digits if digits.isdecimal() else _NON_DIGITS.sub("", raw)


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


def _canonical(root: Any, text: str | None = None) -> str | None:
    """The page's `<link rel="canonical">` URL (looked for in <head> first), else None."""
    # (a page without any <link> has none: lxml's tag filter says so before a scan of
    # the text, which a page without "canonical" reads to its end)
    if next(iter_document(root, "link"), None) is None or (
            text is not None and "canonical" not in text):
        return None
    head = root.find("head")
    found = _CANONICAL_IN(head) if head is not None else []
    return first_of(found or _CANONICAL(root))


_CANONICAL = xpath("//link[@rel='canonical']/@href")
_CANONICAL_IN = xpath(".//link[@rel='canonical']/@href")
_THREAD_TITLE = "//span[contains(@class, 'threadtitle')]//text()"


def _vb34_thread(root: Any, url: str, base: str, text: str | None = None,
                 ids: PageIds | None = None) -> tuple[str | None, str | None, str]:
    """A vB3/vB4 page's thread id, canonical URL and title (vB4's in div#pagetitle when
    the page has one)."""
    canonical = _canonical(root, text)
    ext = (thread_id_of(url) or (thread_id_of(urljoin(base, canonical)) if canonical
                                 else None)
           or first_of(xpath("//input[@name='t' or @name='threadid']/@value")(root)))
    holder = by_id(root, "pagetitle", ids)
    texts = title_texts(holder) if holder is not None else []
    if not texts and (text is None or "threadtitle" in text):
        texts = xpath(_THREAD_TITLE)(root)
    title = squash(" ".join(texts)) \
        or squash("".join(xpath("//td[@class='navbar']/strong//text()")(root)))
    return ext, canonical, title


def title_texts(holder: Any) -> list[str]:
    """`xpath("." + _THREAD_TITLE)(holder)` by lxml's tag filter (no query call): the texts
    under each `span` below `holder` whose class holds "threadtitle" (its `.//text()` is
    `itertext()`), a matching span inside one already read adding nothing (XPath's union
    holds each text once); in document order."""
    texts: list[str] = []
    taken = None
    for span in holder.iterdescendants("span"):
        if "threadtitle" in (span.get("class") or ""):
            if taken is not None and any(above is taken for above in span.iterancestors()):
                continue  # (in the last span read: spans read apart come one after another)
            texts.extend(span.itertext())
            taken = span
    return texts


def child_texts(element: Any) -> list[str]:
    """`element`'s `./text()`: its text and the tails of its children (comments too), in
    order, read off the element instead of by a query call."""
    texts = [] if element.text is None else [element.text]
    texts += [child.tail for child in element if child.tail is not None]
    return texts


def _posts_total(root: Any, ids: PageIds | None = None) -> int | None:
    """The thread's post count from "Results 1 to 10 of 42", when the page shows it (vB4's
    div#postpagestats_above first)."""
    stats = by_id(root, "postpagestats_above", ids)
    if stats is not None:
        results = _RESULTS.search(" ".join(child_texts(stats)))
        if results:
            return parse_count(results.group(1))
    results = _RESULTS.search(" ".join(xpath(
        "//div[contains(@class, 'postpagestats')]/text()|//a[contains(@title, 'esults')]/@title"
        "|//span[contains(@title, 'esults')]/@title")(root)))
    return parse_count(results.group(1)) if results else None


def _vb34_posts(root: Any, clock: BoardClock, ids: PageIds | None = None,
                ) -> tuple[list[Post], bool]:
    """The posts of a vB3/vB4 page: those in its `#posts` list (ol#posts, div#posts), else
    those anywhere on the page; and whether their blocks are children of one element (so
    no post, nor its body, lies in another's). Bodies are `finish_body`'s to clean."""
    blocks = vb34_blocks(root, ids)
    post_ids = [_post_id(block) for block in blocks]
    held = _messages_held(root, post_ids)
    posts = [_vb34_post(block, index, root, clock, post_id, held)
             for index, (block, post_id) in enumerate(zip(blocks, post_ids, strict=True))]
    parent = blocks[0].getparent() if blocks else None
    return posts, parent is not None and all(block.getparent() is parent
                                             for block in blocks)


def vb34_blocks(root: Any, ids: PageIds | None = None) -> list[Any]:
    """The post blocks of a vB3/vB4 page: those in its `#posts` list, else those anywhere
    on the page (`vb34_blocks_among`). `ids`: the page's `PageIds`, when at hand."""
    holder = by_id(root, "posts", ids)
    return (vb34_blocks_among(holder.iterdescendants("li", "table")) if holder is not None
            else []) or vb34_blocks_among(iter_document(root, "li", "table"))


def vb34_blocks_among(elements: Iterable[Any]) -> list[Any]:
    """The post blocks among `elements`, which must be `li` and `table` elements only, in
    document order (lxml's tag filter visits the others in C): a `li` whose id starts with
    "post_", and a `table` whose id starts with "post" holding a `div` whose id starts with
    "post_message_". The test's XPath union is the plain form."""
    blocks = []
    for el in elements:
        ident = el.get("id")
        if ident is None or not ident.startswith("post"):
            continue
        if el.tag == "li":
            if ident.startswith("post_"):
                blocks.append(el)
        elif any((div.get("id") or "").startswith("post_message_")
                 for div in el.iterdescendants("div")):
            blocks.append(el)
    return blocks


def _messages_held(root: Any, ids: list[str]) -> dict[str, Any]:
    """The element libxml2's id table holds for each post's `post_message_N`, by id, from
    one `id()` call for the page (XPath's `id("a b")` is the union of `id("a")` and
    `id("b")`; the ids are digits, never blanks). An id missing here is asked alone."""
    idents = " ".join(f"post_message_{post_id}" for post_id in ids if post_id)
    return {el.get("id"): el for el in BY_ID(root, id=idents)} if idents else {}


def _message(block: Any, root: Any, post_id: str, found: Any = None,
             held: dict[str, Any] | None = None) -> list[Any]:
    """The post's `#post_message_N` elements under `block` (found by id in the page when
    the first element with that id is in the block, else by a walk over the block).
    `found`: an element under `block` with that id, when the caller's walk met one (if
    it is the page's first, it is the answer without a walk up); `held`: the id table's
    elements by id (`_messages_held`), when the caller has them."""
    ident = f"post_message_{post_id}"
    first = held.get(ident) if held is not None else None
    if first is None:
        table = BY_ID(root, id=ident)
        if not table:
            return []
        first = table[0]
    if found is not None and first is found:
        return [found]
    if first.get("id") == ident and any(a is block for a in first.iterancestors()) \
            and first is not block:
        return [first]
    return xpath(".//*[@id=$id]")(block, id=ident)


_NON_DIGITS = re.compile(r"\D")
_INNER_BODY = xpath(".//blockquote[contains(@class, 'postcontent')]")


def _inner_body(message: list[Any]) -> Any | None:
    """The first of `_INNER_BODY` under the message elements (vB4's post wrapper), read
    with lxml's tag filter instead of a query call."""
    for part in message:
        for quote in part.iterdescendants("blockquote"):
            if "postcontent" in (quote.get("class") or ""):
                return quote
    return None


def _vb34_post(block: Any, index: int, root: Any, clock: BoardClock, post_id: str,
               held: dict[str, Any] | None = None) -> Post:
    fields = PostFields(block, clock.score_marks[0], f"post_message_{post_id}")
    message = _message(block, root, post_id, fields.message, held)
    if not post_id or not message:
        raise ParseError(f"post {post_id or '?'} has no post_message")
    inner = _inner_body(message)
    post = Post(external_id=post_id, body_node=message[0] if inner is None else inner)
    if fields.date is not None:
        when_text = " ".join(fields.date.itertext())  # (its `.//text()`)
    else:  # vB3: the text after the status icon in the first header cell
        cell = xpath(".//td[contains(@class, 'thead')]")(block)
        when_text = " ".join(xpath("./text()")(cell[0])) if cell else ""
    author = squash(fields.author())
    if not author:
        author = squash(" ".join(css(".username ::text")(block)[:1]))
    position = _position(fields.count())
    post.external_id = post_id
    post.created_at = clock.read(when_text)
    post.author = author or None
    post.score = post_score(block, root, post_id, clock.score_marks, fields.thanks)
    post.position = position if position is not None else index
    return post


def _vb5_posts(blocks: list[Any], root: Any, base: str, clock: BoardClock,
               ) -> tuple[list[Post], str | None, str | None]:
    posts = []
    starter = None
    for index, block in enumerate(blocks):
        node = block.attrib.get("data-node-id", "")
        content = css(".js-post__content-text")(block)
        if not node.isdigit() or not content:
            raise ParseError(f"post {node or '?'} has no .js-post__content-text")
        if "b-post--first" in block.attrib.get("class", "") or "js-conversation-starter" in \
                block.attrib.get("class", ""):
            starter = starter or node
        created = from_epoch(block.attrib.get("data-node-publishdate"))
        if created is None:
            created = clock.read(" ".join(css("time[itemprop=dateCreated]::text")(block)))
        author = squash(" ".join(css("[itemprop=author] .author ::text")(block))) or \
            squash(first_of(css("[itemprop=author] img::attr(alt)")(block)))
        position = _position(first_of(css("a.b-post__count::text")(block)))
        post = Post(external_id=node, body_node=content[0])
        post.external_id, post.created_at, post.author = node, created, author or None
        post.score = post_score(block, marks=clock.score_marks)
        post.position = position if position is not None else index
        posts.append(post)
    canonical = _canonical(root)
    ext = starter or (thread_id_of(urljoin(base, canonical)) if canonical else None)
    return posts, ext, canonical or base
