"""The HTML-to-text walk over an lxml tree (`scrapers.text`'s entry points call it): one
function for every element, with a table of what each element name is; `checked` mode
(`checked_block_text`) stops at the first element, class or text it is told to look for."""

from __future__ import annotations

from typing import Any

from scrapers.text_pieces import _append_link, _image, tidy

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



class _Met(Exception):
    """`checked_block_text`'s walk met what it stops at."""


def _walk_lxml(node: Any, parts: list[str], base_url: str | None,
               marks: tuple[str, ...] | None = None, text_mark: str = "") -> None:
    """Append the text of `node`'s content (its own text, its children, their tails).

    One function for every element (a table of what each name is instead of a chain of
    tests, no call for an element without content): what `_element_lxml` gives for each
    child, `tests/scrapers/test_text_walk.py` compares the two on fuzzed trees. With
    `marks` (checked mode, `checked_block_text`), it raises `_Met` at an element whose
    class attribute holds one of `marks`, a text or tail holding `text_mark`, or content
    the walk does not read (an element it skips, with everything under it; an image with
    text or children)."""
    text = node.text
    if text:
        if marks is not None and text_mark in text:
            raise _Met
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
                    if marks is not None:
                        for mark in marks:
                            if mark in attribute:
                                raise _Met
                    known = _CLASSES.get(attribute)
                    if known is None:
                        known = _class_kind(attribute)
                    classes, override = known
                    if override is not None:
                        if not override and marks is not None:
                            raise _Met  # (chrome: its content is not read)
                        kind = override
                else:
                    classes = ()
                if kind >= _BLOCKED:  # (_BLOCKED or _INLINE)
                    block = kind == _BLOCKED
                    if block:
                        parts.append("\n")
                    if len(child):
                        _walk_lxml(child, parts, base_url, marks, text_mark)
                    else:  # (a leaf: its text is all the walk would give, no call)
                        text = child.text
                        if text:
                            if marks is not None and text_mark in text:
                                raise _Met
                            parts.append(text.replace("\n", " "))
                    if block:
                        parts.append("\n")
                elif kind == _LINK:
                    if len(child):
                        inner: list[str] = []
                        _walk_lxml(child, inner, base_url, marks, text_mark)
                        label = tidy("".join(inner))
                    else:
                        label = child.text
                        if not label:
                            label = ""
                        elif marks is not None and text_mark in label:
                            raise _Met
                        elif label.isascii() and label.isprintable() and "  " not in label:
                            label = label.strip()  # (what `tidy` gives such a label)
                        else:
                            label = tidy(label.replace("\n", " "))
                    _append_link(label, child.get("href"), parts, base_url)
                elif kind == _IMAGE:
                    if marks is not None and (len(child) or child.text):
                        raise _Met
                    _image(child.get("src"), child.get("alt"), classes, parts, base_url)
                elif kind == _QUOTED:
                    _quote(child, parts, base_url, marks, text_mark)
            elif marks is not None:  # (_SKIPPED: its content is not read)
                raise _Met
        tail = child.tail
        if tail:
            if marks is not None and text_mark in tail:
                raise _Met
            parts.append(tail.replace("\n", " "))


def _quote(el: Any, parts: list[str], base_url: str | None,
           marks: tuple[str, ...] | None = None, text_mark: str = "") -> None:
    """A quote's text, its lines marked "> " (`marks`, `text_mark`: `_walk_lxml`'s)."""
    inner: list[str] = []
    _walk_lxml(el, inner, base_url, marks, text_mark)
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
