"""The effect model: its scores are FeatureHasher's over the features the training harness
sees, a thread's pairs read together give what each alone gives, the config switches it,
its weights name the stored outcomes' hash, a bad weights file is one line naming it, and
`aggregate` stores the model's effects."""

from __future__ import annotations

import json
import struct
import zipfile
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sklearn.feature_extraction import FeatureHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aggregator import outcome_effect_model, outcome_side_filter
from aggregator.outcome_config import default_cues, filtered, outcome_cues_for
from aggregator.outcome_effect_model import (
    PACKAGED_EFFECT_MODEL,
    EffectModel,
    EffectModelError,
    PairFeatures,
    load_effect_model,
    pair_features,
    save_effect_model,
    with_effect_model,
)
from aggregator.outcome_reading import read_and_run
from aggregator.outcome_side_filter import thread_facts
from aggregator.outcome_types import EFFECTS
from aggregator.outcomes import (
    OutcomeCueError,
    OutcomeCues,
    extract_outcomes,
    extract_outcomes_of,
    load_outcome_cues,
)
from aggregator.run import aggregate
from aggregator.store import CUES_HASH_KEY, get_meta
from models.config import ConfigError, parse_config
from models.db import session_factory
from tests.aggregator.test_outcome_model import _read
from tests.aggregator.test_outcome_store import seed, stored, thread

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
N = 2 ** 10
# threads whose naming sentences are whole posts (a one-sentence reply: the memo must keep a
# sentence's n-grams and a post's words apart), name two treatments, or hold odd text
THREADS = [
    ("Fin update", "Finasteride regrew my crown.", ("Finasteride did nothing for me.",)),
    ("Min and fin", "Two years on minoxidil and finasteride and my crown is thicker. "
     "Fin alone did nothing before.", ("Minoxidil gave me a shed.", "Same, fin helped.")),
    ("Keto?", "Ketoconazole twice a week, no change after a year.", ("Ketoconazole.",)),
    ("Dut", "Dutasteride größer 🙂 regrew my temples\ud83d.", ()),
]


def _hashed_effect(model: EffectModel, tokens: list[str]) -> str:
    """The effect FeatureHasher's count matrix gives with these weights."""
    hasher = FeatureHasher(n_features=model.n_features, input_type="string",
                           alternate_sign=False)
    x = hasher.transform([tokens])
    scores = np.asarray(x @ model.coef.T).ravel() + model.intercept
    return EFFECTS[int(np.argmax(scores))]


@cache
def _rules() -> OutcomeCues:
    return load_outcome_cues()


def _pairs(title: str, body: str, replies: tuple[str, ...]
           ) -> list[tuple[str, PairFeatures]]:
    parts, mentions = _read(title, body, replies)
    rules, reading = read_and_run(_rules(), parts, mentions, notes=True)
    assert reading is not None
    facts = thread_facts(sorted(rules))
    return [(t, pair_features(reading, mentions, t, o, facts, len(parts[0])))
            for t, o in rules.items()]


def _labelled() -> list[tuple[str, str, tuple[str, ...]]]:
    posts = [json.loads(line) for name in ("posts.jsonl", "outcomes_posts.jsonl")
             for line in (EVAL / name).read_text(encoding="utf-8").splitlines()]
    return [(p["title"], p["body"], tuple(r["body"] for r in p.get("replies", [])))
            for p in posts[:400]]


def test_scores_are_the_hashers_over_every_token() -> None:
    """The model's effect equals FeatureHasher's over `all_tokens` (what it was trained on),
    with random weights (so that every column matters) and with the packaged ones; a
    thread's pairs read together give what each gives alone, and a second reading (every
    word remembered) what the first gave."""
    packaged = load_effect_model(PACKAGED_EFFECT_MODEL)
    rng = np.random.default_rng(3)
    noisy = EffectModel(N, rng.normal(size=(len(EFFECTS), N)), rng.normal(size=len(EFFECTS)))
    threads = THREADS[:3] + (_labelled() if EVAL.exists() else [])
    checked = 0
    for title, body, replies in threads:
        parts, mentions = _read(title, body, replies)
        if read_and_run(_rules(), parts, mentions)[1] is None:
            continue
        for model in (packaged, noisy):
            pairs = [features for _, features in _pairs(title, body, replies)]
            expected = [_hashed_effect(model, f.all_tokens()) for f in pairs]
            assert [model.effects([f])[0] for f in pairs] == expected
            assert model.effects(pairs) == expected == model.effects(pairs)
            checked += len(pairs)
    assert checked >= (300 if EVAL.exists() else 8)


def test_a_small_table_starts_again_and_grows_without_changing_scores(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for 50 rows the table starts again empty on almost every thread (and grows
    past its first 4,096 rows on a long one); the effects stay FeatureHasher's."""
    monkeypatch.setattr(outcome_effect_model, "_CACHE_LIMIT", 50)
    rng = np.random.default_rng(11)
    model = EffectModel(N, rng.normal(size=(len(EFFECTS), N)), rng.normal(size=len(EFFECTS)))
    words = " ".join(f"w{i}" for i in range(5000))  # (5,000 new words in the post)
    long_body = f"{THREADS[1][1]} Then {words}."
    threads = [*THREADS[:3], (THREADS[1][0], long_body, THREADS[1][2]), *THREADS[:3]]
    for title, body, replies in threads:
        pairs = [features for _, features in _pairs(title, body, replies)]
        expected = [_hashed_effect(model, f.all_tokens()) for f in pairs]
        assert model.effects(pairs) == expected == [model.effects([f])[0] for f in pairs]
        assert model._rows.used < 50 or model._rows.used == sum(
            map(len, model._rows.ids.values())) + 1
    assert len(model._rows.table) > 4096


def test_a_one_sentence_reply_counts_as_sentence_and_post() -> None:
    """A reply that is one sentence is both a naming sentence (its n-grams) and a post (its
    words): the two must not share a memo entry."""
    model = EffectModel(N, np.zeros((len(EFFECTS), N)), np.zeros(len(EFFECTS)))
    pairs = dict(_pairs(*THREADS[2]))
    features = pairs["ketoconazole"]
    assert any((start, end) == (u_start, u_end)
               for _, start, end, u_start, u_end in features.sentences)
    column = model._column("u:r:ketoconazole")
    coef = np.zeros((len(EFFECTS), N))
    coef[EFFECTS.index("mixed"), column] = 5.0  # only the post's word decides
    assert EffectModel(N, coef, np.zeros(len(EFFECTS))).effects([features]) == ["mixed"]
    assert _hashed_effect(EffectModel(N, coef, np.zeros(len(EFFECTS))),
                          features.all_tokens()) == "mixed"


def test_a_lone_surrogate_is_hashed_not_raised() -> None:
    parts, mentions = _read(*THREADS[3])
    found = extract_outcomes(filtered(load_outcome_cues(), True, True), parts, mentions)
    assert found["dutasteride"].effect in EFFECTS


def test_the_weights_name_the_cues_hash_and_a_second_model_is_refused() -> None:
    plain, side_only = load_outcome_cues(), default_cues()  # (the model is opt-in)
    packaged = filtered(load_outcome_cues(), True, True)
    assert plain.effect_model is None and side_only.effect_model is None
    assert packaged.effect_model is not None and packaged.side_filter is not None
    assert len({plain.version_hash, packaged.version_hash, side_only.version_hash}) == 3
    model = EffectModel(N, np.zeros((len(EFFECTS), N)), np.zeros(len(EFFECTS)))
    with_one = with_effect_model(plain, model)
    assert plain.effect_model is None and with_one.effect_model is model
    assert with_one.version_hash not in (plain.version_hash, packaged.version_hash)
    with pytest.raises(ValueError, match="already carry"):
        with_effect_model(with_one, model)


def test_config_switches_it() -> None:
    assert outcome_cues_for(parse_config({})).effect_model is None  # off by default
    assert outcome_cues_for(parse_config({"aggregate": {"effect_model": False}})
                            ).effect_model is None
    on = outcome_cues_for(parse_config({"aggregate": {"effect_model": True}}))
    assert on.effect_model is not None and on.side_filter is not None
    both_off = parse_config({"aggregate": {"effect_model": True, "side_effect_filter": False}})
    assert outcome_cues_for(both_off).side_filter is None
    with pytest.raises(ConfigError, match="effect_model"):
        parse_config({"aggregate": {"effect_model": "maybe"}})


def test_weights_file_round_trip_and_bad_files(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "e.npz"
    coef = np.arange(len(EFFECTS) * N, dtype=float).reshape(len(EFFECTS), N)
    save_effect_model(EffectModel(N, coef, np.ones(len(EFFECTS))), path)
    loaded = load_effect_model(path)
    assert loaded.n_features == N and np.array_equal(loaded.coef, coef)
    assert loaded.digest() == load_effect_model(path).digest()
    bad = tmp_path / "bad.npz"
    arrays = {"n_features": np.array(N), "effects": np.array(EFFECTS),
              "effect_coef": coef, "effect_intercept": np.ones(len(EFFECTS))}
    for change, message in (({"effect_coef": np.zeros((4, 3))}, "wrong shape"),
                            ({"effects": np.array(EFFECTS[::-1])}, "wrong shape"),
                            ({"effect_intercept": np.full(4, np.nan)}, "not finite")):
        np.savez(bad, **{**arrays, **change})
        with pytest.raises(EffectModelError, match=rf"bad\.npz: .*{message}"):
            load_effect_model(bad)
    np.savez(bad, n_features=np.array(N))
    with pytest.raises(EffectModelError, match=r"bad\.npz: effect model lacks"):
        load_effect_model(bad)
    broken = tmp_path / "outcome_effect_model.npz"
    broken.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(outcome_effect_model, "PACKAGED_EFFECT_MODEL", broken)
    with pytest.raises(OutcomeCueError) as error:
        outcome_cues_for(parse_config({"aggregate": {"effect_model": True}}))
    assert "outcome_effect_model.npz" in str(error.value) and "\n" not in str(error.value)
    assert outcome_cues_for(parse_config({})).effect_model is None  # off: no weights read


def test_aggregate_stores_the_models_effects_and_rereads_on_a_switch(
        engine: Engine, session: Session) -> None:
    seed(engine, [thread("r", "Fin update", "Finasteride regrew my crown."),
                  thread("q", "Fin?", "Should I start finasteride?")])
    make = session_factory(engine)
    aggregate(make, cues=load_outcome_cues())
    assert stored(session)[("r", "finasteride")][0] == "improved"
    coef = np.zeros((len(EFFECTS), N))
    always_mixed = EffectModel(N, coef, np.array(
        [9.0 if e == "mixed" else 0.0 for e in EFFECTS]))
    cues = with_effect_model(load_outcome_cues(), always_mixed)
    stats = aggregate(make, cues=cues)
    assert stats.cues_changed and stats.threads_tagged == 0 and stats.outcomes_changed == 1
    got = stored(session)
    assert got[("r", "finasteride")] == ("mixed", [])
    assert got[("q", "finasteride")] == ("none", [])  # no cue: the rules' `none` stands
    assert get_meta(session, CUES_HASH_KEY) == cues.version_hash
    session.rollback()
    assert not aggregate(make, cues=cues).cues_changed


def test_empty_texts_weigh_nothing() -> None:
    """A text with no key (first, between others, last) sums to zero, not to its
    neighbour's weights."""
    coef = np.random.default_rng(5).normal(size=(len(EFFECTS), N))
    rows = EffectModel(N, coef, np.zeros(len(EFFECTS)))._rows
    texts: list[tuple[str, list]] = [("tokens", []), ("tokens", ["a", "b"]), ("c", []),
                                     ("s:o", ["x", ("x", "y")]), ("u:r", [])]
    sums = rows.sums(texts)
    assert np.array_equal(sums[[0, 2, 4]], np.zeros((3, len(EFFECTS))))
    model = EffectModel(N, coef, np.zeros(len(EFFECTS)))
    expected = sum(coef[:, model._column(t)] for t in ("a", "b"))
    assert np.allclose(sums[1], expected)
    expected = sum(coef[:, model._column(t)] for t in ("m:x", "w:o:x", "m:x_y", "w:o:x_y"))
    assert np.allclose(sums[3], expected)
    assert np.array_equal(rows.sums([("c", [])]), np.zeros((1, len(EFFECTS))))


def _garbled_deflate(path: Path, source: Path) -> None:
    """A copy of the `.npz` at `source` whose first member's deflated data starts with an
    invalid block (zlib raises before the zip's CRC is checked)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.infolist()[0]
    assert info.compress_type == zipfile.ZIP_DEFLATED
    offset = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[offset + 26:offset + 30])
    data[offset + 30 + name_length + extra_length] = 0xFF  # (BFINAL 1, BTYPE 11: invalid)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("module", "packaged", "config"), [
    (outcome_effect_model, "PACKAGED_EFFECT_MODEL", {"effect_model": True}),
    (outcome_side_filter, "PACKAGED_SIDE_FILTER", {}),
])
def test_a_garbled_compressed_weights_file_is_one_line_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: ModuleType, packaged: str,
        config: dict[str, bool]) -> None:
    """A weights file whose compressed data is garbled (zlib.error, not a ValueError) is an
    OutcomeCueError naming it, like any other unreadable weights file."""
    broken = tmp_path / "garbled.npz"
    _garbled_deflate(broken, getattr(module, packaged))
    monkeypatch.setattr(module, packaged, broken)
    with pytest.raises(OutcomeCueError) as error:
        outcome_cues_for(parse_config({"aggregate": config}))
    assert "garbled.npz" in str(error.value) and "\n" not in str(error.value)


def test_threads_scored_together_give_each_threads_effects(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`effects_of` over many threads, in chunks of several threads (a chunk ends inside the
    list, and the table starts again between chunks), gives each thread's `effects`;
    `extract_outcomes_of` gives each thread's `extract_outcomes` with the model on."""
    rng = np.random.default_rng(13)
    model = EffectModel(N, rng.normal(size=(len(EFFECTS), N)), rng.normal(size=len(EFFECTS)))
    threads = THREADS[:3] + (_labelled()[:120] if EVAL.exists() else [])
    per_thread = [[f for _, f in _pairs(*t)] for t in threads
                  if read_and_run(_rules(), *_read(*t))[1] is not None]
    expected = [[_hashed_effect(model, f.all_tokens()) for f in pairs] for pairs in per_thread]
    monkeypatch.setattr(outcome_effect_model, "_CHUNK_KEYS", 2_000)
    monkeypatch.setattr(outcome_effect_model, "_CACHE_LIMIT", 5_000)
    fresh = EffectModel(N, model.coef, model.intercept)
    assert fresh.effects_of([[], *per_thread, []]) == [[], *expected, []]
    assert fresh.effects_of([]) == []
    cues = with_effect_model(default_cues(), model)
    inputs = []
    for title, body, replies in threads:
        parts, mentions = _read(title, body, replies)
        inputs.append((parts, mentions, None))
    together = extract_outcomes_of(cues, inputs)
    assert together == [extract_outcomes(cues, *i) for i in inputs]
    assert len(together) == len(threads) and any(together)
