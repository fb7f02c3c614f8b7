"""Aggregator speed on generated data: tagging throughput, full and incremental runs.

    python benchmarks/aggregate.py [--threads 100000] [--studies 2000] [--runs 3]
                                   [--db PATH | --db-url URL] [--reuse] [--full-only]
    python benchmarks/aggregate.py --db PATH --reuse --against DIR [--runs 3]

`--against DIR` alternates full runs of the hairlink checkout in DIR (e.g. `git archive
main | tar -x -C DIR`) and of this one on the same database and prints their CPU and wall
ratios (paired, so they survive load better than either figure alone).

Generates forum threads with realistic treatment talk (brands, slang, misspellings, decoys
like "5 min" or "keto diet", identifiers in URLs) and studies, stores them in a SQLite file
(or a scratch database given by `--db-url`),
then measures:
1. tagging throughput of the Tagger (all context rules on) beside a whole-word pyahocorasick
   scan of the same texts with the same aliases, interleaved in 50 slices in one process;
2. `--runs` full `aggregate()` runs, each in a fresh child process: wall and CPU seconds
   (main process and workers apart, and summed; the load average before each run) and
   the peak memory of the child and its workers, sampled from outside with psutil (PSS,
   so copy-on-write pages shared by the forked workers count once);
3. after each full run, an incremental `aggregate()` after 1% of the threads changed;
4. an `aggregate()` after a user lexicon adds one alias (re-tags only what it touches).
Each figure is printed as median (min-max) with the load average. Targets: tagger >= 0.3 of
the bare scan; full <= 15 s wall on a quiet machine (load < 1.5; <= 30 s loaded) and
<= 25 CPU-s, <= 1 GB; incremental <= 10% of the full run it follows.
The generated data are identical for the same sizes (fixed seeds, no set-order dependence).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# `--code DIR`: import hairlink from another checkout (paired runs against older code).
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv[:-1] \
    else ROOT
sys.path.insert(0, str(CODE))

import ahocorasick  # noqa: E402
import psutil  # noqa: E402
from generated import build_db, generate_threads  # noqa: E402,F401  (both re-exported)
from sqlalchemy import select, update  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.run import aggregate  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402
from models.entities import Thread  # noqa: E402
from models.store import content_hash  # noqa: E402


def whole_word_hits(automaton: ahocorasick.Automaton, text: str) -> int:
    """Alias hits that start and end on a word boundary (what a fair baseline must find)."""
    hits = 0
    last = len(text) - 1
    for end, length in automaton.iter(text):
        start = end - length + 1
        if (start == 0 or not text[start - 1].isalnum()) and \
                (end == last or not text[end + 1].isalnum()):
            hits += 1
    return hits


def throughput(threads: list[dict[str, Any]]) -> dict[str, float]:
    """Tagger vs a bare automaton scan of the same texts with the same aliases."""
    lexicon = load_lexicon()
    tagger = Tagger(lexicon)
    bare = ahocorasick.Automaton()
    for key in lexicon.aliases:
        bare.add_word(key, len(key))
    bare.make_automaton()
    texts = [(t["title"], t["body"], [r["body"] for r in t["replies"]]) for t in threads]
    size = sum(len(a) + len(b) + sum(len(r) for r in c) for a, b, c in texts) / 1e6
    # Interleave the two in slices and count CPU time, so both see the same machine load.
    bare_s = tag_s = 0.0
    hits = tags = 0
    ratios: list[float] = []
    step = max(1, len(texts) // 50)
    for i in range(0, len(texts), step):
        chunk = texts[i:i + step]
        start = time.process_time()
        for title, body, replies in chunk:
            for text in (title, body, *replies):
                hits += whole_word_hits(bare, text.lower())
        bare_slice = time.process_time() - start
        start = time.process_time()
        for title, body, replies in chunk:
            tags += len(tagger.tag(title, body, replies))
        tag_slice = time.process_time() - start
        bare_s += bare_slice
        tag_s += tag_slice
        ratios.append(bare_slice / tag_slice if tag_slice else 0.0)
    return {"mb": size, "bare_s": bare_s, "tagger_s": tag_s, "bare_hits": hits, "tags": tags,
            "bare_mb_s": size / bare_s, "tagger_mb_s": size / tag_s, "ratio": bare_s / tag_s,
            "slice_ratios": ratios}


def own_peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM is reset by exec, unlike ru_maxrss, which a
    child inherits from the parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(url: str, full: bool, lexicon: str | None = None) -> None:
    """Run one aggregate in this (fresh) process and print its figures as JSON."""
    engine = make_engine(url)
    start = time.perf_counter()
    stats = aggregate(session_factory(engine), full=full, lexicon=load_lexicon(lexicon))
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tagging workers
    main_cpu, workers_cpu = own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime
    print(json.dumps({"seconds": seconds, "main_peak_rss_mb": own_peak_rss_mb(),
                      "cpu_s": main_cpu + workers_cpu, "main_cpu_s": main_cpu,
                      "workers_cpu_s": workers_cpu, **stats.as_dict()}))


class TreeMemory(threading.Thread):
    """Samples a process and its children every 0.3 s: the peak of their summed RSS and of
    their summed PSS (shared copy-on-write pages split between the processes sharing them)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_rss = self.peak_pss = 0.0
        self.worker_rss: dict[int, float] = {}  # each worker's peak RSS (MB)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss = pss = 0
            try:
                for proc in (self.root, *self.root.children(recursive=True)):
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += info.pss
                    if proc.pid != self.root.pid:
                        self.worker_rss[proc.pid] = max(self.worker_rss.get(proc.pid, 0.0),
                                                        info.rss / 2**20)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            self.peak_rss = max(self.peak_rss, rss / 2**20)
            self.peak_pss = max(self.peak_pss, pss / 2**20)
            self.done.wait(0.3)


def _run_child(url: str, full: bool, lexicon: Path | None = None,
               code: Path = CODE) -> dict[str, Any]:
    """One aggregate in a fresh process (importing hairlink from `code`), with its memory
    sampled from outside and the load average before it started."""
    args = [sys.executable, __file__, "--child", "full" if full else "incremental",
            "--db-url", url, "--code", str(code),
            *(["--lexicon", str(lexicon)] if lexicon else [])]
    load = os.getloadavg()[0]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(code)})
    memory = TreeMemory(proc.pid)
    memory.start()
    out, err = proc.communicate()
    memory.done.set()
    memory.join()
    if proc.returncode:
        raise SystemExit(f"aggregate child failed:\n{err}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_rss_mb"] = memory.peak_rss
    result["tree_peak_pss_mb"] = memory.peak_pss
    result["worker_peak_rss_mb"] = max(memory.worker_rss.values(), default=0.0)
    result["load_before"] = load
    return result


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """`median (min-max)` of repeated measurements."""
    return (f"{fmt.format(statistics.median(values))} "
            f"({fmt.format(min(values))}-{fmt.format(max(values))})")


def change_threads(url: str, share: float, seed: int = 3) -> int:
    """Edit the body of `share` of the threads (new text, new content hash)."""
    engine = make_engine(url)
    rng = random.Random(seed)
    with engine.begin() as conn:
        rows = conn.execute(select(Thread.id, Thread.title, Thread.body)).all()
        picked = rng.sample(rows, max(1, int(len(rows) * share)))
        updates = []
        for row in picked:
            body = row.body + " Edit: switched to dut 0.5mg and Nizoral twice a week."
            # any new hash marks the thread changed; replies are left as they were
            updates.append({"id": row.id, "body": body,
                            "content_hash": content_hash(row.title, body, [])})
        for item in updates:
            conn.execute(update(Thread).where(Thread.id == item["id"])
                         .values(body=item["body"], content_hash=item["content_hash"]))
    engine.dispose()
    return len(picked)


def _print_throughput(tp: dict[str, Any]) -> None:
    print(f"\n1. tagging throughput on {tp['mb']:.1f} MB of text (same process, same texts, "
          "interleaved in 50 slices, CPU seconds)")
    print(f"   whole-word pyahocorasick scan: {tp['bare_s']:.2f}s = {tp['bare_mb_s']:.1f} "
          f"MB/s ({tp['bare_hits']} whole-word alias hits)")
    print(f"   Tagger, all rules on:          {tp['tagger_s']:.2f}s = "
          f"{tp['tagger_mb_s']:.1f} MB/s ({tp['tags']} thread tags)")
    print(f"   ratio tagger/bare: {tp['ratio']:.2f}, per slice median (min-max) "
          f"{spread(tp['slice_ratios'])} (target >= 0.3)")


def _print_full(fulls: list[dict[str, Any]], label: str = "") -> None:
    walls = [f["seconds"] for f in fulls]
    full = fulls[-1]
    print(f"\n2. full aggregate{label}, {len(fulls)} runs, median (min-max): "
          f"{spread(walls, '{:.1f}')} s wall (target <= 15 quiet, <= 30 loaded), "
          f"{spread([f['cpu_s'] for f in fulls], '{:.1f}')} CPU-s incl. workers (target "
          f"<= 25): main process {spread([f['main_cpu_s'] for f in fulls], '{:.1f}')}, "
          f"workers {spread([f['workers_cpu_s'] for f in fulls], '{:.1f}')}; 1-min load "
          f"average before each run {spread([f['load_before'] for f in fulls], '{:.1f}')}")
    print(f"   peak memory of main + workers: "
          f"{spread([f['tree_peak_pss_mb'] for f in fulls], '{:.0f}')} MB PSS, "
          f"{spread([f['tree_peak_rss_mb'] for f in fulls], '{:.0f}')} MB RSS summed "
          f"(target <= 1024); main process alone "
          f"{spread([f['main_peak_rss_mb'] for f in fulls], '{:.0f}')} MB (its VmHWM), "
          f"largest worker {spread([f['worker_peak_rss_mb'] for f in fulls], '{:.0f}')} MB "
          "RSS (shared copy-on-write pages included)")
    print(f"   {full['threads_tagged']} threads tagged, {full['thread_treatments']} tags, "
          f"{full['citation_links']} citation links, {full['topic_links_total']} topic "
          f"links, {full['studies']} studies")


def _paired(url: str, against: Path, runs: int) -> int:
    """Full runs of the code in `against` and of this checkout, alternating: CPU ratios."""
    base: list[dict[str, Any]] = []
    ours: list[dict[str, Any]] = []
    for _ in range(runs):
        base.append(_run_child(url, full=True, code=against))
        ours.append(_run_child(url, full=True))
    _print_full(base, f" ({against})")
    _print_full(ours, f" ({CODE})")
    cpu = [o["cpu_s"] / b["cpu_s"] for o, b in zip(ours, base, strict=True)]
    wall = [o["seconds"] / b["seconds"] for o, b in zip(ours, base, strict=True)]
    print(f"\npaired ratio this / {against.name}: CPU {spread(cpu)}, wall {spread(wall)}; "
          f"tags {ours[-1]['thread_treatments']} vs {base[-1]['thread_treatments']}, topic "
          f"links {ours[-1]['topic_links_total']} vs {base[-1]['topic_links_total']}")
    _print_load()
    return 0


def _print_load() -> float:
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on "
          f"{os.cpu_count()} CPUs (wall times suffer when other work shares the machine)")
    return load[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--studies", type=int, default=2_000)
    parser.add_argument("--db", help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--db-url", help="a scratch database URL instead (e.g. PostgreSQL); "
                        "hairlink's tables in it are dropped and recreated")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database in --db / --db-url as it is (no generation)")
    parser.add_argument("--runs", type=int, default=3,
                        help="full + incremental rounds to take the median of (default 3; 0: only "
                             "generate the database)")
    parser.add_argument("--full-only", action="store_true",
                        help="only the full runs (no throughput, incremental, lexicon runs)")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="paired full runs: hairlink in DIR and this one, alternating")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("full", "incremental"), help=argparse.SUPPRESS)
    parser.add_argument("--lexicon", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db_url, args.child == "full", args.lexicon)
        return 0
    if args.runs < 0 or ((args.runs == 0 and not (args.db or args.db_url)) or
                         (args.runs == 0 and args.reuse)):
        parser.error("--runs is at least 0; --runs 0 (generate only) needs --db PATH, no --reuse")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        url = args.db_url or f"sqlite:///{db}"
        threads: list[dict[str, Any]] = []
        if not args.reuse:
            if not args.db_url and db.exists():
                db.unlink()
            where = make_engine(url).url.render_as_string(hide_password=True)
            print(f"generating {args.threads} threads and {args.studies} studies into "
                  f"{where} ...")
            start = time.perf_counter()
            threads = build_db(url, args.threads, args.studies)
            print(f"  setup {time.perf_counter() - start:.1f}s (not measured)")
        if args.runs < 1:  # generation only: the database is ready for later --reuse runs
            print("no full runs asked (--runs 0)")
            return 0
        if args.against:
            return _paired(url, args.against.resolve(), args.runs)
        return _measure(url, threads, args.runs, args.full_only, Path(tmp))


def _measure(url: str, threads: list[dict[str, Any]], runs: int, full_only: bool,
             tmp: Path) -> int:
    """Figures 1-4 (1 only with generated `threads`; 3 and 4 not with `full_only`)."""
    tp = throughput(threads) if threads and not full_only else None
    del threads[:]
    if tp:
        _print_throughput(tp)
    fulls: list[dict[str, Any]] = []
    incs: list[dict[str, Any]] = []
    changed = 0
    for round_ in range(runs):
        fulls.append(_run_child(url, full=True))
        if not full_only:
            changed = change_threads(url, 0.01, seed=3 + round_)
            incs.append(_run_child(url, full=False))
    _print_full(fulls)
    full = fulls[-1]
    shares = [i["seconds"] / f["seconds"] for i, f in zip(incs, fulls, strict=False)]
    if incs:
        print(f"\n3. incremental aggregate after {changed} threads changed, paired with the "
              f"full run before it: {spread([i['seconds'] for i in incs])} s wall = "
              f"{spread([100 * x for x in shares], '{:.1f}')} % of the full run "
              "(target <= 10%)")
        user = tmp / "lexicon.toml"
        user.write_text('[[treatment]]\nid = "castor_oil"\naliases = ["ricinus oil"]\n',
                        encoding="utf-8")
        lex = _run_child(url, full=False, lexicon=user)
        print(f"\n4. lexicon change (castor_oil gains an alias): {lex['seconds']:.2f}s wall = "
              f"{lex['seconds'] / full['seconds']:.1%} of the full run, "
              f"{lex['lexicon_threads']} threads re-tagged (no target)")
    wall_target = 15 if _print_load() < 1.5 else 30
    ok = ((tp is None or statistics.median(tp["slice_ratios"]) >= 0.3)
          and statistics.median(f["seconds"] for f in fulls) <= wall_target
          and statistics.median(f["cpu_s"] for f in fulls) <= 25
          and statistics.median(f["tree_peak_pss_mb"] for f in fulls) <= 1024
          and (not shares or statistics.median(shares) <= 0.10))
    print("\ntargets: " + ("all met" if ok else "MISSED")
          + ("" if tp and shares else " (of those measured)"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
