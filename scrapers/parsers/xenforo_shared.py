"""What the XenForo 2 and 1 parsers share: thread URLs and ids, reaction counts, first strings."""

from __future__ import annotations

import re
from typing import Any

from scrapers.parsers.common import parse_count, squash
from scrapers.parsers.tree import css, iter_document

_THREAD_ID = re.compile(r"/threads/(?:[^/?#]*\.)?(\d+)(?:/|$|\?|#)")
_OTHERS = re.compile(r"\band\s+([\d.,]+\s*[KkMm]?)\s+others?\s*$")
PAGE = re.compile(r"/page-(\d+)/?(?:$|[?#])")


def thread_id_of(url: str) -> str | None:
    """`/threads/some-title.8276/page-2` -> "8276"."""
    match = _THREAD_ID.search(url)
    return match.group(1) if match else None


def thread_base_url(url: str) -> str:
    """A thread URL without `page-N`, query or fragment, ending in '/'."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    url = re.sub(r"/page-\d+/?$", "/", url)
    url = re.sub(r"/(?:post-\d+|latest|unread)/?$", "/", url)
    return url if url.endswith("/") else url + "/"


def reaction_count(text: str | None, names: int | None = None) -> int:
    """"A, B and 12 others" -> 14, "A and B" -> 2, "A" -> 1, "" -> 0.

    `names`: how many names the bar shows (its `<bdi>` elements), when known.
    """
    text = squash(text)
    if not text:
        return 0
    others = 0
    match = others_match(text)
    if match:
        others = parse_count(match.group(1)) or 0
        text = text[: match.start()].strip().rstrip(",")
    if names is None:
        parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
        names = len(parts)
    return names + others


def others_match(text: str) -> re.Match[str] | None:
    """`_OTHERS.search(text)`, tried only where a match can start: at the last "and" of the
    text (what a match holds after its "and" is spaces, digits, ".", ",", K/M and
    "other(s)", never another "and"); `re` reads `\\b` off the character before it. A search
    tried the pattern at every character of the text."""
    at = text.rfind("and")
    return _OTHERS.match(text, at) if at >= 0 else None


def first_string(node: Any, query: str) -> str | None:
    """The first string CSS `query` (`::text`, `::attr()`) finds under `node`."""
    found = css(query)(node)
    return found[0] if found else None



def first_href(root: Any, tag: str, rel: str | None = None) -> str | None:
    """`first_string(root, "base::attr(href)")`, `first_string(root,
    "link[rel=canonical]::attr(href)")`: the `href` of the first `tag` element (whose `rel`
    is `rel`, when given) that has one, found by lxml's tag filter under `root` (as the CSS
    queries, `descendant-or-self::`; no XPath call)."""
    for element in root.iter(tag):
        if rel is None or element.get("rel") == rel:
            href = element.get("href")
            if href is not None:
                return href
    return None


def elements(root: Any, tag: str, attribute: str, part: str, start: bool = False) -> list[Any]:
    """`//tag[contains(@attribute, 'part')]` (`start`: `starts-with`) by lxml's tag filter
    over the whole document (`tree.iter_document`), in document order."""
    if start:
        return [el for el in iter_document(root, tag)
                if (el.get(attribute) or "").startswith(part)]
    return [el for el in iter_document(root, tag) if part in (el.get(attribute) or "")]
