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


def test_an_unpinned_shed_goes_to_both_when_the_foam_is_named() -> None:
    body = "Started 1mg fin and 5% foam the next week. Month 3 was a nasty shed."
    assert "shedding" in sides("minoxidil", "update", body)
    assert "shedding" in sides("finasteride", "update", body)
