"""Readings the reviews of the `outv` and `outw` rounds (helpers `revv` and `revw`, hand-written
sets C and E) found broken. From `revv`:
the `[typical] skin` list keeps a scalp side effect with what is put on the scalp, and
finasteride or dutasteride put on the scalp ("topical fin") is such a treatment."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, outcomes, sides


@pytest.mark.parametrize(("title", "body"), [
    ("Topical fin and topical min for a year", "My scalp got red and itchy."),
    ("Topical fin and RU for a year", "My scalp got red and itchy."),
    ("6 month update", "6 months on topical fin/min spray. Crown is thicker. "
                       "Had a bit of scalp redness that went away."),
    ("Dut solution plus minoxidil", "Both go on at night. Scalp is flaky and itchy since."),
])
def test_a_scalp_side_goes_to_finasteride_or_dutasteride_put_on_the_scalp(
        title: str, body: str) -> None:
    treatment = "dutasteride" if title.startswith("Dut") else "finasteride"
    assert "skin" in sides(treatment, title, body)


def test_oral_finasteride_beside_a_topical_leaves_the_scalp_side_to_the_topical() -> None:
    title, body = "Oral fin and topical min for a year", "My scalp got red and itchy."
    assert sides("finasteride", title, body) == ()
    assert sides("minoxidil", title, body) == ("skin",)


# The review of the `outw` round (helper `revw`, hand-written set E): cues that fired on text
# that is no report, taken out again.

def test_feeling_down_about_the_hair_loss_is_no_mood_side_effect() -> None:
    assert sides("finasteride", "Temples", "I'm 22 and feeling down about how fast my temples "
                 "are going. Started fin 1mg two months ago, no sides so far.") == ()
    assert sides("minoxidil", "Nothing", "I feel down every time I look in the mirror. "
                 "Minoxidil for 8 months did nothing for my temples.") == ()


@pytest.mark.parametrize(("body", "expected"), [
    ("Had a scare with my heart rate on oral minoxidil, palpitations at night, so dropped to "
     "1.25mg.", ("cardio",)),
    ("My only complaints about oral min are the palpitations and the facial hair.",
     ("body_hair", "cardio")),
])
def test_a_scare_or_complaint_told_first_hand_keeps_its_side_effects(
        body: str, expected: tuple[str, ...]) -> None:
    assert sorted(sides("minoxidil", "Oral min", body)) == list(expected)


def test_more_loss_before_starting_is_no_verdict_on_the_treatment() -> None:
    assert effect("finasteride", "Lost more hair before starting",
                  "I lost more hair in the year before starting fin than ever. Since fin "
                  "(8 months) it's stopped falling out.") == "improved"


def test_at_the_min_is_for_the_moment() -> None:
    assert "minoxidil" not in outcomes("At the min", "I'm only using keto shampoo.")
    assert "minoxidil" not in outcomes("Quick q", "I take fin at the min. 0.2mg.")
