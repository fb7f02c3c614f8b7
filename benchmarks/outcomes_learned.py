"""Does a small learned effect classifier generalise better than the rules? Held-out check.

    python benchmarks/outcomes_learned.py

Leave-one-corpus-out over the labelled sets that may be trained on (dev posts.jsonl +
outcomes_posts.jsonl, outcomes_a, outcomes_b, outcomes_c, real_labels; never a blind
corpus): for each held-out set, a logistic regression (scikit-learn) is trained on the
others, per (thread, treatment) pair, on TF-IDF word 1-2-grams of the sentences naming the
treatment (the whole thread when it names one treatment), with and without the rules'
predicted effect as features. Prints effect accuracy and macro-F1 of the rules and of both
models per held-out set and pooled.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from quality import _read_jsonl, load_real_posts  # noqa: E402
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcomes import extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

EFFECTS = ["improved", "no_effect", "mixed", "none"]
EVAL = ROOT.parent / "shared" / "eval"
CORPUS = ROOT / "benchmarks" / "corpus"


def labelled_sets() -> list[tuple[str, list[dict]]]:
    dev = [p for n in ("posts.jsonl", "outcomes_posts.jsonl")
           for p in _read_jsonl(EVAL / n) if "gold_outcomes" in p]
    sets = [("dev", dev)] + [(n, _read_jsonl(CORPUS / n / "posts.jsonl"))
                             for n in ("outcomes_a", "outcomes_b", "outcomes_c")]
    real = load_real_posts(CORPUS / "real_labels")
    return sets + ([("real", real)] if real else [])


def pairs(posts: list[dict], tagger: Tagger, cues) -> list[tuple[str, str, str]]:
    """(context text, rules' effect, gold effect) per gold and tagged (thread, treatment)."""
    out = []
    for post in posts:
        replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                   for r in post.get("replies", [])]
        parts = [post["title"], post["body"], *replies]
        _, _, mentions = tagger.tag_with_mentions(post["title"], post["body"], replies)
        predicted = extract_outcomes(cues, parts, mentions)
        text = "\n".join(parts)
        named = {m[2] for m in mentions}
        for tid, gold in post["gold_outcomes"].items():
            if tid not in predicted:
                continue
            context = text
            if len(named) > 1:
                sentences = set()
                for start, end, mention in mentions:
                    if mention == tid:
                        lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
                        ends = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
                        sentences.add(text[lo:min(ends or [len(text)])])
                context = " ".join(sorted(sentences))
            out.append((context.lower(), predicted[tid].effect, gold["effect"]))
    return out


def scores(gold: list[str], got: list[str]) -> str:
    return (f"{accuracy_score(gold, got):.3f} / "
            f"{f1_score(gold, got, labels=EFFECTS, average='macro', zero_division=0):.3f}")


def main() -> int:
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    data = {name: pairs(posts, tagger, cues) for name, posts in labelled_sets()}
    print("| held out | pairs | rules acc / macro-F1 | text model | text + rules model |")
    print("|---|---|---|---|---|")
    pooled: dict[str, list[str]] = {"gold": [], "rules": [], "text": [], "both": []}
    for held, test in data.items():
        train = [row for name, rows in data.items() if name != held for row in rows]
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x_train, x_test = vec.fit_transform([r[0] for r in train]), vec.transform(
            [r[0] for r in test])
        y_train = [r[2] for r in train]

        def rules(rows: list[tuple[str, str, str]]) -> csr_matrix:
            return csr_matrix(np.array([[float(r[1] == e) for e in EFFECTS] for r in rows]))

        text = LogisticRegression(C=3, max_iter=2000, class_weight="balanced").fit(
            x_train, y_train).predict(x_test)
        both = LogisticRegression(C=1, max_iter=2000, class_weight="balanced").fit(
            hstack([x_train, rules(train)]), y_train).predict(hstack([x_test, rules(test)]))
        gold, ruled = [r[2] for r in test], [r[1] for r in test]
        print(f"| {held} | {len(test)} | {scores(gold, ruled)} | {scores(gold, list(text))} "
              f"| {scores(gold, list(both))} |")
        for key, values in (("gold", gold), ("rules", ruled), ("text", list(text)),
                            ("both", list(both))):
            pooled[key] += values
    print(f"| pooled | {len(pooled['gold'])} | {scores(pooled['gold'], pooled['rules'])} | "
          f"{scores(pooled['gold'], pooled['text'])} | {scores(pooled['gold'], pooled['both'])} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
