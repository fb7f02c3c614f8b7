"""CPU of the outcome reader alone, this tree against another, in paired alternating runs.

    python benchmarks/reader_speed.py --against DIR [--threads 5000] [--rounds 6] [--passes 3]
    python benchmarks/reader_speed.py --against DIR --in-process [--threads 5000] [--rounds 6]
    python benchmarks/reader_speed.py --against DIR --in-process --effect-model

`--in-process` (the steadier figure on a shared machine): DIR's `aggregator` package is copied
to a temporary directory as `aggregator_base` (its imports rewritten) and both readers run in
this one process on the same tagged threads, alternating every 200 threads (which goes first
alternates too); a round is one pass over all threads, timed per tree with
`time.process_time`; printed are both trees' CPU-s per round, the ratio, and min/median/max.
`--effect-model` (in-process only): this tree's reader carries the opt-in effect model, loaded
afresh each round and reading 200 threads at a time as a block worker does, against DIR's
shipped reader: what the model costs on generated text (a small vocabulary, soon all
remembered) and on the labelled threads (every thread's words new to it, as in a real run).

Without `--in-process`:
Each round runs one fresh process per tree (DIR: another hairlink checkout, e.g. `git
worktree add --detach /tmp/base main`), the trees in alternating order. A process tags the
threads once (the aggregate benchmark's generated threads, seed 7, and every labelled set:
`../shared/eval/*.jsonl`, `benchmarks/corpus/*/posts.jsonl`), then times `extract_outcomes`
over them as the block worker calls it (the tagger's mentions and normalised text handed
over) `--passes` times, and reports the fastest pass in CPU seconds (`time.process_time`).
It also prints a hash of every thread's outcomes in both trees: they must be equal.
Printed: per round both trees' CPU-s and the ratio (this / DIR), then min/median/max of the
ratios, with the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _labelled(root: Path) -> list[tuple[str, str, list[str]]]:
    files = [root.parent / "shared" / "eval" / n for n in ("posts.jsonl", "outcomes_posts.jsonl")]
    files += sorted((root / "benchmarks" / "corpus").glob("*/posts.jsonl"))
    threads = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    p = json.loads(line)
                    threads.append(
                        (
                            p["title"],
                            p.get("body") or "",
                            [r["body"] if isinstance(r, dict) else r for r in p.get("replies", [])],
                        )
                    )
    return threads


def _shipped_cues(package: str) -> Any:
    """The cues as a run without a config reads them in that tree: with the side-effect
    filter where the tree has one (`outcome_config.default_cues`), else the cue file alone."""
    try:
        return importlib.import_module(f"{package}.outcome_config").default_cues()
    except ModuleNotFoundError:
        return importlib.import_module(f"{package}.outcomes").load_outcome_cues()


def child(tree: Path, n_threads: int, passes: int) -> None:
    """Time the reader of `tree` (imported from there); print CPU seconds and a hash."""
    sys.path[:0] = [str(tree), str(ROOT / "benchmarks")]
    from generated import generate_threads

    from aggregator.lexicon import load_lexicon
    from aggregator.outcomes import extract_outcomes
    from aggregator.tagger import Tagger

    tagger, cues = Tagger(load_lexicon()), _shipped_cues("aggregator")
    sets = {
        "generated": [
            (t["title"], t["body"], [r["body"] for r in t["replies"]])
            for t in generate_threads(n_threads, 400)
        ],
        "labelled": _labelled(ROOT),
    }
    result: dict[str, object] = {}
    digest = hashlib.sha256()
    for name, threads in sets.items():
        tagged = []
        for title, body, replies in threads:
            _, lowered, norm, mentions = tagger.tag_text(title, body, replies)
            tagged.append(([title, body, *replies], mentions, (lowered, norm)))
        for parts, mentions, normalised in tagged:
            found = extract_outcomes(cues, parts, mentions, normalised)
            digest.update(
                json.dumps(
                    {t: [o.effect, list(o.side_effects)] for t, o in sorted(found.items())}
                ).encode()
            )
        seconds = []
        for _ in range(passes):
            start = time.process_time()
            for parts, mentions, normalised in tagged:
                extract_outcomes(cues, parts, mentions, normalised)
            seconds.append(time.process_time() - start)
        result[name] = min(seconds)
    result["hash"] = digest.hexdigest()[:16]
    import aggregator

    if Path(aggregator.__file__).resolve().parents[1] != tree.resolve():
        raise SystemExit(f"imported {aggregator.__file__}, not from {tree}")
    print(json.dumps(result))


def _base_package(tree: Path, tmp: Path) -> Any:
    """DIR's `aggregator` imported as `aggregator_base` (a copy, imports rewritten)."""
    target = tmp / "aggregator_base"
    shutil.copytree(tree / "aggregator", target)
    for path in target.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"\b(from|import) aggregator\b", r"\1 aggregator_base", text), encoding="utf-8"
        )
    sys.path.insert(0, str(tmp))
    return importlib.import_module("aggregator_base.outcomes")


def in_process(base: Path, n_threads: int, rounds: int, effect_model: bool = False) -> int:
    """Both readers in this process, interleaved (see the module docstring); with
    `effect_model`, this tree's reader carries the opt-in effect model (loaded afresh each
    round, so that every thread's words are new to it as in a run over new threads) and
    reads each 200 threads together, as a block worker does; outcomes are then not
    compared."""
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    from generated import generate_threads

    from aggregator import outcomes
    from aggregator.lexicon import load_lexicon
    from aggregator.tagger import Tagger

    with tempfile.TemporaryDirectory() as tmp:
        old = _base_package(base, Path(tmp))
        readers = {
            "this": (outcomes.extract_outcomes, _shipped_cues("aggregator")),
            "base": (old.extract_outcomes, _shipped_cues("aggregator_base")),
        }
        cues = {tree: pair[1] for tree, pair in readers.items()}
        tagger = Tagger(load_lexicon())
        sets = {
            "generated": [
                (t["title"], t["body"], [r["body"] for r in t["replies"]])
                for t in generate_threads(n_threads, 400)
            ],
            "labelled": _labelled(ROOT),
        }
        differ = False  # (a set whose outcomes differ is still timed: a cue change's cost)
        for name, threads in sets.items():
            tagged = []
            for title, body, replies in threads:
                _, lowered, norm, mentions = tagger.tag_text(title, body, replies)
                tagged.append(([title, body, *replies], mentions, (lowered, norm)))
            verdict = "not compared (effect model)" if effect_model else "identical"
            same = effect_model or all(
                {t: o.as_dict() for t, o in readers["this"][0](readers["this"][1], *x).items()}
                == {t: o.as_dict() for t, o in readers["base"][0](readers["base"][1], *x).items()}
                for x in tagged
            )
            ratios = []
            for round_no in range(rounds):
                if effect_model:
                    cues["this"] = _with_effect_model(readers["this"][1])
                spent = {"this": 0.0, "base": 0.0}
                for chunk_no, lo in enumerate(range(0, len(tagged), 200)):
                    chunk = tagged[lo : lo + 200]
                    order = ["this", "base"] if (round_no + chunk_no) % 2 == 0 else ["base", "this"]
                    for tree in order:
                        extract = readers[tree][0]
                        start = time.process_time()
                        if effect_model and tree == "this":
                            outcomes.extract_outcomes_of(cues[tree], chunk)
                        else:
                            for parts, mentions, normalised in chunk:
                                extract(cues[tree], parts, mentions, normalised)
                        spent[tree] += time.process_time() - start
                ratios.append(spent["this"] / spent["base"])
                print(
                    f"{name} round {round_no + 1}: this {spent['this']:.3f} base "
                    f"{spent['base']:.3f} CPU-s ({ratios[-1]:.2f}); "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
            print(
                f"{name} ({len(tagged)} threads): this / base CPU ratio median "
                f"{statistics.median(ratios):.2f} (min {min(ratios):.2f}, max "
                f"{max(ratios):.2f}) over {rounds} rounds; outcomes "
                f"{verdict if same else 'DIFFER'}",
                flush=True,
            )
            differ = differ or not same
    return 1 if differ else 0


def _with_effect_model(cues: Any) -> Any:
    """This tree's cues with the packaged effect model, freshly loaded (nothing remembered)."""
    from aggregator.outcome_effect_model import (
        PACKAGED_EFFECT_MODEL,
        load_effect_model,
        with_effect_model,
    )

    return with_effect_model(cues, load_effect_model(PACKAGED_EFFECT_MODEL))


def _run(tree: Path, n_threads: int, passes: int) -> dict[str, float | str]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(tree),
            "--threads",
            str(n_threads),
            "--passes",
            str(passes),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"reader child failed:\n{done.stderr}")
    out: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, required=False, metavar="DIR")
    parser.add_argument("--threads", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--in-process", action="store_true", help="both readers in this process, interleaved"
    )
    parser.add_argument(
        "--effect-model",
        action="store_true",
        help="(with --in-process) this tree's reader with the opt-in effect model",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.threads, args.passes)
        return 0
    if args.against is None:
        parser.error("--against DIR is required")
    base = args.against.resolve()
    if args.in_process:
        return in_process(base, args.threads, args.rounds, args.effect_model)
    if args.effect_model:
        parser.error("--effect-model needs --in-process")
    ratios: dict[str, list[float]] = {"generated": [], "labelled": []}
    hashes = set()
    for round_no in range(args.rounds):
        trees = [("this", ROOT), ("base", base)]
        done = {
            name: _run(tree, args.threads, args.passes)
            for name, tree in (trees if round_no % 2 == 0 else trees[::-1])
        }
        hashes |= {str(d["hash"]) for d in done.values()}
        parts = []
        for key in ratios:
            this, old = float(done["this"][key]), float(done["base"][key])
            ratios[key].append(this / old)
            parts.append(f"{key} this {this:.3f} base {old:.3f} CPU-s ({this / old:.2f})")
        print(
            f"round {round_no + 1}: " + "; ".join(parts) + f"; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    for key, values in ratios.items():
        print(
            f"{key}: this / base CPU ratio median {statistics.median(values):.2f} "
            f"(min {min(values):.2f}, max {max(values):.2f}) over {args.rounds} rounds"
        )
    print(
        "outcome hashes: "
        + ", ".join(sorted(hashes))
        + (" (equal)" if len(hashes) == 1 else " (DIFFER)")
    )
    return 0 if len(hashes) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
