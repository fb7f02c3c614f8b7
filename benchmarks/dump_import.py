"""Benchmark `hairlink import reddit-dump`: threads/s and peak RSS over a generated dump.

Generates (streaming, in a temp dir) a zstd NDJSON submission dump of N threads and a
comment dump, imports both through the real importer into a fresh database (SQLite file by
default, or --db-url), and prints threads/s, comments/s and the peak RSS of this process
(sampled with psutil during the import, plus ru_maxrss; the dumps are generated in a child
process so that only the import counts). The issue's bound: <= 300 MB.

    python benchmarks/dump_import.py [--threads 50000] [--comments 3] [--db-url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.db import make_engine
from models.migrate import upgrade
from scrapers.importers.reddit_dump import import_reddit_dumps

WORDS = ["finasteride", "minoxidil", "dutasteride", "ketoconazole", "microneedling",
         "RU58841", "shedding", "regrowth", "crown", "hairline", "temples", "months", "dose",
         "topical", "oral", "sides", "study", "results",
         "https://pubmed.ncbi.nlm.nih.gov/12345678/", "https://doi.org/10.1000/xyz"]
T0 = 1_700_000_000


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(folder: Path, threads: int, comments_per_thread: int,
             window_log: int) -> tuple[Path, Path]:
    """Write RS_/RC_ zstd dumps (long window, like `zstd --long=31`), streaming."""
    rng = random.Random(42)
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=window_log,
                                                             enable_ldm=window_log > 27)
    rs, rc = folder / "RS_2024-01.zst", folder / "RC_2024-01.zst"
    with rs.open("wb") as fh, zstandard.ZstdCompressor(
            compression_params=params).stream_writer(fh) as out:
        for i in range(threads):
            sid = f"b{i:07x}"
            record = {
                "id": sid, "title": f"Thread {i}: {_text(rng, 8)}",
                "selftext": _text(rng, rng.randint(20, 200)), "is_self": True,
                "author": f"user{rng.randint(1, 20000)}", "subreddit": "tressless",
                "score": rng.randint(0, 2000), "num_comments": comments_per_thread,
                "created_utc": T0 + i * 30, "edited": False,
                "link_flair_text": rng.choice(["Minoxidil", "Progress Pictures", None]),
                "permalink": f"/r/tressless/comments/{sid}/thread_{i}/",
                "url": f"https://www.reddit.com/r/tressless/comments/{sid}/thread_{i}/",
            }
            out.write(json.dumps(record).encode() + b"\n")
    with rc.open("wb") as fh, zstandard.ZstdCompressor(
            compression_params=params).stream_writer(fh) as out:
        for j in range(threads * comments_per_thread):
            thread = rng.randrange(threads)  # comments arrive interleaved, as in real dumps
            record = {
                "id": f"c{j:08x}", "link_id": f"t3_b{thread:07x}",
                "parent_id": f"t3_b{thread:07x}", "body": _text(rng, rng.randint(5, 60)),
                "score": rng.randint(-5, 300), "author": f"user{rng.randint(1, 20000)}",
                "subreddit": "tressless", "created_utc": T0 + thread * 30 + 600,
            }
            out.write(json.dumps(record).encode() + b"\n")
    return rs, rc


class RssSampler(threading.Thread):
    """Samples this process's RSS every 50 ms; keeps the peak and a few points."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process()
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()
        self.started_at = time.perf_counter()

    def run(self) -> None:
        while not self.stop.is_set():
            rss = self.process.memory_info().rss
            self.peak = max(self.peak, rss)
            self.samples.append((time.perf_counter() - self.started_at, rss))
            self.stop.wait(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=50_000)
    parser.add_argument("--comments", type=int, default=3, help="comments per thread")
    parser.add_argument("--replies", type=int, default=10, help="top replies kept")
    parser.add_argument("--db-url", default=None, help="default: a temp SQLite file")
    parser.add_argument("--window-log", type=int, default=31,
                        help="zstd window log of the generated dumps (Pushshift: 31)")
    args = parser.parse_args()
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="hairlink-dump-bench-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        # Generate in a child process: the compressor's long-window tables must not count
        # toward this process's peak RSS, which measures the import alone.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            rs, rc = pool.submit(generate, folder, args.threads, args.comments,
                                 args.window_log).result()
        print(f"generated {args.threads} threads + {args.threads * args.comments} comments "
              f"in {time.perf_counter() - t:.1f}s ({rs.stat().st_size / mb:.1f} MB + "
              f"{rc.stat().st_size / mb:.1f} MB zstd, window 2^{args.window_log} bytes)")
        engine = make_engine(args.db_url or f"sqlite:///{folder / 'bench.db'}")
        upgrade(engine)
        before = psutil.Process().memory_info().rss
        sampler = RssSampler()
        sampler.start()
        phases: dict[str, float] = {}
        cpu: dict[str, float] = {}

        def progress(message: str) -> None:
            phases[message] = time.perf_counter()
            cpu[message] = time.process_time()

        t, c = time.perf_counter(), time.process_time()
        stats = import_reddit_dumps(engine, [rs, rc], "bench", replies=args.replies,
                                    progress=progress)
        total, cpu_total = time.perf_counter() - t, time.process_time() - c
        sampler.stop.set()
        sampler.join()
        engine.dispose()
        starts = [*sorted(phases.values()), t + total]
        threads_s = starts[1] - starts[0]
        comments_s = starts[2] - starts[1]
        summary = stats.summary()
        print(f"database: {engine.url.render_as_string(hide_password=True)}")
        print(f"threads:  {summary['threads']} in {threads_s:.1f}s = "
              f"{summary['threads'] / threads_s:,.0f} threads/s")
        print(f"comments: {args.threads * args.comments} read, {summary['replies']} written "
              f"in {comments_s:.1f}s = {args.threads * args.comments / comments_s:,.0f} "
              f"comments/s")
        print(f"total:    {total:.1f}s = {summary['threads'] / total:,.0f} threads/s overall")
        # CPU seconds of this process (survive a loaded machine better than wall clock).
        marks = [*sorted(cpu.values()), c + cpu_total]
        print(f"cpu:      threads {marks[1] - marks[0]:.2f}s, comments {marks[2] - marks[1]:.2f}s, "
              f"total {cpu_total:.2f}s")
        n = len(sampler.samples)
        points = [sampler.samples[int(n * f)] for f in (0.1, 0.25, 0.5, 0.75)] + \
            [sampler.samples[-1]]
        print("rss over the import (s: MB): " + ", ".join(
            f"{at:.0f}s: {rss / mb:.0f}" for at, rss in points))
        peak = max(sampler.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        print(f"rss before import {before / mb:.0f} MB; peak RSS {peak / mb:.0f} MB "
              f"(bound 300 MB): {'OK' if peak <= 300 * mb else 'OVER'}")
        return 0 if peak <= 300 * mb and summary["threads"] == args.threads else 1


if __name__ == "__main__":
    raise SystemExit(main())
