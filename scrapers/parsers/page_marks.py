"""`has_mark(text, mark)`: `mark in text`, reading only the part of the page that differs
from the page tested before it.

A board's pages open alike (head, scripts, navigation: ~28 kB of a generated vBulletin
thread page's 41 kB). Where `mark` first occurs in the last page is remembered; an
occurrence ending inside the prefix both pages share would be one of the last page too, no
earlier than its first, so only the text from the shared prefix's end (less the mark's
length) is searched. Same answer as `mark in text` (fuzzed in the tests)."""

from __future__ import annotations

from scrapers.parsers.vbulletin_dates import _common_length


class _Pages:
    """The page tested now and the one before it: texts, shared prefix length, and where
    each mark asked about first occurs (-1: nowhere)."""

    __slots__ = ("first", "last", "last_first", "shared", "text")

    def __init__(self) -> None:
        self.text = ""
        self.first: dict[str, int] = {}
        self.last = ""
        self.last_first: dict[str, int] = {}
        self.shared = 0


_PAGES = _Pages()


def has_mark(text: str, mark: str) -> bool:
    """`mark in text` (a non-empty `mark`), read from the end of the prefix `text` shares
    with the page tested before it when that page was tested for `mark` too."""
    pages = _PAGES
    if text is not pages.text:
        pages.last, pages.last_first = pages.text, pages.first
        pages.text, pages.first = text, {}
        pages.shared = _common_length(pages.last, text)
    found = pages.first.get(mark)
    if found is None:
        before = pages.last_first.get(mark)
        if before is None:
            found = text.find(mark)
        elif before >= 0 and before + len(mark) <= pages.shared:
            found = before
        else:
            found = text.find(mark, max(0, pages.shared - len(mark) + 1))
        pages.first[mark] = found
    return found >= 0
