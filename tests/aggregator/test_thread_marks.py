"""ThreadMarks keeps (thread id, content hash) pairs compactly and gives them back exactly."""

from __future__ import annotations

import hashlib

import numpy as np

from aggregator.linker import top_per_study
from aggregator.thread_marks import ThreadMarks
from aggregator.topic_pool import trim


def test_hex_digests_are_kept_as_bytes_and_round_trip() -> None:
    marks = ThreadMarks()
    pairs = [(i, hashlib.sha1(str(i).encode()).hexdigest()) for i in range(500)]
    pairs[7] = (7, pairs[7][1][:-2] + "00")  # a digest ending in a zero byte
    marks.extend(pairs)
    assert list(marks) == pairs
    assert len(marks) == 500
    assert marks.nbytes() == 500 * (8 + 20)


def test_other_hashes_round_trip_as_they_are() -> None:
    marks = ThreadMarks()
    batches = [[(1, "ABCD"), (2, "abcd")], [(3, "ab cd"), (4, "abcd ")], [(5, "xyz")],
               [(6, "00"), (7, "0000")], [(8, "0a"), (9, "0A")]]
    for batch in batches:
        marks.extend(batch)
    marks.extend([])
    assert list(marks) == [pair for batch in batches for pair in batch]


def test_top_per_study_partition_keeps_the_exact_top() -> None:
    rng = np.random.default_rng(5)
    score = np.round(rng.random((600, 40), dtype=np.float32), 2)  # many ties
    eligible = score > 0.2  # far more than 3 x limit per study: the partition path
    ids = np.arange(600, dtype=np.int64) * 2 + 1
    rows, cols = np.nonzero(eligible)
    expected = trim(cols.astype(np.int64), ids[rows], score[rows, cols].astype(np.float64), 10)
    got = top_per_study(score, eligible, 10, ids)
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)
    assert got[0].size == 400


def test_trim_of_rounded_scores_sorts_like_lexsort() -> None:
    """The packed one-key sort of rounded scores keeps exactly what the three-key lexsort
    keeps, ties on score (broken by thread id) and negative scores included; ids too wide
    for 63 bits fall back to the lexsort."""
    rng = np.random.default_rng(5)
    for trial in range(50):
        n = int(rng.integers(1, 3000))
        s = rng.integers(0, 40, n)
        t = rng.integers(0, 10 ** int(rng.integers(1, 9)), n)
        v = np.round(rng.choice(rng.random(20) * 4 - trial % 2, n), 6)  # many ties
        plain, packed = trim(s, t, v, 6), trim(s, t, v, 6, rounded=True)
        assert all((a == b).all() for a, b in zip(plain, packed, strict=True))
    wide = np.array([1, 1, 0]), np.array([2**62, 3, 5]), np.array([0.5, 0.5, 0.25])
    assert [x.tolist() for x in trim(*wide, 1, rounded=True)] == [[0, 1], [5, 3],
                                                                   [0.25, 0.5]]
