"""Latency and memory of `hairlink serve` under concurrent load, on a large database.

    python benchmarks/web.py [--threads 1000000] [--db PATH] [--keep]
                             [--postgres URL [--postgres-only]] [--clients 8]
                             [--workers N] [--requests 2000] [--memory-requests 10000]
                             [--search-share F] [--study-limit N]

Builds (or reuses, with --db PATH and --keep) a SQLite database of N threads over 3 sources:
titles and bodies drawn from a 30,000-word Zipf vocabulary, ~1.6 treatment tags per thread
with reported effects and side effects, summaries on 10 %, 1-3 stored replies on 30 %,
1,000 studies and ~170k thread-study links: bulk inserts with executemany, the full-text
index filled once at the end ('rebuild') instead of by its triggers row by row. With
--postgres URL the same rows are copied into that PostgreSQL database with COPY (skipped
when it already holds them). Either database is brought to the head revision and each
study's counts are stored as `hairlink aggregate` stores them (`models.study_stats`, which
the study pages read) when some study has none; `--no-study-counts` leaves a reused SQLite
database as it is.

Then it starts `hairlink serve --workers N` (default: one per core) as a real uvicorn
subprocess and runs `--clients` concurrent clients (threads, one keep-alive connection each)
over a mix of
- the study page `/studies/pmid:N` for random studies (5 % the one with 5,000 links; the
  first view of each study in a run is also reported apart: its aggregates are computed);
- a filtered posts search `/posts?treatment=T&min_score=S&since=D&sort=score` with a
  minimum score of 1-150 and a start date anywhere in the last three years;
- with `--search-share F`, that share of full-text searches of two domain words
  `/posts?search=WORDS&source=...&sort=relevance` (reported, not a target).
It prints p50 / p99 / max per kind, the error count, the server's CPU milliseconds per
request (all its processes, psutil: this survives a loaded machine), the load average, and
with `--memory-requests` the RSS of the server processes every 1,000 requests (target: flat,
checked on the second half: the first fills the bounded per-worker caches).

Before the SQLite load run the database file is read once, so it starts from the OS page
cache as a server that has been up for a while does (these machines evict the page cache
of an idle file within minutes; a run from the disk shows a p99 several times higher on
the first views). `--cold` skips that read and measures whatever the cache holds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.query import N_STUDIES
from benchmarks.web_data import copy_to_postgres, generate, store_study_counts
from benchmarks.web_runs import in_process, run_load
from models.db import make_engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build or reuse")
    parser.add_argument("--keep", action="store_true", help="keep a generated database")
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (empty, or "
                        "holding the same rows from an earlier run)")
    parser.add_argument("--postgres-only", action="store_true",
                        help="with --postgres: skip the SQLite run")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--studies", type=int, default=N_STUDIES,
                        help="study pages drawn from the first N studies (fewer: the "
                        "aggregate cache is full sooner, so a memory run shows the plateau)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="hairlink serve --workers (default: one per core)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument("--search-share", type=float, default=0.0,
                        help="share of full-text searches (two domain words) in the mix "
                        "(reported, not a target)")
    parser.add_argument("--study-limit", type=int, metavar="N",
                        help="ask every study page for N related threads (limit=N; the "
                        "page's own default is 20, it was 50 before stop 26)")
    parser.add_argument("--no-study-counts", action="store_true",
                        help="leave a reused database as it is (no migration, no stored "
                        "study counts: for running older code on it)")
    parser.add_argument("--cold", action="store_true",
                        help="do not read the SQLite file into the OS page cache first")
    parser.add_argument("--in-process", action="store_true",
                        help="time the page functions in this process (CPU ms per request, "
                        "no server) instead of the load run")
    parser.add_argument("--profile", metavar="KIND",
                        help="with --in-process: cProfile the requests of this kind")
    args = parser.parse_args()
    tmp = None
    if args.db is None:
        tmp = Path(tempfile.mkdtemp(prefix="hairlink-web-bench-"))
        args.db = tmp / "web.db"
    if not args.db.exists():
        generate(args.db, args.threads)
    else:
        print(f"reusing {args.db}")
    sqlite_url = f"sqlite:///{args.db.resolve()}"
    if not args.no_study_counts:
        engine = make_engine(sqlite_url)
        store_study_counts(engine)
        engine.dispose()
    with sqlite3.connect(args.db) as con:
        threads = con.execute("SELECT max(id) FROM thread").fetchone()[0]
    ok = True
    if args.in_process:
        in_process(args.postgres or sqlite_url, args.requests, args.studies, args.search_share,
                   args.profile, args.study_limit)
        return 0
    if not args.postgres_only:
        if not args.cold:
            _read_into_page_cache(args.db)
        ok = run_load(f"SQLite, {threads:,} threads", sqlite_url, args.clients, args.requests,
                      args.memory_requests, args.studies, args.search_share, args.workers,
                      args.study_limit)
    if args.postgres:
        copy_to_postgres(args.db, args.postgres)
        ok &= run_load(f"PostgreSQL, {threads:,} threads", args.postgres, args.clients,
                       args.requests, args.memory_requests, args.studies, args.search_share,
                       args.workers, args.study_limit)
    if tmp is not None and not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    elif tmp is not None:
        print(f"kept {args.db}")
    return 0 if ok else 1


def _read_into_page_cache(db: Path) -> None:
    """Read the database file (and its WAL) once, so the run starts from the page cache."""
    started = time.perf_counter()
    size = 0
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            with path.open("rb", buffering=0) as f:
                while chunk := f.read(16 << 20):
                    size += len(chunk)
    print(f"read the database file once into the OS page cache: {size / 2**20:,.0f} MiB in "
          f"{time.perf_counter() - started:.1f} s (--cold skips this)")


if __name__ == "__main__":
    sys.exit(main())
