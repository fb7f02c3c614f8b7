"""HTML -> plain text for thread and reply bodies: one walk over an lxml tree.

Link targets stay in the text as plain URLs ("label (https://...)") because the linker
reads them; quoted text is marked with "> " line prefixes; block elements become line
breaks; scripts, styles and forum chrome (quote headers, "click to expand") are dropped.
Quote headers never survive, whatever the engine: XenForo's "X said:" (`bbCodeBlock-title`,
XF1 `attribution`), phpBB's `<cite>X wrote:</cite>`, Discourse's `.title`, vBulletin's
"Originally Posted by X" (`bbcode_postedby`): the quoted member's name is not stored. A phpBB
`[img]` (`img.postimage`, 3.0's `alt="Image"`) becomes its URL.

`html_to_text` takes an HTML string (Discourse's `cooked`, a stored fragment);
`element_text` and `block_text` take an element of a page the parser already holds, so a
post body is never serialised and parsed again: `element_text(el)` is
`html_to_text(<el serialised>)`, `block_text(el)` is the same for the element read as a
plain `<div>` (XenForo 1's and vBulletin 4's posts are `<blockquote>`s that are not quotes).
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml import html as lxml_html

from scrapers.text_pieces import tidy
from scrapers.text_walk import (
    _BLOCKED,
    _CLASSES,
    _KIND,
    _class_kind,
    _element_lxml,
    _Met,
    _walk_lxml,
)

__all__ = ["block_text", "checked_block_text", "element_text", "html_to_text",
           "reads_as_block", "tidy"]

# huge_tree: without it libxml2 silently drops a text node over 10 MB (a 20 MB post came out
# as the few hundred characters around it).
_PARSER = lxml_html.HTMLParser(huge_tree=True)
_UTF8_PARSER = lxml_html.HTMLParser(huge_tree=True, encoding="utf-8")


def html_to_text(html: str | None, base_url: str | None = None) -> str:
    """Clean text of an HTML fragment, links as "label (URL)", quotes as "> " lines."""
    if not html:
        return ""
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div", parser=_PARSER)
    except ValueError as exc:  # etree.ParserError included
        if isinstance(exc, etree.ParserError):
            return ""  # nothing but blanks or comments
        # a str with an XML encoding declaration: lxml wants it as bytes
        root = lxml_html.fragment_fromstring(html.encode("utf-8"), create_parent="div",
                                             parser=_UTF8_PARSER)
    parts: list[str] = []
    _walk_lxml(root, parts, base_url)
    return tidy("".join(parts))


def element_text(element: Any, base_url: str | None = None) -> str:
    """`html_to_text` of an element of a parsed page (the element itself included, its
    tail not), without serialising it."""
    parts: list[str] = []
    tag = element.tag
    if isinstance(tag, str):
        _element_lxml(element, tag.lower(), parts, base_url)
    return tidy("".join(parts))


def block_text(element: Any, base_url: str | None = None) -> str:
    """`element_text` of the element read as an attribute-less `<div>`: its content as a
    block, whatever its own tag and classes."""
    parts = ["\n"]
    _walk_lxml(element, parts, base_url)
    parts.append("\n")
    return tidy("".join(parts))


def reads_as_block(element: Any) -> bool:
    """Whether `element_text(element, b)` is `block_text(element, b)` for any `b`: an
    element named as a block (a `div`...) whose class names no chrome or quote."""
    tag = element.tag
    if not isinstance(tag, str) or _KIND.get(tag.lower()) != _BLOCKED:
        return False
    attribute = element.get("class")
    if not attribute:
        return True
    known = _CLASSES.get(attribute)
    if known is None:
        known = _class_kind(attribute)
    return known[1] is None


def checked_block_text(element: Any, base_url: str | None, classes: tuple[str, ...],
                       text_mark: str) -> str | None:
    """`block_text(element, base_url)`, or None when the walk meets an element under
    `element` whose class attribute holds one of `classes`, a text or tail under it
    holding `text_mark`, or content the walk does not read (an element it skips, with
    everything under it; an image with text or children). A text given says that nothing
    under `element` has those marks: the caller (vBulletin's quote rewrite) then knows
    its own walk over the body would find nothing, and has the text without a second
    walk. `_walk_lxml` in its checked mode (tested against the plain walk and the
    rewrite's walk on fuzzed trees)."""
    parts = ["\n"]
    try:
        _walk_lxml(element, parts, base_url, classes, text_mark)
    except _Met:
        return None
    parts.append("\n")
    return tidy("".join(parts))

