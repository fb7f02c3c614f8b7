"""Readings of the `outw` round, from set C (`tests/aggregator/data/revv_c.jsonl`, the `revv`
review's hand-written threads): verdicts in brackets, the hair the same as years ago, slang
verdicts and sheds, a warning or others' complaints, a compared treatment, "no problems"
before a later side effect, new side wordings and "the min"."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects, outcomes, sides


def test_a_verdict_in_brackets_is_the_treatments() -> None:
    got = effects("What worked for me", "Everything I tried: biotin (nothing), saw palmetto "
                  "(nothing), fin (saved my hair).")
    assert got["saw_palmetto"] == "no_effect"
    assert got["finasteride"] == "improved"
    assert effect("biotin", "My journey", "Started losing at 19. Tried biotin for a year "
                  "(nothing), then fin for 2 years which held things, then added min which "
                  "regrew the crown. Now 26 and thicker than at 19.") == "no_effect"


def test_hair_the_same_as_years_ago_is_held() -> None:
    assert effect("finasteride", "finasteride and semen", "Load size noticeably smaller on "
                  "fin, not a big deal to me. Hairline looks the same as 3 years ago.") \
        == "improved"
    assert effect("finasteride", "zero sides on fin", "14 months on fin. zero sides, no shed, "
                  "nothing. hair is the same as when I started which I guess is the point") \
        == "improved"


@pytest.mark.parametrize(("title", "body", "treatment", "side"), [
    ("fin mood warning from my doctor", "My doctor warned me fin can cause depression and to "
     "call him if I feel down. So far 3 months in I feel totally normal.", "finasteride",
     "mood"),
    ("dut: sides in others", "I've seen guys here complain about gyno on dut, but I got none "
     "after 2 years, and my hairline is holding.", "dutasteride", "breast"),
])
def test_a_warning_or_a_complaint_is_no_side_effect(
        title: str, body: str, treatment: str, side: str) -> None:
    assert side not in sides(treatment, title, body)


def test_a_treatment_compared_with_is_not_the_cues() -> None:
    got = effects("RU + fin", "Does RU work better than fin for the hairline?",
                  ("RU regrew my hairline where fin failed",))
    assert got["finasteride"] == "no_effect"


def test_no_problems_does_not_cancel_a_later_side_effect() -> None:
    title, body = "dut sides after 3 yrs", ("After 3 years on dut with no problems I suddenly "
                                            "have low libido. Hair is still great.")
    assert sides("dutasteride", title, body) == ("sexual",)
    # the side as what had no problems stays negated
    assert sides("finasteride", "fin", "Fin for 2 years, no problems with libido, hair "
                 "thicker.") == ()


def test_slang_verdicts() -> None:
    assert effect("minoxidil", "MIN IS A MIRACLE", "NW3 to NW2 in 14 months with minoxidil "
                  "alone!!! I cannot believe it", ("happy for you, it did jack for me though",)) \
        == "mixed"


@pytest.mark.parametrize(("title", "body", "treatment", "side"), [
    ("dut shed", "Dut shed in month 1, now at month 7 and crown is filling in. Slight libido "
     "dip too.", "dutasteride", "shedding"),
    ("finasteride shed", "Month 2 of fin, anyone else?",
     "finasteride", "shedding"),
    ("fin made me gain weight?", "Put on 8kg since starting fin. Not sure if it's fin or me "
     "eating more. Hair is better.", "finasteride", "other"),
    ("LDOM update", "I'm on LDOM. After a year my part is much narrower. LDOM gave me chin "
     "hair.", "minoxidil", "body_hair"),
    ("Dut + RU + min", "Dut + RU + oral min. Been 2 yrs. Only side is the face fuzz from min.",
     "minoxidil", "body_hair"),
    ("oral min", "LDOM 2.5mg: crown regrowth, eyebrows got bushier", "minoxidil", "body_hair"),
    ("RU for the temples?", "Anyone had success with RU?",
     "ru58841", "other"),
    ("LDOM 5mg", "Oral minoxidil 5mg for 3 months and now ringing in my ears all day.",
     "minoxidil", "other"),
])
def test_side_wordings(title: str, body: str, treatment: str, side: str) -> None:
    replies = {"finasteride shed": ("yes, I shed on fin for a month then it got better",),
               "RU for the temples?": ("yes, massive regrowth, but it made me feel flu-like "
                                       "for a week at the start",)}.get(title, ())
    assert side in sides(treatment, title, body, replies)


def test_the_min_is_minoxidil_as_a_subject() -> None:
    got = outcomes("min sides but fin fine", "On fin and oral min. The min gives me a fast "
                   "heartbeat, fin has been side effect free. Crown is coming back from both I "
                   "think.")
    assert got["minoxidil"].side_effects == ("cardio",)
    assert got["finasteride"].side_effects == ()
    assert "minoxidil" not in outcomes("fin dose", "What is the min dose of fin that works?")


def test_area_verdicts_both_ways_are_mixed() -> None:
    assert effect("minoxidil", "5mg oral min hairline", "5mg LDOM for 8 months. Hairline: "
                  "nothing. Crown: tons of new hair. So mixed bag.") == "mixed"
    assert effect("ru58841", "RU for the temples?", "Anyone had success with RU for temples?",
                  ("not me, 1 yr nothing", "yes, massive regrowth, but it made me feel "
                   "flu-like for a week at the start")) == "mixed"


def test_a_none_of_the_sides_does_not_negate_the_hair() -> None:
    title, body = "fin gives sides only at 1mg", ("1mg gave me low libido, 0.25mg gives none "
                                                  "and hair is still stable.")
    assert effect("finasteride", title, body) == "improved"
