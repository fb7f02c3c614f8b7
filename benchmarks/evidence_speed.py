"""What the main process spends writing a full run's topic links: before and after, paired.

    python benchmarks/evidence_speed.py --db GENERATED.db [--rounds 5]

Builds and inserts 100,000 topic links and 50,000 candidates (2,000 studies x 75 threads
drawn from the first 8,000 threads of a database made by `benchmarks/aggregate.py --db`,
with their real tags and keywords) into a copy of that database, rolled back after each
round: the code of c8392e5 (evidence dicts, encoded one row at a time by
the JSON column: `old_rows`, kept here as the baseline) and `blocks.topic_rows` +
`store.insert_links` (evidence JSON text from `aggregator.evidence`), alternating in one
process. Prints the CPU seconds of each (median, min-max), the paired ratio and the load
average, and checks that the stored evidence text is the same.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sqlalchemy import text
from threadpoolctl import threadpool_limits

from aggregator import store
from aggregator.blocks import topic_rows
from aggregator.lexicon import load_lexicon
from aggregator.linker import StudyModel, analyse_thread
from aggregator.tagger import Tagger
from aggregator.topic_pool import SCORE_DIGITS
from models.db import make_engine, session_factory
from models.entities import ThreadStudyLink, TopicCandidate

Info = dict[int, tuple[frozenset[str], frozenset[int]]]


def old_rows(model: StudyModel, info: Info, entries: list[tuple[int, int, float]],
             kind: str | None = "topic") -> list[dict[str, Any]]:
    """`blocks.topic_rows` before: the evidence as a dict (the JSON column encodes it)."""
    study_ids = model.ids.tolist()
    treatments = [model.study_treatments(i) for i in range(len(study_ids))]
    nothing: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset())
    rows = []
    for index, thread_id, score in entries:
        tags, terms = info.get(thread_id, nothing)
        row: dict[str, Any] = {
            "thread_id": thread_id, "study_id": study_ids[index],
            "score": round(score, SCORE_DIGITS),
            "evidence": {"treatments": sorted(tags & treatments[index]),
                         "terms": model.shared_terms(terms, index) if terms else []}}
        if kind:
            row["kind"] = kind
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    threadpool_limits(1)
    tagger = Tagger(load_lexicon())
    with session_factory(make_engine(f"sqlite:///{args.db}"))() as session:
        studies, _, _ = store.load_studies(session)
        texts = [t for b in store.iter_all_threads(session, 2000) for t, _ in b][:8000]
    model = StudyModel(studies, tagger)
    info: Info = {}
    for thread in texts:
        a = analyse_thread(tagger, thread)
        info[thread.id] = (frozenset(a.tags),
                           frozenset(model.terms_of_words(Counter(a.norm.split()))))
    rng = random.Random(5)
    ids = list(info)
    entries = [(i, t, rng.random()) for i in range(len(studies)) for t in rng.sample(ids, 75)]
    links, candidates = entries[:100_000], entries[100_000:]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(args.db, db)
        make_session = session_factory(make_engine(f"sqlite:///{db}"))

        def run(new: bool) -> tuple[float, list[str]]:
            with make_session() as session:
                start = time.process_time()
                if new:
                    store.insert_links(session, topic_rows(model, info, links))
                    store.insert_candidates(session, topic_rows(model, info, candidates,
                                                                kind=None))
                else:
                    store.insert_rows(session, ThreadStudyLink.__table__,
                                      old_rows(model, info, links))
                    store.insert_rows(session, TopicCandidate.__table__,
                                      old_rows(model, info, candidates, kind=None))
                cpu = time.process_time() - start
                stored = list(session.scalars(text(
                    "SELECT evidence FROM thread_study_link ORDER BY rowid")))
                stored += session.scalars(text(
                    "SELECT evidence FROM topic_candidate ORDER BY rowid"))
                session.rollback()
            return cpu, stored

        times: dict[bool, list[float]] = {False: [], True: []}
        stored: dict[bool, list[str]] = {}
        loads = []
        for _ in range(args.rounds):
            for new in (False, True):
                loads.append(os.getloadavg()[0])
                cpu, stored[new] = run(new)
                times[new].append(cpu)
            assert stored[False] == stored[True], "the stored evidence differs"
    ratios = [n / o for o, n in zip(times[False], times[True], strict=True)]
    print(f"before {spread(times[False])} CPU-s, after {spread(times[True])}, paired ratio "
          f"{spread(ratios)}; {len(ratios)} pairs, same stored evidence; 1-min load average "
          f"{min(loads):.1f}-{max(loads):.1f}")
    return 0


def spread(values: list[float]) -> str:
    """`median (min-max)`."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


if __name__ == "__main__":
    raise SystemExit(main())
