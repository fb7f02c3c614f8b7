"""The quality targets of issue 5 on the labelled dev corpus (skips when ../shared is absent)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from aggregator.quality import PRF, evaluate, prf, ranking_metrics
from tests.conftest import EVAL


def test_prf_and_ranking_metrics() -> None:
    result = prf([("a", "x"), ("b", "y")], [("a", "x"), ("c", "z")])
    assert (result.tp, result.fp, result.fn) == (1, 1, 1)
    assert result.precision == result.recall == result.f1 == 0.5
    assert PRF().f1 == 0.0
    grades = {"t1": 2, "t2": 1}
    ndcg, p6 = ranking_metrics({"t2": 0.9, "t1": 0.5}, grades, ["t1", "t2", "t3"])
    ideal = 3 + 1 / math.log2(3)
    assert ndcg == pytest.approx((1 + 3 / math.log2(3)) / ideal)
    assert p6 == pytest.approx(2 / 6)
    # ties are broken by thread id ascending
    assert ranking_metrics({}, {"t1": 2}, ["t1", "t2"])[0] == 1.0


@pytest.mark.slow
def test_dev_set_targets() -> None:
    if not (EVAL / "posts.jsonl").exists():
        pytest.skip("../shared/eval is not present")
    result = evaluate(EVAL)
    ours, naive = result["system"], result["baseline"]
    assert ours["tagging"].f1 >= 0.95
    assert ours["tagging"].precision >= 0.97
    assert ours["citations"].precision == 1.0
    assert ours["citations"].recall == 1.0
    assert ours["ndcg"] >= 0.85
    assert ours["p_at_6"] >= 0.75
    assert ours["tagging"].f1 > naive["tagging"].f1
    assert ours["ndcg"] > naive["ndcg"]


CORPORA = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "threads", "studies"),
                         [("forum_a", 120, 12), ("forum_b", 110, 10), ("forum_c", 100, 10)])
def test_own_corpus_targets(name: str, threads: int, studies: int) -> None:
    """Our own labelled threads (regression sets, in the repo): the same targets."""
    result = evaluate(CORPORA / name)
    ours = result["system"]
    assert result["counts"] == {"threads": threads, "studies": studies}
    assert ours["tagging"].precision >= 0.97
    assert ours["tagging"].f1 >= 0.95
    assert ours["citations"].precision == ours["citations"].recall == 1.0
    assert ours["ndcg"] >= 0.85
    assert ours["p_at_6"] >= 0.75
