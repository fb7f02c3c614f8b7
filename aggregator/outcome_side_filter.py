"""The side-effect filter: a small logistic regression over what the cue rules noted, which
keeps or drops each side effect the rules propose for a (thread, treatment).

The rules (`outcome_reading`) read the thread with their notes on: each cue they count, with
its treatment, label, speaker and sentence. For each side effect they propose, the filter's
features are a few thread facts, the side effect (alone and with the treatment), the rules'
effect, how many cues named it, and per cue the speaker, the cue's words and the word 1-2-grams
of its sentence, hashed as scikit-learn's stateless `FeatureHasher` does (no vocabulary file).
The side effect is kept when the model's probability is at least the file's threshold. The
filter only ever removes side effects (`outcome_learned` applies it, beside the opt-in effect
model of `outcome_effect_model`).

The weights are data (`outcome_side_filter.npz`: plain arrays, no pickle), trained on every
labelled corpus that may be trained on (`benchmarks/outcome_training.py`, setting
`SIDE_SETTING`) by `python benchmarks/outcomes_learned.py --write-side FILE`. Where it was
unseen it removed mostly wrong side effects (docs/aggregator.md, "The side-effect filter").
"""

from __future__ import annotations

import copy
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Final

import numpy as np

from aggregator.hashed_weights import hashed_column, read_arrays, save_arrays, weights_digest
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reading import _Extraction
from aggregator.outcome_types import Outcome

PACKAGED_SIDE_FILTER: Final = Path(__file__).with_name("outcome_side_filter.npz")
# the version of the features below: part of `SideFilter.digest`, so that a change to how
# they are built re-reads stored outcomes even with the same weights (and needs new weights)
FEATURES: Final = 1
WORD: Final = re.compile(r"[a-z0-9']+")
_REMEMBERED: Final = 1 << 17  # tokens whose weight `SideFilter.token_weights` remembers
# a rule's note: (treatment, label, cue start, cue end, sentence start, sentence end, speaker)
Note = tuple[str, str, int, int, int, int, int]


class SideFilterError(ValueError):
    """The weights file is missing, unreadable or of the wrong shape (one line, naming it)."""


@dataclass(frozen=True, eq=False)
class SideFilter:
    """The filter's weights: one coefficient per hashed column, an intercept, a threshold."""

    n_features: int
    coef: np.ndarray  # (n_features,)
    intercept: float
    threshold: float  # keep a side effect when its probability is at least this
    # (`keeps` sums plain floats: a list look-up per token costs less than numpy's per-call
    # overhead on the few dozen tokens of a side effect)
    _weights: list[float] = field(init=False, repr=False)
    # the column FeatureHasher puts a token in (`hashed_weights.hashed_column`)
    _column: Callable[[str], int] = field(init=False, repr=False)
    # each token's weight as `keeps` last looked it up (the hash is the dear part; a
    # sentence's words recur across side effects and threads), up to `_REMEMBERED` tokens
    _weight_of: dict[str, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weights", self.coef.tolist())
        object.__setattr__(self, "_column", hashed_column(self.n_features))
        object.__setattr__(self, "_weight_of", {})

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the weights file."""
        return {"n_features": np.array(self.n_features), "side_coef": self.coef,
                "side_intercept": np.array(self.intercept),
                "side_threshold": np.array(self.threshold)}

    def keeps(self, tokens: list[str]) -> bool:
        """Whether a proposed side effect with these features is kept: the logistic of the
        summed weights of its tokens' columns, plus the intercept, at least the threshold."""
        z = math.fsum(self.token_weights(tokens)) + self.intercept
        probability = 1.0 / (1.0 + math.exp(-z)) if z > -700.0 else 0.0  # (exp overflows)
        return probability >= self.threshold

    def token_weights(self, tokens: list[str]) -> list[float]:
        """The weight of each token's column (remembered: `_weight_of`)."""
        weight_of = self._weight_of
        try:
            return list(map(weight_of.__getitem__, tokens))
        except KeyError:  # (some token not yet remembered)
            pass
        if len(weight_of) + len(tokens) > _REMEMBERED:
            weight_of.clear()
        weights, column = self._weights, self._column
        for token in tokens:
            if token not in weight_of:
                weight_of[token] = weights[column(token)]
        return list(map(weight_of.__getitem__, tokens))

    def digest(self) -> str:
        """A hash of the weights and of the features' version (stored outcomes are re-read
        when it changes)."""
        return weights_digest(f"features {FEATURES}", self.arrays())


def save_side_filter(side_filter: SideFilter, path: Path) -> None:
    """Write the weights file (numpy's `.npz`: plain arrays, no pickle)."""
    save_arrays(side_filter.arrays(), path)


def load_side_filter(path: Path | str) -> SideFilter:
    """Read and check a weights file. Raises SideFilterError naming the file."""
    arrays = read_arrays(path, "side-effect filter", SideFilterError)
    try:
        n = int(arrays["n_features"])
        coef = arrays["side_coef"].astype(np.float64)
        intercept, threshold = float(arrays["side_intercept"]), float(arrays["side_threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SideFilterError(f"{path}: side-effect filter lacks or garbles {exc}") from None
    if n <= 0 or coef.shape != (n,):
        raise SideFilterError(f"{path}: side-effect filter arrays have the wrong shape")
    if not (np.isfinite(coef).all() and math.isfinite(intercept) and 0.0 <= threshold <= 1.0):
        raise SideFilterError(f"{path}: side-effect filter weights are not finite, or its "
                              "threshold is not a probability")
    return SideFilter(n, coef, intercept, threshold)


def grams(prefix: str, text: str) -> list[str]:
    """The words and word pairs of a text, each behind `prefix`."""
    words = WORD.findall(text)
    return [prefix + w for w in words] + [f"{prefix}{a}_{b}" for a, b in pairwise(words)]


def bucket(n: int) -> str:
    """A small count as a feature value: "0", "1", "2" or "3+"."""
    return str(n) if n < 3 else "3+"


def thread_facts(treatments: Sequence[str]) -> list[str]:
    """The features every pair of a thread shares."""
    return [f"ntreat={bucket(len(treatments))}"]


def side_tokens(reading: _Extraction, treatment: str, outcome: Outcome, facts: list[str]
                ) -> dict[str, list[str]]:
    """The features of each side effect the rules propose for `treatment` (`reading` run
    with `notes` on): `facts` (the thread's), the side effect, the rules' effect, and what
    each cue that named it says."""
    notes: list[Note] = reading.notes or []
    mine = [n for n in notes if n[0] == treatment]
    lowered = reading.lowered
    sides: dict[str, list[str]] = {}
    for side in outcome.side_effects:
        its = [n for n in mine if n[1] == side]
        tokens = [*facts, f"side={side}", f"side={side}:{treatment}",
                  f"rule={outcome.effect}", f"nnotes={bucket(len(its))}"]
        for _, _, c_start, c_end, s_start, s_end, speaker in its:
            tokens += [f"who={'op' if speaker == 0 else 'rep'}",
                       f"scue={lowered[c_start:c_end]}"]
            tokens += grams("s:", lowered[s_start:s_end])
        sides[side] = tokens
    return sides


def with_side_filter(cues: OutcomeCues, side_filter: SideFilter) -> OutcomeCues:
    """A copy of the cues carrying the filter `aggregator.outcomes.extract_outcomes` applies;
    its `version_hash` names the weights too, so stored outcomes are re-read when either
    changes. Cues that already carry a filter are refused (ValueError)."""
    if cues.side_filter is not None:
        raise ValueError("these outcome cues already carry a side-effect filter")
    filtered = copy.copy(cues)
    filtered.side_filter = side_filter
    filtered.version_hash = hashlib.sha1(
        f"{cues.version_hash}:{side_filter.digest()}".encode(), usedforsecurity=False
    ).hexdigest()
    return filtered
