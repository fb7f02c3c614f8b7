"""The summary's alias check skips the tagger for a word the tagger always reads as the
treatment (`shorthand._sure_words`): the same answers as asking the tagger."""

from __future__ import annotations

import random

from aggregator.lexicon import Lexicon, load_lexicon
from aggregator.shorthand import InSentence, _Aliases, _sure_words
from aggregator.tagger import Tagger

_SEPARATORS = (" ", " ", " ", ", ", " (", ") ", "/", " \"", "\" ", " & ", "; ", "! ", " + ",
               "\u2014", " \u00a0", "'")


def _windows(lexicon: Lexicon, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(before, alias, after): a single-word alias, written in some case, among words of the
    lexicon's keys and ordinary words, half the time inside a longer key holding it (decoys
    too), cut as `_spelled` cuts the words around it."""
    keys = [*lexicon.aliases, *lexicon.decoys]
    ordinary = ["my", "hair", "daily", "and", "started", "de", "oral", "topical", "foam", "5",
                "mg", "diet", "ru", "58841"]
    singles = [k for k in lexicon.aliases if k.split() == [k]]
    out = []
    for _ in range(count):
        alias = rng.choice(singles)
        words = [rng.choice((rng.choice(ordinary), rng.choice(rng.choice(keys).split())))
                 for _ in range(12)]
        at = rng.randrange(2, 10)
        holding = [k.split() for k in keys if alias in k.split() and k != alias]
        if holding and rng.random() < 0.5:  # (a longer key around it)
            key = rng.choice(holding)
            start = at - key.index(alias)
            words[max(0, start):start + len(key)] = key[max(0, -start):]
            words = words[:12]
        words[at] = rng.choice((alias, alias.upper(), alias.title()))
        pieces = [rng.choice(_SEPARATORS) if i % 2 == 0 else words[i // 2] for i in range(24)]
        i = 2 * at + 1
        out.append(("".join(pieces[max(0, i - 10):i]), pieces[i], "".join(pieces[i + 1:i + 11])))
    return out


def test_sure_words_are_found_wherever_they_stand() -> None:
    lexicon = load_lexicon()
    tagger = Tagger(lexicon)
    sure = _sure_words(lexicon)
    assert sure["ldom"] == {"minoxidil"} and sure["minox"] == {"minoxidil"}  # ("oral minox")
    assert "fin" not in sure and "min" not in sure  # (a context rule decides)
    # a longer key holding the word means another treatment: there the tagger reads that one
    assert "pyrilutamide" not in sure
    assert not tagger.finds("my pyrilutamide ru results", "pyrilutamide")
    checked = 0
    for before, alias, after in _windows(lexicon, random.Random(11), 6_000):
        for treatment in sure.get(alias.lower(), ()):
            checked += 1
            assert tagger.finds(f"{before}{alias}{after}", treatment), (before, alias, after)
    assert checked > 3_000


def test_allows_answers_as_the_tagger_does() -> None:
    """`InSentence.allows` with the sure words gives what it gives asking the tagger."""
    lexicon = load_lexicon()
    tagger = Tagger(lexicon)
    treatments = {t for targets in lexicon.aliases.values() for t in
                  (x.treatment for x in targets)}
    fast = InSentence(treatments, tagger.tag)
    asking = InSentence(treatments, tagger.tag)
    assert fast.aliases is not None and fast.aliases.sure
    asking.aliases = _Aliases(lexicon)
    asking.aliases.sure = {}
    rng = random.Random(12)
    answers = set()
    for before, alias, after in _windows(lexicon, rng, 6_000):
        for target in lexicon.aliases[alias.lower()]:
            said = fast.allows(target.treatment, before, alias, after)
            assert said == asking.allows(target.treatment, before, alias, after), \
                (target.treatment, before, alias, after)
            answers.add(said)
    assert answers == {True, False}


def test_anywhere_is_the_plain_scan() -> None:
    """`_Aliases.anywhere`, which looks for a longer alias only where its first word is,
    answers as looking for every alias of the treatment does."""
    from aggregator.lexicon import lower_and_normalise
    lexicon = load_lexicon()
    aliases = _Aliases(lexicon)
    found_longer = 0
    for before, alias, after in _windows(lexicon, random.Random(13), 3_000):
        for text in (f"{before}{alias}{after}", f"{before} {after}"):
            norm = lower_and_normalise(text)[1]
            for treatment in aliases.longer:
                longer = any(key in f" {norm} " for key in aliases.longer[treatment])
                plain = longer or not aliases.words.get(treatment, set()).isdisjoint(norm.split())
                assert aliases.anywhere(treatment, text) == plain, (treatment, text)
                found_longer += longer
    assert found_longer > 100
