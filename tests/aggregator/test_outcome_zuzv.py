"""Round `zuzv` (tuned on the misses of outcomes_zu + zv): a short span said to be short is
too early; a loss with a gain conceded after it is both; a hold told to have ended is no
effect beside it; an aim is no report; more ways to tell a gain; a treatment named as the
place of a gain is not its subject; a haircut's "sides" and a product used for a condition
are no side effects."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects, sides


@pytest.mark.parametrize(("body", "expected"), [
    ("On fin. Hair looks the same, but three months is short.", "none"),
    ("Zinc for my hair: no change, but 2 months is nothing.", "none"),
    ("Saw palmetto, three months so far, no change either way.", "none"),
    # negatives: a long span, or a short one not said to be short
    ("Saw palmetto, a year so far, no change either way.", "no_effect"),
    ("Took saw palmetto for three months, no change at all.", "no_effect"),
])
def test_a_short_span_said_to_be_short_is_too_early(body: str, expected: str) -> None:
    treatment = "zinc" if "Zinc" in body else "saw_palmetto" if "palmetto" in body \
        else "finasteride"
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Finasteride for three years: my temples kept creeping even though the crown held.",
     "mixed"),
    ("On finasteride my temples kept creeping back although the crown held for years.",
     "mixed"),
    # negatives: the story before and after ("but"), and a caveat of a gain
    ("My hairline was retreating for years, but finasteride regrew it.", "improved"),
    ("Finasteride regrew my crown, even though the new hairs are still finer.", "improved"),
])
def test_a_loss_with_a_gain_conceded_after_it_is_both(body: str, expected: str) -> None:
    assert effect("finasteride", "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Fin here. Mine held the hairline until about year 7 then it went, so it happens.",
     "mixed"),
    ("I was on fin and it held my hairline for years, then it went.", "mixed"),
    # negatives: a shed or a side effect going, a wait for a result
    ("On fin the shed lasted 3 weeks then it went away, and my crown is thicker.",
     "improved"),
    ("Started fin. I'll wait until month 6, then it went on from there.", "none"),
])
def test_a_hold_told_to_have_ended_is_both(body: str, expected: str) -> None:
    assert effect("finasteride", "update", body) == expected


def test_an_aim_is_no_report() -> None:
    body = "morning: fin 1mg. been doing this for 7 weeks. goal is to keep what i have and " \
        "maybe get the crown back"
    assert effect("finasteride", "my routine", body) == "none"
    # negative: the aim told as met after the hold
    body = "Fin held my hairline for 4 years, which was my goal."
    assert effect("finasteride", "update", body) == "improved"


@pytest.mark.parametrize("body", [
    "Started fin at 36. Within a year the loss slowed massively.",
    "Fin since 36. I'd say it froze me at NW4.",
    "Been on Proscar 5mg since 2014. Hair pretty much where it was at 33.",
    "FUT in Brussels, 3000 grafts. Great growth, but the strip scar is wide.",
    "Restarted minoxidil, oral 1.25. This is what brought back density.",
    "Finasteride did a lot for my crown.",
])
def test_more_ways_to_tell_a_gain(body: str) -> None:
    assert set(effects("update", body).values()) == {"improved"}


def test_did_a_lot_of_something_is_no_gain() -> None:
    body = "My dad is on fin. He did a lot of research before picking the clinic."
    assert effect("finasteride", "dad", body) == "none"


def test_a_treatment_named_as_the_place_of_a_gain_is_not_its_subject() -> None:
    body = "Age 40: restarted min, oral 1.25. This is what brought back density behind the " \
        "transplant."
    assert effects("saga", body) == {"hair_transplant": "none", "minoxidil": "improved"}


def test_needled_near_a_depth_is_microneedling() -> None:
    reply = "i needled 1mm weekly with min for 8 months, temples came back a bit, worth it"
    assert effects("tfin + MN combo", "using tfin daily", (reply,)) == {
        "finasteride": "none", "microneedling": "improved", "minoxidil": "improved"}
    # negative: "needled" with no needling context is no treatment
    assert "microneedling" not in effects("update", "My brother needled me about my fin.")


def test_a_haircut_and_a_products_purpose_are_no_side_effects() -> None:
    assert sides("finasteride", "update", "I'm 39, short back and sides, been on fin 3 "
                 "years and my crown is thicker.") == ()
    assert sides("ketoconazole", "keto", "I use nizoral twice a week. I use it because my "
                 "scalp gets oily and itchy, not for hair.") == ()
    # negative: the same words told as what the product did
    assert sides("ketoconazole", "keto", "Nizoral twice a week made my scalp itchy.") == \
        ("skin",)


def test_a_loss_before_the_body_asks_about_a_treatment_is_no_report_on_it() -> None:
    body = "My temples kept receding all year. Should I try finasteride or minoxidil first?"
    assert effects("Where do I start?", body) == {"finasteride": "none", "minoxidil": "none"}
    # negative: the body names it as used
    body = "My temples kept receding all year. I've been on finasteride for a year."
    assert effects("Update", body) == {"finasteride": "no_effect"}


def test_desire_and_drive_said_low_are_sexual_side_effects() -> None:
    assert sides("finasteride", "fin", "Tried finasteride for a year, which did nothing "
                 "except kill my drive.") == ("sexual",)
    assert sides("finasteride", "fin", "On finasteride I had less desire for the first two "
                 "months.") == ("sexual",)
    # negative: the drive of a car, and less of a side effect
    assert sides("finasteride", "fin", "I drive a truck for a living and fin has kept my "
                 "hairline.") == ()


# review44: misfires of the round's rules on ordinary sentences, each with its intended
# reading beside it


@pytest.mark.parametrize(("body", "expected"), [
    ("Oral min regrew my temples in one year; one month is nothing, give it time.",
     "improved"),
    ("Oral min regrew my temples, 3 months is short to judge but mine showed by month 3.",
     "improved"),
    ("Oral min for 2 years and my crown is much thicker, a few months so far on the 5mg "
     "dose after 2.5.", "improved"),
    ("Oral min has held my hairline for 10 years, 3 months is nothing in comparison.",
     "improved"),
    # the rule still holds a verdict of nothing after a short span
    ("Oral min: no change, but 2 months is nothing.", "none"),
    ("Oral min, three months so far, no change either way.", "none"),
])
def test_a_short_span_said_of_advice_or_a_new_dose_hedges_no_gain(body: str,
                                                                   expected: str) -> None:
    assert effect("minoxidil", "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("My hairline receded a lot in my twenties, although finasteride regrew most of it "
     "later.", "improved"),
    ("My temples kept creeping even though finasteride held my crown.", "mixed"),
    ("My temples receded although finasteride regrew the crown eventually.", "mixed"),
])
def test_a_gain_told_as_later_is_no_concession(body: str, expected: str) -> None:
    assert effect("finasteride", "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Minoxidil regrew my temples. The dryness was bad at first, then it slowly went.",
     "improved"),
    ("Started minoxidil, had a headache for a week then it went. Temples filled in after "
     "6 months.", "improved"),
    ("Minoxidil has been great for me. I had a cold last winter, then it went.", "improved"),
    ("I took minoxidil until age 30, then it went downhill fast after I stopped.", "none"),
    # the hold told to have ended, with the time it held
    ("Minoxidil worked great for like 5 years, then it went.", "mixed"),
])
def test_a_side_effect_gone_is_no_hold_ended(body: str, expected: str) -> None:
    assert effect("minoxidil", "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Fin 4 years. My goal was to keep my hairline and it did, crown even thicker.",
     "improved"),
    ("Took fin for the crown and my aim is to keep it, so far it's thicker than ever.",
     "improved"),
    ("Been on fin 7 weeks. My goal is to keep what I have.", "none"),
])
def test_an_aim_reaches_to_its_clauses_end(body: str, expected: str) -> None:
    assert effect("finasteride", "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Oral min gave me great growth on my beard but my crown is the same.", "no_effect"),
    ("The cold froze me on the walk to the pharmacy, anyway fin update: nothing new.", "none"),
    ("The cold froze my hair when I went out after a shower. Anyway, been on fin a year.",
     "none"),
    ("Stopped minoxidil, and the shed brought back density loss I had before.", "none"),
    # the gains the round added
    ("Oral min, great growth on my crown after 6 months.", "improved"),
    ("Fin froze me at NW3 for a decade.", "improved"),
    ("Honestly fin froze my hair in place for 6 years.", "improved"),
])
def test_growth_elsewhere_and_the_cold_are_no_gain(body: str, expected: str) -> None:
    treatment = "finasteride" if "fin " in body.lower() else "minoxidil"
    assert effect(treatment, "update", body) == expected


def test_a_products_purpose_with_what_it_did_is_a_side_effect() -> None:
    assert sides("ketoconazole", "keto", "I use nizoral because of dandruff, it made my "
                 "scalp itchy and dry.") == ("skin",)
    assert sides("minoxidil", "min", "I use it because my doc said so, minoxidil gave me a "
                 "rash on my scalp.") == ("skin",)
    # negative: the purpose alone
    assert sides("ketoconazole", "keto", "Nizoral because of dandruff from the heat, my "
                 "scalp gets itchy in summer.") == ()


@pytest.mark.parametrize(("body", "expected"), [
    ("Oral minoxidil dropped my blood pressure, I get light headed on standing.", ("cardio",)),
    ("LDOM 2.5, my heart rate went up to 95 at rest.", ("cardio",)),
    ("Oral minoxidil gave me a heart rate of 95 at rest.", ("cardio",)),
    ("On LDOM my resting heart rate has gone from the low 60s to around 80.", ("cardio",)),
    # negatives: a reading, a check, a medicine
    ("On oral minoxidil, my blood pressure usually sits around 95 over 60.", ()),
    ("On oral minoxidil, resting heart rate around 52, I run three times a week.", ()),
    ("I take blood pressure tablets and oral minoxidil, my GP monitors it.", ()),
])
def test_blood_pressure_and_heart_rate_count_only_said_to_change(
        body: str, expected: tuple[str, ...]) -> None:
    assert sides("minoxidil", "LDOM", body) == expected
