"""The learned outcome reader: small linear models stacked on the rules' own reading.

The rules (`outcome_reading`) read a thread and note every cue they count: its treatment,
label (an effect direction or a side effect), speaker and sentence. Per (thread, treatment)
those notes, the rules' per-speaker directions, a few thread facts and the hashed word
1-2-grams of the noted sentences and of the sentences naming the treatment (once as they are,
once tagged with who wrote them: the poster or a replier), and the words of the posts naming
it (tagged likewise), are features
(`effect_tokens`, `side_tokens`; hashed with scikit-learn's stateless `FeatureHasher`, so
no vocabulary file): a multinomial logistic regression picks the effect and a binary one
keeps or drops each side effect the rules propose.

The weights are data (an `.npz` of plain arrays: coefficients, intercepts, the hashing
width and the side threshold; no pickled scikit-learn object), written by
`python benchmarks/outcomes_learned.py --write FILE` from every labelled corpus that may be
trained on. `load_outcome_model` reads and checks them; `learned_outcomes` applies them.
The features are the aggregator's own (`aggregator.outcome_effect_model.effect_tokens`,
`aggregator.outcome_side_filter.side_tokens`). This module is the training harness's model;
the aggregator ships its two parts apart: the side-effect filter (on by default) and, since
stop 41, the effect model of setting S4 (`[aggregate] effect_model = true`, off by default:
docs/aggregator.md, "The effect model"). Earlier settings that did not beat the rules are in
docs/history/aggregator-log.md ("Sixth round", "Sixth round revisited", "Learned reader on z +
zb", "Learned reader on zc + zd and on ze + zf").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import FeatureHasher

from aggregator.hashed_weights import read_arrays
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_effect_model import effect_tokens
from aggregator.outcome_reading import Mention, _Extraction, read_thread
from aggregator.outcome_side_filter import side_tokens, thread_facts
from aggregator.outcome_types import EFFECTS, SIDE_EFFECTS, Outcome


class OutcomeModelError(ValueError):
    """The weights file is missing, unreadable or of the wrong shape."""


@dataclass(frozen=True)
class OutcomeModel:
    """Weights of the two classifiers (see the module docstring)."""

    n_features: int
    effect_coef: np.ndarray  # (len(EFFECTS), n_features)
    effect_intercept: np.ndarray  # (len(EFFECTS),)
    side_coef: np.ndarray  # (n_features,)
    side_intercept: float
    side_threshold: float  # keep a side effect when its probability is at least this

    def hasher(self) -> FeatureHasher:
        return FeatureHasher(n_features=self.n_features, input_type="string",
                             alternate_sign=False)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the weights file."""
        return {"n_features": np.array(self.n_features), "effects": np.array(EFFECTS),
                "effect_coef": self.effect_coef, "effect_intercept": self.effect_intercept,
                "side_coef": self.side_coef,
                "side_intercept": np.array(self.side_intercept),
                "side_threshold": np.array(self.side_threshold)}


def save_outcome_model(model: OutcomeModel, path: Path) -> None:
    """Write the weights file (numpy's `.npz`: plain arrays, no pickle)."""
    np.savez_compressed(path, **model.arrays())


def load_outcome_model(path: Path | str) -> OutcomeModel:
    """Read and check a weights file. Raises OutcomeModelError naming the file."""
    arrays = read_arrays(path, "outcome model", OutcomeModelError)
    try:
        n = int(arrays["n_features"])
        effects = tuple(str(e) for e in arrays["effects"])
        model = OutcomeModel(n, arrays["effect_coef"].astype(np.float64),
                             arrays["effect_intercept"].astype(np.float64),
                             arrays["side_coef"].astype(np.float64),
                             float(arrays["side_intercept"]), float(arrays["side_threshold"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise OutcomeModelError(f"{path}: outcome model lacks or garbles {exc}") from None
    if effects != EFFECTS or n <= 0 or model.effect_coef.shape != (len(EFFECTS), n) or \
            model.effect_intercept.shape != (len(EFFECTS),) or model.side_coef.shape != (n,):
        raise OutcomeModelError(f"{path}: outcome model arrays have the wrong shape or effects")
    return model


@dataclass
class PairReading:
    """What the rules read about one treatment of a thread (the models' input)."""

    treatment: str
    rules: Outcome
    tokens: list[str]  # effect features
    sides: dict[str, list[str]]  # proposed side effect -> its features


def pair_readings(reading: _Extraction, mentions: Sequence[Mention],
                  rules: dict[str, Outcome], title_end: int) -> list[PairReading]:
    """The features of every treatment of a thread the rules have read (`reading` run with
    `notes` on): the aggregator's own (`outcome_effect_model.effect_tokens`,
    `outcome_side_filter.side_tokens`)."""
    treatments = sorted(rules)
    facts = thread_facts(treatments)
    return [PairReading(t, rules[t],
                        effect_tokens(reading, mentions, t, rules[t], facts, title_end),
                        side_tokens(reading, t, rules[t], facts))
            for t in treatments]


def read_pairs(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
               normalised: tuple[str, str] | None = None,
               ) -> tuple[dict[str, Outcome], list[PairReading]]:
    """Run the rules on a thread, noting what they count: their outcomes and the pair
    features (none when the thread holds no cue: the rules' `none` stands)."""
    treatments = sorted({m[2] for m in mentions})
    if not treatments:
        return {}, []
    reading = read_thread(cues, parts, mentions, normalised)
    if reading is None:
        return {t: Outcome() for t in treatments}, []
    reading.notes = []
    rules = reading.run(treatments)
    return rules, pair_readings(reading, mentions, rules, len(parts[0]) if parts else 0)


def _scores(model: OutcomeModel, docs: Iterable[list[str]]) -> np.ndarray:
    return model.hasher().transform(docs)


def apply_model(model: OutcomeModel, pairs: list[PairReading]) -> dict[str, Outcome]:
    """The models' outcome per treatment of a thread (its `pair_readings`)."""
    if not pairs:
        return {}
    x = _scores(model, [p.tokens for p in pairs])
    effects = np.asarray(x @ model.effect_coef.T) + model.effect_intercept
    candidates = [(i, side, tokens) for i, p in enumerate(pairs)
                  for side, tokens in p.sides.items()]
    kept: set[tuple[int, str]] = set()
    if candidates:
        margin = np.asarray(_scores(model, [c[2] for c in candidates]) @ model.side_coef
                            ).ravel() + model.side_intercept
        keep = 1.0 / (1.0 + np.exp(-margin)) >= model.side_threshold
        kept = {(c[0], c[1]) for c, k in zip(candidates, keep, strict=True) if k}
    return {p.treatment: Outcome(EFFECTS[int(np.argmax(effects[i]))],
                                 tuple(s for s in SIDE_EFFECTS if (i, s) in kept))
            for i, p in enumerate(pairs)}


def learned_outcomes(model: OutcomeModel, cues: OutcomeCues, parts: Sequence[str],
                     mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """`extract_outcomes` with the learned models on top of the rules."""
    rules, pairs = read_pairs(cues, parts, mentions, normalised)
    return apply_model(model, pairs) if pairs else rules
