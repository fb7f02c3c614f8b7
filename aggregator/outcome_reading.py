"""Reading a thread for first-hand outcome reports (the rules are in `aggregator.outcomes`):
its cues, units, sentences and the treatments each sentence is about; whether a sentence's
cues count, and for whom, is `outcome_cue_counting`'s."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter
from typing import Final

from aggregator.lexicon import lower_and_normalise
from aggregator.outcome_attribution import Attribution
from aggregator.outcome_bystanders import Bystanders
from aggregator.outcome_cue_counting import CueCounting
from aggregator.outcome_cue_file import OutcomeCues, hint_occurrences
from aggregator.outcome_cue_schema import EFFECT_KINDS
from aggregator.outcome_near import near_checked
from aggregator.outcome_progress import (
    bare_verdict_cues,
    bracket_verdict_cues,
    colon_verdict_cues,
    progress_title_cue,
    stage_change_cues,
)
from aggregator.outcome_record import Recording
from aggregator.outcome_record_sides import SideRecording
from aggregator.outcome_reports import Reports
from aggregator.outcome_scope import starts_in
from aggregator.outcome_sentence_split import SentenceSplits
from aggregator.outcome_switch import Switches
from aggregator.outcome_triggers import SentenceTriggers
from aggregator.outcome_types import Outcome
from aggregator.phrase_scanner import leftmost_longest
from aggregator.tagger import Mention

# a thread as the reader takes it: its parts (title, body, replies), the tagger's mentions
# and, when the caller has it, the normalised text (`extract_outcomes`' arguments)
ThreadInput = tuple[Sequence[str], Sequence[Mention], tuple[str, str] | None]

_GUARD_KINDS: Final = frozenset({"negation", "hypothetical"})  # a mention after them is no topic
_HINT: Final = itemgetter(1)
_MAX_SCOPE_SETS: Final = 4096  # literal sets `_patterns_for` remembers (then it starts over)
_NOTHING: Final = Outcome()  # (frozen: one instance serves every treatment with nothing reported)


def _treatment_at(mentions: Sequence[Mention], at: int) -> bool:
    """Whether a treatment's mention starts at `at` or runs over it ("oral minoxidil")."""
    return any(m_start <= at < m_end for m_start, m_end, _ in mentions)


def extract_outcomes(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """Outcome per mentioned treatment of a thread.

    `parts` are the title, the body and the replies; `mentions` are the tagger's
    (start, end, treatment) in `"\\n".join(parts)` (`Tagger.tag_with_mentions`);
    `normalised`: that text's `lower_and_normalise`, when the caller has it (`Tagger.tag_text`).
    """
    return read_and_run(cues, parts, mentions, normalised)[0]


def read_and_run(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                 normalised: tuple[str, str] | None = None, notes: bool = False
                 ) -> tuple[dict[str, Outcome], _Extraction | None]:
    """`extract_outcomes`' outcomes, and the reading they came from (None when the thread
    holds no cue or no treatment); `notes`: keep what each counted cue was (`_Extraction.notes`,
    read by the side-effect filter)."""
    treatments = sorted({m[2] for m in mentions})
    if not treatments:
        return {}, None
    reading = read_thread(cues, parts, mentions, normalised)
    if reading is None:
        return dict.fromkeys(treatments, _NOTHING), None
    if notes:
        reading.notes = []
    return reading.run(treatments), reading


def read_thread(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                normalised: tuple[str, str] | None = None) -> _Extraction | None:
    """The thread's reading before it is run (`extract_outcomes` runs it; the learned
    reader of `outcome_model` keeps it to read the reports), or None when the thread holds
    no cue (every treatment's outcome is then `none` with no side effect)."""
    lowered, norm = normalised or lower_and_normalise("\n".join(parts))
    if "’" in lowered:
        lowered = lowered.replace("’", "'")
    joint = cues.joint_scanner
    if joint is not None:  # the cues, the triggers and the patterns' literals in one pass
        cue_matches, triggers, occurrences = joint.scan_with_substrings(f" {norm} ")
    else:
        cue_matches, triggers = cues.scanner.scan(f" {norm} ")
        # the literals the patterns need, found in one pass (where: for the scope patterns)
        occurrences = hint_occurrences(cues, lowered)
    raw = near_checked(cues, cue_matches, lowered, norm, mentions)
    hints = set(map(_HINT, occurrences))
    by_hint, gates = cues.cue_gates_by_hint, cues.cue_gates
    tried = [*cues.unhinted_cue_gates]  # (the gates whose literal the thread holds, in order)
    for hint in hints:
        tried.extend(by_hint.get(hint, ()))
    tried.sort()
    for kind, pattern, _, needs in map(gates.__getitem__, tried):  # (`needs`: further ones)
        if needs is None or hints.issuperset(needs):
            # (a `cue` group is the cue's span, the rest its condition: "fin didn't stop
            # mine, *but dut did*")
            cue = "cue" if "cue" in pattern.groupindex else 0
            if "treatment" in pattern.groupindex:  # a treatment's name must be there
                raw.extend((*m.span(cue), -1, kind) for m in pattern.finditer(lowered)
                           if _treatment_at(mentions, m.start("treatment")))
            else:
                raw.extend((*m.span(cue), -1, kind) for m in pattern.finditer(lowered))
    if "nothing" in lowered:  # "6 months rosemary oil. nothing."
        raw.extend(bare_verdict_cues(lowered))
    if "nw" in lowered or "norwood" in lowered:  # progress told in Norwood stages
        raw.extend(stage_change_cues(lowered))
    colon, bracket = ": " in lowered, " (" in lowered  # "biotin: nothing", "biotin (nothing)"
    if colon or bracket:
        mention_ends = sorted(m[1] for m in mentions)
        if colon:
            raw.extend(colon_verdict_cues(lowered, mention_ends))
        if bracket:
            raw.extend(bracket_verdict_cues(lowered, mention_ends))
    title_end = len(parts[0]) if parts else 0
    progress = progress_title_cue(lowered, title_end, title_end + 1 + len(parts[1]), raw,
                                  EFFECT_KINDS) if len(parts) > 1 and title_end else None
    if progress is not None:  # a progress-photo title ("2021 vs 2024")
        raw.append(progress)
    found = leftmost_longest(raw)
    if not found:
        return None
    reading = _Extraction(cues, parts, lowered, triggers, mentions, found, hints, occurrences)
    if joint is not None:  # (the procedure words were found by the same pass: a word found
        # in the normalised text that the text does not hold only makes a regex run that
        # cannot match)
        reading._no_procedure = hints.isdisjoint(cues.procedure_words)
    return reading


class _Extraction(SentenceTriggers, SentenceSplits, Attribution, Recording, SideRecording,
                  Switches, Bystanders, CueCounting):
    """One thread being read (see the module docstring for the rules)."""

    def __init__(self, cues: OutcomeCues, parts: Sequence[str], lowered: str,
                 triggers: list[tuple[int, int, str]], mentions: Sequence[Mention],
                 found: list[tuple[int, int, str]], hints: set[str] | None = None,
                 occurrences: list[tuple[int, str]] | None = None) -> None:
        """`triggers`: the thread's scope triggers, (start, end, kind) sorted (found with
        the cues); `found`: its cues; `hints`: the literals and procedure words the text
        holds (`outcome_cue_file.hints_in`, or those the joint pass found in the normalised
        text); `occurrences`: its `outcome_cue_file.hint_occurrences`, or those of the normalised
        text (a superset: a literal found there that the text does not hold only makes a
        pattern run that cannot match)."""
        self.cues = cues
        # what is found once per thread: the scope triggers (a sentence's are those inside
        # it: the same as scanning the sentence alone, since the character before a
        # sentence and its closing mark are spaces in the normalised text), the negation
        # and hypothetical ones among them (the guards), the first-person ones, the scope
        # patterns the text can match; when first needed: the clause breaks, each unit's
        # sentences
        self._triggers = triggers
        t_starts: list[int] = []
        guards: list[tuple[int, int]] = []
        first_person: list[tuple[int, int]] = []
        research: list[int] = []
        early: list[int] = []
        switches: list[tuple[int, int]] = []
        for a, b, kind in triggers:  # (one pass: a thread has a few dozen)
            t_starts.append(a)
            if kind == "first_person":
                first_person.append((a, b))
            elif kind in _GUARD_KINDS:
                guards.append((a, b))
            elif kind == "research":
                research.append(a)
            elif kind == "too_early":
                early.append(a)
            elif kind == "switch":
                switches.append((a, b))
        self._t_starts, self._guards, self._first_person = t_starts, guards, first_person
        self._guard_starts = [a for a, _ in guards]
        self._fp_starts = [a for a, _ in first_person]
        self._research_starts = research
        self._research = False  # the unit's last sentences are research talk
        self._early_starts = early
        self._switches = switches  # each `switch` trigger's (start, end), in order
        self._switch_ends = [b for _, b in switches]
        # the last sentence that switched: (its start, where its trigger starts, the
        # treatments it moved to); and the topic it left behind
        self._switch: tuple[int, int, list[str]] | None = None
        self._left: list[str] = []
        self._planned_to: list[str] = []  # the treatments a planned switch names
        self._replaced: list[str] = []  # (attrib) the one a switch named as left
        self._early_end = -1  # where the last sentence with a too-early hedge ends
        self._hedged = False  # the sentence being read follows such a hedge
        if occurrences is None:
            occurrences = hint_occurrences(cues, lowered)
        self._hint_at = occurrences  # (each literal's or procedure word's last index, it), by index
        self._hint_ends = [e for e, _ in occurrences]
        hints = set(map(_HINT, occurrences)) if hints is None else hints
        # (whether any scope pattern can match in the thread; `_patterns_for` checks
        # further literals)
        self._any_scope = bool(cues.unhinted_scope) or not hints.isdisjoint(cues.scope_hints)
        self._unit_sentences: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
        self._word_starts: list[int] | None = None  # where each run of word characters starts
        self._quote_free: bool | None = None  # no opening quote mark in the thread
        self._no_procedure: bool | None = None  # no procedure word in the thread
        self._found_focus: list[str] | None = None  # `_focus`, once found
        self._focus_asked = False  # the body names the focus first in a question
        self.lowered = lowered
        self.mentions = sorted(mentions)
        self.m_starts = [m[0] for m in self.mentions]
        self.found = found
        self.f_starts = [f[0] for f in found]
        self.units: list[tuple[int, int, int]] = []  # (start, end, speaker)
        position = 0
        for index, part in enumerate(parts):
            end = position + len(part)
            speaker = 0 if index < 2 or self._by_op(position, end) else index
            self.units.append((position, end, speaker))
            position = end + 1
        self.reports: dict[str, Reports] = {}
        self.trace: list[tuple[str, str, str]] | None = None  # (treatment, label, sentence)
        # what was recorded, for the learned reader (`outcome_model`): (treatment, label,
        # cue start, cue end, sentence start, sentence end, speaker), when not None
        self.notes: list[tuple[str, str, int, int, int, int, int]] | None = None

    def _by_op(self, start: int, end: int) -> bool:
        """Whether the reply [start, end) starts with an OP marker (after quote marks)."""
        head = self.lowered[start:min(end, start + 64)].lstrip(" >*_\t")
        if len(head) < 12 and end > start + 64:  # (a long run of marks: the whole reply)
            head = self.lowered[start:end].lstrip(" >*_\t")
        return head[:12].startswith(self.cues.op_markers)

    def _unit_of(self, position: int) -> int:
        """Where the unit holding `position` starts."""
        return next(u_start for u_start, u_end, _ in self.units if position <= u_end)

    def run(self, treatments: list[str]) -> dict[str, Outcome]:
        """Read every unit that holds a cue; the outcome of each treatment."""
        focus: list[str] | None = None
        for index, (u_start, u_end, speaker) in enumerate(self.units):
            lo = bisect_left(self.f_starts, u_start)
            if lo == len(self.found) or self.found[lo][0] >= u_end:
                continue  # no cue in this unit: nothing to record
            if index > 0 and focus is None:
                focus = self._focus()
            topic: list[str] = (focus or []) if index > 1 else (
                ([] if self._focus_asked else focus or []) if index == 1 else
                [] if self._treatments_in(u_start, u_end) else self._regimen())
            self._read_unit(u_start, u_end, speaker, topic)
            self._credited_stack(u_start, u_end, speaker, topic)  # (attrib) "credit the pair"
        return {t: (self.reports[t].outcome() if t in self.reports else _NOTHING)
                for t in treatments}

    def _read_unit(self, u_start: int, u_end: int, speaker: int, topic: list[str]) -> None:
        """The unit's sentences up to its last cue. A sentence naming treatments makes them
        the topic (added to it while no cue has come since the last one: a regimen listed
        over several sentences; a sentence that switches to treatments makes them alone the
        topic, `_switched_to`, and one that plans a switch names those as no topic); a cue
        sentence naming none is about the topic, or about the last named treatments when it
        says "it"."""
        f_starts, m_starts = self.f_starts, self.m_starts
        hi = bisect_left(f_starts, u_end)
        last_cue = f_starts[hi - 1]
        lo, m_lo = bisect_left(f_starts, u_start, 0, hi), bisect_left(m_starts, u_start)
        first_person = speaker == 0
        fresh, last_named = True, list[str]()
        unit_named: set[str] = set()  # the treatments the unit named so far
        self._research = False
        research_starts, early_starts = self._research_starts, self._early_starts
        for start, end, question in self._sentences(u_start, u_end):
            if start > last_cue:
                break
            m_hi = bisect_left(m_starts, end, m_lo)
            named = self._outside_asides(start, end, self._topic_of(start, end)) \
                if m_hi > m_lo else []  # (no mention in the sentence: nothing named)
            if m_hi - m_lo == 1 and named:  # (outj) "I stopped oral fin for this": no topic
                m_s, m_e, _ = self.mentions[m_lo]
                lowered = self.lowered
                if (lowered.find(" for ", m_e, m_e + 24) >= 0 or
                        lowered.find(" because of ", m_e, m_e + 30) >= 0) and \
                        self._stopped_for(start, m_s, m_e):
                    named = []
            if named and self.lowered.find(" than ", start, end) >= 0:
                named = self._not_baseline_named(start, end, m_lo, m_hi, named)
            unnamed = m_hi == m_lo  # (no mention in the sentence)
            m_lo = m_hi
            if named and self._switch_ends:
                moved = self._switched_to(start, end, named, unit_named)
                unit_named.update(named)
                if moved:
                    named = moved  # the sentence moves to them: the rest is left behind
                    self._left = [t for t in (*self._replaced, *topic) if t not in moved]
                elif self._planned_to:  # a planned move: those are no topic
                    named = [t for t in named if t not in self._planned_to]
                    self._planned_to = []
            else:
                moved = None
            if named:
                last_named = named
                topic = named if fresh or moved else \
                    topic + [t for t in named if t not in topic]
            elif unnamed and len(topic) > 1 and self.cues.told_by:
                topic = self._told_by(start, end, topic)  # ("I did 1.5mm for a year")
            c_hi = bisect_left(f_starts, end, lo, hi)
            if lo == c_hi:
                fresh = fresh and not named
                own = None  # (a first-person marker in the sentence, looked for once)
                if not first_person:
                    first_person = own = self._has_first_person(start, end)
                if self._research or (research_starts and self._says_research(start, end)):
                    self._research = not (self._has_first_person(start, end)
                                          if own is None else own)
                if early_starts and starts_in(early_starts, start, end):
                    self._early_end = end  # "Don't see anything yet."
                continue
            about = last_named if last_named and last_named is not topic and \
                self._says_it(start, end) else topic
            first_person = self._sentence(start, end, question, speaker, about,
                                          first_person, self.found[lo:c_hi])
            lo = c_hi
            fresh = True

    def _focus(self) -> list[str]:
        """What a reply that names nothing is about: the title's treatments, else the first
        the body names (found once per thread). (zuzv) When the body names those first in a
        question, `_focus_asked`: the body's first sentences are about none of them ("Order
        to start things at 19? ... noticing temples going back ... fin or min first?": the
        poster's own loss is no report on what they ask about)."""
        if self._found_focus is None:
            title_start, title_end, _ = self.units[0]
            found = self._treatments_in(title_start, title_end + 1)
            if len(found) > 1:
                found = self._not_former(title_start, title_end + 1, found)
            if not found:
                body_start, body_end, _ = self.units[1]
                for start, end, question in self._sentences(body_start, body_end):
                    found = self._topic_of(start, end)
                    if found:
                        self._focus_asked = question
                        break
            self._found_focus = found
        return self._found_focus

    def _told_by(self, start: int, end: int, topic: list[str]) -> list[str]:
        """(outo) The one treatment of `topic` a sentence naming none tells by what is done
        with it (`[told_by]` of the cue file: a needle depth, rolling), alone; else
        `topic`."""
        told_by, lowered = self.cues.told_by, self.lowered
        told = [t for t in topic if t in told_by and told_by[t].search(lowered, start, end)]
        return told if len(told) == 1 else topic

    def _patterns_for(self, start: int, end: int) -> list[tuple[str, re.Pattern[str]]]:
        """The scope patterns that can match inside [start, end): those needing no literal
        and those whose literals all occur there (at least where `lowered.find(literal,
        start, end) >= 0`: an occurrence ending before `end` and starting at or after
        `start`)."""
        ends = self._hint_ends
        lo = bisect_left(ends, start)
        hi = bisect_left(ends, end, lo)
        if lo == hi:
            return self.cues.unhinted_scope
        cues = self.cues
        by_hint = cues.scope_by_hint
        present = frozenset(hint for last, hint in self._hint_at[lo:hi]
                            if last - len(hint) + 1 >= start and hint in by_hint)
        found = cues.scope_sets.get(present)
        if found is None:  # (first asked for: a few dozen literal sets in all)
            if len(cues.scope_sets) >= _MAX_SCOPE_SETS:
                cues.scope_sets.clear()
            found = cues.scope_sets[present] = scope_patterns_for(cues, present)
        return found


def scope_patterns_for(cues: OutcomeCues, present: frozenset[str]
                       ) -> list[tuple[str, re.Pattern[str]]]:
    """The scope patterns a span holding the literals `present` (those of `scope_by_hint`)
    can match: those needing no literal, those of each present literal, and the gated ones
    whose further literals are all present (in no order that matters: `_sentence_triggers`
    sorts what they find, and asks of the first-person ones only whether one matches)."""
    by_hint = cues.scope_by_hint
    found = [*cues.unhinted_scope, *(p for hint in present for p in by_hint[hint])]
    gated = cues.scope_gated
    if gated:  # (those with further literals: a lookahead's)
        for hint, patterns in gated.items():
            if hint in present:
                found.extend((kind, pattern) for kind, pattern, needs in patterns
                             if present.issuperset(needs))
    return found
