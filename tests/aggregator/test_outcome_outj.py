"""Round `outj`: the structure of `mixed` verdicts, each class with invented sentences and
near misses that must not fire: a bare "nothing" verdict told after or in a span, after a count
of sessions, or of one hair area beside a gain in another; a verdict "for some" / "for others"
is not the writer's; the treatment that failed, named in an "after" / "when" clause, is not
credited with the other treatment's gain; a good spell that wore off; a gain that came late
("did nothing until month nine"); a dud; a bare "nothing" before an emoji."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import effect, effects


@pytest.mark.parametrize(("treatment", "title", "body", "replies", "expected"), [
    # a reply's span and a bare verdict, against the poster's gain: two speakers who disagree
    ("rosemary_oil", "Rosemary oil, does it work?", "Five months of rosemary oil and my "
     "temples filled in a little.", ("4 months nothing except a greasy pillow",), "mixed"),
    ("biotin", "Biotin thread", "Biotin for a year, my nails grew faster and the crown got "
     "thicker.", ("Biotin for a whole year and nothing, not even less shedding.",), "mixed"),
    ("lllt", "Laser cap review", "The laser cap helped my shedding a bit.",
     ("my laser cap was an expensive hat. nothing in a year",), "mixed"),
    ("lllt", "Laser cap review", "The laser cap helped my shedding a bit.",
     ("Did six months of it and honestly nothing.",), "mixed"),
    ("pumpkin_seed_oil", "Pumpkin seed oil", "Pumpkin seed oil thickened my part.",
     ("same story here, eight months nada",), "mixed"),
    ("prp", "PRP", "Three PRP sessions and my crown is denser.",
     ("I did PRP too, nothing after five sessions.",), "mixed"),
    ("rosemary_oil", "Rosemary oil", "Rosemary oil brought back some fuzz.",
     ("Ten months of rosemary on my crown, nothing either.",), "mixed"),
    # near misses: nothing lost is a hold; "nothing" of the side effects; "nothing else"
    ("finasteride", "Fin", "Finasteride for three years and I've lost nothing in a year.",
     (), "none"),
    ("finasteride", "Fin", "On finasteride. For three years nothing moved, it held.", (),
     "improved"),
    ("finasteride", "Fin", "Fin for a year and the crown filled in.",
     ("Side effects after a year: nothing.",), "improved"),
    ("finasteride", "Fin", "Fin for a year and the crown filled in.",
     ("Fin for two years and nothing else, my crown is thick too.",), "improved"),
])
def test_a_bare_verdict_after_a_span(treatment: str, title: str, body: str,
                                     replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, title, body, replies) == expected


@pytest.mark.parametrize(("treatment", "body", "expected"), [
    # one speaker, one area better and another not
    ("microneedling", "Dermaroller every week for a year. Temples came back, crown nope.",
     "mixed"),
    ("latanoprost", "Latanoprost for six months gave me long lashes, but scalp nothing.",
     "no_effect"),
    ("minoxidil", "Minoxidil for ten months: my hairline filled in, but the crown nothing.",
     "mixed"),
    # near misses: "nothing special" is no verdict; a colon-less area word with no comma
    ("minoxidil", "Minoxidil for ten months: my hairline filled in, crown nothing special.",
     "improved"),
])
def test_an_area_verdict_beside_a_gain(treatment: str, body: str, expected: str) -> None:
    assert effect(treatment, "update", body) == expected


@pytest.mark.parametrize(("treatment", "replies", "expected"), [
    ("ru58841", ("RU gave me a headache, quit it. Glad it works for some.",), "none"),
    ("ru58841", ("No idea why it works for others.",), "none"),
    ("ru58841", ("It worked for a lot of guys.",), "none"),
    # near misses: "for some reason", "for some months" still speak of the writer
    ("ru58841", ("For some reason RU regrew my temples in four months.",), "improved"),
    ("ru58841", ("Used RU for some months and my hairline filled in.",), "improved"),
])
def test_a_verdict_for_others(treatment: str, replies: tuple[str, ...], expected: str) -> None:
    assert effect(treatment, "RU58841?", "Is RU58841 worth trying?", replies) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Finasteride did nothing. Dutasteride saved my hairline after fin failed.",
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    ("Minoxidil left me unchanged. Spiro worked for me when minoxidil didn't.",
     {"minoxidil": "no_effect", "spironolactone": "improved"}),
    ("Oral dutasteride after finasteride stopped working - a huge difference.",
     {"finasteride": "no_effect", "dutasteride": "improved"}),
    # near misses: a gain that came after a treatment was added is that one's; one that
    # failed and a gain in its own clause
    ("Finasteride did nothing. My crown only filled in after minoxidil.",
     {"finasteride": "no_effect", "minoxidil": "improved"}),
    ("Minoxidil regrew my crown after finasteride, and finasteride held the hairline.",
     {"finasteride": "improved", "minoxidil": "improved"}),
])
def test_the_failed_one_is_not_credited(body: str, expected: dict[str, str]) -> None:
    assert effects("update", body) == expected


@pytest.mark.parametrize(("treatment", "body", "replies", "expected"), [
    # a good spell, then it wore off: one speaker both ways
    ("minoxidil", "Minoxidil worked well at first, then it stopped working.", (), "mixed"),
    ("minoxidil", "Minoxidil thickened my crown for two years and then it just quit on me.",
     (), "mixed"),
    ("dutasteride", "Dutasteride regrew my temples, but the gains faded after a year.", (),
     "mixed"),
    # a late gain: nothing until a month named, then growth
    ("minoxidil", "Minoxidil for five months and the top is unchanged.",
     ("Mine did nothing until month nine and now my crown is thick.",), "mixed"),
    ("minoxidil", "Minoxidil did nothing until the third month, now it's thicker.", (),
     "improved"),
    # a dud, a bare verdict before an emoji
    ("finasteride", "Finasteride kept my crown full for ten years.",
     ("Eight years of it here. Fin was a dud for me.",), "mixed"),
    ("finasteride", "Finasteride for a year, my crown filled in.",
     ("same pill here, 9 months, nothing 😭",), "mixed"),
    # near misses: a side effect wearing off; a regimen told as empty; a dud graft batch
    ("finasteride", "Finasteride regrew my crown. The brain fog wore off after a month.", (),
     "improved"),
    ("finasteride", "Finasteride did nothing in two years, so I quit.\n---\ncurrently: "
     "nothing 🙃", (), "no_effect"),
])
def test_a_spell_that_ended_or_came_late(treatment: str, body: str, replies: tuple[str, ...],
                                         expected: str) -> None:
    assert effect(treatment, "update", body, replies) == expected


@pytest.mark.parametrize(("reply", "expected"), [
    # a reply that opens with how long, in words, speaks of the writer
    ("Two years on dut, temples filled in.", "improved"),
    ("Six months in and the crown is thicker.", "improved"),
    ("A full year of dutasteride, zero change.", "no_effect"),
    ("14 months of dutasteride and the crown kept thinning.", "no_effect"),
    ("Year two of dut now and the crown is denser.", "improved"),
    # the hair as at an earlier age: held
    ("Seven years on dut and my hairline is the same as at uni.", "improved"),
    # near misses: a claim about others, a span with no report of the writer
    ("Most people see their crown get denser within a year.", "none"),
    ("A year of dutasteride is what most guys need before the crown gets denser.", "none"),
    ("Two years on dut and my scalp is the same as my dad's.", "none"),
])
def test_a_reply_that_says_how_long(reply: str, expected: str) -> None:
    assert effect("dutasteride", "Dutasteride worth it?", "Is dutasteride worth it?",
                  (reply,)) == expected


@pytest.mark.parametrize(("reply", "expected"), [
    # "instead" after a choice told as made: a report, not a hypothetical
    ("I took dut instead and it regrew my temples.", "improved"),
    ("Went with dutasteride instead, nothing after a year.", "no_effect"),
    # (merge of outi and outj) in use, closing its clause ("Had PRP instead, same story")
    ("Using dutasteride instead, 5 months, my crown looks a bit fuller.", "improved"),
    ("Had dutasteride instead, same story, nothing after a year.", "no_effect"),
    # near misses: advice and a wish stay hypothetical
    ("You should take dut instead and it will regrow your temples.", "none"),
    ("I'd try dut instead, it regrew my brother's temples.", "none"),
    ("Maybe try dut instead, 5 months might make your crown fuller.", "none"),
])
def test_instead_after_a_choice_made(reply: str, expected: str) -> None:
    assert effect("dutasteride", "Fin or dut?", "Finasteride or dutasteride?",
                  (reply,)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a treatment stopped for the one the post is about is no topic for what follows
    ("Dutasteride mesotherapy, four sessions. I stopped oral fin for this because of my "
     "libido. The crown looks a bit thicker now.",
     {"finasteride": "none", "dutasteride": "improved", "mesotherapy": "improved"}),
    # near miss: a stop told without "for this" joins the topic as before
    ("Dutasteride mesotherapy, four sessions. I stopped oral fin. The crown looks a bit "
     "thicker now.",
     {"finasteride": "improved", "dutasteride": "improved", "mesotherapy": "improved"}),
])
def test_a_treatment_stopped_for_another(body: str, expected: dict[str, str]) -> None:
    assert effects("update", body) == expected
