"""A XenForo 1 post's fields (body, its end markers, post number link, meta and edit dates,
like text) and a forum page's thread row's fields (title links, stats, dates), each from one
walk, with the queries they stand in for."""

from __future__ import annotations

from typing import Any

from scrapers.parsers.tree import css, xpath

DATE_TIME = "//*[self::abbr or self::span][contains(@class, 'DateTime')]"
BODY = xpath(".//blockquote[contains(@class, 'messageText')]")
END_MARKERS = xpath(".//div[@class='messageTextEndMarker']")
POST_NUMBER = xpath(".//a[contains(@class, 'postNumber')]/text()")
META_TIME = xpath(".//div[contains(@class, 'messageMeta')]" + DATE_TIME)
EDIT_TIME = xpath(".//div[contains(@class, 'editDate')]" + DATE_TIME)
LIKE_TEXT = xpath(".//span[contains(@class, 'LikeText')]")
USERNAMES = xpath(".//a[contains(@class, 'username')]")


# The tags `PostFields` reads (the walk's lxml tag filter passes over `<b>`, `<br>`, `<p>`...)
_WALKED = ("div", "abbr", "span", "a", "blockquote")


def first_of(found: list[Any]) -> Any | None:
    """The first of a query's results, else None."""
    return found[0] if found else None


class PostFields:
    """What an XF1 post's lookups need, from one walk over the post's elements (an XPath
    call costs several microseconds each, whatever it finds; a post has about 20 elements):

    - `body`: `first_of(BODY(block))`; `markers`: `END_MARKERS(body)` (the body's end
      markers, dropped from the tree by the caller: `drop_markers`);
    - `number()`: `first_of(POST_NUMBER(block))`;
    - `meta_time`, `edit_time` (`edits`: the page's text has an edit date, else None):
      `first_of(META_TIME(block))`, `first_of(EDIT_TIME(block))`;
    - `like_text`: `first_of(LIKE_TEXT(block))`; `like_names`: `len(USERNAMES(like_text))`
      (counted in the walk: the like text comes before what is under it).

    Each is read off the tree as it is after `drop_markers` (what the queries, run after
    the drop, find): a marker holding elements sends every lookup back to its query."""

    __slots__ = ("block", "body", "edit_time", "edits", "like_names", "like_text", "markers",
                 "meta_time", "number_links", "walked")

    def __init__(self, block: Any, edits: bool) -> None:
        self.block, self.edits = block, edits
        self.walked = True  # False: the walk's finds may be stale (`drop_markers`)
        body = meta_time = edit_time = like_text = None
        markers: list[Any] = []
        numbers: list[Any] = []
        # a div.messageMeta / div.editDate seen (a date inside one comes after it)
        metas = edit_divs = False
        names = 0  # `username` links under the like text
        for el in block.iterdescendants(_WALKED):  # (the tags tested below; lxml skips the rest)
            tag = el.tag
            if tag == "div":
                classes = el.get("class")
                if classes:
                    if "messageMeta" in classes:
                        metas = True
                    if edits and "editDate" in classes:
                        edit_divs = True
                    if classes == "messageTextEndMarker" and body is not None and \
                            self._under(el, body):
                        markers.append(el)
            elif tag == "abbr" or tag == "span":
                classes = el.get("class")
                if classes:
                    if "DateTime" in classes:
                        if metas and meta_time is None and self._in_div(el, "messageMeta"):
                            meta_time = el
                        if edit_divs and edit_time is None and self._in_div(el, "editDate"):
                            edit_time = el
                    if like_text is None and tag == "span" and "LikeText" in classes:
                        like_text = el
            elif tag == "a":
                classes = el.get("class")
                if classes:
                    if "postNumber" in classes:
                        numbers.append(el)
                    if like_text is not None and "username" in classes and (
                            el.getparent() is like_text or self._under(el, like_text)):
                        names += 1
            elif tag == "blockquote" and body is None and "messageText" in (
                    el.get("class") or ""):
                body = el
        self.body, self.markers, self.number_links = body, markers, numbers
        self.meta_time, self.edit_time, self.like_text = meta_time, edit_time, like_text
        self.like_names = names

    def _under(self, el: Any, above: Any) -> bool:
        """`above` is an ancestor of `el` (below the post)."""
        for parent in el.iterancestors():
            if parent is above:
                return True
            if parent is self.block:
                return False
        return False

    def _in_div(self, el: Any, word: str) -> bool:
        """`el` is inside a `div` (below the post) whose class holds `word`."""
        for parent in el.iterancestors():
            if parent is self.block:
                return False
            if parent.tag == "div" and word in (parent.get("class") or ""):
                return True
        return False

    def drop_markers(self, drop: Any) -> None:
        """`drop(marker)` for each end marker of the body; a marker holding elements (which
        may be what another lookup finds) sends the lookups back to their queries."""
        for marker in self.markers:
            if len(marker):
                self.walked = False
            drop(marker)
        if not self.walked:
            block = self.block
            self.meta_time = first_of(META_TIME(block))
            self.edit_time = first_of(EDIT_TIME(block)) if self.edits else None
            self.like_text = like = first_of(LIKE_TEXT(block))
            self.like_names = self.usernames(like) if like is not None else 0

    def number(self) -> str | None:
        """`first_of(POST_NUMBER(block))`: the first text child of a `postNumber` link."""
        links = self.number_links
        if len(links) != 1 or not self.walked:  # (nested links: document order decides)
            return first_of(POST_NUMBER(self.block))
        link = links[0]
        if link.text is not None:
            return link.text
        for child in link:
            if child.tail is not None:
                return child.tail
        return None

    @staticmethod
    def usernames(like: Any) -> int:
        """`len(USERNAMES(like))`: the `username` links under the like text."""
        return sum(1 for a in like.iterdescendants("a") if "username" in (a.get("class") or ""))


# A forum page's thread row (`li.discussionListItem`): the CSS queries `RowFields` stands in for
TITLE_LINKS = css("h3.title a[href*='threads/']")
ANY_TITLE_LINKS = css("h3.title a")
STATS_PAIRS = css(".stats dl")
STATS_TITLE = css(".stats::attr(title)")
STARTED = css(".posterDate .DateTime, .startDate .DateTime")
LAST_POST = css(".lastPost .DateTime")
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def _padded(classes: str) -> str:
    """A class attribute as CSS's class test reads it: " a b " (XML spaces as spaces)."""
    if "\t" in classes or "\n" in classes or "\r" in classes:
        classes = classes.translate(_XML_SPACE)  # (a few microseconds: only when needed)
    return f" {classes} "


def _outer(containers: list[Any], row: Any) -> list[Any]:
    """`containers` (in document order), or only the first when it holds all the others
    (what is under any of them is then what is under it)."""
    if len(containers) < 2:
        return containers
    first = containers[0]
    for other in containers[1:]:
        for above in other.iterancestors():
            if above is first:
                break
            if above is row:
                return containers
        else:
            return containers
    return containers[:1]


def _first_date(containers: list[Any]) -> Any | None:
    """The first `.DateTime` element under the only one of `containers`, else None."""
    if containers:
        for el in containers[0].iterdescendants():
            classes = el.get("class") if isinstance(el.tag, str) else None
            if classes and " DateTime " in _padded(classes):
                return el
    return None


class RowFields:
    """What an XF1 thread row's lookups need, from one walk over the row (about 20
    elements; each CSS query is an XPath call testing classes):

    - `links`: `ANY_TITLE_LINKS(row)`, `thread_links`: `TITLE_LINKS(row)`;
    - `pairs`: `STATS_PAIRS(row)`, `stats_title`: `first_of(STATS_TITLE(row))`;
    - `started`, `last_post`: `first_of(STARTED(row))`, `first_of(LAST_POST(row))`.

    The walk finds the containers (`h3.title`, `.stats`, `.posterDate` or `.startDate`,
    `.lastPost`); what is under a row's only container of a kind (or the one holding the
    others: `.startDate` inside `.posterDate`) is read off it, and the query answers when
    a row has several apart."""

    __slots__ = ("last_post", "links", "pairs", "started", "stats_title", "thread_links")

    def __init__(self, row: Any) -> None:
        heads: list[Any] = []
        stats: list[Any] = []
        starts: list[Any] = []
        lasts: list[Any] = []
        stats_title = None
        for el in row.iter():
            classes = el.get("class") if isinstance(el.tag, str) else None  # (no comments)
            if not classes:
                continue
            padded = _padded(classes)
            if " stats " in padded:
                stats.append(el)
                if stats_title is None:
                    stats_title = el.get("title")
            if " title " in padded and el.tag == "h3":
                heads.append(el)
            if " posterDate " in padded or " startDate " in padded:
                starts.append(el)
            if " lastPost " in padded:
                lasts.append(el)
        self.stats_title = stats_title
        heads, stats, starts, lasts = (_outer(found, row)
                                       for found in (heads, stats, starts, lasts))
        if len(heads) > 1:
            self.links, self.thread_links = ANY_TITLE_LINKS(row), TITLE_LINKS(row)
        else:
            self.links = list(heads[0].iterdescendants("a")) if heads else []
            self.thread_links = [a for a in self.links if "threads/" in (a.get("href") or "")]
        self.pairs = STATS_PAIRS(row) if len(stats) > 1 else \
            list(stats[0].iterdescendants("dl")) if stats else []
        self.started = first_of(STARTED(row)) if len(starts) > 1 else _first_date(starts)
        self.last_post = first_of(LAST_POST(row)) if len(lasts) > 1 else _first_date(lasts)

    @staticmethod
    def texts(pair: Any, name: str) -> str:
        """`text_of(pair, f"{name} ::text")`: the texts under the pair's `name` elements."""
        found = list(pair.iter(name))
        if len(found) == 1:
            return " ".join(found[0].itertext())
        return " ".join(css(f"{name} ::text")(pair))  # (none, or one inside another)
