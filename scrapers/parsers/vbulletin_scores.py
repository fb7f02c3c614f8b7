"""A vBulletin post's score: the thanks box (Post Thank You hack) or a like count, where the
page shows one (stock vBulletin shows neither: None)."""

from __future__ import annotations

import re
from typing import Any

from scrapers.parsers.common import parse_count, squash
from scrapers.parsers.tree import BY_ID, css, xpath

_THANKS = re.compile(r"The\s+Following\s+([\d,.]+)\s+Users?\s+Says?\s+Thank", re.IGNORECASE)
_ONE_THANKS = re.compile(r"The\s+Following\s+User\s+Says\s+Thank", re.IGNORECASE)
_LIKES = re.compile(r"([\d,.]+)\s+(?:Likes?|Thanks)\b|(?:Likes?|Thanks):\s*([\d,.]+)",
                    re.IGNORECASE)
_THANKS_BOXES = xpath(".//div[starts-with(@id, 'post_thanks_box_')]")
_LIKE_CLASSES = ("postthanks", "vbseo_liked", "b-post__likes", "js-votecount", "votecount")


def like_marks(text: str) -> bool:
    """Whether a page's text holds any like-count class."""
    # ("js-votecount" holds "votecount": one test finds both)
    return any(name in text for name in _LIKE_MARKS)


_LIKE_MARKS = tuple(name for name in _LIKE_CLASSES if name != "js-votecount")


class ScoreMarks:
    """Whether a page's text has a thanks box id and any like-count class, read as a pair
    (a page without them, stock vBulletin, skips `post_score`'s lookups for them); the
    like-class test runs when a post first asks for it (`marks[1]`): a post with a thanks
    box never does, so a page whose posts all have one reads its text for the thanks id
    only."""

    __slots__ = ("_likes", "text", "thanks")

    def __init__(self, text: str) -> None:
        self.text = text
        self.thanks = "post_thanks_box_" in text
        self._likes: bool | None = None

    def __getitem__(self, index: int) -> bool:
        if index == 0:
            return self.thanks
        if index == 1:
            if self._likes is None:
                self._likes = like_marks(self.text)
            return self._likes
        raise IndexError(index)

    def __len__(self) -> int:
        return 2


def post_score(block: Any, root: Any | None = None, post_id: str = "",
               marks: tuple[bool, bool] | ScoreMarks = (True, True),
               boxes: list[Any] | None = None) -> int | None:
    """Thanks or likes a post shows (None when the board shows none). vB3 prints the thanks
    box after the post's table, so it is also looked up by id in the page. `marks`: the
    page's `ScoreMarks` (or a pair of bools); `boxes`: the block's
    `div[id^=post_thanks_box_]` elements, when the caller has them (else looked up)."""
    box = _score_box(block, root, post_id, marks, boxes)
    if not box:
        return None
    # (an element's `itertext()`: its `::text` nodes, without a query call)
    text = squash(" ".join(box[0].itertext()) if len(box) == 1 else
                  " ".join(t for el in box for t in el.itertext()))
    count = _COUNTS.get(text)
    if count is None:
        if len(_COUNTS) >= _COUNTS_KEPT:
            _COUNTS.clear()
        count = _COUNTS[text] = _score_count(text)
    return count


# `_score_count` by text: a board's boxes say the same few things again and again ("The
# Following 2 Users Say Thank You"), and the count is a function of the text alone.
_COUNTS: dict[str, int] = {}
_COUNTS_KEPT = 4096


def _score_box(block: Any, root: Any | None, post_id: str,
               marks: tuple[bool, bool] | ScoreMarks, boxes: list[Any] | None = None) -> list[Any]:
    """The elements holding a post's thanks or likes (empty when the page shows none)."""
    thanks = marks[0]  # (`marks[1]` only when asked: `ScoreMarks` tests it then)
    box = (boxes if boxes is not None else _THANKS_BOXES(block)) if thanks else []
    if not box and thanks and root is not None and post_id:
        ident = f"post_thanks_box_{post_id}"
        held = BY_ID(root, id=ident)  # (no element has the id: no walk over the page)
        if held:
            box = [held[0]] if held[0].tag == "div" and held[0].get("id") == ident else \
                xpath("//div[@id=$id]")(root, id=ident)
    if not box and marks[1]:
        box = css(".postthanks, .vbseo_liked, .b-post__likes, .js-votecount, .votecount")(block)
    return box


def _score_count(text: str) -> int:
    """The count a thanks or likes box says ("3 Thanks", "The Following User Says Thank")."""
    if not text:
        return 0
    if _ONE_THANKS.search(text):
        return 1
    match = _THANKS.search(text) or _LIKES.search(text)
    if match:
        return parse_count(next(g for g in match.groups() if g)) or 0
    return parse_count(text) or 0
