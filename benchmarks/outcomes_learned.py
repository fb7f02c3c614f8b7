"""The learned outcome reader (`benchmarks/outcome_model.py`): held-out check and training.

    python benchmarks/outcomes_learned.py            # leave-one-corpus-out, rules vs model
    python benchmarks/outcomes_learned.py --grid     # the same for a few settings
    python benchmarks/outcomes_learned.py --setting 1    # per fold, for GRID[1]
    python benchmarks/outcomes_learned.py --side-sweep   # side-effect filter thresholds
    python benchmarks/outcomes_learned.py --write FILE   # train on every corpus, write weights
    python benchmarks/outcomes_learned.py --write-side aggregator/outcome_side_filter.npz
        # train GRID[6] on every corpus, write its side-effect filter (the packaged one)
    python benchmarks/outcomes_learned.py --side-unseen  # the filter where it was unseen
    python benchmarks/outcomes_learned.py --speed FILE   # CPU of the rules vs rules + model
    python benchmarks/outcomes_learned.py --train-all --test DIR... --setting N
        # train GRID[N] once on every corpus below, test on the corpus folders DIR (totals only)

Corpora that may be trained on (named one by one: a blind corpus is left out until spent):
dev (../shared/eval posts.jsonl + outcomes_posts.jsonl), benchmarks/corpus/outcomes_a to _y
(no _e, _g), _z to _zf, ordinary_g, summaries_e, real_labels, real_labels_2. Each
labelled (thread, treatment) pair the tagger finds is read by the rules with their notes on
(`outcome_model.read_pairs`); for each held-out corpus, the effect model (multinomial
logistic regression) and the side-effect filter (binary logistic regression on each side
effect the rules propose) are trained on the others and applied to it. Prints effect
accuracy / macro-F1 and side-effect P/R/F1 of the rules and of the model per held-out
corpus, per group of folds (`GROUPS`) and pooled, and per group the effect pairs only one of
them gets right (exact McNemar p). `--setting N` gives the per-fold table for `GRID[N]`.
`--write` trains on all of them with GRID[N] (default: the default settings) and writes the
weights
(deterministic: the same corpora and code give the same arrays); `--speed` times, in this
process, `extract_outcomes` and `learned_outcomes` with those weights on every labelled
thread, interleaved over five rounds (CPU seconds, min / median / max, and the load
average). `--train-all --test DIR...` trains GRID[N] once on every corpus above and prints,
for the test corpora pooled and for each alone, the rules' and the model's totals and the
McNemar counts; nothing per pair.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from outcome_model import (  # noqa: E402
    OutcomeModel,
    PairReading,
    apply_model,
    learned_outcomes,
    load_outcome_model,
    read_pairs,
    save_outcome_model,
)
from quality import _read_jsonl, load_real_posts  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcome_side_filter import SideFilter, save_side_filter  # noqa: E402
from aggregator.outcomes import (  # noqa: E402
    EFFECTS,
    Outcome,
    extract_outcomes,
    load_outcome_cues,
)
from aggregator.tagger import Tagger  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CORPUS = ROOT / "benchmarks" / "corpus"
# Named one by one, so that a blind corpus added later is never read here until it is spent:
# z and zb (blind until stop 38), zc, zd, ze and zf (one blind run each at stop 39) are.
SYNTHETIC = (*(f"outcomes_{c}" for c in "abcdfhijklmnopqrstuvwxy"),
             *(f"outcomes_z{c}" for c in ("", "b", "c", "d", "e", "f")), "ordinary_g",
             "summaries_e")
REAL = ("real_labels", "real_labels_2")
# Folds pooled apart: (label, corpora).
GROUPS = (("recent blind (h, f, g, d)", ("outcomes_h", "outcomes_f", "ordinary_g",
                                         "outcomes_d")),
          ("lightly tuned (t, u, v, w)", ("outcomes_t", "outcomes_u", "outcomes_v",
                                          "outcomes_w")),
          ("tuned once (x, y)", ("outcomes_x", "outcomes_y")),
          ("never tuned (z, zb)", ("outcomes_z", "outcomes_zb")),
          ("never tuned (zc, zd)", ("outcomes_zc", "outcomes_zd")),
          ("never tuned (ze, zf)", ("outcomes_ze", "outcomes_zf")))


@dataclass(frozen=True)
class Settings:
    """Training settings: regularisation of both models, hashing width, side threshold,
    feature groups left out (token prefixes: "m:" the sentences naming the treatment, "w:"
    the same tagged with their speaker, "u:" the words of the posts naming it, "c:" the
    sentences of its effect cues, "s:" those of a side effect's cues)."""

    effect_c: float = 1.0
    side_c: float = 1.0
    n_features: int = 2 ** 14
    side_threshold: float = 0.5
    drop: tuple[str, ...] = ("m:", "w:", "u:", "c:", "s:")

    def name(self) -> str:
        kept = [g for g in ("m:", "w:", "u:", "c:", "s:") if g not in self.drop]
        return (f"C {self.effect_c}, side threshold {self.side_threshold}, n-grams "
                f"{' '.join(kept) or 'none'}")


# 0-4 as at stop 38 (0 = "S2", 2 = "S0"); 5 = "S3", pre-registered for zc + zd at stop 39 (it
# failed); 6 = "S4", pre-registered for ze + zf at stop 39.
GRID = (Settings(0.3, 0.3, drop=("w:", "u:")), Settings(0.3, 0.3, drop=("m:", "w:", "u:")),
        Settings(), Settings(0.1, 0.1), Settings(side_threshold=0.7),
        Settings(1.0, 0.3, drop=("u:",)), Settings(0.3, 0.3, drop=()))
# The settings the packaged side-effect filter is trained with (its side model is the same in
# GRID 0, 5 and 6: side C 0.3, threshold 0.5, "s:" n-grams).
SIDE_SETTING = 6


@dataclass
class Pair:
    """One labelled pair: the rules' reading (None: no cue in the thread) and the gold."""

    rules: Outcome
    reading: PairReading | None
    gold: Outcome


def labelled_sets() -> dict[str, list[dict]]:
    """Every corpus that may be trained on, by name (real ones when ../shared/realdata is
    here)."""
    sets = {"dev": [p for n in ("posts.jsonl", "outcomes_posts.jsonl")
                    for p in _read_jsonl(EVAL / n) if "gold_outcomes" in p]}
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
        replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                   for r in post.get("replies", [])]
        parts = [post["title"], post["body"], *replies]
        _, _, mentions = tagger.tag_with_mentions(post["title"], post["body"], replies)
        rules, readings = read_pairs(cues, parts, mentions)
        by_treatment = {r.treatment: r for r in readings}
        for tid, gold in sorted(post["gold_outcomes"].items()):
            if tid in rules:
                out.append(Pair(rules[tid], by_treatment.get(tid),
                                Outcome(gold["effect"], tuple(sorted(gold["side_effects"])))))
    return out


def train(pairs: list[Pair], settings: Settings) -> OutcomeModel:
    """Both models trained on the pairs the rules read."""
    read = [p for p in pairs if p.reading is not None]
    if settings.drop:
        read = [Pair(p.rules, _without(p.reading, settings.drop), p.gold) for p in read]
    hasher = OutcomeModel(settings.n_features, np.zeros((4, 1)), np.zeros(4), np.zeros(1),
                          0.0, 0.0).hasher()
    x = hasher.transform([p.reading.tokens for p in read])
    y = [p.gold.effect for p in read]
    effect = LogisticRegression(C=settings.effect_c, max_iter=5000).fit(x, y)
    coef = np.zeros((len(EFFECTS), settings.n_features))
    intercept = np.full(len(EFFECTS), -30.0)  # an effect never seen in training: never picked
    for row, value in enumerate(effect.classes_):
        coef[EFFECTS.index(value)] = effect.coef_[row] if len(effect.classes_) > 2 else 0
        intercept[EFFECTS.index(value)] = effect.intercept_[row]
    candidates = [(tokens, side in p.gold.side_effects) for p in read
                  for side, tokens in p.reading.sides.items()]
    sides = LogisticRegression(C=settings.side_c, max_iter=5000).fit(
        hasher.transform([c[0] for c in candidates]), [c[1] for c in candidates])
    return OutcomeModel(settings.n_features, coef, intercept, sides.coef_[0].copy(),
                        float(sides.intercept_[0]), settings.side_threshold)


def _without(reading: PairReading, drop: tuple[str, ...]) -> PairReading:
    return PairReading(reading.treatment, reading.rules,
                       [t for t in reading.tokens if not t.startswith(drop)],
                       {side: [t for t in tokens if not t.startswith(drop)]
                        for side, tokens in reading.sides.items()})


def predict(model: OutcomeModel, pairs: list[Pair], drop: tuple[str, ...] = ()
            ) -> list[Outcome]:
    """The model's outcome per pair (the rules' `none` where the thread holds no cue)."""
    return [apply_model(model, [_without(p.reading, drop)])[p.reading.treatment]
            if p.reading else p.rules for p in pairs]


def figures(gold: list[Outcome], got: list[Outcome]) -> tuple[float, ...]:
    """Effect accuracy, macro-F1, side-effect P, R, F1."""
    g, p = [o.effect for o in gold], [o.effect for o in got]
    tp = sum(len(set(a.side_effects) & set(b.side_effects)) for a, b in zip(gold, got, strict=True))
    fp = sum(len(set(b.side_effects) - set(a.side_effects)) for a, b in zip(gold, got, strict=True))
    fn = sum(len(set(a.side_effects) - set(b.side_effects)) for a, b in zip(gold, got, strict=True))
    prec, rec = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return (accuracy_score(g, p), f1_score(g, p, labels=list(EFFECTS), average="macro",
                                           zero_division=0),
            prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def mcnemar(gold: list[Outcome], rules: list[Outcome], model: list[Outcome]) -> str:
    """Effect pairs only the rules / only the model get right, and the exact two-sided
    McNemar p (binomial on those discordant pairs)."""
    only_rules = sum(g.effect == r.effect != m.effect
                     for g, r, m in zip(gold, rules, model, strict=True))
    only_model = sum(g.effect == m.effect != r.effect
                     for g, r, m in zip(gold, rules, model, strict=True))
    n, k = only_rules + only_model, min(only_rules, only_model)
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n) if n else 1.0
    return f"only rules right {only_rules}, only model right {only_model}, McNemar p {p:.3f}"


def _row(name: str, n: int, rules: tuple[float, ...], model: tuple[float, ...]) -> str:
    def cell(f: tuple[float, ...]) -> str:
        return f"{f[0]:.3f} / {f[1]:.3f} | {f[2]:.3f} / {f[3]:.3f} / {f[4]:.3f}"
    return f"| {name} | {n} | {cell(rules)} | {cell(model)} |"


def leave_one_out(data: dict[str, list[Pair]], settings: Settings, quiet: bool = False,
                  ) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Rules vs model per held-out corpus; returns the pooled figures (rules, model)."""
    if not quiet:
        print("| held out | pairs | rules acc / macro-F1 | rules side P / R / F1 "
              "| model acc / macro-F1 | model side P / R / F1 |")
        print("|---|---|---|---|---|---|")
    stores = {label: {"gold": [], "rules": [], "model": []} for label, _ in GROUPS}
    pooled: dict[str, list[Outcome]] = {"gold": [], "rules": [], "model": []}
    stores["pooled"] = pooled
    for held, test in data.items():
        model = train([p for name, rows in data.items() if name != held for p in rows],
                      settings)
        got = predict(model, test, settings.drop)
        gold, rules = [p.gold for p in test], [p.rules for p in test]
        if not quiet:
            print(_row(held, len(test), figures(gold, rules), figures(gold, got)))
        groups = [label for label, names in GROUPS if held in names] + ["pooled"]
        for store in (stores[label] for label in groups):
            store["gold"] += gold
            store["rules"] += rules
            store["model"] += got
    for name, store in stores.items():
        rules_f, model_f = figures(store["gold"], store["rules"]), figures(store["gold"],
                                                                           store["model"])
        print(_row(f"**{name}**", len(store["gold"]), rules_f, model_f))
    for name, store in stores.items():
        print(f"{name}: {mcnemar(store['gold'], store['rules'], store['model'])}")
    return figures(pooled["gold"], pooled["rules"]), figures(pooled["gold"], pooled["model"])


def side_sweep(data: dict[str, list[Pair]], settings: Settings,
               thresholds: tuple[float, ...] = (0.0, 0.4, 0.5, 0.6, 0.7)) -> None:
    """Held-out side-effect P / R / F1 of the filter at several thresholds (one model per
    fold; 0.0 keeps every side effect the rules propose)."""
    kept: dict[float, dict[str, list[Outcome]]] = {t: {} for t in thresholds}
    for held, test in data.items():
        model = train([p for name, rows in data.items() if name != held for p in rows],
                      settings)
        for threshold in thresholds:
            model_at = OutcomeModel(model.n_features, model.effect_coef,
                                    model.effect_intercept, model.side_coef,
                                    model.side_intercept, threshold)
            kept[threshold][held] = predict(model_at, test, settings.drop)
    for threshold, by_fold in kept.items():
        for label, names in (("pooled", list(data)), *GROUPS):
            gold = [p.gold for n in names for p in data[n]]
            got = [o for n in names for o in by_fold[n]]
            f = figures(gold, got)
            print(f"threshold {threshold}: {label} side P / R / F1 "
                  f"{f[2]:.3f} / {f[3]:.3f} / {f[4]:.3f}")


# The side-effect filter's three unseen pools, each with the corpora that did not exist yet
# when it was measured (so the model of each run is trained as it was then).
SIDE_UNSEEN = ((("outcomes_z", "outcomes_zb"),
                ("outcomes_zc", "outcomes_zd", "outcomes_ze", "outcomes_zf")),
               (("outcomes_zc", "outcomes_zd"), ("outcomes_ze", "outcomes_zf")),
               (("outcomes_ze", "outcomes_zf"), ()))


def side_unseen(data: dict[str, list[Pair]], settings: Settings) -> None:
    """The side-effect filter on each pool of SIDE_UNSEEN, trained on every corpus but the
    pool and those written after it: side effects it removed that were wrong and right, and
    side P / R / F1 of the rules and of the rules + filter (effects are the rules')."""
    pooled: dict[str, list[Outcome]] = {"gold": [], "rules": [], "filter": []}
    for test, later in SIDE_UNSEEN:
        model = train([p for n, rows in data.items() if n not in test + later for p in rows],
                      settings)
        pairs = [p for n in test for p in data[n]]
        got = [Outcome(p.rules.effect, o.side_effects)
               for p, o in zip(pairs, predict(model, pairs, settings.drop), strict=True)]
        removed = [(s, s in p.gold.side_effects) for p, o in zip(pairs, got, strict=True)
                   for s in set(p.rules.side_effects) - set(o.side_effects)]
        gold, rules = [p.gold for p in pairs], [p.rules for p in pairs]
        r, f = figures(gold, rules), figures(gold, got)
        print(f"{' + '.join(test)}: {len(pairs)} pairs; removed {len(removed)} side effects, "
              f"{sum(not right for _, right in removed)} wrong and "
              f"{sum(right for _, right in removed)} right; side P / R / F1 rules "
              f"{r[2]:.3f} / {r[3]:.3f} / {r[4]:.3f}, with the filter "
              f"{f[2]:.3f} / {f[3]:.3f} / {f[4]:.3f}")
        pooled["gold"] += gold
        pooled["rules"] += rules
        pooled["filter"] += got
    r, f = figures(pooled["gold"], pooled["rules"]), figures(pooled["gold"], pooled["filter"])
    print(f"pooled: {len(pooled['gold'])} pairs; side P / R / F1 rules {r[2]:.3f} / {r[3]:.3f} "
          f"/ {r[4]:.3f}, with the filter {f[2]:.3f} / {f[3]:.3f} / {f[4]:.3f}")


def speed(model: OutcomeModel, rounds: int = 5) -> int:
    """CPU seconds of the rules alone and with the model, interleaved rounds."""
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    threads = []
    for posts in labelled_sets().values():
        for post in posts:
            replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                       for r in post.get("replies", [])]
            _, _, mentions = tagger.tag_with_mentions(post["title"], post["body"], replies)
            threads.append(([post["title"], post["body"], *replies], mentions))
    times: dict[str, list[float]] = {"rules": [], "rules + model": []}
    for _ in range(rounds):
        for name in times:
            start = time.process_time()
            for parts, mentions in threads:
                if name == "rules":
                    extract_outcomes(cues, parts, mentions)
                else:
                    learned_outcomes(model, cues, parts, mentions)
            times[name].append(time.process_time() - start)
    for name, values in times.items():
        print(f"{name}: {len(threads)} threads, CPU s min {min(values):.3f} median "
              f"{statistics.median(values):.3f} max {max(values):.3f}")
    ratios = [b / a for a, b in zip(times["rules"], times["rules + model"], strict=True)]
    print(f"paired ratio median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, "
          f"max {max(ratios):.2f}); load average {os.getloadavg()[0]:.2f}")
    return 0


def read_all(tests: tuple[Path, ...] = ()
             ) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    """Every corpus that may be trained on, and the test corpus folders, read by the rules."""
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    data = {name: read_corpus(posts, tagger, cues) for name, posts in labelled_sets().items()}
    if both := set(data) & {d.name for d in tests}:
        raise SystemExit(f"a test corpus is a training corpus: {sorted(both)}")
    return data, {d.name: read_corpus(_read_jsonl(d / "posts.jsonl"), tagger, cues)
                  for d in tests}


def held_out_test(data: dict[str, list[Pair]], tests: dict[str, list[Pair]],
                  settings: Settings) -> None:
    """Train once on every corpus in `data`; totals on the test corpora pooled and each."""
    model = train([p for rows in data.values() for p in rows], settings)
    print(f"trained on {len(data)} corpora, {sum(map(len, data.values()))} pairs")
    print("| test | pairs | rules acc / macro-F1 | rules side P / R / F1 "
          "| model acc / macro-F1 | model side P / R / F1 |")
    print("|---|---|---|---|---|---|")
    got = {name: predict(model, test, settings.drop) for name, test in tests.items()}
    rows = [(" + ".join(tests), [p for test in tests.values() for p in test],
             [o for outs in got.values() for o in outs])]
    rows += [(name, tests[name], got[name]) for name in tests] if len(tests) > 1 else []
    for name, test, outs in rows:
        gold, rules = [p.gold for p in test], [p.rules for p in test]
        print(_row(name, len(test), figures(gold, rules), figures(gold, outs)))
    for name, test, outs in rows:
        print(f"{name}: {mcnemar([p.gold for p in test], [p.rules for p in test], outs)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="a few settings, pooled only")
    parser.add_argument("--side-sweep", action="store_true",
                        help="side-effect filter thresholds (side n-grams kept)")
    parser.add_argument("--write", metavar="FILE", type=Path,
                        help="train on every corpus and write the weights to FILE (.npz)")
    parser.add_argument("--write-side", metavar="FILE", type=Path,
                        help="train GRID[N] (default 6) on every corpus and write its "
                             "side-effect filter to FILE (.npz; the packaged one is "
                             "aggregator/outcome_side_filter.npz)")
    parser.add_argument("--side-unseen", action="store_true",
                        help="the side-effect filter on the pools it was first measured on")
    parser.add_argument("--speed", metavar="FILE", type=Path,
                        help="time the rules alone and with the weights in FILE")
    parser.add_argument("--setting", metavar="N", type=int, default=None,
                        help="per-fold table for GRID[N] (default 2: the default settings)")
    parser.add_argument("--train-all", action="store_true",
                        help="train GRID[N] on every corpus once and test on --test")
    parser.add_argument("--test", metavar="DIR", type=Path, nargs="+", default=(),
                        help="with --train-all: corpus folders (posts.jsonl) to test on")
    args = parser.parse_args()
    if args.speed:
        return speed(load_outcome_model(args.speed))
    if args.train_all and args.setting is None:
        parser.error("--train-all needs --setting N")
    if args.train_all != bool(args.test):
        parser.error("--train-all and --test go together")
    data, tests = read_all(tuple(args.test))
    if args.train_all:
        print(f"{GRID[args.setting].name()}:")
        held_out_test(data, tests, GRID[args.setting])
        return 0
    if args.write_side:
        settings = GRID[SIDE_SETTING if args.setting is None else args.setting]
        model = train([p for rows in data.values() for p in rows], settings)
        save_side_filter(SideFilter(model.n_features, model.side_coef, model.side_intercept,
                                    model.side_threshold), args.write_side)
        print(f"wrote {args.write_side} ({sum(map(len, data.values()))} pairs)")
        return 0
    args.setting = 2 if args.setting is None else args.setting
    if args.write:
        model = train([p for rows in data.values() for p in rows], GRID[args.setting])
        save_outcome_model(model, args.write)
        print(f"wrote {args.write} ({sum(map(len, data.values()))} pairs)")
        return 0
    if args.side_unseen:
        side_unseen(data, GRID[SIDE_SETTING])
        return 0
    if args.side_sweep:
        side_sweep(data, Settings(drop=("m:", "c:")))
        return 0
    if args.grid:
        for settings in GRID:
            print(f"{settings.name()}:", flush=True)
            leave_one_out(data, settings, quiet=True)
        return 0
    print(f"{GRID[args.setting].name()}:")
    leave_one_out(data, GRID[args.setting])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
