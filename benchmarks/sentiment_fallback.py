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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import _read_jsonl, load_real_posts  # noqa: E402

from aggregator import outcome_reading  # noqa: E402
from aggregator.lexicon import load_lexicon, lower_and_normalise  # noqa: E402
from aggregator.outcome_cue_file import OutcomeCues  # noqa: E402
from aggregator.outcome_cue_schema import EFFECT_KINDS  # noqa: E402
from aggregator.outcome_quality import OutcomeScores  # noqa: E402
from aggregator.outcome_reading import Mention, _Extraction  # noqa: E402
from aggregator.outcomes import extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus"
EVAL = ROOT.parent / "shared" / "eval"
TUNE = ("dev", "outcomes_a", "outcomes_b", "outcomes_c", "outcomes_d")
CHECK = ("outcomes_h", "outcomes_i", "outcomes_f", "ordinary_g")
OTHER = ("summaries_e", "real_labels", "real_labels_2")

# what a valence word must be near: the hair and the result
HAIR_WORDS = frozenset({
    "hair", "hairs", "hairline", "hairlines", "crown", "crowns", "temple", "temples",
    "vertex", "density", "coverage", "regrowth", "result", "results"})
# words of the lexicon that are about the conversation ("thanks", "hope", "lol"), the
# writer's stance ("honestly", "clearly"), the condition itself and hair or body words
# ("loss", "bald", "growth", "mature hairline", "heart"), worries (the scope's fear
# triggers), profanity (either sign) or generic approval ("like", "ok"), not about how a
# result went
_NOT_VALENCE = frozenset({
    "thanks", "thank", "thanked", "please", "help", "helps", "helped", "helpful", "hope",
    "hopes", "hoped", "hopefully", "hoping", "wish", "wishes", "like", "likes", "liked",
    "ok", "okay", "lol", "lmao", "haha", "hahaha", "yes", "no", "welcome", "sorry", "luck",
    "lucky", "kind", "kindly", "care", "agree", "agreed", "true", "want", "wants", "wanted",
    "interested", "interesting", "cure", "cured", "free", "loss", "lose", "loses", "losing",
    "lost", "bald", "balding", "baldness", "growth", "grow", "growing", "gain", "gains",
    "progress", "stable", "worry", "worries", "worried", "worrying", "scared", "scary",
    "afraid", "fear", "fears", "anxious", "anxiety", "stress", "stressed", "stressful",
    "fuck", "fucking", "fucked", "shit", "shitty", "hell", "damn", "crap", "god", "jesus",
    "pain", "problem", "problems", "issue", "issues", "risk", "risks", "side", "sides",
    "honest", "honestly", "clearly", "truly", "sure", "certainly", "recession", "mature",
    "natural", "healthy", "heart", "fake"})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Setting:
    """One way of using the lexicon (see the module docstring)."""

    name: str
    threshold: float = 2.0  # |valence| at least this (VADER's scale is -4..4)
    window: int = 4  # words between the valence word and a hair word, at most
    neg_kind: str | None = "declined"  # the kind of a negative word; None: positive only
    scope: str = "sentence"  # "sentence" or "speaker": where the rules found no effect cue
    first_person: str = "rules"  # "rules" or "sentence" (a marker in the sentence itself)
    treatment_anchor: bool = False  # a treatment's name counts as a hair word too
    lexicon: str = "vader"  # or "pattern": TextBlob's adjectives (polarity -1..1, x4)


# names: lexicon, |valence| threshold x10, window, then what differs from the first
SETTINGS = {s.name: s for s in (
    Setting("vader_t20_w4"),
    Setting("vader_t20_w4_positive_only", neg_kind=None),
    Setting("vader_t20_w4_speaker", scope="speaker"),
    Setting("vader_t20_w4_own_first_person", first_person="sentence"),
    Setting("vader_t15_w4", threshold=1.5),
    Setting("vader_t25_w4", threshold=2.5),
    Setting("vader_t20_w2", window=2),
    Setting("vader_t20_w6", window=6),
    Setting("vader_t20_w4_negative_no_effect", neg_kind="no_effect"),
    Setting("vader_t20_w4_treatment", treatment_anchor=True),
    Setting("vader_t20_w6_treatment_own_first_person", window=6, treatment_anchor=True,
            first_person="sentence"),
    Setting("pattern_t20_w4", lexicon="pattern"),
    Setting("pattern_t30_w4", threshold=3.0, lexicon="pattern"),
    Setting("pattern_t10_w4", threshold=1.0, lexicon="pattern"),
)}


def vader_lexicon() -> dict[str, float]:
    """Word -> mean valence of the lexicon file the `vaderSentiment` package ships (plain
    words only: no emoticons or phrases)."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("vaderSentiment is not installed (pip install vaderSentiment)")
    path = Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"
    valence: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and _WORD.fullmatch(fields[0]):
            valence[fields[0]] = float(fields[1])
    return valence


def pattern_lexicon() -> dict[str, float]:
    """Word -> polarity x 4 (VADER's scale) of the adjective lexicon TextBlob ships
    (`textblob/en/en-sentiment.xml`, from Pattern, BSD/MIT), averaged over a word's senses
    as Pattern does."""
    import importlib.util
    import xml.etree.ElementTree as ET

    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("textblob is not installed (pip install textblob)")
    path = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
    senses: dict[str, list[float]] = {}
    for word in ET.parse(path).getroot().iter("word"):
        form = word.get("form", "").lower()
        if _WORD.fullmatch(form) and word.get("polarity") is not None:
            senses.setdefault(form, []).append(float(word.get("polarity", "0")))
    return {w: 4 * sum(p) / len(p) for w, p in senses.items()}


class ValenceReader:
    """The rules' reading with the lexicon's cues added where the rules found none."""

    def __init__(self, setting: Setting, valence: dict[str, float]) -> None:
        self.setting = setting
        self.strong = {w: v for w, v in valence.items()
                       if abs(v) >= setting.threshold and w not in _NOT_VALENCE
                       and w not in HAIR_WORDS and (v > 0 or setting.neg_kind)}

    def read_thread(self, cues: OutcomeCues, parts: Sequence[str],
                    mentions: Sequence[Mention],
                    normalised: tuple[str, str] | None = None) -> _Extraction | None:
        reading = _RULES_READ_THREAD(cues, parts, mentions, normalised)
        if reading is None:  # no rules cue at all: build the reading for the lexicon's
            lowered, norm = normalised or lower_and_normalise("\n".join(parts))
            if "’" in lowered:
                lowered = lowered.replace("’", "'")
            __, triggers = cues.scanner.scan(f" {norm} ")
            reading = _Extraction(cues, parts, lowered, triggers, mentions, [])
        added = self.valence_cues(reading)
        self.added = added  # (what the last thread read got: for error analysis)
        if added:
            found = sorted([*reading.found, *added])
            reading.found = found
            reading.f_starts = [f[0] for f in found]
        return reading if reading.found else None

    def valence_cues(self, reading: _Extraction) -> list[tuple[int, int, str]]:
        setting, strong, lowered = self.setting, self.strong, reading.lowered
        if not reading.mentions:
            return []
        taken = sorted([(a, b) for a, b, _ in reading.found] +
                       [(a, b) for a, b, _ in reading._triggers])
        t_starts = [a for a, _ in taken]
        effect_at = [f[0] for f in reading.found if f[2] in EFFECT_KINDS]
        speakers_with_effect = {speaker for u_start, u_end, speaker in reading.units
                                if _any_in(effect_at, u_start, u_end)}
        out: list[tuple[int, int, str]] = []
        for u_start, u_end, speaker in reading.units:
            if setting.scope == "speaker" and speaker in speakers_with_effect:
                continue
            for start, end, question in reading._sentences(u_start, u_end):
                if question or (setting.scope == "sentence" and
                                _any_in(effect_at, start, end)):
                    continue
                words = [(m.start(), m.end(), m[0]) for m in _WORD.finditer(lowered, start, end)]
                hair = [i for i, w in enumerate(words) if w[2] in HAIR_WORDS]
                if setting.treatment_anchor:
                    m_starts = reading.m_starts
                    for m in reading.mentions[bisect_left(m_starts, start):
                                              bisect_left(m_starts, end)]:
                        hair += [i for i, w in enumerate(words) if w[0] < m[1] and m[0] < w[1]]
                if not hair:
                    continue
                found = []
                for i, (a, b, word) in enumerate(words):
                    v = strong.get(word)
                    if v is None or not any(abs(i - h) <= setting.window for h in hair) or \
                            lowered[a - 1:a] == "-" or lowered[b:b + 1] == "-":
                        continue  # (far from the hair; or part of a compound: "hair-wise")
                    j = bisect_left(t_starts, b)  # overlapping a cue or a trigger: theirs
                    if any(a < y for _, y in taken[:j]):
                        continue
                    found.append((a, b, "improved" if v > 0 else str(setting.neg_kind)))
                if found and setting.first_person == "sentence" and \
                        not reading._has_first_person(start, end):
                    continue
                out.extend(found)
        return out


def _any_in(starts: list[int], start: int, end: int) -> bool:
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


_RULES_READ_THREAD = outcome_reading.read_thread


def use(reader: ValenceReader | None) -> None:
    """Make `extract_outcomes` read with `reader` (None: the rules alone). Plain Python
    only: a mypyc build of `aggregator.outcome_reading` calls its own `read_thread` directly
    and ignores the patch (docs/development.md), so run this experiment on the plain code."""
    outcome_reading.read_thread = reader.read_thread if reader else _RULES_READ_THREAD


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
