"""The runs of `benchmarks/web.py`: a load run against the server (with the memory watch)
and the in-process CPU run of the page functions."""

from __future__ import annotations

import os
import random
import signal
import statistics
import time

import psutil

from benchmarks.web_load import (
    SEEN_STUDIES,
    cpu_seconds,
    load,
    pct,
    report,
    request_paths,
    rss_mib,
    start_server,
    warm_every_study,
)


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
    from hairlink.web.engine import web_engine
    from hairlink.web.server import settle_heap

    app = create_app(web_engine(db_url))  # as each server process has it
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
