"""The inter-annotator agreement benchmark's arithmetic (`benchmarks/agreement.py`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.agreement import compared, kappa, main


def test_kappa_is_one_for_full_agreement_and_zero_for_chance() -> None:
    assert kappa(Counter({("improved", "improved"): 5, ("none", "none"): 5})) == 1.0
    # both say "improved" half the time, independently: observed = expected = 0.5
    chance = Counter({("improved", "improved"): 1, ("improved", "none"): 1,
                      ("none", "improved"): 1, ("none", "none"): 1})
    assert kappa(chance) == pytest.approx(0.0)
    assert kappa(Counter()) == 0.0


def test_kappa_below_accuracy_when_one_value_dominates() -> None:
    # 9 of 10 agree, but "none" dominates both: kappa 0.44, not 0.9
    confusion = Counter({("none", "none"): 8, ("improved", "improved"): 1,
                         ("improved", "none"): 1})
    assert kappa(confusion) == pytest.approx((0.9 - 0.74) / (1 - 0.74))


def test_compared_scores_the_second_label_against_the_first() -> None:
    gold = {"effect": "improved", "side_effects": ["shedding"]}
    other = {"effect": "mixed", "side_effects": ["shedding", "skin"]}
    scores = compared([(gold, other), (gold, gold)])
    assert scores.pairs == 2 and scores.correct == 1
    assert (scores.side_tp, scores.side_fp, scores.side_fn) == (2, 1, 0)


def test_main_prints_annotator_and_hairlink_rows(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    post = {"id": "T1", "title": "Finasteride for two years", "replies": [],
            "body": "Finasteride regrew my crown after a year.",
            "gold_outcomes": {"finasteride": {"effect": "improved", "side_effects": []}}}
    corpus, labels = tmp_path / "posts.jsonl", tmp_path / "labels.jsonl"
    corpus.write_text(json.dumps(post) + "\n", encoding="utf-8")
    labels.write_text(json.dumps({"id": "T1", "outcomes": {
        "finasteride": {"effect": "no_effect", "side_effects": []}}}) + "\n", encoding="utf-8")
    assert main([str(corpus), str(labels)]) == 0
    rows = capsys.readouterr().out.splitlines()
    annotator = next(r for r in rows if "annotator vs gold" in r)
    hairlink = next(r for r in rows if "hairlink vs gold" in r)
    assert "| 1 | 0.000 /" in annotator  # the annotator said no_effect
    assert "| 1 | 1.000 /" in hairlink  # the reader reads the regrowth
