"""Start-up time of the light CLI commands: wall and CPU seconds of each, over several runs.

    python benchmarks/startup.py [--runs 10] [--db PATH] [--against OTHER_PYTHON]

Initialises a SQLite database (`hairlink init`, in a temporary folder unless --db names
one), then runs `hairlink --help`, `--version`, `sources`, `posts` and `studies` against it
as fresh subprocesses (`python -m hairlink`, output to /dev/null), interleaved, `--runs`
times each. Prints min / median / max wall seconds and the median CPU seconds (user +
system of the child) per command against the 0.5 s target, and the load average before and
after: on a busy machine read the CPU column, wall-clock is noise.
With `--against PYTHON` (another checkout's venv python) each run of this checkout is paired
with one of that one and the median CPU ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.5
COMMANDS = (["--help"], ["--version"], ["sources"], ["posts"], ["studies"])
ROOT = Path(__file__).resolve().parents[1]


def run_once(python: str, args: list[str], env: dict[str, str],
             cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `python -m hairlink ARGS`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([python, "-m", "hairlink", *args], env=env, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    """Time every light command and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument("--against", help="another checkout's python, paired run by run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "startup.db"
        env = {**os.environ, "HAIRLINK_DATABASE_URL": f"sqlite:///{db}"}
        env.pop("HAIRLINK_CONFIG", None)
        cwd = Path(tmp)  # no hairlink.toml here: the defaults
        subprocess.run([sys.executable, "-m", "hairlink", "init"], env=env, cwd=cwd,
                       check=True, stdout=subprocess.DEVNULL)
        print(f"load average before: {loadavg()}")
        pythons = [sys.executable] + ([args.against] if args.against else [])
        times: dict[tuple[int, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for command in COMMANDS:
                for which, python in enumerate(pythons):
                    times.setdefault((which, " ".join(command)), []).append(
                        run_once(python, command, env, cwd))
        print(f"load average after:  {loadavg()}")
    print(f"{'command':<12}{'wall min':>10}{'median':>10}{'max':>10}{'CPU med':>10}"
          f"{'target':>8}" + ("   CPU ratio" if args.against else ""))
    for command in COMMANDS:
        name = " ".join(command)
        runs = times[(0, name)]
        walls = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        line = (f"{name:<12}{min(walls):>10.3f}{statistics.median(walls):>10.3f}"
                f"{max(walls):>10.3f}{cpu:>10.3f}"
                f"{'met' if statistics.median(walls) < TARGET else 'missed':>8}")
        if args.against:
            ratios = [c / o for (_, c), (_, o) in zip(runs, times[(1, name)], strict=True)
                      if o > 0]
            line += f"   {statistics.median(ratios):.2f}"
        print(line)


if __name__ == "__main__":
    main()
