"""Recording a first-hand side-effect cue in the outcome reader: which of its treatments it
goes to (those known for it, `[typical]`; the procedure in a sentence about sessions; the
one its clause says caused it) and when it is none (a function said to have come back, a
shed told before the treatment began). `_Extraction` of `aggregator.outcome_reading`
inherits these and holds the state they read (rules in `aggregator.outcomes`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reports import Reports
from aggregator.outcome_scope import Sentence, starts_in

# a treatment put on the scalp: a topical form word right before one of its mentions
# ("topical fin") or a vehicle right after it ("dut solution", "fin/min spray"), so a scalp
# side effect may be its own
_TOPICAL_BEFORE: Final = re.compile(r"\btopical(?:ly)? $")
_TOPICAL_AFTER: Final = re.compile(
    r"(?:/[a-z0-9]+)* (?:foam|liquid|solution|sprays?|lotion|serum)\b")
# a loss told before the treatment began, in the same sentence ("three months after covid
# I was losing a lot of hair, so I started minoxidil")
_THEN_STARTED: Final = re.compile(r"\b(?:so|then|and|that's when|which is why) i (?:started|began|"
                                  r"tried|got on|went on)\b")
# a sexual function or the mood said to have come back ("libido is mostly back" after the
# switch back to fin): the recovery, not a report of the side effect on what the sentence
# names (the side effect is told where it began)
_RECOVERED: Final = re.compile(
    r"(?: (?:is|are|was|has|have|had|been|mostly|fully|finally|slowly|all|pretty much|now|"
    r"completely|gradually|totally|basically))* (?:back|coming back|came back|returned|"
    r"recovered)\b")
# the functions that come back (a symptom that "came back" is the side effect again: "fog
# came back in about ten days")
_RECOVERING: Final = frozenset({"libido", "sex drive", "mood", "morning wood", "erections",
                                "erection"})
# a verb saying a treatment caused what follows, and what may stand between its name and
# the verb ("dut has given me", "the spiro is what makes me"); each regex starts with a
# plain literal
_CAUSED: Final = re.compile(
    r" (?:made|makes|gave|gives|given|left|leaves|caused|causes|tanked|killed|wrecked|ruined|"
    r"destroyed|triggered|burned|burns|burnt|irritated|irritates|dried|dries|hit|hits)\b")
_AGENT_GAP: Final = re.compile(r"(?: (?:has|have|had|is what|was what|also|just|really|"
                               r"then|definitely|honestly|literally|still|only|alone))*")
# a treatment named as what another was added to or used with ("with my min", "on top of
# my minoxidil", "under my minoxidil")
_ADDED_TO: Final = re.compile(r" (?:with|under|alongside|on top of|in addition to) "
                              r"(?:my |the |your )?$")


@trait
class SideRecording:
    """The side-effect recording (see the module docstring)."""

    cues: OutcomeCues
    lowered: str
    reports: dict[str, Reports]
    trace: list[tuple[str, str, str]] | None
    notes: list[tuple[str, str, int, int, int, int, int]] | None
    _no_procedure: bool | None = None  # no `[procedures] words` in the thread (when asked)
    mentions: list[tuple[int, int, str]]  # (start, end, treatment) of each mention, sorted
    m_starts: list[int]

    # defined by the other classes `_Extraction` inherits, declared as methods (see
    # `outcome_record.Recording`); those bases come before this one
    def _treatments_in(self, start: int, end: int) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _unit_of(self, position: int) -> int:
        raise NotImplementedError  # outcome_reading._Extraction

    def _note(self, treatment: str, label: str, span: tuple[int, int],
              here: Sentence) -> None:
        raise NotImplementedError  # outcome_record.Recording

    def _recovered(self, kind: str, c_start: int, c_end: int) -> bool:
        """Whether a sexual function or the mood is said to have come back (`_RECOVERED`:
        "libido is mostly back" after the switch back to fin)."""
        return kind in ("sexual", "mood") and \
            self.lowered[c_start:c_end] in _RECOVERING and \
            _RECOVERED.match(self.lowered, c_end) is not None

    def _topical(self, treatment: str) -> bool:
        """Whether the thread names `treatment` as put on the scalp (`_TOPICAL_BEFORE`/`_AFTER`)."""
        lowered = self.lowered
        return any(lowered.startswith("topical", start) or  # the alias "topical fin"
                   _TOPICAL_BEFORE.search(lowered, max(0, start - 11), start) is not None or
                   _TOPICAL_AFTER.match(lowered, end) is not None
                   for start, end, tid in self.mentions if tid == treatment)

    def _pre_treatment_shed(self, here: Sentence, c_end: int) -> bool:
        """A shed told before the writer started a treatment, in its sentence ("three months
        after covid I was losing a lot of hair, so I started minoxidil"): no treatment named
        before the start, and one named right after it ("minoxidil gave me a horrible shed
        and I started panicking" is the treatment's shed)."""
        started = _THEN_STARTED.search(self.lowered, c_end, here.end)
        return started is not None and not self._treatments_in(here.start, started.start()) \
            and bool(self._treatments_in(started.end(), min(here.end, started.end() + 30)))

    def _side(self, here: Sentence, targets: list[str], kind: str,
              span: tuple[int, int]) -> None:
        typical = self.cues.typical.get(kind, frozenset())
        if kind == "skin" and len(targets) > 1:  # "topical fin": fin is put on the scalp too
            typical = typical | {t for t in targets if t not in typical and self._topical(t)}
        if len(targets) > 1 and typical & set(targets):
            targets = [t for t in targets if t in typical]
        if len(targets) > 1 and self.cues.procedures & set(targets) and \
                self._about_sessions(here):
            targets = [t for t in targets if t in self.cues.procedures]
        elif not self.cues.procedures & set(targets) and \
                not (typical & set(targets) and kind != "skin") and self._about_sessions(here):
            # "red and sore after each session" under "min kept me stable": the procedure
            # the unit names (or else the thread), not the drug last named (unless the side
            # effect is one that drug is known for; the `[typical] skin` list says only what
            # is put on the scalp, not that a session's redness is the drug's)
            named = self._treatments_in(self._unit_of(here.start), here.end) or \
                self._treatments_in(0, len(self.lowered))
            targets = [t for t in named if t in self.cues.procedures] or targets
        if len(targets) > 1:
            targets = self._agents(here, span[0], targets)
        for t in targets:
            side = kind if kind != "unspecified" else (
                "sexual" if t in self.cues.sexual_on else "other")
            report = self.reports.setdefault(t, Reports())
            (report.vague if kind == "unspecified" else report.sides).add(side)
            if self.notes is not None or self.trace is not None:
                self._note(t, side, span, here)

    def _agents(self, here: Sentence, c_start: int, targets: list[str]) -> list[str]:
        """Of several treatments a side cue goes to, the one its clause says caused it:
        named right before the last causative verb ahead of the cue ("the tretinoin made
        my scalp red", "saw palmetto tanked my libido as badly as people claim fin does"),
        else those not named as what it was added to ("tretinoin with my minoxidil: scalp
        peeling")."""
        lowered, mentions = self.lowered, self.mentions
        lo = bisect_left(self.m_starts, here.start)
        hi = bisect_left(self.m_starts, c_start, lo)
        if hi - lo < 1:
            return targets
        verbs = [m for m in _CAUSED.finditer(lowered, here.start, c_start)
                 if not starts_in(here.breaks, m.end(), c_start)]
        if verbs:
            verb = verbs[-1].start()
            for _, m_end, tid in reversed(mentions[lo:hi]):
                if m_end <= verb:
                    if tid in targets and _AGENT_GAP.fullmatch(lowered, m_end, verb):
                        return [tid]
                    break
        beside = [tid for m_start, _, tid in mentions[lo:hi]
                  if _ADDED_TO.search(lowered, max(here.start, m_start - 16), m_start)]
        kept = [t for t in targets if t not in beside]
        return kept if kept and len(kept) < len(targets) else targets

    def _about_sessions(self, here: Sentence) -> bool:
        """Whether the sentence names a procedure's sessions (`[procedures] words`); a thread
        holding none of the words anywhere is not searched sentence by sentence."""
        if self._no_procedure is None:
            self._no_procedure = not any(w in self.lowered for w in self.cues.procedure_words)
        return not self._no_procedure and \
            self.cues.procedure_re.search(self.lowered, here.start, here.end) is not None
