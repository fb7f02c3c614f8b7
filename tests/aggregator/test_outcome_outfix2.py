"""Review fixes of the general round (helper outfix2): the reviewer's sentences (rev_outr) on
which the outr rules read wrong, each with the narrowed rule's reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.outcomes import Outcome, OutcomeCueError, load_outcome_cues
from tests.aggregator.outcome_helpers import effect, outcomes, sides


def test_a_bare_receded_counts_only_in_a_sentence_naming_a_treatment() -> None:
    assert effect("finasteride", "Fin", "My hairline receded a lot in my early twenties. "
                  "Finasteride for 3 years has regrown most of it.") == "improved"
    assert effect("finasteride", "Fin", "25M, hairline receded to a NW3. Fin for a year now, "
                  "hairline thicker.") == "improved"
    assert effect("dutasteride", "Dut", "My hairline slid back during lockdown. Dutasteride "
                  "for 10 months, the crown is denser.") == "improved"
    assert effect("finasteride", "Fin", "My mid scalp went backwards last winter. Fin now 6 "
                  "months in and it's much denser.") == "improved"
    assert effect("minoxidil", "Min", "My temples receded badly after covid. Should I start "
                  "minoxidil?") == "none"
    assert effect("finasteride", "Fin", "Hairline receded, crown is fine. Thinking about "
                  "finasteride, any advice?") == "none"
    # in the treatment's sentence it is still a loss
    assert effect("finasteride", "Fin", "I went on finasteride and my hairline slid back "
                  "anyway.") == "no_effect"


def test_i_have_x_is_a_condition_brought_only_beside_the_hair_loss() -> None:
    assert sides("minoxidil", "Min", "I have palpitations. Oral minoxidil 2.5 for 3 "
                 "months.") == ("cardio",)
    assert sides("minoxidil", "Min", "I've got itchy scalp. Minoxidil for 2 months.") \
        == ("skin",)
    assert sides("finasteride", "Fin", "I've got gyno. Finasteride 1mg for a year.") \
        == ("breast",)
    assert sides("finasteride", "Fin", "I have ED. Started fin a year ago.") == ("sexual",)
    assert sides("minoxidil", "Min", "I have facial hair like a werewolf lol. LDOM 2.5 for 6 "
                 "months.") == ("body_hair",)
    assert sides("finasteride", "Fin", "I have gynecomastia and I've been taking finasteride "
                 "for 8 months.") == ("breast",)
    # beside the hair loss it is what the writer brings
    assert sides("ketoconazole", "Keto?", "I have dandruff and diffuse thinning. Does "
                 "ketoconazole actually help hair?") == ()


def test_a_claim_passed_on_needs_a_platform_or_a_trade_as_its_teller() -> None:
    assert effect("finasteride", "Fin", "I posted my finasteride progress on instagram: crown "
                  "regrew a lot.") == "improved"
    assert effect("minoxidil", "Min", "My wife insists minoxidil regrew her part, and it looks "
                  "like it did.") == "improved"
    assert effect("minoxidil", "Min", "My mom keeps telling me minoxidil gave her a full head "
                  "of hair back.") == "improved"
    assert sides("finasteride", "Fin", "I kept telling my doctor finasteride gave me ED and he "
                 "didn't listen.") == ("sexual",)
    assert effect("finasteride", "Fin", "Everyone on youtube regrows with finasteride, I "
                  "didn't: 18 months, nothing.") == "no_effect"
    # a platform or a trade telling it is still a claim passed on
    assert effect("castor_oil", "Castor", "Instagram keeps telling me castor oil regrows "
                  "hairlines.") == "none"


def test_hair_the_same_after_years_is_no_hold_beside_a_denial() -> None:
    assert effect("biotin", "Biotin", "Two years of biotin, my hair is the same, nothing at "
                  "all.") == "no_effect"
    assert effect("biotin", "Biotin", "Biotin for two years, hair looks the same, no "
                  "improvement whatsoever.") == "no_effect"
    assert effect("finasteride", "Fin", "Finasteride 2 years, my hair is the same, sadly it "
                  "didn't help.") == "no_effect"
    assert effect("minoxidil", "Min", "My twin's hair is the same as mine after 3 years even "
                  "though he's on minoxidil and I'm not.") == "no_effect"
    assert effect("minoxidil", "Min", "Three years of minoxidil and the front is the same as "
                  "ever, thin and wispy.") == "no_effect"
    assert effect("finasteride", "Fin", "Seven years on finasteride and my hairline is the "
                  "same as in my wedding photos.") == "improved"


def test_a_turnaround_or_hold_needs_a_hair_object() -> None:
    assert effect("finasteride", "Job", "Getting a new job turned things around for my "
                  "stress, hopefully my hair follows. I just started finasteride.") == "none"
    assert effect("finasteride", "Fin", "The pharmacist kept me at the counter for twenty "
                  "minutes over my finasteride script.") == "none"
    assert effect("finasteride", "Fin", "I doubt finasteride has transformed anyone's "
                  "hairline.") == "none"
    assert effect("dutasteride", "Dut", "It's transformed my confidence more than my hair, "
                  "dutasteride did basically nothing for density.") != "improved"
    assert effect("minoxidil", "Min", "Quit minoxidil for a month and it brought back some of "
                  "the shedding.") != "improved"
    # with a hair object, or none after it, still a gain
    assert effect("minoxidil", "LDOM", "Oral minoxidil has transformed my crown, "
                  "honestly.") == "improved"
    assert effect("ru58841", "RU", "RU58841 kept me at a Norwood 2 for four years.") \
        == "improved"
    assert effect("bicalutamide", "Bica", "Bicalutamide turned things around for me within "
                  "eight months.") == "improved"


def test_a_hair_area_less_bare_or_fuller_needs_the_treatment_and_no_likeness() -> None:
    assert effect("minoxidil", "Min", "My hair loss doubled on minoxidil in the first "
                  "month.") == "none"
    assert outcomes("Min", "My hair fall doubled after starting minoxidil, dread shed I "
                    "hope.")["minoxidil"] == Outcome("none", ("shedding",))
    assert effect("finasteride", "Fin", "My hair is not as thin as my dad's was at my age, so "
                  "I haven't bothered with finasteride.") == "none"
    assert effect("minoxidil", "Min", "Hair isn't as thin as it looks in the photo... "
                  "Minoxidil starts next week.") == "none"
    assert effect("minoxidil", "Min", "Scalp is less visible when my hair is wet, weirdly. "
                  "Thinking of minoxidil.") == "none"
    assert effect("minoxidil", "Min", "The crown isn't as thin as I feared, and I haven't "
                  "even started minoxidil.") == "none"
    # said in the treatment's sentence, still a gain
    assert effect("minoxidil", "Min", "The crown isn't as thin as it was before "
                  "minoxidil.") == "improved"


def test_a_gain_that_stopped_is_a_gain() -> None:
    assert effect("minoxidil", "Min", "My crown stopped thickening after month ten on "
                  "minoxidil, but holds.") == "improved"
    assert effect("finasteride", "Fin", "My hair stopped improving once I dropped "
                  "finasteride.") == "improved"


def test_until_the_writer_left_the_treatment_is_no_history() -> None:
    assert effect("minoxidil", "Min", "My temples kept getting thinner on minoxidil until I "
                  "gave up on it last year.") == "no_effect"
    assert effect("finasteride", "Fin", "My hairline got worse on finasteride until I "
                  "switched to dutasteride.") == "no_effect"
    # before a treatment began it is
    assert effect("finasteride", "Fin", "My temples receded through my twenties until "
                  "finasteride.") == "none"


def test_a_colon_verdict_needs_only_a_dose_or_time_after_the_name() -> None:
    assert effect("minoxidil", "GP", "My GP's opinion on minoxidil today: nothing "
                  "useful.") == "none"
    assert effect("minoxidil", "Min", "Minoxidil 5% foam twice a day for 8 months: "
                  "nothing.") == "no_effect"


def test_a_side_effect_gone_after_a_switch_was_one() -> None:
    assert sides("minoxidil", "Min", "The flakes went away once I switched minoxidil "
                 "brands.") == ("skin",)


def test_a_norwood_stage_kept_for_years_is_held() -> None:
    assert effect("finasteride", "Fin", "Five years of finasteride and still a NW2.") \
        == "improved"
    assert effect("finasteride", "Fin", "Ten years on finasteride and still a Norwood 2.") \
        == "improved"
    assert effect("finasteride", "Fin", "I'm 45, on fin since 30 and still a NW2.") \
        == "improved"
    # months are no stated hold; a denial stays one
    assert effect("biotin", "Biotin", "Ten months of biotin. Still a NW3.") == "no_effect"
    assert effect("biotin", "Biotin", "Two years of biotin and still a NW3, nothing at "
                  "all.") == "no_effect"


def test_a_loss_told_on_x_needs_a_treatment_named_after_on() -> None:
    assert effect("minoxidil", "Min", "I thinned on vacation in Thailand, the sun maybe, no "
                  "treatment yet. Considering minoxidil.") == "none"
    assert effect("minoxidil", "Min", "I lost hair on vacation; on minoxidil it grew back.") \
        == "improved"
    assert effect("finasteride", "Fin", "Balded on tren and test, now on finasteride and it's "
                  "holding.") == "improved"
    assert effect("minoxidil", "Min", "I'd have receded on minoxidil alone, so I added fin "
                  "early.") == "none"
    # a treatment (with a dose or form) after "on" is still its loss
    assert effect("minoxidil", "Min", "I thinned on oral minoxidil 2.5mg.") == "no_effect"


def test_the_loss_stopped_being_a_worry_is_no_gain() -> None:
    assert effect("finasteride", "Fin", "The recession stopped being my main worry once the "
                  "crown went; fin did nothing.") == "no_effect"


def test_review_fixes_keep_near_misses() -> None:
    # a stage held for years counts only near-full (NW1-2); a combo's colon verdict counts;
    # a turnaround for a named relative is one
    assert effect("minoxidil", "Min", "Two years of everything including minoxidil and still "
                  "a norwood 4.") == "no_effect"
    read = outcomes("Stack", "Finasteride plus dutasteride as a mesotherapy combo for eight "
                    "months: literally nothing.")
    assert read["finasteride"].effect == read["dutasteride"].effect == "no_effect"
    assert effect("dutasteride", "Reply", "Is dutasteride worth it?",
                  ("Dut turned things around for my cousin.",)) == "improved"


def test_i_have_x_with_a_treatment_for_it_is_the_condition_treated() -> None:
    assert sides("ketoconazole", "Keto", "I have seborrheic dermatitis, so I use "
                 "ketoconazole for it, and my shedding dropped too.") == ()


def test_the_hair_area_less_bare_needs_no_treatment_named_but_no_condition() -> None:
    # (the blind corpora say it in the sentence after the treatment's)
    assert effect("alfatradiol", "Two", "Using alfatradiol in the evening. After six months "
                  "my hairdresser remarked that the crown isn't as see-through as it "
                  "was.") == "improved"
    assert effect("minoxidil", "Min", "Scalp is less visible when my hair is wet, weirdly. "
                  "Thinking of minoxidil.") == "none"
    # a bare "receded" said as going on is a loss anywhere
    assert effect("scalp_massage", "Massage", "I did scalp massage every day for a year. "
                  "Hairline still receded.") == "no_effect"


def test_a_near_table_named_is_true_or_false(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text("[[near]]\nkind = \"declined\"\nwords = [\"a\"]\nafter = [\"b\"]\n"
                   "named = \"yes\"\n", encoding="utf-8")
    with pytest.raises(OutcomeCueError, match=r"line 1: \[\[near\]\] #1: named"):
        load_outcome_cues(bad)


def test_a_video_saying_so_is_a_claim_passed_on() -> None:
    assert effect("microneedling", "Roller", "Bought a 1.5mm derma roller because a YouTube "
                  "video said it regrows hair. Tried it last night and it was agony.") \
        == "none"
    # a trade saying what it sees on the writer's hair is the writer's report
    assert effect("finasteride", "Fin", "The barber says my crown looks fuller since "
                  "finasteride.") == "improved"
