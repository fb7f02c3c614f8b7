"""Round `outp`: classes from the effect and side-effect misses of `outcomes_u`, `_v` and `_w`,
each with invented sentences and near misses that must not change: "neither" as a negation of
two treatments at once, a case set up to reason about ("say I'm 40 and ..."), something other
than the hair said to be better ("my mood was way better")."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, sides


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # "neither" negates a gain said of two treatments at once
    ("biotin", "Biotin and saw palmetto", "Nine months of biotin plus saw palmetto. Neither "
     "did anything for my thin crown.", (), "no_effect"),
    ("saw_palmetto", "Biotin and saw palmetto", "Nine months of biotin plus saw palmetto. "
     "Neither did anything for my thin crown.", (), "no_effect"),
    ("ketoconazole", "Shampoos", "Switched between Nizoral and a caffeine shampoo for a "
     "year, and neither made a difference to my part.", (), "no_effect"),
    # a case set up to reason about, not lived
    ("finasteride", "When fin fails", "Hypothetically, say I'm 45 and fin has stopped doing "
     "anything. What comes next?",
     ("Been on fin for eleven years and my hairline is still holding.",),
     "improved"),
    ("dutasteride", "Dut later?", "Suppose dut stops working after a decade, is there "
     "anything stronger?", (), "none"),
])
def test_outp_negation_and_cases(treatment: str, title: str, body: str,
                                 replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: a gain said of one treatment beside "neither" of something else; the
    # writer's own "say" of what happened; a real failure after a hypothetical in another post
    ("minoxidil", "Min", "Neither of my brothers believed me, but minoxidil regrew my "
     "temples in a year.", (), "improved"),
    ("finasteride", "Fin", "Like I say, fin has thickened my crown over three years.", (),
     "improved"),
    ("finasteride", "When fin fails", "Hypothetically, what do people do when fin fails?",
     ("Fin stopped doing anything for me after eight years, my crown thinned again.",),
     "no_effect"),
])
def test_outp_negation_and_cases_near_misses(treatment: str, title: str, body: str,
                                             replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "effect_", "sides_"), [
    # something other than the hair said to be better or helped: no gain, no side effect
    ("vitamin_d", "Vitamin D", "Vitamin D 4000 IU for a year, my shedding went on as "
     "before.", ("Same, D did nothing for my hair, but my mood was much better by spring.",),
     "no_effect", ()),
    ("iron", "Iron", "Iron pills for six months and my energy is way better, hair still "
     "thinning though.", (), "no_effect", ()),
    ("biotin", "Biotin", "Biotin for a year: it helped my nails, nothing for my hair.", (),
     "no_effect", ()),
    ("melatonin", "Melatonin", "Topical melatonin for five months. It improved my sleep, "
     "and the shedding did not change.", (), "no_effect", ()),
    # near misses: the hair said to be better stays a gain; a mood side effect stays one
    ("vitamin_d", "Vitamin D", "Vitamin D for a year and my hair is much better, fuller at "
     "the crown.", (), "improved", ()),
    ("finasteride", "Fin", "Fin for a year, crown thicker, but my mood got darker and "
     "flat.", (), "improved", ("mood",)),
    ("finasteride", "Fin", "Nine years on fin, no gyno, held my hairline.", (), "improved",
     ()),
    ("minoxidil", "Min", "Minoxidil for a year, the shedding is way better now.", (),
     "improved", ()),
    ("ketoconazole", "Keto", "Keto for a year: my itchy shedding stopped.", (), "improved",
     ("skin",)),  # (the side effect as before this round)
])
def test_outp_other_things_better(treatment: str, title: str, body: str,
                                  replies: tuple[str, ...], effect_: str,
                                  sides_: tuple[str, ...]) -> None:
    assert effect(treatment, title, body, replies) == effect_
    assert sides(treatment, title, body, replies) == sides_


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a treatment named right after "without" is not the cue's: in its clause, nor as the
    # thread's focus the cue falls back to
    ("minoxidil", "Dermapen plus minoxidil", "Weekly dermapen and minoxidil every day: after "
     "ten months my crown is denser.",
     ("I rolled weekly for a year without any minoxidil and got nothing out of it.",),
     "improved"),
    ("microneedling", "Dermapen plus minoxidil", "Weekly dermapen and minoxidil every day: "
     "after ten months my crown is denser.",
     ("I rolled weekly for a year without any minoxidil and got nothing out of it.",),
     "mixed"),
    ("saw_palmetto", "Saw palmetto", "Eight months of saw palmetto without finasteride did "
     "nothing for my temples.", (), "no_effect"),
    ("finasteride", "Saw palmetto", "Eight months of saw palmetto without finasteride did "
     "nothing for my temples.", (), "none"),
    # near misses: "without" before a side effect or a gap, not a treatment; a treatment also
    # named as used in the sentence
    ("finasteride", "Fin", "Fin regrew my crown without any sides in a year.", (),
     "improved"),
    ("minoxidil", "Min", "Minoxidil every day for two years without a single missed dose. My "
     "temples filled in.", (), "improved"),
    ("minoxidil", "Min and fin", "I ran min without fin for a year, then min with fin for "
     "another: the crown filled in.", (), "improved"),
])
def test_outp_without(treatment: str, title: str, body: str, replies: tuple[str, ...],
                      expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # "no growth" as "zero growth": no gain
    ("castor_oil", "Castor oil, done", "Five months of castor oil on my crown. Sticky "
     "pillowcases and no growth.", (), "no_effect"),
    ("pumpkin_seed_oil", "PSO", "Pumpkin seed oil for half a year: no hair growth, the part "
     "is as it was.", (), "no_effect"),
    # near misses: not yet, after weeks (a hedge); "not yet" after many months is no gain;
    # no growth but no loss, contentedly: a hold
    ("rosemary_oil", "Rosemary", "Rosemary oil for three weeks, no growth yet.", (), "none"),
    ("rosemary_oil", "Rosemary", "Rosemary oil for nine months, no growth yet.", (),
     "no_effect"),
    ("finasteride", "Fin", "Fin for five years: no growth, but no loss either, and I'm happy "
     "with that.", (), "improved"),
])
def test_outp_no_growth(treatment: str, title: str, body: str, replies: tuple[str, ...],
                        expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the sex drive said as "drive" beside a fall
    ("dutasteride", "Dut", "Dut for a year, crown thicker. Around month two I had a fortnight "
     "of zero drive.", (), ("sexual",)),
    ("finasteride", "My brother on fin", "My brother is on finasteride now. His drive dipped "
     "for a few weeks, then came right.", (), ("sexual",)),
    # a switch told with a dose and "of": the side effect after it is the new one's only
    ("dutasteride", "Dut after fin", "Fin for a year and the crown kept opening, so my derm "
     "switched me to 0.5mg of dutasteride. My libido dipped for a month.", (), ("sexual",)),
    ("finasteride", "Dut after fin", "Fin for a year and the crown kept opening, so my derm "
     "switched me to 0.5mg of dutasteride. My libido dipped for a month.", (), ()),
    # near misses: "zero drive issues"; "drive" as motivation, or a car
    ("finasteride", "Fin", "Fin for two years, zero drive issues, crown is fuller.", (), ()),
    ("ru58841", "RU", "RU for a month, no drive to keep mixing it, so I quit.", (), ()),
    ("minoxidil", "Min", "Min for a year. The long drive to the pharmacy dropped off my list "
     "once I ordered online.", (), ()),
])
def test_outp_drive(treatment: str, title: str, body: str, replies: tuple[str, ...],
                    expected: tuple[str, ...]) -> None:
    assert sides(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # hair given: "gave me some density"
    ("lllt", "Laser cap", "Laser cap twenty minutes a day. After a year it did give me some "
     "density at the crown.", (), "improved"),
    ("pumpkin_seed_oil", "PSO", "Pumpkin seed oil softgels gave me a bit of thickness up top "
     "after ten months.", (), "improved"),
    # the loss gone no further
    ("ru58841", "RU", "Fourteen months of RU and no further recession at the temples.", (),
     "improved"),
    ("finasteride", "Fin", "Two years on fin, no further thinning at the crown.", (),
     "improved"),
    # the same as at the start, told with "like it did"
    ("minoxidil", "Min", "Ten months of minoxidil and my part looks like it did the day I "
     "started.", (), "no_effect"),
    # a denied gift is no gain (weak); near misses: the face or body given hair; a thinning
    # shampoo given up; "nothing like it did"
    ("finasteride", "Fin", "Fin never gave me any density, only sore nipples.", (),
     "no_effect"),
    ("minoxidil", "Min", "Oral min gave me some thickness in my beard.", (), "none"),
    ("ketoconazole", "Shampoo", "No more thinning shampoo for me, I use keto now.", (),
     "none"),
    ("minoxidil", "Min", "Ten months of minoxidil and my crown looks nothing like it did "
     "when I started, way fuller.", (), "improved"),
])
def test_outp_gifts_and_holds(treatment: str, title: str, body: str, replies: tuple[str, ...],
                              expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a no-gain verdict in a sentence naming the base "on top of" which the add-on was used:
    # the add-on's (the thread's focus less the base), not the base's
    ("lllt", "Laser cap on top of meds?", "Thinking of a laser cap. Anyone used one while on "
     "their usual meds?", ("Ran one for a year on top of my fin, zero difference in photos.",),
     "no_effect"),
    ("finasteride", "Laser cap on top of meds?", "Thinking of a laser cap. Anyone used one "
     "while on their usual meds?",
     ("Ran one for a year on top of my fin, zero difference in photos.",), "none"),
    ("ru58841", "RU", "RU for eight months on top of finasteride did nothing for my temples.",
     (), "no_effect"),
    # near misses: a gain beside "on top of" is left as it was; a base told without "on top
    # of" keeps the verdict
    ("finasteride", "PRP", "Three PRP sessions on top of fin and my crown thickened.", (),
     "improved"),
    ("finasteride", "Laser cap", "Thinking of a laser cap.",
     ("Fin alone for a year did nothing for me.",), "no_effect"),
])
def test_outp_on_top_of(treatment: str, title: str, body: str, replies: tuple[str, ...],
                        expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("title", "body", "effect_", "sides_"), [
    # more hair lost "than before" is a shed, as "losing way more" is, not the gain "more
    # than before"; near miss: more hair than before stays a gain
    ("Min", "Week four on minoxidil foam and I'm losing more than before I started, hair all "
     "over the pillow.", "none", ("shedding",)),
    ("Min", "Two years of minoxidil and I have more hair than before I started.", "improved",
     ()),
])
def test_outp_losing_more_than_before(title: str, body: str, effect_: str,
                                      sides_: tuple[str, ...]) -> None:
    assert effect("minoxidil", title, body) == effect_
    assert sides("minoxidil", title, body) == sides_


@pytest.mark.parametrize(("treatment", "title", "body", "expected"), [
    # an itch of the nipples is the breast's only
    ("finasteride", "Topical fin", "Topical fin for six months gave me itchy puffy nipples.",
     ("breast",)),
    ("dutasteride", "Dut week 2", "Dut week two: nipples itchy, nothing else.", ("breast",)),
    # near misses: an itchy scalp beside sore nipples is both
    ("finasteride", "Fin", "Fin gave me an itchy scalp and sore nipples.", ("skin", "breast")),
])
def test_outp_itchy_nipples(treatment: str, title: str, body: str,
                            expected: tuple[str, ...]) -> None:
    assert sides(treatment, title, body) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "effect_", "sides_"), [
    # the head's sides ("both sides", "at the sides") are no side effects; the loss or gain
    # told of them is read on
    ("dutasteride", "Dut", "Dut for a year: both sides receded further.", "no_effect", ()),
    ("ketoconazole", "Keto", "Keto for a year and the hair at the sides seems thicker.",
     "improved", ()),
    # near misses: "sides" as side effects beside them stay
    ("finasteride", "Fin", "Fin for a year, both sides of my crown filled in, but the sides "
     "wrecked my libido.", "improved", ("sexual",)),
])
def test_outp_sides_of_the_head(treatment: str, title: str, body: str, effect_: str,
                                sides_: tuple[str, ...]) -> None:
    assert effect(treatment, title, body) == effect_
    assert sides(treatment, title, body) == sides_


@pytest.mark.parametrize(("treatment", "title", "body", "expected"), [
    # dizziness on standing told by what is seen or felt: `cardio`
    ("minoxidil", "LDOM week one", "Started oral minoxidil a week ago. Every time I stand up "
     "I see stars for a moment.", ("cardio",)),
    ("spironolactone", "Spiro", "Spiro 100mg: the room spins when I get out of bed.",
     ("cardio",)),
    # (merged with outq) the standing told first
    ("minoxidil", "LDOM", "Oral min since spring. When I get up off the sofa too fast the "
     "room spins for a moment.", ("cardio",)),
    # near misses: stars and a spinning room said of something else, or denied
    ("minoxidil", "Min", "Min for a year, crown thicker. My son's room spins with fairy "
     "lights, not my head.", ()),
    ("minoxidil", "Min", "Oral min for a year, no head rushes at all.", ()),
])
def test_outp_dizzy_on_standing(treatment: str, title: str, body: str,
                                expected: tuple[str, ...]) -> None:
    assert sides(treatment, title, body) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # (outp + outq merged) a reply's topic that is only what it left out gets no report
    ("minoxidil", "Needling plus min", "A year of weekly needling and daily minoxidil: the "
     "temples filled in nicely.", ("Needled by itself for a year without min and got "
                                   "nothing.",), "improved"),
    ("microneedling", "Needling plus min", "A year of weekly needling and daily minoxidil: "
     "the temples filled in nicely.", ("Needled by itself for a year without min and got "
                                       "nothing.",), "mixed"),
])
def test_outp_outq_left_out_topic(treatment: str, title: str, body: str,
                                  replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected
