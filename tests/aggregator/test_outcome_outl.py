"""Round `outl`: ways of saying no gain, from the misses of `outcomes_o`, `_p`, `_q`, each
class with invented sentences and near misses that must not fire: the hair or its photos
said to look identical, an area as bare as at the start ("just as wide", "as the day I
began"), a hypothetical's scope ended by ", and the hair ...", the loss said to march on,
and "also nothing"."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the hair or its photos said to look identical after a span
    ("prp", "PRP report", "Four PRP sessions. My photos from the first visit and from month "
     "ten look identical.", (), "no_effect"),
    ("rosemary_oil", "Rosemary oil", "Rosemary oil every night for five months. Honestly my "
     "hair looks identical.", (), "no_effect"),
    # an area as bare as at the start
    ("biotin", "Biotin", "Biotin for a year. The crown is exactly as sparse as the day I "
     "started.", (), "no_effect"),
    ("rosemary_oil", "Rosemary oil", "Rosemary oil thickened my part.",
     ("Seven months of rosemary here and my part is just as wide.",), "mixed"),
    # a hypothetical's scope ends at ", and the hair ..."
    ("peppermint_oil", "Peppermint oil", "Peppermint oil nightly for six months. It burns "
     "if I put on too much, and the hair itself looks identical.", (), "no_effect"),
    # the loss said to march on
    ("clascoterone", "Clascoterone", "Clascoterone held my temples for a year.",
     ("I used it for half a year and my thinning marched on regardless.",), "mixed"),
    ("lllt", "Laser cap", "Laser cap 3x a week for 2 years. My hair continued going.", (),
     "no_effect"),
    # "also nothing" closing its clause
    ("scalp_massage", "Scalp massage", "Daily scalp massage, four months in.",
     ("I did scalp massage every night for a year, also nothing.",), "no_effect"),
    ("microneedling", "Microneedling", "Weekly microneedling.",
     ("i did needling for eight months, also nothing",), "no_effect"),
])
def test_outl_no_gain_classes(treatment: str, title: str, body: str,
                              replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: two products that look identical; a hypothetical that goes on without its
    # own subject; the writer going on; "nothing else" or "nothing bad" after a span
    ("minoxidil", "Minoxidil", "Minoxidil foam for a year and my crown filled in. The two "
     "bottles look identical though.", (), "improved"),
    ("minoxidil", "Minoxidil", "If I quit minoxidil, and the hair falls out, I'll regret it.",
     (), "none"),
    ("minoxidil", "Minoxidil", "Minoxidil for a year, my crown filled in. The shed was bad "
     "but I kept marching on.", (), "improved"),
    ("finasteride", "Fin", "Fin for a year and my temples thickened.",
     ("Fin for two years, nothing bad, hair thicker too.",), "improved"),
    ("finasteride", "Fin", "Fin for a year and my temples thickened.",
     ("Side effects: also nothing.",), "improved"),
])
def test_outl_near_misses(treatment: str, title: str, body: str,
                          replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # no loss either beside no gain: a hold
    ("finasteride", "Fin one year", "Finasteride for a year: no regrowth but no loss either, "
     "which is all I asked for.", (), "improved"),
    ("ru58841", "RU", "RU for 18 months. No gains, no losses, same hairline in every photo.",
     (), "improved"),
    # the hair the same as in a named year
    ("dutasteride", "Dut", "Dutasteride since 2019. Crown same as 2019, I'm 44 now.", (),
     "improved"),
    ("finasteride", "Fin", "Fin for five years and my hairline is the same as back in 2020.",
     (), "improved"),
    # near misses: a loss of something else; a likeness to an age, not a year (read as the
    # plain sameness, no hold)
    ("finasteride", "Fin", "Fin for a year, no loss of libido, but the crown kept thinning.",
     (), "no_effect"),
    ("finasteride", "Fin", "Fin for a year and my hairline is the same as 20 year olds.", (),
     "no_effect"),
])
def test_outl_hold_classes(treatment: str, title: str, body: str,
                           replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the shed said to slow, the noun first
    ("pyrilutamide", "Pyrilutamide", "Pyrilutamide for four months and my shed slowed right "
     "down.", (), "improved"),
    # a side effect said to get better is no hair gain
    ("spironolactone", "Spiro", "Spiro for ten months, hair exactly the same.",
     ("my tender breasts got better once i cut the dose",), "no_effect"),
    ("minoxidil", "Minoxidil", "Minoxidil for eight months, my hair is unchanged. The itch got "
     "a lot better with the foam.", (), "no_effect"),
    # a hair area that still went back
    ("dutasteride", "Dut", "Dut for a year, and my temples still went back about 3mm.", (),
     "no_effect"),
    # an add-on's verdict goes to the add-on, not the base it was added to
    ("finasteride", "Fin + rosemary", "Fin had held my crown for three years. Added rosemary "
     "oil to fin: nothing extra after six months.", (), "improved"),
    # near misses: the shed of the first weeks; a hair area that went back to how it was;
    # "better" of the hair beside a side effect
    ("minoxidil", "Minoxidil", "Minoxidil week three, the shed started.", (), "none"),
    ("finasteride", "Fin", "Fin for a year, libido dipped but my hair got better.", (),
     "improved"),
])
def test_outl_more_classes(treatment: str, title: str, body: str,
                           replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the week of use the writer is in: too early to count a loss
    ("minoxidil", "Min shed", "Week 4 of minoxidil and my temples look worse. Shedding a "
     "lot.", (), "none"),
    ("finasteride", "Fin", "week three on fin, crown thinner than ever???", (), "none"),
    # a bare "nothing" set off by a colon is a verdict, not a negation of the sameness
    ("biotin", "Biotin", "Biotin for a year. Nothing: same crown, same shedding.", (),
     "no_effect"),
    ("saw_palmetto", "Saw palmetto", "Saw palmetto for ten months. My photos and my barber "
     "agree on the same: it did nothing.", (), "no_effect"),
    # the hair held, said of the writer
    ("saw_palmetto", "Saw palmetto", "Saw palmetto kept me steady for four years.", (),
     "improved"),
    # near misses: a past week ("at week 6 on fin", then a later gain); "nothing" of the
    # side effects after a colon
    ("finasteride", "Fin shed", "Had a shed at week 6 on fin, by month 9 I was thicker "
     "than when I started.", (), "improved"),
    ("finasteride", "Fin", "Fin for two years, crown looks the same as 2 years ago. Side "
     "effects: nothing.", (), "improved"),
])
def test_outl_scope_classes(treatment: str, title: str, body: str,
                            replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # nothing seen
    ("minoxidil", "Rogaine", "Rogaine foam for three months, not seeing anything new.", (),
     "no_effect"),
    # more hair lost than ever after years
    ("saw_palmetto", "Saw palmetto", "Three years on saw palmetto and I'm losing more hair "
     "than ever.", (), "no_effect"),
    # an area the treatment did not protect, beside one it held: one person both ways
    ("finasteride", "Fin 8 years", "Finasteride since 2017. My temples held but it never "
     "protected my crown.", (), "mixed"),
    # near misses: not yet (a hedge); the first weeks' shed; protection from something else
    ("minoxidil", "Rogaine", "Rogaine for six weeks, not seeing anything yet.", (), "none"),
    ("minoxidil", "Min shed", "Week two on min, I lost more hair than ever in the shower.",
     (), "none"),
])
def test_outl_seen_and_protected(treatment: str, title: str, body: str,
                                 replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # the bare spot hard to find now
    ("finasteride", "Fin 10 months", "Fin 1mg. The crown had a coin-sized bald spot, "
     "now my barber can't find it.", (), "improved"),
    ("finasteride", "Fin", "Ten months of fin and my brother says he cant find the bald spot "
     "anymore.", (), "improved"),
    ("minoxidil", "Min", "Minoxidil foam for a year, the swirl at my crown is harder to "
     "find.", (), "improved"),
    # near misses: finding something else; a spot of the skin
    ("finasteride", "Fin", "On fin for a year. I can't find a derm who prescribes it.", (),
     "none"),
])
def test_outl_spot_hard_to_find(treatment: str, title: str, body: str,
                                replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("title", "body", "replies", "expected"), [
    # the state the hair was in on another treatment is not that one's gain; a sex life
    # unchanged is no hair verdict; a loss never stopped
    ("Dut year two", "Moved from finasteride to dutasteride last year and my crown filled "
     "in.", ("Same move here, my temples are finally thicker than they were on fin.",),
     {"dutasteride": "improved", "finasteride": "none"}),
    ("Dut", "Dutasteride for a year, crown denser. Zero change in the bedroom department.",
     (), {"dutasteride": "improved"}),
    ("Fin to dut", "Went to dut because three years of fin never stopped my temples "
     "receding.", (), {"dutasteride": "none", "finasteride": "no_effect"}),
    # near misses: a loss stopped is a gain; a sex life that changed is no hair verdict either
    ("Fin", "Fin stopped my shedding within a year.", (), {"finasteride": "improved"}),
    ("Dut", "Dutasteride for a year, crown denser. Less drive in the bedroom though.", (),
     {"dutasteride": "improved"}),
])
def test_outl_compared_and_stopped(title: str, body: str, replies: tuple[str, ...],
                                   expected: dict[str, str]) -> None:
    assert effects(title, body, replies) == expected


def test_outl_combination_beyond_one_part() -> None:
    # a combination's gain beyond one part alone stays that part's ("way more than minoxidil
    # alone gave me")
    assert effect("minoxidil", "Needling", "Microneedling weekly alongside my minoxidil for 6 "
                  "months. Big improvement at the temples, way more than minoxidil alone gave "
                  "me.") == "improved"


@pytest.mark.parametrize(("treatment", "title", "body", "expected"), [
    # the loss going on at the rate it had
    ("ketoconazole", "Nizoral", "Nizoral twice a week for 5 months. Dandruff gone, but I'm "
     "still losing at the same rate.", "no_effect"),
    ("biotin", "Biotin", "biotin 8 months. nails great. hair?? still the same sad rate lol",
     "no_effect"),
    # near misses: something else at the same rate; a likeness of rates
    ("finasteride", "Fin", "Fin for a year, crown thicker. Still ordering at the same rate, "
     "every 3 months.", "improved"),
    ("finasteride", "Fin", "Fin for a year, crown thicker. Weirdly my nails grow still at "
     "the same rate as my dad's.", "improved"),
])
def test_outl_same_rate(treatment: str, title: str, body: str, expected: str) -> None:
    assert effect(treatment, title, body) == expected
