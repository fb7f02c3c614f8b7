"""Round `outm`: gains (`improved`) told in ways the rules did not read, each class with
invented sentences and near misses that must not fire: a span in short forms ("3 yrs on
dut") marks the writer; one treatment's failure set against another's success with a comma
for "but" ("fin didn't work for me, dut did"); a comparison's baseline named after the gain
("thicker than on fin") is not the treatment credited."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    ("dutasteride", "4 yrs on dut. temples are fuller now", "improved"),
    ("minoxidil", "8 mos on min, the part is tighter", "improved"),
    ("minoxidil", "Minoxidil, 2 mths in and my crown is denser", "improved"),
    # near misses: an age, and a study's span, are no writer
    ("dutasteride", "People 30 yrs old on dut say the temples are fuller", "none"),
    ("minoxidil", "Minoxidil: 8 mos in the trial, the part got tighter for most", "none"),
])
def test_a_short_span_marks_the_writer(treatment: str, reply: str, expected: str) -> None:
    assert effect(treatment, "Does it work?", "Thinking of starting, how long did it take?",
                  (reply,)) == expected


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    ("dutasteride", "Finasteride didn't work for me at all, dut did.", "improved"),
    ("minoxidil", "Fin never helped me; minoxidil did.", "improved"),
    ("finasteride", "Fin never helped me; minoxidil did.", "no_effect"),
    # near misses: no treatment after the comma, and a plain "did" of something else
    ("finasteride", "Finasteride didn't work for me, which my derm said it would.",
     "no_effect"),
    ("dutasteride", "Finasteride didn't work for me, I did try dut after.", "none"),
])
def test_a_failure_then_a_success_after_a_comma(treatment: str, reply: str,
                                                expected: str) -> None:
    assert effect(treatment, "Non-responder?", "Is there life after fin?", (reply,)) == \
        expected


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    ("dutasteride", "Two years on dut. My crown is thicker than on fin", "improved"),
    ("finasteride", "Two years on dut. My crown is thicker than on fin", "none"),
    ("dutasteride", "Been on dut since spring, hair is fuller than it was with fin.",
     "improved"),
    ("finasteride", "Been on dut since spring, hair is fuller than it was with fin.", "none"),
    # near misses: "than ever on X" credits X; X also named before the gain keeps it
    ("finasteride", "My crown is thicker than ever on fin.", "improved"),
    ("finasteride", "Fin and dut, my crown is thicker than on fin alone.", "improved"),
])
def test_a_comparison_baseline_is_not_credited(treatment: str, reply: str,
                                               expected: str) -> None:
    assert effect(treatment, "Fin vs dut", "Which one worked better for you?", (reply,)) == \
        expected


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    # a failure told before what came next is not the next one's
    ("dutasteride", "Wasted a year on vitamins before dut.", "improved"),
    ("finasteride", "Topical RU did zero for me on top of fin.", "improved"),
    ("finasteride", "Three years wasted, then fin sorted it in six months.", "improved"),
    ("tretinoin", "Same, minoxidil alone did nothing until tretinoin was added.", "improved"),
    ("minoxidil", "Same, minoxidil alone did nothing until tretinoin was added.", "mixed"),
    # near misses: the treatment named before the failure keeps it
    ("finasteride", "Fin did nothing for me before I added minoxidil.", "mixed"),
    ("finasteride", "Fin did nothing for me, then I quit.", "mixed"),
])
def test_a_failure_before_what_came_next(treatment: str, reply: str, expected: str) -> None:
    assert effect(treatment, "Fin, dut, RU, min and tret: what finally worked",
                  "Dutasteride, finasteride, tretinoin and minoxidil together regrew my "
                  "crown.", (reply,)) == expected


@pytest.mark.parametrize(("reply", "expected"), [
    ("Week 4 of min and my temples look worse, should I worry?", "improved"),
    ("week three on minoxidil and the hairline looks thinner lol", "improved"),
    # near misses: a point of a story told after it, and a week past the early shed
    ("Ever since week 6 on min my crown has kept getting thinner, a year now.", "mixed"),
    ("Week 30 of min and my temples look worse than ever.", "mixed"),
])
def test_an_early_week_is_too_early(reply: str, expected: str) -> None:
    assert effect("minoxidil", "Minoxidil: one year", "A year of minoxidil and my crown is "
                  "denser.", (reply,)) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the loss told as the time before the treatment, beside a hold
    ("dutasteride", "Dut for three years, my crown is frozen. Before dut, I was losing ground "
     "every winter.", "improved"),
    ("dutasteride", "Two years on dut and the hairline held. No new hair, but after losing "
     "ground all through my twenties, I'll take it.", "improved"),
    # near misses: a loss told against "before I started" is still a loss; a plain loss
    ("minoxidil", "Minoxidil for five months, and the part is thinner than before i started.",
     "no_effect"),
    ("dutasteride", "Dut for three years, my crown is frozen. Lately I was losing ground "
     "again.", "mixed"),
])
def test_a_loss_before_the_treatment(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "Update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the hold accepted, the loss said to have stopped, the semen's volume
    ("finasteride", "Finasteride for a year: temples unchanged, which is fine.", "improved"),
    ("finasteride", "Fin for 18 months, photos the same, I'll take it.", "improved"),
    ("finasteride", "I use finasteride 3 years, hair is not more falling.", "improved"),
    ("ru58841", "RU for a year, not one hair lost at the temples.", "improved"),
    ("dutasteride", "Dut for a year, the crown is thicker. Less ejaculate volume though.",
     "improved"),
    # near misses: sameness without acceptance is weak no effect; "fine" of something else
    ("finasteride", "Finasteride for a year: temples unchanged.", "no_effect"),
    ("finasteride", "Finasteride for a year: temples unchanged. Libido is fine.", "no_effect"),
])
def test_a_hold_in_other_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "Update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a gain closed by "??" or "?!" is an exclamation
    ("Finasteride for a year. My crown is basically back??", "improved"),
    ("my crown is so much thicker now?! 10 months of finasteride", "improved"),
    # near misses: a question word or a hedge opens it, or it asks the reader
    ("Finasteride for a year. Is this regrowth??", "none"),
    ("Finasteride for a year. So is my crown thicker?!", "none"),
    ("Finasteride for a year. Maybe a thicker crown??", "none"),
    ("Finasteride for a year, crown thicker, normal??", "none"),
])
def test_a_doubled_mark_is_an_exclamation(body: str, expected: str) -> None:
    assert effect("finasteride", "Update", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # others noticing the hair
    ("A year of minoxidil, and my barber noticed the difference straight away.", "improved"),
    ("Minoxidil for ten months, people keep commenting on my hair.", "improved"),
    ("Minoxidil for a year; my mum saw the before and after and cried.", "improved"),
    # near misses: the negation, and "noticed before I did" of a loss
    ("A year of minoxidil and nobody has noticed a difference, me neither.", "none"),
    ("Minoxidil for a year and I haven't noticed a difference.", "no_effect"),
    ("Minoxidil for a year, the crown is going, my barber noticed before I did.", "none"),
])
def test_others_noticing_the_hair(body: str, expected: str) -> None:
    assert effect("minoxidil", "Update", body) == expected
