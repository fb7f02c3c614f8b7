"""Outcome rules of the wording round (branch `outq`, issue 13 items 1 and 5): families of
progress and setback language, clause-level contrast, treatment switches and generic scope.

Each test states what a rule must read and what it must not, on hand-written threads.
"""

from __future__ import annotations

from aggregator.outcomes import Outcome
from tests.aggregator.outcome_helpers import effect, outcomes


def test_a_hair_area_or_the_loss_said_to_hold_still_is_a_gain() -> None:
    assert effect("finasteride", "Update", "Finasteride for two years now. The recession has "
                  "stopped dead.") == "improved"
    assert effect("dutasteride", "Dut", "On dutasteride since 2022 and my hairline has not "
                  "moved since.") == "improved"
    assert effect("minoxidil", "Min", "Eight months of minoxidil, the temples have stayed "
                  "put.") == "improved"
    # "stopped" far from any hair word, or the writer stopping, is no hold
    assert effect("finasteride", "Fin", "My hair was thin so I stopped the finasteride "
                  "after a month.") == "none"


def test_a_hair_area_said_to_go_on_receding_is_a_loss() -> None:
    assert effect("minoxidil", "Min", "A year of minoxidil and my part kept widening.") \
        == "no_effect"
    assert effect("finasteride", "Fin", "Finasteride for 18 months, the temples kept going "
                  "the whole time.") == "no_effect"
    assert effect("ketoconazole", "Keto", "Two years of ketoconazole and the temples are "
                  "further back.") == "no_effect"
    # how it looked before treatment is no loss: the state, not a verb of going on
    assert effect("minoxidil", "Minoxidil 10 months", "Diagnosed at 30 with a widening part "
                  "and a see-through crown. Ten months on minoxidil and the part is "
                  "narrower.") == "improved"
    # "kept going" of the writer keeping on
    assert effect("minoxidil", "Minoxidil", "Around week five I shed badly and nearly "
                  "stopped, but I kept going. Now there are baby hairs along my part.") \
        == "improved"


def test_a_loss_set_against_a_gain_by_a_strong_break_is_a_setback() -> None:
    assert effect("finasteride", "Fin", "Finasteride held my hairline for five years and "
                  "then the whole top thinned out.") == "mixed"
    assert effect("finasteride", "Fin", "Five years on finasteride, my crown did thin out "
                  "while the front held.") == "mixed"
    # a caveat of the gain, with only a comma between, is no setback
    assert effect("minoxidil", "Min", "Minoxidil for a year: lots of new hairs, still "
                  "thinner than the rest.") == "improved"


def test_a_loss_beside_a_shed_is_the_shed() -> None:
    found = outcomes("FUE 12 months", "Hair transplant last year. Month 2: shock loss, some "
                     "of my native hair near the front thinned out. Month 12: the hairline "
                     "filled in.")
    assert found["hair_transplant"] == Outcome("improved", ("shedding",))


def test_a_switch_makes_the_new_treatment_the_topic_alone() -> None:
    found = outcomes("Two years", "I was on finasteride for two years. My derm switched me "
                     "to dutasteride 0.5mg. A year later the crown is denser.")
    assert found["dutasteride"].effect == "improved"
    assert found["finasteride"].effect == "none"
    # coordinated after the move: both are the topic
    found = outcomes("18 months", "Went straight to dutasteride and oral minoxidil. Crown "
                     "denser, hairline thickened.")
    assert found["dutasteride"].effect == found["minoxidil"].effect == "improved"
    # without a switch the regimen named over several sentences stays the topic
    found = outcomes("Two years", "I was on finasteride for two years. Then I added "
                     "dutasteride. A year later the crown is denser.")
    assert found["finasteride"].effect == found["dutasteride"].effect == "improved"
    # a history of several additions is no single move
    found = outcomes("Rant", "Started finasteride, then switched to oral minoxidil, added "
                     "ketoconazole, tried microneedling. My crown is slightly better.")
    assert found["finasteride"].effect == "improved"


def test_the_reason_for_a_switch_is_about_what_was_left() -> None:
    found = outcomes("Fin then dut", "Finasteride for three years. Around year four the "
                     "temples started creeping back again, so my derm moved me to "
                     "dutasteride. The crown is fuller now.")
    assert found["finasteride"].effect == "no_effect"
    assert found["dutasteride"].effect == "improved"


def test_a_generic_statement_ends_with_its_clause_before_the_writer_speaks() -> None:
    assert effect("finasteride", "Fin", "Asking for a friend.", (
        "Funny how different people are, finasteride has held me completely for seven "
        "years.",)) == "improved"
    # reported speech of someone else runs on: "a guy told me ..., it killed his libido"
    found = outcomes("Fin", "Asking for a friend.", (
        "A guy at my gym told me finasteride ruined his life, killed his libido.",))
    assert found["finasteride"].side_effects == ()
    # a generic statement in the cue's own clause still covers it
    assert effect("finasteride", "Fin", "Asking.", (
        "Most people regrow on finasteride, I think.",)) == "none"


def test_growth_negated_by_a_quantity_is_no_gain() -> None:
    assert effect("minoxidil", "Rogaine", "My dad used Rogaine for 20 years.", (
        "My uncle used minoxidil for a year and nothing grew at all.",)) == "no_effect"
    assert effect("hair_transplant", "FUT", "Thinking about a hair transplant.", (
        "Had a hair transplant in 2019 and barely anything had grown from my grafts.",)) \
        == "no_effect"
    # a weak no effect: beside the same speaker's gain it is no setback
    assert effect("minoxidil", "Minoxidil", "Minoxidil for a year. Month 1-2: nothing. "
                  "Month 6: crown noticeably thicker.") == "improved"


def test_a_shed_told_as_hair_lost_in_the_first_weeks() -> None:
    assert outcomes("Minoxidil", "Started minoxidil. Around week five I shed badly.")[
        "minoxidil"].side_effects == ("shedding",)
    assert outcomes("Finasteride", "On finasteride since May. Month two was rough, lots of "
                    "hair in the shower.")["finasteride"].side_effects == ("shedding",)
    # without an early time, or "starting to think", no shed
    assert outcomes("Finasteride", "I'm starting to think the fin shed talk is overblown, "
                    "finasteride never did that to me.")["finasteride"].side_effects == ()
    assert outcomes("Rosemary oil?", "4 months postpartum, losing handfuls. Does rosemary "
                    "oil work?")["rosemary_oil"].side_effects == ()


def test_a_coordinated_clause_with_its_own_subject_ends_a_hypothetical() -> None:
    assert effect("biotin", "Scared", "I was afraid of drugs so I took biotin instead, and "
                  "my hairline kept retreating the whole time.") == "no_effect"
    # something other than hair getting better is no gain
    assert effect("finasteride", "Fin anxiety", "On finasteride. I stopped reading every "
                  "research post and my mental health improved a lot.") == "none"


def test_a_bare_verdict_of_nothing_is_a_weak_no_effect() -> None:
    assert effect("rosemary_oil", "6 months rosemary oil. nothing. lol") == "no_effect"
    assert effect("pumpkin_seed_oil", "Review", "6 months of pumpkin seed oil. results: "
                  "nothing.") == "no_effect"
    assert effect("biotin", "vitamin d + biotin = nothing", "A whole year.") == "no_effect"
    # about side effects, or "nothing" that is not a bare verdict
    assert effect("finasteride", "Review", "A year of finasteride. Side effects: nothing.") \
        == "none"
    assert effect("finasteride", "Review", "A year of finasteride. Nothing else to add, "
                  "ask away.") == "none"


def test_a_hair_area_said_to_be_back_or_to_have_gone_from_one_state_to_another() -> None:
    assert effect("ru58841", "RU58841 ten months: temples are back") == "improved"
    assert effect("minoxidil", "Minoxidil", "A year in. My temples went from bare to "
                  "covered.") == "improved"
    assert effect("finasteride", "Fin", "Two years on finasteride: crown back.") == "improved"
    # "went back", "further back" are losses
    assert effect("finasteride", "Fin", "Two years of finasteride and my hairline went "
                  "back anyway.") == "no_effect"


def test_the_loss_said_to_calm_down() -> None:
    assert effect("spironolactone", "spiro = hair finally stopped falling out") == "improved"
    assert effect("finasteride", "Fin", "Five months of finasteride, my shedding was under "
                  "control by month three.") == "improved"
    assert effect("iron", "Iron", "Iron tablets for six months and the shedding is back to "
                  "normal.") == "improved"


def test_side_effect_terms() -> None:
    assert outcomes("Needling", "Dermapen weekly for microneedling, after the last session "
                    "I got folliculitis.")["microneedling"].side_effects == ("skin",)
    assert outcomes("Setipiprant", "Took setipiprant for a month and it gave me diarrhoea.")[
        "setipiprant"].side_effects == ("other",)
    assert outcomes("Oral minoxidil", "Oral minoxidil 2.5mg: my resting pulse went up by ten "
                    "beats.")["minoxidil"].side_effects == ("cardio",)
    # denied
    assert outcomes("Oral minoxidil", "Oral minoxidil 2.5mg, no unibrow so far.")[
        "minoxidil"].side_effects == ()
