"""The scope triggers of one sentence: the thread's scanned triggers inside it and the
scope patterns that match there, without those inside a cue phrase (ConText's
pseudo-triggers), a month "May" or the "any" of a negation taken for a hedge.
`outcome_reading._Extraction` inherits them."""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import itemgetter
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_speaker import SpeakerChecks

_KIND: Final = itemgetter(2)
# scope triggers that are no trigger inside a cue phrase (ConText's pseudo-triggers: the
# "zero" of "zero difference" negates nothing else, the "kept" of "kept going back" is no
# contentment, the "nobody" of "nobody can tell" no generic statement)
_CONSUMED: Final = frozenset({"negation", "side_negation", "hypothetical", "wish", "generic",
                              "content",
                              # (outi) the "day 1" of "same as day 1" is no early day
                              "too_early"})
# A scope kind whose triggers one cue kind alone reads: `content` makes a sentence's
# `unchanged` cue held ground (`outcome_record._effect`), and nothing else asks for it, so
# the `content` patterns (long regexes, 2% of the reader's instructions) run only in a
# sentence holding an `unchanged` cue (the scanned `content` phrases are kept everywhere:
# they cost nothing more). tests/aggregator/test_outcome_reader_parts.py checks both.
_READ_ONLY_FOR = ("content", "unchanged")  # (not Final: a test patches it)
_VERB_GAP: Final = re.compile(r" (?:see|seen|saw|notice|noticed|get|got|had|have|feel|felt|"
                              r"find|found|gain|gained|grow|grew|experience|experienced) ")
# a time word before "may" or a date after it: the month ("since may", "in early may",
# "may 2023", "may 5th", "may-june")
_MAY_BEFORE: Final = re.compile(r"\b(?:in|since|last|next|early|mid|late|by|until|till|from|"
                                r"of|through|during|around|before|after|to|between)[ -]$")
_MAY_AFTER: Final = re.compile(r"[ ,-]*(?:\d|'\d|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
                               r"apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
                               r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b)")


def _month_may(lowered: str, start: int, end: int) -> bool:
    """Whether the "may" at [start, end) names the month: after "in", "since", "last",
    "early"... ("moved to the foam in May") or before a day, a year or another month ("May
    2023", "May 5th", "May-June")."""
    return _MAY_BEFORE.search(lowered, max(0, start - 14), start) is not None \
        or _MAY_AFTER.match(lowered, end) is not None


@trait
class SentenceTriggers(SpeakerChecks):
    """A sentence's scope triggers; `outcome_reading._Extraction` (one thread being read)
    inherits them and holds the state they read."""

    _research: bool  # the unit's last sentences are research talk

    def _sentence_triggers(self, start: int, end: int, cues: list[tuple[int, int, str]],
                           first_person: bool = False) -> dict[str, list[tuple[int, int]]]:
        """The sentence's scope triggers by kind (each kind's in order), without those inside
        a cue phrase: the thread's scanned triggers inside [start, end) and the matches of
        the scope patterns the sentence holds the literals of. First-person triggers are
        only asked for (`"first_person" in triggers`): a scanned one, else the first match
        of a first-person pattern, looked for only when the answer can matter (`first_person`,
        the state before the sentence, does not hold; research talk goes on or starts; a
        generic trigger; a title sentence, `_label`)."""
        t_starts = self._t_starts
        found = self._triggers[bisect_left(t_starts, start):bisect_left(t_starts, end)]
        own_patterns: list[re.Pattern[str]] = []
        if self._any_scope:
            lowered, matched = self.lowered, False
            only, reader = _READ_ONLY_FOR
            skipped = None if reader in map(_KIND, cues) else only
            for kind, pattern in self._patterns_for(start, end):
                if kind == skipped:
                    continue  # (no cue of the sentence reads these triggers)
                if kind == "first_person":
                    own_patterns.append(pattern)  # (looked for below, when asked)
                    continue
                for m in pattern.finditer(lowered, start, end):
                    if not matched:
                        found, matched = found.copy(), True
                    found.append((m.start(), m.end(), kind))
            if matched:
                found.sort()
        phrases: list[tuple[int, int]] | None = None  # (the cues' spans, when first needed)
        triggers: dict[str, list[tuple[int, int]]] = {}
        for t_start, t_end, kind in found:
            if t_end > end:
                continue  # (a trigger running on past the sentence)
            if kind in _CONSUMED:
                if phrases is None:
                    phrases = [(c_start, c_end) for c_start, c_end, c_kind in cues
                               if c_kind != "not_side"]
                if any(c_start <= t_start and t_end <= c_end for c_start, c_end in phrases):
                    continue  # (part of a cue: "zero difference", "kept going back")
            span = (t_start, t_end)
            if kind in triggers:
                triggers[kind].append(span)
            else:
                triggers[kind] = [span]
        if "hypothetical" in triggers and "may" in self.lowered[start:end]:
            # (the month is no hedge: "moved to the foam in May", "May 2023")
            lowered = self.lowered
            kept = [(a, b) for a, b in triggers["hypothetical"]
                    if not (b - a == 3 and lowered.startswith("may", a)
                            and _month_may(lowered, a, b))]
            if kept:
                triggers["hypothetical"] = kept
            else:
                del triggers["hypothetical"]
        if "hypothetical" in triggers and "negation" in triggers:
            # (the "any" of a negation "hardly any", "not any" asks nothing)
            negations = triggers["negation"]
            lowered = self.lowered
            kept = [(a, b) for a, b in triggers["hypothetical"] if not any(
                (n_start <= a and b <= n_end and n_end - n_start > b - a) or
                # (nor an "any" a verb after a negation: "didn't see any improvement")
                (n_end <= a < n_end + 16 and lowered.startswith("any", a) and b - a == 3 and
                 _VERB_GAP.fullmatch(lowered, n_end, a) is not None)
                for n_start, n_end in negations)]
            if kept:
                triggers["hypothetical"] = kept
            else:
                del triggers["hypothetical"]
        if own_patterns and "first_person" not in triggers and (
                not first_person or self._research or "research" in triggers or
                "generic" in triggers or start <= self.units[0][1]):
            lowered = self.lowered
            for pattern in own_patterns:
                if (hit := pattern.search(lowered, start, end)) is not None:
                    triggers["first_person"] = [(hit.start(), hit.end())]
                    break
        return triggers
