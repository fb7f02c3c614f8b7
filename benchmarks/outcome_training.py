"""The learned outcome reader's training harness: the labelled corpora it may train on, the
settings tried, the rules' reading of every labelled pair, training, prediction and the
figures (`outcomes_learned.py` is the command line over these)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from outcome_model import OutcomeModel, PairReading, apply_model, read_pairs  # noqa: E402
from quality import _read_jsonl, load_real_posts  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcomes import EFFECTS, Outcome, load_outcome_cues  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CORPUS = ROOT / "benchmarks" / "corpus"
# Named one by one, so that a blind corpus added later is never read here until it is spent:
# z and zb (blind until stop 38), zc, zd, ze and zf (one blind run each at stop 39), zg and zh
# (the side-effect filter's test at stop 39, one run), zi and zj, zk and zl (stop 40's two
# blind tests, one run each), zm, zn, zo and zp (the effect model's test at stop 41, one run;
# round sidefx then read their side-effect misses), zq and zr (stop 42's blind test, one run;
# round effrecall then read their effect misses), zs and zt (read once, then round attrib's
# validation pair at stop 43: three checks of its pooled figures, no miss read), zu and zv
# (stop 43's blind test, one run; round zuzv then read their misses), zw and zx (stop 44's
# blind test, one run each tree), zy and zz (stop 44's second, one run each tree), ya and yb
# (stop 45's blind measurement of stop 44's reader, one run), yc and yd (stop 45's test of the
# side-effect filter of C 1.0, one run each tree) are.
SYNTHETIC = (
    *(f"outcomes_{c}" for c in "abcdfhijklmnopqrstuvwxy"),
    *(f"outcomes_z{c}" for c in ("", *"bcdefghijklmnopqrstuvwxyz")),
    "outcomes_ya",
    "outcomes_yb",
    "outcomes_yc",
    "outcomes_yd",
    "ordinary_g",
    "summaries_e",
)
REAL = ("real_labels", "real_labels_2")
# Folds pooled apart: (label, corpora).
GROUPS = (
    ("recent blind (h, f, g, d)", ("outcomes_h", "outcomes_f", "ordinary_g", "outcomes_d")),
    ("lightly tuned (t, u, v, w)", ("outcomes_t", "outcomes_u", "outcomes_v", "outcomes_w")),
    ("tuned once (x, y)", ("outcomes_x", "outcomes_y")),
    ("never tuned (z, zb)", ("outcomes_z", "outcomes_zb")),
    # (blind until read at stop 39 or 40; round outs read zc-zh's misses, outt zi + zj's)
    ("blind at stop 39 (zc, zd)", ("outcomes_zc", "outcomes_zd")),
    ("blind at stop 39 (ze, zf)", ("outcomes_ze", "outcomes_zf")),
    ("blind at stop 39 (zg, zh)", ("outcomes_zg", "outcomes_zh")),
    ("blind at stop 40 (zi, zj)", ("outcomes_zi", "outcomes_zj")),
    ("blind at stop 40 (zk, zl)", ("outcomes_zk", "outcomes_zl")),
    ("blind at stop 41 (zm, zn)", ("outcomes_zm", "outcomes_zn")),
    ("blind at stop 41 (zo, zp)", ("outcomes_zo", "outcomes_zp")),
    ("blind at stop 42 (zq, zr)", ("outcomes_zq", "outcomes_zr")),
    ("attrib's validation at stop 43 (zs, zt)", ("outcomes_zs", "outcomes_zt")),
    ("blind at stop 43, round zuzv's (zu, zv)", ("outcomes_zu", "outcomes_zv")),
    ("blind at stop 44 (zw, zx)", ("outcomes_zw", "outcomes_zx")),
    ("blind at stop 44, second pool (zy, zz)", ("outcomes_zy", "outcomes_zz")),
    ("blind at stop 45 (ya, yb)", ("outcomes_ya", "outcomes_yb")),
    ("blind at stop 45, second pool (yc, yd)", ("outcomes_yc", "outcomes_yd")),
)


@dataclass(frozen=True)
class Settings:
    """Training settings: regularisation of both models, hashing width, side threshold,
    feature groups left out (token prefixes: "m:" the sentences naming the treatment, "w:"
    the same tagged with their speaker, "u:" the words of the posts naming it, "c:" the
    sentences of its effect cues, "s:" those of a side effect's cues)."""

    effect_c: float = 1.0
    side_c: float = 1.0
    n_features: int = 2**14
    side_threshold: float = 0.5
    drop: tuple[str, ...] = ("m:", "w:", "u:", "c:", "s:")

    def name(self) -> str:
        kept = [g for g in ("m:", "w:", "u:", "c:", "s:") if g not in self.drop]
        return (
            f"C {self.effect_c}, side threshold {self.side_threshold}, n-grams "
            f"{' '.join(kept) or 'none'}"
        )


# 0-4 as at stop 38 (0 = "S2", 2 = "S0"); 5 = "S3", pre-registered for zc + zd at stop 39 (it
# failed); 6 = "S4", pre-registered for ze + zf at stop 39; 7 = "S5" (stop 45), S4 with the side
# model's C 1.0: with 9,300 pairs the side-effect filter held out by group (17 groups) is best
# at C 1.0 (pooled side P/R/F1 0.893/0.823/0.857; C 0.3 0.877/0.828/0.852, 3.0 0.855, 10.0
# 0.852), but it failed its pre-registered test on the unseen yc + yd (side F1 0.759 against
# C 0.3's 0.765: benchmarks/corpus/outcomes_ycyd_run.txt), so the filter stays S4's.
GRID = (
    Settings(0.3, 0.3, drop=("w:", "u:")),
    Settings(0.3, 0.3, drop=("m:", "w:", "u:")),
    Settings(),
    Settings(0.1, 0.1),
    Settings(side_threshold=0.7),
    Settings(1.0, 0.3, drop=("u:",)),
    Settings(0.3, 0.3, drop=()),
    Settings(0.3, 1.0, drop=()),
)
# The settings the packaged side-effect filter is trained with (its side model is the same in
# GRID 0, 5 and 6: side C 0.3, threshold 0.5, "s:" n-grams).
SIDE_SETTING = 6
# The setting the packaged effect model is trained with ("S4"; every feature group, so the
# aggregator's `effect_tokens` are its features as they are).
EFFECT_SETTING = 6


@dataclass
class Pair:
    """One labelled pair: the rules' reading (None: no cue in the thread) and the gold."""

    rules: Outcome
    reading: PairReading | None
    gold: Outcome


def labelled_sets() -> dict[str, list[dict]]:
    """Every corpus that may be trained on, by name (real ones when ../shared/realdata is
    here)."""
    sets = {
        "dev": [
            p
            for n in ("posts.jsonl", "outcomes_posts.jsonl")
            for p in _read_jsonl(EVAL / n)
            if "gold_outcomes" in p
        ]
    }
    sets |= {n: _read_jsonl(CORPUS / n / "posts.jsonl") for n in SYNTHETIC}
    for name in REAL:
        real = load_real_posts(CORPUS / name)
        if real:
            sets[name] = real
    return sets


def read_corpus(posts: list[dict], tagger: Tagger, cues) -> list[Pair]:
    """The labelled pairs of a corpus the tagger finds, read by the rules."""
    out = []
    for post in posts:
        replies = [
            r.get("body", "") if isinstance(r, dict) else str(r) for r in post.get("replies", [])
        ]
        parts = [post["title"], post["body"], *replies]
        _, _, mentions = tagger.tag_with_mentions(post["title"], post["body"], replies)
        rules, readings = read_pairs(cues, parts, mentions)
        by_treatment = {r.treatment: r for r in readings}
        for tid, gold in sorted(post["gold_outcomes"].items()):
            if tid in rules:
                out.append(
                    Pair(
                        rules[tid],
                        by_treatment.get(tid),
                        Outcome(gold["effect"], tuple(sorted(gold["side_effects"]))),
                    )
                )
    return out


def train(pairs: list[Pair], settings: Settings) -> OutcomeModel:
    """Both models trained on the pairs the rules read."""
    read = [p for p in pairs if p.reading is not None]
    if settings.drop:
        read = [Pair(p.rules, _without(p.reading, settings.drop), p.gold) for p in read]
    hasher = OutcomeModel(
        settings.n_features, np.zeros((4, 1)), np.zeros(4), np.zeros(1), 0.0, 0.0
    ).hasher()
    x = hasher.transform([p.reading.tokens for p in read])
    y = [p.gold.effect for p in read]
    effect = LogisticRegression(C=settings.effect_c, max_iter=5000).fit(x, y)
    coef = np.zeros((len(EFFECTS), settings.n_features))
    intercept = np.full(len(EFFECTS), -30.0)  # an effect never seen in training: never picked
    for row, value in enumerate(effect.classes_):
        coef[EFFECTS.index(value)] = effect.coef_[row] if len(effect.classes_) > 2 else 0
        intercept[EFFECTS.index(value)] = effect.intercept_[row]
    candidates = side_candidates(read)
    sides = LogisticRegression(C=settings.side_c, max_iter=5000).fit(
        hasher.transform([c.tokens for c in candidates]), [c.right for c in candidates]
    )
    return OutcomeModel(
        settings.n_features,
        coef,
        intercept,
        sides.coef_[0].copy(),
        float(sides.intercept_[0]),
        settings.side_threshold,
    )


@dataclass(frozen=True)
class SideCandidate:
    """A side effect the rules propose for a pair: the pair's index, the side effect, the
    filter's features and whether the gold lists it."""

    pair: int
    side: str
    tokens: list[str]
    right: bool


def side_candidates(pairs: list[Pair]) -> list[SideCandidate]:
    """Every side effect the rules propose for the pairs they read (the filter's rows)."""
    return [SideCandidate(i, side, tokens, side in p.gold.side_effects)
            for i, p in enumerate(pairs) if p.reading is not None
            for side, tokens in p.reading.sides.items()]


def _without(reading: PairReading, drop: tuple[str, ...]) -> PairReading:
    return PairReading(
        reading.treatment,
        reading.rules,
        [t for t in reading.tokens if not t.startswith(drop)],
        {
            side: [t for t in tokens if not t.startswith(drop)]
            for side, tokens in reading.sides.items()
        },
    )


def predict(model: OutcomeModel, pairs: list[Pair], drop: tuple[str, ...] = ()) -> list[Outcome]:
    """The model's outcome per pair (the rules' `none` where the thread holds no cue)."""
    return [
        apply_model(model, [_without(p.reading, drop)])[p.reading.treatment]
        if p.reading
        else p.rules
        for p in pairs
    ]


def figures(gold: list[Outcome], got: list[Outcome]) -> tuple[float, ...]:
    """Effect accuracy, macro-F1, side-effect P, R, F1."""
    g, p = [o.effect for o in gold], [o.effect for o in got]
    tp = sum(len(set(a.side_effects) & set(b.side_effects)) for a, b in zip(gold, got, strict=True))
    fp = sum(len(set(b.side_effects) - set(a.side_effects)) for a, b in zip(gold, got, strict=True))
    fn = sum(len(set(a.side_effects) - set(b.side_effects)) for a, b in zip(gold, got, strict=True))
    prec, rec = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return (
        accuracy_score(g, p),
        f1_score(g, p, labels=list(EFFECTS), average="macro", zero_division=0),
        prec,
        rec,
        2 * prec * rec / (prec + rec) if prec + rec else 0.0,
    )


def mcnemar(gold: list[Outcome], rules: list[Outcome], model: list[Outcome]) -> str:
    """Effect pairs only the rules / only the model get right, and the exact two-sided
    McNemar p (binomial on those discordant pairs)."""
    only_rules = sum(
        g.effect == r.effect != m.effect for g, r, m in zip(gold, rules, model, strict=True)
    )
    only_model = sum(
        g.effect == m.effect != r.effect for g, r, m in zip(gold, rules, model, strict=True)
    )
    n, k = only_rules + only_model, min(only_rules, only_model)
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n) if n else 1.0
    return f"only rules right {only_rules}, only model right {only_model}, McNemar p {p:.3f}"


def read_all(tests: tuple[Path, ...] = (), leave_out: tuple[str, ...] = ()
             ) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    """Every corpus that may be trained on (less those named in `leave_out`), and the test
    corpus folders, read by the rules."""
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    sets = labelled_sets()
    if unknown := sorted(set(leave_out) - set(sets)):  # (a misspelt name would be trained on)
        raise SystemExit(f"--leave-out names no training corpus: {unknown}")
    data = {name: read_corpus(posts, tagger, cues) for name, posts in sets.items()
            if name not in leave_out}
    if both := set(data) & {d.name for d in tests}:
        raise SystemExit(f"a test corpus is a training corpus: {sorted(both)}")
    return data, {d.name: read_corpus(_read_jsonl(d / "posts.jsonl"), tagger, cues) for d in tests}
