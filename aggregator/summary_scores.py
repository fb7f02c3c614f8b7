"""Summary sentence scores: how central each body sentence is to the thread (its content
words weighed by their counts in the thread), and the poster's sentences chosen by them."""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from itertools import filterfalse
from typing import Final

from aggregator.text import STOPWORDS

_TOKEN: Final = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")
# a run of [a-z0-9] holding a letter: a `_TOKEN` when it is two characters or more (a
# `_TOKEN` is always a whole run: it starts at a letter, or at digits followed by one)
_RUN: Final = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
_NOT_CONTENT: Final = STOPWORDS | frozenset(string.ascii_lowercase)
_REPEAT_SHARE: Final = 0.6  # a body sentence with more of its content words in the title repeats it


def _bag(text: str) -> set[str]:
    """Content words of a sentence (lower-case, stopwords out): the `_TOKEN`s, found as
    the runs of letters and digits that hold a letter, less the one-letter ones."""
    runs = text.lower().encode("latin-1", "replace").translate(_RUN_BYTES)
    return set(filterfalse(str.isdigit, runs.decode("latin-1").split())) - _NOT_CONTENT


# bytes of a lower-cased text: a-z and 0-9 kept, line breaks too (`str.split` takes them as
# spaces), every other one a space (a character outside Latin-1 is encoded as "?")
_RUN_BYTES: Final = bytes(i if chr(i).isascii() and (chr(i).isdigit() or chr(i).islower()
                                             or i == 10) else 32 for i in range(256))


def _bags(lowered: str) -> list[set[str]]:
    """`_bag` of each line of the lower-cased `lowered`: the `_RUN`s of a line are its
    runs of a-z and 0-9 (a `_RUN` is a whole such run) that are not all digits (a
    translation and a split in C: a regex scan makes an object per match)."""
    runs = lowered.encode("latin-1", "replace").translate(_RUN_BYTES).decode("latin-1")
    return [set(filterfalse(str.isdigit, line.split())) - _NOT_CONTENT
            for line in runs.split("\n")]


def _centrality(bags: Sequence[set[str]], candidates: Sequence[str],
                counts: Counter[str]) -> list[float]:
    """Each sentence's share of the thread's content words: the sum of log(1 + count in
    the thread) over its distinct content words (`bags`), damped by its length (the plain
    form of what `_ranked` computes in one pass; the tests compare the two)."""
    known = counts.keys()
    return [sum(map(_LOG_WEIGHT.__getitem__, map(counts.__getitem__, bag & known)))
            / math.sqrt(s.count(" ") + 5) for bag, s in zip(bags, candidates, strict=True)]


class _LogWeights(dict[int, float]):
    """count -> log(1 + count), counts above 63 weighing as 63 (log 4.16); filled on use."""

    def __missing__(self, count: int) -> float:
        weight = self[count] = math.log1p(min(count, 63))
        return weight


_LOG_WEIGHT: Final = _LogWeights()


def _ranked(title_s: str, body_s: list[str], counts: Counter[str] | None, title: str,
            body: str, replies: Sequence[str]) -> list[int]:
    """The body sentences, most central first (favouring the opening ones a little; one
    mostly repeating the title `title_s` last). `counts`: the thread's word counts (None:
    counted here from `title`, `body` and `replies`)."""
    if len(body_s) < 2:
        return list(range(len(body_s)))
    weights = counts if counts is not None else Counter(
        _TOKEN.findall(" ".join((title, body, *replies)).lower()))
    # (one lower-casing for all the sentences: they hold no line break, see `sentences`)
    bags = _bags("\n".join(body_s).lower())
    if not isinstance(weights, Counter):
        weights = Counter(weights)
    # `_centrality`, damped by position: the same terms and divisions (a word the Counter
    # does not hold counts 0 and weighs log(1) = 0.0), added in the bag's own order, so a
    # sum may differ from `_centrality`'s in its last bits; the orderings were checked
    # identical on every corpus (`benchmarks/summaries_speed.py --check`)
    count_of, weight_of = weights.__getitem__, _LOG_WEIGHT.__getitem__
    keys = [-(sum(map(weight_of, map(count_of, bag))) / math.sqrt(s.count(" ") + 5))
            / (1 + 0.08 * i) for i, (bag, s) in enumerate(zip(bags, body_s, strict=True))]
    ranked = sorted(range(len(body_s)), key=keys.__getitem__)
    if title_s:
        said = _bag(title_s)
        # (a bag sharing no word with the title repeats nothing: most do not, and the test
        # makes no set)
        repeats = [not said.isdisjoint(bag) and len(bag & said) > len(bag) * _REPEAT_SHARE
                   for bag in bags]
        if any(repeats):  # (a stable sort on False everywhere changes nothing)
            ranked.sort(key=repeats.__getitem__)
    return ranked


def _poster_choice(ranked: list[int], sizes: list[int], used: int, budget: int) -> list[int]:
    """The most central body sentence and the next ones that fit `budget` words with the
    `used` ones, in body order."""
    chosen = ranked[:1]
    if ranked:
        used += sizes[ranked[0]]
    for i in ranked[1:]:
        if used + sizes[i] <= budget:
            chosen.append(i)
            used += sizes[i]
    return sorted(chosen)
