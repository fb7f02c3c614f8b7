"""Review fixes of the outcome wording round (branch `outfix`): each test states what a
reading must be and what it must not, on hand-written threads, and fails without its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.outcomes import Outcome, OutcomeCueError, load_outcome_cues, thread_outcomes
from tests.aggregator.outcome_helpers import CUES, TAGGER, effects, outcomes, sides


# 1. a gain told before the switch word is the new treatment's
def test_a_gain_before_a_switch_goes_to_the_new_treatment() -> None:
    assert effects("Two years", "I was on finasteride for two years. The crown got much "
                   "denser after I switched to dutasteride.") == \
        {"dutasteride": "improved", "finasteride": "none"}
    assert effects("Two years", "I was on finasteride for two years. My crown filled in once "
                   "I moved to dutasteride.") == {"dutasteride": "improved", "finasteride": "none"}
    # (a gain is never the reason for a move, clause break or not)
    assert effects("Two years", "I was on finasteride for two years. The crown got much "
                   "denser, but only after I switched to dutasteride.") == \
        {"dutasteride": "improved", "finasteride": "none"}
    # a side effect told before the switch with no clause break between is the new one's
    found = outcomes("Two years", "I was on finasteride for two years. I got brain fog after "
                     "I switched to dutasteride.")
    assert (found["dutasteride"].side_effects, found["finasteride"].side_effects) == \
        (("mood",), ())
    found = outcomes("Two years", "I was on finasteride for two years. Got brain fog, so I "
                     "switched to dutasteride.")
    assert (found["dutasteride"].side_effects, found["finasteride"].side_effects) == \
        ((), ("mood",))
    # a loss given as the reason for the move, a clause before it, is still the old one's
    assert effects("Fin", "On finasteride for three years. The temples started creeping back "
                   "again, so my derm moved me to dutasteride.") == \
        {"dutasteride": "none", "finasteride": "no_effect"}


def test_a_gain_parted_from_the_switch_by_so_is_the_reason_for_it() -> None:
    """", so" or ";" between a gain and the switch: the gain is why the writer moved on, and
    it belongs to the treatment left behind ("so much after" is no such break)."""
    for body in ["I was on finasteride for a year. It regrew my crown, so I switched to "
                 "dutasteride for the temples.",
                 "I was on finasteride. My crown improved a lot; I moved to dutasteride to push "
                 "further."]:
        assert effects("Update", body) == {"dutasteride": "none", "finasteride": "improved"}
    assert effects("Update", "I was on finasteride for two years. My crown improved so much "
                   "after I switched to dutasteride.") == \
        {"dutasteride": "improved", "finasteride": "none"}


# 2. a "switch" that is no move
def test_a_new_dose_or_form_of_a_current_treatment_is_no_move() -> None:
    assert effects("Stack", "I'm on finasteride and oral minoxidil. Went up to 5mg minoxidil "
                   "in March. Crown is thicker now.") == \
        {"finasteride": "improved", "minoxidil": "improved"}
    assert effects("Stack", "I'm on finasteride and topical minoxidil. Switched to oral "
                   "minoxidil six months ago. Crown is much thicker now.") == \
        {"finasteride": "improved", "minoxidil": "improved"}
    # a real move still leaves the old treatment behind
    assert effects("Update", "I was on finasteride for two years. Switched to dutasteride last "
                   "year. A year later the crown is denser.") == \
        {"dutasteride": "improved", "finasteride": "none"}


def test_a_planned_switch_is_no_move() -> None:
    assert effects("Fin update", "Finasteride for two years. My derm wants me to switch to "
                   "dutasteride. My hairline kept retreating.") == \
        {"dutasteride": "none", "finasteride": "no_effect"}
    assert effects("Fin update", "Finasteride for two years. Thinking I should switch to "
                   "dutasteride. My hairline kept retreating.") == \
        {"dutasteride": "none", "finasteride": "no_effect"}
    # (a plan trigger further from the name than a guard reaches: the name is no topic)
    assert effects("Fin update", "Finasteride for two years. I am planning to eventually "
                   "switch over to dutasteride. My hairline kept retreating.") == \
        {"dutasteride": "none", "finasteride": "no_effect"}


def test_only_the_names_right_after_the_switch_are_moved_to() -> None:
    found = outcomes("Update", "I was on finasteride for two years. Switched to dutasteride "
                     "because finasteride gave me brain fog. A year later the crown is denser.")
    assert found["dutasteride"].effect == "improved"
    assert found["finasteride"].effect == "none"
    assert found["finasteride"].side_effects == ("mood",)
    # a joined run is moved to as a whole
    assert effects("Update", "Fin alone for two years. Then went straight to dutasteride and "
                   "ketoconazole. Crown is denser now.") == \
        {"dutasteride": "improved", "finasteride": "none", "ketoconazole": "improved"}


# 3. a loss told before the gain is the story before and after, not a setback
def test_a_loss_before_the_gain_is_no_setback() -> None:
    assert effects("Fin", "My hairline was retreating for years, but finasteride regrew it.") \
        == {"finasteride": "improved"}
    assert effects("Fin", "Before finasteride my temples got worse every year, but now "
                   "they're thicker.") == {"finasteride": "improved"}
    # a loss after the gain, or set against it by "while", is one
    assert effects("Fin", "Finasteride held my front for years, but the crown kept getting "
                   "thinner.") == {"finasteride": "mixed"}
    assert effects("Fin", "Five years on finasteride, my crown did thin out while the front "
                   "held.") == {"finasteride": "mixed"}


# 4. a bare "nothing" about side effects or downsides is no verdict on the hair
def test_a_bare_nothing_on_side_effects_is_no_effect_verdict() -> None:
    for body in ("A year of finasteride. Any side effects? For me, nothing.",
                 "A year of finasteride. Cons: nothing.",
                 "A year of finasteride. Side effects so far: nothing.",
                 "A year of finasteride. Libido, mood, energy, nothing."):
        assert effects("Fin", body)["finasteride"] == "none", body
    # a bare verdict after a report of use still is one
    assert effects("Rosemary", "6 months rosemary oil. nothing.") == {"rosemary_oil": "no_effect"}
    assert effects("Rosemary", "rosemary oil results: nothing") == {"rosemary_oil": "no_effect"}
    # a verdict standing alone after a statement: words of that statement are no subject
    for body in ("Used rosemary oil for my thinning issues for 6 months. Nothing.",
                 "Rosemary oil for 8 months, it didn't hurt my libido. Nothing!"):
        assert effects("Rosemary", body) == {"rosemary_oil": "no_effect"}, body
    assert effects("Fin", "A year of finasteride. Any side effects? Nothing.") == \
        {"finasteride": "none"}


# 5. [[near]] rules on ordinary text
def test_went_from_is_a_gain_only_towards_a_better_state() -> None:
    assert effects("Fin", "Two years of finasteride and my temples went from bare to "
                   "covered.") == {"finasteride": "improved"}
    assert effects("Fin", "Two years of finasteride, crown went from see-through to properly "
                   "decent.") == {"finasteride": "improved"}
    assert effects("Fin", "Two years of finasteride and my hairline went from a NW2 to a "
                   "NW3.") == {"finasteride": "no_effect"}
    assert effects("Fin", "Two years of finasteride and my temples went from bad to worse.") \
        != {"finasteride": "improved"}
    assert effects("Min", "A year of minoxidil and my crown went from thin to see-through.") \
        == {"minoxidil": "none"}


def test_took_and_back_after_hair_words_are_no_gain() -> None:
    assert effects("Fin", "I was losing hair so I took finasteride for a year.") == \
        {"finasteride": "none"}
    assert effects("Fin", "A year of finasteride and my hair took a real hit.") == \
        {"finasteride": "none"}
    assert effects("Fin", "A year on finasteride. Thinning on the crown and back of my head.") \
        == {"finasteride": "none"}
    assert effects("Fin", "Stopped finasteride and within a year my crown thinning was back.") \
        != {"finasteride": "improved"}
    assert effects("Fin", "Two years on finasteride and the recession is back with a "
                   "vengeance.") == {"finasteride": "no_effect"}
    # a hair area said to be back still is a gain
    assert effects("Fin", "A year on finasteride and my temples are back!!") == \
        {"finasteride": "improved"}


def test_stopped_and_forward_need_the_right_subject() -> None:
    assert effects("Fin", "A year on finasteride. My crown has stopped growing.") == \
        {"finasteride": "none"}
    assert effects("Fin", "A year on finasteride. My recession has stopped.") == \
        {"finasteride": "improved"}
    assert effects("Fin", "Two years of finasteride, the thinning moved forward to my "
                   "midscalp.") != {"finasteride": "improved"}
    assert effects("Fin", "Two years of finasteride, my hairline crept forward.") == \
        {"finasteride": "improved"}


def test_a_loss_before_starting_is_no_shed() -> None:
    assert sides("minoxidil", "Min", "Three months after covid I was losing a lot of hair, so "
                 "I started minoxidil.") == ()
    assert sides("minoxidil", "Min", "Started minoxidil in May. Around week five I shed "
                 "badly.") == ("shedding",)
    # the treatment named before "and I started ...", or nothing named after it: its shed
    for body in ["Minoxidil gave me a horrible shed and I started panicking.",
                 "Minoxidil made me shed like crazy and I tried to push through it.",
                 "I had a massive shed from minoxidil so I started taking biotin too.",
                 "Was on minoxidil for a month, shedding like crazy, and I began to worry."]:
        assert sides("minoxidil", "Min", body) == ("shedding",), body
    assert sides("finasteride", "Fin", "Started finasteride and had a bad shed for two "
                 "months, then I started minoxidil as well.") == ("shedding",)


def test_kept_getting_thinner_is_a_loss_not_history() -> None:
    assert effects("Fin", "Two years on finasteride. My crown kept getting thinner.") == \
        {"finasteride": "no_effect"}
    assert effects("Fin", "Since 2021 my crown was getting thinner. Finasteride for a year "
                   "now.") == {"finasteride": "none"}


def test_near_phrases_of_three_words_or_more_match() -> None:
    assert effects("Fin", "Six months of finasteride, the hair in the drain is under "
                   "control.") == {"finasteride": "improved"}
    assert all(spec.longest >= 1 for spec in CUES.near)
    assert max(spec.longest for spec in CUES.near) >= 3


# 6. a coordinated clause without a comma does not end a fear or plan
def test_and_my_without_a_comma_keeps_a_hypothetical() -> None:
    assert sides("finasteride", "Fin", "On finasteride a month. If I get sides and my libido "
                 "drops I'll quit.") == ()
    assert sides("finasteride", "Fin", "Thinking of finasteride but I'm scared of gyno and my "
                 "nipples getting sore.") == ()
    # after a comma it does ("biotin instead, and my hairline kept retreating")
    assert effects("Fin", "Skipped finasteride, took rosemary oil and biotin instead, and my "
                   "hairline kept retreating.")["biotin"] == "no_effect"


# 7. a shed beside a loss hides it only when told, not denied, and in the same clause group
def test_a_denied_shed_does_not_hide_a_loss() -> None:
    assert effects("Fin", "Two years on finasteride. Never had a shed, but my hairline kept "
                   "retreating.") == {"finasteride": "no_effect"}
    assert effects("Fin", "Two years on finasteride. No shed at all, but my crown kept "
                   "getting thinner.") == {"finasteride": "no_effect"}
    assert effects("Fin", "Two years on finasteride. Never had a shed, my crown just thinned "
                   "out.") == {"finasteride": "no_effect"}
    assert effects("Min", "A year of minoxidil, never had the dread shed, my temples thinned "
                   "out.") == {"minoxidil": "no_effect"}
    # a shed set apart by a strong break does not hide the loss
    assert effects("Min", "A year of minoxidil, big shed in month one; by now my temples "
                   "thinned out.") == {"minoxidil": "no_effect"}
    found = outcomes("Min", "In the first month of minoxidil I shed a lot, but a year in my "
                     "temples kept thinning.")["minoxidil"]
    assert found == Outcome("no_effect", ("shedding",))
    # a shed told beside it still is the loss ("shock loss, my native hair thinned out")
    assert effects("Min", "Three weeks into minoxidil, shedding like crazy, my temples "
                   "thinned out.")["minoxidil"] == "none"


# 8. an opinion frame is no first person
def test_an_opinion_frame_does_not_make_a_generic_clause_first_hand() -> None:
    for reply in ("Most people on finasteride are fine, I'd say the sexual sides are "
                  "overblown.",
                  "Studies show finasteride works, in my opinion regrowth is likely for most.",
                  "Everyone reacts differently, I know guys on finasteride who got ED."):
        found = outcomes("Fin?", "Should I take it?", (reply,))["finasteride"]
        assert found == Outcome(), reply
    # a generic clause without first person before one with it: the writer's own report
    assert effects("Fin", "Funny how different people are, fin has held me for seven "
                   "years.") == {"finasteride": "improved"}
    # a generic clause whose trigger clause has first person, after a clause with none
    assert effects("Fin?", "Should I take it?", ("Most guys do fine on it, finasteride "
                   "regrew hair for them.",)) == {"finasteride": "none"}


# 9. the cue file
def test_a_switch_pattern_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text("[patterns]\nswitch = [\"\\\\bhopped\\\\b\"]\n", encoding="utf-8")
    with pytest.raises(OutcomeCueError, match=r"cues\.toml: line 2: \[patterns\] switch: "
                       r"unknown key"):
        load_outcome_cues(bad)
    ok = tmp_path / "ok.toml"
    ok.write_text("[scope]\nswitch = [\"hopped\"]\n", encoding="utf-8")
    found = thread_outcomes(TAGGER, load_outcome_cues(ok), "Two years", "I was on finasteride "
                            "for two years. My derm hopped me to dutasteride 0.5mg. A year "
                            "later the crown is denser.", [])
    assert {t: o.effect for t, o in found.items()} == \
        {"dutasteride": "improved", "finasteride": "none"}


def test_a_near_error_names_its_own_table_line(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text("[[near]]\nkind = \"improved\"\nwords = [\"a\"]\nafter = [\"b\"]\n\n"
                   "[[near]]\nkind = \"improved\"\nwords = [\"a\"]\nafter = [\"b\"]\n"
                   "within = 0\n", encoding="utf-8")
    with pytest.raises(OutcomeCueError, match=r"line 6: \[\[near\]\] #2: within"):
        load_outcome_cues(bad)
    # headers written with spaces or a comment are the tables' lines too
    bad.write_text("[[ near ]]  # first\nkind = \"improved\"\nwords = [\"a\"]\n"
                   "after = [\"b\"]\n\n[[near]] # second\nkind = \"improved\"\n"
                   "words = [\"a\"]\nafter = [\"b\"]\nwithin = 0\n", encoding="utf-8")
    with pytest.raises(OutcomeCueError, match=r"line 6: \[\[near\]\] #2: within"):
        load_outcome_cues(bad)


# found while measuring the fixes on the seen corpora
def test_switch_details_seen_in_the_corpora() -> None:
    # the joined run goes past an aside naming the old treatment
    assert effects("18 months", "Went straight to dutasteride (finasteride did nothing for "
                   "me) and 2.5mg LDOM. Crown closed, hairline thickened.") == \
        {"dutasteride": "improved", "finasteride": "no_effect", "minoxidil": "improved"}
    # a reply starting from the thread's focus still moves
    assert effects("Dutasteride mesotherapy - 3 sessions in", "Clinic in Spain offers "
                   "dutasteride mesotherapy. I've had 3 sessions. Hair seems stable.",
                   ("I did it for a year, lost ground, went back to oral dut.",)) == \
        {"dutasteride": "improved", "mesotherapy": "mixed"}
    # "wants me to" before no switch is no hypothetical
    assert effects("Bica?", "My dermatologist wants me to try bicalutamide because "
                   "spironolactone didn't help me at all after 18 months.")["spironolactone"] \
        == "no_effect"


def test_the_any_of_a_negation_is_no_hypothetical() -> None:
    assert effects("FUT", "My FUT six years ago was a different story: hardly any of the "
                   "grafts took and my hairline looked the same as before surgery.") == \
        {"hair_transplant": "no_effect"}


def test_a_side_effect_reported_beside_a_bare_verdict_is_no_subject() -> None:
    found = outcomes("Peppermint oil", "Tried peppermint oil for three months, tingly, "
                     "nothing.")["peppermint_oil"]
    assert found == Outcome("no_effect", ("skin",))


def test_so_far_is_no_clause_break() -> None:
    """`[scope] not_breaks`: " so far" starts with the break " so " and is none, so the
    negation after it still reaches back ("side effects so far: none")."""
    for body in ("A year of finasteride. Side effects so far: none.",
                 "A year of finasteride. Side effects so far: nothing."):
        assert outcomes("Fin", body)["finasteride"].side_effects == (), body
    assert outcomes("Fin", "A year of finasteride. It wrecked my libido, so far no luck "
                    "getting it back.")["finasteride"].side_effects == ("sexual",)


def test_not_breaks_guard_only_the_breaks_they_start_with() -> None:
    from aggregator.regex_forms import literal_alternation

    pattern = literal_alternation([" so ", ",", " sofa"], [" so far", ", and yet", " s"])
    found = [m.group() for m in pattern.finditer("a so far b so c, and yet d, e sofa f")]
    assert found == [" so ", ",", " sofa"]
