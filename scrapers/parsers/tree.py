"""Queries on the lxml tree of a page, compiled once: what the page parsers use instead of
parsel's per-call `css()` / `xpath()` (each call translates or looks up its query and wraps
every match in a Selector; the compiled query gives the same nodes, in the same order, as
plain lxml elements and strings).

    css(".bbWrapper")(element) == [s.root for s in Selector(root=element).css(".bbWrapper")]
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath

_XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # (parsel's own test)


def html_page(text: str, skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> Selector:
    """`Selector(text=text)` of an HTML page (XML when it opens with an XML declaration, as
    parsel decides), without parsel's first try at reading the page as JSON (a `json.loads`
    of the whole page, every page).

    An HTML page is parsed as parsel parses it (same bytes, same libxml2 options, so the
    same tree) but with lxml's plain `etree.HTMLParser`: `lxml.html`'s parser calls a Python
    class lookup for every element the parsers and the text walk touch (about 160 a thread
    page). Its elements are plain `etree._Element`s: `drop_tree` below stands in for
    `HtmlElement.drop_tree`.

    `skip`: openings of elements the caller never reads (a page's navigation menu, most of
    a forum page's markup): the first element starting with each is left out of the parse
    (`without_element`), unless it holds one of the marks in `keep`."""
    return parsed_page(text, skip, keep)[0]


def parsed_page(text: str, skip: tuple[str, ...] = (),
                keep: tuple[str, ...] = ()) -> tuple[Selector, str]:
    """`html_page(text, skip)` and the text its tree was parsed from (`text` less the
    skipped elements). Markup the tree holds is written in that text: a parser tests it
    ("no pager class in the text: no pager to look up") instead of the whole page, a third
    of it on a page padded with navigation (each `in` test reads the string it tests).
    `keep`: lower-case marks of the content the caller reads (`id="threads"`): a skipped
    element whose counted extent holds one is kept (an unclosed `<div>` in a menu would
    otherwise carry the count past the menu, over the thread list)."""
    if _XML_DECLARATION.match(text):
        return Selector(text=text, type="xml"), text
    for opening in skip:
        text = without_element(text, opening, keep)
    return Selector(root=html_root(text), type="html"), text


# where a "<div" may be no tag
# (comments, CDATA, doctype-like marks; on the lower-cased page)
_UNCOUNTABLE = re.compile(r"<(?:!|script|style|textarea|xmp|plaintext)")
_AFTER_NAME = frozenset(" \t\n\r\f/>")
# (opening, keep) -> the element `without_element` cut last (its text, start tag to end tag)
_last_cut: dict[tuple[str, tuple[str, ...]], str] = {}


def without_element(text: str, opening: str, keep: tuple[str, ...] = ()) -> str:
    """`text` without the element that starts at the first `opening` (its start tag, e.g.
    `<nav class="p-nav"`, up to the first attribute that tells it apart): start tag, content
    and end tag go; the text after it stays. The end tag is found by counting the start and
    end tags of the same name (any case); an element holding comments, scripts or styles
    (where a tag may be no tag) or without its end tag is kept. Parsed, the rest of the page
    gives the tree the whole page gives less that element (tests/scrapers/test_page_skip.py;
    not so for an element inside an open `<p>`, which libxml2 would have closed there: the
    menus skipped are children of the page's containers). An element holding one of the
    lower-case marks in `keep` is kept too (a count that ran past an unclosed tag).
    About 0.15 ms for a 28 kB menu (parsing it costs about 0.8 ms); a few microseconds
    when the page holds, at the opening, the element cut from the page before
    (`_last_cut`: the pages of a board share their menu)."""
    start = text.find(opening)
    if start < 0:
        return text
    ascii_only = text.isascii()
    low = text if ascii_only else text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): no positions
        return text
    last = _last_cut.get((opening, keep))
    if last is not None and text.startswith(last, start):
        # The same characters from the opening: the count ends at the same end tag, over the
        # same comments and marks (nothing outside them decides; the length test is above).
        return text[:start] + text[start + len(last):]
    if ascii_only:
        low = text.lower()
    name = opening[1:].split(None, 1)[0].lower()
    start_tag, end_tag = "<" + name, "</" + name
    depth, at = 0, start
    next_start = low.find(start_tag, at)
    while True:
        next_end = low.find(end_tag, at)
        if next_end < 0:
            return text
        if 0 <= next_start < next_end:
            at = next_start + len(start_tag)
            depth += low[at:at + 1] in _AFTER_NAME
            next_start = low.find(start_tag, at)
            continue
        at = next_end + len(end_tag)
        if low[at:at + 1] not in _AFTER_NAME:
            continue
        depth -= 1
        if depth == 0:
            end = low.find(">", at) + 1
            if end == 0 or _UNCOUNTABLE.search(low, start, end) or any(
                    low.find(mark, start, end) >= 0 for mark in keep):
                return text
            _last_cut[opening, keep] = text[start:end]
            return text[:start] + text[end:]


def html_root(text: str) -> Any:
    """The root element of an HTML page, as parsel's `create_root_node` makes it (stripped,
    NUL bytes removed, UTF-8 bytes to libxml2 with `recover` and `huge_tree`; an empty page
    is `<html/>`), from a plain `etree.HTMLParser`."""
    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(body, parser=parser)
    if root is None:  # nothing libxml2 keeps (only a comment, say)
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


def drop_tree(element: Any) -> None:
    """Remove `element` and its content from the tree, keeping its tail text
    (`lxml.html.HtmlElement.drop_tree`, for plain elements)."""
    parent = element.getparent()
    assert parent is not None
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


@cache
def css(query: str) -> etree.XPath:
    """A CSS query (parsel's pseudo-elements `::text` and `::attr(name)` included) compiled
    to an XPath that returns plain strings."""
    return etree.XPath(css2xpath(query), smart_strings=False)


@cache
def xpath(query: str) -> etree.XPath:
    """An XPath query, compiled; text and attribute results are plain strings."""
    return etree.XPath(query, smart_strings=False)


def first(node: Any, query: str) -> Any | None:
    """The first match of CSS `query` under (and including) `node`, else None."""
    found = css(query)(node)
    return found[0] if found else None


def text_of(node: Any, query: str = "::text") -> str:
    """The texts CSS `query` finds under `node`, joined with spaces."""
    return " ".join(css(query)(node))


def outer_html(node: Any) -> str:
    """The element serialised as HTML, without its tail (parsel's `Selector.get()`)."""
    return etree.tostring(node, method="html", encoding="unicode", with_tail=False)


def root_of(node: Any) -> Any:
    """The lxml element of a parsel Selector (or the element itself)."""
    return node.root if isinstance(node, Selector) else node


# Elements by id from libxml2's id table (`BY_ID(root, id=...)`: every element it holds for
# the id, no walk over the page); `by_id` checks the first.
BY_ID = xpath("id($id)")


def by_id(root: Any, ident: str) -> Any | None:
    """The element whose `id` is `ident`, from libxml2's table of the page's ids (no walk
    over the page); None when there is none. Only the first of duplicate ids is in the
    table: callers use this for ids a page has once, or as a cheap "is there any"."""
    found = BY_ID(root, id=ident)
    return found[0] if found and found[0].get("id") == ident else None
