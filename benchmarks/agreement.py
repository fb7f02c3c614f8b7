"""How far two people labelling the same threads by OUTCOMES.md agree, beside hairlink.

    python benchmarks/agreement.py CORPUS LABELS [CORPUS LABELS ...]

CORPUS: a labelled posts file (`posts.jsonl` with `gold_outcomes`); LABELS: a second
annotator's labels of the same threads, made blind to the gold (one line per thread:
`{"id", "outcomes": {treatment: {"effect", "side_effects"}}}` for the gold's treatments).
Over the (thread, treatment) pairs both label and the tagger finds (the pairs
`benchmarks/quality.py` scores), printed per file and pooled: the annotator against the gold,
hairlink (the shipped reader: rules and side-effect filter) against the gold, and hairlink
against the annotator, each as effect accuracy / macro-F1, Cohen's kappa on the effect, and
side-effect P / R / F1 (the first named set as the reference). The agreement of two careful
people is the ceiling a reader can be measured against on these labels.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcome_config import default_cues  # noqa: E402
from aggregator.outcome_quality import OutcomeScores  # noqa: E402
from aggregator.outcomes import EFFECTS, extract_outcomes  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

Labels = dict[str, dict[str, Any]]  # treatment -> {"effect", "side_effects"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def kappa(confusion: Counter[tuple[str, str]]) -> float:
    """Cohen's kappa of a (reference, other) confusion count over the effect values."""
    total = sum(confusion.values())
    if not total:
        return 0.0
    observed = sum(n for (a, b), n in confusion.items() if a == b) / total
    expected = sum(sum(n for (a, _), n in confusion.items() if a == v)
                   * sum(n for (_, b), n in confusion.items() if b == v)
                   for v in EFFECTS) / total ** 2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def compared(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> OutcomeScores:
    """Scores of the second label of each pair against the first."""
    scores = OutcomeScores()
    for reference, other in pairs:
        scores.count(reference, other["effect"], other.get("side_effects", []))
    return scores


def line(name: str, scores: OutcomeScores) -> str:
    """One table row of `scores`."""
    return (f"| {name} | {scores.pairs} | {scores.accuracy:.3f} / {scores.macro_f1:.3f} | "
            f"{kappa(scores.confusion):.3f} | {scores.side_precision:.3f} / "
            f"{scores.side_recall:.3f} / {scores.side_f1:.3f} |")


def triples(posts: list[dict[str, Any]], labels: dict[str, Labels], tagger: Tagger
            ) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(gold, annotator, hairlink) for each pair both label and the tagger finds."""
    cues = default_cues()
    out = []
    for post in posts:
        theirs = labels.get(post["id"])
        gold = post.get("gold_outcomes") or {}
        if theirs is None or not gold:
            continue
        replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                   for r in post.get("replies", [])]
        title, body = post.get("title") or "", post.get("body") or ""
        _, _, mentions = tagger.tag_with_mentions(title, body, replies)
        read = extract_outcomes(cues, [title, body, *replies], mentions)
        for treatment in sorted(gold):
            if treatment in read and treatment in theirs:
                out.append((gold[treatment], theirs[treatment], read[treatment].as_dict()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="CORPUS LABELS")
    args = parser.parse_args(argv)
    if len(args.files) % 2:
        parser.error("give CORPUS LABELS in pairs")
    tagger = Tagger(load_lexicon())
    pooled: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    print("| who, against whom | pairs | effect acc / macro-F1 | effect kappa "
          "| side P / R / F1 |")
    print("|---|---|---|---|---|")
    for corpus, labels_path in zip(args.files[::2], args.files[1::2], strict=True):
        labels = {r["id"]: r["outcomes"] for r in read_jsonl(labels_path)}
        found = triples(read_jsonl(corpus), labels, tagger)
        pooled += found
        _rows(f"{corpus.parent.name}/{corpus.name}", found)
    if len(args.files) > 2:
        _rows("pooled", pooled)
    return 0


def _rows(name: str, found: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]
          ) -> None:
    print(line(f"{name}: annotator vs gold", compared([(g, a) for g, a, _ in found])))
    print(line(f"{name}: hairlink vs gold", compared([(g, h) for g, _, h in found])))
    print(line(f"{name}: hairlink vs annotator", compared([(a, h) for _, a, h in found])))


if __name__ == "__main__":
    raise SystemExit(main())
