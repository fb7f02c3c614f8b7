"""The text walk (`scrapers.text_walk._walk_lxml`: one function, a table of what each element
name is) gives what the plain walk it replaced gave (a chain of tests per element,
`_plain_walk` below), on fuzzed trees of every kind of element the walk tells apart, on
HTML and XML trees."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from scrapers import text_pieces, text_walk
from scrapers.text import block_text, element_text, html_to_text, tidy


# -- the plain walk, as it was (the reference) --------------------------------------------------
def _plain_walk(node: Any, parts: list[str], base_url: str | None) -> None:
    node_text = node.text
    if node_text:
        parts.append(node_text.replace("\n", " "))
    for child in node:
        tag = child.tag
        if isinstance(tag, str):
            _plain_element(child, tag.lower(), parts, base_url)
        tail = child.tail
        if tail:
            parts.append(tail.replace("\n", " "))


def _plain_element(el: Any, name: str, parts: list[str], base_url: str | None) -> None:
    if name in text_walk._SKIP:
        return
    attribute = el.get("class")
    classes = attribute.split() if attribute else ()
    if classes and not text_walk._CHROME_CLASSES.isdisjoint(classes):
        return
    if name in text_walk._QUOTE or "bbCodeBlock--quote" in classes:
        inner: list[str] = []
        _plain_walk(el, inner, base_url)
        quoted = tidy("".join(inner))
        if quoted:
            marked = "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
            parts.append(f"\n{marked}\n")
        return
    if name == "a":
        inner = []
        _plain_walk(el, inner, base_url)
        text_pieces._append_link(tidy("".join(inner)), el.get("href"), parts, base_url)
        return
    if name == "img":
        text_pieces._image(el.get("src"), el.get("alt"), classes, parts, base_url)
        return
    if name in text_walk._BLOCK:
        parts.append("\n")
        _plain_walk(el, parts, base_url)
        parts.append("\n")
    else:
        _plain_walk(el, parts, base_url)


def _plain_block_text(element: Any, base_url: str | None) -> str:
    parts = ["\n"]
    _plain_walk(element, parts, base_url)
    parts.append("\n")
    return tidy("".join(parts))


def _plain_element_text(element: Any, base_url: str | None) -> str:
    parts: list[str] = []
    if isinstance(element.tag, str):
        _plain_element(element, element.tag.lower(), parts, base_url)
    return tidy("".join(parts))


# -- fuzzing -----------------------------------------------------------------------------------
_NAMES = ["a", "A", "img", "IMG", "b", "B", "span", "br", "BR", "p", "div", "Div", "li", "ul",
          "blockquote", "BlockQuote", "script", "cite", "button", "pre", "td", "tr", "table",
          "h2", "custom-tag", "font", "em", "hr"]
_CLASSES = [None, "", "x", "title", "quote-controls x", "bbCodeBlock bbCodeBlock--quote",
            "postimage", "bbcode_postedby", "meta", " y  z ", "x\tattribution",
            "bbCodeBlock--quote title", "lightbox-wrapper postimage", "postimage\nz"]
_HREFS = [None, "", " ", "#top", "javascript:x()", "mailto:a@b.c", "/t/5", "t/6",
          "https://ex.org/a/", "http://ex.org/b", " https://ex.org/c ", "two words"]
_TEXTS = [None, "", "word", " two  words ", "line\nbreak", "\u00a0nbsp\t", "https://ex.org/a",
          "https://ex.org…", "Quote:", "  ", " lead", "trail ", "v\ttab\r", "a\u3000b", "caf\u00e9",
          "https://ex.org/a/ "]


def _random_tree(rng: random.Random, parent: Any, depth: int) -> None:
    for _ in range(rng.randint(0, 4)):
        kind = rng.random()
        if kind < 0.08:
            child = etree.Comment("c")
        else:
            child = etree.Element(rng.choice(_NAMES))
            cls = rng.choice(_CLASSES)
            if cls is not None:
                child.set("class", cls)
            for attribute, values in (("href", _HREFS), ("src", _HREFS), ("alt", _TEXTS)):
                value = rng.choice(values)
                if value is not None and rng.random() < 0.5:
                    child.set(attribute, value)
            child.text = rng.choice(_TEXTS)
            if depth < 4 and rng.random() < 0.6:
                _random_tree(rng, child, depth + 1)
        child.tail = rng.choice(_TEXTS)
        parent.append(child)


def test_the_walk_gives_what_the_plain_walk_gave_on_fuzzed_trees() -> None:
    rng = random.Random(18)
    differs = 0
    for _ in range(4000):
        root = etree.Element(rng.choice(["div", "blockquote", "a", "p", "span"]))
        root.text = rng.choice(_TEXTS)
        _random_tree(rng, root, 0)
        for base in (None, "https://forum.example/t/1"):
            assert block_text(root, base) == _plain_block_text(root, base), \
                etree.tostring(root)
            assert element_text(root, base) == _plain_element_text(root, base), \
                etree.tostring(root)
        differs += block_text(root) != element_text(root)
    assert differs > 500  # (the trees tell the element kinds apart)


def test_the_walk_gives_what_the_plain_walk_gave_on_parsed_html() -> None:
    rng = random.Random(3)
    for _ in range(1500):
        root = etree.Element("div")
        _random_tree(rng, root, 0)
        html = etree.tostring(root, encoding="unicode", method="html")
        parsed = lxml_html.fragment_fromstring(html, create_parent="div")
        parts: list[str] = []
        _plain_walk(parsed, parts, "https://forum.example/")
        assert html_to_text(html, "https://forum.example/") == tidy("".join(parts)), html


def test_link_labels_and_targets() -> None:
    root = lxml_html.fromstring('<div><a href="/x">see\nthis</a> <a href="/y"><b>b</b> '
                                'c</a> <a href="https://e.org/">https://e.org</a></div>')
    assert block_text(root, "https://f.org/t/") == \
        "see this (https://f.org/x) b c (https://f.org/y) https://e.org/"
    assert urljoin("https://f.org/t/", "/x") == "https://f.org/x"


# -- the link's text, against its plain form (helper crawl6) ----------------------------------
def _plain_same_target(label: str, href: str) -> bool:
    if not label or label.rstrip("/") == href.rstrip("/"):
        return True
    if label.endswith(("…", "...")):
        stem = label.rstrip(".…").removeprefix("https://").removeprefix("http://")
        return stem in href
    return False


def _plain_append_link(label: str, href: object, parts: list[str],
                       base_url: str | None) -> None:
    if not isinstance(href, str) or not href.strip() or href.startswith(("#", "javascript:")):
        parts.append(label)
        return
    href = href.strip()
    if base_url and not href.startswith(("http://", "https://", "mailto:")):
        href = urljoin(base_url, href)
    if href.startswith("mailto:"):
        parts.append(label)
    elif _plain_same_target(label, href):
        parts.append(href)
    else:
        parts.append(f"{label} ({href})")


_LINK_PIECES = ["", " ", "#", "#top", "javascript:", "mailto:a@b.c", "/", "//", "t/6",
                "https://", "http://", "ex.org", "/a/", "…", "...", ".", "x", "\t", "\n"]


def test_append_link_gives_what_its_plain_form_gave() -> None:
    rng = random.Random(6)
    kinds: set[str] = set()
    for _ in range(30000):
        href: object = "".join(rng.choice(_LINK_PIECES) for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.05:
            href = rng.choice([None, 3, b"/x"])
        label = "".join(rng.choice(_LINK_PIECES) for _ in range(rng.randint(0, 4)))
        if isinstance(href, str) and rng.random() < 0.3:
            label = href.strip().rstrip(".…") + rng.choice(["", "/", "…", "...", "x"])
        for base in (None, "https://forum.example/t/1"):
            got: list[str] = []
            want: list[str] = []
            text_pieces._append_link(label, href, got, base)
            _plain_append_link(label, href, want, base)
            assert got == want, (label, href, base)
            kinds.add("label" if want == [label] else "href" if "(" not in want[0]
                      else "both")
    assert kinds == {"label", "href", "both"}
