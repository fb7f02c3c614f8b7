"""What outcomes + summaries add to `aggregate()`: paired full runs with and without them.

    python benchmarks/outcomes_speed.py [--threads 20000] [--studies 400] [--runs 3]
                                        [--profile]
    python benchmarks/outcomes_speed.py --against DIR [--threads 20000] [--studies 400] [--runs 5]
                                        [--effect-model]
    python benchmarks/outcomes_speed.py --check [--generated 20000]

Builds the generated database of `benchmarks/aggregate.py` (same generator, same seeds),
then runs full `aggregate()` rounds alternately with `outcomes=False` and `outcomes=True`,
each in a fresh child process, and prints CPU seconds (workers included) and wall seconds
of each, the paired ratio (with / without) per round and its median, with the load average.
Target (issue 13): the median CPU ratio <= 1.50. `--profile` also times, in this process,
tagging, outcome extraction and summaries of the same threads (CPU seconds per stage).

`--against DIR` compares two trees (DIR: another hairlink checkout, e.g. `git archive
<commit> | tar -x -C DIR`): each round runs without and with outcomes in both, the trees in
alternating order, and prints both trees' ratios and the CPU of this tree's full run with
outcomes over DIR's (medians over the rounds: before/after figures measured in one run).
`--effect-model` runs this tree's aggregates with the opt-in effect model (`[aggregate]
effect_model = true`; DIR's as they are): what the model adds to a full run.

`--check` proves a speed change left the outcomes alone: it prints a hash of the outcomes
of every thread of the eval dev sets (`../shared/eval/posts.jsonl`, `outcomes_posts.jsonl`),
of every `benchmarks/corpus/*/posts.jsonl` and of generated threads (the aggregate
benchmark's, seed 7), and a second, stricter hash of what was recorded and why (the
reader's trace: treatment, label, cue and sentence, in order). Compare it before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generated import build_db, generate_threads  # noqa: E402

from aggregator import outcome_reading  # noqa: E402
from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcomes import extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.run import aggregate  # noqa: E402
from aggregator.summaries import summarise  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402

# set for a child of this tree that runs with the opt-in effect model (`--effect-model`)
EFFECT_MODEL_ENV = "HAIRLINK_BENCH_EFFECT_MODEL"


def child(url: str, outcomes: bool) -> None:
    """One full aggregate in this fresh process; prints wall and CPU seconds as JSON."""
    engine = make_engine(url)
    cues = None
    if os.environ.get(EFFECT_MODEL_ENV):
        from aggregator.outcome_config import filtered

        cues = filtered(load_outcome_cues(), True, True)
    start = time.perf_counter()
    aggregate(session_factory(engine), full=True, lexicon=load_lexicon(), outcomes=outcomes,
              cues=cues)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu_s": own.ru_utime + own.ru_stime
                      + kids.ru_utime + kids.ru_stime}))


def _run(url: str, outcomes: bool, tree: Path = ROOT, effect_model: bool = False
         ) -> dict[str, float]:
    args = [sys.executable, str(tree / "benchmarks" / "outcomes_speed.py"), "--child",
            "on" if outcomes else "off", "--db-url", url]
    env = {k: v for k, v in os.environ.items() if k != EFFECT_MODEL_ENV}
    if effect_model:
        env[EFFECT_MODEL_ENV] = "1"
    done = subprocess.run(args, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(tree)})
    if done.returncode:
        raise SystemExit(f"aggregate child failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def profile(n_threads: int, n_studies: int) -> None:
    """CPU seconds of tagging, outcome extraction and summaries over the same threads (as
    `aggregator.blocks` calls them: the reader reuses the tagger's normalised text)."""
    threads = generate_threads(n_threads, n_studies)
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    tagged = []
    start = time.process_time()
    for t in threads:
        replies = [r["body"] for r in t["replies"]]
        tags, lowered, norm, mentions = tagger.tag_text(t["title"], t["body"], replies)
        tagged.append((t["title"], t["body"], replies, lowered, norm, mentions, tags))
    tag_s = time.process_time() - start
    start = time.process_time()
    for title, body, replies, lowered, norm, mentions, _ in tagged:
        extract_outcomes(cues, [title, body, *replies], mentions, (lowered, norm))
    out_s = time.process_time() - start
    start = time.process_time()
    for title, body, replies, _, norm, _, tags in tagged:
        summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
    sum_s = time.process_time() - start
    print(f"profile, {n_threads} threads (CPU s): tagging {tag_s:.2f}, outcomes {out_s:.2f}, "
          f"summaries {sum_s:.2f}")


def _check_sets(generated: int) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """(name, [(title, body, replies)]) of every set the check hashes: the labelled sets,
    the same threads without their title (the reader then takes the body's regimen), the
    real r/tressless listing of ../shared/realdata and generated threads."""
    sets: list[tuple[str, list[tuple[str, str, list[str]]]]] = []
    files = [ROOT.parent / "shared" / "eval" / n for n in ("posts.jsonl", "outcomes_posts.jsonl")]
    files += sorted((ROOT / "benchmarks" / "corpus").glob("*/posts.jsonl"))
    labelled: list[tuple[str, str, list[str]]] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            posts = [json.loads(line) for line in handle if line.strip()]
        threads = [(p["title"], p.get("body") or "",
                    [r["body"] if isinstance(r, dict) else r for r in p.get("replies", [])])
                   for p in posts]
        sets.append((os.path.relpath(path, ROOT), threads))
        labelled += threads
    sets.append(("labelled sets without titles", [("", b, r) for _, b, r in labelled]))
    listing = ROOT.parent / "shared" / "realdata" / "reddit" / \
        "r_tressless_top_t-all_limit100.public_json.2025.json"
    if listing.exists():
        children = json.loads(listing.read_text(encoding="utf-8"))["data"]["children"]
        sets.append(("realdata r/tressless listing",
                     [(c["data"]["title"], html.unescape(c["data"].get("selftext") or ""), [])
                      for c in children]))
    sets.append((f"generated {generated}",
                 [(t["title"], t["body"], [r["body"] for r in t["replies"]])
                  for t in generate_threads(generated, 400)]))
    return sets


def check(generated: int) -> None:
    """Print the hashes of the outcomes (and of the reader's trace) of every check set."""
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    every_out, every_trace = hashlib.sha256(), hashlib.sha256()
    for name, threads in _check_sets(generated):
        out_hash, trace_hash, pairs = hashlib.sha256(), hashlib.sha256(), 0
        for title, body, replies in threads:
            _, lowered, norm, mentions = tagger.tag_text(title, body, replies)
            found = extract_outcomes(cues, [title, body, *replies], mentions, (lowered, norm))
            # the trace of the same reading, run again with its trace on (not by patching
            # `_Extraction.run`: a compiled build's own calls would not see the patch)
            traces: list[list[tuple[str, str, str]]] = []
            reading = outcome_reading.read_thread(cues, [title, body, *replies], mentions,
                                                  (lowered, norm)) if mentions else None
            if reading is not None:
                reading.trace = []
                traces.append(reading.trace)
                if reading.run(sorted({m[2] for m in mentions})) != found:
                    raise SystemExit(f"{name}: a traced reading differs from extract_outcomes")
            alone = extract_outcomes(cues, [title, body, *replies], mentions)
            if alone != found:
                raise SystemExit(f"{name}: outcomes differ with and without `normalised`")
            line = json.dumps({t: [o.effect, list(o.side_effects)]
                               for t, o in sorted(found.items())}) + "\n"
            pairs += len(found)
            out_hash.update(line.encode())
            trace_hash.update((json.dumps(traces[:1]) + "\n").encode())
        every_out.update(out_hash.digest())
        every_trace.update(trace_hash.digest())
        print(f"{name}: {len(threads)} threads, {pairs} pairs, outcomes "
              f"{out_hash.hexdigest()[:16]}, trace {trace_hash.hexdigest()[:16]}")
    print(f"all: outcomes {every_out.hexdigest()[:16]}, trace {every_trace.hexdigest()[:16]}")


def against(base: Path, n_threads: int, n_studies: int, runs: int,
            effect_model: bool = False) -> int:
    """Paired rounds of both trees (this one and `base`), each without and with outcomes."""
    if not (base / "benchmarks" / "outcomes_speed.py").exists():
        raise SystemExit(f"{base}: no benchmarks/outcomes_speed.py there")
    figures: dict[str, list[float]] = {"this": [], "base": [], "cpu": []}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build_db(url, n_threads, n_studies)
        for round_no in range(runs):
            trees = [("this", ROOT), ("base", base)]
            done: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
            for name, tree in trees if round_no % 2 == 0 else trees[::-1]:
                model = effect_model and name == "this"
                done[name] = (_run(url, False, tree, model), _run(url, True, tree, model))
            for name, (off, on) in done.items():
                figures[name].append(on["cpu_s"] / off["cpu_s"])
            figures["cpu"].append(done["this"][1]["cpu_s"] / done["base"][1]["cpu_s"])
            print(f"round {round_no + 1}: " + "; ".join(
                f"{name} without {off['cpu_s']:.2f} with {on['cpu_s']:.2f} CPU-s "
                f"(ratio {on['cpu_s'] / off['cpu_s']:.2f})" for name, (off, on) in done.items())
                + f"; load {os.getloadavg()[0]:.2f}")
    line = {k: f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
            for k, v in figures.items()}
    print(f"{n_threads} threads x {n_studies} studies, median (min-max) of {runs} paired "
          f"rounds: with/without outcomes CPU ratio this tree {line['this']}, {base} "
          f"{line['base']}; this tree's full run with outcomes / base's {line['cpu']}; "
          f"target ratio <= 1.50")
    return 0 if statistics.median(figures["this"]) <= 1.5 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--studies", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help="print the hashes of the outcomes of the check sets, then exit")
    parser.add_argument("--generated", type=int, default=20000,
                        help="generated threads in the --check sets")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="also run the hairlink tree in DIR, alternating, and compare")
    parser.add_argument("--effect-model", action="store_true",
                        help="this tree's aggregates with the opt-in effect model")
    parser.add_argument("--child", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db_url, args.child == "on")
        return 0
    if args.check:
        check(args.generated)
        return 0
    if args.against:
        return against(args.against.resolve(), args.threads, args.studies, args.runs,
                       args.effect_model)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build_db(url, args.threads, args.studies)
        ratios: list[float] = []
        wall: list[float] = []
        for round_no in range(args.runs):
            off = _run(url, False, effect_model=args.effect_model)
            on = _run(url, True, effect_model=args.effect_model)
            ratios.append(on["cpu_s"] / off["cpu_s"])
            wall.append(on["seconds"] / off["seconds"])
            print(f"round {round_no + 1}: without {off['cpu_s']:.2f} CPU-s "
                  f"{off['seconds']:.2f} s; with {on['cpu_s']:.2f} CPU-s {on['seconds']:.2f} s; "
                  f"ratio CPU {ratios[-1]:.2f}, wall {wall[-1]:.2f}; "
                  f"load {os.getloadavg()[0]:.2f}")
    print(f"{args.threads} threads x {args.studies} studies: outcomes + summaries add "
          f"{(statistics.median(ratios) - 1) * 100:.0f}% CPU (median of {args.runs} paired "
          f"rounds; wall {(statistics.median(wall) - 1) * 100:.0f}%), target <= 50%")
    if args.profile:
        profile(args.threads, args.studies)
    return 0 if statistics.median(ratios) <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
