"""Parts of the outcome reader (`aggregator.outcome_reading`, `outcome_scope`) checked
against their plain forms: run-on bodies cut into bounded pieces, word counts."""

from __future__ import annotations

import random
import re
from itertools import pairwise

from aggregator import outcome_reading, outcome_scope
from aggregator.outcome_reading import _Extraction
from tests.aggregator.test_outcome_rules import outcomes


def test_a_run_on_body_is_read_in_bounded_pieces() -> None:
    body = "I take fin " + "fin gave me zero sides " * 4500 + "and my hair is thicker"
    assert len(body) > 100_000
    found = outcomes("Fin", body)  # (read in well under a second; hours before the cap)
    assert found["finasteride"].effect == "improved"  # the cue in the last piece still counts
    reader = _Extraction.__new__(_Extraction)
    reader.lowered, reader._unit_sentences = body.lower(), {}
    pieces = reader._sentences(0, len(body))
    assert len(pieces) > 50 and pieces[0][0] == 0 and pieces[-1][1] == len(body)
    assert all(a < b <= a + outcome_reading._MAX_SENTENCE for a, b, _ in pieces)
    assert all(b == c for (_, b, _), (c, _, _) in pairwise(pieces))  # no gap
    assert all(body[b - 1] == " " for _, b, _ in pieces[:-1])  # cut after a space


def test_word_counts_equal_a_scan_on_short_and_long_spans() -> None:
    """`_words` scans a short span and bisects the thread's word starts for a long one:
    both count what `findall` over the span counts."""
    rng = random.Random(4)
    word = re.compile(r"\w+")
    alphabet = "ab é_1-  .,'\n😀ß"
    long_spans = 0
    for size in [40] * 200 + [3 * outcome_scope._SCANNED_SPAN] * 100:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, size)))
        reader = _Extraction.__new__(_Extraction)
        reader.lowered = text
        reader._word_starts = None
        for _ in range(10):
            a, b = sorted((rng.randrange(0, len(text) + 1), rng.randrange(0, len(text) + 1)))
            long_spans += b - a > outcome_scope._SCANNED_SPAN
            assert reader._words(a, b) == len(word.findall(text, a, b)), (text, a, b)
    assert long_spans > 100  # (the bisection path was taken)
