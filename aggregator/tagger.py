"""Treatment tagging: one Aho-Corasick scan per text, context rules only around matches.

The text is lower-cased and every non-word character becomes a space (same length as the
original), then padded with spaces; aliases are stored as `" alias "`, so the automaton itself
only reports whole-word matches. Overlapping matches resolve leftmost-longest (so "zinc
pyrithione" hides "zinc" and a decoy like "keto diet" hides "keto").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import ahocorasick

from aggregator.lexicon import Lexicon, Rule, Target, normalise

LOCATIONS = ("title", "body", "replies")
_SENTENCE_ENDS = (". ", "! ", "? ", "\n", ".\t", "!\n", "?\n")
_WINDOW = 160  # characters searched each side of a match for its sentence
_FORM_DISTANCE = 60  # a form cue attaches to the nearest mention within this distance


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


@dataclass
class _Match:
    start: int
    end: int
    key: str  # the normalised alias, or "" for a decoy
    targets: list[Target]


class Tagger:
    """Tags text with the lexicon's treatments."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.automaton = ahocorasick.Automaton()
        for key, targets in lexicon.aliases.items():
            self.automaton.add_word(f" {key} ", (key, targets))
        for key in lexicon.decoys:
            if key not in lexicon.aliases:
                self.automaton.add_word(f" {key} ", (key, []))
        self.automaton.make_automaton()
        self._formful = {tid for tid, t in lexicon.treatments.items() if t.forms}

    # -- public API --------------------------------------------------------------------------

    def tag(self, title: str, body: str = "", replies: Iterable[str] = ()) -> dict[str, Tag]:
        """Tags of a thread: title, body and replies."""
        tags: dict[str, Tag] = {}
        self.tag_text(title, "title", tags)
        self.tag_text(body, "body", tags)
        for reply in replies:
            self.tag_text(reply, "replies", tags)
        return tags

    def tag_text(self, text: str, location: str, tags: dict[str, Tag]) -> None:
        """Add the treatments of one text, found at `location`, to `tags`."""
        if not text:
            return
        norm = normalise(text)
        matches = self._matches(norm)
        if not matches:
            return
        lowered = text.lower() if len(text.lower()) == len(text) else norm
        accepted: list[tuple[_Match, Target]] = []
        pending: list[tuple[_Match, Target]] = []
        for match in matches:
            for target in match.targets:
                if target.rule is None:
                    accepted.append((match, target))
                else:
                    pending.append((match, target))
        for match, target in pending:
            assert target.rule is not None
            if self._allowed(text, lowered, norm, match, target, target.rule, accepted):
                accepted.append((match, target))
        if not accepted:
            return
        for _match, target in accepted:
            tag = tags.get(target.treatment)
            if tag is None:
                tag = tags[target.treatment] = Tag(target.treatment)
            tag.locations.add(location)
            tag.mentions += 1
            if target.form:
                tag.forms.add(target.form)
        self._forms(lowered, accepted, tags)

    # -- matching ----------------------------------------------------------------------------

    def _matches(self, norm: str) -> list[_Match]:
        found: list[_Match] = []
        for end, (key, targets) in self.automaton.iter(f" {norm} "):
            # padded [end-len-1, end] is " key "; original text span is [end-len-1, end-1)
            start = end - len(key) - 1
            found.append(_Match(start, start + len(key), key, targets))
        if len(found) <= 1:
            return [m for m in found if m.targets]
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[_Match] = []
        last_end = -1
        for match in found:
            if match.start >= last_end:
                chosen.append(match)
                last_end = match.end
        return [m for m in chosen if m.targets]

    # -- context rules -----------------------------------------------------------------------

    def _allowed(self, text: str, lowered: str, norm: str, match: _Match, target: Target,
                 rule: Rule, accepted: Sequence[tuple[_Match, Target]]) -> bool:
        start, end = match.start, match.end
        s_start, s_end = _sentence(lowered, start, end)
        if rule.reject_before is not None and rule.reject_before.search(lowered[s_start:start]):
            return False
        if rule.reject_after is not None and rule.reject_after.search(lowered[end:s_end]):
            return False
        sentence = f" {' '.join(norm[s_start:s_end].split())} "
        if rule.reject_near and any(f" {w} " in sentence for w in rule.reject_near):
            return False
        if text[start:end] in rule.cased:
            return True
        if rule.require_near:
            if any(f" {w} " in sentence for w in rule.require_near if not w.startswith("@")):
                return True
            if rule.needs_treatment_nearby:
                return any(m.start >= s_start and m.end <= s_end
                           and t.treatment != target.treatment for m, t in accepted)
            return False
        return not rule.cased

    # -- forms -------------------------------------------------------------------------------

    def _forms(self, lowered: str, accepted: Sequence[tuple[_Match, Target]],
               tags: dict[str, Tag]) -> None:
        formful = [(m, t) for m, t in accepted if t.treatment in self._formful]
        if not formful:
            return
        done: set[tuple[int, int]] = set()
        for match, _ in formful:
            s_start, s_end = _sentence(lowered, match.start, match.end)
            if (s_start, s_end) in done:
                continue
            done.add((s_start, s_end))
            in_sentence = [(m, t) for m, t in accepted if m.start >= s_start and m.end <= s_end]
            segment = lowered[s_start:s_end]
            for form, pattern in self.lexicon.form_cues.items():
                for cue in pattern.finditer(segment):
                    c_start, c_end = cue.start() + s_start, cue.end() + s_start
                    nearest = _nearest(in_sentence, c_start, c_end)
                    for _, t in nearest:
                        if form in self.lexicon.treatments[t.treatment].forms:
                            tags[t.treatment].forms.add(form)


def _nearest(mentions: Sequence[tuple[_Match, Target]], c_start: int,
             c_end: int) -> list[tuple[_Match, Target]]:
    """The mentions closest to a cue (ties: all of them), within `_FORM_DISTANCE`."""
    best: list[tuple[_Match, Target]] = []
    best_distance = _FORM_DISTANCE + 1
    for m, t in mentions:
        if c_start >= m.start and c_end <= m.end:
            distance = 0  # the cue is part of the alias ("oral min")
        elif c_start >= m.end:
            distance = c_start - m.end
        elif c_end <= m.start:
            distance = m.start - c_end
        else:
            distance = 0
        if distance < best_distance:
            best, best_distance = [(m, t)], distance
        elif distance == best_distance:
            best.append((m, t))
    return best


def _sentence(lowered: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around [start, end), at most `_WINDOW` chars each side."""
    lo = max(0, start - _WINDOW)
    s_start = lo
    for mark in _SENTENCE_ENDS:
        pos = lowered.rfind(mark, lo, start)
        if pos >= 0 and pos + len(mark) > s_start:
            s_start = pos + len(mark)
    hi = min(len(lowered), end + _WINDOW)
    s_end = hi
    for mark in _SENTENCE_ENDS:
        pos = lowered.find(mark, end, hi)
        if 0 <= pos < s_end:
            s_end = pos + 1
    return s_start, s_end
