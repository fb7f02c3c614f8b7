"""Round `outq` (stop 38): gain, no-gain and side-effect wording from the misses of
`outcomes_x` and `outcomes_y`, each with invented sentences and near misses that must not
change: a gain given as an amount ("gave me a little thickness"), growth sped up, filling
that began, the hairline "in the same spot as when I started", a bare spot that kept growing
or got smaller, a ponytail bigger, "done exactly zero", "neither changed a thing", the
treatment "wasn't even there", "no difference in my regrowth", a late gain ("took 14 months
to work"), a reply's span in months told alone ("8 months, no change"); side effects ("the
room spins", "thinner loads", "muddled", "my head throbbed") and what is none ("the same
week", "breast cancer", "burning a hole", "sorted out my flaking")."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects, sides


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a gain given as an amount
    ("biotin", "Biotin", "Biotin for a year.",
     ("Biotin gave me a bit more volume at the crown after ten months.",), "improved"),
    ("pumpkin_seed_oil", "PSO", "Pumpkin seed oil gave me some thickness on top, honestly.",
     (), "improved"),
    # growth sped up; filling that began
    ("prp", "PRP", "I had three rounds of PRP after my surgery and it sped up my regrowth.",
     (), "improved"),
    ("minoxidil", "Minoxidil log", "Minoxidil daily. Month 5: nothing. Month 9: it started to "
     "fill.", (), "improved"),
    # the hairline in the same place as at the start (held)
    ("finasteride", "Fin", "Five years on fin and my hairline is in the same spot as when I "
     "started.", (), "improved"),
    ("finasteride", "Fin", "Fin kept the hairline for four years, no sides.", (), "improved"),
    # a bare spot that kept growing (a loss), then smaller (a gain)
    ("saw_palmetto", "Saw palmetto", "Eight months of saw palmetto and my bald spot kept "
     "getting bigger.", (), "no_effect"),
    ("dutasteride", "Dut", "Ten months of dut and the spot is smaller, my barber agrees.", (),
     "improved"),
    # a ponytail bigger
    ("spironolactone", "Spiro", "On spiro for a year. My ponytail is much bigger now.", (),
     "improved"),
    # no gain: "done exactly zero", "neither changed a thing", the treatment not there at all
    ("biotin", "Supplements", "Biotin and zinc for a year and the two have done exactly zero.",
     (), "no_effect"),
    ("caffeine", "Caffeine shampoo and saw palmetto", "I used caffeine shampoo and saw "
     "palmetto for six months, and neither changed a thing.", (), "no_effect"),
    ("minoxidil", "Minoxidil", "A year of minoxidil and my temples kept going back like the "
     "min wasn't even there.", (), "no_effect"),
    ("iron", "Iron", "I took iron for a year and saw no difference at all in my regrowth.", (),
     "no_effect"),
    # a late gain
    ("bicalutamide", "Bica", "Anyone else slow to respond?",
     ("Bica took me 11 months to work, so hang in there.",), "improved"),
    # a reply's span in months told alone is the writer's
    ("ketoconazole", "Keto shampoo worth it?", "Is Nizoral worth it for thinning?",
     ("Nine months, no new hair from it.",), "no_effect"),
    ("lllt", "Laser cap", "Which laser cap is best?",
     ("Eleven months, temples denser.",), "improved"),
    # where fallen hair is caught, empty; small hairs before their area; the hair back
    ("finasteride", "Fin", "Seven months of fin and my comb is almost empty after a wash.",
     (), "improved"),
    ("minoxidil", "Minoxidil", "Minoxidil, month five: little hairs along the hairline.", (),
     "improved"),
    ("iron", "Iron", "My ferritin was low.",
     ("Iron tablets after my own shed, and my hair was back within the year.",), "improved"),
    # the part "same as before", the shed that stayed where it was: no gain
    ("prp", "PRP", "Three PRP sessions, and half a year later my part was same as before.",
     (), "no_effect"),
    ("pumpkin_seed_oil", "PSO", "Pumpkin seed oil for eight months and my shedding stayed "
     "exactly where it was.", (), "no_effect"),
    ("dutasteride", "Dut", "Dut for a year, the camera shows coverage again.", (),
     "improved"),
    # a hair area that retreated (a loss); the same as in a dated picture (held); holding
    # taken as the result
    ("biotin", "Biotin", "A year of biotin and my hairline has retreated further.", (),
     "no_effect"),
    ("finasteride", "Fin", "My uncle has taken fin since 2008 and his hair looks the same as "
     "in his wedding photos from 2009.", (), "improved"),
    ("finasteride", "Topical fin", "Topical fin for a year: no regrowth, but I'll take "
     "holding.", (), "improved"),
    # "didn't do a thing"; a log's first months as one span are too early to count
    ("finasteride", "Topical fin and min", "The crown filled in on the blend.",
     ("Same blend for nine months, didn't do a thing for me.",), "mixed"),
    ("tretinoin", "Tret log", "Tret with my minoxidil. Month 1 to 3: nothing at all. Month 8: "
     "new hairs at the temples.", (), "improved"),
])
def test_outq_classes(treatment: str, title: str, body: str, replies: tuple[str, ...],
                      expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # near misses: "the same week" is no sameness of the hair; a lost place is no hair loss
    ("minoxidil", "Starting", "I took photos and started minoxidil and fin the same week.",
     (), "none"),
    ("finasteride", "Fin fog", "On fin I kept losing my place when I read aloud.", (),
     "none"),
    # "gave me" a side or nothing named; a late gain only possible; a span after other words
    ("minoxidil", "Minoxidil", "Minoxidil gave me some headaches.", (), "none"),
    ("finasteride", "Fin", "It can take a year to work, so be patient.", (), "none"),
    ("minoxidil", "Minoxidil", "Is minoxidil worth it?",
     ("If the shed drags past six months, some people use minoxidil to regrow.",), "none"),
    # a spot that is not a bare spot; a ponytail tied bigger
    ("ketoconazole", "Keto", "I use keto and the red spot on my neck kept spreading.", (),
     "none"),
    ("rosemary_oil", "Rosemary", "I use rosemary oil and wish my ponytail was bigger.", (),
     "none"),
    # "wasn't there" of a person; a difference in something else
    ("minoxidil", "Minoxidil", "I started minoxidil while my wife wasn't even there.", (),
     "none"),
    # fallen hair told as what filled the comb; small hairs somewhere else; the loss back
    ("finasteride", "Fin", "On fin, and the comb is full of hair after a wash.", (),
     "none"),
    ("minoxidil", "Minoxidil", "Minoxidil, and little hairs on my pillow every morning?", (),
     "none"),
    ("iron", "Iron", "I take iron now and my hair loss is back.", (), "no_effect"),
    # the same as another person's picture, undated; a retreat that is no hair's
    ("finasteride", "Fin", "On fin, my hair looks the same as in my brother's photos.", (),
     "no_effect"),
    ("biotin", "Biotin", "I take biotin and we retreated to the cabin for a week.", (),
     "none"),
    # a purpose, not a report; a wish for less
    ("smp", "SMP", "I had SMP done to make the crown look denser under short hair.", (),
     "none"),
    ("smp", "SMP", "SMP over a scar?", ("I got SMP done to darken the crown.",), "none"),
    ("minoxidil", "Minoxidil", "Been on minoxidil, want less scalp shine through.", (),
     "none"),
])
def test_outq_near_misses(treatment: str, title: str, body: str, replies: tuple[str, ...],
                          expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    ("minoxidil", "Oral min", "On oral minoxidil, when I stand up fast the room spins.", (),
     ("cardio",)),
    ("dutasteride", "Dut", "Dut has meant thinner loads, nothing else.", (), ("sexual",)),
    ("dutasteride", "Dut", "Dut leaves me muddled every afternoon.", (), ("mood",)),
    ("prp", "PRP", "I did PRP twice and my head throbbed all evening after.", (), ("other",)),
    ("minoxidil", "Minoxidil", "Minoxidil liquid makes my hair greasy, so I wash daily.", (),
     ("other",)),
    # none: a cancer named, money, a condition the treatment sorted out
    ("minoxidil", "Minoxidil", "I finished treatment for breast cancer and started minoxidil "
     "after.", (), ()),
    ("lllt", "Laser cap", "Bonus money burning a hole in my pocket, so I bought a laser cap.",
     (), ()),
    ("ketoconazole", "Nizoral", "Nizoral twice a week sorted out my flaking.", (), ()),
    # a shed in the first months, told before the time
    ("minoxidil", "Minoxidil", "Minoxidil foam: I shed a lot in month one, then it calmed.",
     (), ("shedding",)),
    ("minoxidil", "Minoxidil", "Minoxidil for a year. Month 10: my crown got way worse.",
     (), ()),
    # fallen hair where it is found, or hair with more body, is no body hair; hair on the
    # face is
    ("ru58841", "RU", "RU for a month, hair on my keyboard and desk every day.", (), ()),
    ("finasteride", "Fin", "Fin for a year and my hair has more body in photos.", (), ()),
    ("minoxidil", "Oral min", "Oral minoxidil for a year: I have a little moustache now.", (),
     ("body_hair",)),
    ("minoxidil", "Oral min", "Oral minoxidil, fine hair on my temples and cheeks.", (),
     ("body_hair",)),
    # more side wording
    ("spironolactone", "Spiro", "Spiro left me tearful most evenings.", (), ("mood",)),
    ("microneedling", "Dermaroller", "First time needling, my scalp bled a little.", (),
     ("other",)),
    ("castor_oil", "Castor oil", "Castor oil gave me small bumps along my hairline.", (),
     ("skin",)),
])
def test_outq_sides(treatment: str, title: str, body: str, replies: tuple[str, ...],
                    expected: tuple[str, ...]) -> None:
    assert sides(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("title", "body", "replies", "expected"), [
    # a Norwood change told with an arrow
    ("Fin and min, 3 yrs", "fin + min 3 yrs, went NW3 -> NW2 :)", (),
     {"finasteride": "improved", "minoxidil": "improved"}),
    ("Dut", "dut 2 yrs, NW2 → NW3 anyway", (), {"dutasteride": "no_effect"}),
    # a treatment named only as left out is not the cue's ("without min")
    ("Needling and minoxidil", "Needling plus minoxidil for a year, the crown is thicker.",
     ("I rolled for a year without minoxidil and saw nothing.",),
     {"microneedling": "mixed", "minoxidil": "improved"}),
    # two subjects, each with its own verdict, joined by "and"
    ("Fin then dut", "Fin did zilch and dut turned it around for me.", (),
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    ("Min and keto", "Keto shampoo did nothing and minoxidil thickened my crown.", (),
     {"ketoconazole": "no_effect", "minoxidil": "improved"}),
    # near misses: coordinated names (no verdict between them) share the cue
    ("Fin and min", "Fin and min regrew my crown.", (),
     {"finasteride": "improved", "minoxidil": "improved"}),
    ("Needling and min", "I tried needling for 6 months with min and nothing happened.", (),
     {"microneedling": "no_effect", "minoxidil": "no_effect"}),
    # a negation of the sentence before is no guard of the next sentence's name
    ("Crown regrew", "Two years of finasteride: kept thinning, no improvement. Moved to "
     "dutasteride, and the crown is denser.", (),
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    # a gain credited to the combination by name is each one's own (not a regimen's share)
    ("PRP", "Four PRP sessions and my part looks no narrower.",
     ("I did PRP while also on oral minoxidil, so the pairing worked for me.",),
     {"prp": "mixed", "minoxidil": "improved"}),
    ("Minoxidil alone failed", "A year of minoxidil alone and nothing regrew. Then I added "
     "tretinoin to the minoxidil. Six months on the combination and my temples have new "
     "hairs.", (),
     {"minoxidil": "mixed", "tretinoin": "improved"}),
    # near miss: a part of the stack asked about is no credit of the whole
    ("Which part of my stack is doing the work", "Fin and min for a year, the crown filled "
     "in.", (), {"finasteride": "improved", "minoxidil": "improved"}),
    # near miss: named again beside the cue, it keeps it
    ("Fin and min", "A year of min without fin, then fin with min: min did nothing.", (),
     {"minoxidil": "no_effect"}),
])
def test_outq_code_rules(title: str, body: str, replies: tuple[str, ...],
                         expected: dict[str, str]) -> None:
    got = effects(title, body, replies)
    assert {t: got[t] for t in expected} == expected
