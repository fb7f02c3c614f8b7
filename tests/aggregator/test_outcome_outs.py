"""Round `outs` (stop 40): a loss said not to go on for a while is a hold, symptom words the
cue file lacked, a shed told as what the treatment did, and the 5% topical named by its
strength and vehicle alone."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import TAGGER, effect, sides


@pytest.mark.parametrize(("body", "expected"), [
    # a negated loss with a span or "further"/"since"/"any more": the loss halted
    ("I'm on finasteride 2 years and my crown hasn't thinned further.", "improved"),
    ("I'm on finasteride 2 years and my hair is not getting worse.", "improved"),
    ("I'm on finasteride and my hairline hasn't receded since.", "improved"),
    # negatives: a negated loss alone is sameness (weak: no effect), a loss is a loss
    ("I'm on finasteride and my hair is not getting worse.", "no_effect"),
    ("I'm on finasteride 2 years and my crown thinned further.", "no_effect"),
])
def test_a_loss_said_not_to_go_on_is_a_hold(body: str, expected: str) -> None:
    assert effect("finasteride", "update", body) == expected


@pytest.mark.parametrize(("body", "side"), [
    ("I have used minoxidil for 3 months. It gave me reflux.", "other"),
    ("I have used minoxidil for 3 months. I was more sleepy in the morning.", "other"),
    ("I have used minoxidil for 3 months. I got pins and needles.", "other"),
    ("I have used minoxidil for 3 months. My hands and feet tingle sometimes.", "other"),
    ("I have used minoxidil for 3 months. I gained a kilo.", "other"),
    ("I have used minoxidil for 3 months. My eyes look sunken.", "other"),
    ("I have used minoxidil for 3 months. I get nosebleeds.", "other"),
    ("I have used minoxidil for 3 months. The min shed me hard.", "shedding"),
    ("I have used minoxidil for 3 months. In the first months I had the shedding.",
     "shedding"),
    ("I have used minoxidil for 3 months. Shedding months 2-3.", "shedding"),
])
def test_symptom_words(body: str, side: str) -> None:
    assert side in sides("minoxidil", "update", body)


@pytest.mark.parametrize("body", [
    # insomnia beside panic or a pounding heart is that mood or heart, not `other`
    "Two weeks on minoxidil: heart pounding at night, couldn't sleep.",
    # still shedding like a dog is the loss, not a shed the treatment caused
    "A year on minoxidil and I still shed like a golden retriever in July.",
])
def test_symptom_words_left_out(body: str) -> None:
    assert not {"other", "shedding"} & set(sides("minoxidil", "update", body))


@pytest.mark.parametrize(("text", "form"), [
    ("Started fin and 5% foam the next week.", "topical"),
    ("5% liquid twice a day since May.", "topical"),
    ("min foam at night, fin in the morning", "topical"),
])
def test_the_five_percent_topical_is_minoxidil(text: str, form: str) -> None:
    tags = TAGGER.tag_with_mentions("update", text, [])[0]
    assert "minoxidil" in tags and form in tags["minoxidil"].forms


@pytest.mark.parametrize("text", [
    # minutes before "foam" / "liquid" are no minoxidil (the "min" rule's guard, review40)
    "Nizoral twice a week, I leave it on for 5 min foam and all.",
    "Wait 10 min liquid should dry first.",
])
def test_minutes_before_foam_are_no_minoxidil(text: str) -> None:
    assert "minoxidil" not in TAGGER.tag_with_mentions("update", text, [])[0]


def test_an_unpinned_shed_goes_to_both_when_the_foam_is_named() -> None:
    body = "Started 1mg fin and 5% foam the next week. Month 3 was a nasty shed."
    assert "shedding" in sides("minoxidil", "update", body)
    assert "shedding" in sides("finasteride", "update", body)


# Round `outt` (stop 40, after zi + zj were read): more symptom and effect words.
@pytest.mark.parametrize(("treatment", "body", "side"), [
    ("finasteride", "Eight months on finasteride. I have less desire for sex than before.",
     "sexual"),
    ("finasteride", "A year on finasteride and I had no interest in my girlfriend.", "sexual"),
    ("dutasteride", "Dut turned me into a zombie, flat all day, zero motivation.", "mood"),
    ("minoxidil", "Two months on minoxidil and it made my scalp burn.", "skin"),
    ("minoxidil", "Minoxidil made my heart race at night.", "cardio"),
    ("spironolactone", "On spironolactone, when I stand up fast the room tilts.", "cardio"),
    ("bicalutamide", "Eight months on bicalutamide. My liver numbers came back a bit high.",
     "other"),
    ("minoxidil", "Six months of oral minoxidil and my eyebrows are one big caterpillar now.",
     "body_hair"),
])
def test_outt_symptom_words(treatment: str, body: str, side: str) -> None:
    assert side in sides(treatment, "update", body)


def test_outt_normal_liver_tests_are_no_side_effect() -> None:
    body = "Ten months on bicalutamide and my ponytail is thicker. Liver tests are normal."
    assert "other" not in sides("bicalutamide", "update", body)


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Fin for 3 years kept things where they were.", "improved"),
    ("finasteride", "A year on finasteride. My bald spot is gone.", "improved"),
    ("minoxidil", "Five months on oral minoxidil. My hair grows again in the crown.",
     "improved"),
    ("lllt", "A year with a laser helmet, watching my crown get shinier every month.",
     "no_effect"),
    ("ketoconazole", "Two years of Nizoral. Keto on its own did not save my hair.",
     "no_effect"),
    ("lllt", "Used the laser cap 10 months. My hair looks exactly how it did.", "no_effect"),
    # negatives: a question, and "gone" of something else
    ("finasteride", "Will finasteride make my bald spot go away?", "none"),
    ("finasteride", "On finasteride a year. My dandruff is gone.", "none"),
])
def test_outt_effect_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected
