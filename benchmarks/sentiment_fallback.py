"""Experiment: a general-purpose sentiment lexicon as a fallback effect signal.

    python benchmarks/sentiment_fallback.py --tune [--setting NAME ...] [--changes]
    python benchmarks/sentiment_fallback.py --check --setting NAME [...]
    python benchmarks/sentiment_fallback.py --speed [--setting NAME] [--threads 5000]
    python benchmarks/sentiment_fallback.py --reach

Question: does a sentiment lexicon that was not tuned on our corpora (VADER's
`vader_lexicon.txt`, Hutto & Gilbert 2014, MIT, shipped by the `vaderSentiment` package;
read as a file, no network) raise effect accuracy on held-out text when it is used only
where the rules found no effect cue?

How the fallback reads a thread (`ValenceReader.read_thread`: the rules' `read_thread` plus
one step; `use` puts it in place of the rules' one): a word of the lexicon whose valence is
at least `threshold` in absolute value, within `window` words of a hair word (hair,
hairline, crown, temples, density, coverage, regrowth, results, ...) in the same sentence,
is added as an effect cue: `improved` when positive, `neg_kind` (`declined` or `no_effect`)
when negative. It is added only where the rules found no effect cue (`scope`: in that
sentence, or from that speaker at all), never inside a rules cue or scope trigger (the cue
file's reading wins), and never for a few words that are about the conversation or the
condition rather than the result (`_NOT_VALENCE`: "thanks", "hope", "loss", ...). The added
cues then go through the reader's scope and attribution unchanged: questions, negation ("not
happy with my crown"), hypotheticals and fears, generic and research statements, quotations,
a reply's first person, attribution to treatments, and the per-speaker sum (both directions
from one speaker make `mixed`). With `first_person = "sentence"` the sentence must also hold
a first-person marker itself (the poster's sentences too). `lexicon = "pattern"` uses
TextBlob's adjective lexicon instead (`textblob/en/en-sentiment.xml`, from Pattern; polarity
x 4 to VADER's scale).

Corpora: `--tune` reads only dev (../shared/eval) and benchmarks/corpus/outcomes_a-d (the
settings are chosen there; `--changes` lists the pairs whose outcome a setting changes,
for the tuning corpora only). `--check` reads the formerly blind corpora outcomes_h,
outcomes_i, outcomes_f, ordinary_g and the other seen ones (summaries_e, real_labels,
real_labels_2), once per setting, and prints every corpus before -> after. No other
corpus is read (a blind one in benchmarks/corpus stays unseen).

`--speed`: CPU of `extract_outcomes` with the rules alone and with the fallback (the first
`--setting`, default vader_t20_w4), in this process, on the generated threads of
`benchmarks/aggregate.py` (seed 7) and the labelled threads of the tuning corpora, tagged
once (`Tagger.tag_text`, as the block worker calls the reader); five rounds, the order
alternating; per round both CPU-s (`time.process_time`) and the ratio, then min / median /
max, with the load average. `--reach` (after the check, for the record): over the pairs
of outcomes_h, _i, _f and ordinary_g, how many the rules read as `none` hold a VADER word
(|valence| >= 1.5, `_NOT_VALENCE` left out) anywhere in the thread, and within 4 words of a
hair word in a sentence (split at . ! ? and newlines; any speaker, no scope): an upper
bound on what the fallback could reach, for the pairs with an effect in gold and for those
without. The fallback here is the experiment's plain Python (a word regex per sentence
holding a hair word), not an optimised form.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from quality import _read_jsonl, load_real_posts  # noqa: E402
from sentiment_lexicons import (  # noqa: E402
    _NOT_VALENCE,
    _WORD,
    HAIR_WORDS,
    SETTINGS,
    Setting,
    pattern_lexicon,
    vader_lexicon,
)
from sentiment_reader import ValenceReader, use  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.outcome_cue_file import OutcomeCues  # noqa: E402
from aggregator.outcome_quality import OutcomeScores  # noqa: E402
from aggregator.outcomes import extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

__all__ = ["EVAL", "SETTINGS", "Setting", "ValenceReader", "_read_jsonl", "use"]

CORPUS = ROOT / "benchmarks" / "corpus"
EVAL = ROOT.parent / "shared" / "eval"
TUNE = ("dev", "outcomes_a", "outcomes_b", "outcomes_c", "outcomes_d")
CHECK = ("outcomes_h", "outcomes_i", "outcomes_f", "ordinary_g")
OTHER = ("summaries_e", "real_labels", "real_labels_2")


def corpus_posts(name: str) -> list[dict]:
    if "outcomes_j" in name:
        raise SystemExit("outcomes_j is a blind corpus: not read here")
    if name == "dev":
        return [p for f in ("posts.jsonl", "outcomes_posts.jsonl")
                for p in _read_jsonl(EVAL / f) if "gold_outcomes" in p]
    if name.startswith("real_labels"):
        posts = load_real_posts(CORPUS / name)
        if posts is None:
            raise SystemExit(f"the real posts of {name} are not on this machine")
        return posts
    return [p for p in _read_jsonl(CORPUS / name / "posts.jsonl") if "gold_outcomes" in p]


def prepared(posts: list[dict], tagger: Tagger) -> list[tuple[dict, list[str], list]]:
    out = []
    for post in posts:
        replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                   for r in post.get("replies", [])]
        parts = [post.get("title", ""), post.get("body", ""), *replies]
        _, _, mentions = tagger.tag_with_mentions(parts[0], parts[1], replies)
        out.append((post, parts, mentions))
    return out


def score(threads: list[tuple[dict, list[str], list]], cues: OutcomeCues,
          ) -> tuple[OutcomeScores, dict[tuple[str, str], tuple[str, tuple[str, ...]]]]:
    """The scores of `evaluate_outcomes` (without ROUGE), and each pair's prediction."""
    scores, predictions = OutcomeScores(), {}
    for post, parts, mentions in threads:
        predicted = extract_outcomes(cues, parts, mentions)
        for tid, gold in sorted((post.get("gold_outcomes") or {}).items()):
            if tid not in predicted:
                continue
            got = predicted[tid]
            predictions[(str(post.get("id")), tid)] = (got.effect, got.side_effects)
            scores.count(gold, got.effect, got.side_effects)
    return scores, predictions


def _figures(s: OutcomeScores) -> str:
    return (f"{s.accuracy:.3f} / {s.macro_f1:.3f} | "
            f"{s.side_precision:.3f} / {s.side_recall:.3f} / {s.side_f1:.3f}")


def compare(names: Sequence[str], settings: Sequence[Setting], changes: bool,
            pooled_label: str) -> None:
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    lexicons = {"vader": vader_lexicon(),
                 "pattern": pattern_lexicon() if any(s.lexicon == "pattern" for s in settings)
                 else {}}
    corpora = {n: prepared(corpus_posts(n), tagger) for n in names}
    use(None)
    base = {n: score(t, cues) for n, t in corpora.items()}
    for setting in settings:
        reader = ValenceReader(setting, lexicons[setting.lexicon])
        use(reader)
        print(f"\n## {setting} ({len(reader.strong)} lexicon words)\n")
        print("| corpus | pairs | before acc / macro-F1 \\| side P / R / F1 "
              "| after acc / macro-F1 \\| side P / R / F1 | pairs changed (right/wrong) |")
        print("|---|---|---|---|---|")
        pool_b, pool_a = OutcomeScores(), OutcomeScores()
        for name, threads in corpora.items():
            after, predicted = score(threads, cues)
            before, was = base[name]
            gold = {(str(p.get("id")), t): g["effect"] for p, _, _ in threads
                    for t, g in (p.get("gold_outcomes") or {}).items()}
            moved = [k for k in predicted if predicted[k][0] != was[k][0]]
            fixed = sum(predicted[k][0] == gold[k] for k in moved)
            broke = sum(was[k][0] == gold[k] for k in moved)
            print(f"| {name} | {after.pairs} | {_figures(before)} | {_figures(after)} | "
                  f"{len(moved)} (+{fixed} / -{broke}) |")
            pool_b, pool_a = pool_b.merged(before), pool_a.merged(after)
            if changes and name in TUNE:
                for k in moved:
                    print(f"    {name} {k[0]} {k[1]}: gold {gold[k]}, "
                          f"{was[k][0]} -> {predicted[k][0]}")
        print(f"| **{pooled_label}** | {pool_a.pairs} | {_figures(pool_b)} | "
              f"{_figures(pool_a)} | |")
    use(None)


def speed(setting: Setting, n_threads: int, rounds: int = 5) -> None:
    from generated import generate_threads

    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    reader = ValenceReader(setting, vader_lexicon() if setting.lexicon == "vader"
                           else pattern_lexicon())
    threads = [(t["title"], t["body"], [r["body"] for r in t["replies"]])
               for t in generate_threads(n_threads, 400)]
    threads += [(p.get("title", ""), p.get("body", ""),
                 [r.get("body", "") if isinstance(r, dict) else str(r)
                  for r in p.get("replies", [])])
                for n in TUNE for p in corpus_posts(n)]
    tagged = []
    for title, body, replies in threads:
        _, lowered, norm, mentions = tagger.tag_text(title, body, replies)
        tagged.append(([title, body, *replies], mentions, (lowered, norm)))
    print(f"{len(tagged)} threads ({n_threads} generated), setting {setting.name}, "
          f"load average {os.getloadavg()[0]:.1f}")
    ratios = []
    for i in range(rounds):
        cpu = {}
        for which in ((None, reader) if i % 2 == 0 else (reader, None)):
            use(which)
            start = time.process_time()
            for parts, mentions, normalised in tagged:
                extract_outcomes(cues, parts, mentions, normalised)
            cpu["fallback" if which else "rules"] = time.process_time() - start
        use(None)
        ratios.append(cpu["fallback"] / cpu["rules"])
        print(f"round {i + 1}: rules {cpu['rules']:.3f} CPU-s, rules + fallback "
              f"{cpu['fallback']:.3f} CPU-s, ratio {ratios[-1]:.3f}")
    print(f"ratio min / median / max {min(ratios):.3f} / {statistics.median(ratios):.3f} / "
          f"{max(ratios):.3f}, load average {os.getloadavg()[0]:.1f}")


def reach() -> None:
    tagger, cues = Tagger(load_lexicon()), load_outcome_cues()
    strong = {w for w, v in vader_lexicon().items()
              if abs(v) >= 1.5 and w not in _NOT_VALENCE and w not in HAIR_WORDS}
    counts = {key: [0, 0, 0] for key in ("gold effect, read none", "gold none, read none")}
    for name in CHECK:
        for post, parts, mentions in prepared(corpus_posts(name), tagger):
            predicted = extract_outcomes(cues, parts, mentions)
            text = "\n".join(parts).lower()
            anywhere = any(w in strong for w in _WORD.findall(text))
            near = False
            for sentence in re.split(r"[.!?\n]+", text):
                words = _WORD.findall(sentence)
                hair = [i for i, w in enumerate(words) if w in HAIR_WORDS]
                near = near or any(w in strong and any(abs(i - h) <= 4 for h in hair)
                                   for i, w in enumerate(words))
            for tid, gold in (post.get("gold_outcomes") or {}).items():
                if tid in predicted and predicted[tid].effect == "none":
                    row = counts["gold effect, read none" if gold["effect"] != "none"
                                 else "gold none, read none"]
                    row[0] += 1
                    row[1] += anywhere
                    row[2] += near
    print("pairs of outcomes_h, _i, _f, ordinary_g the rules read as none: pairs / with a "
          "strong VADER word anywhere / within 4 words of a hair word")
    for key, (n, anywhere_n, near_n) in counts.items():
        print(f"  {key}: {n} / {anywhere_n} / {near_n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--tune", action="store_true", help="dev and outcomes_a-d")
    which.add_argument("--check", action="store_true",
                       help="outcomes_h, _i, _f, ordinary_g, then the other seen corpora")
    which.add_argument("--speed", action="store_true",
                       help="CPU of the reader with and without the fallback")
    which.add_argument("--reach", action="store_true",
                       help="what a lexicon word near hair could reach (after the check)")
    parser.add_argument("--threads", type=int, default=5000, help="generated threads (--speed)")
    parser.add_argument("--setting", action="append", choices=sorted(SETTINGS),
                        help="(repeatable; default: every setting with --tune)")
    parser.add_argument("--changes", action="store_true",
                        help="list the pairs a setting changes (tuning corpora only)")
    args = parser.parse_args()
    if args.check and not args.setting:
        parser.error("--check needs --setting (each setting read there is reported)")
    settings = [SETTINGS[n] for n in (args.setting or SETTINGS)]
    if args.reach:
        reach()
    elif args.speed:
        speed(settings[0] if args.setting else SETTINGS["vader_t20_w4"], args.threads)
    elif args.tune:
        compare(TUNE, settings, args.changes, "pooled dev + a-d")
    else:
        compare(CHECK, settings, False, "pooled h + i + f + g")
        compare(OTHER, settings, False, "pooled e + real")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
