"""The reader's one pass for cues, scope triggers and the patterns' literals
(`OutcomeCues.joint_scanner`) against the two passes it replaces."""

from __future__ import annotations

import dataclasses
import random

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.outcome_cue_file import hint_occurrences
from aggregator.outcomes import load_outcome_cues
from aggregator.phrase_scanner import PairScanner
from aggregator.tagger import Tagger
from tests.aggregator.outcome_helpers import labelled_threads, same_readings

TAGGER = Tagger(load_lexicon())
CUES = load_outcome_cues()
PLAIN = dataclasses.replace(CUES, joint_scanner=None)


def _threads() -> list[tuple[str, str, list[str]]]:
    """The labelled threads, and odd ones made of their pieces (glued words, marks, case)."""
    threads = labelled_threads()
    rng = random.Random(13)
    words = " ".join(t + " " + b for t, b, _ in threads[:300]).split()
    for _ in range(400):
        pieces = [rng.choice(words) for _ in range(rng.randrange(3, 60))]
        text = "".join(p + rng.choice([" ", " ", " ", "", "-", "’", ". ", "\n", "/", "’s "])
                       for p in pieces)
        threads.append((text[:40].upper() if rng.random() < 0.2 else text[:40], text[40:],
                        [text[::-1]] if rng.random() < 0.3 else []))
    return threads


THREADS = _threads()


def test_the_packaged_cues_take_the_joint_pass() -> None:
    assert CUES.joint_scanner is not None
    assert len(THREADS) > 1000


@pytest.mark.parametrize("part", range(4))
def test_joint_pass_finds_what_the_two_passes_find(part: int) -> None:
    joint = CUES.joint_scanner
    assert joint is not None
    for title, body, replies in THREADS[part::4]:
        _, lowered, norm, _ = TAGGER.tag_text(title, body, replies)
        firsts, everys, occurrences = joint.scan_with_substrings(f" {norm} ")
        assert (firsts, everys) == CUES.scanner.scan(f" {norm} ")
        plain = hint_occurrences(CUES, lowered.replace("’", "'"))
        assert set(plain) <= set(occurrences)  # (more is allowed: never fewer)
        assert [end for end, _ in occurrences] == sorted(end for end, _ in occurrences)
        for end, hint in occurrences:
            assert norm[end - len(hint) + 1:end + 1] == hint


@pytest.mark.parametrize("part", range(4))
def test_the_reading_is_the_same_with_either_pass(part: int) -> None:
    assert same_readings(THREADS[part::4], CUES, PLAIN) > 100


def test_substring_keys_must_not_start_with_a_space() -> None:
    with pytest.raises(ValueError, match="substring key"):
        PairScanner({"improved": ["regrew"]}, {}, [" day"])
    first, every = {"improved": ["regrow*"]}, {"negation": ["no"]}
    scanner = PairScanner(first, every, ["day", "ran"])
    firsts, everys, found = scanner.scan_with_substrings(" no regrowth today ran ")
    assert (firsts, everys) == PairScanner(first, every).scan(" no regrowth today ran ")
    assert firsts == [(3, 11, 0, "improved")] and everys == [(0, 2, "negation")]
    assert found == [(16, "day"), (20, "ran")]


def test_cue_files_with_other_literals_take_two_passes() -> None:
    from aggregator.outcome_cue_file import build_cues

    assert build_cues(CUES.raw).joint_scanner is not None
    for words in (["session*", ""], ["re-do"], ["Post-Op"]):
        data = {**CUES.raw, "procedures": {**CUES.raw["procedures"], "words": words}}
        assert build_cues(data).joint_scanner is None, words


def test_scan_of_a_scanner_with_substrings_leaves_the_substrings_out() -> None:
    """`scan` on the joint scanner answers as the cue scanner does (its substrings found
    only by `scan_with_substrings`), whatever length the substring values have."""
    joint = CUES.joint_scanner
    assert joint is not None
    for text in (" week ", " it stopped my shedding after a week of oral minoxidil ", " "):
        firsts, everys, _ = joint.scan_with_substrings(text)
        assert joint.scan(text) == (firsts, everys) == CUES.scanner.scan(text)
    assert joint.scan_with_substrings(" week ")[2]  # the case that crashed: a literal found
