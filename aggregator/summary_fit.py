"""Fitting sentences to a summary's word budget (at most `MAX_WORDS`): as many as fit, each
made readable as it is reached, the last one clipped at a clause break when it can be."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from aggregator.shorthand import Treatments, readable
from aggregator.summary_sentences import _sentence_end, _words

MAX_WORDS: Final = 45


def _clip(text: str, budget: int, clause: bool = True) -> str:
    """The first `budget` words of `text`, marked "…"; with `clause`, ended at the last
    clause break in them (a comma, semicolon, colon or dash) when that keeps at least
    _CLAUSE_MIN of them."""
    words = _words(text)
    if len(words) <= budget:
        return text
    words = words[:budget]
    for k in range(len(words) - 1, _CLAUSE_MIN - 2 if clause else len(words), -1):
        if words[k][-1] in ",;:" or words[k] in ("-", "–", "—"):
            words = words[:k + 1]
            break
    return " ".join(words).rstrip(" ,;:-–—") + "…"


_CLAUSE_MIN: Final = 5
_CLIPPED_MIN: Final = 6  # the fewest words of its own a clipped part after the first keeps


def _fit(parts: Sequence[str], budget: int, treatments: Treatments | None = None,
         sizes: Sequence[int] = ()) -> str:
    """Sentences in order, as many as fit in `budget` words (the last one clipped), each
    made `readable` with `treatments` as it is reached (None: taken as they are, and
    clipped at a word, as the TextRank baseline always was). `sizes`: the parts' word
    counts when known (a part `readable` leaves as it is keeps its count)."""
    return _fitted(parts, budget, treatments, sizes)[0]


def _fitted(parts: Sequence[str], budget: int, treatments: Treatments | None,
            sizes: Sequence[int], labels: Sequence[tuple[str, int]] = ()) -> tuple[str, int]:
    """`_fit` and its word count (`len(text.split())`, known from the parts' counts: a
    part joined with a space keeps its words). `labels`: a label and its word count put
    before each part (made readable first), its words counted in the part's."""
    out: list[str] = []
    left = budget
    words = 0
    for k, part in enumerate(parts):
        if left <= 0:
            break
        if treatments is not None:
            said = readable(part, treatments)
            n = sizes[k] if sizes and said is part else len(said.split())
            part = _sentence_end(said)  # (a closing "." adds no word to stripped text)
        else:
            n = sizes[k] if sizes else len(part.split())
        label_n = 0
        if labels:
            label, label_n = labels[k]
            part = f"{label} {part}" if label else part
            n += label_n
        if n <= left:
            out.append(part)
            left -= n
            words += n
        elif left - label_n >= _CLIPPED_MIN or not out:  # (a label's words are no content)
            part = _clip(part, left, treatments is not None)
            out.append(part)
            left = 0
            words += len(part.split())
    return " ".join(out), words
