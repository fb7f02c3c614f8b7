"""The summary's labels: who says what ("A poster asks:", "One reply:", "Another:", "The
poster adds:"), counted in the 45 words, and the same sentences without them."""

from __future__ import annotations

from aggregator.summaries import MAX_WORDS, summarise


def test_labels_say_who_says_what() -> None:
    """"asks" only where the part holds a question mark; "A reply:" for a lone reply, else
    "One reply:" then "Another:"; the labels' words count in the 45."""
    body = "Six months of fin and my crown filled in."
    one = summarise("Fin at six months", body, ["Mine filled in by month eight on it."])
    assert one == ("A poster says: Fin at six months. Six months of fin and my crown filled "
                   "in. A reply: Mine filled in by month eight on it.")
    asked = summarise("Fin at six months", "Is this normal? " + body,
                      ["Which dose are you on right now?", "Totally normal, keep going with it.",
                       "Mine filled in too after about eight months of it."])
    assert asked.startswith("A poster asks: Fin at six months.")
    assert "One reply asks: Which dose are you on right now? Another: Totally normal" in asked
    assert "Another: Mine filled in" in asked
    # near misses: "?" inside a reply's other sentence does not make its label ask; a
    # question mark only in the poster's unchosen text does not make the poster ask
    near = summarise("Fin at six months", body + " " + "word " * 80 + "why?",
                     ["Keep going, it works for most people. Why stop?"])
    assert near.startswith("A poster says:") and "A reply: Keep going" in near
    # no poster text (a title without letters, no body): the replies alone, no empty label
    assert summarise("!!!", "", ["Works great for me, keep at it."]) == \
        "A reply: Works great for me, keep at it."
    long = summarise("t " * 60, "b " * 200, ["r " * 60, "s " * 60, "u " * 60])
    assert len(long.split()) <= MAX_WORDS and "One reply:" in long


def test_a_quoted_line_leading_a_reply_is_left_out() -> None:
    """Forums flatten a quote to "Quote: ..." on the reply's first line (or "Quote:" alone,
    an "Originally Posted by" line and the quoted line): the reply's own words are taken."""
    for reply in ("Quote: shedding is way down\n\nsame here, dut killed my drive for two months.",
                  "Quote:\nOriginally Posted by ffwd\nshedding is way down\n\nsame here, dut "
                  "killed my drive for two months.",
                  "quote: shedding is way down\nsame here, dut killed my drive for two months."):
        summary = summarise("Dut year one", "Shedding is way down after a year of dut.", [reply])
        assert "A reply: same here, dut killed my drive" in summary, reply
        assert "Quote" not in summary and "Posted" not in summary
    # near misses: "quote" not as a leading "Quote:" stays as written
    for reply in ("My favourite quote: hair today, gone tomorrow, so take it easy.",
                  "Quoted prices: 300 a session for PRP around here, so not cheap."):
        assert reply.split()[0] in summarise("PRP", "Anyone tried PRP here lately?", [reply])


def test_a_reply_marked_as_the_posters_is_labelled_as_the_posters() -> None:
    replies = ["Any libido trouble from the finasteride so far?",
               "[OP] nope, zero issues there, knock on wood.",
               "Same stack here for two years, crown filled in nicely."]
    summary = summarise("Fin and min, 14 months", "Crown is covered again after 14 months.",
                        replies)
    assert "One reply asks: Any libido trouble" in summary
    assert "The poster adds: nope, zero issues there" in summary
    assert "Another: Same stack here" in summary  # the poster is not "another" replier
    # near miss: "OP" inside a reply is no marker; the lone other reply is "A reply:"
    summary = summarise("Fin and min, 14 months", "Crown is covered again.",
                        ["[OP] still holding at 18 months, no shedding either.",
                         "Ask OP for pictures, that would help everyone."])
    assert "The poster adds: still holding at 18 months" in summary
    assert "A reply: Ask OP for pictures" in summary


def test_a_clipped_reply_keeps_six_words_of_its_own_besides_its_label() -> None:
    body = ("Two years on finasteride and minoxidil foam, from a clear NW4 to a solid NW3 in "
            "the pictures.")
    replies = ["The foam is underrated here.",
               "Microneedling made my scalp bleed so much that I gave up after three sessions.",
               "What length would you use for the needles on the crown area?"]
    summary = summarise("Big 3 update after two years", body, replies)
    # seven words were left: two for "Another asks:" and five of the question, too few
    assert len(summary.split()) == 38 and "What length" not in summary
    assert summary.endswith("Another: Microneedling made my scalp bleed so much that I gave up "
                            "after three sessions.")
    # near miss: with eight words left the question is clipped, not dropped (six of its own)
    shorter = summarise("Big 3 update after two years", body, [
        replies[0], "Microneedling made my scalp bleed so much that I gave up after three.",
        replies[2]])
    assert "Another asks: What length would you use for…" in shorter


def test_unlabelled_summaries_hold_the_same_sentences_without_the_labels() -> None:
    replies = ["Any libido trouble from the finasteride so far?",
               "[OP] nope, zero issues there, knock on wood.",
               "Same stack here for two years, crown filled in nicely."]
    summary = summarise("Fin and min, 14 months", "Crown is covered again.", replies)
    bare = summarise("Fin and min, 14 months", "Crown is covered again.", replies,
                     labelled=False)
    assert bare == (
        "Fin and min, 14 months. Crown is covered again. Any libido trouble from the "
        "finasteride so far? nope, zero issues there, knock on wood. Same stack here for two "
        "years, crown filled in nicely.")
    assert len(summary.split()) - len(bare.split()) == 3 + 3 + 3 + 1  # the four labels
    # near miss: label-like words the thread itself writes stay (only labels go)
    own = summarise("Another: my story", "A reply: I got from my derm was useless.",
                    labelled=False)
    assert own.startswith("Another: my story. A reply: I got")


def test_a_quoted_line_then_op_marker_is_the_posters_reply() -> None:
    replies = ["Which shampoo do you use with it, and how often?",
               "Quote: which shampoo\n[OP] ketoconazole twice a week, left on for five minutes."]
    summary = summarise("Big 3 update", "Crown is covered again after a year.", replies)
    assert "The poster adds: ketoconazole twice a week" in summary
    assert "A reply asks: Which shampoo" in summary
