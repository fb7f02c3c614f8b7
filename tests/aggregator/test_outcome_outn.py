"""Round `outn`: ways of saying things that the rules misread on `outcomes_t` (read per pair
in this round), each class with invented sentences and near misses that must not change: a
hair area refilled, at its best, or not shifted; no change said in learners' English or as
expected so early, or of the photos; a side effect that went away and came back (or never
did) is no hair verdict; a reply's likeness of story is no sameness of the hair; time lost
before starting, or what the writer told themself, is no verdict; the treatment too new to
judge; a pounding chest, "shockloss" in one word and a puffy chest as side effects."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, sides


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Oral minoxidil since spring. By month eight my crown had fully refilled.",
     "improved"),
    ("minoxidil", "Oral minoxidil, 2.5mg. Month nine and the crown is refilled.", "improved"),
    ("bicalutamide", "A year on bica and my part is the narrowest it has been.", "improved"),
    ("finasteride", "Fin for two years, crown is the fullest it's been since college.",
     "improved"),
    ("finasteride", "Fourteen months on fin and my hairline hasn't shifted at all.", "improved"),
    # near misses: a prescription refilled, a beard at its best, an opinion not shifted
    ("minoxidil", "Oral minoxidil since spring. I refilled my prescription at month eight.",
     "none"),
    ("minoxidil", "Oral minoxidil, a year in, my beard is the thickest it has been.", "none"),
    ("finasteride", "Fourteen months on fin and my opinion of it hasn't shifted.", "none"),
])
def test_a_hair_area_refilled_at_its_best_or_not_shifted(treatment: str, body: str,
                                                          expected: str) -> None:
    assert effect(treatment, "Update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "reply", "expected"), [
    ("castor_oil", "Castor oil every night 4 month, nothing happen.", "", "no_effect"),
    ("laser", "", "Ten months of a laser helmet and my pictures look the same.", "no_effect"),
    ("finasteride", "Five weeks on finasteride. Hairline is the same, as expected.", "",
     "none"),
    # near misses: a plan, photos taken in the same spot, a gain as expected
    ("castor_oil", "If nothing happen by month six I will stop the castor oil.", "", "none"),
    ("laser", "", "Ten months of a laser helmet, pictures in the same spot, crown is denser.",
     "improved"),
    ("finasteride", "Two years on finasteride. Crown is thicker, as expected.", "",
     "improved"),
])
def test_no_change_in_other_words(treatment: str, body: str, reply: str,
                                  expected: str) -> None:
    replies = (reply,) if reply else ()
    assert effect(treatment if treatment != "laser" else "lllt", "Results?", body,
                  replies) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # a side effect that went away and came back, or never did
    ("finasteride", "On finasteride my libido tanked within a month and came back after I quit.",
     "none"),
    ("minoxidil", "Minoxidil foam: the itch faded after a few weeks and never came back.",
     "none"),
    # near misses: the hair that came back
    ("minoxidil", "Minoxidil foam for a year: my temples came back.", "improved"),
    ("finasteride", "Finasteride: shed in month two, then it came back thicker.", "improved"),
])
def test_a_side_effect_that_came_back_is_no_hair_verdict(treatment: str, body: str,
                                                         expected: str) -> None:
    assert effect(treatment, "My experience", body) == expected


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    ("finasteride", "Two years in, exactly the same story here.", "improved"),
    ("finasteride", "Two years on fin, exactly the same experience.", "improved"),
    # near miss: the hair itself the same (after three years, a hold)
    ("finasteride", "Three years on fin and my crown looks exactly the same.", "improved"),
    ("finasteride", "Three months on fin and my crown looks exactly the same.", "mixed"),
])
def test_a_likeness_of_story_is_no_sameness(treatment: str, reply: str, expected: str) -> None:
    assert effect(treatment, "Six years on fin, still holding", "Hairline held on fin.",
                  (reply,)) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Eighteen months on finasteride and my crown is denser. I wasted two "
     "years being scared.", "improved"),
    ("saw_palmetto", "Saw palmetto for a year: nothing, and I kept telling myself it was "
     "working.", "no_effect"),
    ("vitamin_d", "Iron fixed my shedding. The vitamin D is too new to have done anything.",
     "none"),
    # near misses: time wasted on a treatment, a plan followed by a real result
    ("biotin", "I wasted two years on biotin.", "no_effect"),
    ("saw_palmetto", "I told myself I'd give saw palmetto a year, and it worked, my crown is "
     "thicker.", "improved"),
    ("saw_palmetto", "I kept telling myself to be patient. A year on saw palmetto and my "
     "crown is thicker.", "improved"),
    ("vitamin_d", "Vitamin D for a year hasn't done anything.", "no_effect"),
])
def test_time_lost_a_belief_or_too_new_is_no_verdict(treatment: str, body: str,
                                                     expected: str) -> None:
    assert effect(treatment, "My story", body) == expected


def test_shockloss_in_one_word_and_a_puffy_chest() -> None:
    assert sides("hair_transplant", "FUE 12 months", "Had my FUE in March, the shockloss at "
                 "month 2 was brutal.") == ("shedding",)
    assert sides("dutasteride", "Dut 2 years", "Dut daily for two years, and my chest got "
                 "puffy on the left side.") == ("breast",)
    # near miss: puffy ankles are swelling
    assert sides("minoxidil", "Oral min", "Oral minoxidil for a year, and my ankles got "
                 "puffy.") == ("cardio",)


@pytest.mark.parametrize(("treatment", "body", "reply", "expected"), [
    # not one hair moved or grown; a transplant's poor yield "grew"; other hair than the scalp
    ("dutasteride", "Finasteride works for me.",
     "Gave dutasteride eight months, honestly it didn't budge a single hair.", "no_effect"),
    ("hair_transplant", "My FUE was a year ago. Only half the grafts grew.", "", "no_effect"),
    ("latanoprost", "Latanoprost on my temples for six months, zero new hair.",
     "Odd that it works on lashes but not here.", "no_effect"),
    # near misses: not a single hair lost is a hold; the grafts that grew; it works on the scalp
    ("finasteride", "Two years on finasteride and I haven't lost a single hair.", "",
     "improved"),
    ("hair_transplant", "My FUE was a year ago. The grafts grew in nicely.", "", "improved"),
    ("latanoprost", "Latanoprost on my temples for six months, zero new hair.",
     "Weird, it works for me, my temples filled in.", "mixed"),
])
def test_no_gain_in_other_words(treatment: str, body: str, reply: str, expected: str) -> None:
    replies = (reply,) if reply else ()
    assert effect(treatment, "Results", body, replies) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("A year of topical finasteride. No regrowth, but not losing any either.", "improved"),
    ("A year of topical finasteride. Not regrowth, but not losing either.", "improved"),
    # near miss: no gain alone
    ("A year of topical finasteride. No regrowth at all.", "no_effect"),
])
def test_no_gain_and_no_loss_is_a_hold(body: str, expected: str) -> None:
    assert effect("finasteride", "Topical fin, one year", body) == expected


def test_a_pounding_chest() -> None:
    assert sides("minoxidil", "Rogaine", "Quit rogaine after 2 weeks, chest pounding at "
                 "night.") == ("cardio",)
    # near miss: a pounding headache is no heart
    assert sides("minoxidil", "Oral min", "Oral minoxidil gives me a pounding headache.") == \
        ("other",)


@pytest.mark.parametrize(("treatment", "body", "reply", "expected"), [
    # a week as a time point of the story is not "too early"
    ("finasteride", "Fin made me tired from week two and my hair was unchanged at eight "
     "months.", "", "no_effect"),
    # the hairline not brought forward
    ("biotin", "My brother took biotin for 6 months, his hairline didnt move an inch forward.",
     "", "no_effect"),
    # the shine off the scalp, then "not anymore"
    ("minoxidil", "Photos used to show scalp shine under the bathroom light every time, not "
     "anymore! Oral minoxidil for 9 months.", "", "improved"),
    # a replier's result like the poster's
    ("dutasteride", "Dut for two years, my crown came back.", "same crown result here, no "
     "gyno luckily", "improved"),
    # near misses: the week the writer is in; a hairline that did not move back (a hold); an
    # itch, not the shine; the crown itself the same, early
    ("finasteride", "It's week two on fin and my hair is unchanged.", "", "none"),
    ("finasteride", "Three years on fin, my hairline hasn't moved.", "", "improved"),
    ("minoxidil", "My scalp used to itch every time I applied the minoxidil, not anymore.", "",
     "none"),
    ("dutasteride", "Dut for two years, my crown came back.", "three months on dut, my crown "
     "is the same", "mixed"),
])
def test_time_points_the_hairline_the_shine_and_a_likeness(treatment: str, body: str,
                                                           reply: str, expected: str) -> None:
    replies = (reply,) if reply else ()
    assert effect(treatment, "Update", body, replies) == expected


@pytest.mark.parametrize(("treatment", "body", "reply", "expected"), [
    ("dutasteride", "By August on dut, everything felt muted.", "", ("mood",)),
    ("finasteride", "fin made me depresed all day", "", ("mood",)),
    ("minoxidil", "Oral min for 7 months, crown is denser.", "[OP] werewolf mode activated lol",
     ("body_hair",)),
    ("ketoconazole", "I use ketoconazole shampoo because of the flakes, for the hair too.", "",
     ()),
    ("spironolactone", "My derm wants me on spironolactone. My blood pressure already runs "
     "low.", "", ()),
    # near misses: flakes from the product; a blood pressure that dropped on it
    ("ketoconazole", "Ketoconazole gave me flakes and a dry scalp.", "", ("skin",)),
    ("minoxidil", "Oral min for a year, my blood pressure dropped and I get dizzy.", "",
     ("cardio",)),
])
def test_side_effects_in_other_words(treatment: str, body: str, reply: str,
                                     expected: tuple[str, ...]) -> None:
    replies = (reply,) if reply else ()
    assert sides(treatment, "My experience", body, replies) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Spiro for a whole year and my part has tightened.", "improved"),
    ("Spiro for a whole year and my part did not narrow one bit.", "no_effect"),
    # near misses: "part of me"; the part narrow by nature, not a change
    ("Spiro for a year. Part of me wants to close this chapter.", "none"),
    ("On spiro a year. My part is narrow in the front and wide at the crown.", "none"),
])
def test_the_part_as_the_subject_of_narrowing(body: str, expected: str) -> None:
    assert effect("spironolactone", "Spiro", body) == expected
