"""Whole-word phrase matching for the outcome cues and scope triggers: keys, one
Aho-Corasick pass for both, and the leftmost-longest choice among overlapping matches."""

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


def _phrase_kinds(lists: dict[str, Sequence[str]],
                  every_kind: bool) -> dict[str, list[tuple[int, str]]]:
    """key -> its (priority, kind)s: every kind it is listed under, or the first."""
    keys: dict[str, list[tuple[int, str]]] = {}
    for rank, (kind, phrases) in enumerate(lists.items()):
        for phrase in phrases:
            for key in phrase_keys(phrase):
                kinds = keys.setdefault(key, [])
                if (rank, kind) not in kinds and (every_kind or not kinds):
                    kinds.append((rank, kind))
                elif not every_kind and rank < kinds[0][0]:
                    kinds[0] = (rank, kind)
    return keys


class PairScanner:
    """Whole-word phrase matches of two sets of kinds in one Aho-Corasick pass: `first`
    (a phrase listed under several kinds reports the first: the cues) and `every` (it
    reports each: the scope triggers, "none" negates before and after a cue), and any plain
    `substrings` anywhere in the text (`scan_with_substrings`)."""

    def __init__(self, first: dict[str, Sequence[str]],
                 every: dict[str, Sequence[str]], substrings: Sequence[str] = ()) -> None:
        """`substrings`: plain strings also found, anywhere (`scan_with_substrings`); none
        may start with a space (the phrase keys do)."""
        self.automaton: Any = ahocorasick.Automaton()
        firsts, everys = _phrase_kinds(first, False), _phrase_kinds(every, True)
        for key in {**firsts, **everys}:
            # value: (length without the leading space, trailing space, the first's
            # (priority, kind) or None, the every kinds)
            chosen = firsts.get(key)
            self.automaton.add_word(key, (len(key) - 1, key.endswith(" "),
                                          chosen[0] if chosen else None,
                                          tuple(kind for _, kind in everys.get(key, ()))))
        for key in substrings:  # value: the string itself
            if not key or key.startswith(" "):
                raise ValueError(f"a substring key must not be empty or start with a space: "
                                 f"{key!r}")
            self.automaton.add_word(key, key)
        self.empty = not firsts and not everys and not substrings
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, padded: str,
             ) -> tuple[list[tuple[int, int, int, str]], list[tuple[int, int, str]]]:
        """The `first` matches as (start, end, priority, kind) and the `every` matches as
        sorted (start, end, kind), in the unpadded text's coordinates; `padded` is the
        normalised text with one space before and after (the substrings' matches dropped)."""
        firsts, everys, _ = self.scan_with_substrings(padded)
        return firsts, everys

    def scan_with_substrings(self, padded: str) -> tuple[
            list[tuple[int, int, int, str]], list[tuple[int, int, str]], list[tuple[int, str]]]:
        """The matches `scan` returns, plus every occurrence of the `substrings` in `padded`
        (overlapping ones too) as (index of its last character in the unpadded text,
        string), in the order of that index: the phrases and the substrings in one pass."""
        firsts: list[tuple[int, int, int, str]] = []
        everys: list[tuple[int, int, str]] = []
        found: list[tuple[int, str]] = []
        if self.empty:
            return firsts, everys, found
        add_first, add_every, add_found = firsts.append, everys.append, found.append
        last = len(padded) - 1
        for end, value in self.automaton.iter(padded):
            if value.__class__ is str:  # a substring (its last character: end - 1 unpadded)
                add_found((end - 1, value))
                continue
            length, spaced, chosen, kinds = value
            # padded[end - length, end] is the key without its leading space
            if spaced:
                start, stop = end - length, end - 1
            else:  # a `*` key: extend to the end of the word
                stop = padded.find(" ", end + 1, last)
                start, stop = end - length, (last if stop < 0 else stop) - 1
            if chosen is not None:
                add_first((start, stop, *chosen))
            for kind in kinds:
                add_every((start, stop, kind))
        everys.sort()
        return firsts, everys, found


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


