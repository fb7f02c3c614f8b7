"""Round `sidex`: side effects said in free wording, read by class (a body part and a
symptom word in one clause, either order), with negatives that must stay unread."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import sides


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # the scalp or skin and a symptom word, either order
    ("tretinoin", "Tretinoin for five months, the fuzz thickened. The tret makes my scalp "
     "peel and sting though.", "skin"),
    ("tretinoin", "Tretinoin 0.025% nightly. My scalp got really itchy the first weeks.",
     "skin"),
    ("ketoconazole", "Nizoral twice a week and my scalp is super dry.", "skin"),
    ("tretinoin", "Tret for a month, peeling scalp every morning.", "skin"),
    # spots on the face
    ("biotin", "Biotin for eight months: a crop of cystic spots along my chin.", "skin"),
    ("biotin", "Took biotin six months and got bumps all over my jawline.", "skin"),
    # the heart and a verb of beating hard
    ("minoxidil", "Oral minoxidil 1mg. First month my heart thumped hard at night.", "cardio"),
    ("minoxidil", "LDOM 0.625mg. My heart still races a bit when I climb stairs.", "cardio"),
    ("minoxidil", "Oral min and my pulse was hammering for a week.", "cardio"),
    # hair said of the face or body
    ("minoxidil", "Oral min 2.5mg, 8 months. Some fuzz on my cheekbones but I can live with "
     "that.", "body_hair"),
    ("minoxidil", "Regaine 6 months, my face is now furry on the sides.", "body_hair"),
    ("minoxidil", "ldom 2.5 for 7 months. my face is a werewolf now.", "body_hair"),
    ("minoxidil", "Sublingual minoxidil. Forearms and shoulders now grow hair faster than my "
     "scalp.", "body_hair"),
    # temper and focus
    ("dutasteride", "dut 8 months, i have been moody and snappy lately.", "mood"),
    ("finasteride", "On fin I couldnt focus at work for weeks.", "mood"),
    # erections in slang
    ("finasteride", "Fin for a year, my boners are weaker than before.", "sexual"),
    ("finasteride", "Six months of fin and I couldn't get hard some nights.", "sexual"),
    # the bladder, weight, the cycle, feeling unwell
    ("spironolactone", "Spironolactone 100mg for a year, I was running to the toilet all "
     "day.", "other"),
    ("spironolactone", "Ten months on spiro 100mg. I pee a lot more, that's about it.", "other"),
    ("minoxidil", "A year of oral minoxidil and I have put on about six kilos.", "other"),
    ("spironolactone", "Spiro 100mg for a year. My cycle has been all over the place since.",
     "other"),
    ("bicalutamide", "Ten months on bica, felt a bit queasy the first few weeks.", "other"),
    ("ru58841", "RU worked, but I felt like I had a permanent hangover.", "other"),
    ("microneedling", "Dermastamp every ten days, stamping draws little beads of blood.",
     "other"),
    ("microneedling", "MN weekly. my scalp is a pincushion that bleeds every sunday.", "other"),
    ("iron", "Iron for four months. Downside is the tablets bind me up terribly.", "other"),
    # a transplant's native hair falling out, and more words of a shed
    ("hair_transplant", "FUE 2800 grafts. Months two and three were rough, a lot of my native "
     "hair around the recipient zone fell out.", "shedding"),
    ("hair_transplant", "4 months post op, grafts barely showing and the sides shed loads.",
     "shedding"),
    ("minoxidil", "Switched to minoxidil foam and had a dreadful shed in weeks three to "
     "eight.", "shedding"),
])
def test_a_side_effect_in_free_wording(treatment: str, body: str, expected: str) -> None:
    assert expected in sides(treatment, "update", body)


@pytest.mark.parametrize(("treatment", "body", "unexpected"), [
    # a symptom word with no body part of its class, or another person
    ("microneedling", "Some tiktok guy does 2mm and bleeds everywhere which seems insane. I "
     "use a dermapen on my scalp.", "other"),
    ("iron", "Ferritin was low. Took forever to get it up with iron.", "sexual"),
    ("minoxidil", "Minoxidil for a year, my hair grew thicker and my heart is happy.",
     "cardio"),
    ("minoxidil", "Minoxidil regrew my crown, the fuzz at my temples is thicker too.",
     "body_hair"),
    ("finasteride", "Finasteride for two years, my crown is thicker, my mood is the same.",
     "skin"),
    # the loss of weight, not a gain; a cycle said fine; spots of the scalp
    ("minoxidil", "Oral min a year and I lost about six kilos from running.", "other"),
    ("spironolactone", "Spiro for a year and my cycle is regular.", "other"),
    ("minoxidil", "Minoxidil a year, the thin spots on my scalp are filling in.", "skin"),
    # a question or a fear stays no report
    ("tretinoin", "Does tretinoin make your scalp peel?", "skin"),
    ("minoxidil", "Will oral minoxidil make my face furry?", "body_hair"),
])
def test_no_side_effect_without_its_class(treatment: str, body: str, unexpected: str) -> None:
    assert unexpected not in sides(treatment, "update", body)
