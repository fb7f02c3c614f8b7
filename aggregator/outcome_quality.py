"""Outcome and summary quality on labelled threads (`gold_outcomes`, `ref_summary`).

Metrics of `../shared/eval/OUTCOMES.md`: over (thread, treatment) pairs where the treatment
is both gold and tagged, effect accuracy and macro-F1 over the four values, side-effect
micro P/R/F1 over (thread, treatment, side effect) triples; ROUGE-1/2/L F1 (rouge-score,
stemming on) of the summaries against `ref_summary`, beside the lead and TextRank
baselines computed in the same run. The system is the aggregator's own code path
(`thread_outcomes`, `summarise`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aggregator.outcomes import EFFECTS, OutcomeCues, extract_outcomes
from aggregator.summaries import MAX_WORDS, lead_summary, summarise, textrank_summary
from aggregator.tagger import Tagger

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")


@dataclass
class OutcomeScores:
    """What `evaluate_outcomes` measured."""

    pairs: int = 0
    correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)
    side_tp: int = 0
    side_fp: int = 0
    side_fn: int = 0
    rouge: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> key -> F1
    summaries: int = 0
    max_words: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def count(self, gold: Mapping[str, Any], effect: str, side_effects: Iterable[str]) -> bool:
        """Count one (thread, treatment) pair: `gold` (`effect`, `side_effects`) against the
        predicted `effect` and `side_effects`; whether the prediction is exact."""
        self.pairs += 1
        self.correct += effect == gold["effect"]
        self.confusion[(gold["effect"], effect)] += 1
        want, have = set(gold.get("side_effects", [])), set(side_effects)
        self.side_tp += len(want & have)
        self.side_fp += len(have - want)
        self.side_fn += len(want - have)
        return effect == gold["effect"] and want == have

    @property
    def accuracy(self) -> float:
        return self.correct / self.pairs if self.pairs else 0.0

    def effect_f1(self, value: str) -> float:
        tp = self.confusion[(value, value)]
        fp = sum(n for (g, p), n in self.confusion.items() if p == value and g != value)
        fn = sum(n for (g, p), n in self.confusion.items() if g == value and p != value)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def macro_f1(self) -> float:
        return sum(self.effect_f1(v) for v in EFFECTS) / len(EFFECTS)

    @property
    def side_precision(self) -> float:
        return self.side_tp / (self.side_tp + self.side_fp) if self.side_tp + self.side_fp \
            else 0.0

    @property
    def side_recall(self) -> float:
        return self.side_tp / (self.side_tp + self.side_fn) if self.side_tp + self.side_fn \
            else 0.0

    @property
    def side_f1(self) -> float:
        p, r = self.side_precision, self.side_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def merged(self, other: OutcomeScores) -> OutcomeScores:
        """Pooled scores of two runs (ROUGE averaged by thread count)."""
        total = self.summaries + other.summaries
        rouge = {name: {k: (self.rouge.get(name, {}).get(k, 0.0) * self.summaries
                            + other.rouge.get(name, {}).get(k, 0.0) * other.summaries)
                        / total if total else 0.0 for k in ROUGE_KEYS}
                 for name in set(self.rouge) | set(other.rouge)}
        return OutcomeScores(self.pairs + other.pairs, self.correct + other.correct,
                             self.confusion + other.confusion, self.side_tp + other.side_tp,
                             self.side_fp + other.side_fp, self.side_fn + other.side_fn,
                             rouge, total, max(self.max_words, other.max_words),
                             self.misses + other.misses)


def evaluate_outcomes(posts: Iterable[dict[str, Any]], tagger: Tagger,
                      cues: OutcomeCues, rouge: bool = True) -> OutcomeScores:
    """Score outcomes and summaries on labelled posts (eval schema)."""
    scores = OutcomeScores()
    scorer = None
    if rouge:
        from rouge_score import rouge_scorer  # the benchmark's dependency only

        scorer = rouge_scorer.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)
    sums: dict[str, Counter[str]] = {n: Counter() for n in ("hairlink", "lead", "textrank",
                                                            "unlabelled")}
    for post in posts:
        replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                   for r in post.get("replies", [])]
        title, body = post.get("title", ""), post.get("body", "")
        # the aggregator's own path: one tagging pass gives the mentions and word counts
        tags, norm, mentions = tagger.tag_with_mentions(title, body, replies)
        predicted = extract_outcomes(cues, [title, body, *replies], mentions)
        for tid, gold in sorted((post.get("gold_outcomes") or {}).items()):
            if tid not in predicted:
                continue
            got = predicted[tid]
            if not scores.count(gold, got.effect, got.side_effects):
                scores.misses.append({"id": post.get("id"), "treatment": tid,
                                      "gold": gold, "predicted": got.as_dict()})
        reference = post.get("ref_summary")
        if scorer is not None and reference:
            outputs = {"hairlink": summarise(title, body, replies, Counter(norm.split()), tags,
                                             tagger.tag),
                       "lead": lead_summary(title, body),
                       "textrank": textrank_summary(title, body, replies)}
            outputs["unlabelled"] = summarise(title, body, replies, Counter(norm.split()),
                                              tags, tagger.tag, labelled=False)
            scores.max_words = max(scores.max_words, len(outputs["hairlink"].split()))
            scores.summaries += 1
            for name, text in outputs.items():
                result = scorer.score(reference, text)
                for key in ROUGE_KEYS:
                    sums[name][key] += result[key].fmeasure
    if scores.summaries:
        scores.rouge = {n: {k: v[k] / scores.summaries for k in ROUGE_KEYS}
                        for n, v in sums.items()}
    assert scores.max_words <= MAX_WORDS
    return scores
