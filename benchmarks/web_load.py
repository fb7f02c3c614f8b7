"""The load generator of `benchmarks/web.py`: a real `hairlink serve` subprocess, keep-alive
clients in threads over a request mix, latency percentiles per kind, and the server's CPU
and resident memory (psutil, every server process)."""

from __future__ import annotations

import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil

from benchmarks.web_data import WORDS

ROOT = Path(__file__).resolve().parents[1]
TARGETED = ("study", "posts filtered")  # the targets; full-text search is reported


def start_server(db_url: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    """`hairlink serve --port 0 --workers N` of this checkout (its root first on the
    server's PYTHONPATH: the server runs in the temporary directory, where a relative path
    or an editable install would import another checkout); the process and host:port."""
    env = {**os.environ, "HAIRLINK_DATABASE_URL": db_url, "COLUMNS": "200",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
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
