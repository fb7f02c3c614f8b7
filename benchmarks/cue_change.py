"""An `aggregate()` after an outcome cue-file change alone: this tree against another.

    python benchmarks/cue_change.py --against DIR [--threads 20000] [--studies 400]
                                    [--rounds 3] [--db FILE]

Builds the generated database of `benchmarks/aggregate.py` (or reuses `--db`), aggregates it
once with the packaged cue file, then per round copies it and runs, in a fresh process per
tree (the trees in alternating order), one `aggregate()` with a cue file that adds one side
effect phrase. Prints CPU seconds (workers included) and wall seconds of each, the medians
and min-max over the rounds, with the load average, and checks that both trees left the same
tags and outcomes, links and summaries (a hash of each table per tree).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generated import build_db  # noqa: E402

# Run in the tree measured (PYTHONPATH): only names every tree since issue 13 has.
CHILD = """
import json, resource, sys, time
from aggregator.lexicon import load_lexicon
from aggregator.outcome_config import filtered
from aggregator.outcomes import load_outcome_cues
from aggregator.run import aggregate
from models.db import make_engine, session_factory
url, cues = sys.argv[1], sys.argv[2]
make = session_factory(make_engine(url))
start = time.perf_counter()
stats = aggregate(make, lexicon=load_lexicon(), cues=filtered(load_outcome_cues(cues or None)))
seconds = time.perf_counter() - start
print(stats.summary(), file=sys.stderr)
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime
                  + kids.ru_stime, "tagged": stats.threads_tagged}))
"""
CUES = '[side_effects]\nskin = ["hairline is holding"]\n'  # (moves many outcomes)
TABLES = {  # what a cue change may touch, read in a fixed order
    "tags": "SELECT thread_id, treatment_id, mentions, forms, locations, effect, side_effects "
            "FROM thread_treatment ORDER BY thread_id, treatment_id",
    "links": "SELECT thread_id, study_id, kind, score, evidence FROM thread_study_link "
             "ORDER BY thread_id, study_id, kind",
    "summaries": "SELECT id, summary FROM thread ORDER BY id",
}


def run_tree(tree: Path, db: Path, cues: str) -> dict[str, float]:
    """One aggregate in a fresh process of `tree` over the SQLite file `db`."""
    done = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{db}", cues], cwd=tree,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    if done.returncode:
        raise SystemExit(f"{tree}: aggregate failed:\n{done.stderr}")
    print(f"  {tree}: {done.stderr.strip().splitlines()[-1]}", flush=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table_hashes(db: Path) -> dict[str, str]:
    """A hash of each table a cue change may touch."""
    out = {}
    with sqlite3.connect(db) as connection:
        for name, sql in TABLES.items():
            digest = hashlib.sha256()
            for row in connection.execute(sql):
                digest.update(repr(row).encode())
            out[name] = digest.hexdigest()[:16]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, required=True, metavar="DIR")
    parser.add_argument("--threads", type=int, default=20_000)
    parser.add_argument("--studies", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="an aggregated database to reuse (made if absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            build_db(f"sqlite:///{db}", args.threads, args.studies)
            run_tree(ROOT, db, "")  # aggregated with the packaged cues
        cues = Path(tmp) / "cues.toml"
        cues.write_text(CUES, encoding="utf-8")
        figures: dict[str, list[dict[str, float]]] = {"this": [], "base": []}
        hashes: dict[str, dict[str, str]] = {}
        trees = [("this", ROOT), ("base", args.against.resolve())]
        for round_no in range(args.rounds):
            for name, tree in trees if round_no % 2 == 0 else trees[::-1]:
                copy = Path(tmp) / f"{name}.db"
                shutil.copyfile(db, copy)
                figures[name].append(run_tree(tree, copy, str(cues)))
                hashes[name] = table_hashes(copy)
                copy.unlink()
            print(f"round {round_no + 1}: " + "; ".join(
                f"{n} {f[-1]['cpu_s']:.2f} CPU-s {f[-1]['seconds']:.2f} s "
                f"({f[-1]['tagged']} re-tagged)" for n, f in figures.items())
                + f"; load {os.getloadavg()[0]:.2f}", flush=True)
    for name, runs in figures.items():
        cpu, wall = [r["cpu_s"] for r in runs], [r["seconds"] for r in runs]
        print(f"{name}: CPU-s median {statistics.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f})"
              f", wall s {statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f}); "
              f"tables {hashes[name]}")
    ratio = [a["cpu_s"] / b["cpu_s"]
             for a, b in zip(figures["this"], figures["base"], strict=True)]
    same = hashes["this"] == hashes["base"]
    print(f"this / base CPU: median {statistics.median(ratio):.2f} ({min(ratio):.2f}-"
          f"{max(ratio):.2f}); tables {'the same' if same else 'DIFFER'}")
    return 0 if hashes["this"] == hashes["base"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
