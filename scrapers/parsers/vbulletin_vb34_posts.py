"""The posts of a vBulletin 3/4 thread page (`vbulletin.parse_thread_page`): the post blocks
(`li#post_N`, vB3's `table#postN`), each post's `#post_message_N`, date, author, counter and
score. Bodies are left to `vbulletin_bodies.finish_body`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from scrapers.parsers.common import ParseError, Post, squash
from scrapers.parsers.tree import BY_ID, PageIds, by_id, css, iter_document, xpath
from scrapers.parsers.vbulletin_dates import BoardClock
from scrapers.parsers.vbulletin_post_fields import PostFields
from scrapers.parsers.vbulletin_scores import post_score


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

