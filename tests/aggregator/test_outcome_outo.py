"""Round `outo`: classes from the remaining effect misses of the older read sets (`outcomes_a`,
`_b`, `_f`, `_j`, `_k`, `_o`, `summaries_e`, the real posts), each with invented sentences and
near misses that must not change: a gain told with an emphatic "did" ("it did slow things
down"), the edges said to be back and an area "brought back" with the particle first, and the
loss back after a spell of holding ("the loss restarted": one person both ways)."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a gain told with an emphatic "did"
    ("finasteride", "Fin verdict", "I took fin for three years and it really did slow things "
     "down, honestly.", (), "improved"),
    ("iron", "Iron tablets", "Ferritin was low so I took iron for five months.",
     ("Iron here too. Slow going, but it did stop my shedding.",), "improved"),
    ("saw_palmetto", "Saw palmetto", "Saw palmetto for eight months, nothing at all.",
     ("My uncle took saw palmetto for years and his shedding did stop.",), "mixed"),
    ("dutasteride", "Dut", "Dut for two years: it did slow my hair loss, no regrowth though.",
     (), "improved"),
    # the edges said to be back, and an area brought back with the particle first
    ("castor_oil", "Castor oil update", "Castor oil on my thin edges every night. Ten months "
     "in, my edges are finally back!", (), "improved"),
    ("rosemary_oil", "Rosemary for traction loss", "Braids thinned my edges.",
     ("Rosemary oil got my edges back after about a year.",), "improved"),
    ("ru58841", "RU", "RU for eighteen months brought back my whole hairline.", (),
     "improved"),
    # the loss back after a spell of holding, beside the hold: both ways
    ("minoxidil", "Minoxidil", "Minoxidil kept me stable for two years, but lately the "
     "shedding has restarted.", (), "mixed"),
    ("ketoconazole", "Keto shampoo", "Nizoral twice a week held things for a while, then the "
     "thinning resumed.", (), "mixed"),
])
def test_outo_classes(treatment: str, title: str, body: str, replies: tuple[str, ...],
                      expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: "did stop" of the treatment itself; a denied "did"; the edges pulled back
    # or "back to" a state; "brought back" a loss or before a relative clause
    ("finasteride", "Fin", "I did stop taking fin last spring, I was just tired of pills.", (),
     "none"),
    ("finasteride", "Fin", "Fin did not slow my hair loss at all in two years.", (),
     "none"),  # (as before this round: no gain read)
    ("castor_oil", "Castor oil", "I started castor oil. I always pulled my edges back in a "
     "tight ponytail, so they are thin.", (), "none"),
    ("castor_oil", "Castor oil", "Castor oil for a month. My edges are back to looking "
     "patchy?", (), "none"),
    ("rosemary_oil", "Rosemary oil", "Rosemary oil brought back my shedding, or so it seems?",
     (), "none"),
    ("dutasteride", "Dut", "Dut brought back the crown that fin couldn't save.", (),
     "none"),
])
def test_outo_near_misses(treatment: str, title: str, body: str, replies: tuple[str, ...],
                          expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # needling told by its depth or by rolling, in a thread about needling beside another
    # treatment: about needling alone, and so are the reply's next sentences naming none
    ("minoxidil", "Dermaroller and minoxidil: a year", "A year of weekly needling with a "
     "dermaroller plus minoxidil foam. My crown filled in nicely.",
     ("Did 0.75 mm every week for eight months and got nothing but sore skin.",), "improved"),
    ("microneedling", "Dermaroller and minoxidil: a year", "A year of weekly needling with a "
     "dermaroller plus minoxidil foam. My crown filled in nicely.",
     ("Did 0.75 mm every week for eight months and got nothing but sore skin.",), "mixed"),
    ("minoxidil", "Microneedling + min", "Microneedling weekly and min twice a day. The "
     "temples thickened up.",
     ("I rolled every Sunday for half a year. Zero new hairs.",), "improved"),
])
def test_outo_needling_told_without_its_name(treatment: str, title: str, body: str,
                                             replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: a width in whole millimetres; a sentence naming the other treatment; a
    # thread whose topic has no needling
    ("minoxidil", "Microneedling + min", "Microneedling weekly and min twice a day. The "
     "temples thickened up.",
     ("I tried this combo for a year. My part is still 6mm wide, nothing changed.",), "mixed"),
    ("minoxidil", "Microneedling + min", "Microneedling weekly and min twice a day. The "
     "temples thickened up.",
     ("I rolled weekly too, but min alone did nothing for me.",), "mixed"),
    ("minoxidil", "Minoxidil and fin", "Minoxidil and fin for a year, crown filled in.",
     ("I rolled my eyes at the price, used both for a year and got nothing.",), "mixed"),
])
def test_outo_needling_near_misses(treatment: str, title: str, body: str,
                                   replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a gain told before the treatment named only as what came later is not that one's: it
    # is the thread focus's ("it" in a reply)
    ("finasteride", "Saw palmetto: did nothing?", "Saw palmetto for a year, no change.",
     ("It kept my temples stable for three years before I moved on to fin.",), "none"),
    ("saw_palmetto", "Saw palmetto: did nothing?", "Saw palmetto for a year, no change.",
     ("It kept my temples stable for three years before I moved on to fin.",), "mixed"),
    ("dutasteride", "Pumpkin seed oil", "PSO capsules for a while.",
     ("It thickened my hair a bit before I switched to dut.",), "none"),
    # near misses: the treatment named before the cue too; a baseline told "than it was
    # before I started"
    ("finasteride", "Fin then dut", "Fin held my hairline for five years before I switched "
     "to dut.", (), "improved"),
    ("dutasteride", "Update", "The bald spot is smaller than it was before I started dut "
     "last year.", (), "improved"),
    # ... but a gain going on after the later one came is that one's too
    ("finasteride", "Minoxidil then fin", "Minoxidil for a year.",
     ("My crown thickened a lot, then I added fin and it got even better.",), "improved"),
    # near miss: "better" of something else is no gain going on
    ("finasteride", "Minoxidil then fin", "Minoxidil for a year.",
     ("My crown thickened a lot, then I added fin because it felt better to cover both.",),
     "none"),
])
def test_outo_gain_before_what_came_later(treatment: str, title: str, body: str,
                                          replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the base a new treatment is used beside ("alongside my usual fin", "on top of my fin")
    # sets no topic: the verdicts that follow are the new one's
    ("finasteride", "Latanoprost on the hairline, 8 months", "Been putting latanoprost on "
     "my hairline every night alongside my regular finasteride. The hairline has some new "
     "hairs now.", (), "none"),
    ("latanoprost", "Latanoprost on the hairline, 8 months", "Been putting latanoprost on "
     "my hairline every night alongside my regular finasteride. The hairline has some new "
     "hairs now.", (), "improved"),
    ("finasteride", "RU on top of fin", "Six months of RU on top of my fin. The temples "
     "are thicker.", (), "none"),
    # near misses: "alongside my minoxidil" with no standing-base word, "along with fin": a
    # combination the writer may credit
    ("minoxidil", "Needling", "Needling once a week alongside my minoxidil for six months. "
     "Massive improvement at the temples.", (), "improved"),
    ("finasteride", "Laser cap", "Laser cap for a year along with fin. Shedding way down, "
     "some thickening.", (), "improved"),
])
def test_outo_base_beside_a_new_treatment(treatment: str, title: str, body: str,
                                          replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # "on the other hand" between a hair word and its near word counts no words
    ("mesotherapy", "Meso: four rounds", "Four rounds of mesotherapy. The crown is denser. "
     "The temples, on the other hand, are a lot worse.", (), "mixed"),
    ("spironolactone", "Spiro at a year", "A year of spiro. My part is narrower. The "
     "hairline on the other hand has got much thinner.", (), "mixed"),
    # near misses: the aside before something other than hair; the hair word too far back
    ("spironolactone", "Spiro at a year", "A year of spiro and my part is narrower. On the "
     "other hand my skin is much worse.", (), "improved"),
    ("spironolactone", "Spiro at a year", "A year of spiro: the part is narrower, though on "
     "the other hand I sleep worse.", (), "improved"),
])
def test_outo_aside_between_hair_word_and_cue(treatment: str, title: str, body: str,
                                              replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the gain going on: "still growing hair"; not hair of the face or body
    ("minoxidil", "LDOM dose", "Dropped LDOM to 0.625 for the palpitations.",
     ("Same, I cut my LDOM dose in half. Still growing hair on that dose.",), "improved"),
    ("minoxidil", "LDOM dose", "Dropped LDOM to 0.625 for the palpitations.",
     ("On LDOM 2.5, still growing hair on my cheekbones lol",), "none"),
])
def test_outo_gain_going_on(treatment: str, title: str, body: str, replies: tuple[str, ...],
                            expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # no gain: still balding or dropping hair after a span, a transplant's grafts that barely
    # came through
    ("saw_palmetto", "Saw palmetto", "Saw palmetto daily. A year later: still balding.", (),
     "no_effect"),
    ("clascoterone", "Clascoterone", "Seven months of clascoterone and I'm still dropping "
     "hair in the shower.", (), "no_effect"),
    ("hair_transplant", "FUE went wrong", "FUE with 1800 grafts two years ago. Barely "
     "anything came through.", (), "no_effect"),
])
def test_outo_no_gain_wording(treatment: str, title: str, body: str, replies: tuple[str, ...],
                              expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: nothing else added to a regimen; a question before starting
    ("finasteride", "Fin alone", "Fin only for five years, never added anything. My crown "
     "filled in.", (), "improved"),
    ("finasteride", "Fin?", "I'm 24 and still balding, should I start fin?", (), "none"),
])
def test_outo_no_gain_near_misses(treatment: str, title: str, body: str,
                                  replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a worry that proved groundless is no "for nothing" verdict; near miss: "all for nothing"
    ("minoxidil", "Oral min, 10 months", "Oral min for ten months. The crown is thicker now. "
     "Past me was freaking out for nothing.", (), "improved"),
    ("minoxidil", "Oral min, 10 months", "Oral min for ten months, all for nothing.", (),
     "no_effect"),
])
def test_outo_groundless_worry(treatment: str, title: str, body: str,
                               replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize("reply", [
    # near misses: rolling that is no needling, and a part's width told in decimals
    "I rolled my eyes at the derm's advice. Zero new hairs from it.",
    "I tried this combo for a year. My part went from 3.5mm to 2.5mm, no change in the crown.",
])
def test_outo_needling_unnamed_needs_needling_words(reply: str) -> None:
    assert effect("minoxidil", "Microneedling + min", "Microneedling weekly and min twice a "
                  "day. The temples thickened up.", (reply,)) == "mixed"
