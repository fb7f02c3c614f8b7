"""The sentiment-lexicon fallback experiment (`benchmarks/sentiment_fallback.py`, not used by
the aggregator): its cues go through the rules' scope and attribution, and without lexicon
words it reads exactly as the rules do. A tiny lexicon stands in for VADER's (not installed
in the project's environment)."""

from __future__ import annotations

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcomes import extract_outcomes, load_outcome_cues
from aggregator.tagger import Tagger
from benchmarks.sentiment_fallback import (
    EVAL,
    SETTINGS,
    ValenceReader,
    _read_jsonl,
    use,
)

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()
LEXICON = {"gorgeous": 3.0, "dreadful": -3.0, "wise": 2.0, "thanks": 2.0}


def _effect(title: str, body: str, replies: tuple[str, ...] = (),
            setting: str | None = "vader_t20_w4", lexicon: dict[str, float] = LEXICON,
            treatment: str = "minoxidil") -> str:
    _, _, mentions = TAGGER.tag_with_mentions(title, body, list(replies))
    use(ValenceReader(SETTINGS[setting], lexicon) if setting else None)
    try:
        return extract_outcomes(CUES, [title, body, *replies], mentions)[treatment].effect
    finally:
        use(None)


@pytest.mark.parametrize(("body", "fallback", "rules"), [
    # a strong word about the hair, where no cue is: the lexicon's direction
    ("Started minoxidil last year. My hairline looks gorgeous now.", "improved", "none"),
    ("A year of minoxidil. My crown looks dreadful.", "no_effect", "none"),
    # both from one speaker: mixed, in two sentences or in one when the loss a comma after
    # the gain names another hair area (the rules' area split: "crown better, temples worse");
    # a loss of the same area stays the gain's caveat ("new hairs, still thinner than the rest")
    ("A year of minoxidil. My hairline looks gorgeous. My crown looks dreadful.", "mixed",
     "none"),
    ("A year of minoxidil. My hairline looks gorgeous, my crown looks dreadful.", "mixed",
     "none"),
    ("A year of minoxidil. My hairline looks gorgeous, still dreadful at the edges.",
     "improved", "none"),
    # the rules' scope holds: negation, questions, hypotheticals
    ("Started minoxidil last year. My hairline is not gorgeous.", "no_effect", "none"),
    ("Will minoxidil make my hairline look gorgeous?", "none", "none"),
    ("If my hairline looks gorgeous by summer I'll stay on minoxidil.", "none", "none"),
    # a sentence holding a rules cue is the rules' alone
    ("Minoxidil regrew my temples, but the crown looks dreadful.", "improved", "improved"),
    # a compound ("hair-wise") and a conversation word ("thanks") are no valence
    ("Minoxidil for a month. Hair-wise nothing yet, thanks hair people.", "none", "none"),
])
def test_fallback_reads_through_the_rules_scope(body: str, fallback: str, rules: str) -> None:
    assert _effect("Minoxidil, a year in", body) == fallback
    assert _effect("Minoxidil, a year in", body, setting=None) == rules


def test_a_reply_needs_its_own_first_person() -> None:
    title, body = "Minoxidil photos, 10 months", "Started minoxidil in January. Pics below."
    assert _effect(title, body, ("Gorgeous hairline.",)) == "none"
    assert _effect(title, body, ("My hairline looks gorgeous on minoxidil too.",)) == \
        "improved"


def test_speaker_scope_skips_a_speaker_with_a_rules_cue() -> None:
    body = "Minoxidil regrew my temples. My crown looks dreadful though."
    assert _effect("Minoxidil, a year in", body) == "mixed"  # (the sentence scope)
    assert _effect("Minoxidil, a year in", body, setting="vader_t20_w4_speaker") == "improved"


def test_positive_only_drops_negative_words() -> None:
    body = "A year of minoxidil. My crown looks dreadful."
    assert _effect("Minoxidil, a year in", body, setting="vader_t20_w4_positive_only") == "none"


def test_without_lexicon_words_the_rules_read_unchanged() -> None:
    """The hook itself (a reading built for threads with no rules cue, cues merged) changes
    no outcome: every dev thread reads the same with an empty lexicon."""
    if not EVAL.exists():
        pytest.skip("needs ../shared/eval")
    posts = [p for f in ("posts.jsonl", "outcomes_posts.jsonl") for p in _read_jsonl(EVAL / f)]
    assert len(posts) > 200
    tagged = []
    for p in posts:
        replies = [r["body"] if isinstance(r, dict) else r for r in p.get("replies", [])]
        parts = [p["title"], p.get("body") or "", *replies]
        tagged.append((parts, TAGGER.tag_with_mentions(parts[0], parts[1], replies)[2]))
    rules = [extract_outcomes(CUES, parts, mentions) for parts, mentions in tagged]
    use(ValenceReader(SETTINGS["vader_t20_w4"], {}))
    try:
        hooked = [extract_outcomes(CUES, parts, mentions) for parts, mentions in tagged]
    finally:
        use(None)
    assert hooked == rules
    assert sum(o.effect != "none" for r in rules for o in r.values()) > 100
