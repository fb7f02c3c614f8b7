"""Clause-level helpers of the outcome reader (`outcome_reading`): which treatments a cue's
clause is about when it names several, and what a trailing "zero" or "none" negates."""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter
from typing import Final

FirstMentions = Callable[[int, int], list[tuple[str, int, int]]]  # (treatment, start, end)

_WORD: Final = re.compile(r"\w+")
_PLAIN_NONE: Final = frozenset({"none", "zero", "nothing"})
_NEXT_WORD: Final = re.compile(r"[ \t]+([a-z]+)")
# words after a "none" that still closes the phrase ("libido: zero so far", "sides none at all")
_AFTER_NONE: Final = frozenset({"so", "at", "yet", "for", "since", "and", "but", "really", "lol",
                         "whatsoever", "either", "too", "here", "now", "honestly", "thankfully",
                         "of", "to", "that", "i", "on", "in", "with", "from", "after"})
# the words besides treatment names in a clause of a comma list ("dut, oral min, RU and...")
_LIST_GLUE: Final = frozenset({"and", "or", "then", "plus", "also", "the", "my", "oral", "topical"})
_COORDINATION: Final = frozenset({"and", "or", "plus", "with", "alongside", "together", "both",
                           "combo", "stack", "also"})
_COORDINATION_MARKS: Final = re.compile(r"[,+&/]")
# (outq) a name after a cue that starts the next subject ("... and dut turned it around")
_NEXT_SUBJECT: Final = re.compile(r" and (?:then |the |my |oral |topical )?$")


def opens_phrase(lowered: str, t_start: int, t_end: int) -> bool:
    """Whether a "zero", "none" or "nothing" trigger [t_start, t_end) is followed by a word it
    qualifies ("zero interest in sex"): a negation of what follows, not of the cue before."""
    if lowered[t_start:t_end].strip(" :") not in _PLAIN_NONE:
        return False
    after = _NEXT_WORD.match(lowered, t_end)
    return after is not None and after[1] not in _AFTER_NONE


def cue_subject(lowered: str, mentions: list[tuple[str, int, int]], c_start: int,
                cue_in: Callable[[int, int], bool] | None = None) -> list[tuple[str, int, int]]:
    """Of a clause's mentions, the one the cue follows within two words when the others are
    not coordinated with it ("caffeine shampoo did nothing" after "minox grew my crown
    back"; not "fin and min did nothing"), with a name right before it ("meso dut and zero
    change"); else all of them. (outq) A name after the cue that opens the next subject
    ("fin did zilch and dut turned it around") is not the cue's, and two names with a cue
    between them (`cue_in(start, end)`) are each a subject of their own, not coordinated."""
    before = [m for m in mentions if m[2] <= c_start]
    if not before:
        return mentions
    last = max(before, key=itemgetter(1))
    if len(_WORD.findall(lowered, last[2], c_start)) > 2 or (
            len(before) < len(mentions) and
            any(_NEXT_SUBJECT.search(lowered, max(c_start, m[1] - 24), m[1]) is None
                for m in mentions if m[2] > c_start)):
        return mentions
    first = min(before, key=itemgetter(1))
    between = set(_WORD.findall(lowered, first[1], last[1]))
    if (between & _COORDINATION or _COORDINATION_MARKS.search(lowered, first[1], last[1])) \
            and not (cue_in is not None and cue_in(first[2], last[1])):
        return mentions
    # (outi) two names with nothing between are one thing ("meso dut", "dut meso": the
    # procedure and the drug it delivers)
    return [*(m for m in before if m is not last and not lowered[m[2]:last[1]].strip()),
            last]


def listed_before(lowered: str, clauses: list[tuple[int, int]], index: int,
                  first_mentions: FirstMentions) -> list[str]:
    """The treatments of the clauses just before clause `index` that hold nothing but
    treatment names ("Dut, oral min, RU and needling did nothing": a comma list is one
    subject)."""
    listed: list[str] = []
    for c_lo, c_hi in reversed(clauses[:index]):
        names = first_mentions(c_lo, c_hi)
        if not names:
            break
        rest, position = [], c_lo
        for a, b in sorted((a, b) for _, a, b in names):
            rest.extend(_WORD.findall(lowered, position, a))
            position = max(position, b)
        rest.extend(_WORD.findall(lowered, position, c_hi))
        if not set(rest) <= _LIST_GLUE:
            break
        listed[:0] = [t for t, _, _ in names if t not in listed]
    return listed
