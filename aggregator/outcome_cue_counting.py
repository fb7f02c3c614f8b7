"""Counting a sentence's cues in the outcome reader: a sentence is read only as a
first-hand report (not a question, research talk, a generic statement, nor a reply's
sentence before its first-person marker), and each of its cues is dropped (a hypothetical,
generic or quoted one, one running on into the next sentence, a gain the sentence gives
another cause, a sarcastic side effect) or recorded for the treatments it is about. Rules in
`aggregator.outcomes`. `_Extraction` of `aggregator.outcome_reading` inherits these, last of
its bases (the stubs here never shadow the real methods), and holds the state they read."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from operator import itemgetter
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_cue_schema import EFFECT_KINDS
from aggregator.outcome_scope import Sentence, starts_in

_MAX_CARRIED: Final = 3  # treatments a reply's sentence that names none can be about
_FAILURE_KINDS: Final = frozenset({"no_effect", "unchanged", "declined"})
_SARCASM: Final = re.compile(r"(?<![\w/])/s\b")  # the forum's sarcasm mark
_KIND: Final = itemgetter(2)


@trait
class CueCounting:
    """Whether a sentence's cues count, and for which treatments (see the module
    docstring)."""

    cues: OutcomeCues
    lowered: str  # the thread's lower-cased, normalised text
    m_starts: list[int]  # where each mention starts, sorted
    _research: bool  # the unit's last sentences are research talk
    _early_end: int  # where the last sentence with a too-early hedge ends
    _hedged: bool  # the sentence being read follows such a hedge
    _switch: tuple[int, int, list[str]] | None  # the last sentence that switched
    _left: list[str]  # the topic it left behind

    # defined by the other classes `_Extraction` inherits, declared as methods (see
    # `outcome_record.Recording`)
    def _sentence_triggers(self, start: int, end: int, cues: list[tuple[int, int, str]],
                           first_person: bool = False) -> dict[str, list[tuple[int, int]]]:
        raise NotImplementedError  # outcome_triggers.SentenceTriggers

    def _research_word(self, t_start: int, start: int) -> bool:
        raise NotImplementedError  # outcome_speaker.SpeakerChecks

    def _generic(self, found: list[tuple[int, int]], c_start: int, here: Sentence) -> bool:
        raise NotImplementedError  # outcome_speaker.SpeakerChecks

    def _hypothetical(self, found: Iterable[tuple[int, int]], c_start: int,
                      here: Sentence, breaks: list[int] | None = None) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _quoted(self, here: Sentence, c_start: int) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _negated(self, here: Sentence, c_start: int, c_end: int, side: bool) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _absorbed(self, kind: str, c_start: int, here: Sentence) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _label(self, here: Sentence) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _pre_existing(self, here: Sentence, c_start: int) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _treatments_in(self, start: int, end: int) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _targets(self, start: int, end: int, c_start: int, sentence: Sentence) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _not_later_alone(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _credited_together(self, here: Sentence) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _earlier(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _not_next(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_bystanders.Bystanders

    def _not_baseline(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_bystanders.Bystanders

    def _not_without(self, here: Sentence, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_bystanders.Bystanders

    def _topic_not_without(self, here: Sentence, targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_bystanders.Bystanders

    def _reason_for_switch(self, here: Sentence, c_start: int, c_end: int, kind: str,
                           targets: list[str]) -> bool:
        raise NotImplementedError  # outcome_switch.Switches

    def _reason_after_switch(self, here: Sentence, c_start: int) -> list[str]:
        raise NotImplementedError  # outcome_switch.Switches

    def _with_partner(self, here: Sentence, c_end: int, kind: str,
                      targets: list[str]) -> list[str]:
        raise NotImplementedError  # outcome_bystanders.Bystanders

    def _effect(self, here: Sentence, targets: list[str], kind: str, negated: bool,
                span: tuple[int, int], shared: bool = False) -> None:
        raise NotImplementedError  # outcome_record.Recording

    def _recovered(self, kind: str, c_start: int, c_end: int) -> bool:
        raise NotImplementedError  # outcome_record_sides.SideRecording

    def _pre_treatment_shed(self, here: Sentence, c_end: int) -> bool:
        raise NotImplementedError  # outcome_record_sides.SideRecording

    def _side(self, here: Sentence, targets: list[str], kind: str,
              span: tuple[int, int]) -> None:
        raise NotImplementedError  # outcome_record_sides.SideRecording

    def _sentence(self, start: int, end: int, question: bool, speaker: int,
                  topic: list[str], first_person: bool,
                  cues: list[tuple[int, int, str]]) -> bool:
        """Record the sentence's counted cues; returns the reply's first-person state."""
        if first_person and (question or (not topic and not self._treatments_in(start, end))):
            return True  # nothing to record, and the state cannot change: no scan needed
        triggers = self._sentence_triggers(start, end, cues, first_person)
        self._hedged = self._early_end == start
        if "too_early" in triggers:
            self._early_end = end
        own = "first_person" in triggers
        first_person = first_person or own
        research, self._research = self._research, not own and (
            self._research or ("research" in triggers and any(
                self._research_word(t_start, start) for t_start, _ in triggers["research"])))
        if research and not own:
            return first_person  # more of the research statement before it
        if question or (not topic and not self._treatments_in(start, end)) or \
                ("generic" in triggers and not own) or (speaker != 0 and not first_person):
            return first_person
        here = Sentence(start, end, speaker, topic, triggers, cues, self.lowered,
                        self.cues.break_re, self.cues.strong_break_re,
                        "improved" in map(_KIND, cues))
        for c_start, c_end, kind in cues:
            self._cue(here, c_start, c_end, kind)
        return first_person

    def _clause_names_treatment(self, here: Sentence, c_start: int) -> bool:
        """Whether a treatment is named in the clause holding `c_start` (between the
        sentence's clause breaks): "After the stress ended, minoxidil did regrow my
        temples" credits minoxidil; "the shedding stopped, but it ended on its own" no one."""
        breaks = here.breaks
        i = bisect_right(breaks, c_start)
        lo = breaks[i - 1] if i else here.start
        hi = breaks[i] if i < len(breaks) else here.end
        return starts_in(self.m_starts, lo, hi)

    def _cue(self, here: Sentence, c_start: int, c_end: int, kind: str) -> None:
        """One cue of a first-hand sentence: dropped when it runs on into the next sentence
        (a title ending "...and shedding" before a body starting "Started..."), or when a
        hypothetical or generic trigger or a quotation covers it, or when it is a gain in a
        sentence that names another cause of it (`other_cause`), else recorded for its
        treatments (in a switch's sentence, a loss or side effect a clause before the
        switch is the left treatments'; a shed told before "so I started" is none)."""
        triggers = here.triggers
        if kind == "not_side" or c_end > here.end or \
                (kind == "improved" and "other_cause" in triggers and
                 not self._clause_names_treatment(here, c_start)) or \
                ("hypothetical" in triggers and
                 self._hypothetical(triggers["hypothetical"], c_start, here)) or \
                ("wish" in triggers and
                 self._hypothetical(triggers["wish"], c_start, here, here.breaks)) or \
                ("generic" in triggers and self._generic(triggers["generic"], c_start, here)) \
                or self._quoted(here, c_start):
            return
        targets = self._targets(here.start, here.end, c_start, here)
        if targets and self.lowered.find("without ", here.start, here.end) >= 0:
            targets = self._not_without(here, targets)
            if not targets:
                return  # (outq) only what was left out is named, and it is the topic
        if targets and kind == "improved" and self.lowered.find(" than ", c_end, here.end) >= 0:
            targets = self._not_baseline(here, c_end, targets)
        if targets and kind in _FAILURE_KINDS:
            targets = self._not_next(here, c_end, targets)
            if not targets:
                return  # the failure of what came before the one named after it
        elif len(targets) == 1 and kind == "improved":
            targets = self._not_later_alone(here, c_end, targets)
            if not targets:
                return  # (outo) the gain of what came before the one named after it
        if not targets and kind in EFFECT_KINDS:
            targets = self._credited_together(here)
        if len(targets) > 1 or (targets and kind in EFFECT_KINDS and
                                self.lowered.find(" than ", c_end, here.end) >= 0):
            targets = self._earlier(here, c_end, targets)  # (outl) one treatment too, when
            # it may be the one compared with ("narrower than it was on fin")
        if self._switch is not None and targets and \
                self._reason_for_switch(here, c_start, c_end, kind, targets):
            targets = self._left
        elif self._switch is not None and targets and kind != "improved" and \
                (left := self._reason_after_switch(here, c_start)):
            targets = left  # (attrib) "switched fin to dut after the temples kept going"
        if targets and kind in EFFECT_KINDS:
            targets = self._with_partner(here, c_end, kind, targets)  # (attrib) "I'm also on fin"
        shared = False
        if "combination" in triggers and kind in EFFECT_KINDS and \
                (combined := self._combination(here, c_start, triggers["combination"])):
            targets = combined  # (outq) the combination credited by name
        if not targets:
            if here.speaker and len(here.topic) > _MAX_CARRIED:  # a reply on a long list
                return
            targets, shared = here.topic, len(here.topic) > 1
            if targets and self.lowered.find("without", here.start, here.end) >= 0:
                targets = self._topic_not_without(here, targets)
                if not targets:
                    return  # (outq) the topic is only what the sentence left out
                shared = len(targets) > 1
        negated = self._negated(here, c_start, c_end, side=kind not in EFFECT_KINDS)
        if self.lowered.find("/s", here.start, here.end) >= 0 and \
                _SARCASM.search(self.lowered, here.start, here.end):
            if kind not in EFFECT_KINDS:
                return  # a sarcastic side effect (or its denial) is no report
            negated = not negated  # "fin did wonders for me /s" says the opposite
        if kind in EFFECT_KINDS:
            self._effect(here, targets, kind, negated, (c_start, c_end), shared)
        elif not negated and "disowned" not in here.triggers \
                and not self._recovered(kind, c_start, c_end) \
                and not self._absorbed(kind, c_start, here) \
                and not (kind == "unspecified" and self._label(here)) \
                and not self._pre_existing(here, c_start) \
                and not (kind == "shedding" and self._pre_treatment_shed(here, c_end)):
            self._side(here, targets, kind, (c_start, c_end))
