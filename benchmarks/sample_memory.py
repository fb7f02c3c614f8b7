"""Follow a running `benchmarks/aggregate.py`: its aggregate child's memory and progress.

    python benchmarks/sample_memory.py DRIVER_PID DB_FILE [--every 30]

Every `--every` seconds, until the driver exits: the child's (the process run with
`--child`) `VmHWM` and `VmRSS` from `/proc/<pid>/status` (the main process's own, not the
driver's or the workers') and the highest thread id tagged so far in the SQLite file
(read-only), with the load average. For runs too long to wait for: stopped early, the
last lines say how far it got and at what peak.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

import psutil


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("driver", type=int)
    parser.add_argument("db", type=Path)
    parser.add_argument("--every", type=float, default=30.0)
    args = parser.parse_args()
    start = time.time()
    while psutil.pid_exists(args.driver):
        children = [p for p in psutil.Process(args.driver).children()
                    if "--child" in p.cmdline()]
        if children:
            status = _status(children[0].pid)
            try:
                with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=5) as conn:
                    top = conn.execute("SELECT max(thread_id) FROM thread_treatment").fetchone()[0]
            except sqlite3.Error as error:
                top = f"? ({error})"
            print(f"{time.strftime('%H:%M:%S')} +{time.time() - start:.0f}s pid "
                  f"{children[0].pid} VmHWM {status['VmHWM']} VmRSS {status['VmRSS']} "
                  f"max tagged thread id {top} load {psutil.getloadavg()[0]:.1f}", flush=True)
        time.sleep(args.every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
