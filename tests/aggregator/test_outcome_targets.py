"""The reader's one-treatment shortcut for a cue's targets (`Attribution._targets`) against
the clause walk it skips (`Attribution._clause_targets`), call by call and reading by
reading, on the labelled threads and on random ones full of guards, clause breaks and
parentheses."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcome_attribution import Attribution
from aggregator.outcome_reading import _Extraction, read_thread
from aggregator.outcomes import load_outcome_cues
from aggregator.tagger import Tagger
from tests.aggregator.outcome_helpers import labelled_threads

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()

# pieces that make a sentence's targets hard: several treatments, negations and plans just
# before a name, clause breaks, parentheses, "it", comma lists, former treatments
_PIECES = ["fin", "finasteride", "min", "minoxidil", "dut", "keto", "ketoconazole", "rogaine",
           "biotin", "spiro", "ldom", "no", "not", "never", "thinking about", "might try",
           "if i", "scared of", "without", "from", "switched from", "than", "instead of",
           "but", "however", ",", ";", "(", ")", "and", "and my", "and i", "so", "because",
           "it", "this one", "helped", "regrew my hairline", "did nothing", "no difference",
           "worked", "shedding", "sides", "killed my libido", "thicker", "i", "my", "me",
           "was", "for 6 months", "0.5", "alone", "- ", ".", "?", "\n", "stopped", "on"]


def _random(count: int, seed: int) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)
    threads = []
    for _ in range(count):
        def text(n: int) -> str:
            return " ".join(rng.choice(_PIECES) for _ in range(n))
        threads.append((text(rng.randrange(2, 10)), text(rng.randrange(10, 80)),
                        [text(rng.randrange(3, 30)) for _ in range(rng.randrange(0, 3))]))
    return threads


THREADS = labelled_threads() + _random(1500, 7)


@contextmanager
def _checked() -> Iterator[list[int]]:
    """`_Extraction._targets` answering with the shortcut after checking it against the
    clause walk on every call; yields [calls]."""
    counts = [0]
    plain = Attribution._clause_targets

    def both(self: _Extraction, start: int, end: int, c_start: int, sentence: object,
             ) -> list[str]:
        fast = Attribution._targets(self, start, end, c_start, sentence)  # type: ignore[arg-type]
        slow = plain(self, start, end, c_start, sentence)  # type: ignore[arg-type]
        assert fast == slow, (self.lowered[start:end], c_start - start)
        counts[0] += 1
        return fast

    saved = _Extraction._targets
    _Extraction._targets = both  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        _Extraction._targets = saved  # type: ignore[method-assign]


def _read(title: str, body: str, replies: list[str]) -> object:
    _, lowered, norm, mentions = TAGGER.tag_text(title, body, replies)
    treatments = sorted({m[2] for m in mentions})
    reading = read_thread(CUES, [title, body, *replies], mentions, (lowered, norm))
    if reading is None:
        return None
    reading.trace = []
    return reading.run(treatments), reading.trace


@pytest.mark.parametrize("part", range(4))
def test_every_targets_call_equals_the_clause_walk(part: int) -> None:
    with _checked() as counts:
        for title, body, replies in THREADS[part::4]:
            _read(title, body, replies)
    assert counts[0] > 300


def test_the_shortcut_answers_calls_alone_and_falls_back() -> None:
    answered = fell_back = 0
    walk = Attribution._clause_targets

    def counting(self: Attribution, *args: object) -> list[str]:
        nonlocal fell_back
        fell_back += 1
        return walk(self, *args)  # type: ignore[arg-type]

    fast = Attribution._targets

    def calls(self: Attribution, *args: object) -> list[str]:
        nonlocal answered
        answered += 1
        return fast(self, *args)  # type: ignore[arg-type]

    saved = (_Extraction._targets, _Extraction._clause_targets)
    _Extraction._targets, _Extraction._clause_targets = calls, counting  # type: ignore[method-assign]
    try:
        for title, body, replies in THREADS:
            _read(title, body, replies)
    finally:
        _Extraction._targets, _Extraction._clause_targets = saved  # type: ignore[method-assign]
    assert answered - fell_back > 1000 and fell_back > 1000


@pytest.mark.parametrize("part", range(2))
def test_readings_equal_those_of_the_clause_walk_alone(part: int) -> None:
    fast = [_read(*thread) for thread in THREADS[part::2]]
    saved = _Extraction._targets
    _Extraction._targets = Attribution._clause_targets  # type: ignore[method-assign]
    try:
        slow = [_read(*thread) for thread in THREADS[part::2]]
    finally:
        _Extraction._targets = saved  # type: ignore[method-assign]
    assert fast == slow
