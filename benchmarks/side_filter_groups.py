"""The side-effect filter held out by group: for each group of corpora (`GROUPS`), the side
model trained on every other corpus, at several regularisations and thresholds.

    python benchmarks/side_filter_groups.py [--c 0.3 1.0 3.0] [--thresholds 0.5 0.6]

Every labelled corpus that may be trained on (`outcome_training.labelled_sets`) is read by the
rules with their notes on; each side effect the rules propose is a candidate with the
aggregator's own features (`side_tokens`, hashed as `GRID[SIDE_SETTING]` hashes them). For each
group the binary logistic regression (scikit-learn, C as given) is trained on the candidates of
the other corpora and keeps a held-out side effect when its probability is at least the
threshold. Printed: per group the rules' side-effect P / R / F1 and the filter's at the first C
and threshold, then the pooled figures of the rules and at each C and threshold (C 1.0, best
here at stop 45, failed its blind test: docs/aggregator.md, "Current figures (stop 45)").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import scipy.sparse as sp  # noqa: E402
from outcome_training import GRID, GROUPS, SIDE_SETTING, Pair, read_all  # noqa: E402
from sklearn.feature_extraction import FeatureHasher  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

Counts = list[int]  # true positives, false positives, false negatives


def prf(counts: Counts) -> str:
    """"P / R / F1" of side-effect counts."""
    tp, fp, fn = counts
    p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return f"{p:.3f} / {r:.3f} / {2 * p * r / (p + r) if p + r else 0.0:.3f}"


def count(pairs: list[Pair], keep: dict[tuple[int, str], bool], into: Counts,
          rules: Counts) -> None:
    """Add the pairs' side-effect counts with the filter's choices (`keep`) and without."""
    for i, p in enumerate(pairs):
        gold, proposed = set(p.gold.side_effects), set(p.rules.side_effects)
        kept = {s for s in proposed if keep.get((i, s), True)}
        for counts, got in ((into, kept), (rules, proposed)):
            counts[0] += len(got & gold)
            counts[1] += len(got - gold)
            counts[2] += len(gold - got)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[GRID[SIDE_SETTING].side_c])
    parser.add_argument("--thresholds", type=float, nargs="+",
                        default=[GRID[SIDE_SETTING].side_threshold])
    args = parser.parse_args()
    data, _ = read_all()
    hasher = FeatureHasher(n_features=GRID[SIDE_SETTING].n_features, input_type="string",
                           alternate_sign=False)
    rows = {name: [(i, side, tokens, side in p.gold.side_effects)
                   for i, p in enumerate(pairs) if p.reading
                   for side, tokens in p.reading.sides.items()] for name, pairs in data.items()}
    matrix = {name: hasher.transform([r[2] for r in found]) for name, found in rows.items()
              if found}
    pooled = {(c, t): [0, 0, 0] for c in args.c for t in args.thresholds}
    all_rules = [0, 0, 0]
    for label, names in GROUPS:
        train = [n for n in data if n not in names and n in matrix]
        x, y = sp.vstack([matrix[n] for n in train]), [r[3] for n in train for r in rows[n]]
        for c in args.c:
            model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
            column = list(model.classes_).index(True)
            probs = {n: model.predict_proba(matrix[n])[:, column] for n in names if n in matrix}
            for t in args.thresholds:
                group, rules = [0, 0, 0], [0, 0, 0]
                for n in names:
                    keep = {(r[0], r[1]): bool(p >= t)
                            for r, p in zip(rows[n], probs.get(n, []), strict=False)}
                    count(data[n], keep, group, rules)
                pooled[c, t] = [a + b for a, b in zip(pooled[c, t], group, strict=True)]
                if (c, t) == (args.c[0], args.thresholds[0]):
                    print(f"{label}: rules {prf(rules)}, filter {prf(group)}", flush=True)
                    all_rules = [a + b for a, b in zip(all_rules, rules, strict=True)]
    print(f"pooled, the rules alone: side P / R / F1 {prf(all_rules)}")
    for (c, t), counts in pooled.items():
        print(f"pooled, C {c}, threshold {t}: side P / R / F1 {prf(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
