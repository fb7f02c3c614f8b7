"""`page_marks.has_mark` against `mark in text` on random page sequences that share
prefixes, with marks placed across the shared prefix's end."""

from __future__ import annotations

import random

from scrapers.parsers import page_marks
from scrapers.parsers.page_marks import has_mark

_MARKS = ["ab", "abc", "ba", "cab", "a", "bbcode", "aab", "<x>"]
_PIECES = ["a", "b", "c", "ab", "<x>", "bbcode", " ", "\u201c"]


def _page(rng: random.Random, last: str) -> str:
    """A page sharing a random prefix of `last`, then random pieces (marks among them)."""
    keep = last[:rng.randint(0, len(last))] if last and rng.random() < 0.8 else ""
    return keep + "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))


def test_has_mark_answers_as_in_does_on_page_sequences() -> None:
    """Each page of a sequence is tested for random marks, some asked twice, some not asked
    on the page before: every answer is `mark in text`."""
    rng = random.Random(18)
    page_marks._PAGES = page_marks._Pages()
    last = ""
    for _ in range(30_000):
        text = _page(rng, last)
        if rng.random() < 0.1:
            text = "".join(text)  # (an equal page that is another object)
        for mark in rng.sample(_MARKS, rng.randint(1, 4)) * rng.randint(1, 2):
            assert has_mark(text, mark) == (mark in text), (last, text, mark)
        last = text


def test_has_mark_on_generated_thread_pages() -> None:
    """The vBulletin parser's marks on real-sized pages that share their head."""
    head = "<html><head><script>var x = 1;</script></head><body>" + "nav " * 2000
    pages = [head + body for body in ("threadtitle popupctrl", "canonical", "",
                                      "js-pagenav-button vbmenu_control", "threadtitle")]
    marks = ["threadtitle", "popupctrl", "canonical", "js-pagenav-button", "vbmenu_control"]
    page_marks._PAGES = page_marks._Pages()
    for text in pages + pages[::-1]:
        for mark in marks:
            assert has_mark(text, mark) == (mark in text)
