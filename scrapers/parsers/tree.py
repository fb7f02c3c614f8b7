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
    of the whole page, every page)."""
    return Selector(text=text, type="xml" if _XML_DECLARATION.match(text) else "html")


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


_BY_ID = xpath("id($id)")


def by_id(root: Any, ident: str) -> Any | None:
    """The element whose `id` is `ident`, from libxml2's table of the page's ids (no walk
    over the page); None when there is none. Only the first of duplicate ids is in the
    table: callers use this for ids a page has once, or as a cheap "is there any"."""
    found = _BY_ID(root, id=ident)
    return found[0] if found and found[0].get("id") == ident else None
