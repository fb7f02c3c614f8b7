"""The lexicon's context-rule phrase regexes searched on normalised text, led by a space.

`lexicon._near_regex` compiles a rule's phrases as `(?<!\\w)` + a trie + `(?!\\w)`. A regex
that opens with a lookbehind is tried at every position of the text (~7 ns a character);
the same trie led by a literal space is tried only after the spaces, which the regex engine
finds at C speed (3x faster over whole threads). Normalised text holds only spaces and word
characters (`lexicon.lower_and_normalise`), so the original matches at a position p > 0
exactly when the space-led one matches at p - 1; position 0 is checked with the original.
Only whether there is a match is answered (the rules need no more).
"""

from __future__ import annotations

import re
from typing import Final

_LEAD: Final = r"(?<!\w)"
_TAIL: Final = r"(?!\w)"
_NOT_LED: Final = re.VERBOSE | re.ASCII  # a space is not literal, or `\w` is not every word char


def _one_group(body: str) -> bool:
    """Whether `body` is a single parenthesised group (its first parenthesis closes at its
    last character), so that no top-level `|` escapes the lead; a character class gives up."""
    depth = 0
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            return False
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i == len(body) - 1
        elif depth == 0:
            return False
        i += 1
    return False


def space_led(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The space-led form of a `(?<!\\w)(?:...)(?!\\w)` pattern (the shape
    `lexicon._near_regex` builds), or None for any other pattern."""
    source = pattern.pattern
    if (not isinstance(source, str) or pattern.flags & _NOT_LED
            or not source.startswith(_LEAD) or not source.endswith(_TAIL)
            or not _one_group(source[len(_LEAD):-len(_TAIL)])):
        return None
    return re.compile(" " + source[len(_LEAD):], pattern.flags)


class NearSearch:
    """Whether a phrase regex matches normalised text, searched space-led when it can be."""

    __slots__ = ("_led",)

    def __init__(self) -> None:
        # id(pattern) -> (pattern, its space-led form or None): keyed by id, since hashing a
        # pattern hashes its compiled code; the pattern is held, so its id stays its own
        self._led: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

    def _led_form(self, pattern: re.Pattern[str]) -> re.Pattern[str] | None:
        entry = self._led.get(id(pattern))
        if entry is None or entry[0] is not pattern:
            entry = self._led[id(pattern)] = (pattern, space_led(pattern))
        return entry[1]

    def within(self, pattern: re.Pattern[str], norm: str, lo: int, hi: int) -> bool:
        """`pattern.search(norm, lo, hi) is not None`, for normalised `norm`."""
        led = self._led_form(pattern)
        if led is None:
            return pattern.search(norm, lo, hi) is not None
        if lo <= 0:  # position 0 has no space before it
            return pattern.match(norm, 0, hi) is not None or led.search(norm, 0, hi) is not None
        return led.search(norm, lo - 1, hi) is not None

    def anywhere(self, pattern: re.Pattern[str], norm: str) -> bool:
        """`pattern.search(norm) is not None`, for normalised `norm`."""
        led = self._led_form(pattern)
        if led is None:
            return pattern.search(norm) is not None
        return pattern.match(norm) is not None or led.search(norm) is not None
