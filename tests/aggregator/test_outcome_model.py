"""The learned outcome reader's plumbing: the features it reads from the rules, weights
applied as written, the weights file (round trip, bad files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcomes import EFFECTS, Outcome, extract_outcomes, load_outcome_cues
from aggregator.tagger import Tagger
from benchmarks.outcome_model import (
    OutcomeModel,
    OutcomeModelError,
    apply_model,
    learned_outcomes,
    load_outcome_model,
    read_pairs,
    save_outcome_model,
)

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()
N = 2 ** 10


def _read(title: str, body: str, replies: tuple[str, ...] = ()):
    _, _, mentions = TAGGER.tag_with_mentions(title, body, list(replies))
    return [title, body, *replies], mentions


def _bucket(token: str) -> int:
    return int(_model().hasher().transform([[token]]).indices[0])


def _model(effect_tokens: dict[str, str] | None = None, side_weight: float = 0.0,
           threshold: float = 0.5) -> OutcomeModel:
    """Weights that pick the effect whose token (effect -> token) the pair has."""
    model = OutcomeModel(N, np.zeros((len(EFFECTS), N)), np.zeros(len(EFFECTS)),
                         np.zeros(N), side_weight, threshold)
    hasher = model.hasher()
    for value, token in (effect_tokens or {}).items():
        model.effect_coef[EFFECTS.index(value), hasher.transform([[token]]).indices[0]] = 5.0
    return model


def test_features_carry_what_the_rules_counted() -> None:
    parts, mentions = _read("Minoxidil update", "Minoxidil regrew my crown but gave me an "
                            "itchy scalp.", ("Minoxidil did nothing for me after a year.",))
    rules, pairs = read_pairs(CUES, parts, mentions)
    assert rules == extract_outcomes(CUES, parts, mentions)
    (pair,) = pairs
    assert pair.treatment == "minoxidil" and rules["minoxidil"].effect == "mixed"
    assert {"op:improved", "rep:no_effect", "rule=mixed", "in_title"} <= set(pair.tokens)
    assert "skin" in pair.sides and "who=op" in pair.sides["skin"]
    assert "c:regrew_my" in pair.tokens  # the noted sentence's word pairs


def test_thread_without_cues_keeps_the_rules_none() -> None:
    parts, mentions = _read("Minoxidil question", "Should I start minoxidil?")
    rules, pairs = read_pairs(CUES, parts, mentions)
    assert pairs == [] and rules["minoxidil"].effect == "none"
    model = _model({"improved": "ntreat=1"})  # would say improved for any pair it reads
    assert learned_outcomes(model, CUES, parts, mentions)["minoxidil"].effect == "none"


def test_weights_decide_the_effect() -> None:
    parts, mentions = _read("Update", "Finasteride regrew my crown.")
    _, pairs = read_pairs(CUES, parts, mentions)
    copy_rules = _model({value: f"rule={value}" for value in EFFECTS})
    assert apply_model(copy_rules, pairs)["finasteride"].effect == "improved"
    contrary = _model({"no_effect": "op:improved"})
    assert apply_model(contrary, pairs)["finasteride"].effect == "no_effect"


def test_weights_copying_the_rules_give_the_rules() -> None:
    model = _model({value: f"rule={value}" for value in EFFECTS}, side_weight=5.0)
    for title, body, replies in (
            ("Fin + min", "Fin and min regrew my hairline, but fin killed my libido.", ()),
            ("Dut", "Dutasteride did nothing after a year.", ("Same, zero results on dut.",)),
            ("Oral min", "Oral minoxidil thickened my crown. Palpitations though.", ())):
        parts, mentions = _read(title, body, replies)
        assert learned_outcomes(model, CUES, parts, mentions) == \
            extract_outcomes(CUES, parts, mentions)


def test_side_threshold_drops_side_effects() -> None:
    parts, mentions = _read("Fin", "Finasteride gave me brain fog and low libido.")
    _, pairs = read_pairs(CUES, parts, mentions)
    assert set(pairs[0].sides) == {"mood", "sexual"}
    assert apply_model(_model(side_weight=5.0), pairs)["finasteride"].side_effects == \
        ("sexual", "mood")
    assert apply_model(_model(side_weight=-5.0), pairs)["finasteride"].side_effects == ()
    dropping_mood = _model(side_weight=0.0, threshold=0.5)
    dropping_mood.side_coef[_bucket("side=mood")] = -3.0
    assert apply_model(dropping_mood, pairs)["finasteride"].side_effects == ("sexual",)


def test_weights_file_round_trip(tmp_path: Path) -> None:
    model = _model({"mixed": "rule=mixed"}, side_weight=1.5, threshold=0.4)
    path = tmp_path / "model.npz"
    save_outcome_model(model, path)
    loaded = load_outcome_model(path)
    assert loaded.n_features == N and loaded.side_threshold == pytest.approx(0.4)
    assert loaded.side_intercept == pytest.approx(1.5)
    assert np.array_equal(loaded.effect_coef, model.effect_coef)


def test_bad_weights_file_names_it(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_text("not a zip")
    with pytest.raises(OutcomeModelError, match=r"garbage\.npz: not a readable outcome model"):
        load_outcome_model(garbage)
    with pytest.raises(OutcomeModelError, match=r"missing\.npz"):
        load_outcome_model(tmp_path / "missing.npz")
    short = tmp_path / "short.npz"
    arrays = _model().arrays()
    arrays["side_coef"] = np.zeros(3)
    np.savez(short, **arrays)
    with pytest.raises(OutcomeModelError, match=r"short\.npz: .*wrong shape"):
        load_outcome_model(short)
    del arrays["side_threshold"]
    np.savez(short, **arrays)
    with pytest.raises(OutcomeModelError, match=r"short\.npz: .*side_threshold"):
        load_outcome_model(short)
    with pytest.raises(OutcomeModelError) as error:
        load_outcome_model(garbage)
    assert "\n" not in str(error.value)  # one line


def test_side_candidates_are_the_filters_rows_and_dropping_them_keeps_the_rest() -> None:
    """The side-effect filter's training rows (`outcome_training.side_candidates`): one per
    side effect the rules propose, with its pair and whether the gold lists it; a pair the
    rules did not read gives none. `side_filter_groups.filtered` drops exactly those named."""
    from benchmarks.outcome_model import PairReading
    from benchmarks.outcome_training import Pair, side_candidates
    from benchmarks.side_filter_groups import filtered

    rules = Outcome("improved", ("shedding", "skin"))
    read = Pair(rules, PairReading("minoxidil", rules, ["t"], {"shedding": ["a"], "skin": ["b"]}),
                Outcome("improved", ("skin",)))
    unread = Pair(Outcome(), None, Outcome("none", ("sexual",)))
    rows = side_candidates([unread, read])
    assert [(r.pair, r.side, r.tokens, r.right) for r in rows] == [
        (1, "shedding", ["a"], False), (1, "skin", ["b"], True)]
    assert filtered([unread, read], {(1, "shedding")}) == [
        Outcome(), Outcome("improved", ("skin",))]
