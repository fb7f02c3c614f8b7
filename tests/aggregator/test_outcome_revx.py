"""Review `revx` of the outx round (compositional hair change: a hair subject and a direction).

Set F (tests/aggregator/data/revx_f.jsonl, 150 threads written blind before any code was
read) had no pair going right -> wrong between BEFORE 0d1e243 and AFTER 73bf431; its four
wrong -> right pairs are kept here as guards (they pass on AFTER, fail on BEFORE).

The regression cases below come from a probe written after reading the round's cues (not
blind, tests/aggregator/data/revx_probe.jsonl): each reads right on BEFORE 0d1e243 and wrong on
AFTER 73bf431, and right again with the review's fix (a `[scope] wish` list read only to the
end of its clause, without "i wanted"; more `@body_area` words; the "less"/"fewer" entry reads
only a subject after the word). The fix moves no pair of dev, outcomes_h..m, set F or outx_hold.
"""

from __future__ import annotations

from tests.aggregator.outcome_helpers import effect, sides

# ---- set F gains of the round (guards: pass on AFTER) ----


def test_set_f_less_hair_in_the_drain_is_a_gain() -> None:
    # FA22
    assert effect("ketoconazole", "Nizoral alone did something",
                  "I had a flaky scalp and was shedding. After two months of Nizoral three "
                  "times a week there's much less hair in the drain and the flakes are "
                  "gone.") == "improved"


def test_set_f_shedding_dropped_to_almost_nothing_is_a_gain() -> None:
    # FA29: a replier's report under a poster's fear
    assert effect("spironolactone", "Scared of spiro dizziness",
                  "I'm scared spiro will make me dizzy, I already have low blood pressure. "
                  "Anyone with experience?",
                  ("Spiro six months here, my shedding dropped to almost nothing and I never "
                   "got dizzy.",)) == "improved"


def test_set_f_poster_gain_and_replier_nothing_is_mixed() -> None:
    # FA61 and FA63
    assert effect("ketoconazole", "Nizoral and shedding",
                  "Started Nizoral twice a week, after three months there's less hair in the "
                  "drain.",
                  ("Nizoral did nothing for my density in two years of using it.",)) == "mixed"
    assert effect("microneedling", "Microneedling, opinions",
                  "Nine months of dermastamp at 1mm and there are more hairs at my crown now.",
                  ("A year of MN for me, zero change. Glad it worked for you.",)) == "mixed"


# ---- regressions of AFTER 73bf431 (right on BEFORE 0d1e243), fixed by the review ----


def test_regression_a_past_wish_fulfilled_is_a_gain() -> None:
    # (probe P31): the new hypothetical trigger "i wanted" covers "thicker"
    assert effect("finasteride", "Update", "Did fin what I wanted? Yes: I wanted my crown "
                  "thicker and it is, eighteen months in.") == "improved"


def test_regression_a_wish_reaches_only_its_own_clause() -> None:
    # (probe P03): "wanted more" (hypothetical, 10 words up to a strong break)
    # covers "my crown is thicker" after the comma
    assert effect("finasteride", "Update", "I wanted more density and fin gave me exactly "
                  "that, my crown is thicker after a year.") == "improved"


def test_regression_more_hair_on_the_back_is_body_hair_not_a_gain() -> None:
    # (probe P05): "back"/"stomach" are no @body_area, so "more hair" (+ @hair_mass)
    # reads as a gain and, leftmost-longest, hides the old body_hair cue "hair on my"
    body = "Two months on oral min: more hair on my back and stomach, nothing on my head yet."
    assert effect("minoxidil", "Update", body) == "none"
    assert "body_hair" in sides("minoxidil", "Update", body)


def test_regression_hair_less_oily_is_no_loss() -> None:
    # (probe P07): the "less"/"fewer" entry reads the word after its subject too
    # ("my hair is less oily" -> declined -> no_effect)
    assert effect("ketoconazole", "Update",
                  "My hair is less oily since I started Nizoral twice a week.") == "none"
