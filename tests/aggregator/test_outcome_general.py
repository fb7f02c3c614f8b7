"""Outcome rules of the general round (branch `outr`, issue 13): classes of wording and
attribution mistakes found on the blind corpora h..k, each read on hand-written threads
(not corpus sentences), with what the rule must read and what it must not.
"""

from __future__ import annotations

from tests.aggregator.outcome_helpers import effect, outcomes, sides


def test_the_loss_said_to_be_back_under_control_is_a_gain() -> None:
    assert effect("finasteride", "Check-in", "Six months on finasteride and my shedding was "
                  "back under control.") == "improved"
    assert effect("finasteride", "Check-in", "Four months of finasteride and the shedding is "
                  "back to normal.") == "improved"
    # the loss said to be back is still a loss
    assert effect("finasteride", "Check-in", "I stopped finasteride for a month and the "
                  "shedding was back.") == "no_effect"


def test_gains_that_stopped_are_a_gain_that_levelled_off() -> None:
    # (outfix2: was a weak no effect; "stopped improving" says it improved first, and
    # OUTCOMES.md's no_effect is use "without benefit")
    assert effect("minoxidil", "Two years", "My crown has stopped improving on "
                  "minoxidil.") == "improved"
    assert effect("minoxidil", "Two years", "Minoxidil regrew my temples in the first year, "
                  "but my crown has stopped improving.") == "improved"


def test_a_loss_told_on_a_treatment_is_that_treatments() -> None:
    read = outcomes("Two pills", "I thinned on finasteride but minoxidil regrew it.")
    assert read["finasteride"].effect == "no_effect"
    assert read["minoxidil"].effect == "improved"
    assert effect("dutasteride", "Dut", "My hairline kept receding while on dutasteride.") \
        == "no_effect"
    # a place or a time after "on" is the story before the treatment
    assert effect("finasteride", "Fin", "I thinned on top for years, so I started "
                  "finasteride and it regrew a lot.") == "improved"


def test_a_condition_the_writer_brings_is_no_side_effect() -> None:
    assert sides("ketoconazole", "Keto?", "I have seborrheic dermatitis and a receding "
                 "hairline. Is ketoconazole worth adding?") == ()
    assert sides("ketoconazole", "Keto?", "I've got an itchy scalp and a thin crown. Would "
                  "ketoconazole help?") == ()
    # told with when or from what, it is one
    assert sides("minoxidil", "Min", "Started minoxidil in March. Now I have an itchy "
                 "scalp.") == ("skin",)
    assert sides("minoxidil", "Min", "Four months on minoxidil. I have an itchy scalp from "
                 "it.") == ("skin",)


def test_the_hair_held_said_of_things_or_of_the_writer_is_a_gain() -> None:
    assert effect("finasteride", "Fin", "Four years on finasteride and it has kept things "
                  "level the whole time.") == "improved"
    assert effect("dutasteride", "Dut", "Dutasteride kept me at a NW2 since 2021.") \
        == "improved"
    assert effect("bicalutamide", "Bica", "Bicalutamide turned things around within a "
                  "year.") == "improved"


def test_a_hair_area_said_less_bare_fuller_or_whole_is_a_gain() -> None:
    assert effect("minoxidil", "Min", "Ten months of minoxidil and my scalp is much less "
                  "visible under the bathroom light.") == "improved"
    assert effect("spironolactone", "Spiro", "A year of spironolactone, my ponytail has "
                  "nearly doubled.") == "improved"
    assert effect("finasteride", "Fin", "Finasteride since 2016 and my hairline is still "
                  "intact.") == "improved"
    # not about hair: no gain ("libido intact", a scalp covered in scabs)
    assert effect("finasteride", "Fin", "Finasteride for a year, libido intact.") == "none"
    assert effect("microneedling", "Needling", "Quit microneedling after a month, my scalp "
                  "was covered in scabs.") == "none"


def test_the_loss_said_to_stop_or_calm_is_a_gain() -> None:
    assert effect("finasteride", "Fin", "Went on finasteride and the recession stopped "
                  "within a year.") == "improved"
    assert effect("iron", "Iron", "Took iron for four months and the shedding eased off.") \
        == "improved"


def test_a_hair_area_said_to_recede_or_stay_as_thin_is_no_gain() -> None:
    assert effect("ru58841", "RU", "A year of RU58841 and my temples receded anyway.") \
        == "no_effect"
    assert effect("caffeine", "Caffeine", "Six months of caffeine shampoo, my crown is just "
                  "as thin as before.") == "no_effect"
    # the story before treatment, told beside the gain, is no loss
    assert effect("finasteride", "Fin", "My temples receded for years, but finasteride "
                  "regrew them.") == "improved"


def test_hair_the_same_after_years_is_held() -> None:
    assert effect("finasteride", "Fin", "Seven years on finasteride and my hairline is the "
                  "same as in my wedding photos.") == "improved"
    # months are no stated hold; a time ("years ago") is no span; a denied gain stays one
    assert effect("minoxidil", "Min", "Eight months of minoxidil and my crown looks the "
                  "same.") == "no_effect"
    assert effect("minoxidil", "Min", "I did minoxidil two years ago for six months and my "
                  "crown looked the same.") == "no_effect"
    assert effect("biotin", "Biotin", "Biotin: took it for two years, nothing at all.") \
        == "no_effect"


def test_a_colon_verdict_closes_a_clause_naming_the_treatment() -> None:
    read = outcomes("Antiandrogens", "Spironolactone 100 for a year: nothing. Then "
                    "bicalutamide for nine months: also nothing.")
    assert read["spironolactone"].effect == "no_effect"
    assert read["bicalutamide"].effect == "no_effect"
    # a verdict on the side effects is none
    assert effect("finasteride", "Fin", "Finasteride for a year, side effects: nothing.") \
        == "none"


def test_a_norwood_stage_kept_is_no_gain() -> None:
    assert effect("biotin", "Biotin", "Ten months of biotin. Still a NW3.") == "no_effect"
    # a stage held for years beside a gain is the gain's
    assert effect("finasteride", "Fin", "Finasteride regrew my temples, still NW2 after "
                  "five years.") == "improved"


def test_the_condition_a_product_treats_said_gone_is_no_side_effect() -> None:
    assert sides("ketoconazole", "Keto", "Six months of ketoconazole. Dandruff totally gone, "
                 "hair unchanged.") == ()
    # a side effect that went away was one
    assert sides("minoxidil", "Min", "Minoxidil gave me dandruff for a month, then the "
                 "dandruff went away.") == ("skin",)


def test_claims_passed_on_are_not_lived() -> None:
    assert effect("rosemary_oil", "Rosemary", "My barber insists rosemary oil regrows "
                  "everyone's hair.") == "none"
    assert effect("castor_oil", "Castor", "Instagram keeps telling me castor oil regrows "
                  "hairlines.") == "none"
    # the writer's own report after it counts
    assert effect("rosemary_oil", "Rosemary", "My barber insists it works. Rosemary oil did "
                  "regrow my temples.") == "improved"


def test_a_loss_told_until_a_treatment_is_the_story_before_it() -> None:
    # (a "receded" before "until" is the history: no loss on the treatment)
    assert effect("finasteride", "Fin", "My temples receded through my twenties until "
                  "finasteride.") == "none"
    assert effect("finasteride", "Fin", "Finasteride brought some back at the temples.") \
        == "improved"
