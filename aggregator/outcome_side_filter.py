"""The side-effect filter: a small logistic regression over what the cue rules noted, which
keeps or drops each side effect the rules propose for a (thread, treatment).

The rules (`outcome_reading`) read the thread with their notes on: each cue they count, with
its treatment, label, speaker and sentence. For each side effect they propose, the filter's
features are a few thread facts, the side effect (alone and with the treatment), the rules'
effect, how many cues named it, and per cue the speaker, the cue's words and the word 1-2-grams
of its sentence, hashed as scikit-learn's stateless `FeatureHasher` does (no vocabulary file).
The side effect is kept when the model's probability is at least the file's threshold. The
effect is the rules' own: the filter only ever removes side effects.

The weights are data (`outcome_side_filter.npz`: plain arrays, no pickle), trained on every
labelled corpus by `python benchmarks/outcomes_learned.py --write-side FILE`. On three pools
of unseen text it removed 13 side effects, all wrong, and none that was right
(docs/aggregator.md, "The side-effect filter").
"""

from __future__ import annotations

import hashlib
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Final

import numpy as np
from sklearn.utils import murmurhash3_32

from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reading import Mention, _Extraction, read_thread
from aggregator.outcome_reading import extract_outcomes as rules_outcomes
from aggregator.outcome_types import Outcome

PACKAGED_SIDE_FILTER: Final = Path(__file__).with_name("outcome_side_filter.npz")
_WORD = re.compile(r"[a-z0-9']+")
# a rule's note: (treatment, label, cue start, cue end, sentence start, sentence end, speaker)
Note = tuple[str, str, int, int, int, int, int]


class SideFilterError(ValueError):
    """The weights file is missing, unreadable or of the wrong shape (one line, naming it)."""


@dataclass(frozen=True)
class SideFilter:
    """The filter's weights: one coefficient per hashed column, an intercept, a threshold."""

    n_features: int
    coef: np.ndarray  # (n_features,)
    intercept: float
    threshold: float  # keep a side effect when its probability is at least this
    # (`keeps` sums plain floats: a list look-up per token costs less than numpy's per-call
    # overhead on the few dozen tokens of a side effect)
    _weights: list[float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weights", self.coef.tolist())

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the weights file."""
        return {"n_features": np.array(self.n_features), "side_coef": self.coef,
                "side_intercept": np.array(self.intercept),
                "side_threshold": np.array(self.threshold)}

    def columns(self, tokens: list[str]) -> np.ndarray:
        """The columns FeatureHasher(n_features, alternate_sign=False) puts the tokens in:
        each token's signed 32-bit murmur hash (seed 0), made positive, modulo the width.
        (FeatureHasher maps -2**31, whose absolute value overflows in C, to
        (2**31 - n_features) % n_features: 2**31 % n_features, which Python's abs() gives.)"""
        hashes = np.fromiter(map(murmurhash3_32, tokens), np.int64, len(tokens))
        return np.abs(hashes) % self.n_features

    def keeps(self, tokens: list[str]) -> bool:
        """Whether a proposed side effect with these features is kept: the logistic of the
        summed weights of its tokens' columns, plus the intercept, at least the threshold."""
        weights, n = self._weights, self.n_features
        margin = math.fsum(weights[abs(h) % n] for h in map(murmurhash3_32, tokens))
        z = margin + self.intercept
        probability = 1.0 / (1.0 + math.exp(-z)) if z > -700.0 else 0.0  # (exp overflows)
        return probability >= self.threshold

    def digest(self) -> str:
        """A hash of the weights (stored outcomes are re-read when it changes)."""
        sha = hashlib.sha1(usedforsecurity=False)
        for name, array in sorted(self.arrays().items()):
            sha.update(name.encode())
            sha.update(np.ascontiguousarray(array).tobytes())
        return sha.hexdigest()


def save_side_filter(side_filter: SideFilter, path: Path) -> None:
    """Write the weights file (numpy's `.npz`: plain arrays, no pickle)."""
    np.savez_compressed(path, **side_filter.arrays())


def read_arrays(path: Path | str, what: str, error: type[ValueError]) -> dict[str, np.ndarray]:
    """The arrays of an `.npz` weights file (no pickle allowed); an unreadable file raises
    `error`, one line naming the file and `what` it should have been."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise error(f"{path}: not a readable {what} ({exc})") from None


def load_side_filter(path: Path | str) -> SideFilter:
    """Read and check a weights file. Raises SideFilterError naming the file."""
    arrays = read_arrays(path, "side-effect filter", SideFilterError)
    try:
        n = int(arrays["n_features"])
        side_filter = SideFilter(n, arrays["side_coef"].astype(np.float64),
                                 float(arrays["side_intercept"]),
                                 float(arrays["side_threshold"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SideFilterError(f"{path}: side-effect filter lacks or garbles {exc}") from None
    if n <= 0 or side_filter.coef.shape != (n,):
        raise SideFilterError(f"{path}: side-effect filter arrays have the wrong shape")
    return side_filter


def grams(prefix: str, text: str) -> list[str]:
    """The words and word pairs of a text, each behind `prefix`."""
    words = _WORD.findall(text)
    return [prefix + w for w in words] + [f"{prefix}{a}_{b}" for a, b in pairwise(words)]


def bucket(n: int) -> str:
    """A small count as a feature value: "0", "1", "2" or "3+"."""
    return str(n) if n < 3 else "3+"


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


def thread_facts(treatments: Sequence[str]) -> list[str]:
    """The features every pair of a thread shares."""
    return [f"ntreat={bucket(len(treatments))}"]


def filtered_outcomes(side_filter: SideFilter, cues: OutcomeCues, parts: Sequence[str],
                      mentions: Sequence[Mention],
                      normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """The rules' outcomes, less the side effects the filter drops."""
    treatments = sorted({m[2] for m in mentions})
    if not treatments:
        return {}
    reading = read_thread(cues, parts, mentions, normalised)
    if reading is None:
        return dict.fromkeys(treatments, Outcome())
    reading.notes = []
    rules = reading.run(treatments)
    facts = thread_facts(treatments)
    for treatment, outcome in rules.items():
        if outcome.side_effects:
            tokens = side_tokens(reading, treatment, outcome, facts)
            kept = tuple(s for s in outcome.side_effects if side_filter.keeps(tokens[s]))
            if kept != outcome.side_effects:
                rules[treatment] = Outcome(effect=outcome.effect, side_effects=kept)
    return rules


def with_side_filter(cues: OutcomeCues, side_filter: SideFilter) -> OutcomeCues:
    """The cues, carrying the filter `extract_outcomes` applies; their `version_hash` names
    the weights too, so stored outcomes are re-read when either changes."""
    cues.side_filter = side_filter
    cues.version_hash = hashlib.sha1(f"{cues.version_hash}:{side_filter.digest()}".encode(),
                                     usedforsecurity=False).hexdigest()
    return cues


def extract_outcomes(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """Outcome per mentioned treatment of a thread: the rules' (`outcome_reading`), filtered
    when the cues carry a side-effect filter (`with_side_filter`). Arguments as
    `outcome_reading.extract_outcomes`."""
    if cues.side_filter is None:
        return rules_outcomes(cues, parts, mentions, normalised)
    return filtered_outcomes(cues.side_filter, cues, parts, mentions, normalised)
