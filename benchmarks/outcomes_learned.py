"""The learned outcome reader (`benchmarks/outcome_model.py`; training in
`outcome_training.py`): held-out checks, training, the side-effect filter's weights.

    python benchmarks/outcomes_learned.py            # leave-one-corpus-out, rules vs model
    python benchmarks/outcomes_learned.py --grid     # the same for a few settings
    python benchmarks/outcomes_learned.py --setting 1    # per fold, for GRID[1]
    python benchmarks/outcomes_learned.py --write FILE   # train on every corpus, write weights
    python benchmarks/outcomes_learned.py --write-side aggregator/outcome_side_filter.npz
        # train GRID[SIDE_SETTING] (6, "S4") on every corpus, write its side-effect filter
        # (the packaged one; --side-threshold P writes another threshold than the setting's
        # 0.5)
    python benchmarks/outcomes_learned.py --write-effect aggregator/outcome_effect_model.npz
        # train GRID[N] (default 6, "S4") on every corpus, write its effect model (the
        # packaged one)
    python benchmarks/outcomes_learned.py --side-unseen  # the filter where it was unseen
    python benchmarks/outcomes_learned.py --curve --setting 0
        # learning curve: each blind-at-stop-39/40 pool held out, GRID[N] trained on a
        # quarter, half, three quarters and all of the other corpora (three draws each)
    python benchmarks/outcomes_learned.py --speed FILE   # CPU of the rules vs rules + model
    python benchmarks/outcomes_learned.py --train-all --test DIR... --setting N
        # train GRID[N] once on every corpus below, test on the corpus folders DIR (totals only)
    python benchmarks/outcomes_learned.py --train-all --setting 6 --side-thresholds --test DIR...
        # the same training; the side-effect filter on DIR at thresholds 0.5-0.8
    ... --leave-out NAME...   # (any of the above) corpora not trained on, e.g. outcomes_zs

Corpora that may be trained on (named one by one: a blind corpus is left out until spent):
dev (../shared/eval posts.jsonl + outcomes_posts.jsonl), benchmarks/corpus/outcomes_a to _y
(no _e, _g), _z to _zt, ordinary_g, summaries_e, real_labels, real_labels_2. Each
labelled (thread, treatment) pair the tagger finds is read by the rules with their notes on
(`outcome_model.read_pairs`); for each held-out corpus, the effect model (multinomial
logistic regression) and the side-effect filter (binary logistic regression on each side
effect the rules propose) are trained on the others and applied to it. Prints effect
accuracy / macro-F1 and side-effect P/R/F1 of the rules and of the model per held-out
corpus, per group of folds (`GROUPS`) and pooled, and per group the effect pairs only one of
them gets right (exact McNemar p). `--setting N` gives the per-fold table for `GRID[N]`.
`--write` trains on all of them with GRID[N] (default: the default settings) and writes the
weights (deterministic: the same corpora and code give the same arrays); `--speed` times, in this
process, `extract_outcomes` and `learned_outcomes` with those weights on every labelled
thread, interleaved over five rounds (CPU seconds, min / median / max, and the load
average). `--train-all --test DIR...` trains GRID[N] once on every corpus above and prints,
for the test corpora pooled and for each alone, the rules' and the model's totals and the
McNemar counts; nothing per pair.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from outcome_model import (  # noqa: E402
    OutcomeModel,
    learned_outcomes,
    load_outcome_model,
    save_outcome_model,
)
from outcome_training import (  # noqa: E402
    EFFECT_SETTING,
    GRID,
    GROUPS,
    SIDE_SETTING,
    Pair,
    Settings,
    figures,
    labelled_sets,
    mcnemar,
    predict,
    read_all,
    train,
)

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcome_effect_model import EffectModel, save_effect_model  # noqa: E402
from aggregator.outcome_side_filter import SideFilter, save_side_filter  # noqa: E402
from aggregator.outcomes import Outcome, extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402


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


CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)


def learning_curve(data: dict[str, list[Pair]], settings: Settings, draws: int = 3) -> None:
    """Effect accuracy of the rules and of the model on each pool of GROUPS first read at stop
    39 or 40, the model trained on random subsets of the other corpora (whole corpora, so a
    larger share also means more authors); pooled over the held-out pools last."""
    held = [(label, names) for label, names in GROUPS if "stop 39" in label or "stop 40" in label]
    print(f"{settings.name()}; effect accuracy, mean of {draws} draws (training pairs):")
    right: dict[float, list[int]] = {f: [0, 0] for f in CURVE_FRACTIONS}
    total = rules_right = 0
    for label, names in held:
        test = [p for n in names for p in data[n]]
        gold = [p.gold for p in test]
        rules = sum(p.rules.effect == g.effect for p, g in zip(test, gold, strict=True))
        total, rules_right = total + len(test), rules_right + rules
        pool = sorted(n for n in data if n not in names)
        cells = []
        for fraction in CURVE_FRACTIONS:
            accs, sizes = [], []
            for seed in range(draws if fraction < 1 else 1):
                chosen = random.Random(seed).sample(pool, max(1, round(len(pool) * fraction)))
                train_pairs = [p for n in chosen for p in data[n]]
                got = predict(train(train_pairs, settings), test, settings.drop)
                hits = sum(o.effect == g.effect for o, g in zip(got, gold, strict=True))
                accs.append(hits / len(test))
                sizes.append(len(train_pairs))
                right[fraction][0] += hits
                right[fraction][1] += len(test)
            cells.append(f"{fraction:.2f}: {statistics.mean(accs):.3f} "
                         f"({round(statistics.mean(sizes))})")
        print(f"{label}: {len(test)} pairs, rules {rules / len(test):.3f}; " + "; ".join(cells))
    print(f"pooled: {total} pairs, rules {rules_right / total:.3f}; " + "; ".join(
        f"{f:.2f}: {hits / n:.3f}" for f, (hits, n) in right.items()))


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


SIDE_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def held_out_side_thresholds(data: dict[str, list[Pair]], tests: dict[str, list[Pair]],
                             settings: Settings) -> None:
    """Train once on every corpus in `data`; the test corpora's side-effect P / R / F1
    pooled with the rules alone and with the filter at each of `SIDE_THRESHOLDS` (with the
    side effects it removes that the gold has and has not)."""
    model = train([p for rows in data.values() for p in rows], settings)
    test = [p for rows in tests.values() for p in rows]
    gold = [p.gold for p in test]
    print(f"trained on {len(data)} corpora, {sum(map(len, data.values()))} pairs; "
          f"tested on {' + '.join(tests)}, {len(test)} pairs")
    f = figures(gold, [p.rules for p in test])
    print(f"rules alone: side P / R / F1 {f[2]:.3f} / {f[3]:.3f} / {f[4]:.3f}")
    for threshold in SIDE_THRESHOLDS:
        at = OutcomeModel(model.n_features, model.effect_coef, model.effect_intercept,
                          model.side_coef, model.side_intercept, threshold)
        got = predict(at, test, settings.drop)
        right = wrong = 0
        for pair, g, o in zip(test, gold, got, strict=True):
            for side in set(pair.rules.side_effects) - set(o.side_effects):
                right += side not in g.side_effects
                wrong += side in g.side_effects
        f = figures(gold, [Outcome(p.rules.effect, o.side_effects)
                           for p, o in zip(test, got, strict=True)])
        print(f"threshold {threshold:.2f}: side P / R / F1 {f[2]:.3f} / {f[3]:.3f} / "
              f"{f[4]:.3f}; removed {right} not in the gold, {wrong} in it")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="a few settings, pooled only")
    parser.add_argument("--write", metavar="FILE", type=Path,
                        help="train on every corpus and write the weights to FILE (.npz)")
    parser.add_argument("--write-side", metavar="FILE", type=Path,
                        help="train GRID[N] (default SIDE_SETTING, 6) on every corpus and "
                             "write its side-effect filter to FILE (.npz; the packaged one is "
                             "aggregator/outcome_side_filter.npz)")
    parser.add_argument("--write-effect", metavar="FILE", type=Path,
                        help="train GRID[N] (default 6) on every corpus and write its effect "
                             "model to FILE (.npz; the packaged one is "
                             "aggregator/outcome_effect_model.npz)")
    parser.add_argument("--side-unseen", action="store_true",
                        help="the side-effect filter on the pools it was first measured on")
    parser.add_argument("--speed", metavar="FILE", type=Path,
                        help="time the rules alone and with the weights in FILE")
    parser.add_argument("--setting", metavar="N", type=int, default=None,
                        help="per-fold table for GRID[N] (default 2: the default settings)")
    parser.add_argument("--curve", action="store_true",
                        help="learning curve of GRID[N] on the pools first read at stop 39-40")
    parser.add_argument("--train-all", action="store_true",
                        help="train GRID[N] on every corpus once and test on --test")
    parser.add_argument("--test", metavar="DIR", type=Path, nargs="+", default=(),
                        help="with --train-all: corpus folders (posts.jsonl) to test on")
    parser.add_argument("--side-thresholds", action="store_true",
                        help="with --train-all: the side-effect filter's P / R / F1 on --test "
                             "at several thresholds")
    parser.add_argument("--side-threshold", metavar="P", type=float, default=None,
                        help="with --write-side: the threshold written (default: the "
                             "setting's, 0.5)")
    parser.add_argument("--leave-out", metavar="NAME", nargs="+", default=(),
                        help="corpora (by name, e.g. outcomes_zs) not trained on")
    args = parser.parse_args()
    if args.speed:
        return speed(load_outcome_model(args.speed))
    if args.train_all and args.setting is None:
        parser.error("--train-all needs --setting N")
    if args.train_all != bool(args.test):
        parser.error("--train-all and --test go together")
    if args.side_thresholds and not args.train_all:
        parser.error("--side-thresholds needs --train-all --setting N --test DIR...")
    if args.side_threshold is not None and not args.write_side:
        parser.error("--side-threshold goes with --write-side")
    data, tests = read_all(tuple(args.test), tuple(args.leave_out))
    if args.train_all and args.side_thresholds:
        print(f"{GRID[args.setting].name()}:")
        held_out_side_thresholds(data, tests, GRID[args.setting])
        return 0
    if args.train_all:
        print(f"{GRID[args.setting].name()}:")
        held_out_test(data, tests, GRID[args.setting])
        return 0
    if args.write_side:
        settings = GRID[SIDE_SETTING if args.setting is None else args.setting]
        if "s:" in settings.drop:  # (the aggregator always sends them: `side_tokens`)
            parser.error(f"--write-side needs a setting that keeps the 's:' n-grams, "
                         f"not {settings.name()}")
        if args.side_threshold is not None:
            settings = replace(settings, side_threshold=args.side_threshold)
        model = train([p for rows in data.values() for p in rows], settings)
        save_side_filter(SideFilter(model.n_features, model.side_coef, model.side_intercept,
                                    model.side_threshold), args.write_side)
        print(f"wrote {args.write_side} ({sum(map(len, data.values()))} pairs)")
        return 0
    if args.write_effect:
        settings = GRID[EFFECT_SETTING if args.setting is None else args.setting]
        if settings.drop:  # (the aggregator always sends every feature group)
            parser.error(f"--write-effect needs a setting that keeps every feature group, "
                         f"not {settings.name()}")
        model = train([p for rows in data.values() for p in rows], settings)
        save_effect_model(EffectModel(model.n_features, model.effect_coef,
                                      model.effect_intercept), args.write_effect)
        print(f"wrote {args.write_effect} ({sum(map(len, data.values()))} pairs)")
        return 0
    args.setting = 2 if args.setting is None else args.setting
    if args.curve:
        learning_curve(data, GRID[args.setting])
        return 0
    if args.write:
        model = train([p for rows in data.values() for p in rows], GRID[args.setting])
        save_outcome_model(model, args.write)
        print(f"wrote {args.write} ({sum(map(len, data.values()))} pairs)")
        return 0
    if args.side_unseen:
        side_unseen(data, GRID[SIDE_SETTING])
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
