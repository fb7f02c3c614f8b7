"""Outcome rules added for unseen threads (issue 13): scoping, attribution and first person.

Each test states a rule of `aggregator.outcomes` on a hand-written thread; each failed before
the rule was added.
"""

from __future__ import annotations

from aggregator.outcomes import Outcome
from tests.aggregator.outcome_helpers import outcomes


def test_a_trigger_inside_a_cue_phrase_is_no_trigger() -> None:
    # the "zero" of "zero difference" negates nothing after it
    found = outcomes("Microneedling", "Fine here.", (
        "Did microneedling for a year, zero difference and my scalp bled every session.",))
    assert found["microneedling"] == Outcome("no_effect", ("other",))
    # the "kept" of "kept going back" is no contentment that turns "zero regrowth" into a gain
    found = outcomes("Minox did nothing", "Rogaine 5% for 14 months. Zero regrowth, hairline "
                     "kept going back.")
    assert found["minoxidil"].effect == "no_effect"
    # the "nobody" of "nobody can tell" makes no generic statement
    found = outcomes("SMP", "Shaved it and got SMP 6 months ago. Best decision ever, nobody "
                     "can tell.")
    assert found["smp"].effect == "improved"


def test_a_cue_does_not_run_on_into_the_next_sentence() -> None:
    found = outcomes("Zinc supplements and shedding", "Started 25mg zinc 3 weeks ago and I feel "
                     "nauseous after taking it.")
    assert found["zinc"].side_effects == ("other",)


def test_what_was_replaced_is_not_the_topic() -> None:
    found = outcomes("1 year dut", "Switched from fin to dutasteride 0.5mg last year. Temples "
                     "have filled in and my libido is a bit lower.")
    assert found["finasteride"] == Outcome("none", ())
    assert found["dutasteride"] == Outcome("improved", ("sexual",))
    found = outcomes("Bica update", "Bicalutamide 10mg for 6 months after spiro. Shedding "
                     "dropped a lot by month 3.")
    assert found["spironolactone"].effect == "none"
    assert found["bicalutamide"].effect == "improved"
    found = outcomes("Dut 1 yr", "Skipped fin and went straight to dut. The top is much "
                     "thicker now.")
    assert found["finasteride"].effect == "none"
    # a baseline named beside the treatments credited
    found = outcomes("Needling", "Dermaroller with minoxidil for 9 months: crown thicker than "
                     "it ever got with finasteride alone.")
    assert found["finasteride"].effect == "none"
    assert found["microneedling"].effect == "improved"


def test_a_treatment_of_its_own_beats_the_regimen() -> None:
    found = outcomes("2 year update", "Stack: finasteride, minoxidil, ketoconazole shampoo.\n"
                     "Month 6: crown noticeably denser.\nKeto I think does nothing for hair.")
    assert found["ketoconazole"].effect == "no_effect"
    assert found["finasteride"].effect == found["minoxidil"].effect == "improved"


def test_forum_speech_without_i_is_first_person() -> None:
    found = outcomes("Exosomes - anyone actually seen results?", "Clinic near me sells "
                     "exosome sessions. Anyone here done it?",
                     ("Did 2 sessions in 2024. Nothing. Absolutely nothing.",))
    assert found["exosomes"].effect == "no_effect"
    found = outcomes("Oral minoxidil and the heart?", "Any heart issues for those on it?",
                     ("3 years on 2.5mg, ECG normal, crown much thicker",))
    assert found["minoxidil"].effect == "improved"
    # a question is not
    found = outcomes("Minoxidil shed", "Week 3 of minoxidil.",
                     ("Did you get a shed early on",))
    assert found["minoxidil"].side_effects == ()


def test_a_quote_mark_just_before_the_cue_quotes_it() -> None:
    found = outcomes("Exosomes", "The clinic is pushing exosome sessions, claiming "
                     "'regrowth in 3 months'.")
    assert found["exosomes"].effect == "none"


def test_a_trouble_word_ends_a_negation() -> None:
    found = outcomes("Proscar", "Same, 4 years on quartered proscar, zero issues and kept "
                     "everything.")
    assert found["finasteride"] == Outcome("improved", ())


def test_fears_and_reading_are_not_reports() -> None:
    found = outcomes("Finally started fin", "Spent 2 years reading about sides and being "
                     "scared. Started finasteride 5 months ago, shedding has slowed down.")
    assert found["finasteride"] == Outcome("improved", ())
    found = outcomes("Topical spray", "No orals for me bc anxiety about sides. Used the "
                     "finasteride spray every night, hairline is thicker.")
    assert found["finasteride"] == Outcome("improved", ())


def test_a_pain_beside_another_side_effect_is_both() -> None:
    found = outcomes("SMP", "Got SMP done in 3 sessions. The sessions hurt a bit and my scalp "
                     "was red for a couple of days.")
    assert found["smp"].side_effects == ("skin", "other")


def test_sides_as_a_heading_or_subject_are_no_report() -> None:
    found = outcomes("Finasteride side effects - a comparison", "Been on finasteride 2 "
                     "years, hairline is thicker.")
    assert found["finasteride"] == Outcome("improved", ())
    found = outcomes("RU log", "RU58841 daily for 6 months.\n## Sides\nScalp itch from the "
                     "solution.")
    assert found["ru58841"].side_effects == ("skin",)
    # a title that reports them still counts
    assert outcomes("Quit fin because of sides", "Stopped it two weeks ago."
                    )["finasteride"].side_effects == ("sexual",)


def test_a_gain_of_a_condition_or_without_treatment_is_no_effect() -> None:
    found = outcomes("Best shampoo?", "Looking for a shampoo.",
                     ("Keto shampoo helped my flaking a ton",))
    assert found["ketoconazole"].effect == "none"
    found = outcomes("Bald spot", "Found a round bald spot, bought minoxidil foam.",
                     ("I had a patch like that at 28, it filled in on its own in 6 months.",))
    assert found["minoxidil"].effect == "none"


def test_a_planned_treatment_in_the_next_clause_is_no_target() -> None:
    found = outcomes("18 months progress", "Been on fin and min for 18 months. I booked a "
                     "hair transplant, but now my hair made a comeback.")
    assert found["hair_transplant"].effect == "none"
    assert found["finasteride"].effect == "improved"


def test_a_parenthesis_ends_a_hypothetical_scope() -> None:
    found = outcomes("Dut 2 years", "Went from diffuse thinning (could see scalp in any light) "
                     "to actually dense hair on dutasteride 0.5mg daily.")
    assert found["dutasteride"].effect == "improved"


def test_photo_conditions_are_no_cue() -> None:
    found = outcomes("Foam 6 months", "Minoxidil foam for 6 months, my part is visibly "
                     "narrower in the same lighting.")
    assert found["minoxidil"].effect == "improved"
    # losing at the same rate is no gain held
    found = outcomes("Spiro 1 year", "Spironolactone 100mg for a year, my hair is still "
                     "thinning at the same rate.")
    assert found["spironolactone"].effect == "no_effect"


def test_a_norwood_stage_change_is_a_progress_report() -> None:
    # a lower stage now than at the start: a gain, credited to the poster's regimen
    found = outcomes("Fin + min + keto for 3 years", "Overall: I'm NW1 now, was NW2.5 at the "
                     "start.")
    assert {t: o.effect for t, o in found.items()} == {
        "finasteride": "improved", "ketoconazole": "improved", "minoxidil": "improved"}
    # a higher one than "the one I started at": a loss
    found = outcomes("Three years of fin", "Today I'm a NW4 instead of the NW3 I started at.")
    assert found["finasteride"].effect == "no_effect"
    # the same stage a decade later: held
    found = outcomes("Proscar 10 years", "I was a Norwood 3 vertex. Today at 37 I am... a "
                     "Norwood 3 vertex.")
    assert found["finasteride"].effect == "improved"
    # no change of one person: options, a list, somebody else's stage, no order told
    for body in ("On fin. Is that NW2 or NW3?", "On fin, still a NW2. My brothers are NW5 "
                 "and NW6.", "On fin. NW2 going on NW3 according to my barber."):
        assert outcomes("Fin", body)["finasteride"].effect == "none", body


def test_a_loss_beside_did_nothing_is_no_mixed_report() -> None:
    # "declined" (a loss) and "did nothing" are the same direction
    found = outcomes("Fin 20 months", "Fin did nothing for me. I've gone from NW2.5 to NW3.5 "
                     "in that time.")
    assert found["finasteride"].effect == "no_effect"


def test_a_cue_with_its_own_negation_is_flipped_only_by_a_negation_next_to_it() -> None:
    # "no new hairs and no difference": the first "no" does not reach "no difference"
    found = outcomes("Castor oil, 5 months", "Castor oil overnight for 5 months. My hair is "
                     "shinier but no new hairs and no difference in density honestly.")
    assert found["castor_oil"].effect == "no_effect"
    # a double negative next to it still flips it
    found = outcomes("Fin 15 months", "Fin 1mg for 15 months. Can't say it didn't work.")
    assert found["finasteride"].effect == "improved"


def test_a_negation_stops_at_a_clause_with_its_own_subject() -> None:
    found = outcomes("Scared of fin sides", "Should I start?", (
        "I was terrified too. 3 years on fin now, literally nothing bad happened and my hair "
        "looks better than it did at 21.",))
    assert found["finasteride"].effect == "improved"


def test_a_reply_telling_its_own_time_on_a_treatment_is_first_hand() -> None:
    # "X here" closing a clause, and "for N months", speak of the writer
    found = outcomes("Minoxidil", "Is it worth it?", (
        "Min only for 2 years here, it regrew a decent amount at the crown.",))
    assert found["minoxidil"].effect == "improved"
    found = outcomes("Sublingual minoxidil?", "Anyone doing this?", (
        "Doing 0.45mg sublingual minoxidil for 5 months, crown thicker.",))
    assert found["minoxidil"].effect == "improved"
    # a link "here:" or "anyone here" is no report of the writer's
    found = outcomes("Saw palmetto vs fin", "Worth it?", (
        "There's a head to head here: the fin guys improved more.",
        "Anyone here regrew on it, crown thicker?"))
    assert found["finasteride"].effect == "none"


def test_research_talk_runs_on_until_the_writer_speaks_of_themselves() -> None:
    found = outcomes("Topical finasteride phase 3", "The phase 3 trial of topical finasteride "
                     "showed similar hair counts to oral. Sexual AEs were numerically lower. "
                     "Worth it?")
    assert found["finasteride"] == Outcome("none", ())
    # the writer's own report after it still counts
    found = outcomes("Topical finasteride phase 3", "The phase 3 trial of topical finasteride "
                     "showed similar hair counts to oral. I tried it myself: my libido dropped.")
    assert found["finasteride"].side_effects == ("sexual",)


def test_a_comma_list_of_treatments_is_one_subject() -> None:
    found = outcomes("Quitting everything", "Dut, oral min, RU and needling after that did "
                     "nothing I could see.")
    assert {t: o.effect for t, o in found.items()} == {
        "dutasteride": "no_effect", "microneedling": "no_effect", "minoxidil": "no_effect",
        "ru58841": "no_effect"}


def test_a_none_before_a_word_negates_that_word_not_the_cue_before_it() -> None:
    found = outcomes("Quitting dut", "Dut gave me less ejaculate and eventually zero interest "
                     "in sex.")
    assert found["dutasteride"].side_effects == ("sexual",)
    # a closing "zero" still negates ("libido: zero issues" aside)
    found = outcomes("Dut review", "Been on dut 2 years. Ejaculate volume change: zero so far.")
    assert found["dutasteride"].side_effects == ()


def test_a_progress_photo_title_is_a_progress_report() -> None:
    found = outcomes("2021 vs 2024. Consistency is key.", "1mg finasteride and liquid "
                     "minoxidil.")
    assert {t: o.effect for t, o in found.items()} == {
        "finasteride": "improved", "minoxidil": "improved"}
    found = outcomes("1mg fin daily. 1 month, 11 months, 1 year 2 months.", "Trust the process!")
    assert found["finasteride"].effect == "improved"
    # not when the post says how it went, nor when the title asks
    found = outcomes("Fin, 2021 vs 2024", "Honestly it did nothing for me.")
    assert found["finasteride"].effect == "no_effect"
    found = outcomes("Fin 6 months apart, any difference?", "Pics attached.")
    assert found["finasteride"].effect == "none"


def test_a_cue_right_after_a_treatment_is_about_that_one() -> None:
    found = outcomes("Caffeine shampoo vs minoxidil", "Which one?", (
        "I switched to minox after a year of caffeine shampoo did nothing.",))
    assert found["caffeine"].effect == "no_effect"
    assert found["minoxidil"].effect == "none"
    # not when the treatments are named together
    found = outcomes("Fin and min", "Which one?", ("I tried fin and min did nothing.",))
    assert found["finasteride"].effect == "no_effect"


def test_a_verdict_after_a_treatment_and_a_colon_is_a_report() -> None:
    found = outcomes("Everything I tried", "Let me go through it. Saw palmetto, PSO, biotin: "
                     "nothing, not a thing. The laser comb: waste of $400.")
    assert {t: o.effect for t, o in found.items()} == {
        "biotin": "no_effect", "lllt": "no_effect", "pumpkin_seed_oil": "no_effect",
        "saw_palmetto": "no_effect"}
    # a colon after anything else is no verdict on a treatment
    found = outcomes("Fin 2 years", "Been on fin 2 years. Sides: nothing.")
    assert found["finasteride"].effect == "none"


def test_a_sarcasm_mark_says_the_opposite() -> None:
    found = outcomes("fin did wonders for me /s", "14 months on fin. Wallet $140 lighter.")
    assert found["finasteride"].effect == "no_effect"
    # "/s" inside a word or a unit is no mark
    found = outcomes("Fin did wonders for me", "1mg/s... 14 months on fin, km/s.")
    assert found["finasteride"].effect == "improved"


def test_a_condition_had_before_the_treatment_is_no_side_effect() -> None:
    found = outcomes("Nizoral for seb derm", "Diagnosed with seborrheic dermatitis, derm said "
                     "nizoral. Does it help hair?")
    assert found["ketoconazole"].side_effects == ()
    found = outcomes("Starting fin", "I'm already on propranolol and that makes me a bit dizzy, "
                     "I started fin last week.")
    assert found["finasteride"].side_effects == ()
    # a side effect told without it still counts
    found = outcomes("Nizoral", "Nizoral made my scalp dry and itchy.")
    assert found["ketoconazole"].side_effects == ("skin",)


def test_hair_said_to_grow_is_a_gain() -> None:
    found = outcomes("Gym after a hair transplant", "When can I lift?", (
        "I went back at 2 weeks after my HT, no issues, grafts all grew.",))
    assert found["hair_transplant"].effect == "improved"


def test_it_refers_back_to_a_negated_treatment_of_its_sentence() -> None:
    found = outcomes("LDOM did nothing", "Oral minoxidil 2.5mg since January.", (
        "[OP] no, can't do fin, tried it years ago and it wrecked my libido",))
    assert found["finasteride"].side_effects == ("sexual",)
    assert found["minoxidil"].side_effects == ()
    # without "it" a negated neighbour is still no target
    found = outcomes("Hair transplant", "Scheduled a transplant, but my hair made a comeback "
                     "on minoxidil.")
    assert found["hair_transplant"].effect == "none"


def test_a_side_effect_of_the_sessions_goes_to_the_procedure_not_the_drug_last_named() -> None:
    found = outcomes("Dermapen 1.5mm weekly, 6 month check in", "I added microneedling with a "
                     "dermapen to my routine (topical minoxidil 2x daily, 2 years). Honestly, "
                     "no visible difference. Minoxidil has kept me stable for 2 years. Scalp "
                     "gets pretty red and sore for a day after each session.")
    assert found["microneedling"].side_effects == ("skin", "other")
    assert found["minoxidil"].side_effects == ()
    # a side effect the drug is known for stays with it
    found = outcomes("PRP and fin", "Doing PRP monthly, on finasteride since May. My libido "
                     "dropped after each session.")
    assert "sexual" in found["finasteride"].side_effects


def test_sameness_right_after_a_too_early_hedge_is_part_of_it() -> None:
    found = outcomes("Month 4 fin", "Started fin in March. Don't see anything yet. Photos look "
                     "identical. When should I expect something?")
    assert found["finasteride"].effect == "none"
    # without the hedge just before, it is a (weak) no effect
    found = outcomes("Month 14 fin", "Started fin last year. Photos look identical.")
    assert found["finasteride"].effect == "no_effect"


# Review of the reader round: where its rules reached too far (each failed before the fix).


def test_already_and_a_diagnosis_do_not_make_every_later_side_effect_pre_existing() -> None:
    assert outcomes("Update", "I've already lost my libido on finasteride.")[
        "finasteride"].side_effects == ("sexual",)
    assert outcomes("Update", "Finasteride already gave me gyno.")[
        "finasteride"].side_effects == ("breast",)
    assert outcomes("Update", "Already 3 months on finasteride and I have brain fog.")[
        "finasteride"].side_effects == ("mood",)
    # a clause break with its own story ends the condition's reach
    assert outcomes("Update", "Before taking finasteride I checked my bloodwork, and after a "
                    "month my libido dropped.")["finasteride"].side_effects == ("sexual",)
    # what was had before still is no side effect
    assert outcomes("Update", "Finasteride. I already had low libido before, and it is still "
                    "low.")["finasteride"].side_effects == ()


def test_a_study_the_writer_read_or_posts_about_is_no_research_talk() -> None:
    assert outcomes("Fin", "Read a study on finasteride. Libido gone after 2 months.")[
        "finasteride"].side_effects == ("sexual",)
    assert outcomes("Fin", "Finasteride for a year, posting because of that new trial. Crown "
                    "is much thicker, no sides.")["finasteride"].effect == "improved"


def test_a_colon_verdict_is_not_praise_nor_about_side_effects() -> None:
    assert outcomes("Finasteride: nothing short of a miracle", "I've been on it for a year.")[
        "finasteride"].effect != "no_effect"
    assert outcomes("My results", "Finasteride: nothing short of amazing for me, I'm "
                    "thrilled.")["finasteride"].effect == "improved"
    from aggregator.outcome_progress import colon_verdict_cues

    lowered = "fin. side effects from finasteride: nothing, and my hair is thicker."
    assert colon_verdict_cues(lowered, [lowered.index(":")]) == []  # on the side effects
    assert outcomes("Update", "Finasteride: nothing. A year in and still thinning.")[
        "finasteride"].effect == "no_effect"


def test_sarcasm_drops_a_side_effect_instead_of_inventing_one() -> None:
    assert outcomes("Update", "I'm on finasteride. No sides at all /s")[
        "finasteride"].side_effects == ()


def test_years_in_a_title_about_prices_are_no_progress_report() -> None:
    assert outcomes("Finasteride prices 2023 vs 2024", "Where do you buy finasteride? It got "
                    "expensive.")["finasteride"].effect == "none"


def test_a_span_of_twenty_months_is_no_year() -> None:
    assert outcomes("Fin 20 months apart, bought cheap generic", "Here are my photos.")[
        "finasteride"].effect == "improved"
    assert outcomes("Fin 2021 vs 2024, ordered online", "Here are my photos.")[
        "finasteride"].effect == "none"
