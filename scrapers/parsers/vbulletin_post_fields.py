"""A vBulletin 3/4 post's header fields (date element, author, post counter, thanks boxes)
from one walk over the post, with the queries they stand in for."""

from __future__ import annotations

from typing import Any

from scrapers.parsers.tree import xpath

AUTHOR_TEXTS = xpath(".//a[contains(@class, 'bigusername')]//text()|.//div[contains(@class, "
                     "'username_container')]//a[contains(@class, 'username')]//text()")
COUNT_TEXTS = xpath(".//a[contains(@class, 'postcounter')]/text()"
                    "|.//a[starts-with(@id, 'postcount')]/strong/text()")


def first_of(found: list[Any]) -> Any | None:
    """The first of a query's results, else None."""
    return found[0] if found else None


class PostFields:
    """What a vB3/vB4 post's lookups need, from walks over the post's `<a>`, `<span>` and
    `<div>` elements (an XPath call costs a few microseconds each, whatever it finds):
    the first `span[@class='date']`, the author and post-counter links, the thanks boxes
    (`thanks`: the page has some), and `message`: the first `div` whose id is `message_id`
    (the post's `#post_message_N`, for `vbulletin_vb34_posts._message` to check against the
    page's id table). `author()` and `count()` give what `AUTHOR_TEXTS` and `COUNT_TEXTS`
    give (first text in document order), the queries themselves answering when the walk
    cannot say alone (two counter links)."""

    __slots__ = ("author_links", "block", "count_links", "date", "message", "thanks")

    def __init__(self, block: Any, thanks: bool, message_id: str = "") -> None:
        self.block = block
        self.date: Any = None
        self.message: Any = None
        authors: list[Any] = []
        counters: list[Any] = []
        boxes: list[Any] = []
        self.author_links, self.count_links, self.thanks = authors, counters, boxes
        # (one tag-filtered walk per tag: no `tag` read and test for each element)
        for el in block.iterdescendants("a"):
            classes = el.get("class")
            if classes:
                if "username" in classes:  # (also "bigusername")
                    authors.append(el)
                if "postcounter" in classes:
                    counters.append(el)
                    continue
            ident = el.get("id")
            if ident and ident.startswith("postcount"):
                counters.append(el)
        for el in block.iterdescendants("span"):
            if el.get("class") == "date":
                self.date = el
                break
        for el in block.iterdescendants("div"):
            ident = el.get("id")
            if ident:
                if thanks and ident.startswith("post_thanks_box_"):
                    boxes.append(el)
                elif ident == message_id and self.message is None:
                    self.message = el
                    if not thanks:  # (nothing else is read from the divs)
                        break

    def author(self) -> str:
        """`" ".join(AUTHOR_TEXTS(block)[:1])`: the first text, in document order, under
        a `bigusername` link or a `username` link inside a `username_container` div. A link
        without text holds no link with text: the first link with text has it."""
        for link in self.author_links:
            if "bigusername" in link.get("class") or self._in_container(link):
                for text in link.itertext():  # (its `.//text()`)
                    return text
        return ""

    def _in_container(self, link: Any) -> bool:
        for above in link.iterancestors():
            if above is self.block:
                return False
            if above.tag == "div" and "username_container" in (above.get("class") or ""):
                return True
        return False

    def count(self) -> str | None:
        """`first_of(COUNT_TEXTS(block))`: the first text of the post counter link."""
        if not self.count_links:
            return None
        if len(self.count_links) > 1:  # (one may hold the other: document order decides)
            return first_of(COUNT_TEXTS(self.block))
        link = self.count_links[0]
        counter = "postcounter" in (link.get("class") or "")
        by_id = (link.get("id") or "").startswith("postcount")
        if counter and link.text is not None:
            return link.text
        for child in link:
            if by_id and child.tag == "strong":
                if child.text is not None:
                    return child.text
                for grandchild in child:
                    if grandchild.tail is not None:
                        return grandchild.tail
            if counter and child.tail is not None:
                return child.tail
        return None
