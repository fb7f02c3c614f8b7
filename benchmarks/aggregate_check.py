"""Digest of everything `aggregate()` stores, to prove a speed change leaves it unchanged.

    python benchmarks/aggregate_check.py --db GENERATED.db [--code DIR] [--change 0.05]
    python benchmarks/aggregate_check.py --dev [EVAL_DIR] [--code DIR]

`--db`: a database made by `benchmarks/aggregate.py --db FILE` is copied, then a full
`aggregate()` runs on the copy (forked workers from 20,000 threads on), then an incremental
one after `--change` of the threads were edited; the digest of the stored tables is printed
after each. `--dev`: the labelled dev corpus (`../shared/eval`) stored and aggregated as
`benchmarks/quality.py` does. `--code DIR` runs the hairlink checkout in DIR instead of this
one (e.g. a detached worktree of main), so two checkouts can be compared line by line.

What is digested (SHA-256 of the rows in key order): thread tags (mentions, forms,
locations, effect, side effects), links (kind, score, evidence), topic candidates, each
thread's summary and aggregated hash, each study's tags, floor and aggregated hash, similar
studies and the aggregator's meta entries. Every run uses `PYTHONHASHSEED=0`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TABLES = {
    "thread_treatment": "SELECT thread_id, treatment_id, mentions, forms, locations, effect, "
                        "side_effects FROM thread_treatment ORDER BY thread_id, treatment_id",
    "thread_study_link": "SELECT thread_id, study_id, kind, score, evidence "
                         "FROM thread_study_link ORDER BY thread_id, study_id, kind",
    "topic_candidate": "SELECT thread_id, study_id, score, evidence FROM topic_candidate "
                       "ORDER BY thread_id, study_id",
    "thread": "SELECT id, summary, aggregated_hash FROM thread ORDER BY id",
    "study": "SELECT id, topic_floor, aggregated_hash FROM study ORDER BY id",
    "study_treatment": "SELECT study_id, treatment_id FROM study_treatment "
                       "ORDER BY study_id, treatment_id",
    "similar_study": "SELECT study_id, similar_id, rank, score FROM similar_study "
                     "ORDER BY study_id, similar_id",
    "meta": "SELECT key, value FROM meta WHERE key LIKE 'aggregator.%' ORDER BY key",
}

_RUN = """
import sys
from aggregator.run import aggregate
from models.db import make_engine, session_factory
engine = make_engine(sys.argv[1])
print(aggregate(session_factory(engine), full=sys.argv[2] == "full").summary())
"""

_DEV = """
import sys
from pathlib import Path
from aggregator.quality import load_corpus, run_system
import aggregator.quality as quality
posts, studies = load_corpus(Path(sys.argv[2]))
# run_system stores the corpus into a temporary database it deletes: keep ours instead
quality.tempfile.TemporaryDirectory = lambda: _Keep()
class _Keep:
    def __enter__(self): return sys.argv[1]
    def __exit__(self, *exc): return False
run_system(posts, studies)
"""


def digest(path: Path) -> dict[str, tuple[int, str]]:
    """(row count, SHA-256) of each digested table of a SQLite file."""
    out: dict[str, tuple[int, str]] = {}
    with sqlite3.connect(path) as conn:
        for name, sql in TABLES.items():
            h = hashlib.sha256()
            count = 0
            for row in conn.execute(sql):
                h.update(repr(row).encode())
                count += 1
            out[name] = (count, h.hexdigest()[:16])
    return out


def _python(code: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-c", *args], check=True, env=env, cwd=code)


def change_threads(path: Path, share: float) -> int:
    """Edit the body of every `1/share`-th thread (new text, new content hash)."""
    step = max(1, round(1 / share))
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, body FROM thread WHERE id % ? = 0", (step,)).fetchall()
        conn.executemany(
            "UPDATE thread SET body = ?, content_hash = ? WHERE id = ?",
            [(body + " Edit: switched to dut 0.5mg and Nizoral twice a week.",
              hashlib.sha1(f"changed{i}".encode()).hexdigest(), i) for i, body in rows])
    return len(rows)


def _print(label: str, digests: dict[str, tuple[int, str]]) -> None:
    print(label)
    for name, (count, value) in digests.items():
        print(f"  {name:18} {count:8} rows  {value}")
    total = hashlib.sha256(repr(sorted(digests.items())).encode()).hexdigest()[:16]
    print(f"  {'all':18} {'':8}       {total}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a generated SQLite database (left as it is)")
    parser.add_argument("--dev", nargs="?", const=ROOT.parent / "shared" / "eval", type=Path,
                        help="the labelled corpus folder (default ../shared/eval)")
    parser.add_argument("--code", type=Path, default=ROOT, help="hairlink checkout to run")
    parser.add_argument("--change", type=float, default=0.05,
                        help="share of threads edited before the incremental run")
    args = parser.parse_args()
    code = args.code.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "check.db"
        if args.dev:
            _python(code, _DEV, str(work.parent), str(args.dev.resolve()))
            _print(f"dev corpus {args.dev}, code {code}", digest(Path(tmp) / "eval.db"))
            return 0
        if args.db is None:
            parser.error("--db or --dev")
        shutil.copy(args.db, work)
        url = f"sqlite:///{work}"
        _python(code, _RUN, url, "full")
        _print(f"full run on a copy of {args.db}, code {code}", digest(work))
        changed = change_threads(work, args.change)
        _python(code, _RUN, url, "incremental")
        _print(f"incremental run after {changed} threads changed", digest(work))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
