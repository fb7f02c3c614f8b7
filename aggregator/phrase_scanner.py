"""Whole-word phrase matching for the outcome cues: keys, one Aho-Corasick pass, and the
leftmost-longest choice among overlapping matches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ahocorasick

from aggregator.lexicon import normalise


def phrase_keys(phrase: str) -> list[str]:
    """The automaton keys of a cue phrase: normalised words padded with spaces (a trailing
    `*` drops the closing space, so any ending matches); a phrase with an apostrophe also
    gets its spelling without one ("didn't" -> "didn t", "didnt")."""
    star = phrase.rstrip().endswith("*")
    text = phrase.strip().rstrip("*")
    keys: list[str] = []
    for variant in dict.fromkeys((text, text.replace("'", "").replace("’", ""))):
        words = normalise(variant).split()
        if words:
            keys.append(" " + " ".join(words) + ("" if star else " "))
    return keys


class PhraseScanner:
    """Whole-word phrase matches of several kinds in one Aho-Corasick pass."""

    def __init__(self, lists: dict[str, Sequence[str]], every_kind: bool = False) -> None:
        """`every_kind`: a phrase listed under several kinds reports each of them (scope
        triggers: "none" negates before and after a cue); else the first kind wins."""
        self.automaton: Any = ahocorasick.Automaton()
        keys: dict[str, list[tuple[int, str]]] = {}
        for rank, (kind, phrases) in enumerate(lists.items()):
            for phrase in phrases:
                for key in phrase_keys(phrase):
                    kinds = keys.setdefault(key, [])
                    if (rank, kind) not in kinds and (every_kind or not kinds):
                        kinds.append((rank, kind))
                    elif not every_kind and rank < kinds[0][0]:
                        kinds[0] = (rank, kind)
        for key, kinds in keys.items():
            # value: (length without the leading space, (priority, kind)s, trailing space)
            self.automaton.add_word(key, (len(key) - 1, tuple(kinds), key.endswith(" ")))
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, padded: str) -> list[tuple[int, int, int, str]]:
        """(start, end, priority, kind) in the unpadded text's coordinates; `padded` is
        the normalised text with one space before and after."""
        if self.empty:
            return []
        out: list[tuple[int, int, int, str]] = []
        last = len(padded) - 1
        for end, (length, kinds, spaced) in self.automaton.iter(padded):
            # padded[end - length, end] is the key without its leading space
            stop = end
            if not spaced:  # a `*` key: extend to the end of the word
                stop += 1
                while stop < last and padded[stop] != " ":
                    stop += 1
            if len(kinds) == 1:
                out.append((end - length, stop - 1, *kinds[0]))
            else:
                out.extend((end - length, stop - 1, rank, kind) for rank, kind in kinds)
        return out


def leftmost_longest(found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping matches: leftmost first, then longest, then the earlier kind."""
    found.sort(key=lambda m: (m[0], m[0] - m[1], m[2]))
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, _, kind in found:
        if start >= last_end:
            chosen.append((start, end, kind))
            last_end = end
    return chosen


