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
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.query import CATEGORIES, CHOICES, N_STUDIES, RARE, TREATMENTS, WEIGHTS, _ts
from models.db import make_engine, normalise_url
from models.entities import Base, Study, StudyStats
from models.fulltext import create_fulltext, drop_fulltext, rebuild_fulltext
from models.migrate import alembic_config, upgrade
from models.study_stats import refresh_study_stats

# The domain words people search for; they sit among the commoner words of a Zipf-distributed
# vocabulary (rank r drawn with weight 1 / r**1.05), as words of real forum text do: a few
# function words are in every post, the domain words in a few per cent, and the long tail of
# VOCABULARY synthetic words each in a handful.
WORDS = [
    "minoxidil", "finasteride", "dutasteride", "shedding", "regrowth", "crown", "temples",
    "hairline", "progress", "month", "year", "dose", "topical", "oral", "foam", "tablet",
    "microneedling", "derma", "roller", "ketoconazole", "shampoo", "side", "effects", "libido",
    "brain", "fog", "results", "thicker", "thinner", "density", "vertex", "photos", "update",
    "question", "study", "trial", "doctor", "dermatologist", "transplant", "graft", "rosemary",
    "oil", "caffeine", "biotin", "zinc", "iron", "vitamin", "spironolactone", "women", "men",
    "norwood", "diffuse", "miniaturisation", "sebum", "itch", "dandruff", "inflammation", "prp",
    "exosomes", "laser", "cap",
]
FUNCTION_WORDS = [
    "i", "the", "and", "to", "my", "a", "it", "of", "is", "on", "for", "in", "this", "was",
    "have", "with", "but", "that", "been", "so", "at", "hair", "after", "now", "just", "be",
]
VOCABULARY = 30_000
EFFECTS = ["none"] * 12 + ["improved"] * 4 + ["no_effect"] * 3 + ["mixed"] * 2
SIDE_EFFECTS = ["sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast", "other"]
TARGETED = ("study", "posts filtered")  # the targets; full-text search is reported
TABLES = ("source", "treatment", "thread", "reply", "thread_treatment", "study",
          "study_treatment", "thread_study_link")


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words by rank and their cumulative Zipf weights: function words first, the domain
    words spread over ranks 30-400, then synthetic words (pronounceable, distinct)."""
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    tail: list[str] = []
    seen = set(FUNCTION_WORDS) | set(WORDS)
    while len(tail) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randrange(2, 5)))
        if word not in seen:
            seen.add(word)
            tail.append(word)
    words = list(FUNCTION_WORDS) + tail
    for i, word in enumerate(WORDS):
        words.insert(30 + i * 6, word)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank ** 1.05
        cumulative.append(total)
    return words, cumulative


def _sentence(rng: random.Random, words: list[str], cumulative: list[float], n: int) -> str:
    return " ".join(rng.choices(words, cum_weights=cumulative, k=n)).capitalize() + "."


def generate(path: Path, n_threads: int, seed: int = 11) -> None:
    """The schema from SQLAlchemy, rows with executemany, the FTS index rebuilt at the end."""
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        drop_fulltext(conn)  # no per-row triggers while bulk loading
    engine.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    started = time.perf_counter()
    words, cumulative = vocabulary(rng)
    sentences = [_sentence(rng, words, cumulative, rng.randrange(6, 16)) for _ in range(50_000)]
    titles = [_sentence(rng, words, cumulative, rng.randrange(3, 9))[:-1]
              for _ in range(20_000)]
    with con:
        con.executemany(
            "INSERT INTO source (id, name, kind, base_url, created_at) VALUES (?,?,?,?,?)",
            [(1, "tressless", "reddit", "https://oauth.reddit.com", _ts(now)),
             (2, "hairlosstalk", "xenforo", "https://hlt.example", _ts(now)),
             (3, "hairloss-forum", "phpbb", "https://phpbb.example", _ts(now))])
        con.executemany("INSERT INTO treatment (id, name, category) VALUES (?,?,?)",
                        [(t, t.replace("_", " ").title(), "drug") for t in TREATMENTS])
        batch: list[tuple[object, ...]] = []
        replies: list[tuple[object, ...]] = []
        reply_base = 0
        for i in range(1, n_threads + 1):
            src = 1 + (i % 3)
            created = now - timedelta(seconds=rng.randrange(0, 4 * 365 * 86400))
            score = None if src == 3 else int(rng.paretovariate(1.2)) - 1
            body = " ".join(rng.choices(sentences, k=rng.randrange(1, 6)))
            summary = rng.choice(sentences) if rng.random() < 0.1 else None
            batch.append((i, src, f"t{i}", f"https://forum.example/t/{i}",
                          f"{rng.choice(titles)} #{i}", body, rng.choice(CATEGORIES), score,
                          rng.randrange(0, 200), _ts(created), _ts(now), _ts(now), "0" * 40,
                          summary))
            if rng.random() < 0.3:  # 1-3 stored replies
                for position in range(rng.randrange(1, 4)):
                    replies.append((len(replies) + reply_base + 1, i, f"r{i}-{position}",
                                    rng.choice(sentences),
                                    None if src == 3 else int(rng.paretovariate(1.5)) - 1,
                                    _ts(created), position))
            if len(batch) == 50_000:
                _insert(con, "thread", batch)
                _insert(con, "reply", replies)
                reply_base += len(replies)
                batch, replies = [], []
        if batch:
            _insert(con, "thread", batch)
            _insert(con, "reply", replies)
        tags: list[tuple[object, ...]] = []
        for i in range(1, n_threads + 1):
            k = rng.choice((0, 1, 1, 2, 2, 3))
            for treatment in set(rng.choices(CHOICES, WEIGHTS, k=k)):
                sides = (sorted(set(rng.choices(SIDE_EFFECTS, k=rng.randrange(1, 3))))
                         if rng.random() < 0.08 else [])
                tags.append((i, treatment, rng.randrange(1, 5), "[]", '["body"]',
                             rng.choice(EFFECTS), json.dumps(sides)))
            if i % 10_007 == 0:
                tags.append((i, RARE, 1, "[]", '["title"]', "none", "[]"))
            if len(tags) >= 100_000:
                _insert(con, "thread_treatment", tags)
                tags = []
        if tags:
            _insert(con, "thread_treatment", tags)
        con.executemany(
            "INSERT INTO study (id, pmid, doi, title, authors, journal, pub_year, abstract,"
            " tldr, mesh_terms, publication_types, created_at, updated_at, content_hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(s, str(30_000_000 + s), f"10.1000/bench.{s}", f"Study {s}: {rng.choice(titles)}",
              '["A. Author", "B. Author"]', "J Bench", 2000 + s % 26,
              " ".join(rng.choices(sentences, k=8)), rng.choice(sentences), "[]", "[]",
              _ts(now), _ts(now), "") for s in range(1, N_STUDIES + 1)])
        con.executemany("INSERT INTO study_treatment (study_id, treatment_id) VALUES (?,?)",
                        [(s, rng.choice(CHOICES)) for s in range(1, N_STUDIES + 1)])
        links: dict[tuple[int, int], tuple[object, ...]] = {}
        for s in range(1, N_STUDIES + 1):
            for _ in range(min(int(rng.paretovariate(0.8) * 20), 2000) if s > 1 else 5000):
                thread = rng.randrange(1, n_threads + 1)
                kind = "citation" if rng.random() < 0.05 else "topic"
                links[(thread, s)] = (thread, s, kind, round(rng.random(), 4), "{}")
                if len(links) > 100_000 + s * 200:
                    break
        _insert(con, "thread_study_link", list(links.values()))
    con.close()
    engine = make_engine(f"sqlite:///{path}")
    fts_started = time.perf_counter()
    with engine.begin() as conn:
        create_fulltext(conn)
        rebuild_fulltext(conn)
        conn.exec_driver_sql("ANALYZE")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "head")
    store_study_counts(engine)
    engine.dispose()
    print(f"generated {n_threads:,} threads, {len(links):,} links in "
          f"{time.perf_counter() - started:.1f} s (full-text rebuild "
          f"{time.perf_counter() - fts_started:.1f} s) -> {path}", flush=True)


def store_study_counts(engine: Engine) -> None:
    """Bring the schema up to date and store each study's counts as `hairlink aggregate`
    does (`models.study_stats`; the web view's first view of a study reads them), unless
    every study has them already."""
    upgrade(engine)
    with Session(engine) as session, session.begin():
        missing = session.scalar(select(func.count()).select_from(Study).where(
            ~select(StudyStats.study_id).where(StudyStats.study_id == Study.id).exists()))
        if not missing:
            return
        started = time.perf_counter()
        written = refresh_study_stats(session)
    print(f"stored the counts of {written:,} studies (as hairlink aggregate does) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


_COLUMNS = {
    "thread": ("id", "source_id", "external_id", "url", "title", "body", "category", "score",
               "num_comments", "created_at", "first_seen_at", "last_seen_at", "content_hash",
               "summary"),
    "reply": ("id", "thread_id", "external_id", "body", "score", "created_at", "position"),
    "thread_treatment": ("thread_id", "treatment_id", "mentions", "forms", "locations",
                         "effect", "side_effects"),
    "thread_study_link": ("thread_id", "study_id", "kind", "score", "evidence"),
}


def _insert(con: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    columns = _COLUMNS[table]
    con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                    f"({', '.join('?' * len(columns))})", rows)


def copy_to_postgres(sqlite_path: Path, url: str) -> None:
    """The generated rows into an empty PostgreSQL database (schema by the migrations,
    full-text index created after the load), with COPY."""
    import psycopg
    from sqlalchemy import inspect, text

    engine = make_engine(url)
    if inspect(engine).has_table("thread"):
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT max(id) FROM thread")).scalar()
        with sqlite3.connect(sqlite_path) as src:
            wanted = src.execute("SELECT max(id) FROM thread").fetchone()[0]
        if stored == wanted:  # copied by an earlier run: bring the schema up to date only
            store_study_counts(engine)
            engine.dispose()
            print(f"reusing the {stored:,} threads already in PostgreSQL", flush=True)
            return
    upgrade(engine)
    with engine.begin() as conn:
        drop_fulltext(conn)
    engine.dispose()
    started = time.perf_counter()
    src = sqlite3.connect(sqlite_path)
    dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as pg:
        for table in TABLES:
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            with pg.cursor() as cur, cur.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(row)
        with pg.cursor() as cur:
            for table in TABLES:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))" if table in (
                                "source", "thread", "reply", "study") else "SELECT 1")
        pg.commit()
    engine = make_engine(url)
    with engine.begin() as conn:
        create_fulltext(conn)
    store_study_counts(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    print(f"copied into PostgreSQL in {time.perf_counter() - started:.1f} s", flush=True)


# --------------------------------------------------------------------------- load


def start_server(db_url: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "HAIRLINK_DATABASE_URL": db_url, "COLUMNS": "200"}
    env.pop("HAIRLINK_CONFIG", None)
    proc = subprocess.Popen([sys.executable, "-m", "hairlink", "serve", "--port", "0",
                             "--workers", str(workers)],
                            cwd=tempfile.gettempdir(), env=env, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
    if not found:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, found.group(1)


def request_paths(rng: random.Random, n_studies: int, search_share: float,
                  study_limit: int | None = None) -> Iterator[tuple[str, str]]:
    """An endless mix: (kind, path) of study pages (half; with `study_limit`, asking for
    that many related threads a page), filtered posts searches and, `search_share` of the
    time, full-text searches. The filters vary widely (a minimum score of 1-150, a start
    date anywhere in the last 3 years), so few requests repeat."""
    common = ["minoxidil", "finasteride", "ketoconazole", "microneedling", "dutasteride"]
    while True:
        roll = rng.random()
        if roll < search_share:
            words = " ".join(rng.sample(WORDS, 2))
            yield "posts search", "/posts?" + urlencode([
                ("search", words), ("source", rng.choice(["tressless", "hairlosstalk"])),
                ("sort", "relevance")], quote_via=quote)
        elif roll < 0.5 + search_share / 2:
            study = 1 if rng.random() < 0.05 else rng.randrange(1, n_studies + 1)
            params = {} if rng.random() < 0.6 else {"sort": rng.choice(["score", "new"])}
            if study_limit is not None:
                params["limit"] = str(study_limit)
            path = f"/studies/pmid:{30_000_000 + study}"
            yield "study", path + ("?" + urlencode(params) if params else "")
        else:
            since = rng.choice([f"{rng.randrange(30, 1100)}d",
                                f"20{rng.randrange(24, 26)}-{rng.randrange(1, 13):02d}-01"])
            yield "posts filtered", "/posts?" + urlencode([
                ("treatment", rng.choice(common)), ("min_score", rng.randrange(1, 151)),
                ("since", since), ("sort", "score")])


def load(host: str, paths: list[tuple[str, str]], clients: int
         ) -> tuple[dict[str, list[float]], int, float]:
    """Run `paths` over `clients` threads with keep-alive connections; latencies (ms) per
    kind (a study page seen for the first time in this run also under "study, first
    view"), error count, wall seconds."""
    latencies: dict[str, list[float]] = {}
    errors = 0
    lock = threading.Lock()
    queue = iter(paths)

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(host, timeout=60)
        while True:
            with lock:
                item = next(queue, None)
                first = item is not None and item[0] == "study" and \
                    item[1].split("?")[0] not in SEEN_STUDIES
                if first:
                    SEEN_STUDIES.add(item[1].split("?")[0])  # type: ignore[index]
            if item is None:
                break
            kind, path = item
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and body.rstrip().endswith(b"</html>")
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.setdefault(kind, []).append(elapsed)
                if first:
                    latencies.setdefault("study, first view", []).append(elapsed)
                errors += not ok
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


SEEN_STUDIES: set[str] = set()


def warm_every_study(host: str, n_studies: int, clients: int, workers: int,
                     rng: random.Random) -> int:
    """Visit every study page once per round, 3 x `workers` rounds in shuffled orders, each
    round on new connections (a connection lands on any worker), so each worker's bounded
    aggregate cache (keyed by study) holds every study before memory is watched; returns
    the number of requests."""
    paths = [("warm", f"/studies/pmid:{30_000_000 + study}")
             for study in range(1, n_studies + 1)]
    SEEN_STUDIES.update(path for _, path in paths)  # no later view is a first view
    for _ in range(3 * workers):
        rng.shuffle(paths)
        _, errors, _ = load(host, paths, clients)
        if errors:
            raise SystemExit(f"{errors} errors while warming the study pages")
    return len(paths) * 3 * workers


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def server_processes(proc: psutil.Process) -> list[psutil.Process]:
    """The server and its worker processes (uvicorn's supervisor spawns them)."""
    return [proc, *proc.children(recursive=True)]


def cpu_seconds(proc: psutil.Process) -> float:
    """User + system CPU seconds of the server and its workers so far."""
    total = 0.0
    for p in server_processes(proc):
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss_mib(proc: psutil.Process) -> list[float]:
    """Resident memory (MiB) of each server process."""
    return [p.memory_info().rss / 2**20 for p in server_processes(proc)]


def report(label: str, latencies: dict[str, list[float]], errors: int, wall: float,
           requests: int, cpu_ms: float, clients: int, workers: int,
           loads: tuple[float, float]) -> bool:
    """Print p50 / p99 / max per kind; True when the targeted kinds met the targets."""
    ok = errors == 0
    print(f"\n{label}: {requests} requests, {clients} clients, {workers} worker(s), "
          f"{wall:.1f} s ({requests / wall:.0f} req/s), errors: {errors}")
    print(f"  server CPU {cpu_ms:.1f} ms a request (all server processes; survives load); "
          f"load average {loads[0]:.2f} -> {loads[1]:.2f} on {os.cpu_count()} cores")
    print(f"  {'kind':20} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}   target "
          f"p50 <= 50, p99 <= 250")
    for kind, values in sorted(latencies.items()):
        p50, p99 = statistics.median(values), pct(values, 99)
        verdict = "ok" if p50 <= 50 and p99 <= 250 else "MISSED"
        if kind in TARGETED:
            ok &= verdict == "ok"
        else:
            verdict += " (reported, not a target)"
        print(f"  {kind:20} {len(values):>6} {p50:>8.1f} {p99:>8.1f} {max(values):>8.1f}"
              f"   {verdict}")
    return ok


def run_load(label: str, db_url: str, clients: int, requests: int, memory_requests: int,
             n_studies: int, search_share: float, workers: int,
             study_limit: int | None = None) -> bool:
    proc, host = start_server(db_url, workers)
    server = psutil.Process(proc.pid)
    rng = random.Random(3)
    mix = request_paths(rng, n_studies, search_share, study_limit)
    SEEN_STUDIES.clear()
    ok = True
    try:
        load(host, [next(mix) for _ in range(200)], clients)  # warm-up
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server)
        latencies, errors, wall = load(host, [next(mix) for _ in range(requests)], clients)
        cpu_ms = (cpu_seconds(server) - cpu_before) / requests * 1000
        ok &= report(label, latencies, errors, wall, requests, cpu_ms, clients, workers,
                     (load_before, os.getloadavg()[0]))
        if memory_requests:
            warm_started = time.perf_counter()
            warm = warm_every_study(host, n_studies, clients, workers, rng)
            print(f"  warm-up before the memory requests: every study page {3 * workers} "
                  f"times ({warm:,} requests, {time.perf_counter() - warm_started:.0f} s), so "
                  "each worker's bounded aggregate cache holds what the mix can ask for")
            start_rss = rss_mib(server)
            rss = [sum(start_rss)]
            print(f"  memory over {memory_requests:,} more requests; RSS per process at the "
                  f"start: {' '.join(f'{r:.0f}' for r in start_rss)} MiB")
            done, mem_errors = 0, 0
            cpu_before = cpu_seconds(server)
            all_latencies: dict[str, list[float]] = {}
            started = time.perf_counter()
            while done < memory_requests:
                step = min(1000, memory_requests - done)
                step_latencies, step_errors, _ = load(host, [next(mix) for _ in range(step)],
                                                      clients)
                for kind, values in step_latencies.items():
                    all_latencies.setdefault(kind, []).extend(values)
                mem_errors += step_errors
                done += step
                rss.append(sum(rss_mib(server)))
                print(f"  after {done:,} requests: RSS {rss[-1]:.1f} MiB, errors "
                      f"{mem_errors}; load average {os.getloadavg()[0]:.2f}", flush=True)
            cpu_ms = (cpu_seconds(server) - cpu_before) / memory_requests * 1000
            report(f"{label}, the {memory_requests:,} memory requests", all_latencies,
                   mem_errors, time.perf_counter() - started, memory_requests, cpu_ms,
                   clients, workers, (load_before, os.getloadavg()[0]))
            # Flat = no growth once warm: the warm-up filled each worker's bounded aggregate
            # cache; the SQLite page caches of the pooled connections are bounded too. The
            # rule is on all the memory requests; both halves are printed.
            settled = rss[len(rss) // 2]
            first, second = settled - rss[0], rss[-1] - settled
            growth = rss[-1] - rss[0]
            print(f"  RSS MiB (all server processes) every 1,000 of {memory_requests:,} "
                  "requests: " + " ".join(f"{r:.0f}" for r in rss)
                  + f"; start {rss[0]:.0f}, end {rss[-1]:.0f}; first half {first:+.1f} MiB, "
                  f"second half {second:+.1f} MiB, whole {growth:+.1f} MiB (flat: under 5 % + "
                  f"10 MiB); errors: {mem_errors}")
            ok &= mem_errors == 0 and growth < 0.05 * rss[0] + 10
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return ok


def in_process(db_url: str, requests: int, n_studies: int, search_share: float,
               profile: str | None, study_limit: int | None = None) -> None:
    """CPU milliseconds per page function called in this process (no HTTP, no uvicorn):
    the app's routes on the same request mix, `time.process_time` around each call, after
    200 warm-up requests; with `profile` (a kind prefix), cProfile's top functions of that
    kind. A paired before/after comparison runs this on two checkouts back to back."""
    import cProfile
    import pstats

    from starlette.requests import Request
    from starlette.routing import Match

    from hairlink.web.app import create_app
    from hairlink.web.server import settle_heap

    app = create_app(make_engine(db_url))
    settle_heap()  # as `hairlink serve` does in each worker

    def call(path: str) -> int:
        route_path, _, query = path.partition("?")
        scope = {"type": "http", "method": "GET", "path": route_path,
                 "raw_path": route_path.encode(), "query_string": query.encode(),
                 "headers": [], "scheme": "http", "server": ("127.0.0.1", 80),
                 "client": ("127.0.0.1", 1), "root_path": "", "http_version": "1.1",
                 "app": app}
        for route in app.router.routes:
            match, child = route.matches(scope)
            if match == Match.FULL:
                scope.update(child)
                return int(route.endpoint(Request(scope)).status_code)
        raise SystemExit(f"no route for {path}")

    mix = request_paths(random.Random(3), n_studies, search_share, study_limit)
    for _, path in [next(mix) for _ in range(200)]:
        call(path)
    profiler = cProfile.Profile() if profile else None
    cpu: dict[str, list[float]] = {}
    for kind, path in [next(mix) for _ in range(requests)]:
        profiling = profiler is not None and kind.startswith(profile or "")
        if profiling:
            profiler.enable()  # type: ignore[union-attr]
        started = time.process_time()
        status = call(path)
        elapsed = (time.process_time() - started) * 1000
        if profiling:
            profiler.disable()  # type: ignore[union-attr]
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        cpu.setdefault(kind, []).append(elapsed)
    print(f"in process, {requests} requests after 200 warm-up, CPU ms per request "
          f"(load average {os.getloadavg()[0]:.2f}):")
    for kind, values in sorted(cpu.items()):
        print(f"  {kind:16} n={len(values):5}  mean {statistics.mean(values):6.2f}  "
              f"p50 {statistics.median(values):6.2f}  p90 {pct(values, 90):6.2f}  "
              f"max {max(values):7.1f}")
    every = [v for values in cpu.values() for v in values]
    print(f"  all              mean {statistics.mean(every):6.2f}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


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


if __name__ == "__main__":
    sys.exit(main())
