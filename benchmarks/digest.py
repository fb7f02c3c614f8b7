"""Time of the HTML digest export: 1,000 studies with up to 50 related threads each.

    python benchmarks/digest.py [--studies 1000] [--max-threads 50] [--charts auto]

Bulk-generates a SQLite database (executemany) where every study links to 1..50 threads
(tagged with 1-3 treatments, a few citations), then times, in process,
`aggregator.digest.export_digests(..., "html", ...)` for every study (pages + index.html),
and separately the cost of one chart with each renderer. Prints the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aggregator.digest import export_digests
from aggregator.digest.charts import MatplotlibCharts, SvgCharts, chart_data
from models.db import make_engine, session_factory
from models.digest_queries import all_study_ids, load_digests
from models.entities import Base

TREATMENTS = ["minoxidil", "finasteride", "dutasteride", "ketoconazole", "microneedling",
              "ru58841", "tretinoin", "spironolactone", "saw_palmetto", "rosemary_oil",
              "caffeine", "biotin", "lllt", "prp", "hair_transplant"]
BODY = ("Month {m} on fin 1mg and topical minox 5%, added microneedling 1.5mm weekly. Crown is "
        "thicker, temples the same. Anyone tried RU58841 or dutasteride mesotherapy after a "
        "plateau? Bloods fine, no sides so far. Shedding stopped around month four and the "
        "hairline looks stable in the same light. ") * 2


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, n_studies: int, max_threads: int, seed: int = 11) -> int:
    """Studies with 1..max_threads linked threads each; returns the number of links."""
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    links = 0
    with con:
        con.execute("INSERT INTO source (id, name, kind, base_url, created_at) "
                    "VALUES (1, 'tressless', 'reddit', 'https://oauth.reddit.com', ?)",
                    (_ts(now),))
        con.executemany("INSERT INTO treatment (id, name, category) VALUES (?,?,?)",
                        [(t, t, "drug") for t in TREATMENTS])
        studies, threads, tags, link_rows, study_tags = [], [], [], [], []
        thread_id = 0
        for s in range(1, n_studies + 1):
            studies.append((s, str(20_000_000 + s), f"10.1000/digest.{s}",
                            f"Study {s}: topical versus oral treatment of pattern hair loss",
                            '["A. Author", "B. Author", "C. Author"]', "Journal of Hair",
                            2000 + s % 26, 1 + s % 12, "An abstract. " * 40,
                            "A one-sentence TLDR.", s % 300, "[]", "[]",
                            f"https://doi.org/10.1000/digest.{s}", _ts(now), _ts(now), ""))
            study_tags.append((s, TREATMENTS[s % len(TREATMENTS)]))
            for rank in range(rng.randint(1, max_threads)):
                thread_id += 1
                created = now - timedelta(days=rng.randrange(0, 3 * 365))
                threads.append((thread_id, 1, f"t{thread_id}",
                                f"https://www.reddit.com/r/tressless/comments/t{thread_id}/",
                                f"Thread {thread_id}: my {rank + 1} month update",
                                BODY.format(m=rank + 1), "Progress Pictures",
                                rng.choice([None, rng.randrange(0, 3000)]),
                                rng.randrange(0, 300), _ts(created), _ts(now), _ts(now), ""))
                for t in set(rng.choices(TREATMENTS, k=rng.randint(1, 3))):
                    tags.append((thread_id, t, 1, "[]", "[]"))
                kind = "citation" if rank < 2 and rng.random() < 0.3 else "topic"
                link_rows.append((thread_id, s, kind, round(rng.random(), 4), "{}"))
        con.executemany(
            "INSERT INTO study (id, pmid, doi, title, authors, journal, pub_year, pub_month,"
            " abstract, tldr, citation_count, mesh_terms, publication_types, url, created_at,"
            " updated_at, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", studies)
        con.executemany("INSERT INTO study_treatment (study_id, treatment_id) VALUES (?,?)",
                        study_tags)
        con.executemany(
            "INSERT INTO thread (id, source_id, external_id, url, title, body, category, score,"
            " num_comments, created_at, first_seen_at, last_seen_at, content_hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", threads)
        con.executemany("INSERT INTO thread_treatment (thread_id, treatment_id, mentions,"
                        " forms, locations) VALUES (?,?,?,?,?)", tags)
        con.executemany("INSERT INTO thread_study_link (thread_id, study_id, kind, score,"
                        " evidence) VALUES (?,?,?,?,?)", link_rows)
        links = len(link_rows)
    con.execute("ANALYZE")
    con.close()
    return links


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--max-threads", type=int, default=50)
    parser.add_argument("--charts", default="auto", help="auto, svg, matplotlib or none")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hairlink-digest-bench-"))
    try:
        started = time.perf_counter()
        links = generate(tmp / "digest.db", args.studies, args.max_threads)
        print(f"generated {args.studies:,} studies with {links:,} linked threads in "
              f"{time.perf_counter() - started:.1f} s")
        engine = make_engine(f"sqlite:///{tmp / 'digest.db'}")
        with session_factory(engine)() as session:
            ids = all_study_ids(session)
            print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            started, started_cpu = time.perf_counter(), time.process_time()
            report = export_digests(session, ids, "html", tmp / "site", charts=args.charts)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - started_cpu
            size = sum(p.stat().st_size for p in report.files)
            print(f"html digests: {report.studies:,} studies, {report.threads:,} thread cards, "
                  f"{len(report.files):,} files ({size / 1e6:.1f} MB), charts={report.charts}: "
                  f"{elapsed:.2f} s wall, {cpu:.2f} s cpu "
                  f"({elapsed / max(report.studies, 1) * 1000:.1f} ms/study) "
                  f"-> {'OK' if elapsed <= 30 else 'OVER'} (target <= 30 s); "
                  f"load average after: {os.getloadavg()[0]:.1f}")
            sample = load_digests(session, ids[:20])
        engine.dispose()
        for renderer in (SvgCharts(), MatplotlibCharts()):
            data = [chart_data(d.months, d.treatment_mix) for d in sample]
            renderer.svg(data[0])
            started = time.perf_counter()
            for item in data:
                renderer.svg(item)
            per = (time.perf_counter() - started) / len(data) * 1000
            print(f"one chart with {renderer.name:<10}: {per:7.2f} ms "
                  f"(x {args.studies:,} studies = {per * args.studies / 1000:.1f} s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
