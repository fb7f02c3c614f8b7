"""Round `outi`: wording classes of missed single-direction verdicts on `outcomes_r`, each
with sentences that must not fire: a plain no-gain verdict ("nothing to show", "a dud");
no hair change in one phrase, and no change said as expected so early; years of hair
credited; the hair frozen in place; the slide stopped; short hairs seen; the hair as in an
old photo; the bare scalp showing no more, spelt out; the loss carrying on; the area gone
backwards for the writer; a count or the photos that did not move; a study's span is no
first person."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("ketoconazole", "Used ketoconazole shampoo for eight months, nothing to show.",
     "no_effect"),
    ("lllt", "The laser cap I bought was a total dud after a year of sessions.", "no_effect"),
    ("biotin", "Took biotin for a year and can't point to a single thing it did.",
     "no_effect"),
    ("finasteride", "Two years of finasteride, zero hair benefit and a lot of worry.",
     "no_effect"),
    ("finasteride", "Finasteride didn't stop mine, my crown is wider now.", "no_effect"),
    ("pumpkin_seed_oil", "Pumpkin seed oil for nine months was a total bust.", "no_effect"),
    ("rosemary_oil", "A year of rosemary oil and not much to show for my temples.",
     "no_effect"),
    # negatives: too early, a question, not the hair
    ("ketoconazole", "Started ketoconazole two weeks ago, nothing to show yet.", "none"),
    ("lllt", "Is the laser cap a dud or does it work for anyone?", "none"),
])
def test_a_plain_no_gain_verdict(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("biotin", "Biotin for ten months gave me nicer nails, no hair change.", "no_effect"),
    # negatives: no change said as expected so early
    ("minoxidil", "Started oral minoxidil last week. Hair: no change, obviously.", "none"),
    ("finasteride", "Month one of finasteride, no hair changes yet.", "none"),
    ("finasteride", "Stopped finasteride after a month, hair-wise nothing, too short to say.",
     "none"),
])
def test_no_hair_change(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Finasteride has given me six solid years before it faded.", "improved"),
    ("dutasteride", "On dutasteride my hairline has been frozen in place since 2020.",
     "improved"),
    ("finasteride", "Since finasteride the temples are basically locked where they were.",
     "improved"),
    ("dutasteride", "Dutasteride stopped my slide within a year.", "improved"),
    ("tretinoin", "Tretinoin at night, and now the temples have visible short hairs.",
     "improved"),
    ("finasteride", "Finasteride since 2018, my hair looks the same as my wedding photos.",
     "improved"),
    ("spironolactone", "A year of spironolactone and my part does not show through anymore.",
     "improved"),
    # negatives: not the hair frozen; the slide told as going on; hairs in the drain
    ("minoxidil", "Minoxidil foam left my scalp feeling frozen in winter.", "none"),
    ("finasteride", "Finasteride for a year and my slide never stopped.", "none"),
    ("finasteride", "Planning to start finasteride, I had some good years already.", "none"),
])
def test_plain_gains(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("dutasteride", "Ten months of dutasteride and the slipping carries on as before.",
     "no_effect"),
    ("pumpkin_seed_oil", "I took pumpkin seed oil for a year while my crown went on widening.",
     "no_effect"),
    ("melatonin", "Topical melatonin for six months, my hair counts did not move at all.",
     "no_effect"),
    ("prp", "Three PRP sessions and the before after photos show nothing.", "no_effect"),
    ("biotin", "A year of biotin and my hairline has continued its slow retreat.",
     "no_effect"),
    # negatives: the loss under a cover; an area that continues to hold or to gain
    ("smp", "SMP grows nothing of course, the thinning carries on underneath.", "none"),
    ("finasteride", "Two years of finasteride, my crown continued to thicken.", "improved"),
    ("finasteride", "Three years of finasteride and my hairline continues to look okay.",
     "none"),
])
def test_no_gain_told_plainly(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_gone_backwards_for_the_writer() -> None:
    replies = ("Same spray here for a year, my crown went backwards for me.",)
    assert effect("minoxidil", "minoxidil spray", "Which brand?", replies) == "no_effect"
    # a question is none
    replies = ("Did your crown go backwards for you on it?",)
    assert effect("minoxidil", "minoxidil spray", "Which brand?", replies) == "none"


def test_a_study_span_is_no_first_person() -> None:
    body = ("A randomised trial compared spironolactone with oral minoxidil over 12 months in "
            "women with thinning. Both improved density, minoxidil a bit more.")
    assert effect("minoxidil", "new trial", body) == "none"
    # the writer's own span still counts
    assert effect("minoxidil", "update", "Oral minoxidil, 12 months in and my crown is "
                  "denser.") == "improved"


@pytest.mark.parametrize(("body", "expected"), [
    ("Minoxidil did not work for me, but finasteride did.",
     {"minoxidil": "no_effect", "finasteride": "improved"}),
    ("Finasteride didn't stop mine, but dutasteride did.",
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    # negatives: a side effect one did not give, a failure on both sides
    ("Finasteride didn't give me sides but dutasteride did.",
     {"finasteride": "none", "dutasteride": "none"}),
    ("Finasteride didn't work, but dutasteride did nothing either.",
     {"finasteride": "no_effect", "dutasteride": "no_effect"}),
])
def test_one_failed_the_other_did(body: str, expected: dict[str, str]) -> None:
    for treatment, want in expected.items():
        assert effect(treatment, "update", body) == want


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    ("microneedling", "microneedling device", "Which pen should I buy?",
     ("Needled weekly for ten months, nothing to show.",), "no_effect"),
    ("microneedling", "microneedling numbers", "Microneedling for a year, count 30 to 31. "
     "So basically nothing.", (), "no_effect"),
    ("microneedling", "microneedling", "Does it work?",
     ("Microneedling with minoxidil gave me real growth.",), "improved"),
    # negatives: a question opening with the verb; a span with no verdict; no real growth
    ("microneedling", "microneedling device", "Which pen should I buy?",
     ("Rolled before? Which depth do you use?",), "none"),
    ("microneedling", "microneedling", "Microneedling for a month. So basically nothing "
     "to report, too early.", (), "none"),
])
def test_elliptical_verdicts(treatment: str, title: str, body: str, replies: tuple[str, ...],
                             expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


def test_a_belief_given_as_motive_is_no_report() -> None:
    body = "I added biotin to finasteride, thinking more vitamins is better for hair."
    assert effect("biotin", "update", body) == "none"
    # the report after it still counts
    body2 = body + " Finasteride alone kept my crown thicker anyway."
    assert effect("finasteride", "update", body2) == "improved"


def test_a_subject_alone_before_the_cue_keeps_it() -> None:
    replies = ("Ketoconazole alone held mine for two years before I started finasteride.",)
    got = effects_of("ketoconazole and finasteride", "thoughts?", replies)
    assert got["ketoconazole"] == "improved"
    assert got["finasteride"] == "none"
    # the base after the cue is still what it is measured against
    replies = ("My crown got thicker than it ever got with finasteride alone once I added "
               "minoxidil.",)
    assert effects_of("minoxidil and finasteride", "thoughts?", replies)["minoxidil"] == \
        "improved"


def test_a_lab_test_names_no_topic() -> None:
    body = ("Spironolactone for two years. I also had my ferritin checked, which was fine. "
            "The gaps at my part do not show through anymore.")
    got = effects_of("spironolactone update", body)
    assert got["spironolactone"] == "improved"
    assert got.get("iron", "none") == "none"


def effects_of(title: str, body: str = "", replies: tuple[str, ...] = ()) -> dict[str, str]:
    from tests.aggregator.outcome_helpers import effects
    return effects(title, body, replies)


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the procedure and the drug it delivers, named together, share the verdict
    ("mesotherapy", "dutasteride mesotherapy", "Does it work?",
     ("I did ten months of meso dutasteride and zero change.",), "no_effect"),
    # a use "off label" is no label talk
    ("clascoterone", "clascoterone", "Anyone tried it?",
     ("I used clascoterone off-label for 8 months, nothing.",), "no_effect"),
    # not enough alone, with a word between; a transplant's patchy result
    ("finasteride", "finasteride", "Finasteride alone clearly was not enough for my crown.",
     (), "no_effect"),
    ("hair_transplant", "hair transplant", "Two years out from my transplant, patchy result.",
     (), "no_effect"),
    # the hair falling less, with "not ... so much"
    ("rosemary_oil", "rosemary oil", "A year of rosemary oil, my hair is not falling so much "
     "now.", (), "improved"),
    # the same as on day one is no early day
    ("finasteride", "finasteride 4 years", "On finasteride since 2022, temples same as day 1, "
     "crown slightly thicker.", (), "improved"),
    # negatives: the label read; day one itself
    ("clascoterone", "clascoterone", "Anyone tried it?",
     ("The label says it can cause irritation, nothing about hair.",), "none"),
    ("finasteride", "finasteride", "Day 1 of finasteride, crown slightly thicker already?",
     (), "none"),
])
def test_more_wording(treatment: str, title: str, body: str, replies: tuple[str, ...],
                      expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the writer's scalp not showing where another's does
    ("finasteride", "finasteride vs my brother", "Three years of finasteride, my brother took "
     "nothing. His vertex shows scalp in every photo, mine does not.", (), "improved"),
    ("finasteride", "finasteride vs my brother", "Three years of finasteride, my brother took "
     "nothing. His part looks see-through at the family dinner, mine isn't.", (), "improved"),
    # a shed count from one two-digit number to a smaller one
    ("caffeine", "caffeine shampoo", "Caffeine shampoo daily for a year: hairs in the drain "
     "went from about 70 to 40.", (), "improved"),
    # nothing after a count of sessions; "instead" closing its clause is no hedge
    ("prp", "prp", "Worth it?", ("I had PRP instead, nothing after five sessions.",),
     "no_effect"),
    # a success; a hair area where the writer wanted it
    ("hair_transplant", "hair transplant", "Worth it?",
     ("My transplant was a huge success, dense at year two.",), "improved"),
    ("hair_transplant", "hair transplant", "Transplant in 2023, my hairline is where i wanted "
     "it.", (), "improved"),
    ("caffeine", "caffeine shampoo", "Caffeine shampoo daily: shedding went from around 200 "
     "to about 120 hairs a wash.", (), "improved"),
    # negatives: the shed count going up; nothing after weeks; "instead" as a plan
    ("caffeine", "caffeine shampoo", "Caffeine shampoo daily: hairs in the drain went from "
     "about 40 to 70.", (), "none"),
    ("prp", "prp", "Worth it?", ("I had PRP, nothing after two weeks obviously.",), "none"),
    ("prp", "prp", "Worth it?", ("I would do PRP instead and it should thicken things up.",),
     "none"),
])
def test_other_sides_and_counts(treatment: str, title: str, body: str,
                                replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


def test_an_add_on_measured_against_the_base_alone() -> None:
    replies = ("I did microneedling for a year with minoxidil, zero difference vs minoxidil "
               "alone.",)
    got = effects_of("microneedling", "Worth adding?", replies)
    assert got["microneedling"] == "no_effect"
    assert got["minoxidil"] == "none"


@pytest.mark.parametrize(("treatment", "body", "expected", "absent"), [
    ("finasteride", "Two years on finasteride, only complaint: smaller loads.", "sexual", ""),
    ("caffeine", "The caffeine lotion made my chin break out within a week.", "skin", ""),
    ("ketoconazole", "I put ketoconazole on for a month and it stung.", "skin", ""),
    ("latanoprost", "Latanoprost on my temples darkened the skin where I applied it.", "skin",
     ""),
    ("saw_palmetto", "Saw palmetto gave me heartburn after every capsule.", "other", ""),
    # negatives: pain of needling is not skin; a question
    ("microneedling", "Microneedling weekly, it stings like hell at 1.5mm.", "", "skin"),
    ("saw_palmetto", "Does saw palmetto cause heartburn?", "", "other"),
])
def test_side_effects_in_plain_words(treatment: str, body: str, expected: str,
                                     absent: str) -> None:
    from tests.aggregator.outcome_helpers import sides
    found = sides(treatment, "update", body)
    assert not expected or expected in found
    assert not absent or absent not in found
