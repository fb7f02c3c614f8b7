"""Latency of the posts query API on a large generated SQLite database.

    python benchmarks/query.py [--threads 1000000] [--db PATH] [--runs 40] [--keep]

Generates (or reuses, with --db and --keep) a SQLite database with N threads over 3 sources,
~1.6 thread-treatment rows per thread (skewed: minoxidil and finasteride are common, the tail
is rare), 1,000 studies and ~100k thread-study links, bulk-inserted with executemany. Then it
times, in process through `models.post_queries.query_posts`, the CLI's queries:

- `posts --study pmid:N` (default limit 50, relevance order) for random studies
- `posts --treatment ID --sort score --limit 50` for a common, a middling and a rare treatment

and prints p50 / p95 / max in milliseconds, with SQLite's query plan of each.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from models.db import make_engine, session_factory
from models.entities import Base
from models.fulltext import drop_fulltext
from models.post_queries import _filtered, _ordered, query_posts
from models.post_types import PostQuery
from models.study_keys import find_study

TREATMENTS = [
    "minoxidil", "finasteride", "dutasteride", "ketoconazole", "microneedling", "ru58841",
    "clascoterone", "pyrilutamide", "gt20029", "tretinoin", "spironolactone", "bicalutamide",
    "cetirizine", "latanoprost", "setipiprant", "saw_palmetto", "pumpkin_seed_oil",
    "rosemary_oil", "caffeine", "biotin", "zinc", "pyrithione_zinc", "iron", "vitamin_d",
    "lllt", "prp", "mesotherapy", "exosomes", "hair_transplant", "smp", "scalp_massage",
    "melatonin", "alfatradiol", "castor_oil", "peppermint_oil",
]
# Zipf-like weights: minoxidil ~25% of tags, the tail under 1%.
WEIGHTS = [1 / (rank + 1) ** 1.1 for rank in range(len(TREATMENTS) - 1)]
RARE = "castor_oil"  # tagged on ~100 threads only: the selective-filter path
CHOICES = [t for t in TREATMENTS if t != RARE]
CATEGORIES = ["Progress Pictures", "Question", "Research", "Minoxidil", "Finasteride", None]
N_STUDIES = 1000


def _ts(moment: datetime) -> str:
    """SQLAlchemy's SQLite DATETIME storage format (naive UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def bulk_connection(path: Path, without_fulltext: bool = False) -> sqlite3.Connection:
    """A new database's schema from SQLAlchemy (`without_fulltext`: no full-text index and
    triggers, for a bulk load that rebuilds it once), opened for bulk inserts."""
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    if without_fulltext:
        with engine.begin() as conn:
            drop_fulltext(conn)  # no per-row triggers while bulk loading
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    return con


def insert_sources(con: sqlite3.Connection, now: datetime) -> None:
    """The generated databases' three sources (ids 1-3: Reddit, XenForo, phpBB)."""
    con.executemany(
        "INSERT INTO source (id, name, kind, base_url, created_at) VALUES (?,?,?,?,?)",
        [(1, "tressless", "reddit", "https://oauth.reddit.com", _ts(now)),
         (2, "hairlosstalk", "xenforo", "https://hlt.example", _ts(now)),
         (3, "hairloss-forum", "phpbb", "https://phpbb.example", _ts(now))])


def generate(path: Path, n_threads: int, seed: int = 7) -> None:
    """Create the schema with SQLAlchemy, then bulk-insert rows with executemany."""
    con = bulk_connection(path)
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    started = time.perf_counter()
    with con:
        insert_sources(con, now)
        con.executemany(
            "INSERT INTO treatment (id, name, category) VALUES (?,?,?)",
            [(t, t.replace("_", " "), "drug") for t in TREATMENTS])
        body = ("Month 8 on fin 1mg and topical minox 5%, added microneedling weekly. "
                "Crown thicker, temples the same. ")
        batch: list[tuple[object, ...]] = []
        for i in range(1, n_threads + 1):
            src = 1 + (i % 3)
            created = now - timedelta(seconds=rng.randrange(0, 4 * 365 * 86400))
            score = None if src == 3 else int(rng.paretovariate(1.2)) - 1
            batch.append((i, src, f"t{i}", f"https://forum.example/t/{i}",
                          f"Thread {i} about hair", body, rng.choice(CATEGORIES), score,
                          rng.randrange(0, 200), _ts(created), _ts(now), _ts(now), "0" * 40))
            if len(batch) == 50_000:
                _insert_threads(con, batch)
                batch = []
        if batch:
            _insert_threads(con, batch)
        tags: list[tuple[object, ...]] = []
        for i in range(1, n_threads + 1):
            k = rng.choice((0, 1, 1, 2, 2, 3))
            for treatment in set(rng.choices(CHOICES, WEIGHTS, k=k)):
                tags.append((i, treatment, rng.randrange(1, 5), "[]", '["body"]'))
            if i % 10_007 == 0:
                tags.append((i, RARE, 1, "[]", '["title"]'))
            if len(tags) >= 100_000:
                _insert_tags(con, tags)
                tags = []
        if tags:
            _insert_tags(con, tags)
        con.executemany(
            "INSERT INTO study (id, pmid, doi, title, authors, mesh_terms, publication_types,"
            " created_at, updated_at, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(s, str(30_000_000 + s), f"10.1000/bench.{s}", f"Study {s}", "[]", "[]", "[]",
              _ts(now), _ts(now), "") for s in range(1, N_STUDIES + 1)])
        links: dict[tuple[int, int], tuple[object, ...]] = {}
        for s in range(1, N_STUDIES + 1):
            for _ in range(int(rng.paretovariate(0.8) * 20) if s > 1 else 5000):
                thread = rng.randrange(1, n_threads + 1)
                kind = "citation" if rng.random() < 0.05 else "topic"
                links[(thread, s)] = (thread, s, kind, round(rng.random(), 4), "{}")
                if len(links) > 100_000 + s * 200:
                    break
        con.executemany(
            "INSERT INTO thread_study_link (thread_id, study_id, kind, score, evidence)"
            " VALUES (?,?,?,?,?)", list(links.values()))
    con.execute("ANALYZE")
    con.close()
    print(f"generated {n_threads:,} threads, {len(links):,} links in "
          f"{time.perf_counter() - started:.1f} s -> {path}")


def _insert_threads(con: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    con.executemany(
        "INSERT INTO thread (id, source_id, external_id, url, title, body, category, score,"
        " num_comments, created_at, first_seen_at, last_seen_at, content_hash)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def _insert_tags(con: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    con.executemany(
        "INSERT INTO thread_treatment (thread_id, treatment_id, mentions, forms, locations)"
        " VALUES (?,?,?,?,?)", rows)


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `runs` calls after one warm-up call.

    CPU time (this process) is printed too: on a shared, loaded machine the wall clock
    also counts time spent waiting for a core.
    """
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def report(label: str, samples: tuple[list[float], list[float]]) -> float:
    wall, cpu = samples
    p50 = statistics.median(wall)
    p95 = sorted(wall)[int(len(wall) * 0.95) - 1]
    print(f"{label:<60} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(wall):6.1f} ms"
          f"  | cpu p50 {statistics.median(cpu):6.1f} ms")
    return p50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="database file (reused if it exists)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep a generated temporary db")
    parser.add_argument("--extra-index", action="append", default=[],
                        help="CREATE INDEX statement to add before timing (to test an index)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.mkdtemp(prefix="hairlink-bench-")
        path = Path(tmp) / "query.db"
    if not path.exists():
        generate(path, args.threads)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for ddl in args.extra_index:
            conn.execute(text(ddl))
            print(f"ad hoc index: {ddl}")
    counts = {}
    with engine.connect() as conn:
        counts = dict(conn.execute(text(
            "SELECT treatment_id, count(*) FROM thread_treatment GROUP BY treatment_id")).all())
        n = conn.execute(text("SELECT count(*) FROM thread")).scalar()
    print(f"database: {n:,} threads, {sum(counts.values()):,} thread-treatment rows")
    rng = random.Random(1)
    verdicts = []
    with session_factory(engine)() as session:
        keys = [f"pmid:{30_000_000 + rng.randrange(1, N_STUDIES + 1)}" for _ in range(args.runs)]
        keys_iter = iter(keys * 2)

        def by_study() -> object:
            study = find_study(session, next(keys_iter))
            return query_posts(session, PostQuery(study_id=study.id, limit=50))

        verdicts.append(report("posts --study KEY (random studies)", timed(by_study, args.runs)))
        big = find_study(session, "pmid:30000001")
        report("posts --study KEY (the study with 5,000 links)",
               timed(lambda: query_posts(session, PostQuery(study_id=big.id, limit=50)),
                     args.runs))
        ranked = sorted(counts, key=lambda t: -counts[t])
        for treatment in (ranked[0], ranked[len(ranked) // 2], ranked[-2], ranked[-1]):
            q = PostQuery(treatments=[treatment], sort="score", limit=50)
            label = f"posts --treatment {treatment} ({counts[treatment]:,}) --sort score"
            verdicts.append(report(label, timed(lambda q=q: query_posts(session, q), args.runs)))
            stmt, order, selective = _filtered(session, q)
            plan = session.execute(text("EXPLAIN QUERY PLAN " + str(
                _ordered(session, stmt, q, order, selective).limit(50).compile(
                    compile_kwargs={"literal_binds": True})))).all()
            print("    plan: " + " | ".join(row[-1] for row in plan))
        two = PostQuery(treatments=[ranked[0], ranked[1]], sort="score", limit=50)
        report(f"posts --treatment {ranked[0]} --treatment {ranked[1]} --sort score",
               timed(lambda: query_posts(session, two), args.runs))
    engine.dispose()
    worst = max(verdicts)
    print(f"worst wall p50 of the required queries: {worst:.1f} ms (target <= 50 ms): "
          f"{'OK' if worst <= 50 else 'OVER'}; load average after: {os.getloadavg()[0]:.1f}")
    if tmp and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        Path(tmp).rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
