"""Round `effrecall`: effect word families read from the misses of `outcomes_zc`-`_zr`, the
real posts and dev (gains and no change a new writer would also use), with asked, feared,
planned, research and unrelated instances that must stay unread. Sentences written for
the test, none copied from a corpus."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize(
    ("treatment", "body"),
    [
        # superlatives told with "looked" or "since"
        (
            "finasteride",
            "A year on finasteride. My crown is the densest it has looked since I was 25.",
        ),
        ("dutasteride", "Two years of dutasteride and my hair is the thickest since college."),
        # a count read by an app, a density grade moving, density up with a place between
        (
            "minoxidil",
            "Four months on minoxidil. The hair counting app shows a higher count on my crown.",
        ),
        (
            "lllt",
            "Laser cap for 3 years. My dermatologist grades density every visit and I went "
            "from moderate to mild.",
        ),
        ("finasteride", "Topical finasteride ten months. Density at the crown is up, I'm happy."),
        # covered, full, normal, like hair, no scalp showing
        ("finasteride", "Eleven months on finasteride, and now the crown is properly covered."),
        ("finasteride", "Three years of finasteride and my hair looks full in the wedding photos."),
        ("spironolactone", "Spironolactone a year, my part looks normal in photos now."),
        ("minoxidil", "Minoxidil for 20 months and the top finally looks like hair again."),
        ("minoxidil", "Minoxidil a year and my crown doesn't show scalp anymore."),
        ("finasteride", "Finasteride 14 months. My crown was very open, now is closed."),
        (
            "finasteride",
            "Finasteride a year: the crown was see thru under the light, now it's not.",
        ),
        (
            "finasteride",
            "Finasteride and foam for a year. My wife says my part looks half as wide.",
        ),
        ("minoxidil", "Oral minoxidil eleven months, and the pale strip on my crown is gone."),
        ("finasteride", "Finasteride a year, the spot on my crown got smaller."),
        # held where it was
        (
            "finasteride",
            "Finasteride 1mg for three years and the rest of my hair has not thinned further.",
        ),
        (
            "finasteride",
            "Moved to topical finasteride and a year later the hairline sits exactly where "
            "the pill left it.",
        ),
        ("finasteride", "Finasteride 3 years, I still have my hair at 40."),
        # new hair in few words, the fall stopped, the shed lighter
        ("minoxidil", "I use minoxidil 1 year. The hair front grow a little."),
        ("saw_palmetto", "Saw palmetto 1 year and the hair on crown stop falling."),
        ("iron", "Iron for five months, and the shower clumps are gone."),
        (
            "vitamin_d",
            "Vitamin D for four months and my winter shedding was way lighter than before.",
        ),
        ("minoxidil", "Minoxidil for six months, the temples have visible stubble now."),
        ("finasteride", "Finasteride, 8 months: the crown is visibly filling."),
    ],
)
def test_gain_families(treatment: str, body: str) -> None:
    assert effect(treatment, "Update", body) == "improved"


@pytest.mark.parametrize(
    ("treatment", "body"),
    [
        ("scalp_massage", "Scalp massager for 5 months, 0 hair. Nice for relaxing though."),
        ("biotin", "Two years of biotin and my hair is still falling."),
        ("pyrilutamide", "Pyrilutamide for 7 months is expensive water."),
        ("saw_palmetto", "Saw palmetto for a year, it did not do anything at all."),
        ("scalp_massage", "Scalp massage two years, I can't say it did a thing for the hair."),
        ("scalp_massage", "Scalp massage for a year, couldn't see a change."),
        ("peppermint_oil", "Peppermint oil for 4 months, it never grew anything for me."),
        ("saw_palmetto", "Used saw palmetto 2 yrs, still receded."),
    ],
)
def test_no_change_families(treatment: str, body: str) -> None:
    assert effect(treatment, "Update", body) == "no_effect"


@pytest.mark.parametrize(
    ("treatment", "body"),
    [
        # a question, a fear, a plan, a study, a generality
        ("minoxidil", "Does minoxidil make the hair grow a little at the temples?"),
        ("finasteride", "I'm scared finasteride won't make my crown the densest it has looked."),
        ("minoxidil", "If minoxidil works, my crown will be properly covered by summer."),
        (
            "dutasteride",
            "A study of dutasteride found the hair counting app showed a higher count "
            "in 60% of men.",
        ),
        (
            "finasteride",
            "The trial says finasteride users' hair has not thinned further after two years.",
        ),
        ("finasteride", "I want my hair to stop falling, should I start finasteride?"),
        # unrelated counts, grades, stubble, growth and lightness
        ("finasteride", "I started finasteride last month and my sperm count went up, weird."),
        ("minoxidil", "Minoxidil for a year. My headaches went from severe to mild."),
        ("finasteride", "Finasteride for a year and I shave my chin, the stubble grows faster."),
        ("dutasteride", "Dutasteride for 6 months and my beard grows more now."),
        ("finasteride", "Finasteride for a year and my crown was thin, now it is thin and greasy."),
        ("minoxidil", "Minoxidil for a year and my hair colour is lighter in the sun."),
        ("minoxidil", "Minoxidil 2 months. My crown is full of flakes and itchy."),
    ],
)
def test_not_a_gain(treatment: str, body: str) -> None:
    assert effect(treatment, "Update", body) != "improved"


def test_a_relative_who_takes_nothing_is_no_gain() -> None:
    """A parent's hair in a question about starting (a stop 42 review: the bare "still has
    his hair" read as a gain for the treatment the poster is only considering)."""
    body = ("My dad is 60 and still has his hair, I'm 25 and receding. Thinking about "
            "finasteride.")
    assert effect("finasteride", "Should I start finasteride?", body) == "none"
