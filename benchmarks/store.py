"""Upsert throughput of hairlink's storage layer beside the raw driver, in the same run.

    python benchmarks/store.py [--rows 100000] [--postgres URL]

SQLite: `models.store.store_threads` (batched ON CONFLICT upserts, snapshot rows, one
transaction per batch) vs raw `sqlite3` executemany of plain INSERTs in one transaction.
PostgreSQL (when a URL is given or HAIRLINK_TEST_POSTGRES_URL is set): the same hairlink path
vs `COPY ... FROM STDIN`. Each side writes into its own fresh database.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models.db import make_engine, normalise_url, session_factory
from models.entities import Base
from models.store import ThreadIn, content_hash, ensure_source, store_threads

BATCH = 5000
COLUMNS = ("source_id", "external_id", "url", "title", "body", "category", "score",
           "num_comments", "author_hash", "created_at", "edited_at", "last_activity_at",
           "first_seen_at", "last_seen_at", "content_hash")


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


def raw_rows(items: list[ThreadIn], source_id: int, now: datetime) -> list[tuple[object, ...]]:
    """The same rows as plain tuples, as a raw driver would take them."""
    return [
        (source_id, it["external_id"], it["url"], it["title"], it["body"], it["category"],
         it["score"], it["num_comments"], it["author_hash"], it["created_at"], None, None,
         now, now, content_hash(it["title"], it["body"]))
        for it in items
    ]


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def prepare(url: str) -> tuple[object, int]:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "bench", "discourse", "https://forum.example")
    return engine, sid


def bench_sqlite(items: list[ThreadIn], workdir: Path) -> tuple[float, float]:
    now = datetime.now(UTC)
    ours_engine, sid = prepare(f"sqlite:///{workdir / 'ours.db'}")
    make = session_factory(ours_engine)  # type: ignore[arg-type]
    ours = timed(lambda: store_threads(make, sid, items, batch_size=BATCH, now=now))
    raw_engine, raw_sid = prepare(f"sqlite:///{workdir / 'raw.db'}")
    raw_engine.dispose()  # type: ignore[attr-defined]
    rows = [tuple(v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v
                  for v in row) for row in raw_rows(items, raw_sid, now)]
    conn = sqlite3.connect(workdir / "raw.db")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    sql = f"INSERT INTO thread ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"

    def raw() -> None:
        with conn:
            conn.executemany(sql, rows)

    raw_time = timed(raw)
    conn.close()
    return ours, raw_time


def bench_postgres(items: list[ThreadIn], server_url: str) -> tuple[float, float]:
    admin_url = make_url(normalise_url(server_url))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"hairlink_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        now = datetime.now(UTC)
        ours_engine, sid = prepare(admin_url.set(database=names[0]).render_as_string(False))
        make = session_factory(ours_engine)  # type: ignore[arg-type]
        ours = timed(lambda: store_threads(make, sid, items, batch_size=BATCH, now=now))
        ours_engine.dispose()  # type: ignore[attr-defined]
        raw_engine, raw_sid = prepare(admin_url.set(database=names[1]).render_as_string(False))
        rows = raw_rows(items, raw_sid, now)

        def copy() -> None:
            with raw_engine.raw_connection() as dbapi:  # type: ignore[attr-defined]
                cur = dbapi.cursor()
                with cur.copy(f"COPY thread ({', '.join(COLUMNS)}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
                dbapi.commit()

        raw_time = timed(copy)
        raw_engine.dispose()  # type: ignore[attr-defined]
        return ours, raw_time
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(label: str, n: int, ours: float, raw: float, raw_label: str, target: float) -> None:
    ratio = raw / ours
    verdict = "ok" if ratio >= target else "BELOW TARGET"
    print(f"{label:10} hairlink {n / ours:>9,.0f} rows/s   {raw_label} {n / raw:>9,.0f} rows/s"
          f"   ratio {ratio:.2f} (target >= {target}) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("HAIRLINK_TEST_POSTGRES_URL"))
    parser.add_argument("--batch", type=int, default=BATCH,
                        help="rows per transaction on the hairlink path")
    args = parser.parse_args()
    globals()["BATCH"] = args.batch
    items = make_items(args.rows)
    print(f"{args.rows:,} threads; hairlink path = store_threads (upsert + first snapshot), "
          f"{args.batch:,} rows per transaction")
    with tempfile.TemporaryDirectory() as tmp:
        ours, raw = bench_sqlite(items, Path(tmp))
    report("sqlite", args.rows, ours, raw, "raw sqlite3 executemany", 0.5)
    if args.postgres:
        ours, raw = bench_postgres(items, args.postgres)
        report("postgresql", args.rows, ours, raw, "COPY", 0.3)
    else:
        print("postgresql skipped: pass --postgres URL or set HAIRLINK_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
