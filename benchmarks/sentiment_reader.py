"""The sentiment fallback experiment's reader (`benchmarks/sentiment_fallback.py`): the
rules' `read_thread` with a lexicon's cues added where the rules found no effect cue, and
`use`, which puts it in place of the rules' one."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from sentiment_lexicons import _NOT_VALENCE, _WORD, HAIR_WORDS, Setting

from aggregator import outcome_reading
from aggregator.lexicon import lower_and_normalise
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_cue_schema import EFFECT_KINDS
from aggregator.outcome_reading import Mention, _Extraction


class ValenceReader:
    """The rules' reading with the lexicon's cues added where the rules found none."""

    def __init__(self, setting: Setting, valence: dict[str, float]) -> None:
        self.setting = setting
        self.strong = {w: v for w, v in valence.items()
                       if abs(v) >= setting.threshold and w not in _NOT_VALENCE
                       and w not in HAIR_WORDS and (v > 0 or setting.neg_kind)}

    def read_thread(self, cues: OutcomeCues, parts: Sequence[str],
                    mentions: Sequence[Mention],
                    normalised: tuple[str, str] | None = None) -> _Extraction | None:
        reading = _RULES_READ_THREAD(cues, parts, mentions, normalised)
        if reading is None:  # no rules cue at all: build the reading for the lexicon's
            lowered, norm = normalised or lower_and_normalise("\n".join(parts))
            if "’" in lowered:
                lowered = lowered.replace("’", "'")
            __, triggers = cues.scanner.scan(f" {norm} ")
            reading = _Extraction(cues, parts, lowered, triggers, mentions, [])
        added = self.valence_cues(reading)
        self.added = added  # (what the last thread read got: for error analysis)
        if added:
            found = sorted([*reading.found, *added])
            reading.found = found
            reading.f_starts = [f[0] for f in found]
        return reading if reading.found else None

    def valence_cues(self, reading: _Extraction) -> list[tuple[int, int, str]]:
        setting, strong, lowered = self.setting, self.strong, reading.lowered
        if not reading.mentions:
            return []
        taken = sorted([(a, b) for a, b, _ in reading.found] +
                       [(a, b) for a, b, _ in reading._triggers])
        t_starts = [a for a, _ in taken]
        effect_at = [f[0] for f in reading.found if f[2] in EFFECT_KINDS]
        speakers_with_effect = {speaker for u_start, u_end, speaker in reading.units
                                if _any_in(effect_at, u_start, u_end)}
        out: list[tuple[int, int, str]] = []
        for u_start, u_end, speaker in reading.units:
            if setting.scope == "speaker" and speaker in speakers_with_effect:
                continue
            for start, end, question in reading._sentences(u_start, u_end):
                if question or (setting.scope == "sentence" and
                                _any_in(effect_at, start, end)):
                    continue
                words = [(m.start(), m.end(), m[0]) for m in _WORD.finditer(lowered, start, end)]
                hair = [i for i, w in enumerate(words) if w[2] in HAIR_WORDS]
                if setting.treatment_anchor:
                    m_starts = reading.m_starts
                    for m in reading.mentions[bisect_left(m_starts, start):
                                              bisect_left(m_starts, end)]:
                        hair += [i for i, w in enumerate(words) if w[0] < m[1] and m[0] < w[1]]
                if not hair:
                    continue
                found = []
                for i, (a, b, word) in enumerate(words):
                    v = strong.get(word)
                    if v is None or not any(abs(i - h) <= setting.window for h in hair) or \
                            lowered[a - 1:a] == "-" or lowered[b:b + 1] == "-":
                        continue  # (far from the hair; or part of a compound: "hair-wise")
                    j = bisect_left(t_starts, b)  # overlapping a cue or a trigger: theirs
                    if any(a < y for _, y in taken[:j]):
                        continue
                    found.append((a, b, "improved" if v > 0 else str(setting.neg_kind)))
                if found and setting.first_person == "sentence" and \
                        not reading._has_first_person(start, end):
                    continue
                out.extend(found)
        return out


def _any_in(starts: list[int], start: int, end: int) -> bool:
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


_RULES_READ_THREAD = outcome_reading.read_thread


def use(reader: ValenceReader | None) -> None:
    """Make `extract_outcomes` read with `reader` (None: the rules alone). Plain Python
    only: a mypyc build of `aggregator.outcome_reading` calls its own `read_thread` directly
    and ignores the patch (docs/development.md), so run this experiment on the plain code."""
    outcome_reading.read_thread = reader.read_thread if reader else _RULES_READ_THREAD
