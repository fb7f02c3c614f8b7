"""The generalisation round (helper outv): classes of side-effect precision and attribution,
each tested with sentences of the hand-written set A (`data/outv_a.jsonl`, written before the
reader was run on it) and variants in other words; every test but the guards fails on the
base tree (6d1c110)."""

from __future__ import annotations

import json
from pathlib import Path

from aggregator.outcome_quality import evaluate_outcomes
from tests.aggregator.outcome_helpers import CUES, TAGGER, effect, effects, sides

SET_A = Path(__file__).with_name("data") / "outv_a.jsonl"


def test_the_treatment_a_causative_verb_names_takes_the_side_effect() -> None:
    assert sides("minoxidil", "Tret", "Tretinoin 0.025 with my minoxidil: scalp is red and "
                 "peeling after a week.") == ()
    assert sides("minoxidil", "Tret", "I tried tretinoin under my minoxidil for 3 weeks, scalp "
                 "peeling in sheets.") == ()
    assert sides("minoxidil", "Combo", "Minoxidil and tretinoin together: the tretinoin made "
                 "my scalp red and flaky.") == ()
    assert sides("finasteride", "SP", "Saw palmetto tanked my libido just as badly as people "
                 "claim fin does.") == ()
    assert sides("saw_palmetto", "SP", "Saw palmetto tanked my libido just as badly as people "
                 "claim fin does.") == ("sexual",)
    # guard: one treatment named, or no causative verb: as before
    assert sides("ru58841", "RU", "RU gave me contact dermatitis on the hairline.") == ("skin",)


def test_an_unqualified_sides_defers_to_a_systemic_side_of_the_same_treatment() -> None:
    assert sides("finasteride", "Topical fin still gave me a systemic side effect",
                 "Around month eighteen my right nipple became sore.") == ("breast",)
    assert sides("finasteride", "Fin", "Quit fin after 3 months because of the sides.") \
        == ("sexual",)  # guard: alone it is sexual
    # a headache after a session is not what "oral dut gave me sides" meant
    assert sides("dutasteride", "Dut meso", "Dut mesotherapy, I did get a headache after "
                 "session 2. Went this route because oral dut gave me sides.") \
        == ("sexual", "other")


def test_a_side_pinned_on_something_else_or_told_of_the_time_before_is_dropped() -> None:
    assert sides("finasteride", "Fin", "I was depressed long before I started finasteride, so "
                 "I can't blame it on fin. My crown filled in nicely.") == ()
    assert sides("finasteride", "Fin", "I've had anxiety since my teens. Started fin 6 months "
                 "ago and my hairline has thickened.") == ()
    assert sides("dutasteride", "Dut", "Dut for two years. The acne on my back isn't the dut, "
                 "it was the whey protein.") == ()


def test_a_libido_or_mood_said_to_come_back_is_no_side_of_what_it_came_back_on() -> None:
    assert sides("finasteride", "Dut killed my libido", "Switched back to fin 2 months ago and "
                 "libido is mostly back.") == ()
    # guard: a symptom that came back is the side effect again
    assert sides("ru58841", "RU", "Restarted RU58841 a month later as a test, fog came back "
                 "in about ten days.") == ("mood",)


def test_function_gone_chest_tender_and_fog_wordings() -> None:
    assert sides("finasteride", "Fin", "3 months on fin pills. Brain fog, zero libido, felt "
                 "like a zombie.") == ("sexual", "mood")
    assert sides("finasteride", "Fin", "2 years on fin, zero libido issues, hair is good.") == ()
    assert sides("dutasteride", "Dut", "4 months in I got puffy tender nips on dut and "
                 "quit.") == ("breast",)
    assert sides("finasteride", "Fin", "Fin made my chest sore after a month.") == ("breast",)
    assert sides("finasteride", "Fin", "Four months on finasteride and I feel flat, emotionally "
                 "numb, can't concentrate at work.") == ("mood",)
    assert sides("minoxidil", "Min", "Topical min 5%, got a bit of forehead fuzz where it "
                 "drips.") == ("body_hair",)


def test_a_reading_or_a_dose_is_no_side_effect() -> None:
    assert sides("minoxidil", "Oral min dose?", "I'm 47, normal blood pressure, mostly diffuse "
                 "thinning on top. Started oral minoxidil 1.25.") == ()
    assert sides("finasteride", "Dut?", "fin 1mg ED since 2018 | min 5% bid") == ()


def test_a_skin_side_of_several_treatments_stays_with_the_topicals() -> None:
    assert sides("finasteride", "RU + fin", "RU58841 at night plus oral fin 1mg. My scalp gets "
                 "a bit red where I apply.") == ()


def test_a_cue_is_not_about_what_came_later() -> None:
    assert effects("Fin then min", "I lost hair on fin for a year before adding minoxidil. "
                   "Since adding it my crown has filled in.") \
        == {"finasteride": "no_effect", "minoxidil": "improved"}
    assert effect("finasteride", "Until dut", "Got worse on finasteride until I switched to "
                  "dutasteride.") == "no_effect"
    assert effect("dutasteride", "Until dut", "Got worse on finasteride until I switched to "
                  "dutasteride.") == "none"
    assert effect("minoxidil", "Fin", "I used fin for a year with no results before I added "
                  "min.") == "none"


def test_a_negation_of_another_noun_leaves_the_treatment_the_topic() -> None:
    assert effect("minoxidil", "No shed", "Never had a shed on min, went straight to regrowth "
                  "after 4 months.") == "improved"
    assert effect("finasteride", "Fin", "Zero sides on fin and my hairline is better.") \
        == "improved"
    assert effect("dutasteride", "Dut", "No sides from dut, crown is thicker.") == "improved"
    # guard: a negated or planned treatment is still no topic
    assert effects("Update", "Not on fin anymore. My crown is thicker on min.") \
        == {"finasteride": "none", "minoxidil": "improved"}


def test_any_a_verb_after_a_negation_asks_nothing() -> None:
    assert effect("clascoterone", "Clascoterone", "Clascoterone twice daily for 9 months, "
                  "didn't see any improvement, crown looks the same or worse.") == "no_effect"
    assert effect("minoxidil", "Min", "Haven't noticed any regrowth from a year of "
                  "minoxidil.") == "no_effect"


def test_wording_families_of_no_gain_and_of_the_hair_kept() -> None:
    assert effect("minoxidil", "Min", "Most people regrow on minoxidil, apparently. For me 1 "
                  "year and nothing.") == "no_effect"
    assert effect("finasteride", "Starting dut", "After two years of fin with no luck, "
                  "starting dut tomorrow.") == "no_effect"
    assert effect("prp", "PRP", "I tried PRP after the surgery but it was money down the "
                  "drain.") == "no_effect"
    assert effect("finasteride", "RU", "ru + fin here, 2 yrs, nothing gained but nothing "
                  "lost. ill take it") == "improved"
    assert effect("finasteride", "RU", "Back to just fin which has kept my crown the same "
                  "since 2020.") == "improved"
    assert effect("finasteride", "Fin", "I've been on fin for 5 years with no problem and "
                  "kept my hair.") == "improved"


def test_nothing_bad_and_a_judgement_of_photos_say_nothing_of_the_hair() -> None:
    assert effects("Spiro", "My hair got thicker on oral min and spiro. The spiro is what makes "
                   "me exhausted, min did nothing bad.")["minoxidil"] == "improved"
    assert effect("dutasteride", "Is my crown thicker?", "Six months of dut, I think my crown "
                  "is thicker.", ("Honestly looks the same to me, maybe lighting.",)) \
        == "improved"
    assert effect("prp", "PRP hype", "Clinics say PRP regrows hair in 3 sessions. Anyone have "
                  "real results?") == "none"


def test_set_a_figures() -> None:
    """Set A as a whole (163 pairs): base 0.896 accuracy, side P 0.852; this round 0.969,
    side P 0.902, R 0.948."""
    posts = [json.loads(line) for line in SET_A.read_text(encoding="utf-8").splitlines()]
    scores = evaluate_outcomes(posts, TAGGER, CUES, rouge=False)
    assert scores.pairs == 163
    assert scores.accuracy >= 0.96
    assert scores.side_precision >= 0.90
    assert scores.side_recall >= 0.94
