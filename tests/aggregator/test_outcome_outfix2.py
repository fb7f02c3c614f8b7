"""Review fixes of the general round (helper outfix2): the reviewer's sentences (rev_outr) on
which the outr rules read wrong, each with the narrowed rule's reading."""

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
