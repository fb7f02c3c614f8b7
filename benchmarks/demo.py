"""How long `hairlink demo` takes, per stage, on a fresh directory and on a second run.

    python benchmarks/demo.py [--runs 1]

Runs the demo (the same `run_demo` the command calls) into a temporary directory, then again
on the same directory (incremental: nothing new), and prints each stage's seconds and the
total. Target (issue 8): a fresh demo in under 60 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hairlink.demo import run_demo

TARGET_SECONDS = 60.0


def timed_run(out: Path) -> tuple[float, dict[str, float]]:
    """(total seconds, seconds per stage) of one demo run into `out`."""
    started = time.perf_counter()
    result = run_demo(out)
    total = time.perf_counter() - started
    return total, {stage.name: stage.seconds for stage in result.stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="fresh directories to time")
    args = parser.parse_args()
    worst = 0.0
    for number in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="hairlink-demo-bench-") as tmp:
            out = Path(tmp) / "demo"
            for label in ("fresh", "again"):
                total, stages = timed_run(out)
                if label == "fresh":
                    worst = max(worst, total)
                per_stage = "  ".join(f"{name} {secs:5.1f}s" for name, secs in stages.items())
                print(f"run {number + 1} {label:5}: total {total:5.1f}s  |  {per_stage}")
    verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
    print(f"slowest fresh demo: {worst:.1f}s ({verdict} the {TARGET_SECONDS:.0f}s target)")


if __name__ == "__main__":
    main()
