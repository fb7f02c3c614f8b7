"""A large database for memory runs: a generated one's thread titles replicated.

    python benchmarks/replicate_db.py SOURCE.db TARGET.db --copies 30

SOURCE is a database made by `benchmarks/aggregate.py --db FILE`; TARGET gets its studies
and `--copies` copies of its threads (new ids and external ids, titles kept, bodies
emptied, no replies, random SHA-1 content hashes), so a full `aggregate()` over millions of
threads keeps in its main process what it keeps per thread while the workers' per-thread
work stays small. The full-text search triggers are dropped in TARGET (not read by
`aggregate()`).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import time
from pathlib import Path

_COLUMNS = ("source_id, category, score, author_hash, created_at, edited_at, "
            "last_activity_at, first_seen_at, last_seen_at")


def replicate(source: Path, target: Path, copies: int) -> int:
    """Write TARGET; returns its thread count."""
    shutil.copy(source, target)
    with sqlite3.connect(target) as conn:
        for trigger in ("thread_fts_insert", "thread_fts_delete", "thread_fts_update"):
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.execute("DELETE FROM reply")
        conn.execute("DELETE FROM thread")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        step = conn.execute("SELECT max(id) FROM src.thread").fetchone()[0] or 0
        for k in range(copies):
            conn.execute(
                f"INSERT INTO thread (id, external_id, url, title, body, num_comments, "
                f"content_hash, {_COLUMNS}) SELECT id + ?, external_id || '-' || ?, "
                f"url || '-' || ?, title, '', 0, lower(hex(randomblob(20))), {_COLUMNS} "
                f"FROM src.thread ORDER BY id", (k * step, k, k))
            conn.commit()
        return int(conn.execute("SELECT count(*) FROM thread").fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=30)
    args = parser.parse_args()
    if not args.source.exists():
        parser.error(f"no database at {args.source}")
    start = time.perf_counter()
    count = replicate(args.source, args.target, args.copies)
    print(f"{args.target}: {count} threads in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
