"""Readings of hand-written threads with the shipped lexicon and cue file, for the outcome
rule tests: `outcomes`, one treatment's `effect` and `sides`, every treatment's `effects`."""

from __future__ import annotations

from aggregator.lexicon import load_lexicon
from aggregator.outcomes import Outcome, load_outcome_cues, thread_outcomes
from aggregator.tagger import Tagger

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
