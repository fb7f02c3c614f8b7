"""Switches in the outcome reader: a sentence that moves the writer to other treatments
("fin did nothing, so my derm switched me to dutasteride") makes them alone the topic, a
planned switch names no topic, and a cue given as the reason for the move is about the
treatments left behind. `_Extraction` of `aggregator.outcome_reading` inherits these and
holds the state they read and set.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_scope import Sentence

_MAX_MOVED: Final = 2  # treatments a sentence can move to (`_switched_to`)

# a dose before a treatment's name, told with "of" or not: "2% ", "0.5mg of ", "1mg of my "
_DOSE_OF: Final = r"(?:[\d.,/]+ ?(?:%|mg|ml)? (?:of (?:the |my )?)?)?"
# between a `switch` trigger and the treatment it moves to: " me over to ", " to 2% " (a
# trigger ending in "for" needs no "to": "asked my doctor for dutasteride"; outp: a dose told
# with "of", "to 0.5mg of dutasteride")
_SWITCH_GAP: Final = re.compile(r"(?:(?<=for)|(?: (?:me|him|her|us|over|on|up|straight|back))*"
                                r" (?:on)?to) (?:the |my |an? )?" + _DOSE_OF)
# between two names of the run a switch moves to: "to dut and LDOM", "to fin + oral min"
_SWITCH_JOIN: Final = re.compile(r"\s*(?:,|\+|&|/|,? and|,? plus)\s*(?:the |my |an? )?"
                                 r"(?:[\d.,/]+ ?(?:%|mg|ml)? )?")
# someone else's plan for the writer, before a switch: "my derm wants me to switch to dut"
# (no `hypothetical` trigger: "my derm wants me to try bica because spiro didn't help" tells
# what spiro did)
_PLAN: Final = re.compile(r"\bwants? (?:me|us) to\b")
_ASIDE: Final = re.compile(r"\s*\([^()]*\)")
# a clause break between a cue and the switch after it: the cue gives the reason for the
# move ("the temples kept receding, so my derm moved me to dutasteride")
_SWITCH_REASON: Final = re.compile(r" so |;|,")
_GAIN_REASON: Final = re.compile(r", so |;")  # (not " so ": "improved so much after I switched")
# (attrib) the treatment a switch leaves, named between the trigger and the one it moves to
# ("switched fin to dut", "went from fin over to dut", "swapped finasteride for dutasteride"):
# before it, and between it and the new one
_SOURCE_LEAD: Final = re.compile(r" (?:from |out |off )?(?:the |my |oral |topical )?")
_SOURCE_GAP: Final = re.compile(r"(?: [\d.,/]+ ?(?:%|mg|ml)?)?(?: (?:over|straight|back))*"
                                r" (?:(?:on)?to|for|with) (?:the |my |an? )?" + _DOSE_OF)
# (attrib) a reason told after the move ("switched fin to dut after the temples kept going",
# "moved to dut because my hairline kept receding"): not a time ("after 6 months", "since
# the spring")
_REASON_AFTER: Final = re.compile(r"\b(?:after|because(?: of)?|since|as|cause|cuz|bc|due to)"
                                  r"(?= )")
# between the treatment moved to and the reason: a dose, a time, a word or two ("to dut 0.5
# because", "to dut last winter after"; not "to fin but quit that too because of the sides")
_NEXT_TO_MOVE: Final = re.compile(r"(?: (?!but\b|and\b|then\b|so\b)[\w.%/-]+){0,3},? ")
_TIME_AFTER: Final = re.compile(r"(?: [\w'-]+){0,2}? (?:\d[\w.]*|one|two|three|four|five|six|"
                                r"seven|eight|nine|ten|twelve|days?|weeks?|months?|years?|"
                                r"yrs?|mos?|then|spring|summer|autumn|fall|winter|january|"
                                r"february|march|april|may|june|july|august|september|"
                                r"october|november|december|start|starting|started|beginning|"
                                r"while|long)\b")

# (attrib) a title's treatment named as the one replaced or compared with ("saw palmetto
# instead of fin"; "from" only with a "to" after it, review43: not "results from fin and min")
_REPLACED_TITLE: Final = re.compile(r"\b(from|than|instead of|rather than|over)\s+"
                                    r"(?:the\s+|my\s+|oral\s+|topical\s+)?$")
_TO_AFTER: Final = re.compile(r"(?:\s+[\w.%]+){0,2}?\s+(?:over\s+)?(?:in)?to\b")


def not_left(lowered: str, mentions: list[tuple[int, int, str]], start: int, end: int
             ) -> set[str]:
    """The treatments of `mentions` (those of [start, end)) named there other than as the one
    replaced or compared with (`_REPLACED_TITLE`: "switched from fin to dut", "dut better
    than fin?")."""
    return {tid for m_start, m_end, tid in mentions
            if (f := _REPLACED_TITLE.search(lowered, max(start, m_start - 16), m_start)) is None
            or (f[1] == "from" and _TO_AFTER.match(lowered, m_end, end) is None)}


@trait
class Switches:
    """The switch helpers (see the module docstring)."""

    cues: OutcomeCues
    lowered: str  # the thread's lower-cased, normalised text
    mentions: list[tuple[int, int, str]]  # (start, end, treatment) of each mention, sorted
    m_starts: list[int]
    _triggers: list[tuple[int, int, str]]  # the scope triggers, sorted
    _t_starts: list[int]
    _switches: list[tuple[int, int]]  # each `switch` trigger's (start, end), in order
    _switch_ends: list[int]
    # the last sentence that switched: (its start, where its trigger starts, the treatments
    # it moved to); the topic it left behind; the treatments a planned switch names
    _switch: tuple[int, int, list[str]] | None
    _left: list[str]
    _planned_to: list[str]
    _replaced: list[str]  # (attrib) the treatment the last switch named as left

    def _treatments_in(self, start: int, end: int) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _switched_to(self, start: int, end: int, named: list[str],
                     before: set[str]) -> list[str]:
        """Those of `named` the sentence [start, end) moves to: the run of names joined
        ("and", ",", "+", past an aside) right after a `switch` trigger that "to" ("me to",
        "over to", a dose) joins to the first ("fin did nothing, so my derm switched me to
        dutasteride"; "went straight to dut and LDOM"; not the finasteride of "switched to
        dutasteride because finasteride gave me brain fog"). Empty when none; when more than
        `_MAX_MOVED` are named after the switch (a history of additions: "then switched to
        oral min, added nizoral, needled, tried RU"); when the unit named all of them
        `before` (a new dose or form: "on fin and topical min. Switched to oral
        minoxidil"; not the thread's focus a reply starts with: "I did it for a year, lost
        ground, went back to oral dut"); or when a hypothetical or plan trigger comes
        before the switch ("I'm planning to switch over to dut": then they are in
        `_planned_to`, no topic)."""
        ends, mentions, m_starts = self._switch_ends, self.mentions, self.m_starts
        lowered = self.lowered
        self._replaced = []
        for i in range(bisect_left(ends, start), len(ends)):
            t_start, t_end = self._switches[i]
            if t_end > end:
                break
            j = bisect_left(m_starts, t_end)
            replaced: list[str] = []
            if j + 1 < len(mentions) and mentions[j + 1][0] < end and \
                    mentions[j + 1][2] != mentions[j][2] and \
                    not _SWITCH_GAP.fullmatch(lowered, t_end, mentions[j][0]) and \
                    _SOURCE_LEAD.fullmatch(lowered, t_end, mentions[j][0]) and \
                    _SOURCE_GAP.fullmatch(lowered, mentions[j][1], mentions[j + 1][0]):
                replaced = [mentions[j][2]]  # (attrib) "switched fin to dut"
                j += 1
            if j < len(mentions) and mentions[j][0] < end and mentions[j][2] in named and \
                    (replaced or _SWITCH_GAP.fullmatch(lowered, t_end, mentions[j][0])):
                run = {mentions[j][2]}
                at = mentions[j][1]
                while True:  # (past an aside: "went straight to dut (fin did nothing) and LDOM")
                    aside = _ASIDE.match(lowered, at, end)
                    join = _SWITCH_JOIN.match(lowered, aside.end() if aside else at, end)
                    k = bisect_left(m_starts, join.end()) if join else len(mentions)
                    if k == len(mentions) or join is None or mentions[k][0] != join.end() or \
                            mentions[k][0] >= end:
                        break
                    run.add(mentions[k][2])
                    at = mentions[k][1]
                moved = [t for t in named if t in run]
                after = {m[2] for m in mentions[j:bisect_left(m_starts, end)]}
                if sum(t in after for t in named) > _MAX_MOVED:
                    return []  # (a history of additions)
                if self._planned(start, t_start):
                    self._planned_to = moved
                    return []
                if all(t in before for t in moved):
                    return []
                self._switch = (start, t_start, moved)
                self._replaced = [t for t in replaced if t not in moved]
                return moved
        return []

    def _planned(self, start: int, t_start: int) -> bool:
        """Whether a hypothetical trigger or `_PLAN` lies in [start, t_start): a switch
        told as a plan ("my derm wants me to switch", "thinking I should switch") is no
        move."""
        triggers, t_starts = self._triggers, self._t_starts
        for i in range(bisect_left(t_starts, start), bisect_left(t_starts, t_start)):
            if triggers[i][2] == "hypothetical":
                return True
        return _PLAN.search(self.lowered, start, t_start) is not None

    def _reason_for_switch(self, here: Sentence, c_start: int, c_end: int, kind: str,
                           targets: list[str]) -> bool:
        """Whether the cue [c_start, c_end) about `targets` gives the reason for the move the
        sentence makes, so is about the treatments it left (`_left`): before the switch, a
        clause break between (`_SWITCH_REASON`; for a gain only ", so" or ";"), and no
        treatment named before the cue. "the temples started creeping back again, so my
        derm moved me to dutasteride" is about what came before; "it regrew my crown, so I
        switched to dutasteride for the temples" too; "the crown got denser after I switched
        to dutasteride" is the new one's."""
        switch = self._switch
        return switch is not None and switch[0] == here.start and c_end <= switch[1] and \
            bool(self._left) and set(targets) <= set(switch[2]) and \
            (_GAIN_REASON if kind in ("improved", "unchanged") else _SWITCH_REASON).search(
                self.lowered, c_end, switch[1]) is not None and \
            not self._treatments_in(here.start, c_start)

    def _reason_after_switch(self, here: Sentence, c_start: int) -> list[str]:
        """(attrib) The treatments a loss, a failure or a side effect is about when the
        sentence gives it as the reason after its move ("switched fin to dut after the temples
        kept going", "went from fin over to dut because my hairline kept receding"): those it
        left (`_left`), when a reason word (`_REASON_AFTER`) follows the last treatment named
        after the switch (at most a few words between, `_NEXT_TO_MOVE`: not "switched to fin
        but quit that too because of the sides"), no treatment is named after it, and no
        clause break or "and" ends the reason before the cue ("because of gyno and my crown
        slid back": the loss came after); else none."""
        switch = self._switch
        if switch is None or switch[0] != here.start or not self._left or \
                c_start <= switch[1]:
            return []
        m_starts = self.m_starts
        lo = bisect_left(m_starts, switch[1])
        at = bisect_left(m_starts, c_start, lo)
        if at == lo:
            return []  # (no treatment named between the switch and the cue)
        lowered, moved_end = self.lowered, self.mentions[at - 1][1]
        reason = _REASON_AFTER.search(lowered, moved_end, c_start)
        return self._left if reason is not None and \
            _NEXT_TO_MOVE.fullmatch(lowered, moved_end, reason.start()) is not None and \
            _TIME_AFTER.match(lowered, reason.end(), c_start) is None and \
            lowered.find(" and ", reason.end(), c_start) < 0 and \
            self.cues.break_re.search(lowered, reason.end(), c_start) is None else []

