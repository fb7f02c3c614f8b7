"""The side-effect filter: its columns are FeatureHasher's, it only removes side effects the
rules proposed, the config switches it, its weights name the stored outcomes' hash, and a
bad weights file is one line naming it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction import FeatureHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aggregator import outcome_side_filter
from aggregator.outcome_config import default_cues, filtered, outcome_cues_for
from aggregator.outcome_reading import extract_outcomes as rules_outcomes
from aggregator.outcome_side_filter import (
    PACKAGED_SIDE_FILTER,
    SideFilter,
    SideFilterError,
    load_side_filter,
    save_side_filter,
    with_side_filter,
)
from aggregator.outcomes import OutcomeCueError, extract_outcomes, load_outcome_cues
from aggregator.run import aggregate
from aggregator.store import CUES_HASH_KEY, get_meta
from models.config import ConfigError, parse_config
from models.db import session_factory
from tests.aggregator.test_outcome_model import _read
from tests.aggregator.test_outcome_store import seed, stored, thread

N = 2 ** 10
SIDES = ("Fin update", "Finasteride regrew my crown but killed my libido and gave me "
         "brain fog.")


def _always(keep: bool) -> SideFilter:
    """Weights that keep (or drop) every side effect."""
    return SideFilter(N, np.zeros(N), 9.0 if keep else -9.0, 0.5)


@pytest.mark.parametrize("tokens", [
    ["side=sexual", "s:libido", "scue=killed my libido", "who=op", ""],
    ["s:größer", "s:🙂_ok", "x" * 300, "side=mood:finasteride"],
    [f"s:{i}_{i * 7}" for i in range(500)]])
def test_keeps_sums_the_hashers_columns(tokens: list[str]) -> None:
    """`keeps` decides on the margin FeatureHasher's matrix gives: just below it, kept; just
    above it, dropped."""
    packaged = load_side_filter(PACKAGED_SIDE_FILTER)
    hasher = FeatureHasher(n_features=packaged.n_features, input_type="string",
                           alternate_sign=False)
    margin = float((hasher.transform([tokens]) @ packaged.coef)[0]) + packaged.intercept
    probability = 1 / (1 + math.exp(-margin))
    for nudge, kept in ((-1e-9, True), (1e-9, False)):
        at = SideFilter(packaged.n_features, packaged.coef, packaged.intercept,
                        probability + nudge)
        assert at.keeps(tokens) is kept


def test_remembered_weights_are_the_columns_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """`token_weights` gives each token its column's weight, remembered or not, and forgets
    all at its bound."""
    side_filter = SideFilter(N, np.arange(N, dtype=float), 0.0, 0.5)
    column = side_filter._column
    tokens = ["s:libido", "side=sexual", "s:libido", "who=op", "s:größer"]
    expected = [float(column(t)) for t in tokens]
    assert len(set(expected)) > 2  # (the tokens fall in different columns)
    assert side_filter.token_weights(tokens) == expected
    assert set(side_filter._weight_of) == set(tokens)
    assert side_filter.token_weights(tokens[::-1]) == expected[::-1]
    monkeypatch.setattr(outcome_side_filter, "_REMEMBERED", 6)
    assert side_filter.token_weights(["s:a", "s:b", "s:c"]) == [
        float(column(t)) for t in ("s:a", "s:b", "s:c")]
    assert set(side_filter._weight_of) == {"s:a", "s:b", "s:c"}  # (4 + 3 > 6: forgot the rest)


def test_a_lone_surrogate_is_hashed_not_raised() -> None:
    parts, mentions = _read("Fin", "Finasteride regrew my crown but my libido\ud83dtanked.")
    rules = rules_outcomes(load_outcome_cues(), parts, mentions)
    assert extract_outcomes(default_cues(), parts, mentions)["finasteride"].effect == \
        rules["finasteride"].effect == "improved"
    assert _always(True).keeps(["scue=\ud83d", "s:libido"])


def test_extreme_weights_decide_without_overflow() -> None:
    tokens = ["side=sexual"] * 100
    assert not SideFilter(N, np.full(N, -50.0), 0.0, 0.5).keeps(tokens)  # margin -5000
    assert SideFilter(N, np.full(N, -50.0), 0.0, 0.0).keeps(tokens)  # threshold 0 keeps all
    assert SideFilter(N, np.full(N, 50.0), 0.0, 0.99).keeps(tokens)


def test_it_only_removes_side_effects() -> None:
    parts, mentions = _read(*SIDES)
    rules = rules_outcomes(load_outcome_cues(), parts, mentions)
    assert rules["finasteride"].effect == "improved"
    assert set(rules["finasteride"].side_effects) == {"sexual", "mood"}
    keep_all = with_side_filter(load_outcome_cues(), _always(True))
    assert extract_outcomes(keep_all, parts, mentions) == rules
    drop_all = with_side_filter(load_outcome_cues(), _always(False))
    dropped = extract_outcomes(drop_all, parts, mentions)["finasteride"]
    assert dropped.effect == "improved" and dropped.side_effects == ()
    # the packaged weights keep these two first-hand, plainly said side effects
    assert extract_outcomes(default_cues(), parts, mentions) == rules
    # a thread without cues: nothing to filter
    parts, mentions = _read("Question", "Should I start finasteride?")
    assert extract_outcomes(drop_all, parts, mentions)["finasteride"].effect == "none"


def test_the_weights_name_the_cues_hash() -> None:
    plain = load_outcome_cues()
    packaged = default_cues()
    assert plain.side_filter is None and packaged.side_filter is not None
    assert packaged.version_hash != plain.version_hash
    assert with_side_filter(load_outcome_cues(), _always(True)).version_hash not in \
        (plain.version_hash, packaged.version_hash)
    assert filtered(load_outcome_cues(), False).version_hash == plain.version_hash
    # a copy: the cues handed in stay as they were, and a second filter is refused
    assert plain.side_filter is None
    with_one = with_side_filter(plain, _always(True))
    assert plain.side_filter is None and with_one is not plain
    with pytest.raises(ValueError, match="already carry"):
        with_side_filter(with_one, _always(False))


def test_config_switches_it() -> None:
    assert outcome_cues_for(parse_config({})).side_filter is not None
    off = parse_config({"aggregate": {"side_effect_filter": False}})
    assert outcome_cues_for(off).side_filter is None
    with pytest.raises(ConfigError, match="side_effect_filter"):
        parse_config({"aggregate": {"side_effect_filter": "maybe"}})


def test_weights_file_round_trip_and_bad_files(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.npz"
    save_side_filter(SideFilter(N, np.arange(N, dtype=float), 1.5, 0.4), path)
    loaded = load_side_filter(path)
    assert loaded.n_features == N and loaded.intercept == 1.5 and loaded.threshold == 0.4
    assert np.array_equal(loaded.coef, np.arange(N, dtype=float))
    short = tmp_path / "short.npz"
    np.savez(short, n_features=np.array(N), side_coef=np.zeros(3),
             side_intercept=np.array(0.0), side_threshold=np.array(0.5))
    with pytest.raises(SideFilterError, match=r"short\.npz: .*wrong shape"):
        load_side_filter(short)
    for bad in ({"side_coef": np.full(N, np.nan)}, {"side_intercept": np.array(np.inf)},
                {"side_threshold": np.array(1.5)}):
        arrays = {"n_features": np.array(N), "side_coef": np.zeros(N),
                  "side_intercept": np.array(0.0), "side_threshold": np.array(0.5), **bad}
        np.savez(short, **arrays)
        with pytest.raises(SideFilterError, match=r"short\.npz: .*not finite"):
            load_side_filter(short)
    bare = tmp_path / "bare.npy"
    np.save(bare, np.zeros(3))
    with pytest.raises(SideFilterError, match=r"bare\.npy: not a readable"):
        load_side_filter(bare)
    broken = tmp_path / "outcome_side_filter.npz"
    broken.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(outcome_side_filter, "PACKAGED_SIDE_FILTER", broken)
    with pytest.raises(OutcomeCueError) as error:
        outcome_cues_for(parse_config({}))
    assert "outcome_side_filter.npz" in str(error.value) and "\n" not in str(error.value)
    off = parse_config({"aggregate": {"side_effect_filter": False}})
    assert outcome_cues_for(off).side_filter is None  # the rules alone need no weights


def test_aggregate_stores_filtered_outcomes_and_rereads_on_a_switch(
        engine: Engine, session: Session) -> None:
    seed(engine, [thread("r", *SIDES), thread("q", "Fin?", "Should I start finasteride?")])
    make = session_factory(engine)
    aggregate(make, cues=load_outcome_cues())
    assert set(stored(session)[("r", "finasteride")][1]) == {"sexual", "mood"}
    drop_all = with_side_filter(load_outcome_cues(), _always(False))
    stats = aggregate(make, cues=drop_all)
    assert stats.cues_changed and stats.threads_tagged == 0
    assert stats.outcomes_changed == 1
    got = stored(session)
    assert got[("r", "finasteride")] == ("improved", [])
    assert got[("q", "finasteride")] == ("none", [])
    assert get_meta(session, CUES_HASH_KEY) == drop_all.version_hash
    session.rollback()
    assert not aggregate(make, cues=drop_all).cues_changed
