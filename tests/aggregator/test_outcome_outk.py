"""Round `outk`: wording classes of missed verdicts on `outcomes_s`, each with invented
sentences and near misses that must not fire: the hair said not to care; a terse "no hair"
and nothing better to show; the loss frozen; the hair still all there; fuzz named before
where it grew; a comparative said with "more" and the falling "is stop"; "nothing yet" with
a word between."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, sides


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("biotin", "Six months of biotin. My skin glows, my hair does not care at all.",
     "no_effect"),
    ("rosemary_oil", "Rosemary oil nightly since spring and the temples could not care less.",
     "no_effect"),
    ("biotin", "Took biotin for a year: great nails lol. no hair tho", "no_effect"),
    ("exosomes", "Two exosome sessions and half a year on, nothing better to show for it.",
     "no_effect"),
    ("saw_palmetto", "Saw palmetto for nine months, not much to show for it.", "no_effect"),
    # negatives: someone who does not care; "no hair tho" asked, not told
    ("biotin", "I take biotin for my nails and I do not care about the hair part.", "none"),
    ("biotin", "Anyone else on biotin get great nails but no hair tho?", "none"),
])
def test_no_gain_said_tersely(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("dutasteride", "dut 4 yrs now, hairline frozen, no sides at all", "improved"),
    ("finasteride", "Five years on finasteride and my crown has been frozen in place.",
     "improved"),
    ("finasteride", "Honestly finasteride froze my hairline at 24 and it is still there.",
     "improved"),
    ("finasteride", "My uncle has used finasteride since the nineties and his hair is still "
     "all there.", "improved"),
    # negatives: a frozen scalp, a frozen account; "still all there" of the libido
    ("minoxidil", "Tried minoxidil last winter, my scalp felt frozen after the walk.", "none"),
    ("finasteride", "Quit finasteride after a month, my libido is still all there.", "none"),
])
def test_the_hair_held(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("peppermint_oil", "peppermint oil daily for 5 months. slight fuzz on crown.", "improved"),
    ("minoxidil", "Minoxidil 7 months, some fuzz along the hairline finally.", "improved"),
    ("finasteride", "I use the finasteride 8 month, my wife say the top is more dense.",
     "improved"),
    ("finasteride", "finasteride 5 month, now the falling is stop.", "improved"),
    # negatives: fuzz of the face; "more dense" wanted; the shed ending on its own
    ("minoxidil", "Two months of oral minoxidil, fuzz on my cheeks and forehead.", "none"),
    ("finasteride", "Should I take finasteride to make the crown more dense?", "none"),
    ("minoxidil", "Minoxidil month three, the shed is over now.", "none"),
])
def test_gain_in_few_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Started minoxidil foam ten days ago. No results obviously yet.", "none"),
    ("finasteride", "Three weeks on finasteride, no change to speak of yet.", "none"),
    # negative: a plain verdict after a long span
    ("finasteride", "A year on finasteride and no change at all.", "no_effect"),
])
def test_nothing_yet_with_a_word_between(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("hair_transplant", "My FUE three years ago gave me a solid frontal third.", "improved"),
    ("dutasteride", "Two years in, dutasteride has given me a fuller crown than at 25.",
     "improved"),
    # negatives: hair of the face or body; a side effect given
    ("minoxidil", "Oral minoxidil gave me a thick facial hair problem.", "none"),
    ("minoxidil", "Minoxidil gave me a dry scalp in the first month.", "none"),
])
def test_given_good_hair(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("saw_palmetto", "I took saw palmetto for a year. My barber told me last month the crown "
     "looks thinner than before.", "no_effect"),
    ("minoxidil", "A year of minoxidil. My derm told me at my last visit that my crown is "
     "denser.", "improved"),
    # negative: the teller speaks of himself, not of the writer's hair
    ("finasteride", "A guy at work told me finasteride made his hair thinner.", "none"),
])
def test_told_of_my_own_hair(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("saw_palmetto", "I wanted to avoid drugs so I took saw palmetto and pumpkin seed oil "
     "daily. The top looks thinner now.", "no_effect"),
    ("pumpkin_seed_oil", "I wanted to avoid drugs so I took saw palmetto and pumpkin seed oil "
     "daily. The top looks thinner now.", "no_effect"),
    # negative: the plan's own object is still no topic
    ("finasteride", "I wanted to avoid finasteride, the crown looks thinner now.", "none"),
])
def test_a_plan_before_so_guards_no_mention_after_it(treatment: str, body: str,
                                                      expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Oral minoxidil for a year. My ankles puff up by evening.", ("cardio",)),
    ("minoxidil", "Oral minoxidil since spring, there is dark fuzz along my jaw now.",
     ("body_hair",)),
    ("latanoprost", "Latanoprost on my temples for months; the skin there went darker.",
     ("skin",)),
    ("tretinoin", "Tretinoin twice a week and my scalp went blotchy and scaly.", ("skin",)),
    ("cetirizine", "Topical cetirizine daily, I still get drowsy after applying it.",
     ("other",)),
    # negatives: fine hairs that darken; a jawline named without hair on it
    ("minoxidil", "Minoxidil 8 months, the fine hairs at my temples turned darker.", ()),
    ("minoxidil", "Minoxidil for a year, I shave my jaw every morning anyway.", ()),
])
def test_side_effects_in_other_words(treatment: str, body: str,
                                     expected: tuple[str, ...]) -> None:
    assert sides(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Ten months of oral minoxidil and the elastic goes round twice now.",
     "improved"),
    ("spironolactone", "Spironolactone a year: my hair tie loops twice instead of three times.",
     "improved"),
    # negative: the loops told of a plan
    ("minoxidil", "Will minoxidil get my hair tie to go round twice like before?", "none"),
])
def test_the_hair_tie_turns(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("spironolactone", "Two years on spironolactone and it did not slow anything for me.",
     "no_effect"),
    ("microneedling", "Microneedling weekly for a year, no other treatment. Temples exactly "
     "as before.", "no_effect"),
    ("rosemary_oil", "Eight months of rosemary oil nightly. If anything more scalp shows.",
     "no_effect"),
    ("rosemary_oil", "Eight months of rosemary oil. If anything, my crown got thinner.",
     "no_effect"),
    ("dutasteride", "I am using dutasteride since one year. The hair on top is more strong now.",
     "improved"),
    ("ketoconazole", "Ketoconazole twice a week for a year. The drain used to collect a clump "
     "every wash; now there are a few strands.", "improved"),
    # negatives: "if anything happens"; others' verdict; "slow" of something else; a
    # routine "as before"
    ("finasteride", "Starting finasteride tomorrow; if anything happens I'll stop.", "none"),
    ("spironolactone", "Happy spironolactone works for some.", "none"),
    ("minoxidil", "Minoxidil did not slow my morning routine much.", "none"),
    ("minoxidil", "I apply minoxidil to my temples as before, twice a day.", "none"),
])
def test_verdicts_in_other_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("rosemary_oil", "I use the rosemary oil 4 month and nothing happens.", "no_effect"),
    ("lllt", "My laser cap was a pricey hat. Nothing in a year.", "no_effect"),
    ("prp", "Did PRP, nothing after 4 sessions.", "no_effect"),
    ("exosomes", "Did exosomes, got a 2 month shed and nothing after.", "no_effect"),
    ("minoxidil", "Minoxidil and needling for a year: temples came back, crown nope.", "mixed"),
    # negatives: a hold told as nothing happening, content; a plan; "nope" to a question
    ("finasteride", "Nine years of finasteride and nothing is happening, exactly what I want.",
     "improved"),
    ("minoxidil", "If nothing happens in 6 months on minoxidil I'll quit.", "none"),
    ("minoxidil", "Minoxidil for a month. Any shed at the crown? Nope, not yet.", "none"),
])
def test_nothing_told_tersely(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_a_no_gain_verdict_after_an_add_on_is_the_add_on_s() -> None:
    body = ("I have been on finasteride since 2022 and added setipiprant five months ago "
            "hoping for extra regrowth. Nothing changed at all in the photos.")
    assert effect("setipiprant", "update", body) == "no_effect"
    assert effect("finasteride", "update", body) == "none"
    # negative: a regimen told step by step keeps the verdict for all of it
    steps = ("Started finasteride, then added minoxidil, then added ketoconazole, added "
             "microneedling. Nothing changed at all.")
    assert effect("finasteride", "update", steps) == "no_effect"


def test_a_doubt_over_one_part_of_a_combination() -> None:
    body = ("Bloods showed low ferritin, so I started iron plus zinc. Five months on the "
            "shedding is back to normal. No idea if the zinc did anything.")
    assert effect("iron", "update", body) == "improved"
    assert effect("zinc", "update", body) == "no_effect"
    # negatives: a doubt over something else; the combination credited with no doubt
    other = ("Started iron plus zinc for my shedding. Five months on the shedding is back to "
             "normal. No idea if the pharmacy does refills.")
    assert effect("zinc", "update", other) == "improved"
