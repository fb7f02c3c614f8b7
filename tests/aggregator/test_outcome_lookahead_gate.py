"""The cue compiler's further literals: a `[patterns]` regex runs only where the literal of
each top-level positive lookahead is there too (`pattern_literals`, `_patterns_for`),
against the plain form that gates on the first literal alone."""

from __future__ import annotations

import copy
import dataclasses
import random
import re

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reading import _Extraction, read_thread
from aggregator.outcomes import load_outcome_cues
from aggregator.regex_forms import pattern_literals
from aggregator.tagger import Tagger
from tests.aggregator.outcome_helpers import labelled_threads, same_readings

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()


def _plain() -> OutcomeCues:
    """The cues gated on each pattern's first literal only (as before the further ones)."""
    by_hint = {h: list(v) for h, v in CUES.scope_by_hint.items()}
    for hint, gated in CUES.scope_gated.items():
        by_hint.setdefault(hint, []).extend((kind, p) for kind, p, _ in gated)
    return dataclasses.replace(CUES, extra_literals={}, scope_gated={}, scope_by_hint=by_hint,
                               cue_gates=[(k, p, h, None) for k, p, h, _ in CUES.cue_gates])


PLAIN = _plain()

# words that make the held-for-years patterns match, almost match, or match across a
# sentence break ("since", "still", stages, counts of years)
_PIECES = ["5 years", "two years", "10 yrs", "since 25", "since i was 19", "still", "still a",
           "still at", "nw2", "nw1", "norwood 2", "nw2.5", "nw3", "a", "on", "fin", "finasteride",
           "minoxidil", "and", "of", "but", ".", "!", "\n", ",", "hair", "the same", "unchanged",
           "my", "i", "years ago", "nothing", "sadly", "thin", "regrew", "helped", "for",
           "im", "been on", "stopped", "hairline", "crown", "worked", "year"]


def _random(count: int, seed: int) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)

    def text(n: int) -> str:
        return " ".join(rng.choice(_PIECES) for _ in range(n))
    return [(text(rng.randrange(2, 8)), text(rng.randrange(8, 60)),
             [text(rng.randrange(3, 25)) for _ in range(rng.randrange(0, 3))])
            for _ in range(count)]


THREADS = labelled_threads(("outcomes_a", "outcomes_b", "outcomes_c", "outcomes_d")) + \
    _random(1500, 5)


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\b\d+ years?\b(?=[^.]*?\bstill (?:a )?nw[12]\b)", ("year", "still")),
    (r"\bsince \d+(?=[^.]*\bstill\b)(?![^.]*\bsadly\b)", ("since", "still")),
    (r"\bsince (?=still)", ("since", "still")),
    (r"(?=[^.]*\bstill\b)\w+", ("still",)),  # no literal of its own: the lookahead's
    (r"\bsince (?!still)", ("since",)),  # a negative lookahead requires nothing
    (r"\bsince (?=still)?", ("since",)),  # nor a quantified one
    (r"\bsince (?:x(?=still))", ("since",)),  # nor one inside a group
    (r"\bsince (?=a|still)", ("since",)),  # the lookahead's own alternatives
    (r"since|(?=still)", ()),  # a top-level alternative
    (r"since(?=x[]x(] still)", ("since", "still")),  # brackets in a class are no group
    (r"\(since\)(?=\) still)", ("since", "still")),
    (r"year(?=[^.]*year)", ("year",)),  # said once
])
def test_pattern_literals_are_what_every_match_needs(pattern: str,
                                                     literals: tuple[str, ...]) -> None:
    assert pattern_literals(pattern) == literals
    for text in ("5 years on fin and still a nw2", "since 20 still", "since (still",
                 "(since) still", "(since)) still", "since] still", "year after year",
                 "since sadly still", "x still y", "since a"):
        match = re.search(pattern, text)
        if match is not None:
            assert all(literal in text[match.start():] for literal in literals)


def test_every_packaged_pattern_literal_is_in_every_match() -> None:
    """On the test threads, each match of a packaged pattern has each of its literals
    between the match's start and the sentence's end (where the reader looks)."""
    raw = CUES.raw["patterns"]
    sources = [p for ps in raw.values() for p in ps]
    checked = 0
    for title, body, replies in THREADS[::3]:
        lowered = "\n".join([title, body, *replies]).lower()
        for source in sources:
            literals = pattern_literals(source)
            if len(literals) < 2:
                continue
            for match in re.finditer(source, lowered):
                assert all(lowered.find(lit, match.start()) >= 0 for lit in literals)
                checked += 1
    assert checked > 20


@pytest.mark.parametrize("part", range(3))
def test_the_sentence_patterns_find_what_every_pattern_finds(part: int) -> None:
    """`_patterns_for` over each sentence and random spans: its patterns find what all the
    scope patterns find there, and the further literals leave some out."""
    gated = {p for ps in CUES.scope_gated.values() for _, p, _ in ps}
    assert gated  # (the packaged file has such patterns: "years ... still a NW2")
    rng = random.Random(part)
    skipped = matched = 0
    for title, body, replies in THREADS[part::3]:
        _, lowered, norm, mentions = TAGGER.tag_text(title, body, replies)
        reading = read_thread(CUES, [title, body, *replies], mentions, (lowered, norm))
        if reading is None:
            continue
        text = reading.lowered
        bounds = [m.end() for m in re.finditer(r"[.!?\n]+", text)]
        spans = list(zip([0, *bounds], [*bounds, len(text)], strict=True))
        spans += [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(3)
                  if len(text) > 2]
        for start, end in spans:
            chosen = reading._patterns_for(start, end)
            every = {(kind, m.span()) for kind, p, _ in CUES.scope_patterns
                     for m in p.finditer(text, start, end)}
            assert {(kind, m.span()) for kind, p in chosen
                    for m in p.finditer(text, start, end)} == every
            kept = {p for _, p in chosen}
            plain = {p for _, p in _with_plain_cues(reading)._patterns_for(start, end)}
            assert kept <= plain
            skipped += len(plain & gated) - len(kept & gated)
            matched += sum(1 for kind, (a, _) in every
                           if any(p.match(text, a, end) for p in kept & gated))
    assert skipped > 100  # the further literals leave patterns out ...
    assert matched > 5  # ... and the gated patterns still match where they can


def _with_plain_cues(reading: _Extraction) -> _Extraction:
    """A copy of `reading` gating with `PLAIN`."""
    plain = copy.copy(reading)
    plain.cues = PLAIN
    return plain


@pytest.mark.parametrize("part", range(3))
def test_the_reading_is_the_same_with_the_plain_gate(part: int) -> None:
    assert same_readings(THREADS[part::3], CUES, PLAIN) > 100


def test_a_further_literal_of_no_pattern_is_looked_for_too() -> None:
    """A lookahead's literal that is no pattern's own ("zebra") is looked for too, and the
    pattern runs in a span only where both literals are."""
    from aggregator.outcome_cue_file import build_cues

    source = r"\bsince \d+(?=[^.]*\bzebra\b)"
    data = {**CUES.raw, "patterns": {**CUES.raw["patterns"], "content": [source]}}
    cues = build_cues(data)
    assert [p.pattern for ps in cues.scope_gated.values() for _, p, _ in ps] == \
        [re.compile(source).pattern.replace(r"\bsince", r"s(?<!\ws)ince")]
    text = "since 20 it helped a zebra. since 21 it helped me."
    parts = ["finasteride", text]
    _, lowered, norm, mentions = TAGGER.tag_text(parts[0], parts[1], [])
    reading = read_thread(cues, parts, mentions, (lowered, norm))
    assert reading is not None
    first = lowered.index("since 20")
    second = lowered.index("since 21")
    content = [p for kind, p in reading._patterns_for(first, second) if kind == "content"]
    assert content and content[0].search(lowered, first, second) is not None
    assert not [p for kind, p in reading._patterns_for(second, len(lowered))
                if kind == "content"]
