"""Outcome and summary quality on the labelled corpora, as regression floors.

The floors sit just under the figures measured at the last change (docs/aggregator.md,
"Quality"; each round's in docs/history/aggregator-log.md); they
are not the issue's targets. Every corpus here is seen now: outcomes_a/b/c and the real posts
were tuned on (outcomes_c since its blind run); outcomes_d, summaries_e, outcomes_f,
ordinary_g and real_labels_2 were measured once blind and are development material since the
reader round of issue 13 (its rules were checked against the corpora that did not inspire
each of them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcome_quality import OutcomeScores, evaluate_outcomes
from aggregator.outcomes import load_outcome_cues
from aggregator.tagger import Tagger
from tests.conftest import EVAL, REALDATA

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"
TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()


def read(path: Path) -> list[dict]:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def scores(posts: list[dict]) -> OutcomeScores:
    return evaluate_outcomes(posts, TAGGER, CUES)


def beats_textrank(result: OutcomeScores) -> bool:
    ours, base = result.rouge["hairlink"], result.rouge["textrank"]
    return ours["rouge1"] > base["rouge1"] and ours["rougeL"] > base["rougeL"]


def test_dev_sets() -> None:
    pooled = scores(read(EVAL / "posts.jsonl")).merged(
        scores(read(EVAL / "outcomes_posts.jsonl")))
    assert pooled.accuracy >= 0.89 and pooled.macro_f1 >= 0.82
    assert pooled.side_f1 >= 0.84 and pooled.side_precision >= 0.82
    assert pooled.rouge["hairlink"]["rougeL"] >= pooled.rouge["textrank"]["rougeL"] + 0.04
    assert pooled.max_words <= 45


@pytest.mark.parametrize("name", ["outcomes_a", "outcomes_b"])
def test_tuned_on_corpora(name: str) -> None:
    result = scores(read(CORPUS / name / "posts.jsonl"))
    assert result.accuracy >= 0.81 and result.macro_f1 >= 0.74
    assert result.side_f1 >= 0.79
    assert beats_textrank(result)


def test_tuned_on_corpus_outcomes_c() -> None:
    result = scores(read(CORPUS / "outcomes_c" / "posts.jsonl"))
    assert result.pairs == 133
    assert result.accuracy >= 0.89 and result.macro_f1 >= 0.85
    assert result.side_f1 >= 0.80
    assert beats_textrank(result)


def test_blind_corpus_outcomes_d() -> None:
    result = scores(read(CORPUS / "outcomes_d" / "posts.jsonl"))
    assert result.pairs == 143
    assert result.accuracy >= 0.89 and result.macro_f1 >= 0.86
    assert result.side_f1 >= 0.87
    assert beats_textrank(result)


def test_blind_summary_corpus_summaries_e() -> None:
    """Measured once at 22500b4 (R-1/L 0.447/0.328 vs TextRank 0.373/0.275); the summary
    target (R-1 and R-L each >= TextRank + 0.04) as the floor. Its outcomes were unseen by the
    outcomes round too and measured once after the merge (acc 0.769, macro-F1 0.743, side F1
    0.667, against 0.727 / 0.712 / 0.698 with the code before that round)."""
    result = scores(read(CORPUS / "summaries_e" / "posts.jsonl"))
    assert result.summaries == 74 and result.max_words <= 45
    ours, base = result.rouge["hairlink"], result.rouge["textrank"]
    assert ours["rouge1"] >= base["rouge1"] + 0.04 and ours["rougeL"] >= base["rougeL"] + 0.04
    assert result.accuracy >= 0.81 and result.macro_f1 >= 0.79
    assert result.side_f1 >= 0.77


def test_real_posts() -> None:
    import sys

    sys.path.insert(0, str(CORPUS.parent))
    from quality import load_real_posts  # benchmarks/quality.py

    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present")
    posts = load_real_posts(CORPUS / "real_labels")
    assert posts is not None and len(posts) == 48
    result = scores(posts)
    assert result.accuracy >= 0.86 and result.side_f1 >= 0.58


def test_blind_corpora_outcomes_f_ordinary_g_real_labels_2() -> None:
    """Written blind for the fifth outcome round and measured once, at 565e8ba
    (benchmarks/corpus/blind_fg_first_run.txt): pooled acc 0.692, macro-F1 0.593, side
    P/R/F1 0.651/0.727/0.687; summaries R-1/L 0.453/0.344 against TextRank 0.393/0.292 (the
    code before that round: acc 0.679, macro-F1 0.575, side F1 0.658). The floors sit under
    that run; the issue's outcome targets are missed on these threads. They have been
    development material since (the reader round after it: pooled acc 0.802, macro-F1 0.746,
    side P/R/F1 0.723/0.779/0.750); the floors sit under those seen figures."""
    import sys

    sys.path.insert(0, str(CORPUS.parent))
    from quality import load_real_posts  # benchmarks/quality.py

    outcome_heavy = scores(read(CORPUS / "outcomes_f" / "posts.jsonl"))
    ordinary = scores(read(CORPUS / "ordinary_g" / "posts.jsonl"))
    assert outcome_heavy.pairs == 144 and ordinary.pairs == 55
    pooled = outcome_heavy.merged(ordinary)
    if REALDATA.exists():
        real = load_real_posts(CORPUS / "real_labels_2")
        assert real is not None and len(real) == 21
        pooled = pooled.merged(scores(real))
        assert pooled.pairs == 237
        assert pooled.accuracy >= 0.78 and pooled.macro_f1 >= 0.72
    assert outcome_heavy.accuracy >= 0.70 and ordinary.accuracy >= 0.83
    assert pooled.side_f1 >= 0.73
    ours, base = pooled.rouge["hairlink"], pooled.rouge["textrank"]
    assert ours["rouge1"] >= base["rouge1"] + 0.04 and ours["rougeL"] >= base["rougeL"] + 0.04
    assert pooled.max_words <= 45


def test_blind_corpus_outcomes_h() -> None:
    """Written blind (90 threads: outcome-heavy, ordinary and real-forum style) and measured
    once before and once after the reader round (benchmarks/corpus/outcomes_h_first_run.txt):
    acc 0.725 -> 0.739, macro-F1 0.647 -> 0.670, side P/R/F1 0.825/0.732/0.776 both times;
    summaries R-1/L 0.438/0.323 against TextRank 0.376/0.265. The issue's outcome targets are
    missed on it; the floors sit just under that run (nobody has tuned on it)."""
    result = scores(read(CORPUS / "outcomes_h" / "posts.jsonl"))
    # 139 pairs since round outs tags "5% foam" as minoxidil (138 before)
    assert result.pairs == 139 and result.summaries == 90 and result.max_words <= 45
    assert result.accuracy >= 0.72 and result.macro_f1 >= 0.65
    assert result.side_precision >= 0.80 and result.side_f1 >= 0.75
    ours, base = result.rouge["hairlink"], result.rouge["textrank"]
    assert ours["rouge1"] >= base["rouge1"] + 0.04 and ours["rougeL"] >= base["rougeL"] + 0.04
