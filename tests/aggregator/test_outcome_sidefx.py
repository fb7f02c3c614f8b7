"""Round `sidefx`: side-effect word families read from the misses of `outcomes_zi`-`_zp`,
the real posts and dev, with negated, feared and asked instances that must stay unread."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import sides


@pytest.mark.parametrize(
    ("treatment", "body", "expected"),
    [
        # the sex drive gone, in digits, of the sex life, the volume in slang
        (
            "dutasteride",
            "Dut 0.5mg for a year, hair great, but 0 libido for four months.",
            "sexual",
        ),
        (
            "dutasteride",
            "Eight months of dut. I admitted the drive had gone flat since month three.",
            "sexual",
        ),
        (
            "dutasteride",
            "Two years of dut, crown full. The cum volume is noticeably less.",
            "sexual",
        ),
        (
            "dutasteride",
            "A year on dutasteride, thicker top. Only problem, less sperm when finishing.",
            "sexual",
        ),
        # the blunting in its own images
        (
            "finasteride",
            "Three months on fin and I feel like I'm watching my life thru glass.",
            "mood",
        ),
        ("dutasteride", "Dut for 3 months, I feel like a robot, stopping tomorrow.", "mood"),
        ("finasteride", "On fin I had the flat feeling for weeks.", "mood"),
        # a shed told as a moult
        ("minoxidil", "Weeks one to six on minoxidil I was moulting everywhere.", "shedding"),
        # the scalp stung, infected, dried; the skin a bit darker where the drop goes
        (
            "minoxidil",
            "Ten months of minoxidil liquid, my scalp stung for a day after each use.",
            "skin",
        ),
        ("pyrithione_zinc", "I use head and shoulders every day and it dries my scalp.", "skin"),
        (
            "latanoprost",
            "Latanoprost on my temples for a year. Skin at the temples got a bit darker.",
            "skin",
        ),
        (
            "latanoprost",
            "Bimatoprost six months: all it did was tint my forehead skin a bit darker.",
            "skin",
        ),
        # swelling and the heart in images
        ("minoxidil", "The oral minoxidil gave me moon face for a month.", "cardio"),
        ("minoxidil", "2 weeks on 2.5 ldom and my ankles look like bread rolls.", "cardio"),
        (
            "minoxidil",
            "ldom 2.5 week 3. My heart does a little drumroll when I lie down.",
            "cardio",
        ),
        # body hair in more words
        (
            "minoxidil",
            "1.25mg ldom 6 months, crown is filling and my arms look like a yeti.",
            "body_hair",
        ),
        (
            "minoxidil",
            "Oral minoxidil 2.5 for a year, more hair on the face than I'd like.",
            "body_hair",
        ),
        (
            "minoxidil",
            "Oral min for my thinning. The catch is a fine dark mustache I now wax.",
            "body_hair",
        ),
        # a transplant's donor, SMP's pigment, the gut, energy
        (
            "hair_transplant",
            "Second FUE at 35. The crown is okay, but my donor is thin now.",
            "other",
        ),
        ("smp", "I had SMP done in 2021, mine faded blue after 2 years.", "other"),
        ("saw_palmetto", "I tried saw palmetto for 10 months and got stomach aches.", "other"),
        ("ru58841", "2 weeks of RU and I had zero energy, so I stopped.", "other"),
        # "less" inside the phrase; the drive gone a few words on; moods in other words
        (
            "finasteride",
            "Fin 5 years. Only in first year little less libido, then normal.",
            "sexual",
        ),
        ("finasteride", "Two months of tfin and my drive is basically gone.", "sexual"),
        ("finasteride", "Fin 8 months, my gf says I've been grumpier since I started.", "mood"),
        ("finasteride", "3 weeks on fin and I cried at a dog food ad.", "mood"),
        # the heart fast, its beats; a shed seen in the brush; hair on the ears; a throb
        ("minoxidil", "Month 4 of LDOM, 1.25mg. My heart is fast when I go up stairs.", "cardio"),
        ("minoxidil", "Night dosing of oral min gave me pounding heartbeats in bed.", "cardio"),
        (
            "minoxidil",
            "Started minoxidil foam 3 months ago and I notice more hair in the brush.",
            "shedding",
        ),
        (
            "minoxidil",
            "Sublingual min 3 months, some new hairs, also some at the tops of my ears.",
            "body_hair",
        ),
        (
            "prp",
            "Three PRP sessions, no difference. Each left my scalp throbbing for a day.",
            "other",
        ),
    ],
)
def test_a_side_effect_in_a_new_word_family(treatment: str, body: str, expected: str) -> None:
    assert expected in sides(treatment, "update", body)


@pytest.mark.parametrize(
    ("treatment", "body", "unexpected"),
    [
        # negated
        (
            "finasteride",
            "Two years on fin, crown thicker. No flat feeling, no mood issues at all.",
            "mood",
        ),
        ("minoxidil", "Oral minoxidil a year, regrowth on top and no moon face at all.", "cardio"),
        (
            "hair_transplant",
            "FUE two years ago, the hairline is great and the donor isn't thin at all.",
            "other",
        ),
        ("minoxidil", "Minoxidil foam for a year, crown better, my scalp never stung.", "skin"),
        # feared, planned or asked
        ("minoxidil", "I'm scared oral minoxidil will give me moon face.", "cardio"),
        (
            "dutasteride",
            "Worried that dut will leave me with 0 libido, so I'm holding off.",
            "sexual",
        ),
        ("minoxidil", "Does oral minoxidil make your ankles look like bread rolls?", "cardio"),
        ("hair_transplant", "If the donor is thin I won't do a second transplant.", "other"),
        ("finasteride", "Fin for two years and my drive is not gone at all.", "sexual"),
        (
            "minoxidil",
            "Worried oral minoxidil will make my heart fast, so I take it at night.",
            "cardio",
        ),
        (
            "minoxidil",
            "Has anyone noticed more hair in the brush when starting minoxidil?",
            "shedding",
        ),
        # ordinary sentences the new words must not read (a review's kind of check)
        (
            "minoxidil",
            "Minoxidil for a year; my legs are bigger from squats, crown thicker.",
            "cardio",
        ),
        (
            "minoxidil",
            "Minoxidil foam uses less fluid than the liquid, and it regrew my crown.",
            "sexual",
        ),
        ("minoxidil", "Minoxidil for a year, the regrowth is a bit darker than my skin.", "skin"),
        ("minoxidil", "Minoxidil regrew my temples; with my tanned skin it blends in.", "skin"),
        ("finasteride", "Fin for a year, my heart sank and I started skipping doses.", "cardio"),
        (
            "finasteride",
            "Fin regrew my crown. I was an emotional wreck about my hairline before.",
            "mood",
        ),
        ("finasteride", "Fin for a year and seeing the regrowth made me emotional.", "mood"),
        # a darker skin that is not the treatment's doing; a moustache shaved off
        ("minoxidil", "Minoxidil for a year: with my pale skin the darker regrowth shows.", "skin"),
        (
            "minoxidil",
            "Minoxidil regrew my crown. I shaved off a moustache last week.",
            "body_hair",
        ),
    ],
)
def test_no_side_effect_when_negated_feared_or_asked(
    treatment: str, body: str, unexpected: str
) -> None:
    assert unexpected not in sides(treatment, "update", body)


@pytest.mark.parametrize(
    ("treatment", "body", "unexpected"),
    [
        # "hr" as an hour or a department, "in a heartbeat" as an idiom: no heart rate
        ("minoxidil", "I apply minoxidil 4 hr before bed, and the crown filled in.", "cardio"),
        (
            "minoxidil",
            "Started minoxidil foam, I wait an hr before sleeping. Fuller now.",
            "cardio",
        ),
        (
            "finasteride",
            "Finasteride for 8 months, thicker. I work in HR, no hats at work.",
            "cardio",
        ),
        ("finasteride", "Finasteride regrew my crown, I'd take it again in a heartbeat.", "cardio"),
        # the loss itself before the treatment (or after it was stopped), told as a moult or
        # as hair in the drain: no shed the treatment caused (as plain "shedding")
        (
            "dutasteride",
            "Dutasteride regrew my crown. I used to shed like a husky before starting it.",
            "shedding",
        ),
        (
            "finasteride",
            "Finasteride stopped my loss. I was moulting before I started it, now it stopped.",
            "shedding",
        ),
        (
            "finasteride",
            "Before finasteride I found more hair in the drain every day. Fin stopped that.",
            "shedding",
        ),
        (
            "finasteride",
            "I quit finasteride last year and now I see more hair in the shower again.",
            "shedding",
        ),
        (
            "finasteride",
            "Started fin 3 months ago and no more hair in the drain, crown thicker.",
            "shedding",
        ),
        # a drive to do something; a yeti that is the writer or a beard; blue that is no
        # pigment; crying at an ordinary moment; big feet
        (
            "finasteride",
            "Finasteride held my hairline. I have less drive to keep taking pills daily.",
            "sexual",
        ),
        (
            "minoxidil",
            "Minoxidil has been good for my crown. I'm a big yeti of a guy.",
            "body_hair",
        ),
        ("minoxidil", "Minoxidil is working. Toppik fibers turned blue in the rain lol.", "other"),
        ("finasteride", "Finasteride regrew my crown. I went blue for a day with a dye.", "other"),
        (
            "finasteride",
            "Finasteride regrew my hairline. I cried at a wedding, happy tears.",
            "mood",
        ),
        ("minoxidil", "Minoxidil worked and I cried at a photo of me from 2 years ago.", "mood"),
        ("finasteride", "Finasteride regrew my crown. My feet are huge, size 13 lol.", "cardio"),
    ],
)
def test_ordinary_sentences_read_no_side_effect(treatment: str, body: str, unexpected: str) -> None:
    """Review 42: ordinary forum sentences holding a word of round sidefx (or of "hr")."""
    assert unexpected not in sides(treatment, "update", body)


@pytest.mark.parametrize(
    ("treatment", "body", "expected"),
    [
        # the narrowed words still read where they tell the side effect
        ("minoxidil", "Oral min 2.5 for 3 months, my resting hr went up to 85.", "cardio"),
        ("minoxidil", "LDOM for two months and my hr is way higher at night.", "cardio"),
        ("minoxidil", "Two weeks on minoxidil and I was moulting like a husky.", "shedding"),
        ("minoxidil", "Month two of minoxidil, shedding like a husky in spring.", "shedding"),
        (
            "minoxidil",
            "Started minoxidil 6 weeks ago, more hair in the drain than ever.",
            "shedding",
        ),
        ("finasteride", "Fin for three years, crown thicker, maybe less drive.", "sexual"),
        ("minoxidil", "Oral minoxidil a year and my back looks like a yeti.", "body_hair"),
        ("smp", "SMP three years ago, the dots turned blue last summer.", "other"),
        ("finasteride", "2 months on fin and I cried at a commercial for cat food.", "mood"),
        ("minoxidil", "A month of ldom and my feet balloon by evening.", "cardio"),
        ("minoxidil", "A month of ldom and my ankles are huge by evening.", "cardio"),
    ],
)
def test_the_narrowed_words_still_read(treatment: str, body: str, expected: str) -> None:
    assert expected in sides(treatment, "update", body)


def test_the_heads_sides_said_full_are_no_side_effect() -> None:
    """"Sides" alone is a side effect on finasteride; the head's sides said full or thick
    are not (a stop 42 review)."""
    body = "Considering finasteride. My crown is the thinnest part and my sides are still full."
    assert sides("finasteride", "Fin?", body) == ()
    assert "sexual" in sides("finasteride", "Fin?", "Two years on finasteride, the sides are "
                             "bad: my libido is gone.")
