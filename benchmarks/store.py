"""Upsert throughput of hairlink's storage layer beside the raw driver, paired and interleaved.

    python benchmarks/store.py [--rows 100000] [--runs 3] [--batch N ...] [--postgres URL]
                               [--postgres-rows 1000000] [--without-fulltext]

At each batch size a caller uses (the crawl pipeline's `HAIRLINK_STORE_BATCH`, the Reddit dump
importer's `DEFAULT_BATCH`; `--batch` to choose others), `--runs` rounds each time both sides
in turn (the order alternating between rounds), each into its own fresh database:

- hairlink: `models.store.store_threads` (ON CONFLICT upsert, first score snapshots, one
  transaction per batch);
- SQLite baseline: raw `sqlite3` `executemany` of plain INSERTs of the same rows, already
  converted, one transaction per batch (what the driver does with the same batches);
- PostgreSQL baseline (`--postgres URL` or HAIRLINK_TEST_POSTGRES_URL): `COPY ... FROM STDIN`
  of the same rows into the bare table, one transaction per batch. The table grows from empty
  to `--postgres-rows` during the run, so plans made on an empty table are part of the test.

`--without-fulltext` drops the full-text index (SQLite's FTS5 triggers, PostgreSQL's GIN
index) on both sides, which shows the store layer's own cost beside the bare driver (the
index's upkeep otherwise weighs on both sides alike).

Per batch size it prints the ratio baseline time / hairlink time as median (min-max) over the
rounds, with the load average. Targets at the crawl pipeline's batch: SQLite >= 0.6,
PostgreSQL >= 0.3 (wall time). SQLite works inside this process, so its ratio of CPU
seconds is printed too and judged instead when the machine is loaded (load >= 1.5), where
wall times mostly measure the scheduler.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from models.db import make_engine, normalise_url, session_factory
from models.entities import Base
from models.fulltext import drop_fulltext
from models.store import (
    ThreadIn,
    batched,
    content_hash,
    ensure_source,
    store_threads,
    thread_columns,
)
from scrapers import settings as crawl_settings
from scrapers.importers.reddit_dump import DEFAULT_BATCH as DUMP_BATCH

PIPELINE_BATCH = crawl_settings.HAIRLINK_STORE_BATCH
TARGETS = {"sqlite": 0.6, "postgresql": 0.3}  # at the crawl pipeline's batch size


def make_items(n: int) -> list[ThreadIn]:
    """`n` plausible threads (title, ~60-word body, score, time)."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    body = ("Month 8 on fin 1mg and topical minox 5%, added microneedling 1.5mm weekly. "
            "Crown is thicker, temples the same. Anyone tried RU58841 or dutasteride "
            "mesotherapy after a plateau? Bloods fine, no sides so far. ") * 2
    return [
        {
            "external_id": f"t{i}",
            "url": f"https://forum.example/t/{i}",
            "title": f"Progress update {i}: fin + minox",
            "body": body,
            "category": "Progress Pictures",
            "score": i % 500,
            "num_comments": i % 40,
            "author_hash": f"{i:064x}"[-64:],
            "created_at": base + timedelta(minutes=i),
        }
        for i in range(n)
    ]


THREAD_COLUMNS = thread_columns()  # what the store writes, in table order


def raw_rows(items: list[ThreadIn], source_id: int, now: datetime) -> list[tuple[object, ...]]:
    """The same rows as plain tuples in THREAD_COLUMNS order, as a raw driver takes them."""
    rows = []
    for it in items:
        record = {**dict.fromkeys(THREAD_COLUMNS), **it, "source_id": source_id,
                  "first_seen_at": now, "last_seen_at": now,
                  "content_hash": content_hash(it["title"], it.get("body", ""))}
        rows.append(tuple(record[c] for c in THREAD_COLUMNS))
    return rows


CPU_TIMES: list[float] = []  # process CPU seconds of each timed call, in order


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of `fn()`; its CPU seconds (this process) go to CPU_TIMES."""
    cpu = time.process_time()
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    CPU_TIMES.append(time.process_time() - cpu)
    return wall


WITH_FULLTEXT = True  # --without-fulltext: drop the full-text index on both sides


def prepare(url: str) -> tuple[Engine, int]:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    if not WITH_FULLTEXT:
        with engine.begin() as connection:
            drop_fulltext(connection)
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "bench", "discourse", "https://forum.example")
    return engine, sid


def hairlink_time(url: str, items: list[ThreadIn], batch: int, now: datetime) -> float:
    engine, sid = prepare(url)
    make = session_factory(engine)
    try:
        return timed(lambda: store_threads(make, sid, items, batch_size=batch, now=now))
    finally:
        engine.dispose()


def sqlite_raw_time(path: Path, items: list[ThreadIn], batch: int, now: datetime) -> float:
    engine, sid = prepare(f"sqlite:///{path}")
    engine.dispose()
    rows = [tuple(v.replace(tzinfo=None).isoformat(" ", "microseconds")
                  if isinstance(v, datetime) else v for v in row)
            for row in raw_rows(items, sid, now)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    sql = (f"INSERT INTO thread ({', '.join(THREAD_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(THREAD_COLUMNS))})")

    def raw() -> None:
        for part in batched(rows, batch):
            with conn:
                conn.executemany(sql, part)

    try:
        return timed(raw)
    finally:
        conn.close()


def postgres_copy_time(url: str, items: list[ThreadIn], batch: int, now: datetime) -> float:
    engine, sid = prepare(url)
    rows = raw_rows(items, sid, now)
    statement = f"COPY thread ({', '.join(THREAD_COLUMNS)}) FROM STDIN"

    def copy() -> None:
        with engine.raw_connection() as dbapi:
            for part in batched(rows, batch):
                cur = dbapi.cursor()
                with cur.copy(statement) as cp:  # type: ignore[attr-defined]
                    for row in part:
                        cp.write_row(row)
                dbapi.commit()

    try:
        return timed(copy)
    finally:
        engine.dispose()


class ScratchPostgres:
    """Fresh databases on a PostgreSQL server, dropped at the end."""

    def __init__(self, server_url: str) -> None:
        self.url = make_url(normalise_url(server_url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def timed_in_new(self, fn: Callable[[str, list[ThreadIn], int, datetime], float],
                     items: list[ThreadIn], batch: int, now: datetime) -> float:
        """`fn(url, items, batch, now)` in a database created for it and dropped after."""
        name = f"hairlink_bench_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            return fn(self.url.set(database=name).render_as_string(False), items, batch, now)
        finally:
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.admin.dispose()


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


Times = tuple[list[float], list[float], list[float], list[float]]


def paired(runs: int, ours: Callable[[], float], raw: Callable[[], float]) -> Times:
    """`runs` rounds of both, alternating which goes first: (hairlink wall, raw wall,
    hairlink CPU, raw CPU) seconds."""
    out: Times = ([], [], [], [])
    for round_ in range(runs):
        for side in ((0, 1) if round_ % 2 == 0 else (1, 0)):
            out[side].append((ours, raw)[side]())
            out[side + 2].append(CPU_TIMES[-1])
    return out


def report(label: str, n: int, batch: int, times: Times, raw_label: str,
           target: float | None, cpu_too: bool) -> bool:
    """Print one batch size's figures; whether the median wall ratio meets `target` (or,
    with `cpu_too` on a loaded machine, the CPU ratio: SQLite works inside this process)."""
    ours, raw, ours_cpu, raw_cpu = times
    ratios = [r / o for o, r in zip(ours, raw, strict=True)]
    cpu_ratios = [r / o for o, r in zip(ours_cpu, raw_cpu, strict=True)]
    load = os.getloadavg()
    judged = cpu_ratios if cpu_too and load[0] >= 1.5 else ratios
    ok = target is None or statistics.median(judged) >= target
    goal = f"target >= {target}: {'ok' if ok else 'BELOW TARGET'}" if target else "no target"
    cpu = f", CPU-time ratio {spread(cpu_ratios)}" if cpu_too else ""
    print(f"{label:10} batch {batch:>5,}: hairlink {n / statistics.median(ours):>7,.0f} rows/s, "
          f"{raw_label} {n / statistics.median(raw):>7,.0f} rows/s; wall ratio "
          f"{spread(ratios)}{cpu} ({goal}; load {load[0]:.1f})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows per SQLite run")
    parser.add_argument("--runs", type=int, default=3, help="paired rounds per batch size")
    parser.add_argument("--batch", type=int, action="append",
                        help="batch size(s) to time (default: the callers' sizes)")
    parser.add_argument("--postgres", default=os.environ.get("HAIRLINK_TEST_POSTGRES_URL"))
    parser.add_argument("--postgres-rows", type=int, default=100_000,
                        help="rows per PostgreSQL run (the table grows from empty to this)")
    parser.add_argument("--without-fulltext", action="store_true",
                        help="drop the full-text index on both sides (the layer's own cost)")
    args = parser.parse_args()
    global WITH_FULLTEXT
    WITH_FULLTEXT = not args.without_fulltext
    batches = args.batch or sorted({PIPELINE_BATCH, DUMP_BATCH})
    print(f"hairlink = store_threads (upsert + first snapshot); baseline = the same rows, "
          f"already converted, one transaction per batch; {args.runs} paired rounds, ratio = "
          f"baseline time / hairlink time, median (min-max). Crawl pipeline batch "
          f"{PIPELINE_BATCH}, dump importer batch {DUMP_BATCH}.")
    now = datetime.now(UTC)
    ok = True
    items = make_items(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**9))

        def fresh() -> Path:
            return Path(tmp) / f"{next(counter)}.db"

        for batch in batches:
            times = paired(
                args.runs,
                lambda b=batch: hairlink_time(f"sqlite:///{fresh()}", items, b, now),
                lambda b=batch: sqlite_raw_time(fresh(), items, b, now))
            target = TARGETS["sqlite"] if batch == PIPELINE_BATCH else None
            ok &= report("sqlite", args.rows, batch, times, "raw executemany", target, True)
    if not args.postgres:
        print("postgresql skipped: pass --postgres URL or set HAIRLINK_TEST_POSTGRES_URL")
        return 0 if ok else 1
    pg_items = items if args.postgres_rows == args.rows else make_items(args.postgres_rows)
    server = ScratchPostgres(args.postgres)
    try:
        for batch in batches:
            times = paired(
                args.runs,
                lambda b=batch: server.timed_in_new(hairlink_time, pg_items, b, now),
                lambda b=batch: server.timed_in_new(postgres_copy_time, pg_items, b, now))
            target = TARGETS["postgresql"] if batch == PIPELINE_BATCH else None
            ok &= report("postgresql", args.postgres_rows, batch, times, "COPY", target, False)
    finally:
        server.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
