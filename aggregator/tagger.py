"""Treatment tagging: one Aho-Corasick scan per text, context rules only around matches.

The text is lower-cased and every non-word character becomes a space (same length as the
original), then padded with spaces; aliases are stored as `" alias "`, so the automaton itself
only reports whole-word matches. Overlapping matches resolve leftmost-longest (so "zinc
pyrithione" hides "zinc" and a decoy like "keto diet" hides "keto").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Final

import ahocorasick

from aggregator.lexicon import Lexicon, Rule, Target, lower_and_normalise
from aggregator.near_search import NearSearch

LOCATIONS: Final = ("title", "body", "replies")
_WINDOW: Final = 160  # characters searched each side of a match for its sentence
_FORM_DISTANCE: Final = 60  # a form cue attaches to the nearest mention within this distance
_NEXT_TO: Final = 40  # characters a reject_before / reject_after rule sees


@dataclass
class Tag:
    """One treatment found in a thread (or a study)."""

    treatment: str
    mentions: int = 0
    forms: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)

    def as_row(self) -> dict[str, object]:
        """Columns of `thread_treatment` (without the thread id)."""
        return {"treatment_id": self.treatment, "mentions": self.mentions,
                "forms": sorted(self.forms),
                "locations": [loc for loc in LOCATIONS if loc in self.locations]}


# An accepted mention: (start, end, treatment id) in the joined text's coordinates.
Mention = tuple[int, int, str]
# A match: (start, end, targets) in the original text's coordinates.
_Match = tuple[int, int, tuple[Target, ...]]
_SENTENCE_END: Final = re.compile(r"[.!?]+(?=\s)|\n")
# What ends a sentence: ". ", "! ", "? " or a newline (`_SENTENCE_END` also takes "...").
_NEXT_MARK: Final = re.compile(r"[.!?] |\n")
_LAST_MARK: Final = re.compile(r".*(?:[.!?] |\n)", re.DOTALL)  # greedy: up to the last mark


_OTHER_SENSE: Final = object()  # `Tagger._allowed`: the context says the alias is a look-alike


_START: Final = itemgetter(0)
_END: Final = itemgetter(1)


def _sort_leftmost_longest(found: list[_Match]) -> None:
    """Overlapping matches leftmost first, then longest (`found.sort(key=lambda m: (m[0],
    m[0] - m[1]))`), as two sorts keyed in C: by end, longest first
    (`reverse` keeps equal ends in their order), then by start (stable)."""
    found.sort(key=_END, reverse=True)
    found.sort(key=_START)


def _other_treatment_near(match: _Match, target: Target,
                          sure: Sequence[tuple[_Match, Target]], s_start: int,
                          s_end: int) -> bool:
    """Whether another treatment is mentioned in the sentence [s_start, s_end)."""
    return any(m[0] >= s_start and m[1] <= s_end and t.treatment != target.treatment
               for m, t in sure)


class _Text:
    """One text being tagged: its lower-cased form and lazily found sentence bounds."""

    __slots__ = ("found", "lowered", "norm", "text")

    def __init__(self, text: str, lowered: str, norm: str) -> None:
        self.text = text
        self.lowered = lowered
        self.norm = norm
        self.found: dict[re.Pattern[str], bool] = {}

    def has(self, pattern: re.Pattern[str], near: NearSearch) -> bool:
        """Whether the normalised text contains `pattern` anywhere (searched once)."""
        found = self.found.get(pattern)
        if found is None:
            found = self.found[pattern] = near.anywhere(pattern, self.norm)
        return found

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence around [start, end), at most `_WINDOW` chars each side."""
        lowered = self.lowered
        lo = start - _WINDOW if start > _WINDOW else 0
        before = _LAST_MARK.match(lowered, lo, start)
        hi = min(len(lowered), end + _WINDOW)
        after = _NEXT_MARK.search(lowered, end, hi)
        return (before.end() if before else lo), (after.start() if after else hi)


class Tagger:
    """Tags text with the lexicon's treatments."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.automaton = ahocorasick.Automaton()
        # Values: (alias length, targets, form cue or None); decoys have no targets and
        # cue words found by the same scan are kept apart from the mentions.
        words = lexicon.form_words
        for key, targets in lexicon.aliases.items():
            self.automaton.add_word(f" {key} ", (len(key), tuple(targets), words.get(key)))
        for key in lexicon.decoys:
            if key not in lexicon.aliases:
                self.automaton.add_word(f" {key} ", (len(key), (), words.get(key)))
        for key, form in words.items():
            if key not in lexicon.aliases and key not in lexicon.decoys:
                self.automaton.add_word(f" {key} ", (len(key), None, form))
        self.automaton.make_automaton()
        self._near = NearSearch()  # the rules' phrase regexes, searched space-led
        # One regex for the pattern cues (doses...); the named group that matched is the form.
        cues = "|".join(f"(?P<{form}>{pattern.pattern})"
                        for form, pattern in lexicon.form_patterns.items())
        self._patterns = re.compile(cues) if cues else None
        self._formful = {tid for tid, t in lexicon.treatments.items() if t.forms}
        # Substrings without which no pattern cue can match, as one regex (None: always try).
        hints = lexicon.pattern_hints
        self._hints = (re.compile("|".join(re.escape(h) for h in sorted(hints, key=len,
                                                                         reverse=True)))
                       if hints is not None else None)

    # -- public API --------------------------------------------------------------------------

    def tag(self, title: str, body: str = "", replies: Iterable[str] = ()) -> dict[str, Tag]:
        """Tags of a thread: title, body and replies (scanned as one text)."""
        return self.tag_thread(title, body, replies)[0]

    def finds(self, text: str, treatment: str) -> bool:
        """Whether `tag(text)` holds `treatment`, without counting mentions or forms, and
        without context rules unless an alias of `treatment` is in `text` (the summary's
        check of an alias, `aggregator.shorthand`)."""
        lowered, norm = lower_and_normalise(text)
        matches = self._matches(norm, [])
        ruled = False  # an alias of `treatment` with a context rule is matched
        for match in matches:
            for target in match[2]:
                if target.treatment == treatment:
                    if target.rule is None:  # `_accept` keeps it whatever the context
                        return True
                    ruled = True
        if not ruled:
            return False
        accepted = self._accept(_Text(text, lowered, norm), matches)
        return any(target.treatment == treatment for _, target in accepted)

    def tag_thread(self, title: str, body: str = "",
                   replies: Iterable[str] = ()) -> tuple[dict[str, Tag], str]:
        """Tags of a thread and its normalised text (lower-case words and spaces)."""
        tags, norm, _ = self.tag_with_mentions(title, body, replies)
        return tags, norm

    def tag_with_mentions(self, title: str, body: str = "", replies: Iterable[str] = (),
                          ) -> tuple[dict[str, Tag], str, list[Mention]]:
        """Tags, normalised text and every accepted mention as (start, end, treatment) in
        the coordinates of `"\n".join((title, body, *replies))`, sorted by start."""
        tags, _, norm, mentions = self.tag_text(title, body, replies)
        return tags, norm, mentions

    def tag_text(self, title: str, body: str = "", replies: Iterable[str] = (),
                 ) -> tuple[dict[str, Tag], str, str, list[Mention]]:
        """`tag_with_mentions` plus the lower-cased joined text (before the normalised
        one): the outcome reader takes both instead of computing them again."""
        parts = [title, body, *replies]
        locations = ["title", "body"] + ["replies"] * (len(parts) - 2)
        tags: dict[str, Tag] = {}
        mentions: list[Mention] = []
        lowered, norm = self._tag_parts(parts, locations, tags, mentions)
        mentions.sort()
        return tags, lowered, norm, mentions

    def _tag_parts(self, parts: list[str], locations: list[str], tags: dict[str, Tag],
                   mentions: list[Mention] | None = None) -> tuple[str, str]:
        """Tag the joined parts; returns (lower-cased, normalised) joined text."""
        # Parts are joined by newlines: a newline ends a sentence, so no rule or form cue
        # reaches across parts; a match's part is found from its offset.
        text = "\n".join(parts)
        lowered, norm = lower_and_normalise(text)
        cues: list[tuple[int, int, str]] = []
        matches = self._matches(norm, cues)
        if not matches:
            return lowered, norm
        doc = _Text(text, lowered, norm)
        accepted = self._accept(doc, matches)
        if accepted and self._count(accepted, parts, locations, tags, mentions):
            self._forms(doc, accepted, cues, tags)
        return lowered, norm

    def _accept(self, doc: _Text, matches: list[_Match]) -> list[tuple[_Match, Target]]:
        """The (match, target) pairs that count: those without a context rule, and those
        whose rule the context satisfies."""
        accepted: list[tuple[_Match, Target]] = []
        pending: list[tuple[_Match, Target]] = []
        for match in matches:
            for target in match[2]:
                (accepted if target.rule is None else pending).append((match, target))
        if not pending:
            return accepted
        sure = list(accepted)
        passed: list[tuple[_Match, Target]] = []
        other_sense: set[Rule] = set()  # one_sense rules with an occurrence rejected
        for match, target in pending:
            verdict = self._allowed(doc, match, target, sure)
            if verdict is True:
                passed.append((match, target))
            elif verdict is _OTHER_SENSE and target.rule is not None and target.rule.one_sense:
                other_sense.add(target.rule)
        if other_sense:
            passed = [(match, target) for match, target in passed
                      if target.rule not in other_sense
                      or self._unless(doc, match, target, sure)]
        accepted.extend(passed)
        return accepted

    def _count(self, accepted: list[tuple[_Match, Target]], parts: list[str],
               locations: list[str], tags: dict[str, Tag],
               mentions: list[Mention] | None) -> bool:
        """Add the accepted mentions to `tags` (and `mentions`); whether any of them is of
        a treatment that takes forms."""
        offsets: list[int] = []
        position = 0
        for part in parts:
            offsets.append(position)
            position += len(part) + 1
        single = len(parts) == 1
        formful = False
        for match, target in accepted:
            tag = tags.get(target.treatment)
            if tag is None:
                tag = tags[target.treatment] = Tag(target.treatment)
            tag.locations.add(locations[0] if single
                              else locations[bisect_right(offsets, match[0]) - 1])
            tag.mentions += 1
            if mentions is not None:
                mentions.append((match[0], match[1], target.treatment))
            if target.form:
                tag.forms.add(target.form)
            formful = formful or target.treatment in self._formful
        return formful

    # -- matching ----------------------------------------------------------------------------

    def _matches(self, norm: str, cues: list[tuple[int, int, str]]) -> list[_Match]:
        found: list[_Match] = []
        add, add_cue = found.append, cues.append
        overlapping = False
        last_end = -1
        # matches come in order of their end, so `last_end` is the previous match's end
        for end, (length, targets, form) in self.automaton.iter(f" {norm} "):
            # padded [end-length-1, end] is " key "; the alias is [end-length-1, end-1)
            start = end - length - 1
            if form is not None:
                add_cue((start, end - 1, form))
                if targets is None:
                    continue
            if start < last_end:
                overlapping = True
            last_end = end - 1
            add((start, end - 1, targets))
        if overlapping:
            _sort_leftmost_longest(found)
            chosen: list[_Match] = []
            last_end = -1
            for match in found:
                if match[0] >= last_end:
                    chosen.append(match)
                    last_end = match[1]
            found = chosen
        return [m for m in found if m[2]]

    # -- context rules -----------------------------------------------------------------------

    def _allowed(self, doc: _Text, match: _Match, target: Target,
                 sure: Sequence[tuple[_Match, Target]]) -> bool | object:
        """True, False (no context for it), or `_OTHER_SENSE` (its context says it is a
        look-alike: a reject rule matched)."""
        rule = target.rule
        assert rule is not None
        start, end = match[0], match[1]
        s_start, s_end = doc.sentence(start, end)
        lowered = doc.lowered
        # before/after rules look at a few words next to the alias, not the whole sentence
        if rule.reject_before is not None and rule.reject_before.search(
                lowered, max(s_start, start - _NEXT_TO), start):
            return _OTHER_SENSE
        if rule.reject_after is not None and rule.reject_after.search(
                lowered[end:min(s_end, end + _NEXT_TO)]):
            return _OTHER_SENSE
        norm, near = doc.norm, self._near
        if rule.reject_re is not None and near.within(rule.reject_re, norm, s_start, s_end):
            return _OTHER_SENSE
        if rule.other_sense_re is not None and doc.has(rule.other_sense_re, near):
            return self._unless(doc, match, target, sure)
        if doc.text[start:end] in rule.cased:
            return True
        if rule.require_near:
            if rule.require_re is not None and near.within(rule.require_re, norm, s_start,
                                                           s_end):
                return True
            if rule.needs_treatment_nearby:
                return _other_treatment_near(match, target, sure, s_start, s_end)
            return False
        return not rule.cased

    def _unless(self, doc: _Text, match: _Match, target: Target,
                sure: Sequence[tuple[_Match, Target]]) -> bool:
        """Whether the alias's sentence says it is the treatment after all."""
        rule = target.rule
        assert rule is not None
        s_start, s_end = doc.sentence(match[0], match[1])
        if rule.unless_near_re is not None and self._near.within(rule.unless_near_re,
                                                                 doc.norm, s_start, s_end):
            return True
        return rule.unless_treatment and _other_treatment_near(match, target, sure, s_start,
                                                               s_end)

    # -- forms -------------------------------------------------------------------------------

    def _forms(self, doc: _Text, accepted: Sequence[tuple[_Match, Target]],
               cues: list[tuple[int, int, str]], tags: dict[str, Tag]) -> None:
        """Give each form cue to the nearest mention in its sentence (if that treatment
        takes the form): "fin 1mg, Kirkland foam" -> finasteride oral, minoxidil topical."""
        mentions = sorted(accepted, key=lambda mt: mt[0][0])
        if self._patterns is not None:
            cues = self._with_pattern_cues(doc, mentions, cues)
        if not cues:
            return
        starts = [m[0] for m, _ in mentions]
        treatments = self.lexicon.treatments
        for c_start, c_end, form in cues:
            i = bisect_right(starts, c_start)
            # the mentions just before the cue (or containing it) and just after it
            near = [mentions[j] for j in (i - 1, i - 2, i, i + 1) if 0 <= j < len(mentions)]
            for target in _nearest(doc.lowered, c_start, c_end, near):
                if form in treatments[target.treatment].forms:
                    tags[target.treatment].forms.add(form)

    def _with_pattern_cues(self, doc: _Text, mentions: list[tuple[_Match, Target]],
                           cues: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """`cues` plus the dose-pattern cues, searched only near form-ful mentions."""
        assert self._patterns is not None
        found = set(cues)
        scanned = -1
        hints = self._hints
        for (m_start, m_end, _), target in mentions:
            if target.treatment not in self._formful:
                continue
            lo = max(m_start - _FORM_DISTANCE, scanned - 20, 0)
            hi = m_end + _FORM_DISTANCE
            if lo < hi and (hints is None or hints.search(doc.lowered, lo, hi)):
                found.update((m.start(), m.end(), m.lastgroup or "")
                             for m in self._patterns.finditer(doc.lowered, lo, hi))
                scanned = hi
        return sorted(found)


def _nearest(lowered: str, c_start: int, c_end: int,
             near: list[tuple[_Match, Target]]) -> list[Target]:
    """The targets of the mentions in `near` closest to the cue [c_start, c_end) within
    `_FORM_DISTANCE` characters and the same sentence (ties: all of them)."""
    best: list[Target] = []
    best_distance = _FORM_DISTANCE + 1
    for (m_start, m_end, _), target in near:
        if c_start >= m_end and not (c_start >= m_start and c_end <= m_end):
            distance, gap = c_start - m_end, (m_end, c_start)
        elif c_end <= m_start:
            distance, gap = m_start - c_end, (c_end, m_start)
        else:  # inside the mention, or overlapping it
            distance, gap = 0, None
        if gap is not None and (distance > _FORM_DISTANCE
                                or _SENTENCE_END.search(lowered, *gap)):
            continue
        if distance < best_distance:
            best, best_distance = [target], distance
        elif distance == best_distance and target not in best:
            best.append(target)
    return best
