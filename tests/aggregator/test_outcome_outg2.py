"""Round `outg2`: wording classes of missed verdicts on the read corpora, each with
sentences that must not fire: praise said for the writer ("has been great for me") and a
gain with an emphatic "did"; "not yet" after a span of many months; a "too early" hedge in
a later clause about another treatment or spoken to the reader, which leaves the earlier
verdict standing; a loss told as going on in spite of a treatment."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    ("dutasteride", "dut", "Asking about dutasteride.",
     ("Dut has been great for me for three years now.",), "improved"),
    ("finasteride", "fin", "Topical finasteride for a year, it's been fantastic for my crown.",
     (), "improved"),
    ("microneedling", "needling", "Asking about microneedling.",
     ("Needling did work for me at the temples, slowly.",), "improved"),
    # negatives: a question, a price, praise denied
    ("dutasteride", "dut", "Has dutasteride been great for anyone's crown?", (), "none"),
    ("dutasteride", "dut", "Started dutasteride. The pharmacy price was great for me.", (),
     "none"),
    ("finasteride", "fin", "Two years of finasteride and it hasn't been great for my hair.",
     (), "no_effect"),
])
def test_praise_said_for_the_writer(treatment: str, title: str, body: str,
                                    replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("dutasteride", "I've taken dutasteride for 9 months and nothing yet.", "no_effect"),
    ("minoxidil", "Minoxidil foam, a full year on it, no results yet for the crown.",
     "no_effect"),
    ("ketoconazole", "Nizoral twice a week for eleven months and nothing so far.",
     "no_effect"),
    # negatives: weeks or a couple of months are a hedge
    ("minoxidil", "Oral minoxidil, 3 weeks in and nothing yet.", "none"),
    ("finasteride", "I'm 2 months on finasteride, no change yet.", "none"),
])
def test_not_yet_after_many_months(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_a_hedge_about_the_next_treatment_leaves_the_verdict() -> None:
    got = effects("update", "Saw palmetto was useless for me over a year, then I switched to "
                  "finasteride last month, so too early to say.")
    assert got["saw_palmetto"] == "no_effect"
    assert got["finasteride"] == "none"


@pytest.mark.parametrize(("body", "expected"), [
    ("Rosemary oil regrew my temples over a year, you stopped way too early.", "improved"),
    # negatives: the hedge is this verdict's own
    ("Rosemary oil for 6 weeks, a bit thicker maybe, but too early to say.", "none"),
    ("Too early to say, but rosemary oil seems to have thickened my temples.", "none"),
])
def test_a_hedge_spoken_to_the_reader(body: str, expected: str) -> None:
    assert effect("rosemary_oil", "rosemary", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Ten years in, my crown keeps thinning despite finasteride.", "no_effect"),
    ("dutasteride", "My temples are receding in spite of 0.5mg dutasteride.", "no_effect"),
    # negatives: a place, not a treatment; a gain
    ("finasteride", "I'm on finasteride. Thinning even on the sides now, odd.", "none"),
    ("finasteride", "Finasteride regrew my crown despite the late start.", "improved"),
])
def test_a_loss_despite_a_treatment(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("lllt", "Laser cap for a year; the hair count at my marked spot went up clearly.",
     "improved"),
    ("minoxidil", "Minoxidil since March and my follicle count has doubled per the trichoscope.",
     "improved"),
    ("finasteride", "I stopped finasteride and tried a new routine. I saw fuzz at the temples by "
     "month four of finasteride.", "improved"),
    # negatives: the shed's count, a trial's count
    ("minoxidil", "Two weeks into minoxidil and my shed count went up.", "none"),
    ("dutasteride", "They gave three doses of dutasteride in that trial. Hair count went up "
     "dose dependently.", "none"),
])
def test_a_count_that_rises_and_fuzz_seen(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Minoxidil for a year. The thin patch near the top of my head is "
     "barely visible.", "improved"),
    ("dutasteride", "Dutasteride 16 months. The pale circle at the back of my head is "
     "almost gone.", "improved"),
    ("finasteride", "Finasteride since 2023: the bald spot over my crown has shrunk a lot.",
     "improved"),
    # negatives: the scalp's itch, a wish, a part of a sentence
    ("minoxidil", "Minoxidil for a year. My scalp itch from the foam is mostly gone.", "none"),
    ("minoxidil", "Started minoxidil. I hope the thin patch on top will be mostly covered.",
     "none"),
])
def test_a_bare_spot_said_to_be_hidden(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # the add-on's verdict, not the base's
    ("Clascoterone nightly for ten months with my finasteride. I didn't see any extra "
     "benefit over finasteride alone.", {"clascoterone": "no_effect", "finasteride": "none"}),
    ("Ten months of clascoterone alongside finasteride. It did nothing extra.",
     {"clascoterone": "no_effect", "finasteride": "none"}),
    # negatives: no base named; the extra seen
    ("Finasteride for a year and honestly can't see any extra benefit from it.",
     {"finasteride": "no_effect"}),
    ("Clascoterone for ten months with finasteride, and my crown is thicker.",
     {"clascoterone": "improved", "finasteride": "improved"}),
])
def test_an_add_on_verdict_is_not_the_base(body: str, expected: dict[str, str]) -> None:
    got = effects("clascoterone and finasteride", body)
    assert {t: got[t] for t in expected} == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # more hair lost is never a gain
    ("biotin", "Biotin every day for a year and I lost even more hair than the year before.",
     "none"),
    # negatives: more hair gained
    ("minoxidil", "Minoxidil for a year and I have more hair at the crown.", "improved"),
])
def test_more_hair_lost_is_no_gain(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected
