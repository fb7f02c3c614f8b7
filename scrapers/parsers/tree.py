"""Queries on the lxml tree of a page, compiled once: what the page parsers use instead of
parsel's per-call `css()` / `xpath()` (each call translates or looks up its query and wraps
every match in a Selector; the compiled query gives the same nodes, in the same order, as
plain lxml elements and strings).

    css(".bbWrapper")(element) == [s.root for s in Selector(root=element).css(".bbWrapper")]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Final

from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath


def html_page(text: str, skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> Selector:
    """`Selector(text=text, type="html")` of a page, without parsel's first try at reading
    the page as JSON (a `json.loads` of the whole page, every page). A page that opens with
    an XML declaration (XHTML served as text/html) is read as HTML too, as a browser and
    Scrapy's `HtmlResponse.selector` read it: as XML it would have no id table, and its
    XHTML namespace would hide every element from the parsers' queries.

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
    for opening in skip:
        text = without_element(text, opening, keep)
    return Selector(root=html_root(text), type="html"), text


# where a "<div" may be no tag
# (comments, CDATA, doctype-like marks; on the lower-cased page)
_UNCOUNTABLE = re.compile(r"<(?:!|script|style|textarea|xmp|plaintext)")
_AFTER_NAME = frozenset(" \t\n\r\f/>")


# The last extent `without_element` found for each (opening, keep): the element's text and
# whether it was cut. A board prints the same navigation menu on every page: a page whose
# text holds that same element text at the opening is cut (or kept) as the last one was,
# without lower-casing the page and counting its tags again (about 0.18 ms for a 28 kB
# menu; the comparison reads the element once, about 1 us).
_LAST_EXTENT: dict[tuple[str, tuple[str, ...]], tuple[str, bool]] = {}


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
    About 0.1 ms for a 28 kB menu; parsing it costs about 0.8 ms.

    What decides the cut is the element's own text (from the opening to the end of its end
    tag: the count never reads past it): a page holding the last page's element text at
    its opening gets the last page's answer (`_LAST_EXTENT`; `_element_extent` is the
    count itself, tested against this on fuzzed pages)."""
    start = text.find(opening)
    if start < 0:
        return text
    if "\u0130" in text:  # ("İ", the one letter whose lower case is longer: no positions)
        return text
    key = (opening, keep)
    last = _LAST_EXTENT.get(key)
    if last is not None and text.startswith(last[0], start):
        element, cut = last
        return text[:start] + text[start + len(element):] if cut else text
    extent = _element_extent(text, start, opening, keep)
    if extent is None:
        return text
    end, cut = extent
    _LAST_EXTENT[key] = (text[start:end], cut)
    return text[:start] + text[end:] if cut else text


def _element_extent(text: str, start: int, opening: str,
                    keep: tuple[str, ...] = ()) -> tuple[int, bool] | None:
    """Where the element opening at `start` ends (its end tag's `>`, counted) and whether
    `without_element` cuts it (False: it holds an uncountable mark or a `keep` mark); None
    when its end is not found. Reads `text[start:end]` only; `text` holds no "İ" (checked
    by `without_element`), so its lower case has the same positions."""
    low = text.lower()
    name = opening[1:].split(None, 1)[0].lower()
    start_tag, end_tag = "<" + name, "</" + name
    depth, at = 0, start
    next_start = low.find(start_tag, at)
    while True:
        next_end = low.find(end_tag, at)
        if next_end < 0:
            return None
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
            if end == 0:
                return None
            return end, not (_UNCOUNTABLE.search(low, start, end) or any(
                low.find(mark, start, end) >= 0 for mark in keep))


def html_root(text: str) -> Any:
    """The root element of an HTML page, as parsel's `create_root_node` makes it (stripped,
    NUL bytes removed, UTF-8 bytes to libxml2 with `recover` and `huge_tree`; an empty page
    is `<html/>`), from a plain `etree.HTMLParser`."""
    text = text.strip()
    if "\x00" in text:  # (a C scan; `replace` alone copied the page char by char)
        text = text.replace("\x00", "")
    body = text.encode("utf-8") or b"<html/>"
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(body, parser=parser)
    if root is None:  # nothing libxml2 keeps (only a comment, say)
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


def iter_document(root: Any, *tags: Any) -> Iterator[Any]:
    """`root.iter(*tags)` over the whole document, in document order: what an XPath `//tag`
    from `root` finds. libxml2 puts what follows a stray `</html>` in a second top-level
    element beside the root, which `root.iter` alone would miss."""
    for before in reversed(list(root.itersiblings(preceding=True))):
        yield from before.iter(*tags)
    yield from root.iter(*tags)
    for after in root.itersiblings():
        yield from after.iter(*tags)


def drop_tree(element: Any) -> None:
    """Remove `element` and its content from the tree, keeping its tail text
    (`lxml.html.HtmlElement.drop_tree`, for plain elements)."""
    parent = element.getparent()
    assert parent is not None
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            set_text(parent, (parent.text or "") + element.tail)
        else:
            set_tail(previous, (previous.tail or "") + element.tail)
    parent.remove(element)


# what libxml2's HTML parser keeps in text but lxml refuses to set: C0 controls other than
# tab, line feed and carriage return, and the non-characters U+FFFE and U+FFFF
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def set_text(element: Any, text: str | None) -> None:
    """`element.text = text`; characters lxml refuses to set (a form feed or a stray control
    in a real post, which the parse kept) become spaces instead of failing the page."""
    try:
        element.text = text
    except ValueError:
        element.text = _NOT_XML.sub(" ", text or "")


def set_tail(element: Any, tail: str | None) -> None:
    """`element.tail = tail`, as `set_text` sets text."""
    try:
        element.tail = tail
    except ValueError:
        element.tail = _NOT_XML.sub(" ", tail or "")


@cache
def css(query: str) -> etree.XPath:
    """A CSS query (parsel's pseudo-elements `::text` and `::attr(name)` included) compiled
    to an XPath that returns plain strings."""
    return etree.XPath(css2xpath(query), smart_strings=False)


@cache
def xpath(query: str) -> etree.XPath:
    """An XPath query, compiled; text and attribute results are plain strings."""
    return etree.XPath(query, smart_strings=False)


# XPath's whitespace (normalize-space): space, tab, carriage return, line feed
_XML_SPACE = str.maketrans("\t\r\n", "   ")


def has_class(el: Any, name: str) -> bool:
    """Whether `el`'s class attribute holds the word `name`: the test CSS `.name` compiles
    to, `contains(concat(' ', normalize-space(@class), ' '), ' name ')` (XPath's
    whitespace only), for an element already at hand (no query call)."""
    classes = el.get("class")
    if not classes or name not in classes:
        return False
    if classes == name:
        return True
    # (a printable attribute holds no tab, CR or LF: its words are split by spaces alone,
    # without `translate`'s copy, the dearest step)
    return name in (classes if classes.isprintable() else
                    classes.translate(_XML_SPACE)).split(" ")


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


def by_id(root: Any, ident: str, ids: PageIds | None = None) -> Any | None:
    """The element whose `id` is `ident`, from libxml2's table of the page's ids (no walk
    over the page); None when there is none. Only the first of duplicate ids is in the
    table: callers use this for ids a page has once, or as a cheap "is there any".
    `ids`: the page's `PageIds`, when the caller has them (the same answer, cheaper)."""
    if ids is not None:
        return ids.get(ident)
    found = BY_ID(root, id=ident)
    return found[0] if found and found[0].get("id") == ident else None


class PageIds:
    """`by_id` for a page's fixed set of ids from one `id()` call (XPath's `id("a b")` is
    the union of `id("a")` and `id("b")`, the elements the id table holds for each), made
    on the first `get`: one query call a page instead of one an id (each call sets up an
    XPath context, about 12 k instructions). `idents` must hold no whitespace (XPath splits
    the argument there). Any other id is asked by `by_id`."""

    __slots__ = ("_found", "idents", "root")

    def __init__(self, root: Any, idents: tuple[str, ...]) -> None:
        self.root = root
        self.idents = idents
        self._found: dict[str, Any] | None = None

    def get(self, ident: str) -> Any | None:
        """`by_id(root, ident)`."""
        if ident not in self.idents:
            return by_id(self.root, ident)
        found = self._found
        if found is None:
            # (an element the table holds for an id carries that id, checked as `by_id`
            # checks it: one whose attribute differs answers none)
            wanted = self.idents
            found = self._found = {}
            for el in BY_ID(self.root, id=" ".join(wanted)):
                ident_of = el.get("id")
                if ident_of in wanted:
                    found[ident_of] = el
        return found.get(ident)
