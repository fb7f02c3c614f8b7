"""The scope patterns a sentence runs (`_Extraction._patterns_for`), found once per set of
literals and remembered on the cues (`OutcomeCues.scope_sets`, `scope_patterns_for`), and
whether a thread can match any (`_any_scope`, from `OutcomeCues.scope_hints`)."""

from __future__ import annotations

import dataclasses

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcome_reading import read_thread, scope_patterns_for
from aggregator.outcomes import load_outcome_cues
from aggregator.tagger import Tagger

CUES = load_outcome_cues()
TAGGER = Tagger(load_lexicon())


def _patterns(present: frozenset[str]) -> set[str]:
    return {p.pattern for _, p in scope_patterns_for(CUES, present)}


def test_no_literal_gives_the_unhinted_patterns_only() -> None:
    assert _patterns(frozenset()) == {p.pattern for _, p in CUES.unhinted_scope}


def test_a_literal_adds_its_own_patterns() -> None:
    hint = next(h for h, ps in CUES.scope_by_hint.items() if ps)
    found = _patterns(frozenset({hint}))
    assert {p.pattern for _, p in CUES.scope_by_hint[hint]} <= found
    assert len(found) > len(_patterns(frozenset()))


def test_a_gated_pattern_needs_its_further_literals() -> None:
    hint, gated = next(iter(CUES.scope_gated.items()))
    kind, pattern, needs = gated[0]
    assert needs and (kind, pattern) not in scope_patterns_for(CUES, frozenset({hint}))
    assert (kind, pattern) in scope_patterns_for(CUES, frozenset({hint, *needs}))


def test_remembered_sets_answer_as_found_afresh() -> None:
    cues = dataclasses.replace(CUES)
    assert cues.scope_sets == {}  # (a replaced copy starts with none remembered)
    title = "Fin update"
    body = (
        "Been on fin 5 months now and it regrew my crown. Week 3 of minox, day 12 and "
        "the shedding is bad. I read a study on dut, it works for most guys."
    )
    _, lowered, norm, mentions = TAGGER.tag_text(title, body, [])
    reading = read_thread(cues, [title, body], mentions, (lowered, norm))
    assert reading is not None
    spans = [(s, e) for s, e, _ in reading._sentences(len(title) + 1, len(lowered))]
    first = [reading._patterns_for(s, e) for s, e in spans]
    assert cues.scope_sets  # some sentence held a literal
    for (s, e), found in zip(spans, first, strict=True):
        again = reading._patterns_for(s, e)
        assert again == found
        present = frozenset(
            h
            for last, h in reading._hint_at
            if s <= last - len(h) + 1 and last < e and h in cues.scope_by_hint
        )
        if present:
            assert again == scope_patterns_for(cues, present)


@pytest.mark.parametrize(
    ("title", "body", "any_scope"),
    [
        ("Fin", "Fin worked great.", False),
        ("Minoxidil", "Minoxidil regrew hair.", True),
        ("Fin update", "Been on fin 5 months now and it regrew my crown.", True),
    ],
)
def test_any_scope_is_whether_a_scope_patterns_literal_is_there(
    title: str, body: str, any_scope: bool
) -> None:
    """`_any_scope` (`OutcomeCues.scope_hints`) answers as the scope patterns one by one."""
    _, lowered, norm, mentions = TAGGER.tag_text(title, body, [])
    reading = read_thread(CUES, [title, body], mentions, (lowered, norm))
    assert reading is not None
    hints = {h for _, h in reading._hint_at}
    assert reading._any_scope is any_scope
    assert any_scope == any(h is None or h in hints for _, _, h in CUES.scope_patterns)
