"""Before/after of the crawl, paired: bare Scrapy, hairlink at a baseline tree, hairlink here.

    python benchmarks/crawl_pair.py BASELINE_TREE [--engine xenforo] [--rounds 3]

BASELINE_TREE is a checkout of the code to compare with (`git worktree add --detach
/tmp/base main`). One loopback server (`benchmarks/crawl.py`'s generated board) serves all
three crawls of a round, the order reversed every round; per round it prints each side's
CPU milliseconds per thread page (engine start to spider close) and the CPU and wall ratios
against the bare spider (given hairlink's `CONCURRENT_ITEMS=4`), then the medians.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import runpy
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import crawl as bench

HERE = str(Path(__file__).resolve().parents[1])


def hairlink(root: str, base: str, tmp: Path, engine: str) -> tuple[float, float]:
    """(CPU seconds, pages a second) of a hairlink crawl with the code of tree `root`."""
    db = tmp / "bench.db"
    db.unlink(missing_ok=True)
    bench.init_database(f"sqlite:///{db}")
    config = tmp / "bench.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db}"\n[[sources]]\nname = "bench"\n'
                      f'kind = "{bench.ENGINES[engine][1]}"\nbase_url = "{base}"\n'
                      f"forums = {bench.ENGINES[engine][2]}\nreplies = 10\n", encoding="utf-8")
    log = tmp / "crawl.log"
    log.unlink(missing_ok=True)
    env = {**bench.ENV, "PYTHONPATH": root + os.pathsep + bench.ENV["PYTHONPATH"]}
    subprocess.run([sys.executable, "-m", "scrapers.run", "bench", "--config", str(config),
                    "--log-file", str(log), "--log-level", "INFO", *settings(root)],
                   cwd=root, capture_output=True, env=env, check=True)
    text = log.read_text(encoding="utf-8")

    def stat(name: str) -> float:
        return float(re.search(rf"'{name}': ([\d.]+)", text).group(1))  # type: ignore[union-attr]

    return stat("bench/cpu_seconds"), \
        stat("response_received_count") / stat("elapsed_time_seconds")


def settings(root: str) -> list[str]:
    """`benchmarks/crawl.py`'s settings, with the extensions of tree `root`'s own settings
    (`-s EXTENSIONS=` replaces the project's; each tree keeps its own) plus the CPU meter."""
    own = runpy.run_path(str(Path(root) / "scrapers" / "settings.py"))["EXTENSIONS"]
    return [("EXTENSIONS=" + json.dumps({**own, "crawl_cpu.CpuMeter": 0})
             if arg.startswith("EXTENSIONS=") else arg) for arg in bench.SETTINGS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("baseline")
    parser.add_argument("--engine", choices=list(bench.ENGINES), default="xenforo")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=600)
    args = parser.parse_args()
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=bench.serve, daemon=True,
                                     args=(args.engine, args.threads, ports, stop))
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=300)}"
    cpu: dict[str, list[float]] = {"bare": [], "baseline": [], "here": []}
    ratio: dict[str, list[float]] = {"baseline": [], "here": []}
    wall: dict[str, list[float]] = {"baseline": [], "here": []}
    print(f"{args.engine}: load average {os.getloadavg()}", flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            script = tmp / "bare.py"
            script.write_text(bench.BARE_SPIDER, encoding="utf-8")
            for round_ in range(args.rounds):
                order = ["bare", "baseline", "here"]
                got: dict[str, tuple[float, float]] = {}
                for side in order if round_ % 2 == 0 else order[::-1]:
                    if side == "bare":
                        crawl = bench.run_bare(base, args.engine, script, ("CONCURRENT_ITEMS=4",))
                        got[side] = (crawl.cpu, crawl.rate)
                    else:
                        got[side] = hairlink(HERE if side == "here" else args.baseline, base,
                                             tmp, args.engine)
                for side, (seconds, _) in got.items():
                    cpu[side].append(1000 * seconds / args.threads)
                for side in ratio:
                    ratio[side].append(got["bare"][0] / got[side][0])
                    wall[side].append(got[side][1] / got["bare"][1])
                print(f"round {round_ + 1}: CPU ms a thread page bare {cpu['bare'][-1]:.2f}, "
                      f"baseline {cpu['baseline'][-1]:.2f}, here {cpu['here'][-1]:.2f} | CPU "
                      f"ratio {ratio['baseline'][-1]:.2f} -> {ratio['here'][-1]:.2f} | wall "
                      f"ratio {wall['baseline'][-1]:.2f} -> {wall['here'][-1]:.2f} | load "
                      f"{os.getloadavg()[0]:.1f}", flush=True)
    finally:
        stop.set()
        server.join(timeout=10)
    median = statistics.median
    for side in ratio:
        print(f"{side:8} CPU ratio median {median(ratio[side]):.2f} ({min(ratio[side]):.2f}-"
              f"{max(ratio[side]):.2f}), wall ratio median {median(wall[side]):.2f} "
              f"({min(wall[side]):.2f}-{max(wall[side]):.2f}), CPU ms a thread page "
              f"{median(cpu[side]):.2f} (bare {median(cpu['bare']):.2f})")
    print(f"load average now {os.getloadavg()}")


if __name__ == "__main__":
    main()
