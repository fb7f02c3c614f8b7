"""Round `outg`: wording classes of missed gains (and their mirror losses) on the read
corpora, each with sentences that must not fire: a change from a thin state to a thick one,
new hairs, the bare scalp shown no more, an area turned thick or kept from receding, the
shed counted smaller, the hair held for a span; scope: "any" after a negation, the writer's
"you can see", a span told alone as first person; a switch asked of a doctor."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects, sides


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # a hair area from a thin state to a thick one, or back
    ("dutasteride", "Ten months on dutasteride and the top went from patchy to dense.",
     "improved"),
    ("finasteride", "Fin for a year, my temples went from fine to coarse.", "improved"),
    ("minoxidil", "Oral min 18 months: my hair went from diffuse thinning to coarse.",
     "improved"),
    ("minoxidil", "Oral min 18 months: my crown was wispy, now it is thick.", "improved"),
    ("finasteride", "On finasteride two years and my crown went from thick to thin.",
     "no_effect"),
    # negatives: a hope, another's stage, a change that is no gain
    ("finasteride", "Started finasteride. I hope it goes from see-through to solid.", "none"),
])
def test_a_change_from_a_thin_state_to_a_thick_one(treatment: str, body: str,
                                                   expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_a_change_of_stage_is_no_gain() -> None:
    # (the Norwood stage is the stage rule's, whatever it reads; never a gain)
    assert effect("finasteride", "update", "On finasteride a year. He went from NW2 to NW4 "
                  "before he started.") != "improved"


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    ("minoxidil", "Five months of minoxidil: I counted a dozen new dark hairs at the "
     "temples.", "improved"),
    ("minoxidil", "Minoxidil for a year. My scalp doesn't glare under the bathroom light "
     "anymore.", "improved"),
    ("minoxidil", "Minoxidil for a year. The scalp shine under bright lights is way down.",
     "improved"),
    ("dutasteride", "Dutasteride since spring and the crown hairs look beefier.", "improved"),
    ("dutasteride", "Switched to dut last year and the front turned dense by summer.",
     "improved"),
    ("finasteride", "Finasteride kept the part from widening for three years.",
     "improved"),
    ("hair_transplant", "My transplant in 2022 rebuilt my hairline.", "improved"),
    ("finasteride", "Six years on fin and my hairline is where it was when I started.",
     "improved"),
    ("minoxidil", "Minoxidil since spring, and there is finally fuzz along my temples.",
     "improved"),
    ("saw_palmetto", "Saw palmetto every day since 50. I have the same hairline at 62 that I "
     "had at 50.", "improved"),
    ("hair_transplant", "My transplant last year: I can wear my hair down again.",
     "improved"),
    ("dutasteride", "been on dut 8 months an my crown is fillin in", "improved"),
    ("finasteride", "My uncle took finasteride from 30; at 60 he has the same hairline he "
     "had then.", "improved"),
    # negatives: a negated gain, the scalp's own trouble, the hair's own shine, a hope
    ("minoxidil", "Minoxidil since spring, and now fuzz on my cheeks too.", "none"),
    ("minoxidil", "Five months of minoxidil and not a single new dark hair anywhere.",
     "no_effect"),
    ("minoxidil", "Minoxidil for a year. My scalp doesn't itch anymore.", "none"),
    ("minoxidil", "Minoxidil for a year. My hair has less shine than before.", "none"),
    ("finasteride", "Fin for a year. Nothing kept my hairline from receding.", "no_effect"),
    ("minoxidil", "If my temples went solid on minoxidil I would be thrilled.", "none"),
    ("hair_transplant", "My transplant restored my confidence more than anything.", "none"),
])
def test_hair_said_to_grow_in_other_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the shed counted, then a smaller count
    ("finasteride", "Finasteride for a year. I used to lose a clump in the drain every "
     "wash, now just a few strands.", "improved"),
    ("minoxidil", "On minoxidil since March and the hairs on my pillow went from about 150 "
     "to 30.", "improved"),
    # negatives: the hair itself fewer, a dose
    ("finasteride", "On finasteride. I used to have thick hair, now only a few hairs are "
     "left on top.", "none"),
    ("finasteride", "On finasteride a year; my dose went from 100 to 50mg.", "none"),
])
def test_the_shed_counted_smaller(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # "any" after a negation is the negation's, not a hypothetical
    ("finasteride", "fin", "On finasteride.", ("Fin never caused any problems and after two "
     "years my hairline is denser.",), "improved"),
    # the impersonal "you can see" of the writer's own hair
    ("minoxidil", "min", "Week 8 on minoxidil foam.", ("[OP] month 6: the temples have "
     "dark fuzz you can see in photos now.",), "improved"),
    ("minoxidil", "min", "Thinking about minoxidil.", ("You can see regrowth within three "
     "months usually.",), "none"),
    # a span told alone is the writer's
    ("dutasteride", "dut?", "Is dutasteride worth it?", ("dut 3 yrs, crown went from thin "
     "to thick.",), "improved"),
    ("finasteride", "fin", "fin 6 yrs, still NW1. no issues.", (), "improved"),
    ("finasteride", "fin", "fin 10 months, still NW3.", (), "no_effect"),
    # a hair area staying as bare; "and nothing for me"
    ("spironolactone", "spiro", "Spironolactone for a year and my part remained exactly as "
     "wide.", (), "no_effect"),
    ("spironolactone", "spiro", "Spironolactone for a year and my temples stayed as thick "
     "as ever.", (), "improved"),
    ("rosemary_oil", "rosemary", "Rosemary oil for 7 months and nothing for my hair "
     "unfortunately.", (), "no_effect"),
    ("minoxidil", "min on temples?", "Does minoxidil work on temples?",
     ("a yr of it on my temples n nothing",), "no_effect"),
    ("biotin", "biotin", "Biotin for five months. My ponytail is the same thickness.", (),
     "no_effect"),
    ("biotin", "biotin", "Biotin for five months. My part has not changed one bit.", (),
     "no_effect"),
    ("spironolactone", "spiro", "Spironolactone for a year and the gap at my temples is "
     "getting bigger.", (), "no_effect"),
])
def test_first_hand_scope(treatment: str, title: str, body: str, replies: tuple[str, ...],
                          expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # nothing told apart or added: no effect ("can't tell" alone is a hedge)
    ("Nizoral twice a week since last spring, honestly can't tell any difference in my "
     "hair.", "no_effect"),
    ("Ketoconazole shampoo for a year, and it didn't add anything good or bad.",
     "no_effect"),
    ("Ketoconazole shampoo for eight months and it did exactly zero.", "no_effect"),
    # negatives: a hedge, a question, the writer adding nothing
    ("Two weeks of ketoconazole, can't tell if it's working.", "none"),
    ("Does ketoconazole add anything for hair?", "none"),
])
def test_nothing_told_apart_or_added(body: str, expected: str) -> None:
    assert effect("ketoconazole", "keto", body) == expected


@pytest.mark.parametrize(("treatment", "reply", "expected"), [
    # a contrary report in a reply: the loss went on, nothing but a side effect, nothing
    # came of it, the hair did not care, a poor graft yield (the poster regrew: mixed)
    ("minoxidil", "Three years on minoxidil and I still lost my crown.", "mixed"),
    ("minoxidil", "Minoxidil for two years here and my temples still went.", "mixed"),
    ("minoxidil", "Minoxidil for a year here, sweet FA apart from an itchy forehead.",
     "mixed"),
    ("minoxidil", "My husband did minoxidil for ten months and nothing came of it.", "mixed"),
    ("minoxidil", "Gave minoxidil a full year and saw no difference.", "mixed"),
    ("minoxidil", "I did minoxidil for a year and my receding temples didn't care.", "mixed"),
    ("minoxidil", "Minoxidil for a year and the thinning on my crown kept spreading.",
     "mixed"),
    ("minoxidil", "Eight months of minoxidil left my shedding untouched.", "mixed"),
    ("minoxidil", "Minoxidil for a year, my scalp still shows through under the lights.",
     "mixed"),
    ("minoxidil", "Oral minoxidil gave me hairy arms and nothing whatsoever on my head.",
     "mixed"),
    ("minoxidil", "Minoxidil on my crown for a year did nowt.", "mixed"),
    ("minoxidil", "A year of minoxidil and the only thing that grew was my beard.", "mixed"),
    ("minoxidil", "Ten months of minoxidil here and the crown thinned anyway.", "mixed"),
    ("minoxidil", "I put minoxidil on twice a day for 9 months. Zero.", "mixed"),
    ("hair_transplant", "My transplant only got maybe half the grafts to grow.", "mixed"),
    ("minoxidil", "Minoxidil for a year and my part widened like I wasn't using anything.",
     "mixed"),
    ("minoxidil", "Minoxidil a year, and I still thinned.", "mixed"),
    # negatives: a loss before it, a verdict on the writer's mood
    ("minoxidil", "I lost my crown before I found minoxidil, now it is back.", "improved"),
    ("minoxidil", "Minoxidil for a year, I don't care about the fuzz on my cheeks.",
     "improved"),
])
def test_a_contrary_report_makes_it_mixed(treatment: str, reply: str, expected: str) -> None:
    body = ("Minoxidil for a year regrew my crown." if treatment == "minoxidil" else
            "My transplant in 2020 regrew my hairline.")
    assert effect(treatment, "min", body, (reply,)) == expected


@pytest.mark.parametrize(("reply", "expected"), [
    # a gain that came late, after the poster's nothing: mixed
    ("Took me about ten months to see anything on minoxidil, hang in.", "mixed"),
    ("minoxidil took a year for me to do anything visible.", "mixed"),
    # negatives: an errand, a generic claim
    ("It took me two months to see a dermatologist about minoxidil.", "no_effect"),
    ("Minoxidil can take 8 months to show results.", "no_effect"),
])
def test_a_gain_that_came_late(reply: str, expected: str) -> None:
    body = "Six months of minoxidil and nothing at all."
    assert effect("minoxidil", "min", body, (reply,)) == expected


def test_nothing_until_a_change() -> None:
    # the change worked: the foam after the liquid (one treatment both ways: mixed)
    assert effect("minoxidil", "min", "Minoxidil liquid did nothing at all until I switched "
                  "to the foam.") == "mixed"
    # negatives: nothing until the writer gave up
    assert effect("minoxidil", "min", "Minoxidil did nothing for a year, until I gave up.") \
        == "no_effect"


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the hair lost once the treatment stopped: it had been working
    ("finasteride", "Stopped finasteride for a year and then lost everything.", "improved"),
    ("minoxidil", "My crown went downhill after 3 months off minoxidil.", "improved"),
    ("minoxidil", "I lost a ton of hair once I quit minoxidil.", "improved"),
    # the hair kept, by a named person; good for the hair; a stage kept
    ("minoxidil", "My uncle used minoxidil for 15 years and kept all his hair.", "improved"),
    ("finasteride", "Finasteride has been good for my hair, no complaints.", "improved"),
    ("finasteride", "Seven years on finasteride and it kept my NW2.", "improved"),
    ("spironolactone", "Spironolactone plus patience = my hair is back.", "improved"),
    ("finasteride", "My brother has taken finasteride for years and it saved his hairline.",
     "improved"),
    ("finasteride", "Nine years on finasteride, still way ahead of my twin.", "improved"),
    ("minoxidil", "Quit oral minoxidil in March, hair went back to baseline by summer.",
     "improved"),
    ("finasteride", "Minoxidil did little; finasteride is what actually stopped mine.",
     "improved"),
    ("finasteride", "Eight months of finasteride and my barber asked if I've been using "
     "something.", "improved"),
    ("minoxidil", "18 months of minoxidil. Crown fixed.", "improved"),
    # negatives: a loss before the treatment, a question
    ("finasteride", "Finasteride held for years, then it stopped working and I lost "
     "everything.", "mixed"),
    ("finasteride", "I lost a ton of hair before I started finasteride.", "none"),
    ("finasteride", "Is finasteride good for the hair long term?", "none"),
])
def test_the_hair_kept_in_other_words(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # short verdicts and wordings of a gain
    ("dutasteride", "Three years: biotin [nothing], dutasteride [game changer].", "improved"),
    ("dutasteride", "Two years of dutasteride, my temples haven't gotten any thinner.",
     "improved"),
    ("minoxidil", "Four months of minoxidil, pulse the same, temples filling.", "improved"),
    ("finasteride", "Six years on finasteride, some ED lately. Hair still good.", "improved"),
    ("minoxidil", "Minoxidil twice a day, 7 months, better hairline.", "improved"),
    ("finasteride", "Transplant last year, and finasteride is keeping the native hair.",
     "improved"),
    ("finasteride", "A year on finasteride: the sink went from a clump every wash to maybe "
     "three or four strands.", "improved"),
    # and of no gain
    ("biotin", "Biotin gummies for six months, didn't notice a thing.", "no_effect"),
    ("finasteride", "Finasteride alone wasn't enough for my crown.", "no_effect"),
    ("biotin", "Biotin for a year. Nothing for hair growth though.", "no_effect"),
    ("minoxidil", "Ten months of minoxidil and I'm thinner than before.", "no_effect"),
    ("spironolactone", "A year of spironolactone and my density dropped further.",
     "no_effect"),
    ("minoxidil", "Minoxidil for a year and my part is still widening.", "no_effect"),
    # negatives: stopping and losing is a gain; a question; worse skin
    ("minoxidil", "Two years on minoxidil, stopped for 3 months, now thinner than before.",
     "improved"),
    ("finasteride", "Is finasteride alone enough for the crown?", "none"),
])
def test_short_verdicts(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


def test_a_poor_graft_yield_is_no_gain() -> None:
    assert effect("hair_transplant", "FUE", "FUE in 2021. Maybe a third of the grafts came "
                  "through, a see-through result for the money.") == "no_effect"
    assert effect("minoxidil", "shed", "A year on minoxidil: the drain holds maybe a third "
                  "of what it used to.") == "improved"


def test_hair_dropped_everywhere_is_a_shed() -> None:
    body = "Week 4 on minoxidil and I'm dropping hair everywhere."
    assert sides("minoxidil", "min shed", body) == ("shedding",)
    assert "body_hair" in sides("minoxidil", "min", "Minoxidil gave me hair everywhere on "
                                "my arms and chest.")


def test_a_switch_asked_of_a_doctor() -> None:
    got = effects("fin to dut", "I took finasteride for two years and my crown thinned "
                  "badly, so I asked my doctor for dutasteride. Eight months later my crown "
                  "went from sparse to full.")
    assert got == {"finasteride": "no_effect", "dutasteride": "improved"}
