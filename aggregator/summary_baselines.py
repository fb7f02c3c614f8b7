"""The summary baselines `benchmarks/quality.py` measures beside `summarise`: the lead
(the first words of title + body) and TextRank (PageRank over sentence word overlaps)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from aggregator.summary_fit import MAX_WORDS, _fit
from aggregator.summary_sentences import _words, clean, sentences
from aggregator.text import tokens


def lead_summary(title: str, body: str = "", limit: int = MAX_WORDS) -> str:
    """Baseline: the first `limit` words of title + body."""
    return " ".join(_words(f"{clean(title)} {clean(body)}")[:limit])


def textrank_scores(items: Sequence[str], damping: float = 0.85,
                    iterations: int = 50) -> list[float]:
    """TextRank (Mihalcea & Tarau 2004): PageRank over sentences, edges weighted by word
    overlap |Si ∩ Sj| / (log|Si| + log|Sj|)."""
    bags = [set(tokens(s)) for s in items]
    n = len(items)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if len(bags[i]) > 1 and len(bags[j]) > 1:
                overlap = len(bags[i] & bags[j])
                if overlap:
                    w = overlap / (math.log(len(bags[i])) + math.log(len(bags[j])))
                    weights[i][j] = weights[j][i] = w
    out = [sum(row) for row in weights]
    score = [1.0] * n
    for _ in range(iterations):
        score = [(1 - damping) + damping * sum(weights[j][i] / out[j] * score[j]
                                               for j in range(n) if weights[j][i])
                 for i in range(n)]
    return score


def textrank_summary(title: str, body: str = "", replies: Sequence[str] = (),
                     limit: int = MAX_WORDS) -> str:
    """Baseline: the top TextRank sentences of the thread, in thread order, to `limit`
    words."""
    items = [s for s in [clean(title).replace("\n", " ").strip(), *sentences(body),
                         *(s for r in replies for s in sentences(r))] if s]
    if not items:
        return ""
    score = textrank_scores(items)
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(items)), key=lambda k: -score[k]):
        if used >= limit:
            break
        chosen.append(i)
        used += len(_words(items[i]))
    return _fit([items[i] for i in sorted(chosen)], limit)
