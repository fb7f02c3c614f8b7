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
    ("minoxidil", "Minoxidil oral since 5 month. Sometimes at night my heart go very fast.",
     "cardio"),
    ("spironolactone", "On spironolactone the room tilts when I stand up fast.", "cardio"),
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
    ("minoxidil", "Five months on oral minoxidil. My hair is growing again in the crown.",
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


# The review of rounds outs and outt (review40): sentences where a first version of a phrase
# fired wrongly, and phrases it found untested.
@pytest.mark.parametrize(("treatment", "body", "side"), [
    ("minoxidil", "Started minoxidil 3 months ago. My baby keeps me up so I'm always sleepy.",
     "other"),
    ("finasteride", "Finasteride 1 year. My temples are sunken in and nothing changed.", "other"),
    ("finasteride", "Finasteride 1 year, crown thicker. I gained a kilo of muscle at the gym.",
     "other"),
    ("finasteride", "Finasteride for a year, no sides. I watched a zombie movie last night.",
     "mood"),
    ("finasteride", "Finasteride 2 years. Zero motivation to keep applying it honestly.", "mood"),
    ("finasteride", "Finasteride 2 years. I still have interest in my wife, no sides.", "sexual"),
    ("finasteride", "Finasteride 2 years. I'm more interested in sex than before.", "sexual"),
    ("bicalutamide", "Bicalutamide 6 months. Liver numbers were high before I started.",
     "other"),
    ("minoxidil", "Minoxidil 8 months. Seeing the crown fill in made my heart race, so happy.",
     "cardio"),
    ("minoxidil", "Minoxidil 8 months. I put it on dry and red hot days make my scalp sweat.",
     "skin"),
    ("minoxidil", "Minoxidil 8 months. I shaved off a moustache last week.", "body_hair"),
    ("minoxidil", "Minoxidil 8 months. My beard is bushy as always, nothing new.", "body_hair"),
    ("minoxidil", "Minoxidil 8 months. The hair above my ears is thinning now too.",
     "body_hair"),
    ("minoxidil", "Minoxidil 8 months. With my pale skin the darker regrowth hairs show well.",
     "skin"),
])
def test_review_side_effects_left_out(treatment: str, body: str, side: str) -> None:
    assert side not in sides(treatment, "update", body)


@pytest.mark.parametrize(("treatment", "body", "side"), [
    ("minoxidil", "Minoxidil 8 months and I grew a moustache.", "body_hair"),
    ("minoxidil", "Oral minoxidil 6 months, my eyebrows are bushy now.", "body_hair"),
    ("minoxidil", "Oral minoxidil 6 months, more hair in the arms and the face.", "body_hair"),
    ("latanoprost", "Latanoprost on my temples 7 months. My skin where I applied it went "
     "slightly darker.", "skin"),
    ("tretinoin", "Tretinoin on the scalp 3 months. My scalp is cracked.", "skin"),
    ("spironolactone", "Spironolactone a year and a constant thirst.", "other"),
])
def test_review_side_effects_kept(treatment: str, body: str, side: str) -> None:
    assert side in sides(treatment, "update", body)


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("finasteride", "Finasteride 2 years. The reason I still have questions is my derm.",
     "none"),
    ("finasteride", "Finasteride 2 years. The reason I still have my hairline.", "improved"),
    ("finasteride", "Fin 5 years. My hair still going strong.", "none"),
    ("saw_palmetto", "Saw palmetto half a year, no changing, hair still going thin on top.",
     "no_effect"),
    ("finasteride", "Finasteride 2 years. I finally got rid of the thinning shampoo.", "none"),
    ("finasteride", "Finasteride a year, regrowth at the temples. My hair is shinier since I "
     "switched shampoo.", "improved"),
    ("finasteride", "Finasteride 2 years. My hair looks like it did in college.", "improved"),
    ("finasteride", "Finasteride 2 years. Like it did in college, my hair falls out when I'm "
     "stressed.", "none"),
    # the halted loss: its own clause, not before the treatment or after stopping it
    ("finasteride", "Finasteride: my hair didn't get worse for two months, then it started "
     "falling out again.", "no_effect"),
    ("finasteride", "Before finasteride my hair didn't get worse for two years either.",
     "no_effect"),
    ("minoxidil", "I quit minoxidil in May and my hairline hasn't receded since.", "no_effect"),
])
def test_review_effects(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_a_loss_before_starting_is_no_failure() -> None:
    body = "Fin 3 years. Mine receded a bit before I started, since then stable."
    assert effect("finasteride", "update", body) != "no_effect"


@pytest.mark.parametrize("text", [
    "I mix my RU58841 as a 5% liquid in ethanol.",
    "I use the 5% liquid ketoconazole wash.",
    "Benzoyl peroxide 5% foam wash for my back acne.",
])
def test_the_five_percent_of_another_product_is_not_minoxidil(text: str) -> None:
    assert "minoxidil" not in TAGGER.tag_with_mentions("update", text, [])[0]


def test_a_brand_and_its_strength_are_one_mention() -> None:
    tags = TAGGER.tag_with_mentions("update", "Kirkland 5% foam twice a day.", [])[0]
    assert tags["minoxidil"].mentions == 1
