"""A XenForo 1 post's fields (body, its end markers, post number link, meta and edit dates,
like text) from one walk over the post, with the queries they stand in for."""

from __future__ import annotations

from typing import Any

from scrapers.parsers.tree import xpath

DATE_TIME = "//*[self::abbr or self::span][contains(@class, 'DateTime')]"
BODY = xpath(".//blockquote[contains(@class, 'messageText')]")
END_MARKERS = xpath(".//div[@class='messageTextEndMarker']")
POST_NUMBER = xpath(".//a[contains(@class, 'postNumber')]/text()")
META_TIME = xpath(".//div[contains(@class, 'messageMeta')]" + DATE_TIME)
EDIT_TIME = xpath(".//div[contains(@class, 'editDate')]" + DATE_TIME)
LIKE_TEXT = xpath(".//span[contains(@class, 'LikeText')]")
USERNAMES = xpath(".//a[contains(@class, 'username')]")


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
    - `like_text`: `first_of(LIKE_TEXT(block))`, `usernames(like)`: `len(USERNAMES(like))`.

    Each is read off the tree as it is after `drop_markers` (what the queries, run after
    the drop, find): a marker holding elements sends every lookup back to its query."""

    __slots__ = ("block", "body", "edit_time", "edits", "like_text", "markers", "meta_time",
                 "number_links", "walked")

    def __init__(self, block: Any, edits: bool) -> None:
        self.block, self.edits = block, edits
        self.walked = True  # False: the walk's finds may be stale (`drop_markers`)
        body = meta_time = edit_time = like_text = None
        markers: list[Any] = []
        numbers: list[Any] = []
        # a div.messageMeta / div.editDate seen (a date inside one comes after it)
        metas = edit_divs = False
        for el in block.iterdescendants():
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
                if classes and "postNumber" in classes:
                    numbers.append(el)
            elif tag == "blockquote" and body is None and "messageText" in (
                    el.get("class") or ""):
                body = el
        self.body, self.markers, self.number_links = body, markers, numbers
        self.meta_time, self.edit_time, self.like_text = meta_time, edit_time, like_text

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
            self.like_text = first_of(LIKE_TEXT(block))

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
