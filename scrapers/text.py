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

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

_BLOCK = frozenset({
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "section", "article", "header", "footer", "aside", "dl", "dt", "dd", "hr",
    "figure", "figcaption", "details", "summary",
})
_QUOTE = frozenset({"blockquote"})
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg",
                   "button", "form", "input", "select", "textarea", "cite"})
# Forum chrome inside quotes/attachments that is not the author's text.
_CHROME_CLASSES = frozenset({"bbCodeBlock-expandLink", "bbCodeBlock-title", "quote-controls",
                             "title", "meta", "lightbox-wrapper", "bbCodeBlock-shrinkLink",
                             "attribution", "quoteExpand", "bbcode_postedby",
                             "bbcode_description"})
# Images that stand for a URL the author posted ([img] in phpBB), not decoration.
_URL_IMAGES = frozenset({"postimage"})
# `tidy` turns every run of spaces, tabs, no-break spaces... that is not a lone space into
# one space (`[ \t\r\f\v\u00a0]+` -> " ", lone spaces left as they are). It does so in two
# steps: each odd space becomes a space (`str.replace`, a C scan), then runs of two or more
# spaces become one (`_RUNS`, whose literal opening `re` scans for; a pattern opening with a
# class of space characters tried a match at every space of a post, about 60 instructions
# each).
_RUNS = re.compile("  +")
# Runs of three or more line breaks (`\n{3,}`, spelt with a literal opening: `re` then scans
# for "\n\n" instead of trying a match at every line break, 80 k -> 10 k instructions a post)
_BLANKS = re.compile(r"\n\n\n+")
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


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim lines, keep at most one blank line in a row.

    Cheap checks skip the regexes a text does not need (a Reddit dump import tidies
    millions of bodies, most with single spaces and no blank-line runs)."""
    # the odd spaces a run may hold besides spaces (`replace` returns the text itself when
    # it holds none; runs never span a line break)
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\r", " ") \
        .replace("\f", " ").replace("\v", " ")
    if "  " in text:
        text = _RUNS.sub(" ", text)
    if "\n" not in text:  # (a link's label, most often)
        return text.strip()
    text = "\n".join(map(str.strip, text.split("\n")))
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def _image(src: object, alt: object, classes: Iterable[str], parts: list[str],
           base_url: str | None) -> None:
    """An [img] as its URL; emoji and smilies as their alt text; other images dropped."""
    if isinstance(src, str) and src.strip() and (any(c in _URL_IMAGES for c in classes)
                                                 or alt == "Image"):  # phpBB 3.0 [img]
        parts.append(urljoin(base_url, src.strip()) if base_url else src.strip())
        return
    if isinstance(alt, str) and alt.strip() and len(alt) <= 40:
        parts.append(alt)


def _append_link(label: str, href: object, parts: list[str], base_url: str | None) -> None:
    # (the "#" and "javascript:" test on the href as written, before its strip)
    if not isinstance(href, str) or href.startswith(("#", "javascript:")) or \
            not (href := href.strip()):
        parts.append(label)
        return
    if base_url and not href.startswith(("http://", "https://", "mailto:")):
        href = urljoin(base_url, href)
    if href.startswith("mailto:"):
        parts.append(label)
    elif not label or label.rstrip("/") == href.rstrip("/") or \
            (label.endswith(("…", "...")) and _same_target(label, href)):
        parts.append(href)
    else:
        parts.append(f"{label} ({href})")


def _same_target(label: str, href: str) -> bool:
    """The label is (a shortened form of) the URL itself."""
    if not label or label.rstrip("/") == href.rstrip("/"):
        return True
    if label.endswith(("…", "...")):
        stem = label.rstrip(".…").removeprefix("https://").removeprefix("http://")
        return stem in href
    return False


# What each element name is to the walk (names as libxml2's HTML parser gives them, lower
# case; any other name is looked up lower-cased, and an unknown one is inline).
_SKIPPED, _QUOTED, _LINK, _IMAGE, _BLOCKED, _INLINE = range(6)
_KIND = {**{name: _INLINE for name in ("b", "i", "u", "s", "em", "strong", "span", "font",
                                        "small", "big", "sub", "sup", "code", "strike")},
         **{name: _BLOCKED for name in _BLOCK}, **{name: _QUOTED for name in _QUOTE},
         **{name: _SKIPPED for name in _SKIP}, "a": _LINK, "img": _IMAGE}


# A class attribute's words and what they make of an element the walk does not skip by
# name (`_SKIPPED` for chrome, `_QUOTED` for XenForo's quote class, None: its name
# decides), by attribute text: a board repeats a few class attributes on every page
# (cleared when full).
_CLASSES: dict[str, tuple[tuple[str, ...], int | None]] = {}


def _class_kind(attribute: str) -> tuple[tuple[str, ...], int | None]:
    """`_CLASSES`' entry for a class attribute, added to it."""
    classes = tuple(attribute.split())
    override = _SKIPPED if not _CHROME_CLASSES.isdisjoint(classes) else \
        _QUOTED if "bbCodeBlock--quote" in classes else None
    if len(_CLASSES) >= 4096:
        _CLASSES.clear()
    known = _CLASSES[attribute] = (classes, override)
    return known


def _walk_lxml(node: Any, parts: list[str], base_url: str | None) -> None:
    """Append the text of `node`'s content (its own text, its children, their tails).

    One function for every element (a table of what each name is instead of a chain of
    tests, no call for an element without content): what `_element_lxml` gives for each
    child, `tests/scrapers/test_text_walk.py` compares the two on fuzzed trees."""
    text = node.text
    if text:
        parts.append(text.replace("\n", " "))
    for child in node:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            kind = _KIND.get(tag)
            if kind is None:
                kind = _KIND.get(tag.lower(), _INLINE)
            if kind:  # (not _SKIPPED)
                attribute = child.get("class")
                if attribute:
                    known = _CLASSES.get(attribute)
                    if known is None:
                        known = _class_kind(attribute)
                    classes, override = known
                    if override is not None:
                        kind = override
                else:
                    classes = ()
                if kind >= _BLOCKED:  # (_BLOCKED or _INLINE)
                    block = kind == _BLOCKED
                    if block:
                        parts.append("\n")
                    if len(child):
                        _walk_lxml(child, parts, base_url)
                    else:  # (a leaf: its text is all the walk would give, no call)
                        text = child.text
                        if text:
                            parts.append(text.replace("\n", " "))
                    if block:
                        parts.append("\n")
                elif kind == _LINK:
                    if len(child):
                        inner: list[str] = []
                        _walk_lxml(child, inner, base_url)
                        label = tidy("".join(inner))
                    else:
                        label = child.text
                        if not label:
                            label = ""
                        elif label.isascii() and label.isprintable() and "  " not in label:
                            label = label.strip()  # (what `tidy` gives such a label)
                        else:
                            label = tidy(label.replace("\n", " "))
                    _append_link(label, child.get("href"), parts, base_url)
                elif kind == _IMAGE:
                    _image(child.get("src"), child.get("alt"), classes, parts, base_url)
                elif kind == _QUOTED:
                    _quote(child, parts, base_url)
        tail = child.tail
        if tail:
            parts.append(tail.replace("\n", " "))


def _quote(el: Any, parts: list[str], base_url: str | None) -> None:
    """A quote's text, its lines marked "> "."""
    inner: list[str] = []
    _walk_lxml(el, inner, base_url)
    quoted = tidy("".join(inner))
    if quoted:
        marked = "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
        parts.append(f"\n{marked}\n")


def _element_lxml(el: Any, name: str, parts: list[str], base_url: str | None) -> None:
    """The text of element `el` (named `name`, lower case), its tail left out: what
    `_walk_lxml` appends for a child, before its tail."""
    kind = _KIND.get(name, _INLINE)
    if kind == _SKIPPED:
        return
    attribute = el.get("class")
    classes = attribute.split() if attribute else ()
    if classes and not _CHROME_CLASSES.isdisjoint(classes):
        return
    if kind == _QUOTED or "bbCodeBlock--quote" in classes:
        _quote(el, parts, base_url)
    elif kind == _LINK:
        inner: list[str] = []
        _walk_lxml(el, inner, base_url)
        _append_link(tidy("".join(inner)), el.get("href"), parts, base_url)
    elif kind == _IMAGE:
        _image(el.get("src"), el.get("alt"), classes, parts, base_url)
    elif kind == _BLOCKED:
        parts.append("\n")
        _walk_lxml(el, parts, base_url)
        parts.append("\n")
    else:
        _walk_lxml(el, parts, base_url)


class _Met(Exception):
    """`checked_block_text`'s walk met what it stops at."""


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
    walk. `_walk_lxml`'s steps, with those checks (tested against it and the rewrite's
    walk on fuzzed trees)."""
    parts = ["\n"]
    try:
        _walk_checked(element, parts, base_url, classes, text_mark)
    except _Met:
        return None
    parts.append("\n")
    return tidy("".join(parts))


def _walk_checked(node: Any, parts: list[str], base_url: str | None,
                  marks: tuple[str, ...], text_mark: str) -> None:
    """`_walk_lxml(node, parts, base_url)`, raising `_Met` at what `checked_block_text`
    stops at."""
    text = node.text
    if text:
        if text_mark in text:
            raise _Met
        parts.append(text.replace("\n", " "))
    for child in node:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            kind = _KIND.get(tag)
            if kind is None:
                kind = _KIND.get(tag.lower(), _INLINE)
            if not kind:  # (_SKIPPED: its content is not read)
                raise _Met
            attribute = child.get("class")
            if attribute:
                for mark in marks:
                    if mark in attribute:
                        raise _Met
                known = _CLASSES.get(attribute)
                if known is None:
                    known = _class_kind(attribute)
                classes, override = known
                if override is not None:
                    if not override:
                        raise _Met
                    kind = override
            else:
                classes = ()
            if kind >= _BLOCKED:  # (_BLOCKED or _INLINE)
                block = kind == _BLOCKED
                if block:
                    parts.append("\n")
                if len(child):
                    _walk_checked(child, parts, base_url, marks, text_mark)
                else:  # (a leaf: its text is all the walk would give, no call)
                    text = child.text
                    if text:
                        if text_mark in text:
                            raise _Met
                        parts.append(text.replace("\n", " "))
                if block:
                    parts.append("\n")
            elif kind == _LINK:
                if len(child):
                    inner: list[str] = []
                    _walk_checked(child, inner, base_url, marks, text_mark)
                    label = tidy("".join(inner))
                else:
                    label = child.text
                    if not label:
                        label = ""
                    elif text_mark in label:
                        raise _Met
                    elif label.isascii() and label.isprintable() and "  " not in label:
                        label = label.strip()  # (what `tidy` gives such a label)
                    else:
                        label = tidy(label.replace("\n", " "))
                _append_link(label, child.get("href"), parts, base_url)
            elif kind == _IMAGE:
                if len(child) or child.text:
                    raise _Met
                _image(child.get("src"), child.get("alt"), classes, parts, base_url)
            elif kind == _QUOTED:
                inner = []
                _walk_checked(child, inner, base_url, marks, text_mark)
                quoted = tidy("".join(inner))
                if quoted:
                    marked = "\n".join(f"> {line}" if line else ">"
                                       for line in quoted.split("\n"))
                    parts.append(f"\n{marked}\n")
        tail = child.tail
        if tail:
            if text_mark in tail:
                raise _Met
            parts.append(tail.replace("\n", " "))
