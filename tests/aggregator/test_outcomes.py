"""Outcome extraction on hand-written threads: one test per rule of OUTCOMES.md, cue files."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcomes import (
    Outcome,
    OutcomeCueError,
    load_outcome_cues,
    thread_outcomes,
)
from aggregator.tagger import Tagger

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()


def outcomes(title: str, body: str = "", replies: tuple[str, ...] = ()) -> dict[str, Outcome]:
    return thread_outcomes(TAGGER, CUES, title, body, list(replies))


def effect(title: str, body: str = "", replies: tuple[str, ...] = (),
           treatment: str = "minoxidil") -> str:
    return outcomes(title, body, replies)[treatment].effect


def sides(title: str, body: str = "", replies: tuple[str, ...] = (),
          treatment: str = "minoxidil") -> tuple[str, ...]:
    return outcomes(title, body, replies)[treatment].side_effects


def test_first_hand_reports() -> None:
    assert effect("Update", "Minoxidil regrew my crown in 8 months.") == "improved"
    assert effect("Update", "Rogaine did nothing for me after a year.") == "no_effect"
    assert effect("Update", "Finasteride kept my hairline stable for 6 years.",
                  treatment="finasteride") == "improved"
    assert effect("Question", "Does minoxidil work for temples?") == "none"
    assert outcomes("Nothing here", "Just a chat about the weather.") == {}


def test_negation_scoping() -> None:
    assert sides("Fin year one", "Finasteride for a year, zero sides so far.",
                 treatment="finasteride") == ()
    assert sides("Min update", "Minoxidil 5%, I didn't shed at all.") == ()
    assert sides("Min update", "Minoxidil foam made my scalp itchy.") == ("skin",)
    assert sides("Fin", "On fin 1mg daily. Libido is fine.", treatment="finasteride") == ()
    # a negated gain is a weak "no effect": it stands alone, but not against a gain
    assert effect("Min", "On minoxidil a year, no regrowth at all.") == "no_effect"
    assert effect("Min", "On minoxidil a year: no regrowth, but my crown is stable "
                  "which was the goal.") == "improved"


def test_negation_scope_ends_at_a_cue_of_the_other_class() -> None:
    # ConText termination: "zero sides" does not reach the gain after it
    assert effect("Fin 8 months", "Now 8 months on fin with zero sides and my hairline is "
                  "better than last year.", treatment="finasteride") == "improved"
    # side effects listed after one negation are all negated
    assert sides("Min", "Minoxidil foam for a year, no itching or flaking at all.") == ()
    # after an effect cue only a plain "none" negates it, not "fine"
    assert effect("Fin", "Fin has been holding my hair fine for years.",
                  treatment="finasteride") == "improved"
    # "0.5mg" is no negation
    assert effect("Dut", "Dut 0.5 daily and my crown is fuller now.",
                  treatment="dutasteride") == "improved"
    assert sides("Dut", "Dut for a year, 0 sides.", treatment="dutasteride") == ()


def test_a_treatment_named_in_an_aside_is_not_the_topic() -> None:
    found = outcomes("Dut + LDOM 18 months", "Went straight to dut (fin did nothing for me) "
                     "and 2.5mg LDOM. Crown closed, hairline thickened.")
    assert found["finasteride"].effect == "no_effect"
    assert found["dutasteride"].effect == "improved"
    assert found["minoxidil"].effect == "improved"


def test_loss_words_count_only_about_hair() -> None:
    assert effect("Dut", "Dut made my anxiety way worse.", treatment="dutasteride") == "none"
    assert effect("Fin", "18 months on finasteride and my crown is worse.",
                  treatment="finasteride") == "no_effect"


def test_ordinary_phrasings_and_hedges() -> None:
    assert effect("LDOM", "2 years of oral minoxidil, the top is thick again.") == "improved"
    assert effect("Iron", "Fixing my ferritin with iron stopped my diffuse shedding.",
                  treatment="iron") == "improved"
    assert effect("Min", "Been on minoxidil a year, I'm seeing early fuzz on my temples.") \
        == "improved"
    # doubt whether anything happened: nothing counted; doubt about which one did it: counted
    assert effect("Meso", "Did 4 sessions of mesotherapy, hard to tell, maybe slightly "
                  "thicker but also maybe just lighting.", treatment="mesotherapy") == "none"
    assert effect("Tret", "Added tretinoin to my routine. Crown got a bit better, hard to "
                  "say if it was the tret.", treatment="tretinoin") == "improved"
    # a cause clause names its own treatment
    assert effect("Bica", "Starting bicalutamide because spiro didn't help me at all.",
                  treatment="bicalutamide") == "none"


def test_side_effect_scoping() -> None:
    # a sentence about the sessions pins its side effects to the procedure
    both = outcomes("MN + min", "Dermaroller weekly with my minoxidil for a year. Bleeding and "
                    "scabs for a day after each session.")
    assert both["microneedling"].side_effects == ("other",)
    assert both["minoxidil"].side_effects == ()
    # a drug injected in the sessions shares them
    meso = outcomes("Dut meso", "4 sessions of dutasteride mesotherapy. The sessions hurt "
                    "like hell.")
    assert meso["dutasteride"].side_effects == ("other",)
    # "went to zero" reports the side effect; "I thought I had sides" does not
    assert sides("Fin", "On finasteride, my libido went to zero.",
                 treatment="finasteride") == ("sexual",)
    assert sides("Nocebo", "Week 2 on finasteride I thought I had sides, it was exam stress.",
                 treatment="finasteride") == ()
    # pain beside a breast cue is the breast side effect, not another one
    assert sides("Dut", "2 months on dutasteride, my nipple got tender, like it hurts when "
                 "my shirt rubs.", treatment="dutasteride") == ("breast",)
    # a feeling about the hair loss, and "a pain" meaning a hassle, are not side effects
    assert sides("Fin", "Honestly anxious about starting, but 6 months on finasteride now.",
                 treatment="finasteride") == ()
    assert sides("Min", "Minoxidil twice a day is such a pain.") == ()
    # a condition the person already had
    assert sides("Fin", "I have a history of depression and have been on finasteride 4 "
                 "years.", treatment="finasteride") == ()


def test_hypotheticals_and_fears_are_not_reports() -> None:
    assert sides("Fin?", "I'm scared of brain fog if I start finasteride.",
                 treatment="finasteride") == ()
    assert sides("Fin?", "If I get sides on finasteride I will just stop.",
                 treatment="finasteride") == ()
    assert effect("Fin?", "Thinking about finasteride, hoping it regrows my temples.",
                  treatment="finasteride") == "none"


def test_studies_and_generalities_are_not_reports() -> None:
    assert effect("Paper", "The study showed minoxidil regrew hair in 60% of participants."
                  ) == "none"
    assert sides("Fin", "Most people on finasteride never get sexual sides.",
                 treatment="finasteride") == ()
    assert sides("Min", "Minoxidil can cause a shed in the first weeks.") == ()
    # a first-person sentence still counts next to a generic word
    assert sides("Biotin", "I took biotin for a year.", ("The acne from biotin is so common, "
                                                         "same thing happened to me.",),
                 treatment="biotin") == ("skin",)


def test_attribution_in_multi_treatment_threads() -> None:
    found = outcomes("Fin vs dut", "Fin did nothing in 18 months, dut turned it around.")
    assert found["finasteride"].effect == "no_effect"
    assert found["dutasteride"].effect == "improved"
    combo = outcomes("Stack", "Fin + min regrew my crown.")
    assert combo["finasteride"].effect == combo["minoxidil"].effect == "improved"
    # a heading carries its treatment into the next sentences
    found = outcomes("Regimen", "Downsides, all from the minoxidil: my ankles got puffy and "
                     "my eyebrows are getting hairier.\nFinasteride: no issues.")
    assert found["minoxidil"].side_effects == ("cardio", "body_hair")
    assert found["finasteride"].side_effects == ()


def test_unspecified_sides_depend_on_the_treatment() -> None:
    assert sides("Quit", "I quit fin after a month because of the sides.",
                 treatment="finasteride") == ("sexual",)
    assert sides("Quit", "I quit rosemary oil after a month because of the sides.",
                 treatment="rosemary_oil") == ("other",)


def test_replies_disagreeing_make_it_mixed() -> None:
    title, body = "Rosemary oil", "Six months of rosemary oil, it did nothing for me."
    assert effect(title, body, treatment="rosemary_oil") == "no_effect"
    reply = "My wife used rosemary oil and her shedding stopped within 2 months."
    assert effect(title, body, (reply,), treatment="rosemary_oil") == "mixed"
    # a reply without a first-person marker is a comment, not a report
    assert effect(title, body, ("Massive difference, it looks thicker.",),
                  treatment="rosemary_oil") == "no_effect"


def test_partial_result_by_one_person_is_mixed() -> None:
    assert effect("7 months sublingual min", "Crown: clearly denser now.\n"
                  "Temples: worse than when I started.") == "mixed"


def test_op_replies_are_the_posters() -> None:
    body = "Minoxidil for a year, crown is denser."
    assert effect("Min", body, ("[OP] update: actually the crown is thinner again.",)
                  ) == "mixed"


def test_too_early_and_quoted_speech() -> None:
    assert effect("Week 2", "Just started minoxidil, no regrowth yet obviously.") == "none"
    assert effect("Clinic", "The clinic told me minoxidil 'regrows hair in weeks'.") == "none"


@pytest.mark.parametrize("body", [
    "", "https://example.com/minoxidil-results.jpg", "minoxidil 🙂🙂🙂 " * 20,
    "[b]minoxidil[/b] <script>alert(1)</script> **bold** [url=x]y[/url]",
    "El minoxidil me funcionó, tengo más pelo. 头发 ミノキシジル",
])
def test_bad_input_gives_none(body: str) -> None:
    found = outcomes("minoxidil", body)
    assert found["minoxidil"] == Outcome("none", ())


def test_long_body_is_fast_and_safe() -> None:
    body = ("I use minoxidil and rosemary oil daily. " + "lorem ipsum dolor " * 40 + "\n") * 140
    assert len(body) > 100_000
    started = time.perf_counter()
    found = outcomes("Long", body)
    assert time.perf_counter() - started < 2.0
    assert found["minoxidil"].effect == "none"


@pytest.mark.parametrize(("content", "message"), [
    ("[effect]\nimproved = [\"ok\"]\nno_effect = \"not a list\"\n",
     r"cues\.toml: line 3: \[effect\] no_effect"),
    ("[side_effects]\nsexual = [\"ok\"]\nhairy = [\"x\"]\n",
     r"line 3: \[side_effects\] hairy: unknown key"),
    ("[patterns]\nimproved = [\"(unclosed\"]\n", r"line 2: \[patterns\] improved: bad pattern"),
    ("[told_by]\nmicroneedling = [\"ok\"]\nprp = [\"(unclosed\"]\n",
     r"line 3: \[told_by\] prp: bad pattern"),
    ("[told_by]\nprp = \"not a list\"\n", r"line 2: \[told_by\] prp: must be a list"),
    ("[effect\n", r"cues\.toml: not valid TOML.*line 1"),
])
def test_malformed_cue_file_names_file_line_and_key(tmp_path: Path, content: str,
                                                    message: str) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(OutcomeCueError, match=message):
        load_outcome_cues(bad)


def test_user_cue_file_extends_the_packaged_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text("[effect]\nimproved = [\"hair is lit\"]\n", encoding="utf-8")
    cues = load_outcome_cues(extra)
    assert cues.version_hash != CUES.version_hash
    found = thread_outcomes(TAGGER, cues, "Min", "On minoxidil 5 months, my hair is lit.")
    assert found["minoxidil"].effect == "improved"
    assert outcomes("Min", "On minoxidil 5 months, my hair is lit.")["minoxidil"].effect \
        == "none"


def test_a_user_told_by_entry_makes_a_sentence_naming_none_that_treatments(
        tmp_path: Path) -> None:
    title, body = "PRP and minoxidil", "PRP sessions and minoxidil for a year."
    reply = "Got three rounds of injections in my scalp. Not a single new hair."
    assert thread_outcomes(TAGGER, CUES, title, body, [reply])["minoxidil"].effect \
        == "no_effect"
    extra = tmp_path / "mine.toml"
    extra.write_text("[told_by]\nprp = ['rounds of injections']\n", encoding="utf-8")
    found = thread_outcomes(TAGGER, load_outcome_cues(extra), title, body, [reply])
    assert found["prp"].effect == "no_effect" and found["minoxidil"].effect == "none"


@pytest.mark.parametrize(("pattern", "hint"), [
    (r"worked\s+for me", "worked"),
    (r"\d{2,3}%", None),  # a {m,n} quantifier's digits are no literal the text must hold
    (r"[0-9]{1,2}x", "x"),
    (r"a{2}h", "h"),
    (r"(?:came|coming) back", "back"),
    (r"regrew|regrowth", None),  # a top-level alternative
    # a ")", "(" or "|" inside a class is a member: no group closed, no alternative
    (r"nothing(?:(?= ?[.!)])| at all)", "nothing"),
    (r"[(|]came back", "came back"),
    (r"[]|]x", "x"),
])
def test_literal_hint_is_a_literal_every_match_holds(pattern: str, hint: str | None) -> None:
    from aggregator.regex_forms import literal_hint
    assert literal_hint(pattern) == hint
    if hint is not None:  # what the hint gate relies on
        for text in ("it worked for me", "45%", "5x", "aah", "came back", "(came back",
                     "nothing.", "nothing at all", "|x"):
            if re.search(pattern, text):
                assert hint in text


def test_hints_in_finds_every_pattern_literal_the_text_holds() -> None:
    """The one-pass hint search gives what a substring test of each hint gives."""
    from aggregator.outcome_cue_file import hints_in
    cues = load_outcome_cues()
    hints = {h for _, _, h in (*cues.cue_patterns, *cues.scope_patterns) if h}
    assert hints  # (the packaged file has patterns with literals)
    for text in ("did 3 sessions, it worked and my hair came back", "day 12 of minox",
                 "nothing here", "", "didn't slow it down; 4 years on fin, two weeks in"):
        assert hints_in(cues, text) == {h for h in hints if h in text}


def test_the_cues_hash_names_the_readers_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored outcomes are re-read when the reader's code changes, not only its cue file."""
    from aggregator import outcome_cue_file

    before = outcome_cue_file.load_outcome_cues().version_hash
    assert outcome_cue_file.load_outcome_cues().version_hash == before  # (deterministic)
    monkeypatch.setattr(outcome_cue_file, "READER_VERSION", "test")
    assert outcome_cue_file.load_outcome_cues().version_hash != before
