"""Worker CPU of two checkouts, paired: `process_block` as a full run drives it, in one process.

    python benchmarks/blocks_pair.py --db GENERATED.db --against DIR [--threads 12000]
                                     [--rounds 3]

Each round runs, in fresh processes and alternating (DIR first on odd rounds, this checkout
first on even ones), `aggregator.blocks.process_block` over the first `--threads` threads of
a database made by `benchmarks/aggregate.py --db FILE`, in blocks of 1,000 with the
candidate pool's floor rising as in a full run; prints the CPU seconds of `process_block`
(`time.process_time`, one BLAS thread) per run, the paired ratios and the load average.
It isolates the workers' code from the run's reads, writes and process start-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from aggregator import store
from aggregator.blocks import RunState, process_block
from aggregator.lexicon import load_lexicon
from aggregator.link_types import LinkSettings
from aggregator.linker import StudyModel
from aggregator.outcomes import load_outcome_cues
from aggregator.tagger import Tagger
from aggregator.topic_pool import CandidatePool
from models.db import make_engine, session_factory
db, n = sys.argv[1], int(sys.argv[2])
threadpool_limits(1)
make = session_factory(make_engine(f"sqlite:///{db}"))
tagger = Tagger(load_lexicon())
with make() as session:
    studies, _, _ = store.load_studies(session)
    texts = []
    for batch in store.iter_all_threads(session, 2000):
        texts.extend(text for text, _ in batch)
        if len(texts) >= n:
            break
texts = texts[:n]
model = StudyModel(studies, tagger)
settings = LinkSettings()
run = RunState(tagger, model, settings, np.ones(len(studies), bool), set(), True,
               load_outcome_cues())
pool = CandidatePool(settings.max_topic_links + settings.max_topic_links // 2, len(studies))
cpu = 0.0
for i in range(0, n, 1000):
    start = time.process_time()
    block = process_block(run, texts[i:i + 1000], pool.floor.copy())
    cpu += time.process_time() - start
    pool.add(block.s, block.t, block.v)
print(cpu)
"""


def _cpu(code: Path, db: Path, threads: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(threads)], cwd=code,
                         env=env, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--against", type=Path, required=True, metavar="DIR")
    parser.add_argument("--threads", type=int, default=12_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"no database at {args.db}")
    db, base = args.db.resolve(), args.against.resolve()
    ratios: list[float] = []
    for round_ in range(args.rounds):
        order = [base, ROOT] if round_ % 2 == 0 else [ROOT, base]
        cpu = {code: _cpu(code, db, args.threads) for code in order}
        ratios.append(cpu[ROOT] / cpu[base])
        print(f"round {round_ + 1}: {base.name} {cpu[base]:.2f} CPU-s, this {cpu[ROOT]:.2f} "
              f"CPU-s, ratio {ratios[-1]:.3f}; load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"paired ratio this / {base.name}: median {statistics.median(ratios):.3f} "
          f"({min(ratios):.3f}-{max(ratios):.3f}) over {len(ratios)} rounds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
