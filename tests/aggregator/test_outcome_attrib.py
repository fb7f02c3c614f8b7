"""Round `attrib`: which treatment an outcome belongs to. A switch told as "X to Y", "from X
to Y" or "X for Y" moves the writer to Y, and a loss or side effect given as its reason right
after it ("after", "because") is X's; a title's treatment named as the one replaced ("saw
palmetto instead of fin") is no focus for the replies."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effects, sides


@pytest.mark.parametrize(("title", "body", "expected"), [
    # the reason told right after the move is about what was left
    ("Switched fin to dut after my temples kept going", "Ten months on dut and the temples "
     "are filling in.", {"finasteride": "no_effect", "dutasteride": "improved"}),
    ("update", "Went from finasteride over to 0.5mg dutasteride because the crown kept "
     "thinning. A year later the crown is denser.",
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    ("update", "Swapped finasteride for dutasteride since my hairline kept receding. Now it "
     "is thicker.", {"finasteride": "no_effect", "dutasteride": "improved"}),
    # negatives: a time after the reason word, a loss joined by "and" after the reason, a
    # reason given for something else the sentence tells after the move
    ("update", "I switched from finasteride to dutasteride and after 8 months my hairline "
     "kept receding.", {"finasteride": "none", "dutasteride": "no_effect"}),
    ("update", "Switched finasteride to dutasteride after a year of it, the temples kept "
     "going.", {"finasteride": "no_effect", "dutasteride": "no_effect"}),  # (as before)
    ("update", "Moved to dutasteride because of the price and my hairline kept receding.",
     {"dutasteride": "no_effect"}),
    # (review43) a gain after "X to Y" is Y's alone; a loss there is left as before
    ("update", "Switched fin to dut after 2 years, hairline is better now.",
     {"finasteride": "none", "dutasteride": "improved"}),
    ("update", "Swapped finasteride for dutasteride, my crown got worse.",
     {"finasteride": "no_effect", "dutasteride": "no_effect"}),
])
def test_a_reason_after_the_switch_is_the_left_ones(title: str, body: str,
                                                    expected: dict[str, str]) -> None:
    assert effects(title, body) == expected


def test_a_side_effect_given_as_the_reason_is_the_left_ones() -> None:
    body = "Swapped finasteride for dutasteride because of brain fog. Crown is denser now."
    assert sides("finasteride", "update", body) == ("mood",)
    assert sides("dutasteride", "update", body) == ()
    # negative: a reason for quitting the new one, told after "but"
    body = "Minoxidil did nothing for me. Switched to finasteride but quit that too because " \
        "of brain fog."
    assert sides("minoxidil", "update", body) == ()
    assert sides("finasteride", "update", body) == ("mood",)


@pytest.mark.parametrize(("title", "replies", "expected"), [
    # a reply naming nothing is about the title's treatment, not the one it replaced
    ("Nine months of saw palmetto instead of finasteride", ("Same here, a year of it and my "
     "crown kept thinning.",), {"saw_palmetto": "no_effect", "finasteride": "none"}),
    # negative: a title naming both as used
    ("Nine months of saw palmetto and finasteride", ("Same here, a year of it and my crown "
     "kept thinning.",), {"saw_palmetto": "no_effect", "finasteride": "no_effect"}),
    # (review43) "from X to Y" is a move; "results from X and Y" names both as used
    ("Moving from finasteride to dutasteride", ("Did it last year, my crown filled in.",),
     {"finasteride": "none", "dutasteride": "improved"}),
    ("Results from finasteride and minoxidil after a year", ("Same here, a year in and my "
     "crown filled in.",), {"finasteride": "improved", "minoxidil": "improved"}),
])
def test_a_title_treatment_replaced_is_no_focus(title: str, replies: tuple[str, ...],
                                                 expected: dict[str, str]) -> None:
    assert effects(title, "", replies) == expected


@pytest.mark.parametrize(("title", "replies", "expected"), [
    # a sentence naming only the partner of the thread's subject is the subject's too
    ("RU58841 for a year", ("Mine has held the temples for a year, but I'm also on "
     "finasteride so not clean data.",), {"ru58841": "improved", "finasteride": "improved"}),
    ("Laser cap, one year", ("My cap helped a bit with shedding but I was on minoxidil too.",),
     {"lllt": "improved", "minoxidil": "improved"}),
    ("Topical cetirizine", ("Used it for eight months alongside minoxidil and my crown "
     "thickened.",), {"cetirizine": "improved", "minoxidil": "improved"}),
    # negatives: the partner as the subject of what follows it, a treatment begun "with",
    # "here too" (the replier's own use, not a partner), a sentence naming the subject
    ("Topical cetirizine", ("Also on spironolactone for two years, which has kept my part "
     "stable.",), {"cetirizine": "none", "spironolactone": "improved"}),
    ("Minoxidil for a year", ("Started with finasteride only and the crown filled in.",),
     {"minoxidil": "none", "finasteride": "improved"}),
    ("Pyrilutamide for a year", ("7 months on RU58841 here too, nothing.",),
     {"pyrilutamide": "none", "ru58841": "no_effect"}),
    ("Topical cetirizine", ("Cetirizine with minoxidil thickened my crown.",),
     {"cetirizine": "improved", "minoxidil": "improved"}),
    # (review43) a move after a failure, a replacement, what alone worked: no partner
    ("Saw palmetto", ("Useless for me. Ended up with finasteride, crown regrew.",),
     {"saw_palmetto": "no_effect", "finasteride": "improved"}),
    ("Saw palmetto", ("Useless for me. Swapped it out with finasteride and the crown "
     "regrew.",), {"saw_palmetto": "no_effect", "finasteride": "improved"}),
    ("Saw palmetto", ("Replaced it with finasteride and my crown regrew.",),
     {"saw_palmetto": "none", "finasteride": "improved"}),
    ("Biotin for a year", ("My crown only regrew with finasteride.",),
     {"biotin": "none", "finasteride": "improved"}),
    # ... while a partner still is one, and another person's failure still counts
    ("Saw palmetto", ("Crown regrew, but to be fair I was combining it with finasteride.",),
     {"saw_palmetto": "improved", "finasteride": "improved"}),
    ("Minoxidil", ("I regrew the temples, my brother tried it with finasteride and got "
     "nothing.",), {"minoxidil": "mixed", "finasteride": "mixed"}),
])
def test_a_partner_of_the_unnamed_subject(title: str, replies: tuple[str, ...],
                                          expected: dict[str, str]) -> None:
    assert effects(title, "", replies) == expected


@pytest.mark.parametrize(("title", "body", "expected"), [
    # the speaker credits the whole stack: the gain is each one's
    ("Fin and min", "Finasteride alone for six months: no regrowth. Then I added minoxidil. "
     "A year later my temples are fuller. I credit the whole stack.",
     {"finasteride": "improved", "minoxidil": "improved"}),
    ("Vitamin D fixed my shedding", "Took vitamin D for six months and zinc was added at the "
     "same time, so credit to both I guess.", {"vitamin_d": "improved", "zinc": "improved"}),
    # ... or by name: the gain is only theirs
    ("Full stack, two years", "Finasteride, minoxidil, ketoconazole shampoo and weekly "
     "microneedling. My crown went from see-through to thick. I give the credit to "
     "finasteride and minoxidil.", {"finasteride": "improved", "minoxidil": "improved",
                                    "ketoconazole": "none", "microneedling": "none"}),
    # negatives: a question, a credit denied, a credit for one gain, no gain reported
    ("Fin and min", "Finasteride alone for six months: no regrowth. Then I added minoxidil. "
     "A year later my temples are fuller. Should I credit the whole stack?",
     {"finasteride": "no_effect", "minoxidil": "improved"}),
    ("RU and min", "RU58841 daily for six months alongside minoxidil. Temples slightly "
     "better but minoxidil was doing that anyway, can't credit RU58841 honestly.",
     {"ru58841": "none", "minoxidil": "improved"}),
    ("Ten years", "Finasteride held everything for six years. Then I added minoxidil and "
     "the temples filled in, I credit minoxidil for that.",
     {"finasteride": "improved", "minoxidil": "improved"}),
    ("Fin and min", "Finasteride and minoxidil for a year, I credit the pair for keeping me "
     "sane.", {"finasteride": "none", "minoxidil": "none"}),
    # (review43) "both together" as the subject of what follows, the people thanked, a credit
    # wished or given besides another, a credit to someone else for a treatment: no credit
    ("Stack", "Finasteride regrew my crown and minoxidil gave me a shed. Both together cost "
     "me 40 bucks a month.", {"finasteride": "improved", "minoxidil": "none"}),
    ("Stack", "Finasteride regrew my crown, minoxidil did nothing. Credit to all of you who "
     "told me to start.", {"finasteride": "improved", "minoxidil": "no_effect"}),
    ("Stack", "Finasteride regrew my crown. I'd give credit to minoxidil too but it did "
     "nothing for my temples.", {"finasteride": "improved", "minoxidil": "no_effect"}),
    ("Stack", "Minoxidil regrew my temples and finasteride kept my crown. Credit to my derm "
     "for finasteride, I would never have tried it.",
     {"finasteride": "improved", "minoxidil": "improved"}),
    ("Stack", "Finasteride regrew my crown. Minoxidil did nothing for my temples. I took both "
     "together.", {"finasteride": "improved", "minoxidil": "no_effect"}),
    # ... while the stack credited at a clause's end still is
    ("Stack", "Finasteride and minoxidil for a year. Crown filled in. Both together, I think.",
     {"finasteride": "improved", "minoxidil": "improved"}),
])
def test_a_credit_for_the_stack_or_by_name(title: str, body: str,
                                           expected: dict[str, str]) -> None:
    assert effects(title, body) == expected
