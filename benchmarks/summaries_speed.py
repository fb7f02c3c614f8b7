"""Thread summaries: a hash proving them unchanged, and their CPU time, paired with a baseline.

    python benchmarks/summaries_speed.py --check [--dump FILE]
    python benchmarks/summaries_speed.py --time [--threads 20000] [--studies 400] [--profile]
    python benchmarks/summaries_speed.py --pair BASE_DIR [--rounds 5] [--threads 20000]
    python benchmarks/summaries_speed.py --pair-here BASE_DIR [--rounds 9] [--threads 3000]
                                         [--dev] [--chunk 100]

`--check` summarises every thread of the dev sets (`../shared/eval/posts.jsonl`,
`outcomes_posts.jsonl`), of every `benchmarks/corpus/*/posts.jsonl`, the real Reddit posts
of `../shared/realdata/reddit` and 20,000 generated threads (`benchmarks/aggregate.py`'s
`generate_threads`), the aggregator's way (tagger word counts, tagged treatments, the tagger
check); the corpus and real threads also without the tagger check, without word counts,
with each reply as the body and with the replies appended to the body, and through the two
baselines; 3,000 fuzzed threads (corpus words mixed with shorthand, markup, odd whitespace
and scripts) the same ways. Prints one SHA-256 over all of them (and per source): a speed-up
must leave it unchanged. `--dump` writes every summary, one a line, to compare two trees.

`--time` prints the in-process CPU seconds of `summarise` over the generated threads, called
as the aggregate worker calls it (after tagging, which is not timed). `--pair BASE_DIR` runs
`--time` alternately in fresh processes on BASE_DIR (e.g. a detached worktree of main) and
on this tree, and prints each round, the medians and the ratio, with the load average.
`--pair-here BASE_DIR` loads both trees' `summarise` (and tagger) into this one process and
times them alternately on the same tagged threads, the best of three passes per round
(checking first that both give the same summaries): on a shared machine the
one-process pairs vary less than fresh processes do. With `--dev` it times the dev, corpus
and real Reddit threads of `--check` instead of generated ones (their word counts, like the
generated threads' in `--pair-here`, made before the timing: the aggregate worker counts the
words for the study scores anyway). With `--chunk N` the trees alternate every N threads and
each chunk counts with the least of its times over the rounds (`_pair_chunks`): on a loaded
machine whole passes differ by ±10%, the sums of chunk minima by about 0.5% (two copies of
one tree at a load of 7 on 2 cores: 1.005).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("HAIRLINK_BENCH_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generated import generate_threads  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.summaries import lead_summary, summarise, textrank_summary  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

HERE = Path(__file__).resolve().parents[1]
SHARED = HERE.parent / "shared"
Thread = tuple[str, str, list[str]]


def _jsonl_threads(path: Path) -> Iterator[Thread]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            post = json.loads(line)
            replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                       for r in post.get("replies", [])]
            yield post.get("title", "") or "", post.get("body", "") or "", replies


def _reddit_threads(folder: Path) -> Iterator[Thread]:
    """Posts of the recorded Reddit listings, and comment pages as threads."""
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        listings = data if isinstance(data, list) else [data]
        posts = [c["data"] for c in listings[0].get("data", {}).get("children", [])
                 if c.get("kind") == "t3"]
        comments: list[str] = []
        for listing in listings[1:]:
            comments.extend(_comment_bodies(listing))
        for post in posts:
            yield post.get("title", "") or "", post.get("selftext", "") or "", comments


def _comment_bodies(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("kind") == "t1":
            yield node["data"].get("body", "") or ""
            yield from _comment_bodies(node["data"].get("replies"))
        elif "data" in node and isinstance(node["data"], dict):
            for child in node["data"].get("children", []):
                yield from _comment_bodies(child)


def corpus_threads() -> dict[str, list[Thread]]:
    """The labelled and recorded threads, by source."""
    sources = {f"eval/{p.name}": list(_jsonl_threads(p))
               for p in (SHARED / "eval" / "posts.jsonl", SHARED / "eval" / "outcomes_posts.jsonl")}
    for path in sorted((HERE / "benchmarks" / "corpus").glob("*/posts.jsonl")):
        sources[f"corpus/{path.parent.name}"] = list(_jsonl_threads(path))
    sources["realdata/reddit"] = list(_reddit_threads(SHARED / "realdata" / "reddit"))
    return sources


_ODD = ("fin", "Fin", "FIN", "min", "minox", "dut", "keto", "spiro", "RU", "ru", "ht", "HT", "mn",
        "ldom", "derm", "seb", "gf", "bp", "PFS", "ED", "ed", "TE", "sides", "no", "zero",
        "2x", "1x", "a day", "a week", "27M", "F34", "m25", "lol", "tbh", "imo", "😅", "🙏",
        "\u200d", "²", "٣", "İ", "OP:", "(op)", "op here,", "> ", "- ", "* ", "1. ", "2)",
        "&amp;", "&gt;", "[quote=x]a quoted fin post[/quote]", "[b]", "[/b]", "**", "_",
        "`", "#", "~", "[link](https://x.io/a)", "https://x.io/p?q=1", "www.x.io", "\n",
        "\n\n", " \n ", "\t", "\u00a0", "\x1c", "\u2003", ". ", "! ", "? ", ".\" ", "!) ",
        "...", "…", "—", " - ", "-", ",", ";", ":", "de semana", "diet", "months", "weeks",
        "years", "days", "sessions", "times", "8", "12", "13", "05", "2.5", "1-2", "5%",
        "finasteride", "minoxidil", "Thanks!", "Hi all,", "lol.", "Congrats", "bump")


def fuzzed(count: int, seed: int = 5) -> list[Thread]:
    """Threads of corpus words mixed with shorthand, markup, odd whitespace and scripts."""
    rng = random.Random(seed)
    words = [w for ts in corpus_threads().values() for t, b, r in ts for w in
             f"{t} {b} {' '.join(r)}".split(" ")]

    def text(n: int) -> str:
        return " ".join(rng.choice(_ODD) if rng.random() < 0.25 else rng.choice(words)
                        for _ in range(rng.randint(0, n)))

    return [(text(15), text(rng.choice((5, 60, 300))), [text(80) for _ in range(rng.randint(0, 5))])
            for _ in range(count)]


def generated(n_threads: int, n_studies: int) -> list[Thread]:
    """The aggregate benchmark's generated threads."""
    return [(t["title"], t["body"], [r["body"] for r in t["replies"]])
            for t in generate_threads(n_threads, n_studies)]


def _variants(tagger: Tagger, thread: Thread) -> Iterator[str]:
    title, body, replies = thread
    tags, norm, _ = tagger.tag_with_mentions(title, body, replies)
    yield summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
    yield summarise(title, body, replies, Counter(norm.split()), tags)
    yield summarise(title, body, replies, None, set(tags), tagger.tag)
    yield summarise(title, body, replies)
    for i, reply in enumerate(replies):
        others = replies[:i] + replies[i + 1:]
        t, n, _ = tagger.tag_with_mentions("", reply, others)
        yield summarise("", reply, others, Counter(n.split()), t, tagger.tag)
    long_body = "\n\n".join((body, *replies))
    t, n, _ = tagger.tag_with_mentions(title, long_body, ())
    yield summarise(title, long_body, (), Counter(n.split()), t, tagger.tag)
    yield lead_summary(title, body)
    yield textrank_summary(title, body, replies)


def check(dump: Path | None) -> None:
    """Print the hash of every summary (and per source); `dump` gets them one a line."""
    tagger = Tagger(load_lexicon())
    total = hashlib.sha256()
    lines: list[str] = []
    for name, threads in {**corpus_threads(), "fuzzed": fuzzed(3000)}.items():
        digest = hashlib.sha256()
        count = 0
        for thread in threads:
            for summary in _variants(tagger, thread):
                digest.update(summary.encode() + b"\0")
                lines.append(f"{name}\t{summary}")
                count += 1
        total.update(digest.digest())
        print(f"{name}: {len(threads)} threads, {count} summaries, {digest.hexdigest()[:16]}")
    digest = hashlib.sha256()
    threads = generated(20000, 400)
    for title, body, replies in threads:
        tags, norm, _ = tagger.tag_with_mentions(title, body, replies)
        summary = summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
        digest.update(summary.encode() + b"\0")
        lines.append(f"generated\t{summary}")
    total.update(digest.digest())
    print(f"generated: {len(threads)} threads, {digest.hexdigest()[:16]}")
    print(f"all summaries: {total.hexdigest()}")
    if dump:
        dump.write_text("\n".join(lines) + "\n", encoding="utf-8")


def time_summaries(n_threads: int, n_studies: int, profile: bool) -> float:
    """CPU seconds of `summarise` over tagged generated threads (the worker's call)."""
    tagger = Tagger(load_lexicon())
    tagged = []
    for title, body, replies in generated(n_threads, n_studies):
        tags, norm, _ = tagger.tag_with_mentions(title, body, replies)
        tagged.append((title, body, replies, norm, tags))
    if profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            for title, body, replies, norm, tags in tagged:
                summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    start = time.process_time()
    for title, body, replies, norm, tags in tagged:
        summarise(title, body, replies, Counter(norm.split()), tags, tagger.tag)
    return time.process_time() - start


def pair(base: Path, rounds: int, n_threads: int, n_studies: int) -> None:
    """`--time` alternately on `base` and on this tree, in fresh processes."""
    figures: dict[str, list[float]] = {"base": [], "this": []}
    for round_no in range(rounds):
        for label, root in (("base", base), ("this", HERE)):
            env = {**os.environ, "PYTHONPATH": str(root), "HAIRLINK_BENCH_ROOT": str(root)}
            done = subprocess.run([sys.executable, __file__, "--time", "--threads",
                                   str(n_threads), "--studies", str(n_studies)],
                                  capture_output=True, text=True, env=env, cwd=root, check=True)
            figures[label].append(float(done.stdout.split()[-1]))
        print(f"round {round_no + 1}: base {figures['base'][-1]:.2f} CPU-s, this "
              f"{figures['this'][-1]:.2f} CPU-s, ratio "
              f"{figures['base'][-1] / figures['this'][-1]:.2f}x; "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    ratios = [b / t for b, t in zip(figures["base"], figures["this"], strict=True)]
    print(f"summaries of {n_threads} threads, median of {rounds} paired rounds: base "
          f"{statistics.median(figures['base']):.2f} CPU-s, this "
          f"{statistics.median(figures['this']):.2f} CPU-s; {statistics.median(ratios):.2f}x "
          f"less CPU (min {min(ratios):.2f}, max {max(ratios):.2f}), target >= 2.5x; load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _load_tree(root: Path) -> tuple[Any, Tagger]:
    """`summarise` and a tagger imported from the hairlink checkout in `root`."""
    for name in [n for n in sys.modules if n == "aggregator" or n.startswith("aggregator.")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        summaries = importlib.import_module("aggregator.summaries")
        tagger = importlib.import_module("aggregator.tagger")
        lexicon = importlib.import_module("aggregator.lexicon")
    finally:
        sys.path.remove(str(root))
    return summaries.summarise, tagger.Tagger(lexicon.load_lexicon())


def pair_here(base: Path, rounds: int, n_threads: int, n_studies: int, dev: bool,
              chunk: int = 0) -> None:
    """Both trees' `summarise` in this process, alternating, on the same threads (`dev`: the
    dev, corpus and real threads instead of generated ones; `chunk`: alternating every
    `chunk` threads, `_pair_chunks`)."""
    threads = [t for ts in corpus_threads().values() for t in ts] if dev \
        else generated(n_threads, n_studies)
    n_threads = len(threads)
    trees: dict[str, tuple[Any, Any, list[tuple[Any, ...]]]] = {}
    for label, root in (("base", base), ("this", HERE)):
        summarise_, tagger = _load_tree(root)
        tagged = []
        for title, body, replies in threads:
            tags, norm, _ = tagger.tag_with_mentions(title, body, replies)
            tagged.append((title, body, replies, Counter(norm.split()), tags))
        trees[label] = (summarise_, tagger.tag, tagged)
    said = {label: [f(*args, found_in) for args in tagged]
            for label, (f, found_in, tagged) in trees.items()}
    if said["base"] != said["this"]:
        raise SystemExit("the two trees summarise the threads differently")
    if chunk:
        _pair_chunks(trees, rounds, chunk, "dev/corpus/real" if dev else "generated")
        return
    figures: dict[str, list[float]] = {"base": [], "this": []}
    for round_no in range(rounds):
        for label in ("base", "this") if round_no % 2 == 0 else ("this", "base"):
            f, found_in, tagged = trees[label]
            best = float("inf")
            for _ in range(3):
                start = time.process_time()
                for args in tagged:
                    f(*args, found_in)
                best = min(best, time.process_time() - start)
            figures[label].append(best)
    ratios = [t / b for b, t in zip(figures["base"], figures["this"], strict=True)]
    print(f"summarise of {n_threads} {'dev/corpus/real' if dev else 'generated'} threads in "
          f"one process, {rounds} alternating rounds (best "
          f"of 3 passes each): base {statistics.median(figures['base']):.3f} CPU-s "
          f"({min(figures['base']):.3f}-{max(figures['base']):.3f}), this "
          f"{statistics.median(figures['this']):.3f} ({min(figures['this']):.3f}-"
          f"{max(figures['this']):.3f}); this / base median {statistics.median(ratios):.3f} "
          f"({min(ratios):.3f}-{max(ratios):.3f}); load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _pair_chunks(trees: dict[str, tuple[Any, Any, list[tuple[Any, ...]]]], rounds: int,
                 chunk: int, kind: str) -> None:
    """The trees alternating every `chunk` threads (which first alternates too), each
    chunk's time the least of its `rounds`: a burst of load on a shared machine then
    slows a chunk of each tree alike, and the least time of a chunk is its time unloaded
    (the sums resolve a change of about 1%; whole passes vary by ±10% under load)."""
    n_threads = len(trees["base"][2])
    starts = range(0, n_threads, chunk)
    least = {label: [float("inf")] * len(starts) for label in trees}
    ratios = []
    for round_no in range(rounds):
        spent = dict.fromkeys(trees, 0.0)
        for k, start in enumerate(starts):
            for label in ("base", "this") if (round_no + k) % 2 == 0 else ("this", "base"):
                f, found_in, tagged = trees[label]
                part = tagged[start:start + chunk]
                began = time.process_time()
                for args in part:
                    f(*args, found_in)
                took = time.process_time() - began
                spent[label] += took
                least[label][k] = min(least[label][k], took)
        ratios.append(spent["this"] / spent["base"])
    base, this = sum(least["base"]), sum(least["this"])
    print(f"summarise of {n_threads} {kind} threads in one process, trees alternating every "
          f"{chunk} threads, {rounds} rounds: sum of each chunk's least time: base "
          f"{base:.3f} CPU-s, this {this:.3f}, this / base {this / base:.4f}; per round this "
          f"/ base median {statistics.median(ratios):.3f} ({min(ratios):.3f}-"
          f"{max(ratios):.3f}); load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--time", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pair", type=Path, metavar="BASE_DIR")
    parser.add_argument("--pair-here", type=Path, metavar="BASE_DIR")
    parser.add_argument("--dev", action="store_true", help="--pair-here on the dev threads")
    parser.add_argument("--chunk", type=int, default=0,
                        help="--pair-here alternating the trees every CHUNK threads")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--studies", type=int, default=400)
    args = parser.parse_args()
    if args.check:
        check(args.dump)
    elif args.pair:
        pair(args.pair.resolve(), args.rounds, args.threads, args.studies)
    elif args.pair_here:
        pair_here(args.pair_here.resolve(), args.rounds, args.threads, args.studies, args.dev,
                  args.chunk)
    else:
        print(f"summaries CPU-s {time_summaries(args.threads, args.studies, args.profile):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
