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


def html_page(text: str) -> Selector:
    """`Selector(text=text)` of an HTML page (XML when it opens with an XML declaration, as
    parsel decides), without parsel's first try at reading the page as JSON (a `json.loads`
    of the whole page, every page).

    An HTML page is parsed as parsel parses it (same bytes, same libxml2 options, so the
    same tree) but with lxml's plain `etree.HTMLParser`: `lxml.html`'s parser calls a Python
    class lookup for every element the parsers and the text walk touch (about 160 a thread
    page). Its elements are plain `etree._Element`s: `drop_tree` below stands in for
    `HtmlElement.drop_tree`."""
    if _XML_DECLARATION.match(text):
        return Selector(text=text, type="xml")
    return Selector(root=html_root(text), type="html")


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
