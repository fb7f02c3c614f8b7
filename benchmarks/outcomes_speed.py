"""What outcomes + summaries add to `aggregate()`: paired full runs with and without them.

    python benchmarks/outcomes_speed.py [--threads 20000] [--studies 400] [--runs 3]
                                        [--profile]

Builds the generated database of `benchmarks/aggregate.py` (same generator, same seeds),
then runs full `aggregate()` rounds alternately with `outcomes=False` and `outcomes=True`,
each in a fresh child process, and prints CPU seconds (workers included) and wall seconds
of each, the paired ratio (with / without) per round and its median, with the load average.
Target (issue 13): the median CPU ratio <= 1.50. `--profile` also times, in this process,
tagging, outcome extraction and summaries of the same threads (CPU seconds per stage).
"""

from __future__ import annotations

import argparse
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

from aggregate import build_db, generate_threads  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcomes import extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.run import aggregate  # noqa: E402
from aggregator.summaries import summarise  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402


def child(url: str, outcomes: bool) -> None:
    """One full aggregate in this fresh process; prints wall and CPU seconds as JSON."""
    engine = make_engine(url)
    start = time.perf_counter()
    aggregate(session_factory(engine), full=True, lexicon=load_lexicon(), outcomes=outcomes)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu_s": own.ru_utime + own.ru_stime
                      + kids.ru_utime + kids.ru_stime}))


def _run(url: str, outcomes: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", "on" if outcomes else "off", "--db-url", url]
    done = subprocess.run(args, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(f"aggregate child failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def profile(n_threads: int, n_studies: int) -> None:
    """CPU seconds of tagging, outcome extraction and summaries over the same threads."""
    threads = generate_threads(n_threads, n_studies)
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    tagged = []
    start = time.process_time()
    for t in threads:
        replies = [r["body"] for r in t["replies"]]
        tags, norm, mentions = tagger.tag_with_mentions(t["title"], t["body"], replies)
        tagged.append((t["title"], t["body"], replies, norm, mentions, tags))
    tag_s = time.process_time() - start
    start = time.process_time()
    for title, body, replies, _, mentions, _ in tagged:
        extract_outcomes(cues, [title, body, *replies], mentions)
    out_s = time.process_time() - start
    start = time.process_time()
    for title, body, replies, norm, _, tags in tagged:
        summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
    sum_s = time.process_time() - start
    print(f"profile, {n_threads} threads (CPU s): tagging {tag_s:.2f}, outcomes {out_s:.2f}, "
          f"summaries {sum_s:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--studies", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db_url, args.child == "on")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build_db(url, args.threads, args.studies)
        ratios: list[float] = []
        wall: list[float] = []
        for round_no in range(args.runs):
            off, on = _run(url, False), _run(url, True)
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
