"""Readings of the `outx` round: a hair subject and a direction in one clause, in either
order (`[classes]` named by "@name" in `[[near]]` entries with a `before` list), the loss
said to shrink by a share, verdicts such as "did the job"; the scope rules still apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.outcome_cue_file import OutcomeCueError, load_outcome_cues
from aggregator.outcomes import thread_outcomes
from tests.aggregator.outcome_helpers import TAGGER, effect


@pytest.mark.parametrize(("treatment", "body"), [
    ("dutasteride", "Ten months on dutasteride and the crown has visibly more coverage."),
    ("finasteride", "Fin for a year. My temples have noticeably more hair than last summer."),
    ("minoxidil", "Half a year of minoxidil and the fine fuzz at the corners has thickened "
                  "into proper dark hairs."),
    ("ketoconazole", "Nizoral twice a week since spring, by autumn the hairs in the drain were "
                     "maybe a third."),
    ("finasteride", "On fin since spring. The daily shedding is perhaps a quarter of the old "
                    "amount."),
    ("finasteride", "Fin 1mg, one year. The hairline has held completely."),
    ("minoxidil", "Oral min 8 months and I'm getting lots of small new hairs at the front."),
    ("finasteride", "Honestly finasteride did thicken my hair over the first year."),
    ("dutasteride", "Switched a year ago. Dut did the job for my crown."),
    ("minoxidil", "Eight months of min and my brush went from clumps to a few strands."),
])
def test_a_hair_subject_with_a_direction_is_a_gain(treatment: str, body: str) -> None:
    assert effect(treatment, "update", body) == "improved"


@pytest.mark.parametrize(("treatment", "body"), [
    ("saw_palmetto", "Saw palmetto for nine months. Same density, same shedding in the "
                     "shower, nothing else."),
    ("biotin", "Biotin for a year and my part is just as wide as before."),
])
def test_the_hair_as_before_is_no_effect(treatment: str, body: str) -> None:
    assert effect(treatment, "update", body) == "no_effect"


def test_a_gain_and_a_loss_of_one_person_is_mixed() -> None:
    assert effect("minoxidil", "min review", "Minoxidil 5% for 14 months. The crown has much "
                  "more coverage now, but my temples are as bare as ever.") == "mixed"


@pytest.mark.parametrize(("treatment", "body"), [
    # a question, a hypothetical, a fear, a generic statement, a negation, a plan
    ("finasteride", "Will fin give my crown more coverage?"),
    ("minoxidil", "If minoxidil gets me more hair at the temples I'll be thrilled."),
    ("dutasteride", "I'm scared dut will leave my hairline with fewer hairs at first."),
    ("minoxidil", "Minoxidil usually gives most people more coverage on the crown."),
    ("finasteride", "A year on fin and my crown has not gotten any more coverage."),
    ("finasteride", "Hoping fin gives my crown more coverage by next summer."),
    ("minoxidil", "Day 5 of minoxidil, too early for any new hairs obviously."),
])
def test_a_hair_sentence_out_of_scope_stays_none(treatment: str, body: str) -> None:
    assert effect(treatment, "question", body) in ("none", "no_effect")
    assert effect(treatment, "question", body) != "improved"


def test_a_comma_ends_the_clause_of_a_subject_after_its_word() -> None:
    # "more" and "hair" in different clauses: no reading of "more ... hair"
    assert effect("finasteride", "fin", "On fin I sleep more, and my hair is what it is.") \
        == "none"


def test_a_user_class_extends_every_entry_naming_it(tmp_path: Path) -> None:
    user = tmp_path / "cues.toml"
    user.write_text('[classes]\nhair_area = ["mane"]\n', encoding="utf-8")
    cues = load_outcome_cues(user)
    got = thread_outcomes(TAGGER, cues, "fin", "A year on fin and my mane has visibly more "
                          "volume and coverage density.", [])
    assert got["finasteride"].effect == "improved"
    plain = thread_outcomes(TAGGER, load_outcome_cues(), "fin", "A year on fin and my mane "
                            "got thicker in a way.", [])
    assert plain["finasteride"].effect == "improved"  # ("thicker" is a phrase on its own)


def test_an_unknown_class_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "cues.toml"
    user.write_text('[[near]]\nkind = "improved"\nwords = ["@nope"]\nafter = ["hair"]\n',
                    encoding="utf-8")
    with pytest.raises(OutcomeCueError, match="unknown class"):
        load_outcome_cues(user)
    user.write_text('[[near]]\nkind = "improved"\nwords = ["x"]\nafter = ["hair"]\n'
                    'before = "hair"\n', encoding="utf-8")
    with pytest.raises(OutcomeCueError, match="before must be a list of words"):
        load_outcome_cues(user)
