"""Readings of hand-written threads with the shipped lexicon and cue file, for the outcome
rule tests: `outcomes`, one treatment's `effect` and `sides`, every treatment's `effects`;
the labelled threads, and the check that a faster cue set reads them as the plain one does."""

from __future__ import annotations

import json
from pathlib import Path

from aggregator.lexicon import load_lexicon
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reading import read_thread
from aggregator.outcomes import Outcome, load_outcome_cues, thread_outcomes
from aggregator.tagger import Tagger
from tests.conftest import EVAL

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()


def outcomes(title: str, body: str = "", replies: tuple[str, ...] = ()) -> dict[str, Outcome]:
    """Each treatment's outcome in the thread (`thread_outcomes`)."""
    return thread_outcomes(TAGGER, CUES, title, body, list(replies))


def effect(treatment: str, title: str, body: str = "", replies: tuple[str, ...] = ()) -> str:
    """The effect the thread reports for `treatment`."""
    return outcomes(title, body, replies)[treatment].effect


def effects(title: str, body: str = "", replies: tuple[str, ...] = ()) -> dict[str, str]:
    """The effect the thread reports for each treatment."""
    return {t: o.effect for t, o in outcomes(title, body, replies).items()}


def sides(treatment: str, title: str, body: str = "", replies: tuple[str, ...] = (),
          ) -> tuple[str, ...]:
    """The side effects the thread reports for `treatment`."""
    return outcomes(title, body, replies)[treatment].side_effects


Thread = tuple[str, str, list[str]]  # title, body, reply bodies


def labelled_threads(corpora: tuple[str, ...] | None = None) -> list[Thread]:
    """The dev set's threads and those of `benchmarks/corpus` (every corpus, or the named)."""
    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"
    paths = [EVAL / "posts.jsonl", EVAL / "outcomes_posts.jsonl",
             *(sorted(corpus.glob("*/posts.jsonl")) if corpora is None
               else (corpus / name / "posts.jsonl" for name in corpora))]
    posts = [json.loads(line) for path in paths if path.exists()
             for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(p.get("title") or "", p.get("body") or "",
             [r if isinstance(r, str) else r.get("body", "") for r in p.get("replies") or []])
            for p in posts]


def same_readings(threads: list[Thread], cues: OutcomeCues, plain: OutcomeCues) -> int:
    """Assert that `cues` and `plain` read every thread alike (outcomes, trace and notes);
    return how many threads named a treatment."""
    read = 0
    for title, body, replies in threads:
        _, lowered, norm, mentions = TAGGER.tag_text(title, body, replies)
        treatments = sorted({m[2] for m in mentions})
        if not treatments:
            continue
        parts = [title, body, *replies]
        fast = read_thread(cues, parts, mentions, (lowered, norm))
        slow = read_thread(plain, parts, mentions, (lowered, norm))
        assert (fast is None) == (slow is None)
        if fast is None or slow is None:
            continue
        fast.trace, slow.trace = [], []
        fast.notes, slow.notes = [], []
        assert fast.run(treatments) == slow.run(treatments)
        assert fast.trace == slow.trace and fast.notes == slow.notes
        read += 1
    return read
