"""Round `outz`: effect-label misses left after `outx`/`outy`, by class: the shedding said
not to budge (no hold), a claim said not to have been made, a gain the thread credits to
another cause."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the shedding as subject: it goes on as it was (these were [effect] improved phrases)
    ("finasteride", "Six months on finasteride. My shedding hasn't budged.", "no_effect"),
    ("minoxidil", "Minoxidil since March and the shedding didn't budge at all.", "no_effect"),
    ("finasteride", "A year on fin and my hair fall hasn't moved.", "no_effect"),
    # negatives: a hair area or the loss not moving is still a hold
    ("finasteride", "Six months on finasteride. My hairline hasn't budged.", "improved"),
    ("dutasteride", "A year on dut and my temples didn't budge.", "improved"),
    ("finasteride", "4 years on fin. Crown hasn't budged since I started.", "improved"),
    ("minoxidil", "On minoxidil a year, the recession hasn't moved.", "improved"),
])
def test_the_shedding_not_budging_is_no_hold(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # a claim said not to have been made is no report
    ("finasteride", "To everyone in my last thread: I never said fin made my hairline come "
     "back. I said it's too soon to tell.", "none"),
    ("finasteride", "I'm not saying finasteride regrew anything.", "none"),
    ("minoxidil", "I didn't say minoxidil filled in my crown, read it again.", "none"),
    # negatives: a claim beside a disclaimer after it, or 'never said' about something else
    ("finasteride", "Finasteride regrew my crown. Not claiming it works for everyone.",
     "improved"),
    ("finasteride", "I never said much about it but finasteride regrew my crown.", "improved"),
])
def test_a_claim_said_not_made_is_no_report(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "expected"), [
    # the gain is credited to another cause in its sentence, with no treatment in its clause
    ("minoxidil", "Bleaching was the problem", "My shedding stopped once I quit bleaching my "
     "hair. I bought minoxidil but haven't opened it.", "none"),
    ("biotin", "Postpartum and biotin", "Postpartum shedding was brutal. I took biotin "
     "through it, and by month six the shedding stopped, but honestly I think it just ended "
     "on its own like my doctor said it would.", "none"),
    ("ketoconazole", "Blaming the wrong thing", "I thought the ketoconazole shampoo was "
     "making me shed, but it was my thyroid. Since the levothyroxine, shedding is normal "
     "again.", "none"),
    ("finasteride", "update", "Fin for a year. Covid shed was bad but after I recovered the "
     "shedding slowed.", "none"),
    # negatives: the treatment named in the gain's clause, "on its own" of the treatment,
    # the other cause in another sentence
    ("minoxidil", "update", "After the stress ended, minoxidil did regrow my temples.",
     "improved"),
    ("finasteride", "update", "Finasteride regrew my crown on its own, no minoxidil needed.",
     "improved"),
    ("minoxidil", "update", "I quit bleaching my hair a year ago. Minoxidil then filled in my "
     "crown.", "improved"),
])
def test_a_gain_credited_to_another_cause_is_no_report(treatment: str, title: str, body: str,
                                                        expected: str) -> None:
    assert effect(treatment, title, body) == expected


@pytest.mark.parametrize(("body", "replies", "expected"), [
    # a gain and a loss of another hair area a comma apart: a mixed report, not a caveat
    ("One year of finasteride. The crown has filled in nicely, the temples carried on "
     "receding.", (), "mixed"),
    ("One year of finasteride. My crown came back, temples kept receding.", (), "mixed"),
    # "X here after two years" is the writer's own case
    ("One year of finasteride.", ("Same split here after two years: crown came back, "
                                  "temples carried on receding.",), "mixed"),
    # negatives: the same area or none after the comma is the gain's caveat; a question
    ("One year of finasteride. New hairs at the crown, still thinner than the rest.", (),
     "improved"),
    ("One year of finasteride. The crown filled in, the crown thinned at the edges though.",
     (), "improved"),
    ("Does anyone here after a year of finasteride see the crown come back?", (), "none"),
])
def test_a_loss_of_another_area_after_a_comma_is_mixed(body: str, replies: tuple[str, ...],
                                                      expected: str) -> None:
    assert effect("finasteride", "Fin", body, replies) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # an emoji before a space ends the sentence: the gain before it is not the treatment
    # named after it
    ("doin 1.5mm mn weekly + min liquid 2x a day since june. temples got proper fuzz now, "
     "slowly darkening 🙏 i also tried adding tret 2x a week to boost the min but it burnt my "
     "scalp so i dropped it", {"microneedling": "improved", "minoxidil": "improved",
                               "tretinoin": "none"}),
    ("Finasteride regrew my crown 👍🏻 minoxidil did nothing", {"finasteride": "improved",
                                                             "minoxidil": "no_effect"}),
    # negatives: an emoji inside a sentence, and plain ASCII text read as before
    ("Finasteride 🔥 regrew my crown", {"finasteride": "improved"}),
    ("Finasteride regrew my crown :) minoxidil did nothing", {"finasteride": "improved",
                                                            "minoxidil": "no_effect"}),
])
def test_an_emoji_ends_a_sentence(body: str, expected: dict[str, str]) -> None:
    assert effects("update", body) == expected


@pytest.mark.parametrize(("title", "body", "expected"), [
    # a gain credited to "the two together" is the last two treatments named
    ("Weekly needling plus foam turned my temple peach fuzz into real hair",
     "Every Sunday I roll 1.5mm over my temples and I use 5% minoxidil foam twice a day. The "
     "fine fuzz has thickened into proper dark hairs, I'd give the credit to the two "
     "together.", {"microneedling": "improved", "minoxidil": "improved"}),
    # negatives: without "the two", the gain stays the last named's; a sentence that names
    # them reads them as before
    ("Weekly needling plus foam", "Every Sunday I roll 1.5mm over my temples and I use 5% "
     "minoxidil foam twice a day. The fine fuzz has thickened into proper dark hairs.",
     {"microneedling": "none", "minoxidil": "improved"}),
    ("Fin and min", "I use minoxidil and finasteride. Both together did nothing for my crown.",
     {"finasteride": "no_effect", "minoxidil": "no_effect"}),
])
def test_a_gain_credited_to_the_two_together(title: str, body: str,
                                             expected: dict[str, str]) -> None:
    assert effects(title, body) == expected
