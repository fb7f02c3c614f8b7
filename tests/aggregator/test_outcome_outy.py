"""Round `outy`: the `[[near]]` words are read as before, for less: a side of a word whose
entries' items cannot end or start there is not read (`near_sides`), and an entry without
`before` first looks for the last word of one of its `after` items among the words just
before the word, before its regex runs."""

from __future__ import annotations

import pytest

from aggregator.outcome_cue_file import load_outcome_cues
from aggregator.outcome_near import near_sides
from tests.aggregator.outcome_helpers import effect

CUES = load_outcome_cues()


def _keys(word: str) -> tuple[frozenset[str], frozenset[str], int]:
    """The near keys (lasts, firsts) and `near` of the group listing `word`."""
    found, _ = CUES.scanner.scan(f" {word} ")
    ranks = [rank for _, _, rank, _ in found if rank >= CUES.first_near_rank]
    assert ranks, word
    g = ranks[0] - CUES.first_near_rank
    lasts, firsts = CUES.near_keys[g]
    return lasts, firsts, CUES.near_widths[g][1]


@pytest.mark.parametrize(("text", "word", "sides"), [
    # "same": a hair word either side of it
    ("my crown same density", "same", (True, True)),
    ("my crown same as ever", "same", (True, False)),
    ("my diet same density", "same", (False, True)),
    # "wider": the part before it, nothing after it that starts an item
    ("my part wider now honestly", "wider", (True, False)),
    # nothing either side: no window at all
    ("the road wider now honestly", "wider", (False, False)),
    # the words after it cut short by the 12 characters a word: read anyway (as before)
    ("my part wider " + "x" * 40 + "scalp", "wider", (True, True)),
])
def test_the_sides_a_near_word_reads(text: str, word: str, sides: tuple[bool, bool]) -> None:
    lasts, firsts, near = _keys(word)
    start = text.index(f" {word}") + 1
    assert near_sides(lasts, firsts, near, start, start + len(word), text) == sides


def test_entries_without_after_items_never_read_before_the_word() -> None:
    _, firsts, near = _keys("same")
    text = "my crown same density"
    assert near_sides(frozenset(), firsts, near, 9, 13, text) == (False, True)


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("saw_palmetto", "Saw palmetto for nine months. Same density, same shedding, nothing "
                     "else.", "no_effect"),
    ("minoxidil", "Minoxidil for a year, the part is wider than ever.", "no_effect"),
    ("minoxidil", "Minoxidil for a year, the recession has stopped.", "improved"),
    ("minoxidil", "Minoxidil for a year. I stopped going to the gym.", "none"),
    ("finasteride", "Fin for a year and my crown is better.", "improved"),
])
def test_near_words_read_as_before(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


# -- part 2: the month "May" is no hedge ----------------------------------------------------

@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Started fin in May and my crown is thicker now.", "improved"),
    ("minoxidil", "On minoxidil since May 2024, the temples have filled in.", "improved"),
    ("finasteride", "Fin since last May. My hairline has held completely.", "improved"),
    # negatives: the verb still hedges
    ("finasteride", "Fin may make my crown thicker, starting next week.", "none"),
    ("minoxidil", "I think minoxidil may regrow my temples if I stick with it.", "none"),
])
def test_the_month_may_is_no_hedge(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


# -- part 2: "same" right after a hair word ------------------------------------------------

@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Five months on fin and im still shedding same as before i started.",
     "no_effect"),
    ("minoxidil", "A year of minoxidil, density same as last spring.", "no_effect"),
    # negatives: not the hair's
    ("minoxidil", "A year of minoxidil and I use the same shampoo as before.", "none"),
    ("finasteride", "Fin for a year, my libido is same as before.", "none"),
])
def test_same_right_after_a_hair_word(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


# -- part 2: the shedding said not to move goes on ----------------------------------------

@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("ketoconazole", "Nizoral every day for two years here and my shedding didn't move.",
     "no_effect"),
    ("minoxidil", "Minoxidil for eight months, the shedding did not move at all.", "no_effect"),
    # negatives: the loss or a hair area not moving is a hold
    ("finasteride", "Fin for three years and my hairline hasn't moved.", "improved"),
    ("finasteride", "Fin for two years, the recession has not moved since.", "improved"),
])
def test_the_shedding_not_moving_is_no_effect(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected
