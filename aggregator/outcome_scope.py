"""Scope checks of the outcome reader, on one first-hand sentence: negation (ConText-style,
ending at a clause break or a cue of the other class), hypotheticals and generic statements,
quotations, conditions had before the treatment, labels, vague side cues a specific one
describes, gains whose object is a condition. `aggregator.outcome_reading` reads the thread
and records what these checks let through; the rules are described in `aggregator.outcomes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_clauses import _PLAIN_NONE, _WORD, opens_phrase
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_cue_schema import EFFECT_KINDS
from aggregator.outcome_types import SIDE_EFFECTS

# "no problems" words that end a negation's scope for a side effect when a clause goes on
# after them (`_trouble_ends`: one of `_TROUBLE_GOES_ON` before the side cue)
_TROUBLE: Final = frozenset({"problems", "problem", "issues", "issue", "probs", "troubles",
                             "trouble", "complaints", "complaint"})
_TROUBLE_GOES_ON: Final = frozenset({"i", "suddenly", "then", "now", "lately", "recently",
                                     "until", "started", "starting", "developed", "noticed"})
_VAGUE_SIDES: Final = frozenset({"other", "unspecified", "cardio"})
_SPECIFIC_SIDES: Final = frozenset(SIDE_EFFECTS) - {"other"}
_OBJECT_WORDS: Final = frozenset({"my", "the", "a", "his", "her", "with", "me", "some", "of"})
# (outp) the words between a condition and a gain it is the subject of ("my mood was way
# better", "sleep has been much better")
_SUBJECT_WORDS: Final = frozenset({"is", "was", "were", "has", "have", "been", "got", "feels",
                                   "felt", "seems", "seemed", "way", "much", "so", "a", "lot",
                                   "far", "even", "also", "actually", "honestly", "definitely"})
_NO_SUBJECT: Final = frozenset({"not_side", "shedding", "unspecified"})
_SPACED: Final = re.compile(r"[\w' ]+")  # (words in one clause: no punctuation between)
_OTHER_THINGS: Final = "sleep|energy|energy levels|nails|focus|digestion"  # not the hair
_OTHER_GAIN: Final = re.compile(r"(?: (?:with|for|me with))?(?: (?:my|the|his|her))? "
                                rf"(?:{_OTHER_THINGS})\b")
_OTHER_BEFORE: Final = re.compile(rf"\b(?:{_OTHER_THINGS})((?: [\w']+){{1,4}}) $")
# the words between "without" and the treatment it leaves out ("without any oral minoxidil")
WITHOUT_FILLERS: Final = "any|the|my|using|taking|oral|topical"
_WITHOUT_GAP: Final = re.compile(rf" ?(?:(?:{WITHOUT_FILLERS}) )*")
_UNAIDED: Final = re.compile(r"on its own|by itself|nothing but time|without (?:any )?treatment")
_OPEN_QUOTE: Final = re.compile(r"['\"“‘](?<!\w['\"“‘])(?=\w)")  # (?<!\w)['\"“‘](?=\w)
_QUOTE_CHARS: Final = frozenset("'\"“‘”’")
_CLOSE_QUOTE: Final = re.compile(r"['\"”’](?<=[\w.!?,]['\"”’])(?!\w)")  # (?<=[\w.!?,])['\"”’](?!\w)
# (outj) a choice told as made: "instead" after a verb of taking in the past ("I took dut
# instead and it regrew my temples", "Had PRP instead, same story"), or in use ("Using rosemary
# oil instead, 4 months") is no hypothetical
_CHOSEN: Final = re.compile(r"\b(?:took|had|tried|used|went with|went for|switched to|moved to|"
                            r"got|did|started|chose|picked|opted for|ordered|bought|went on|"
                            r"using|taking)"
                            r"\b[^.,;:!?\n]{0,40}$")
_DECIMAL: Final = re.compile(r"\d[.,]\d")  # "0.5mg" holds no negation "0"
# spans up to this many characters are counted by scanning them: cheaper than finding every
# word start of the thread when only a few short spans are asked about
_SCANNED_SPAN: Final = 400


def _opens_a_quote(text: str) -> bool:
    """`_OPEN_QUOTE.search(text) is not None`, tried only where a quote character is (found
    with `str.find`: faster than the regex's scan of every character)."""
    for mark in "'\"“‘":
        at = text.find(mark)
        while at >= 0:
            if _OPEN_QUOTE.match(text, at) is not None:
                return True
            at = text.find(mark, at + 1)
    return False


def starts_in(starts: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted `starts` (clause breaks, triggers) lies in [start, end)."""
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


@dataclass(slots=True)
class Sentence:
    """A first-hand sentence being read: its span, speaker, topic, scope triggers, cues and
    clause breaks (found when first asked for: many sentences never need them)."""

    start: int
    end: int
    speaker: int
    topic: list[str]
    triggers: dict[str, list[tuple[int, int]]]
    cues: list[tuple[int, int, str]]
    lowered: str  # the thread's text
    break_re: re.Pattern[str]
    strong_break_re: re.Pattern[str]
    gains: bool = False  # an `improved` cue is among `cues` (found once per sentence)
    quotes: tuple[list[int], list[int]] | None = None  # opening, closing marks (when asked)
    found_breaks: list[int] | None = None
    found_strong: list[int] | None = None

    @property
    def breaks(self) -> list[int]:
        """Where the sentence's clause breaks start."""
        if self.found_breaks is None:
            self.found_breaks = [m.start() for m in self.break_re.finditer(
                self.lowered, self.start, self.end)]
        return self.found_breaks

    @property
    def strong(self) -> list[int]:
        """Where the sentence's strong breaks (`[scope] strong_breaks`: "but", ";", ", and
        my") start: a hypothetical trigger's scope stops at them, and a loss after a gain
        beyond one is a setback (`outcome_record._contrasted`)."""
        if self.found_strong is None:
            self.found_strong = [m.start() for m in self.strong_break_re.finditer(
                self.lowered, self.start, self.end)]
        return self.found_strong


@trait
class ScopeChecks:
    """The scope checks; `aggregator.outcome_reading._Extraction` (one thread being read)
    inherits them and holds the state they read."""

    lowered: str  # the thread's lower-cased, normalised text
    cues: OutcomeCues
    units: list[tuple[int, int, int]]  # (start, end, speaker) of the post and of each reply
    _triggers: list[tuple[int, int, str]]  # every scope trigger of the thread, by start
    _t_starts: list[int]
    _word_starts: list[int] | None
    m_starts: list[int]  # where each treatment mention starts, sorted
    _quote_free: bool | None = None  # the thread holds no opening quote mark (when asked)

    def _condition_after(self, here: Sentence, c_end: int) -> bool:
        """A side-effect or condition cue as the object of a gain: the gain is that
        condition's ("keto helped my flaking", "zinc pyrithione helped my itchy
        scalp"), or came without the treatment ("it filled in on its own"); (outp) or
        something else than the hair ("it helped with my sleep", "improved my energy")."""
        if _OTHER_GAIN.match(self.lowered, c_end) is not None:
            return True
        for o_start, o_end, o_kind in here.cues:
            if o_start >= c_end and o_kind not in EFFECT_KINDS:
                return (o_kind != "not_side" or _UNAIDED.fullmatch(self.lowered, o_start, o_end)
                        is not None) and \
                    set(_WORD.findall(self.lowered, c_end, o_start)) <= _OBJECT_WORDS
        return False

    def _condition_before(self, here: Sentence, c_start: int, c_end: int) -> bool:
        """(outp) A side-effect cue, or something else than the hair (`_OTHER_BEFORE`), as the
        subject of a "better" told with a verb right after it: the gain is that condition's
        ("my winter mood was way better", "my energy is much better"), not the hair's; not a
        shed ("the shedding is way better")."""
        lowered = self.lowered
        if lowered.find("better", c_start, c_end) < 0:
            return False
        other = _OTHER_BEFORE.search(lowered, max(here.start, c_start - 50), c_start)
        if other is not None and set(other[1].split()) <= _SUBJECT_WORDS:
            return True  # "my energy is way better"
        for _, o_end, o_kind in reversed(here.cues):
            if o_end <= c_start:
                between = _WORD.findall(lowered, o_end, c_start)
                return o_kind not in EFFECT_KINDS and o_kind not in _NO_SUBJECT and \
                    0 < len(between) <= 4 and set(between) <= _SUBJECT_WORDS and \
                    _SPACED.fullmatch(lowered, o_end, c_start) is not None
        return False

    def _words(self, start: int, end: int) -> int:
        """`len(_WORD.findall(self.lowered, start, end))`: a short span (the common case:
        a trigger a few words before its cue) is scanned; a long one is counted from the
        thread's word starts (found once, when first needed) by bisection."""
        if start >= end:
            return 0
        if end - start <= _SCANNED_SPAN:
            return len(_WORD.findall(self.lowered, start, end))
        starts = self._word_starts
        if starts is None:
            starts = self._word_starts = [m.start() for m in _WORD.finditer(self.lowered)]
        count = bisect_left(starts, end) - bisect_right(starts, start)
        return count + 1 if _WORD.match(self.lowered, start, start + 1) else count

    def _pre_existing(self, here: Sentence, c_start: int) -> bool:
        """A condition had before or besides the treatment: a `pre_existing` trigger before
        the side cue in its clause ("already on propranolol, a bit dizzy": a comma alone
        does not end it; "diagnosed with seborrheic dermatitis"). Any other clause break
        between them, ", and" included, does ("before taking fin I checked my bloodwork, and
        after a month my libido dropped")."""
        last = max((t_end for _, t_end in here.triggers.get("pre_existing", ())
                    if t_end <= c_start), default=-1)  # (its clause lies inside the others')
        if last < 0:
            return False
        lowered, breaks = self.lowered, here.breaks
        return not any(lowered[b] != "," or lowered.startswith(", and ", b)
                       for b in breaks[bisect_left(breaks, last):bisect_left(breaks, c_start)])

    def _label(self, here: Sentence) -> bool:
        """A heading ("## Sides") or a title without a first-person marker, where an
        unqualified "sides" names the subject ("Fin sides, a comparison"), not a report
        ("Quit fin because of sides")."""
        if here.start <= self.units[0][1] and "first_person" not in here.triggers:
            return True
        return self._words(here.start, here.end) <= 2

    def _absorbed(self, kind: str, c_start: int, here: Sentence) -> bool:
        """A vague side cue ("sides"; "puffy" beside a nipple) that a more specific one in
        the same clause describes (anywhere in the sentence for "sides"); a pain word only
        beside a breast cue ("my nipple got tender, like it hurts"; not "the sessions hurt
        and my scalp was red")."""
        if kind not in _VAGUE_SIDES:
            return False
        for o_start, _, other in here.cues:
            if other not in _SPECIFIC_SIDES or other == kind or (
                    kind == "cardio" and other != "breast"):
                continue
            if kind == "other" and other != "breast":
                continue  # "sessions hurt and my scalp was red": both
            if kind == "unspecified" or kind == "other" or \
                    not starts_in(here.breaks, min(o_start, c_start), max(o_start, c_start)):
                return True
        return False

    def _quoted(self, here: Sentence, c_start: int) -> bool:
        """Whether the cue is inside quotation marks opened earlier in its sentence."""
        if self._quote_free is None:  # (a mark found in a span is one in the whole text)
            self._quote_free = not _opens_a_quote(self.lowered)
        if self._quote_free:
            return False  # no opening mark anywhere: nothing is quoted
        # (up to the cue's first letter: a quote mark just before it opens a quotation)
        if self.lowered[c_start] in _QUOTE_CHARS:  # (the marks' lookarounds at the cue)
            opened = len(_OPEN_QUOTE.findall(self.lowered, here.start, c_start + 1))
            return opened > len(_CLOSE_QUOTE.findall(self.lowered, here.start, c_start + 1))
        if here.quotes is None:  # the sentence's quote marks, found once (not once a cue)
            here.quotes = (
                [m.start() for m in _OPEN_QUOTE.finditer(self.lowered, here.start, here.end)],
                [m.start() for m in _CLOSE_QUOTE.finditer(self.lowered, here.start, here.end)])
        opens, closes = here.quotes
        return bisect_left(opens, c_start) > bisect_left(closes, c_start)

    def _hypothetical(self, found: Iterable[tuple[int, int]], c_start: int,
                      here: Sentence, breaks: list[int] | None = None) -> bool:
        """A trigger before the cue, a few words away, with no strong break between (no
        clause break at all when `breaks` are given: a generic statement ends with its
        clause, "funny how different people are, fin has held me for seven years"); not
        "instead" after a choice told as made (`_CHOSEN`)."""
        for t_start, t_end in found:
            if t_start >= c_start or (
                    self.lowered.startswith("instead", t_start) and not
                    self.lowered.startswith(" of", t_end) and _CHOSEN.search(
                        self.lowered, max(here.start, t_start - 48), t_start) is not None):
                continue
            strong = here.strong if breaks is None else breaks
            i = bisect_right(strong, t_end - 1)
            if (i >= len(strong) or strong[i] >= c_start) and \
                    self._words(t_end, c_start) < self.cues.scope_window:
                return True
        return False

    def _negated(self, here: Sentence, c_start: int, c_end: int, side: bool) -> bool:
        """A negation before the cue in its clause (for a side effect also a `side_negation`
        such as "cleared my"), or a `negation_after` just after it. As in ConText, a
        trigger's scope ends at the first cue of the other class it reaches ("zero sides and
        my hairline is better" negates the sides only; "no itch or flakes" negates both);
        after an effect cue only a plain "none", "zero" or "nothing" negates it ("holding
        my hair fine" is not negated)."""
        triggers, window = here.triggers, self.cues.window
        before = triggers.get("negation", [])
        if side and "side_negation" in triggers:
            before = [*before, *triggers["side_negation"]]
        if before and not side and self._says_no(c_start, c_end):
            window = 2  # "no difference" carries its own negation: only a negation next to
            # it makes a double negative ("can't say it didn't work", not "no new hairs and
            # no difference")
        for t_start, t_end in before:
            if t_end <= c_start and self._words(t_end, c_start) < window and \
                    not starts_in(here.breaks, t_end, c_start) and \
                    not _DECIMAL.match(self.lowered, t_start) and \
                    (side or not self._colon_verdict(t_start, t_end, t_end, c_start)) and \
                    not self._without_treatment(t_start, t_end, c_start) and \
                    not any(t_end <= o_start and o_end <= c_start
                            and ((o_kind in EFFECT_KINDS) == side
                                 or (side and self._trouble_ends(o_start, o_end, c_start,
                                                                 o_kind)))
                            for o_start, o_end, o_kind in here.cues):
                return True
        for t_start, t_end in triggers.get("negation_after", ()):
            if opens_phrase(self.lowered, t_start, t_end):
                continue  # "less ejaculate and zero interest": "zero" negates what follows
            if t_start >= c_end and self._words(c_end, t_start) <= 3 and \
                    not starts_in(here.breaks, c_end, t_start) and (
                        side or (self.lowered[t_start:t_end].strip(" :") in _PLAIN_NONE
                                 and not self._colon_verdict(t_start, t_end, c_end,
                                                             t_start))) \
                    and not self.lowered.endswith(("to ", "at "), 0, t_start):  # "went to zero"
                return True
        return False

    def _without_treatment(self, t_start: int, t_end: int, c_start: int) -> bool:
        """(outp) Whether the trigger is "without" before a treatment's name: it negates the
        treatment, not the cue ("saw palmetto without finasteride did nothing")."""
        if not self.lowered.startswith("without", t_start + (self.lowered[t_start] == " ")):
            return False
        i = bisect_left(self.m_starts, t_end)
        return i < len(self.m_starts) and self.m_starts[i] < c_start and \
            _WITHOUT_GAP.fullmatch(self.lowered, t_end, self.m_starts[i]) is not None

    def _colon_verdict(self, t_start: int, t_end: int, lo: int, hi: int) -> bool:
        """(outl) Whether the trigger is a bare "nothing" set off from an effect cue by a
        colon between them [lo, hi): a verdict of its own, not the cue's negation
        ("Nothing: same density, same shedding", "my photos say the same: it did
        nothing")."""
        return self.lowered[t_start:t_end].strip(" ") == "nothing" and \
            ":" in self.lowered[lo:hi]

    def _trouble_ends(self, o_start: int, o_end: int, c_start: int, o_kind: str) -> bool:
        """Whether "no problems" (a `_TROUBLE` word) ends a negation's scope before a side
        cue: a clause goes on after it ("after 3 years on dut with no problems I suddenly
        have low libido"), not when the side is what had none ("no problems with libido",
        "no issues in terms of libido")."""
        return o_kind == "not_side" and \
            self.lowered[o_start:o_end].strip(" ") in _TROUBLE and \
            not _TROUBLE_GOES_ON.isdisjoint(_WORD.findall(self.lowered, o_end, c_start))

    def _says_no(self, c_start: int, c_end: int) -> bool:
        """Whether a negation trigger lies inside the cue phrase [c_start, c_end)."""
        triggers = self._triggers
        for i in range(bisect_left(self._t_starts, c_start), len(triggers)):
            t_start, t_end, kind = triggers[i]
            if t_start >= c_end:
                return False
            if kind == "negation" and t_end <= c_end:
                return True
        return False
