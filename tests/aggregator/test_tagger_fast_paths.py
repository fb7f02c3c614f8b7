"""The tagger's fast paths against their plain forms: the space-led search of the context
rules' phrase regexes (`aggregator.near_search`) and the two-pass leftmost-longest sort."""

from __future__ import annotations

import random
import re

from aggregator.lexicon import load_lexicon, lower_and_normalise
from aggregator.near_search import NearSearch, space_led
from aggregator.tagger import _sort_leftmost_longest


def _leftmost_longest(match: tuple[int, int, object]) -> tuple[int, int]:
    """The plain sort key of overlapping matches: leftmost first, then longest."""
    return match[0], match[0] - match[1]


_CHARS = "aeiknorstu     -.,'\n\t1é²ßİ😀"


def _rule_patterns() -> list[re.Pattern[str]]:
    lexicon = load_lexicon()
    rules = {t.rule for targets in lexicon.aliases.values() for t in targets if t.rule}
    found = {getattr(rule, name) for rule in rules
             for name in ("require_re", "reject_re", "other_sense_re", "unless_near_re")}
    return sorted((p for p in found if p is not None), key=lambda p: p.pattern)


def _texts(patterns: list[re.Pattern[str]], count: int) -> list[str]:
    """Random text sprinkled with the patterns' own words (so that many searches match),
    glued to other words or set apart, at the start, the end and in between."""
    rng = random.Random(18)
    words = sorted({w for p in patterns for w in re.findall(r"[a-z0-9]{2,}", p.pattern)})
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, 14)):
            pick = rng.random()
            if pick < 0.5:
                parts.append(rng.choice(words))
            elif pick < 0.6:
                parts.append(rng.choice(words) + rng.choice(words))
            else:
                parts.append("".join(rng.choice(_CHARS) for _ in range(rng.randrange(0, 6))))
        texts.append(rng.choice(["", " ", "x"]).join(parts))
    return texts


def test_space_led_search_answers_as_the_pattern_does() -> None:
    patterns = _rule_patterns()
    assert len(patterns) > 20
    near = NearSearch()
    rng = random.Random(5)
    matched = 0
    for text in _texts(patterns, 1500):
        norm = lower_and_normalise(text)[1]
        for pattern in rng.sample(patterns, 12):
            expected = pattern.search(norm) is not None
            assert near.anywhere(pattern, norm) is expected, (pattern.pattern, norm)
            matched += expected
            for _ in range(3):
                lo = rng.randrange(-1, len(norm) + 2)
                hi = rng.randrange(lo - 1, len(norm) + 3)
                assert near.within(pattern, norm, lo, hi) is (
                    pattern.search(norm, lo, hi) is not None), (pattern.pattern, norm, lo, hi)
    assert matched > 200  # (the texts exercise matches, not only misses)


def test_other_patterns_are_searched_as_they_are() -> None:
    near = NearSearch()
    pattern = re.compile(r"\bfoo")
    assert near.anywhere(pattern, "a foo") and not near.anywhere(pattern, "afoo")
    assert near.within(pattern, "xx foo", 2, 6) and not near.within(pattern, "xx foo", 4, 6)


def test_two_pass_sort_is_the_key_sort() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        found = []
        for k in range(rng.randrange(0, 12)):
            start = rng.randrange(0, 30)
            found.append((start, start + rng.randrange(1, 12), (f"t{k}",)))
        expected = sorted(found, key=_leftmost_longest)
        _sort_leftmost_longest(found)
        assert found == expected


def test_every_packaged_rule_pattern_takes_the_space_led_path() -> None:
    """The fuzz test above compares the fast path only if the patterns take it."""
    patterns = _rule_patterns()
    assert all(space_led(p) is not None for p in patterns)


ODD_PATTERNS = [
    r"(?<!\w)foo|bar",  # a top-level alternative the lookbehind does not guard
    r"(?<!\w)(?:foo)|(?:bar)(?!\w)",
    r"(?<!\w)(?:fo[o)]|bar)(?!\w)",  # a class holding a parenthesis
    r"(?<!\w)\w+ba(?!\w)",  # no group
    r"(?<!\w)(?:foo)",  # no tail
    r"(?<!\w)(?:x|y)(?:y)(?!\w)",  # two groups
]


def test_patterns_of_another_shape_are_searched_as_they_are() -> None:
    """Only `(?<!\\w)(?:...)(?!\\w)` without verbose or ASCII flags is space-led; any other
    pattern answers as a plain search, on normalised text or not."""
    odd = [re.compile(p) for p in ODD_PATTERNS]
    odd += [re.compile(r"(?<!\w)(?:foo)(?!\w)", re.VERBOSE),
            re.compile(r"(?<!\w)(?:é)(?!\w)", re.ASCII)]
    assert all(space_led(p) is None for p in odd)
    assert NearSearch().within(odd[0], "bar x", 1, 5) is False
    assert NearSearch().anywhere(odd[-2], "xfoo") is False
    near = NearSearch()
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(["foo", "bar", "x", "y", " ", "é", "ba", "o"])
                       for _ in range(rng.randrange(0, 8)))
        for pattern in odd:
            lo = rng.randrange(-1, len(text) + 2)
            hi = rng.randrange(lo - 1, len(text) + 3)
            assert near.within(pattern, text, lo, hi) is (
                pattern.search(text, lo, hi) is not None), (pattern.pattern, text, lo, hi)
            assert near.anywhere(pattern, text) is (pattern.search(text) is not None)
