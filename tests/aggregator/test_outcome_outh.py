"""Round `outh`: wording classes of missed verdicts on `outcomes_o`, `_p`, `_q`, each with
sentences that must not fire: the loss stopped at once; the hair still all there; the shed
itself stopped; a hairline where it sat; the head shining no more; where the fallen hair
is counted or caught; the shed told to go on as before; a terse verdict on the hair; not a
hair grown, told by count; broken-English "no change"."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("dutasteride", "Switched to dutasteride and it stopped it dead within half a year.",
     "improved"),
    ("finasteride", "Finasteride stopped the recession in its tracks, three years now.",
     "improved"),
    ("minoxidil", "Oral minoxidil stopped the thinning dead by month five.", "improved"),
    # negatives: the treatment stopped, not the loss
    ("finasteride", "I took finasteride for two months and stopped it because of brain fog.",
     "none"),
    ("dutasteride", "Dutasteride gave me sore nipples so I stopped it after a month.", "none"),
])
def test_the_loss_stopped_at_once(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "On finasteride since I was 22 and I still have a full hairline at 35.",
     "improved"),
    ("dutasteride", "Seven years of dutasteride and I've still got all my hair.", "improved"),
    ("finasteride", "Started finasteride at 20, my hairline sits exactly where it sat then.",
     "improved"),
    ("minoxidil", "A year of minoxidil foam and my head doesn't shine anymore under lamps.",
     "improved"),
    # negatives: a wish, not a report; the scalp's shine named without the head
    ("finasteride", "Should I start finasteride while I still have a full hairline?", "none"),
    ("minoxidil", "Started minoxidil this week, my head shines under the office lights.",
     "none"),
])
def test_the_hair_still_there(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("iron", "Iron was slow but it did stop my shed in the end.", "improved"),
    ("ketoconazole", "Nizoral halted my shed after about ten weeks.", "improved"),
    ("vitamin_d", "Vitamin D for six months, the count of hairs on my palms after rinsing "
     "has dropped a lot.", "improved"),
    ("iron", "Iron for eight months and the shower trap holds a few strands now.", "improved"),
    ("biotin", "Biotin for a year. I count hairs after washing: 120 down to 60.", "improved"),
    # negatives: the minoxidil shed ending on its own; a hand not holding hair
    ("minoxidil", "My minoxidil shed stopped at week eight by itself.", "none"),
    ("minoxidil", "Minoxidil for a month and my hands feel less greasy.", "none"),
])
def test_the_shed_stopped_or_counted_smaller(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("saw_palmetto", "Saw palmetto for a year and the hair still falling same like before.",
     "no_effect"),
    ("biotin", "Biotin for four months, the same amount in my brush every night.",
     "no_effect"),
    ("biotin", "Took biotin for half a year, nails grew like weeds, hair nope.", "no_effect"),
    ("ru58841", "RU for five months, hair wise it did f all.", "no_effect"),
    ("microneedling", "Microneedling weekly for half a year: sore scalp and zero hairs.",
     "no_effect"),
    ("dutasteride", "I use dutasteride since 1 year, my hair is same same, nothing change.",
     "no_effect"),
    # negatives: nothing to report yet; the same said of something else
    ("minoxidil", "Minoxidil three weeks, hair-wise nothing to report yet.", "none"),
    ("minoxidil", "Minoxidil for a year, I use the same amount every night.", "none"),
])
def test_no_gain_said_tersely(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("rosemary_oil", "Rosemary oil every night for ten months and my temples receded anyway.",
     "no_effect"),
    ("finasteride", "2 yrs on fin = slow loss anyway, moving to dut.", "no_effect"),
    ("saw_palmetto", "Saw palmetto for a year; the part widened anyway.", "no_effect"),
    # negatives: a reason to start; the photo conditions are no verdict
    ("minoxidil", "I'm thinning anyway, so I might as well try minoxidil.", "none"),
    ("finasteride", "Finasteride for a year now, monthly photos under the same lamp.", "none"),
    ("dutasteride", "On dutasteride, my derm counts hairs in the same crown spot each visit.",
     "none"),
])
def test_a_loss_anyway_and_photo_conditions(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # a test's result came back: no hair came back
    ("biotin", "I take biotin and my thyroid result came back strange.", "none"),
    ("iron", "On iron for a month, my blood work came back elevated.", "none"),
    ("ketoconazole", "Using Nizoral, my scalp biopsy came back clear of fungus.", "none"),
    # a shed "more than before" is no gain
    ("ru58841", "Two months of RU, I shed more than before around week five.", "none"),
    ("minoxidil", "Started minoxidil, shedding more than ever in month one.", "none"),
    # positives stay: the hair itself came back; more hair than before
    ("finasteride", "Two years of finasteride and my crown hair came back.", "improved"),
    ("minoxidil", "Minoxidil for a year, the crown has more hair than before.", "improved"),
])
def test_a_test_result_and_a_shed_are_no_gain(treatment: str, body: str,
                                              expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("dutasteride", "Ten months of dutasteride and my temples have fine hairs in them that "
     "weren't there before.", "improved"),
    ("minoxidil", "A year of minoxidil: there is hair at my crown where there was none.",
     "improved"),
    # negatives: spots, not hair; body hair is no gain
    ("tretinoin", "Tretinoin gave me spots on my forehead that weren't there before.", "none"),
    ("minoxidil", "Minoxidil gave me hair on my cheeks that wasn't there before.", "none"),
])
def test_hairs_where_there_were_none(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected
