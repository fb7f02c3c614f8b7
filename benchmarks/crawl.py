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
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
CHROME = "".join(
    f'<li class="p-navEl"><a href="/forums/section-{i}.{i}/" class="p-navEl-link" '
    f'data-nav-id="n{i}">Section {i} about hair</a><div class="menu"><ul>'
    + "".join(f'<li><a href="/whats-new/{i}-{k}/">What is new {k}</a></li>' for k in range(6))
    + "</ul></div></li>" for i in range(60))
# Each engine's navigation menu around the chrome, as its templates write it (XenForo 2's
# `nav.p-nav`, XenForo 1's `div#navigation`, vBulletin 4's `div#navbar`).
XF2_NAV = f'<nav class="p-nav"><ul class="p-nav-list">{CHROME}</ul></nav>'
XF1_NAV = f'<div id="navigation" class="withSearch"><ul id="navTabs">{CHROME}</ul></div>'
VB4_NAV = f'<div id="navbar" class="navbar"><ul id="navtabs">{CHROME}</ul></div>'
PARAGRAPH = ("Month {m} on finasteride 1mg and minoxidil 5%. Shedding slowed, hairline "
             "looks the same. See <a href=\"https://pubmed.ncbi.nlm.nih.gov/{p}/\" "
             "class=\"link link--external\" rel=\"nofollow\">this trial</a> and "
             "<b>ketoconazole</b> twice a week.<br />\n")

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


def xenforo_pages(threads: int) -> dict[str, bytes]:
    """Every target of the generated XenForo 2 forum -> its HTML."""
    now = datetime.now(UTC)
    pages: dict[str, bytes] = {}
    per_page = 20
    n_pages = -(-threads // per_page)
    for number in range(1, n_pages + 1):
        rows = []
        for tid in range((number - 1) * per_page, min(threads, number * per_page)):
            created = now - timedelta(hours=tid + 1)
            stamp = int(created.timestamp())
            rows.append(
                f'<div class="structItem structItem--thread js-threadListItem-{tid}" '
                f'data-author="user{tid % 50}"><div class="structItem-cell '
                f'structItem-cell--main"><div class="structItem-title"><a href="/threads/'
                f'thread-{tid}.{tid + 1}/" data-tp-primary="on">Thread {tid}: minoxidil '
                f'progress</a></div><div class="structItem-minor"><ul class="structItem-parts">'
                f'<li class="structItem-startDate"><a href="#"><time class="u-dt" '
                f'data-time="{stamp}" datetime="{created.isoformat()}">x</time></a></li></ul>'
                f'</div></div><div class="structItem-cell structItem-cell--meta" '
                f'title="First message reaction score: {tid % 30}"><dl class="pairs"><dt>'
                f'Replies</dt><dd>9</dd></dl><dl class="pairs"><dt>Views</dt><dd>1.{tid % 9}K'
                f'</dd></dl></div><div class="structItem-cell structItem-cell--latest"><a '
                f'href="#"><time class="u-dt" data-time="{stamp + 3600}">x</time></a></div>'
                f"</div>")
        nav = (f'<a class="pageNav-jump pageNav-jump--next" href="/forums/hair.1/page-'
               f'{number + 1}">Next</a>' if number < n_pages else "")
        body = (f'<html data-template="forum_view"><body>{XF2_NAV}'
                f'<h1 class="p-title-value">Hair loss</h1><div class="pageNav"><ul '
                f'class="pageNav-main"><li class="pageNav-page pageNav-page--current"><a>'
                f'{number}</a></li></ul>{nav}</div><div class="structItemContainer">'
                f'{"".join(rows)}</div></body></html>')
        target = "/forums/hair.1/" + ("" if number == 1 else f"page-{number}")
        pages[target] = body.encode()
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        articles = []
        for k in range(10):
            stamp = int((created + timedelta(minutes=k)).timestamp())
            quote = ('<blockquote class="bbCodeBlock bbCodeBlock--quote"><div '
                     'class="bbCodeBlock-content">Earlier post text here</div></blockquote>'
                     if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            articles.append(
                f'<article class="message message--post" data-author="user{(tid + k) % 50}" '
                f'data-content="post-{tid * 10 + k}"><div class="message-attribution-main">'
                f'<time class="u-dt" data-time="{stamp}">x</time></div><article '
                f'class="message-body"><div class="bbWrapper">{text}</div></article><footer>'
                f'<a class="reactionsBar-link"><bdi>A</bdi>, <bdi>B</bdi> and {k} others</a>'
                f"</footer></article>")
        body = (f'<html data-template="thread_view" data-content-key="thread-{tid + 1}"><head>'
                f'<link rel="canonical" href="/threads/thread-{tid}.{tid + 1}/"></head><body>'
                f'{XF2_NAV}<ul class="p-breadcrumbs"><li><a><span '
                f'itemprop="name">Forums</span></a></li><li><a><span itemprop="name">Hair '
                f'loss</span></a></li></ul><h1 class="p-title-value">Thread {tid}: minoxidil '
                f'progress</h1>{"".join(articles)}</body></html>')
        pages[f"/threads/thread-{tid}.{tid + 1}/"] = body.encode()
    return pages


def _gmt5(moment: datetime) -> str:
    local = moment.astimezone(timezone(timedelta(hours=-5)))
    return (f'{local.strftime("%m-%d-%Y")},&nbsp;<span class="time">'
            f'{local.strftime("%I:%M %p")}</span>')


def vbulletin_pages(threads: int) -> dict[str, bytes]:
    """Every target of a generated vBulletin 4.2 board (ISO-8859-1, GMT -5) -> its HTML.

    The thread page carries the ids of vBulletin 4.2's own templates (and of the test boards:
    `tests/scrapers/site_vbulletin.py`, `scrapers/samples/render_vbulletin.py`): breadcrumb,
    postpagestats_above, pagetitle, posts, footer_time."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    footer = '<div id="footer_time">All times are GMT -5. The time now is 09:00 AM.</div>'
    pages: dict[str, bytes] = {}
    per_page = 20
    n_pages = -(-threads // per_page)
    for number in range(1, n_pages + 1):
        rows = []
        for tid in range((number - 1) * per_page, min(threads, number * per_page)):
            created = now - timedelta(hours=tid + 1)
            rows.append(
                f'<li class="threadbit" id="thread_{tid + 1}"><div class="threadinfo"><h3 '
                f'class="threadtitle"><a class="title" href="showthread.php?t={tid + 1}" '
                f'id="thread_title_{tid + 1}">Thread {tid}: minoxidil progress</a></h3><div '
                f'class="threadmeta"><div class="author"><span class="label">Started by&nbsp;'
                f'<a href="member.php?u=1" class="username understate">user{tid % 50}</a>,'
                f'&nbsp;{_gmt5(created).replace(",&nbsp;", "&nbsp;")}</span></div></div></div>'
                f'<ul class="threadstats"><li>Replies: <a href="misc.php?do=whoposted&amp;t='
                f'{tid + 1}">9</a></li><li>Views: 1,{tid % 900:03d}</li></ul><dl '
                f'class="threadlastpost"><dd><a class="username">x</a></dd><dd>'
                f'{_gmt5(created + timedelta(minutes=9))}</dd></dl></li>')
        nav = (f'<form class="pagination"><span><a class="popupctrl">Page {number} of '
               f'{n_pages}</a></span><span class="prev_next"><a rel="next" href="'
               f'forumdisplay.php?f=1&amp;page={number + 1}">Next</a></span></form>'
               if number < n_pages else
               f'<form class="pagination"><span><a class="popupctrl">Page {number} of '
               f'{n_pages}</a></span></form>')
        body = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
                f'charset=ISO-8859-1" /></head><body>{VB4_NAV}<div '
                f'id="breadcrumb"><ul><li class="navbit"><a href="forum.php">Forum</a></li>'
                f'</ul></div><h1><span class="forumtitle">Hair loss</span></h1>{nav}'
                f'<ol id="threads">{"".join(rows)}</ol>{footer}</body></html>')
        target = "/forumdisplay.php?f=1" + ("" if number == 1 else f"&page={number}")
        pages[target] = body.encode("cp1252")
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        posts = []
        for k in range(10):
            quote = ('<div class="bbcode_container"><div class="bbcode_quote"><div '
                     'class="quote_container"><div class="bbcode_postedby">Originally Posted '
                     'by <strong>user7</strong></div><div class="message">Earlier post text '
                     'here</div></div></div></div>' if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            pid = tid * 10 + k + 1
            posts.append(
                f'<li class="postbitlegacy postcontainer" id="post_{pid}"><div '
                f'class="posthead"><span class="date">'
                f'{_gmt5(created + timedelta(minutes=k))}</span><a class="postcounter">#{k + 1}'
                f'</a></div><div class="username_container"><a class="username"><strong>'
                f'user{(tid + k) % 50}</strong></a></div><div id="post_message_{pid}">'
                f'<blockquote class="postcontent restore">{text}</blockquote></div><div '
                f'id="post_thanks_box_{pid}">The Following {k + 2} Users Say Thank You</div>'
                f'</li>')
        body = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
                f'charset=ISO-8859-1" /></head><body>{VB4_NAV}<div '
                f'id="breadcrumb"><ul><li class="navbit"><a href="forumdisplay.php?f=1">Hair '
                f'loss</a></li></ul></div><div id="postpagestats_above" class="postpagestats">'
                f'Results 1 to 10 of 10</div><div id="pagetitle" class="pagetitle"><h1>Thread: '
                f'<span class="threadtitle"><a>Thread {tid}: minoxidil progress</a></span></h1>'
                f'</div><ol id="posts" class="posts">{"".join(posts)}</ol>{footer}</body></html>')
        pages[f"/showthread.php?t={tid + 1}"] = body.encode("cp1252")
    return pages


def xenforo1_pages(threads: int) -> dict[str, bytes]:
    """Every target of a generated XenForo 1 forum -> its HTML."""
    now = datetime.now(UTC)
    pages: dict[str, bytes] = {}
    per_page = 20
    n_pages = -(-threads // per_page)
    for number in range(1, n_pages + 1):
        rows = []
        for tid in range((number - 1) * per_page, min(threads, number * per_page)):
            created = now - timedelta(hours=tid + 1)
            stamp = int(created.timestamp())
            rows.append(
                f'<li id="thread-{tid + 1}" class="discussionListItem" data-author="user'
                f'{tid % 50}"><div class="titleText"><h3 class="title"><a href="threads/'
                f'thread-{tid}.{tid + 1}/">Thread {tid}: minoxidil progress</a></h3><div '
                f'class="posterDate"><a class="username">user{tid % 50}</a><span '
                f'class="startDate">, <abbr class="DateTime" data-time="{stamp}">x</abbr>'
                f'</span></div></div><div class="listBlock stats" title="Members who liked '
                f'the first message: {tid % 30}"><dl class="major"><dt>Replies:</dt> <dd>9</dd>'
                f'</dl><dl class="minor"><dt>Views:</dt> <dd>1,234</dd></dl></div><div '
                f'class="listBlock lastPost"><abbr class="DateTime" data-time="{stamp + 3600}">'
                f'x</abbr></div></li>')
        nav = (f'<a href="forums/hair.1/page-{number + 1}" class="text">Next &gt;</a>'
               if number < n_pages else "")
        body = (f'<html id="XenForo"><head><base href="/"/></head><body>{XF1_NAV}'
                f'<div class="titleBar"><h1>Hair loss</h1></div><div '
                f'class="PageNav" data-page="{number}" data-last="{n_pages}"><nav>{nav}</nav>'
                f'</div><ol class="discussionListItems">{"".join(rows)}</ol></body></html>')
        target = "/forums/hair.1/" + ("" if number == 1 else f"page-{number}")
        pages[target] = body.encode()
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        posts = []
        for k in range(10):
            stamp = int((created + timedelta(minutes=k)).timestamp())
            quote = ('<div class="bbCodeBlock bbCodeQuote" data-author="user7"><aside><div '
                     'class="attribution type">user7 said:</div><blockquote '
                     'class="quoteContainer"><div class="quote">Earlier post text here</div>'
                     '<div class="quoteExpand">Click to expand...</div></blockquote></aside>'
                     '</div>' if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            posts.append(
                f'<li id="post-{tid * 10 + k}" class="message" data-author="user'
                f'{(tid + k) % 50}"><div class="messageContent"><article><blockquote '
                f'class="messageText ugc">{text}<div class="messageTextEndMarker">&nbsp;</div>'
                f'</blockquote></article></div><div class="messageMeta"><abbr class="DateTime" '
                f'data-time="{stamp}">x</abbr><a class="postNumber">#{k + 1}</a></div><div '
                f'class="likesSummary"><span class="LikeText"><a class="username">A</a>, <a '
                f'class="username">B</a> and {k} others like this.</span></div></li>')
        body = (f'<html id="XenForo"><head><base href="/"/><link rel="canonical" '
                f'href="/threads/thread-{tid}.{tid + 1}/"></head><body>{XF1_NAV}'
                f'<div class="titleBar"><h1>Thread {tid}: minoxidil progress</h1>'
                f'</div><ol class="messageList">{"".join(posts)}</ol></body></html>')
        pages[f"/threads/thread-{tid}.{tid + 1}/"] = body.encode()
    return pages


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
