"""Crawl speed: the real crawl path (parse, clean, store) beside a bare Scrapy spider.

    python benchmarks/crawl.py [--threads 600] [--rounds 5] [--engine NAME|all]
                               [--bare-setting KEY=VALUE ...]

Serves a generated forum (forum pages of 20 threads, one thread page per thread with 10
posts, quotes and links, padded with forum chrome like a real page; XenForo 2 by default,
`--engine xenforo1` a XenForo 1 board, `--engine vbulletin` a vBulletin 4.2 board with its
"All times are GMT -5" local dates and thanks boxes) from a loopback server in its own
process, then crawls all of it in `--rounds` paired rounds, the order alternating
(bare, hairlink / hairlink, bare / ...), each crawl in a fresh subprocess:
1. bare: a Scrapy spider with a trivial callback that follows the same links (regex on the
   raw text), same download settings, Scrapy's defaults otherwise (`--bare-setting
   CONCURRENT_ITEMS=4` gives it hairlink's item concurrency: see docs/crawling.md);
2. hairlink: `python -m scrapers.run` (the process `hairlink crawl` starts) with the real
   spider of the engine, validate/clean/author-hash/store pipelines, into a fresh SQLite file.
Per crawl: Scrapy's own `response_received_count / elapsed_time_seconds`, and the crawl's
CPU seconds (engine start to spider close, imports excluded: `benchmarks/crawl_cpu.py`).
Per round: the wall ratio (hairlink pages/s / bare pages/s) and the CPU ratio (bare CPU per
page / hairlink CPU per page; it survives a shared machine better). Printed: min / median /
max of both over the rounds, CPU milliseconds per thread page on each side, the load
average before and after, and the targets: >= 0.35 per engine (issue 16), >= 0.45 median
(issue 18).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawl_pages import vbulletin_pages, xenforo1_pages, xenforo_pages  # noqa: E402

from scrapers import settings as crawl_settings  # noqa: E402
from scrapers.loopback import LoopbackServer  # noqa: E402

SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "ROBOTSTXT_OBEY=0",
            "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "-s", "LOGSTATS_INTERVAL=0",  # the store flushes as in production (1000 items / 5 s)
            # `-s EXTENSIONS=` replaces the project's: keep them (the database component) and
            # add the CPU meter
            "-s", "EXTENSIONS=" + json.dumps({**crawl_settings.EXTENSIONS,
                                              "crawl_cpu.CpuMeter": 0})]
# benchmarks/ on the children's path, for the CPU meter extension
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")) if p)}
TARGET_EACH = 0.35   # issue 16: every engine
TARGET_MEDIAN = 0.45  # issue 18: median of the paired runs
BARE_SPIDER = r'''
import re, sys, json
import scrapy
from scrapy.crawler import CrawlerProcess

LINK = re.compile(sys.argv[2])

class Bare(scrapy.Spider):
    name = "bare"
    def __init__(self, start, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
    def parse(self, response):
        for href in LINK.findall(response.text):
            yield response.follow(href.replace("&amp;", "&"), self.parse)

settings = {"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False, "COOKIES_ENABLED": False}
args = sys.argv[3:]
for i in range(0, len(args), 2):
    k, _, v = args[i + 1].partition("=")
    settings[k] = v
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
process.crawl(crawler, start=sys.argv[1])
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"pages": stats.get("response_received_count", 0),
                  "elapsed": stats.get("elapsed_time_seconds", 0),
                  "cpu": stats.get("bench/cpu_seconds", 0)}))
'''


# engine -> (page generator, config kind, forums, first list page, bare spider link regex)
ENGINES = {
    "xenforo": (xenforo_pages, "xenforo", '["hair.1"]', "/forums/hair.1/",
                r'href="(/forums/hair\.1/page-\d+|/threads/[^/"#]*/)"'),
    "xenforo1": (xenforo1_pages, "xenforo", '["hair.1"]', "/forums/hair.1/",
                 r'href="(forums/hair\.1/page-\d+|threads/[^/"#]*/)"'),
    "vbulletin": (vbulletin_pages, "vbulletin", "[1]", "/forumdisplay.php?f=1",
                  r'href="((?:forumdisplay\.php\?f=1&amp;page=\d+)|showthread\.php\?t=\d+)"'),
}


def serve(engine: str, threads: int, port_queue: multiprocessing.Queue,
          stop: multiprocessing.Event) -> None:
    server = LoopbackServer()
    for target, body in ENGINES[engine][0](threads).items():
        server.add(target, body)
    server.start()
    port_queue.put(server.port)
    stop.wait()
    server.stop()


@dataclass(frozen=True)
class Crawl:
    """One crawl's figures: pages fetched, Scrapy's elapsed seconds, the crawl's CPU seconds."""

    pages: int
    elapsed: float
    cpu: float
    items: int = 0

    @property
    def rate(self) -> float:
        return self.pages / self.elapsed


def run_bare(base: str, engine: str, script: Path, extra: tuple[str, ...] = ()) -> Crawl:
    _, _, _, start, link = ENGINES[engine]
    out = subprocess.run([sys.executable, str(script), f"{base}{start}", link, *SETTINGS,
                          *(arg for setting in extra for arg in ("-s", setting))],
                         capture_output=True, text=True, check=True, env=ENV)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return Crawl(data["pages"], data["elapsed"], data["cpu"])


def init_database(url: str) -> None:
    """Create the schema (Scrapy's elapsed time, the figure reported, never included it)."""
    from models.db import make_engine
    from models.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def run_hairlink(base: str, workdir: Path, engine: str) -> Crawl:
    db = workdir / "bench.db"
    if db.exists():
        db.unlink()
    init_database(f"sqlite:///{db}")  # as `hairlink init` does: a crawl never migrates
    config = workdir / "bench.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db}"\n[[sources]]\nname = "bench"\n'
                      f'kind = "{ENGINES[engine][1]}"\nbase_url = "{base}"\n'
                      f"forums = {ENGINES[engine][2]}\nreplies = 10\n", encoding="utf-8")
    log = workdir / "crawl.log"
    log.unlink(missing_ok=True)  # Scrapy appends to LOG_FILE
    out = subprocess.run([sys.executable, "-m", "scrapers.run", "bench", "--config",
                          str(config), "--log-file", str(log), "--log-level", "INFO",
                          *SETTINGS], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if out.returncode != 0:
        raise SystemExit(f"the hairlink crawl failed:\n{out.stdout}\n{out.stderr}")
    text = log.read_text(encoding="utf-8")

    def stat(name: str) -> float:
        found = re.search(rf"'{name}': ([\d.]+)", text)
        if found is None:
            raise SystemExit(f"no {name} in the crawl log {log}")
        return float(found.group(1))

    items = json.loads(out.stdout.strip().splitlines()[-1])["items"]
    return Crawl(int(stat("response_received_count")), stat("elapsed_time_seconds"),
                 stat("bench/cpu_seconds"), items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5,
                        help="paired rounds (bare and hairlink alternating first)")
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="xenforo")
    parser.add_argument("--bare-setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a Scrapy setting for the bare spider only (repeatable), e.g. "
                             "CONCURRENT_ITEMS=4, hairlink's own, to compare like with like")
    args = parser.parse_args()
    summary = []
    for engine in ENGINES if args.engine == "all" else [args.engine]:
        print(f"engine {engine}: {args.threads} threads, {args.rounds} paired rounds, "
              f"load average {_load()}", flush=True)
        summary.append((engine, bench(engine, args.threads, args.rounds,
                                      tuple(args.bare_setting))))
    bare = "".join(f" --bare-setting {x}" for x in args.bare_setting)
    print(f"\nsummary (--threads {args.threads} --rounds {args.rounds}{bare}; targets: each engine "
          f">= {TARGET_EACH}, median >= {TARGET_MEDIAN}), load average now {_load()}")
    for engine, line in summary:
        print(f"  {engine:10} {line}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def bench(engine: str, threads: int, rounds: int, bare_settings: tuple[str, ...] = ()) -> str:
    """Serve the engine's generated forum, crawl it bare and with hairlink in paired,
    alternating rounds; print each round and the spread; return the summary line."""
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(engine, threads, ports, stop),
                                     daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=300)}"
    walls: list[float] = []
    cpus: list[float] = []
    cpu_ms: dict[str, list[float]] = {"bare": [], "hairlink": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "bare_spider.py"
            script.write_text(BARE_SPIDER, encoding="utf-8")
            for round_ in range(1, rounds + 1):
                started = time.monotonic()
                crawls: dict[str, Crawl] = {}
                order = ("bare", "hairlink") if round_ % 2 else ("hairlink", "bare")
                for side in order:
                    crawls[side] = (run_bare(base, engine, script, bare_settings)
                                    if side == "bare"
                                    else run_hairlink(base, Path(tmp), engine))
                bare, real = crawls["bare"], crawls["hairlink"]
                if real.pages != bare.pages:
                    raise SystemExit(f"hairlink fetched {real.pages} pages, bare {bare.pages}")
                wall = real.rate / bare.rate
                cpu = (bare.cpu / bare.pages) / (real.cpu / real.pages)
                walls.append(wall)
                cpus.append(cpu)
                for side, crawl in crawls.items():
                    cpu_ms[side].append(1000 * crawl.cpu / threads)
                print(f"round {round_} ({' first, '.join(order)} second): bare {bare.rate:.0f} "
                      f"pages/s, {bare.cpu:.1f} CPU s | hairlink {real.rate:.0f} pages/s, "
                      f"{real.cpu:.1f} CPU s, {real.items} threads | wall ratio {wall:.2f}, "
                      f"CPU ratio {cpu:.2f} | load {_load()} "
                      f"[{time.monotonic() - started:.0f}s]", flush=True)
    finally:
        stop.set()
        server.join(timeout=10)
    line = (f"wall ratio {_spread(walls)}; CPU ratio {_spread(cpus)}; CPU ms per thread page: "
            f"bare {statistics.median(cpu_ms['bare']):.1f}, hairlink "
            f"{statistics.median(cpu_ms['hairlink']):.1f}")
    verdict = "; ".join(
        f"{name} median {'meets' if statistics.median(values) >= target else 'misses'} "
        f">= {target}" for name, values in (("wall", walls), ("CPU", cpus))
        for target in (TARGET_EACH, TARGET_MEDIAN))
    print(f"  {line}\n  -> {verdict}", flush=True)
    return f"{line}; {verdict}"


if __name__ == "__main__":
    main()
