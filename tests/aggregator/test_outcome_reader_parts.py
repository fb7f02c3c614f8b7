"""Parts of the outcome reader (`aggregator.outcome_reading`, `outcome_scope`) checked
against their plain forms: run-on bodies cut into bounded pieces, word counts."""

from __future__ import annotations

import random
import re
from itertools import pairwise

import pytest

from aggregator import outcome_reading, outcome_scope, outcome_sentence_split, outcome_triggers
from aggregator.outcome_reading import _Extraction, read_thread
from tests.aggregator.outcome_helpers import CUES, TAGGER, Thread, labelled_threads
from tests.aggregator.test_outcome_rules import outcomes


def test_a_run_on_body_is_read_in_bounded_pieces() -> None:
    body = "I take fin " + "fin gave me zero sides " * 4500 + "and my hair is thicker"
    assert len(body) > 100_000
    found = outcomes("Fin", body)  # (read in well under a second; hours before the cap)
    assert found["finasteride"].effect == "improved"  # the cue in the last piece still counts
    reader = _Extraction.__new__(_Extraction)
    reader.lowered, reader._unit_sentences = body.lower(), {}
    pieces = reader._sentences(0, len(body))
    assert len(pieces) > 50 and pieces[0][0] == 0 and pieces[-1][1] == len(body)
    assert all(a < b <= a + outcome_sentence_split._MAX_SENTENCE for a, b, _ in pieces)
    assert all(b == c for (_, b, _), (c, _, _) in pairwise(pieces))  # no gap
    assert all(body[b - 1] == " " for _, b, _ in pieces[:-1])  # cut after a space


def test_word_counts_equal_a_scan_on_short_and_long_spans() -> None:
    """`_words` scans a short span and bisects the thread's word starts for a long one:
    both count what `findall` over the span counts."""
    rng = random.Random(4)
    word = re.compile(r"\w+")
    alphabet = "ab é_1-  .,'\n😀ß"
    long_spans = 0
    for size in [40] * 200 + [3 * outcome_scope._SCANNED_SPAN] * 100:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, size)))
        reader = _Extraction.__new__(_Extraction)
        reader.lowered = text
        reader._word_starts = None
        for _ in range(10):
            a, b = sorted((rng.randrange(0, len(text) + 1), rng.randrange(0, len(text) + 1)))
            long_spans += b - a > outcome_scope._SCANNED_SPAN
            assert reader._words(a, b) == len(word.findall(text, a, b)), (text, a, b)
    assert long_spans > 100  # (the bisection path was taken)


def test_scan_form_finds_what_the_written_pattern_finds() -> None:
    """`scan_form` moves a leading `\\b` behind the first character: the same matches over
    random text, with `pos`/`endpos` inside it too (a lookbehind sees before `pos`)."""
    from aggregator.regex_forms import scan_form

    written = [
        r"\b\d+(?:\.\d+)?\+? ?months? (?:on|in)\b",
        r"\bday \d{1,2}\b",
        r"\b\d+ ?years? (?:on|in)\b",
        r"\bab?c",
        r"\bb|c\d",
        r"\b\d+?x",
        # a leading group whose alternatives all start with a letter or digit (readfast)
        r"\b(?:one|two) weeks?",
        r"\b(?:ab|b|c1|d)(?=[^.]*\bx)\d",
        r"\b(?:a[b)]|c)y|d",
    ]
    forms = [scan_form(p) for p in written]
    assert all(f != p and not f.startswith("\\b") for f, p in zip(forms, written, strict=True))
    assert scan_form(r"\b(?:one|two) weeks?") == r"(?:o(?<!\wo)ne|t(?<!\wt)wo) weeks?"
    for kept in (r"\ba?b", r"\b(?:a|b)?x", r"\b(?:[2-9]|two)x", r"\b(?:a?b|c)", r"\b(?:|a)b",
                 r"\b(?:(?:x|y)z|a)"):  # (left as written)
        assert scan_form(kept) == kept
    rng = random.Random(7)
    alphabet = "0123 .abcdxy_é\nmonths in years on day 12 one two weeks )"
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        a, b = sorted((rng.randrange(0, len(text) + 1), rng.randrange(0, len(text) + 1)))
        for pattern, form in zip(written, forms, strict=True):
            expected = [m.span() for m in re.finditer(pattern, text)]
            assert [m.span() for m in re.compile(form).finditer(text)] == expected
            expected = [m.span() for m in re.compile(pattern).finditer(text, a, b)]
            assert [m.span() for m in re.compile(form).finditer(text, a, b)] == expected


def test_star_keys_run_to_the_end_of_their_word() -> None:
    from aggregator.phrase_scanner import PairScanner

    scanner = PairScanner({"improved": ["regrow*"], "no_effect": ["nothing"]}, {"negation": ["no"]})
    text = " no regrowth at all but regrowing and regrow nothing regrowx"
    firsts, everys = scanner.scan(f" {text} ")
    words = [(text[a:b], kind) for a, b, _, kind in firsts]
    assert words == [
        ("regrowth", "improved"),
        ("regrowing", "improved"),
        ("regrow", "improved"),
        ("nothing", "no_effect"),
        ("regrowx", "improved"),
    ]
    assert [(text[a:b], kind) for a, b, kind in everys] == [("no", "negation")]


def test_clause_breaks_are_found_when_first_asked_for() -> None:
    """A sentence's breaks, found lazily, are those of a scan of the sentence alone."""
    from aggregator.outcome_cue_file import load_outcome_cues
    from aggregator.outcome_scope import Sentence

    cues = load_outcome_cues()
    text = "so fin, then min; it (mostly) worked but my scalp - red, though fine"
    here = Sentence(3, len(text) - 5, 0, [], {}, [], text, cues.break_re, cues.strong_break_re)
    assert here.found_breaks is None and here.found_strong is None
    assert here.breaks == [m.start() for m in cues.break_re.finditer(text, 3, len(text) - 5)]
    assert here.strong == [m.start() for m in cues.strong_break_re.finditer(text, 3, len(text) - 5)]
    assert len(here.breaks) > len(here.strong) > 1


def test_a_thread_without_an_opening_quote_mark_quotes_nothing() -> None:
    assert (
        outcomes("Fin", "Fin regrew my crown. I don't regret it, it's great.")["finasteride"].effect
        == "improved"
    )
    assert (
        outcomes("Fin", 'My derm said "fin regrew my crown" lol. I take fin.')["finasteride"].effect
        == "none"
    )


def test_quote_and_procedure_shortcuts_equal_the_plain_searches() -> None:
    """The thread's quote gate (`_opens_a_quote`) and the procedure regex written led by
    characters find what the plain regex searches find, on random text and spans."""
    from aggregator.outcome_cue_file import _procedure_re
    from aggregator.outcome_scope import _OPEN_QUOTE, _opens_a_quote

    words = ["session*", "needling", "post op", "donor", "3d", "x_y*", "-dash", ".dot"]
    led = _procedure_re(words)
    plain = re.compile(
        r"\b(?:"
        + "|".join(
            re.escape(w.lower().rstrip("*")) + (r"\w*" if w.endswith("*") else r"\b") for w in words
        )
        + ")"
    )
    assert led.pattern != plain.pattern
    rng = random.Random(3)
    pieces = [
        "session",
        "sessions",
        "needling",
        "post op",
        "donor",
        "3d",
        "x_yz",
        "-dash",
        ".dot",
        "a",
        " ",
        ".",
        "_",
        "é",
        "'",
        '"',
        "“",
        "‘",
        "don't",
        "'so'",
    ]
    found = quoted = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        a, b = sorted((rng.randrange(0, len(text) + 1), rng.randrange(0, len(text) + 1)))
        expected = plain.search(text, a, b)
        got = led.search(text, a, b)
        assert (got and got.span()) == (expected and expected.span()), (text, a, b)
        found += expected is not None
        opens = _OPEN_QUOTE.search(text) is not None
        assert _opens_a_quote(text) == opens, text
        quoted += opens
    assert found > 1000 and quoted > 1000  # (both answers were exercised)


Triggers = dict[str, list[tuple[int, int]]]


def _triggers_both_ways(threads: list[tuple[str, str, list[str]]],
                        ) -> list[tuple[list[tuple[int, int, str]], Triggers, Triggers,
                                        Triggers, bool, bool]]:
    """Each cue sentence's cues; its triggers as `_sentence_triggers` finds them in a reply
    with no first person yet, as it does with every `content` pattern run (an `unchanged`
    cue outside the sentence added, which covers no trigger) and as it does once the writer
    spoke in the first person; whether it holds a first-person trigger (the plain answer: a
    scanned one, or any first-person pattern's match); whether it is in the title."""
    from aggregator.outcome_reading import read_thread
    from tests.aggregator.outcome_helpers import CUES, TAGGER

    pairs = []
    for title, body, replies in threads:
        _, lowered, norm, mentions = TAGGER.tag_text(title, body, replies)
        reading = read_thread(CUES, [title, body, *replies], mentions, (lowered, norm)) \
            if mentions else None
        if reading is None:
            continue
        for u_start, u_end, _ in reading.units:
            for start, end, _ in reading._sentences(u_start, u_end):
                cues = [c for c in reading.found if start <= c[0] < end]
                if cues:
                    pairs.append((cues, reading._sentence_triggers(start, end, cues),
                                  reading._sentence_triggers(start, end,
                                                             [*cues, (-2, -1, "unchanged")]),
                                  reading._sentence_triggers(start, end, cues, True),
                                  reading._has_first_person(start, end),
                                  start <= reading.units[0][1]))
    return pairs


def test_sentence_triggers_equal_the_plain_path_where_read() -> None:
    """A sentence without an `unchanged` cue skips the `content` patterns: its triggers are
    the plain path's without the `content` ones that only those patterns found; with one,
    they are the plain path's. First-person patterns stop at the first trigger found, and
    once the writer spoke in the first person they run only where the answer is asked for
    (research talk or a generic trigger in the sentence, a title)."""
    from tests.aggregator.outcome_helpers import labelled_threads

    only, reader = outcome_triggers._READ_ONLY_FOR
    made = [("Fin, 6 years", "Five years of finasteride, crown is thicker, still a NW2. "
             "Six years on fin and my hairline is the same. No sides.", []),
            ("Minoxidil", "Been on minoxidil for 3 years, hair looks identical and I am "
             "happy it stopped the shedding.", ["4 years of dut here, hairline unchanged, "
                                                "libido dropped though."])]
    pairs = _triggers_both_ways(made + labelled_threads(("outcomes_a", "outcomes_b",
                                                         "outcomes_c")))
    skipped = read = own = unasked = 0
    for cues, fast, plain, spoken, first_person, in_title in pairs:
        # first-person triggers: the plain answer to whether there is one (all that is read:
        # `test_first_person_triggers_are_only_asked_for`)
        assert ("first_person" in fast) == ("first_person" in plain) == first_person
        own += first_person
        if "research" in fast or "generic" in fast or in_title:
            assert ("first_person" in spoken) == first_person
        else:
            unasked += ("first_person" in spoken) != first_person
        fast.pop("first_person", None)
        plain.pop("first_person", None)
        spoken.pop("first_person", None)
        assert spoken == fast
        if any(kind == reader for _, _, kind in cues):
            assert fast == plain
            read += only in plain
        else:
            assert {k: v for k, v in fast.items() if k != only} == \
                {k: v for k, v in plain.items() if k != only}
            skipped += fast.get(only) != plain.get(only)
    assert len(pairs) > 1000 and skipped > 0 and read > 0 and 0 < own < len(pairs)
    assert unasked > 0  # (patterns not run where nothing asks)


def test_the_content_skip_changes_no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard of `_READ_ONLY_FOR`: with the skip off (no kind skipped) every labelled
    thread reads the same, outcomes, trace and notes (a rule that came to read `content`
    triggers for another cue kind would make the skip wrong and fail here)."""
    threads = labelled_threads(("outcomes_a", "outcomes_b", "outcomes_c", "outcomes_h",
                                "outcomes_l", "outcomes_m"))
    readings = []
    for setting in (outcome_triggers._READ_ONLY_FOR, ("(none)", "unchanged")):
        monkeypatch.setattr(outcome_triggers, "_READ_ONLY_FOR", setting)
        readings.append(_readings(threads))
    assert readings[0] == readings[1] and len(readings[0]) > 500


def _readings(threads: list[Thread]) -> list[tuple[object, ...]]:
    """Each thread's outcomes, trace and notes, as `read_thread` gives them."""
    out = []
    for title, body, replies in threads:
        _, lowered, norm, mentions = TAGGER.tag_text(title, body, replies)
        treatments = sorted({m[2] for m in mentions})
        reading = read_thread(CUES, [title, body, *replies], mentions, (lowered, norm)) \
            if treatments else None
        if reading is not None:
            reading.trace, reading.notes = [], []
            outcomes = reading.run(treatments)
            out.append((outcomes, list(reading.trace), list(reading.notes)))
    return out


def test_first_person_triggers_are_only_asked_for() -> None:
    """The guard of the first-person early exit in `_sentence_triggers`: a sentence's
    first-person triggers are only asked for (`"first_person" in triggers`), never read as
    spans (a module that reads them makes the early exit wrong)."""
    from pathlib import Path

    root = Path(outcome_reading.__file__).parent
    spans = re.compile(r'triggers\["first_person"\](?! =)|triggers\.(?:get|pop|setdefault)\('
                       r'"first_person"|triggers\.(?:items|values)\(')
    asks = [(path.name, line.strip()) for path in sorted(root.glob("outcome_*.py"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if '"first_person" in' in line or '"first_person" not in' in line]
    read = [(path.name, line.strip()) for path in sorted(root.glob("outcome_*.py"))
            for line in path.read_text(encoding="utf-8").splitlines() if spans.search(line)]
    assert len(asks) >= 3 and read == []
