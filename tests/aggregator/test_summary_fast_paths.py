"""The summariser's fast paths give what their plain forms give (sentence ends, cleaning,
content-word bags, ranking, body sentences, word counts), on odd generated texts and on the
benchmark corpora's texts."""

from __future__ import annotations

import re

from aggregator.summaries import clean


def _odd_texts(count: int, alphabet: str, seed: int = 3) -> list[str]:
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            for _ in range(count)]


def _dev_texts() -> list[str]:
    """Titles, bodies and replies of the benchmark corpora (in the repository)."""
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"
    posts = [json.loads(line) for path in sorted(root.glob("*/posts.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(posts) > 500
    return [text for p in posts for text in (p.get("title", ""), p.get("body", ""),
                                             *(r.get("body", "") for r in p.get("replies", [])))]


def test_sentence_ends_match_the_plain_alternation() -> None:
    from aggregator.summary_sentences import _SENTENCE_END
    plain = re.compile(r"[.!?][\"')\]]*\s+|\n+")
    texts = _odd_texts(5_000, ".!?\n \t\"')]a\u00a0x") + _dev_texts()
    for text in texts:
        assert [m.span() for m in _SENTENCE_END.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text


def test_bags_are_the_content_tokens() -> None:
    from aggregator.summary_scores import _TOKEN, _bag
    from aggregator.text import STOPWORDS
    texts = _odd_texts(5_000, "ab1 2İé_-.zK\u212a") + _dev_texts()
    for text in texts:
        assert _bag(text) == set(_TOKEN.findall(text.lower())) - STOPWORDS, text
    assert _bag("5mg fin, 2 x 10 a b12 the") == {"5mg", "fin", "b12"}


def test_a_treatment_the_tagger_finds_has_an_alias_there() -> None:
    """The alias check that spares a tagger call never says "not there" where the tagger
    finds the treatment."""
    from aggregator.lexicon import load_lexicon
    from aggregator.shorthand import InSentence
    from aggregator.tagger import Tagger
    tagger = Tagger(load_lexicon())
    check = InSentence({"finasteride"}, tagger.tag)
    assert check.aliases is not None
    assert InSentence({"finasteride"}, lambda text: tagger.tag(text)).aliases is None
    # another bound method of the tagger is not its `tag` (compared as bound methods, which
    # holds for mypyc-compiled ones too: they have no `__func__`)
    assert InSentence({"finasteride"}, tagger.tag_with_mentions).aliases is None
    found = 0
    for text in _dev_texts():
        for sentence in re.split(r"(?<=[.!?\n])", text):
            for treatment in tagger.tag(sentence):
                found += 1
                assert check.aliases.anywhere(treatment, sentence), (treatment, sentence)
    assert found > 300
    assert not check.aliases.anywhere("finasteride", "my fine hair, minoxidil")
    assert check.aliases.anywhere("finasteride", "Topical FIN spray")


def test_clean_matches_every_step_applied() -> None:
    """The tests that skip a cleaning step where it cannot change anything never skip one
    that would: `clean` is every substitution applied in order."""
    from aggregator import summary_sentences as s

    def plain(text: str) -> str:
        text = s._MD_LINK.sub(r"\1", s._QUOTE.sub(" ", text))
        linked = s._URL.sub(" ", text)
        text = s._EMPTY_BRACKETS.sub("", linked) if linked != text else text
        text = s._LIST_MARKS.sub(" ", s._BBCODE.sub(" ", text))
        text = s._EMPHASIS.sub(" ", text)
        text = text.replace("&gt;", " ").replace("&amp;", " ").replace("&lt;", " ")
        return s._LINE_EDGE.sub("\n", s._SPACE.sub(" ", text)).strip()

    texts = _odd_texts(5_000, "a :/w.\n \t*_`#~&[]>-1") + _odd_texts(
        2_000, "a:/ www.x\n \r\f\v", seed=4) + _dev_texts()
    texts += ["see https://x.io/a b", "at www.x.io now", "a \n b", "a\n b", "a \nb", "**b**",
              "top (https://x.io/w)? ok", "a (https://x.io/w_(y)) b", "a ( ) b",
              "[url]www.x.io[/url]"]
    for text in texts:
        assert clean(text) == plain(text), repr(text)


def test_line_bags_are_each_lines_bag() -> None:
    """`_bags` (one translation for all lines) gives each line's `_RUN`s less the
    non-content words, as one regex scan per line does."""
    from aggregator.summary_scores import _NOT_CONTENT, _RUN, _bag, _bags
    texts = _odd_texts(3_000, "ab1 2İé_-.zK\u212a\u00df\u0130") + _dev_texts()
    lines = [" ".join(t.split("\n")) for t in texts]
    for k in range(0, len(lines), 4):
        group = lines[k:k + 4]
        lowered = "\n".join(group).lower()
        assert _bags(lowered) == [set(_RUN.findall(x.lower())) - _NOT_CONTENT for x in group]
        assert [_bag(x) for x in group] == _bags(lowered)
    assert _bags("b12 5mg\n2 x 10\nfin fin") == [{"b12", "5mg"}, set(), {"fin"}]


def test_ranking_is_the_plain_centrality_ranking() -> None:
    """`_ranked` orders the body sentences as sorting by `_centrality` damped by position,
    then by repeating the title, does."""
    from collections import Counter

    from aggregator.summaries import sentences
    from aggregator.summary_scores import _REPEAT_SHARE, _TOKEN, _bag, _centrality, _ranked
    texts = [t for t in _dev_texts() if t]
    checked = 0
    for k in range(0, len(texts) - 2, 3):
        title, body, reply = texts[k:k + 3]
        body_s = sentences(body, 4)
        counts = Counter(_TOKEN.findall(" ".join((title, body, reply)).lower()))
        bags = [_bag(s) for s in body_s]
        scores = _centrality(bags, body_s, counts)
        plain = sorted(range(len(body_s)), key=lambda i: -scores[i] / (1 + 0.08 * i))
        said = _bag(title)
        plain.sort(key=lambda i: len(bags[i] & said) > len(bags[i]) * _REPEAT_SHARE)
        if len(body_s) >= 2:
            checked += 1
            assert _ranked(title, body_s, counts, title, body, [reply]) == plain
            assert _ranked(title, body_s, None, title, body, [reply]) == plain
            assert _ranked(title, body_s, dict(counts), title, body, [reply]) == plain
            assert counts == Counter(_TOKEN.findall(" ".join((title, body, reply)).lower()))
            assert 0 not in counts.values()  # (the counts looked up are not added to)
    assert checked > 300


def test_sentences_hold_no_line_break() -> None:
    """`_ranked` lower-cases the body sentences joined by line breaks and splits them there."""
    from aggregator.summaries import sentences
    texts = _odd_texts(5_000, ".!?\n \t\"')]a\u00a0x\r\u2028") + _dev_texts()
    assert not [s for text in texts for s in sentences(text) if "\n" in s]


def test_body_sentences_are_the_plain_choice() -> None:
    """`_body_sentences` (scanning only as far as needed) keeps what dropping the short
    filler from the opening six sentences, unless all are filler, then taking four does."""
    from aggregator.summaries import (
        _BODY_SENTENCES,
        _FILLER,
        _FILLER_WORDS,
        _body_sentences,
        sentences,
    )
    fillers = ["Thanks!", "Hi all.", "Cheers mate.", "Good luck!", "Bump.", "lol.", "Same."]
    texts = _dev_texts() + [" ".join(fillers[k % 7:k % 7 + k % 5] + ["Fin did it for me."] * (k % 3)
                                     + fillers[:k % 4]) for k in range(200)]
    for text in texts:
        every = sentences(text, _BODY_SENTENCES + 2)
        sizes = [len(s.split()) for s in every]
        kept = [k for k, s in enumerate(every) if sizes[k] >= _FILLER_WORDS or not _FILLER.match(s)]
        chosen = kept or list(range(len(every)))
        chosen = chosen[:_BODY_SENTENCES]
        assert _body_sentences(text) == ([every[k] for k in chosen], [sizes[k] for k in chosen])


def test_ascii_pieces_are_the_unicode_pieces() -> None:
    """On ASCII text the `re.ASCII` word split `readable` uses is the Unicode one."""
    from aggregator.shorthand import _ASCII_PIECES, _PIECES
    texts = _odd_texts(5_000, "aZ1_ .,-'(\t\n\x1c") + [t for t in _dev_texts() if t.isascii()]
    assert len(texts) > 5_000
    for text in texts:
        assert _ASCII_PIECES.split(text) == _PIECES.split(text), repr(text)
    # (not on other text: a Unicode letter is a word character only there)
    assert _ASCII_PIECES.split("é fin") != _PIECES.split("é fin")


def test_fitted_counts_the_words_of_its_text() -> None:
    """`_fitted`'s word count (from the parts' counts) is the split of the text it joins,
    clipped parts, dropped asides and spelled-out shorthand included."""
    import random

    from aggregator.lexicon import load_lexicon
    from aggregator.shorthand import InSentence
    from aggregator.summary_fit import _fitted
    from aggregator.summary_sentences import _sentence_end
    from aggregator.tagger import Tagger
    tagger = Tagger(load_lexicon())
    rng = random.Random(7)
    pieces = ["fin", "min", "lol", "ht", "derm", "27M", "no sides", "8 months", "😅", "-", "—",
              "a,", "b;", "c:", ",", "x", "hair", "shedding", "2x a day", "tbh,"]
    checked = 0
    for _ in range(3_000):
        parts = [_sentence_end(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))))
                 for _ in range(rng.randint(0, 5))]
        budget = rng.randint(1, 45)
        sizes = [len(p.split()) for p in parts]
        for treatments in (None, {"finasteride", "minoxidil", "hair_transplant"},
                           InSentence({"finasteride", "minoxidil"}, tagger.tag)):
            text, count = _fitted(parts, budget, treatments, sizes)
            assert count == len(text.split()), (parts, budget, text)
            checked += text.endswith("…")
    assert checked > 1_000  # (clipped texts are checked too)


def test_word_count_is_the_split_count() -> None:
    """`_word_count` of every sentence `_each_sentence` gives from cleaned text is
    `len(sentence.split())`, odd white space, control characters and scripts included."""
    from aggregator.summary_sentences import _each_sentence, _word_count
    texts = _odd_texts(5_000, "ab .!?\n\t\r\f\v\x1c\x1f\x85\u00a0\u2003\u3000\x7f*_[]>-1é") \
        + _dev_texts()
    checked = 0
    for text in texts:
        for sentence in _each_sentence(clean(text)):
            assert _word_count(sentence) == len(sentence.split()), repr(sentence)
            checked += 1
    assert checked > 10_000
    assert _word_count("a\x1fb c") == 3 and _word_count("a\u00a0b c") == 3
