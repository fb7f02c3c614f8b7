"""Outcome rules of the general round (branch `outr`, issue 13): classes of wording and
attribution mistakes found on the blind corpora h..k, each read on hand-written threads
(not corpus sentences), with what the rule must read and what it must not.
"""

from __future__ import annotations

from aggregator.lexicon import load_lexicon
from aggregator.outcomes import Outcome, load_outcome_cues, thread_outcomes
from aggregator.tagger import Tagger

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()


def outcomes(title: str, body: str = "", replies: tuple[str, ...] = ()) -> dict[str, Outcome]:
    return thread_outcomes(TAGGER, CUES, title, body, list(replies))


def effect(treatment: str, title: str, body: str = "", replies: tuple[str, ...] = ()) -> str:
    return outcomes(title, body, replies)[treatment].effect


def sides(treatment: str, title: str, body: str = "", replies: tuple[str, ...] = (),
          ) -> tuple[str, ...]:
    return outcomes(title, body, replies)[treatment].side_effects


def test_the_loss_said_to_be_back_under_control_is_a_gain() -> None:
    assert effect("finasteride", "Check-in", "Six months on finasteride and my shedding was "
                  "back under control.") == "improved"
    assert effect("finasteride", "Check-in", "Four months of finasteride and the shedding is "
                  "back to normal.") == "improved"
    # the loss said to be back is still a loss
    assert effect("finasteride", "Check-in", "I stopped finasteride for a month and the "
                  "shedding was back.") == "no_effect"


def test_gains_that_stopped_are_no_gain() -> None:
    # alone: a weak no effect (not a gain); beside a gain of the same speaker: the gain
    assert effect("minoxidil", "Two years", "My crown has stopped improving on "
                  "minoxidil.") == "no_effect"
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
