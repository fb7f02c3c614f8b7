"""Thread summaries and the lead / TextRank baselines."""

from __future__ import annotations

import re

import pytest

from aggregator.summaries import (
    MAX_WORDS,
    clean,
    lead_summary,
    summarise,
    textrank_scores,
    textrank_summary,
)

TITLE = "14 months of fin + oral min: crown is covered again"
BODY = ("Posting for the older guys. I'm 45 and my crown had been thinning since my late 30s. "
        "Regimen: fin 1mg every morning, oral minoxidil 1.25mg at night, Nizoral twice a week. "
        "14 months later my crown is covered again and my daughter noticed. "
        "Downsides: puffy ankles for six weeks and hairier eyebrows.")
REPLIES = ["Massive difference on the crown!",
           "Ankle swelling on oral min here too, mine never went away so I dropped the dose.",
           "good to see someone our age posting"]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w']+", text)}


def test_summary_is_short_and_from_the_thread() -> None:
    summary = summarise(TITLE, BODY, REPLIES)
    assert len(summary.split()) <= MAX_WORDS
    assert summary.startswith("A poster says: 14 months of fin")
    assert "One reply: Massive difference" in summary and "Another: Ankle swelling" in summary
    # extractive: every word comes from the thread (or the labels)
    assert words(summary) - words(" ".join([TITLE, BODY, *REPLIES])) <= \
        {"a", "poster", "says", "asks", "one", "reply", "another"}


def test_summary_without_replies_or_body() -> None:
    assert summarise("Is oral minoxidil safe for women?") == \
        "A poster asks: Is oral minoxidil safe for women?"
    assert summarise("Title only", "", []) == "A poster says: Title only."
    only_link = summarise("Look at this", "https://example.com/pic.jpg")
    assert only_link == "A poster says: Look at this."
    assert summarise("", "") == ""


@pytest.mark.parametrize("body", [
    "word " * 30_000,
    "🙂" * 5000,
    "[quote=\"x\"]quoted text[/quote] [b]bold[/b] **md** [link](https://x.io) <b>html</b>",
    "El minoxidil me funcionó muy bien. 头发变多了。",
])
def test_bad_input_summaries(body: str) -> None:
    summary = summarise("Thread", body, ["reply " * 200])
    assert len(summary.split()) <= MAX_WORDS
    assert "[b]" not in summary and "https://" not in summary and "quoted text" not in summary


def test_clean_removes_markup() -> None:
    assert clean("**Regimen:** [b]fin[/b] and [min](https://x.io) > quoted") == \
        "Regimen: fin and min > quoted"


def test_a_removed_link_leaves_no_stray_marks() -> None:
    """A URL in brackets takes its brackets with it (the bracket closing one opened before
    the URL is not part of it), a label whose link is gone ends as a sentence, and a clipped
    part ends on a word, not on a colon and a space."""
    assert clean("Their data (https://doi.org/10.5/x.1) showed gains") == "Their data showed gains"
    assert clean("back at the top (https://x.io/wiki/index)? ok") == "back at the top? ok"
    assert clean("see https://en.x.org/wiki/A_(b) now") == "see now"
    summary = summarise("The poll", "Quick poll in the comments: https://x.io/p\nfin only", ())
    assert ":." not in summary and "comments." in summary
    from aggregator.summary_fit import _clip
    long = "Closest thing to a trial is a pilot: — " + "word " * 60
    assert _clip(long, 20) == "Closest thing to a trial is a pilot…"
    assert summarise("Any data?", long, ()).endswith("is a pilot…")


def test_baselines() -> None:
    assert lead_summary(TITLE, BODY).split() == f"{TITLE} {BODY}".split()[:MAX_WORDS]
    summary = textrank_summary(TITLE, BODY, REPLIES)
    assert 0 < len(summary.split()) <= MAX_WORDS
    # the sentence sharing the most words with the others ranks first
    scores = textrank_scores(["fin and min regrew my crown", "my crown regrew on fin and min",
                              "the weather is nice today"])
    assert scores[2] < min(scores[0], scores[1])


def test_textrank_baseline_clips_at_a_word() -> None:
    """The baseline keeps its plain word clipping (the clause clipping is hairlink's)."""
    body = "one two three, four five six seven eight nine ten eleven twelve thirteen."
    assert textrank_summary("", body, limit=6) == "one two three, four five six…"


def test_filler_is_left_out() -> None:
    summary = summarise("Six months of fin", "Hi all, long time lurker. Fin filled in my crown "
                        "after six months with no sides at all.", ["Congrats!!",
                        "Thanks for sharing.", "Add min and the temples may follow too."])
    assert "lurker" not in summary and "Congrats" not in summary and "Thanks" not in summary
    assert "filled in my crown" in summary and "temples may follow" in summary
    assert len(summary.split()) <= 45


def test_shorthand_is_spelled_out_for_tagged_treatments_only() -> None:
    title, body = "fin + min 8 months (27M)", "Derm put me on fin. No sides lol 😅 at all."
    replies = ["Keep going, 5 min of massage a day won't hurt either. Keto diet helped me."]
    summary = summarise(title, body, replies, treatments={"finasteride", "minoxidil"})
    assert summary.startswith(
        "A poster says: finasteride + minoxidil eight months (27-year-old).")
    assert "Dermatologist put me on finasteride." in summary
    assert "No side effects at all." in summary and "lol" not in summary and "😅" not in summary
    # minutes and the diet are not treatments
    assert "5 min of massage" in summary
    # without the thread's tags the treatment aliases stay as written
    untagged = summarise(title, body, replies)
    assert "fin + min" in untagged and "finasteride" not in untagged


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Keto diet and keto shampoo.", "Keto diet and ketoconazole shampoo."),
    ("Nizoral for my seb derm, says my derm.", "Nizoral for my seb derm, says my dermatologist."),
    ("2.5 months, 1-2 years, 3 sessions, 20 years.",
     "2.5 months, 1-2 years, three sessions, 20 years."),
    ("F34 here, on RU and HT, r u sure, ht.",
     "34-year-old woman here, on RU58841 and hair transplant, r u sure, ht."),
    ("the sides of my head, zero sides", "the sides of my head, zero side effects"),
    ("Keto 2x a week, keto sides", "Ketoconazole twice a week, ketoconazole side effects"),
    ("lol", "lol"),
    # hedges go like the asides; one opening the sentence or a bracket takes its comma along
    # (a capitalised one opening the sentence passes its capital on)
    ("Honestly, it works. I literally think so, tbh.", "It works. I think so."),
    ("(tbh, it's a shampoo) smh", "(it's a shampoo)"),
    # a hedge that says less stays: "basically back" is not "back"
    ("My crown is basically back.", "My crown is basically back."),
    # near misses: words that only contain one, and a lone one, stay
    ("Honesty matters, basic shampoo is literal soap.",
     "Honesty matters, basic shampoo is literal soap."),
    ("honestly", "honestly"),
])
def test_readable_rewrites(sentence: str, expected: str) -> None:
    from aggregator.shorthand import readable as _readable
    tags = {"ketoconazole", "ru58841", "hair_transplant"}
    assert _readable(sentence, tags) == expected


def test_replies_in_stored_order_and_clause_clipping() -> None:
    replies = ["Top reply says fin held my hairline for years.",
               "Second reply is about something else entirely here."]
    summary = summarise("Question", "Is fin worth it at 30?", replies)
    assert summary.index("Top reply") < summary.index("Second reply")
    long_body = ("My crown thinned after a long stressful year at work, and then my temples "
                 "started going as well, so I finally saw a doctor who suggested many things "
                 "that I have not tried yet because I am scared of side effects.")
    summary = summarise("Where do I start?", long_body, ["Start with the basics first and "
                        "see how your scalp responds over six months before adding anything."])
    assert len(summary.split()) <= MAX_WORDS
    poster = summary.split(" A reply: ")[0]
    assert poster.endswith("…") and poster[:-1].endswith(("well", "work", "doctor", "yet"))


def test_unicode_digits_and_emoji_do_not_break_the_rewrites() -> None:
    summary = summarise("fin ² test", "Took fin for ² months and ٣ months, 3 months 😅.",
                        ["ok ² fin 2 weeks 🙂"], treatments={"finasteride"})
    assert summary == ("A poster says: finasteride ² test. Took finasteride for ² months and ٣ "
                       "months, three months. A reply: ok ² finasteride two weeks.")


@pytest.mark.parametrize(("sentence", "expected"), [
    # the tagger's context rules: minutes, a minimum, the diet are not treatments
    ("Wait a few min after applying it.", "Wait a few min after applying it."),
    ("Let it dry for a min.", "Let it dry for a min."),
    ("take the min dose", "take the min dose"),
    # beside the treatment's own name an alias is left as written ("fin de semana")
    ("Finasteride y el fin de semana", "Finasteride y el fin de semana"),
    ("oral min gave me a dense crown", "oral minoxidil gave me a dense crown"),
    ("Fin + min for 8 months, no sides.",
     "Finasteride + minoxidil for eight months, no side effects."),
    # birth control is not "because"; the sides of the head; "2x" only as a frequency
    ("Went off BC and started spiro.", "Went off BC and started spironolactone."),
    ("Hair thinning from sides and crown, had sides shaved.",
     "Hair thinning from sides and crown, had sides shaved."),
    ("2x stronger than before, keto 2x a week.",
     "2x stronger than before, ketoconazole twice a week."),
])
def test_aliases_spelled_out_only_where_the_tagger_reads_the_treatment(
        sentence: str, expected: str) -> None:
    from aggregator.lexicon import load_lexicon
    from aggregator.shorthand import InSentence
    from aggregator.shorthand import readable as _readable
    from aggregator.tagger import Tagger
    tagged = {"minoxidil", "finasteride", "spironolactone", "ketoconazole"}
    assert _readable(sentence, InSentence(tagged, Tagger(load_lexicon()).tag)) == expected
