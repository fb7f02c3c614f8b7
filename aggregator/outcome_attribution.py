"""Attribution in the outcome reader: which treatments a sentence, clause or cue is about.
The thread's focus and regimen, a sentence's topic (mentions not guarded by a negation or a
plan, nor named as a former treatment), the clause targets of a cue (its own clause, else the
nearest that names one, what a parenthesis follows, "it" pointing back), and which of a cue's
treatments are named after it as what came later or what it is compared with; and, for a
sentence crediting "the two together", the last two treatments named before it
(`_credited_together`). `_Extraction` of `aggregator.outcome_reading` inherits these and holds
the mentions they read.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import pairwise
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_bystanders import WITHOUT
from aggregator.outcome_clauses import cue_subject, listed_before
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_cue_schema import EFFECT_KINDS
from aggregator.outcome_scope import _DECIMAL, Sentence
from aggregator.outcome_switch import not_left

_SENTENCE_END: Final = re.compile(r"[.!?] |\n")
_TOPIC_GUARD: Final = 25  # characters before a mention a negation or hypothetical trigger may be
_FORMER: Final = re.compile(r"\b(?:from|than|instead of|off|after|over|skipped|skipping)\s+"
                     r"(?:the\s+|my\s+)?$")
_REPLACED: Final = re.compile(r"\b(?:from|instead of)\s+(?:the\s+|my\s+)?$")
# (outo) the base a new treatment is used beside ("latanoprost on my temples alongside my
# usual fin", "kx826 on top of my fin", "in addition to my usual fin"): no topic beside the
# new one; after "alongside" or "along with" only when told as the standing one ("alongside
# my minoxidil" may be a combination the writer credits)
_BESIDE_BASE: Final = re.compile(
    r"\b(?:(?:alongside|along with)\s+(?:(?:my|the|his|her)\s+)?"
    r"(?:usual|regular|existing|current|normal|ongoing|established|standard)\s+|"
    r"(?:in addition to|on top of)\s+(?:(?:my|the|his|her)\s+)?"
    r"(?:(?:usual|regular|existing|current|normal|ongoing|established|standard)\s+)?)"
    r"(?:(?:oral|topical)\s+)?$")
# a gain going on after the later treatment came ("then I added fin and it got even
# better"): the gain is that one's too
_GAIN_GOES_ON: Final = re.compile(r"\b(?:even|still|much|way|a lot|only) better\b|"
                                  r"\bbetter (?:still|again|yet)\b")
# (outj) a treatment told as stopped for the one the post is about ("I stopped oral fin for
# this", "came off min for it"): no topic for what follows
_STOPPED_FOR: Final = re.compile(r"\b(?:stopped|quit|dropped|ditched|came off|gave up)"
                                 r"(?: taking| using)?"
                                 r"(?: the| my| oral| topical)* $")
_FOR_THIS: Final = re.compile(r"(?: \S+){0,2}? (?:for|because of) (?:this|it|that)\b")
# what a trigger before a mention is about when a noun and a preposition stand between:
# not the treatment ("no shed on min", "zero sides from dut", "no issues with fin" leave
# the treatment the topic; "not on fin", "never tried dut" do not)
_OF_ANOTHER: Final = re.compile(r"(?: [\w'-]+){1,3} (?:on|from|with|while on|since|since "
                                r"starting|after|after starting) (?:the |my |oral |topical )?")
# what came later, named after a cue ("before adding minoxidil", "until I switched to dut",
# "then I started RU"): the cue is not about it
# (outl) the state the hair was in on another treatment, named after a cue ("my part is
# finally narrower than it was on fin", "thicker than it ever got with min"): not about it
# either, and a cue whose sentence names only that one is the thread's focus's
_THAN_ON_FORM: Final = (r" than (?:it|they|i|my hair|the hair) (?:ever )?"
                        r"(?:was|were|got|did|looked) (?:on|with|using) (?:the |my |a )?$")
_THAN_ON: Final = re.compile(_THAN_ON_FORM)
_LATER: Final = re.compile(
    r" (?:before|until|till|then|and then) (?:i |we )?(?:adding|added|add|starting|started|"
    r"start|trying|tried|switching|switched|moving|moved|going|went|jumping|jumped|getting|"
    r"got)(?: (?:on to|on|to|over to|onto|in|over))? (?:the |my |some |a )?$|"
    # a treatment the cue's is compared with ("useless compared to fin", "RU regrew my
    # hairline where fin failed"): not about it either
    r" (?:compared to|compared with|next to|versus|vs\.?|unlike|where|than) (?:the |my |a )?$|"
    # (zuzv) or the place a gain is told at ("brought back density behind the transplant")
    r" (?:behind|in front of|around) (?:the |my |a )$|"
    + _THAN_ON_FORM)
# (outi) a treatment's name as a lab test ("had my ferritin checked", "vitamin D levels
# tested"): no treatment taken, no topic
_TESTED: Final = re.compile(r"(?: levels?)?(?: was| were| got)? (?:checked|tested|test|tests)\b")
# (outj) a treatment named as the one that failed, in a clause of time or contrast ("dut saved
# my hairline after fin failed", "spiro worked for me when min didn't", "dut 0.5 after fin
# failed - huge difference"): what it names before and after the mention
_FAILED_LEAD: Final = re.compile(r" (?:after|when|once|where|since|because|as) (?:the |my |a |"
                                 r"oral |topical )?$")
_FAILED_TAIL: Final = re.compile(
    r"(?: (?:alone|only|by itself|on its own|\d+(?:\.\d+)? ?mg))? (?:had |has |just |kind of |"
    r"basically |totally |completely )?(?:failed|didn'?t|did not|did nothing|stopped working|"
    r"quit working|stopped doing anything|wasn'?t enough|was not enough|was useless|"
    r"wasn'?t working|plateaued|stalled|gave out|did squat|did zilch)\b")
# "it", "it's", "its", "this one", "that one" as whole words; each regex here starts with a
# plain character (the engine then skips to the candidates at C speed): `i(?<!\wi)` is `\bi`
_IT: Final = re.compile(r"(?:i(?<!\wi)t(?:'s|s)?|t(?<!\wt)h(?:is|at) one)\b")


def _nearest_first(here: int, count: int) -> Iterator[int]:
    """0..count-1 by distance from `here`, the earlier first at a tie."""
    yield here
    for distance in range(1, count):
        if here - distance >= 0:
            yield here - distance
        if here + distance < count:
            yield here + distance


# (outz) a sentence crediting two treatments together without naming them ("I'd give the
# credit to the two together", "both of them together did it")
_TWO_TOGETHER: Final = re.compile(r"\b(?:the two|both of them|both)(?: of them)? together\b|"
                                  r"\bcredit to (?:the two|both)\b")


@trait
class Attribution:
    """The attribution helpers (see the module docstring)."""

    cues: OutcomeCues
    lowered: str  # the thread's lower-cased, normalised text
    units: list[tuple[int, int, int]]  # (start, end, speaker) of the post and of each reply
    mentions: list[tuple[int, int, str]]  # (start, end, treatment) of each mention, sorted
    m_starts: list[int]
    found: list[tuple[int, int, str]]  # (start, end, kind) of each cue, sorted
    f_starts: list[int]  # where each cue starts
    _guards: list[tuple[int, int]]  # negation and hypothetical triggers
    _guard_starts: list[int]
    _replaced: list[str]  # (attrib) what the sentence's switch left ("switched fin to dut")

    def _sentences(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """(start, end, is a question) of each sentence of a unit: the reader's splitter
        (`outcome_reading._Extraction`; a method here, not an attribute: see `Recording`)."""
        raise NotImplementedError

    def _treatments_in(self, start: int, end: int) -> list[str]:
        lo, hi = bisect_left(self.m_starts, start), bisect_left(self.m_starts, end)
        seen: list[str] = []
        for m in self.mentions[lo:hi]:
            if m[2] not in seen:
                seen.append(m[2])
        return seen

    def _focus(self) -> list[str]:
        raise NotImplementedError  # outcome_reading._Extraction

    def _regimen(self) -> list[str]:
        """What a title that names nothing is about ("Regrew my hair!"): every treatment
        the body names as used."""
        body_start, body_end, _ = self.units[1]
        return self._topic_of(body_start, body_end)

    def _topic_of(self, start: int, end: int) -> list[str]:
        """Treatments named in [start, end) other than right after a negation or a
        hypothetical ("no min because...", "thinking about dut") or as a lab test ("had my
        ferritin checked")."""
        lo, hi = bisect_left(self.m_starts, start), bisect_left(self.m_starts, end)
        seen: dict[str, int] = {}
        for m_start, m_end, tid in self.mentions[lo:hi]:
            if tid not in seen and not self._guarded(max(start, m_start - _TOPIC_GUARD),
                                                     m_start) and \
                    _TESTED.match(self.lowered, m_end) is None:
                seen[tid] = m_start
        if len(seen) > 1:
            return [t for t, m_start in seen.items()
                    if not self._former(start, m_start) and
                    not self._former(start, m_start, _BESIDE_BASE, 40)] or list(seen)
        return list(seen)

    def _not_former(self, start: int, end: int, named: list[str]) -> list[str]:
        """(attrib) `named` less those [start, end) names only as replaced or compared with
        (`outcome_switch.not_left`), when any is left."""
        lo, hi = bisect_left(self.m_starts, start), bisect_left(self.m_starts, end)
        kept = not_left(self.lowered, self.mentions[lo:hi], start, end)
        return [t for t in named if t in kept] or named

    def _stopped_for(self, start: int, m_start: int, m_end: int) -> bool:
        """(outj) The mention [m_start, m_end) is of a treatment stopped for another ("I
        stopped oral fin for this"): "for this" / "for it" right after it, a stop verb right
        before it (the reader asks only when " for " or " because of " follows it)."""
        lowered = self.lowered
        return _FOR_THIS.match(lowered, m_end) is not None and \
            _STOPPED_FOR.search(lowered, max(start, m_start - 28), m_start) is not None

    def _former(self, start: int, m_start: int, pattern: re.Pattern[str] = _FORMER,
                window: int = 16) -> bool:
        """A mention of what came before or what is compared ("switched from fin to dut",
        "bica after spiro gave me nothing", "more than minox alone")."""
        return pattern.search(self.lowered, max(start, m_start - window), m_start) is not None

    def _guarded(self, lo: int, m_start: int) -> bool:
        """A negation or hypothetical trigger in [lo, m_start), not before a strong clause
        break ahead of the mention (outk: "I wanted to avoid drugs so I took saw palmetto")."""
        guards = self._guards
        for i in range(bisect_left(self._guard_starts, lo), len(guards)):
            t_start, t_end = guards[i]
            if t_start >= m_start:
                return False
            if t_end <= m_start and not _DECIMAL.match(self.lowered, t_start) and \
                    _OF_ANOTHER.fullmatch(self.lowered, t_end, m_start) is None and \
                    self.cues.strong_break_re.search(self.lowered, t_end, m_start) is None \
                    and _SENTENCE_END.search(self.lowered, t_end, m_start) is None:
                return True  # ((outq) not a trigger of the sentence before: "kept thinning,
                # no improvement. Moved to dut")
        return False

    def _says_it(self, start: int, end: int) -> bool:
        """Whether the sentence says "it" (or "this one", "that one")."""
        lowered = self.lowered
        return (lowered.find("it", start, end) >= 0 or lowered.find("one", start, end) >= 0) \
            and _IT.search(lowered, start, end) is not None

    def _outside_asides(self, start: int, end: int, named: list[str]) -> list[str]:
        """The named treatments without those only named inside parentheses, when others
        are named outside them ("went to dut (fin did nothing for me) and LDOM": the
        following sentences are about dut and LDOM)."""
        if len(named) < 2 or "(" not in self.lowered[start:end]:
            return named
        outside: set[str] = set()
        for m_start, _, tid in self.mentions[bisect_left(self.m_starts, start):
                                             bisect_left(self.m_starts, end)]:
            opened = self.lowered.rfind("(", start, m_start)
            if opened < 0 or self.lowered.find(")", opened, m_start) >= 0:
                outside.add(tid)
        return [t for t in named if t in outside] or named

    def _targets(self, start: int, end: int, c_start: int, sentence: Sentence) -> list[str]:
        """`_clause_targets`, found without the clauses when the span [start, end) names one
        treatment only and its first mention there is not guarded by a trigger before it:
        then that treatment. Why the two agree: a clause starts at or after `start`, and a
        smaller guard window finds no more triggers, so the clause holding the first
        mention is unguarded too and answers with that treatment, the only one any clause
        or comma list of the span can name (`tests/aggregator/test_outcome_targets.py`
        compares the two call by call)."""
        m_starts = self.m_starts
        i = bisect_left(m_starts, start)
        stop = bisect_left(m_starts, end, i)
        if i == stop:
            return []  # (the span names nothing: no clause of it can)
        mentions = self.mentions
        m_start, _, treatment = mentions[i]
        if (stop - i > 1 and any(mentions[j][2] != treatment for j in range(i + 1, stop))) or \
                self._guarded(max(start, m_start - _TOPIC_GUARD), m_start):
            return self._clause_targets(start, end, c_start, sentence)
        return [treatment]

    def _clause_targets(self, start: int, end: int, c_start: int,
                        sentence: Sentence) -> list[str]:
        """Treatments of the cue's clause, else of the nearest clause that names one; inside
        parentheses, what the text before them names ("spiro (did little for me) to bica")."""
        i = bisect_left(self.m_starts, start)
        if i == len(self.m_starts) or self.m_starts[i] >= end:
            return []  # (reached from the tests only: `_targets` answers this case itself)
        paren = self.lowered.rfind("(", start, c_start)
        if paren > start and self.lowered.find(")", paren, c_start) < 0 and \
                not self._treatments_in(paren, c_start):
            before = self._targets(start, paren, paren - 1, sentence)
            if before:
                return before
        bounds = [start, *(b for b in sentence.breaks if start < b < end), end]
        clauses = list(pairwise(bounds))
        here = max(0, bisect_right(bounds, c_start) - 1)
        here = min(here, len(clauses) - 1)
        for i in _nearest_first(here, len(clauses)):
            c_lo = clauses[i][0]
            mentions = self._first_mentions(*clauses[i])
            if mentions and self.lowered.find("without", c_lo, mentions[-1][1]) >= 0:
                # (outp) not one named as not used ("without any minoxidil")
                mentions = [m for m in mentions if not self._former(c_lo, m[1], WITHOUT)]
            if len(mentions) > 1:  # without what it replaced or is measured against
                # ("switched from fin to dut", "thicker than it ever got with fin alone";
                # (outi) not the subject before the cue: "saw palmetto alone held mine for
                # years before I started fin")
                # (review43) for a gain, not what a switch left ("switched fin to dut, ...")
                left = self._replaced if self._replaced and (c_start, "improved") in {
                    (c[0], c[2]) for c in sentence.cues} else ()
                mentions = [m for m in mentions if not self._former(c_lo, m[1], _REPLACED)
                            and m[0] not in left
                            and not (self.lowered.startswith(" alone", m[2])
                                     and m[1] > c_start)] or mentions
            if i == here and len(mentions) > 1:  # the one right before the cue ("...after a
                # year of caffeine shampoo did nothing")
                mentions = cue_subject(self.lowered, mentions, c_start, self._cue_in)
            if i != here:  # a neighbour clause's plans and negations are not it
                # ("scheduled a transplant, but my hair made a comeback"), unless the cue's
                # clause says "it" ("can't do fin, tried it and it wrecked my libido")
                kept = [m for m in mentions
                        if not self._guarded(max(c_lo, m[1] - _TOPIC_GUARD), m[1])]
                if len(kept) == len(mentions) or not self._says_it(*clauses[here]):
                    mentions = kept
            if mentions:
                listed = listed_before(self.lowered, clauses, i, self._first_mentions)
                return [*listed, *(m[0] for m in mentions if m[0] not in listed)]
        return []

    def _cue_in(self, start: int, end: int) -> bool:
        """Whether an effect cue starts in [start, end)."""
        f_starts, found = self.f_starts, self.found
        for i in range(bisect_left(f_starts, start), bisect_left(f_starts, end)):
            if found[i][2] in EFFECT_KINDS:
                return True
        return False

    def _first_mentions(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """Each treatment named in [start, end) with where it is first named."""
        seen: dict[str, tuple[int, int]] = {}
        for m_start, m_end, tid in self.mentions[bisect_left(self.m_starts, start):
                                                 bisect_left(self.m_starts, end)]:
            seen.setdefault(tid, (m_start, m_end))
        return [(tid, a, b) for tid, (a, b) in seen.items()]

    def _earlier(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        """Of a cue's treatments, the one a pattern's `treatment` group names ("got worse on
        finasteride until I switched to dutasteride"), else those not named after the cue
        as what came later ("I lost hair on fin for a year before adding minoxidil")."""
        lowered, mentions = self.lowered, self.mentions
        lo = bisect_left(self.m_starts, here.start)
        hi = bisect_left(self.m_starts, here.end, lo)
        at = bisect_left(self.m_starts, c_end, lo, hi)
        if at < hi and mentions[at][0] == c_end and lowered[c_end - 1] == " " and \
                mentions[at][2] in targets:
            return [mentions[at][2]]
        before = {tid for _, _, tid in mentions[lo:at]}
        later = {tid for m_start, _, tid in mentions[at:hi] if tid not in before and
                 _LATER.search(lowered, max(c_end, m_start - 40), m_start) is not None}
        kept = [t for t in targets if t not in later]
        if len(kept) > 1:
            kept = self._not_failed(here, c_end, kept, mentions[lo:hi])
        if not kept and later and not before and all(
                _THAN_ON.search(lowered, max(c_end, m_start - 40), m_start)
                for m_start, _, tid in mentions[at:hi] if tid in later):
            kept = [t for t in self._focus() if t not in later]  # (outl) `_THAN_ON`
        return kept or targets

    def _not_later_alone(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        """(outo) A gain's one treatment when the sentence names it only after the cue as
        what came later ("It held my crown for two years before I moved on to fin"): the
        thread's focus without it (none when that is all the focus is); else `targets`. Not
        a comparison's baseline state ("smaller than it was before I started dut": dut's),
        nor a gain that goes on after it came ("then I added fin and it got even better":
        fin's; the focus's share of the gain is not recorded then)."""
        m_starts = self.m_starts
        lo = bisect_left(m_starts, here.start)
        at = bisect_left(m_starts, c_end, lo)
        hi = bisect_left(m_starts, here.end, at)
        if at > lo or at == hi:
            return targets  # (named before the cue, or not after it)
        lowered = self.lowered
        if lowered.find(" than ", c_end, here.end) < 0 and \
                all(_LATER.search(lowered, max(c_end, m_start - 40), m_start) is not None
                    for m_start, _, _ in self.mentions[at:hi]):
            if lowered.find("better", self.mentions[hi - 1][1], here.end) >= 0 and \
                    _GAIN_GOES_ON.search(lowered, self.mentions[hi - 1][1], here.end):
                return targets  # "..., then I added fin and it got even better": fin's too
            return [t for t in self._focus() if t not in targets]
        return targets

    def _not_failed(self, here: Sentence, c_end: int, targets: list[str],
                    named: list[tuple[int, int, str]]) -> list[str]:
        """(outj) Of a cue's treatments, those not named as the one that failed in a clause
        of time or contrast (`_FAILED_LEAD` before the name, `_FAILED_TAIL` after it: "dut
        saved my hairline after fin failed", "spiro worked for me when min didn't"), unless
        the cue is that failure itself; all of them when every one is."""
        lowered = self.lowered
        failed = set()
        for m_start, m_end, tid in named:
            if tid in targets and \
                    _FAILED_LEAD.search(lowered, max(here.start, m_start - 16), m_start) and \
                    (tail := _FAILED_TAIL.match(lowered, m_end)) is not None and \
                    not m_start <= c_end <= tail.end():
                failed.add(tid)
        return [t for t in targets if t not in failed] or targets

    def _credited_together(self, here: Sentence) -> list[str]:
        """The last two treatments named before `here` when it credits "the two together"
        ("I'd give the credit to the two together", "both of them together did it"); none
        otherwise (the caller asks only for an effect cue with no target)."""
        lowered = self.lowered
        if (lowered.find(" together", here.start, here.end) < 0 and
                lowered.find("credit to ", here.start, here.end) < 0) or \
                _TWO_TOGETHER.search(lowered, here.start, here.end) is None:
            return []
        return self._last_two(here.start)

    def _last_two(self, before: int) -> list[str]:
        """The last two treatments the thread names before `before` ("I'd give the credit
        to the two together"), or none when it names fewer."""
        named: list[str] = []
        for m in reversed(self.mentions[:bisect_left(self.m_starts, before)]):
            if m[2] not in named:
                named.append(m[2])
                if len(named) == 2:
                    return named[::-1]
        return []
