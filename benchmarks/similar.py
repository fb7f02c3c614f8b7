"""Similar-research speed: `aggregator.similar.update_similar` on a generated catalogue.

    python benchmarks/similar.py [--studies 20000] [--db-url URL]

Generates `--studies` studies (title and ~120-word abstract drawn from a Zipf-distributed
vocabulary plus treatment names, MeSH terms, 1-3 treatments each, ~15 references each, half
of them to other catalogue studies, half to outside papers) into a fresh database (a
temporary SQLite file unless `--db-url` names another; its study tables are emptied first),
then times three runs of the similar step as `hairlink aggregate` calls it: a first run
(everything computed and stored), a second one with nothing changed (skipped), and one after
one study's abstract changed (everything recomputed, only changed lists written). Prints one
JSON line with the seconds of each (wall clock; for the first run also this process's CPU
seconds, which a loaded shared machine inflates less), its phases and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select, update  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.similar import update_similar  # noqa: E402
from aggregator.store import sync_treatments  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402
from models.entities import (  # noqa: E402
    ReferencePaper,
    SimilarStudy,
    Study,
    StudyReference,
    StudyTreatment,
)
from models.migrate import upgrade  # noqa: E402

TREATMENTS = ["minoxidil", "finasteride", "dutasteride", "microneedling", "ketoconazole",
              "rosemary_oil", "prp", "lllt", "spironolactone", "saw_palmetto", "caffeine",
              "tretinoin", "latanoprost", "hair_transplant", "pumpkin_seed_oil", "iron"]


def generate(count: int, seed: int = 7) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(studies, study_treatment rows, reference papers, reference edges)."""
    rng = random.Random(seed)
    vocab = [f"w{n}" for n in range(4000)]
    weights = [1.0 / (n + 1) for n in range(len(vocab))]
    now = datetime.now(UTC)
    studies, tags, papers, edges = [], [], [], []
    for n in range(count):
        chosen = rng.sample(TREATMENTS, rng.choice((1, 1, 2, 3)))
        names = [t.replace("_", " ") for t in chosen]
        title = " ".join(rng.choices(vocab, weights, k=8) + names)
        abstract = " ".join(rng.choices(vocab, weights, k=110) + names * 3)
        studies.append({"id": n + 1, "pmid": str(97_000_000 + n), "title": title,
                        "abstract": abstract, "mesh_terms": ["Alopecia", names[0].title()],
                        "authors": [], "publication_types": [], "created_at": now,
                        "updated_at": now, "content_hash": f"h{n}"})
        tags.extend({"study_id": n + 1, "treatment_id": t} for t in chosen)
    for n in range(count):
        cited = rng.sample(range(1, count + 1), 8)
        position = 0
        for other in cited:
            if other != n + 1:
                edges.append({"citing_study_id": n + 1, "position": position,
                              "cited_study_id": other, "cited_paper_id": None})
                position += 1
        for _ in range(7):
            paper = rng.randrange(1, count * 2)
            edges.append({"citing_study_id": n + 1, "position": position,
                          "cited_study_id": None, "cited_paper_id": paper})
            position += 1
    papers = [{"id": p, "doi": f"10.5555/out.{p}", "title": f"Outside {p}", "pub_year": 2000,
               "created_at": now} for p in range(1, count * 2)]
    used = {e["cited_paper_id"] for e in edges if e["cited_paper_id"]}
    papers = [p for p in papers if p["id"] in used]
    return studies, tags, papers, edges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--studies", type=int, default=20_000)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'similar.db'}"
        engine = make_engine(url)
        upgrade(engine)
        lexicon = load_lexicon()
        tagger = Tagger(lexicon)
        make_session = session_factory(engine)
        studies, tags, papers, edges = generate(args.studies)
        with make_session() as session, session.begin():
            for table in (SimilarStudy, StudyReference, ReferencePaper, StudyTreatment, Study):
                session.execute(delete(table))
            sync_treatments(session, lexicon)
            for table, rows in ((Study, studies), (StudyTreatment, tags),
                                (ReferencePaper, papers), (StudyReference, edges)):
                for start in range(0, len(rows), 5000):
                    session.execute(table.__table__.insert(), rows[start:start + 5000])
        cpu = time.process_time()
        first = update_similar(make_session, tagger)
        first_cpu = time.process_time() - cpu
        second = update_similar(make_session, tagger)
        with make_session() as session, session.begin():
            session.execute(update(Study).where(Study.id == 1).values(
                abstract="finasteride minoxidil changed", content_hash="changed"))
        started, cpu = time.perf_counter(), time.process_time()
        third = update_similar(make_session, tagger)
        third_seconds = time.perf_counter() - started
        third_cpu = time.process_time() - cpu
        with make_session() as session:
            stored = session.scalar(select(func.count()).select_from(SimilarStudy))
        engine.dispose()
    print(json.dumps({
        "studies": args.studies, "edges": len(edges), "database": url.split(":")[0],
        "first_run_s": round(first.seconds, 2), "first_run_cpu_s": round(first_cpu, 2),
        "phases_s": {k: round(v, 2) for k, v in first.timings.items()},
        "phases_cpu_s": {k: round(v, 2) for k, v in first.cpu.items()},
        "unchanged_run_s": round(second.seconds, 2),
        "unchanged_cpu_s": round(sum(second.cpu.values()), 2),
        "unchanged_skipped": second.skipped,
        "one_changed_run_s": round(third_seconds, 2), "one_changed_cpu_s": round(third_cpu, 2),
        "one_changed_lists": third.changed,
        "similar_rows": stored, "loadavg_1m": round(os.getloadavg()[0], 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
