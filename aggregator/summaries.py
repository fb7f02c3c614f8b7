"""Thread summaries (at most 45 words) from the thread's own sentences, and two baselines.

`summarise` is extractive: what the poster reports or asks (the title when it says
something, then the body sentences most central to the thread, in body order, a sentence
repeating the title last), then what the replies say (the first substantive sentence of
each top reply, in stored order, best first, a quoted line leading it left out), each part
behind a label saying who says it: "A poster says: ... One reply: ... Another: ..." ("asks"
for a part holding a question, "A reply:" for a lone reply). The poster gets the words the
replies do not need. Markup, quotes of other posts and URLs are removed first; in the
chosen sentences forum shorthand is spelled out (`aggregator.shorthand`: "fin" ->
"finasteride" in a thread tagged finasteride, "derm", "27M", "no sides", "8 months") and
asides ("lol", emoji) dropped; nothing is invented (the labels are the summary's only own
words). A clipped sentence ends at a clause break when it can. A thread with no usable body
is summarised from its title alone.

`lead_summary` (the first words of title + body) and `textrank_summary` (the standard
TextRank sentence ranking, PageRank over word-overlap similarities) are the baselines
`benchmarks/quality.py` measures beside it.

The parts live beside this module: `summary_sentences` (cleaning, sentences),
`summary_scores` (which body sentences), `summary_fit` (the 45-word budget) and
`summary_baselines`; the names callers import from here are re-exported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from itertools import islice
from typing import Final

from aggregator.shorthand import InSentence, Treatments
from aggregator.summary_baselines import lead_summary, textrank_scores, textrank_summary
from aggregator.summary_fit import MAX_WORDS, _clip, _fitted
from aggregator.summary_scores import _poster_choice, _ranked
from aggregator.summary_sentences import _each_sentence, _word_count, clean, sentences
from aggregator.text import has_two_letters

__all__ = ["MAX_WORDS", "VERSION", "clean", "lead_summary", "sentences", "summarise",
           "textrank_scores", "textrank_summary"]

# The summariser's version: bump it whenever the same thread would be summarised differently,
# and `hairlink aggregate` redoes every thread of a database summarised by an older one.
VERSION: Final = "9"
_POSTER_WORDS: Final = 18  # the poster's part at least, when there are replies
_POSTER_LABEL_WORDS: Final = 3  # "A poster says:" / "A poster asks:"
_BODY_SENTENCES: Final = 4  # body sentences considered (the opening ones)
_BODY_CHARS: Final = 1200  # of the body (enough for them)
_TOP_REPLIES: Final = 3  # replies considered (the first ones: stored best first)
_REPLY_CHARS: Final = 600  # of each reply (enough for its opening sentences)
_FILLER: Final = re.compile(  # greetings, thanks, cheers and asides that say nothing of the thread
    r"^(?:hi|hey|hello|yo|thanks|thank you|thx|ty|congrats|congratulations|cheers|"
    r"good luck|best of luck|wish me luck|glad|nice|great|awesome|amazing|wow|lol|haha|"
    r"same|this|bump|edit|update|pics?|photos?|long time lurker|first post|sorry|"
    r"any advice|thoughts|appreciate)\b", re.IGNORECASE)
_FILLER_WORDS: Final = 9  # only sentences shorter than this can be filler
_OP: Final = re.compile(r"^\s*(?:\[op\]|\(op\)|op:|op here[,:]?)\s*", re.IGNORECASE)
_OP_STARTS: Final = "[(oO"  # (and "": an empty reply is tried as before)
# a quoted post flattened to text at a reply's start: "Quote: what they said" up to the line's
# end, or "Quote:" alone on its line, then an "Originally Posted by X" line and the quoted line
_QUOTED_LINE: Final = re.compile(
    r"\s*quote:(?:[^\S\n]*\n(?:[^\S\n]*originally posted by[^\n]*\n)?)?[^\n]*", re.IGNORECASE)


def _body_sentences(body: str) -> tuple[list[str], list[int]]:
    """The body sentences considered, with their word counts: of the opening
    `_BODY_SENTENCES` + 2, the first `_BODY_SENTENCES` that are not short filler ("Thanks
    man", "Hi all, long time lurker"), or the first `_BODY_SENTENCES` when all are filler
    (the scan ends once enough are found)."""
    every: list[str] = []
    every_n: list[int] = []
    kept: list[str] = []
    kept_n: list[int] = []
    for sentence in islice(_each_sentence(clean(body)), _BODY_SENTENCES + 2):
        n = _word_count(sentence)
        every.append(sentence)
        every_n.append(n)
        if n >= _FILLER_WORDS or not _FILLER.match(sentence):
            kept.append(sentence)
            kept_n.append(n)
            if len(kept) == _BODY_SENTENCES:
                break
    if not kept:
        return every[:_BODY_SENTENCES], every_n[:_BODY_SENTENCES]
    return kept, kept_n


# the labels saying who says what (the words summaries are written in): the poster's part
# "asks" when it holds a question; each reply's sentence is from a different reply
_POSTER_SAYS: Final = "A poster says:"
_POSTER_ASKS: Final = "A poster asks:"
_LONE_LABEL: Final = (("A reply:", 2), ("A reply asks:", 3))  # (label, words) by question
_FIRST_LABEL: Final = (("One reply:", 2), ("One reply asks:", 3))
_NEXT_LABEL: Final = (("Another:", 1), ("Another asks:", 2))
_POSTER_REPLY_LABEL: Final = (("The poster adds:", 3), ("The poster asks:", 3))


def summarise(title: str, body: str = "", replies: Sequence[str] = (),
              counts: Counter[str] | None = None,
              treatments: Collection[str] = (),
              found_in: Callable[[str], Collection[str]] | None = None,
              labelled: bool = True) -> str:
    """A summary of at most 45 words: the poster's report or question, then the replies.

    `counts`: the thread's lower-case word counts when the caller has them already (the
    aggregator's tagging pass does); `treatments`: the thread's tagged treatment ids (their
    forum aliases are spelled out); `found_in`: the treatments the tagger finds in a piece
    of text (`Tagger.tag`): an alias is then spelled out only in a sentence where the
    tagger reads it as the treatment. `labelled=False`: the same sentences without their
    labels (whose words still count), the thread's own words alone, for
    `benchmarks/quality.py` to show what the labels add to the overlap with references."""
    chosen: Treatments = InSentence(treatments, found_in) if found_in and treatments \
        else treatments
    title_s = clean(title)
    if "\n" in title_s:
        title_s = title_s.replace("\n", " ").strip()
    body_s, body_n = _body_sentences(body[:_BODY_CHARS])
    poster: list[str] = [title_s] if (title_s[1:2].isalpha() and title_s[0].isalpha()) \
        or has_two_letters(title_s) else []
    poster_n = [len(title_s.split())] if poster else []
    picked, picked_n, by_poster = _reply_sentences(replies)
    # the poster's words: all of them when there are no replies, else what they leave
    labels, label_n = _reply_labels(picked, by_poster)
    if not labelled:
        labels = [("", n) for _, n in labels]
    budget = max(_POSTER_WORDS, MAX_WORDS - _POSTER_LABEL_WORDS - sum(picked_n) - label_n) \
        if picked else MAX_WORDS - _POSTER_LABEL_WORDS
    if sum(poster_n) + sum(body_n) <= budget:  # every body sentence fits: no ranking needed
        order = list(range(len(body_s)))
    else:
        order = _poster_choice(_ranked(title_s if poster else "", body_s, counts, title, body,
                                       replies), body_n, sum(poster_n), budget)
    poster_text, poster_words = _fitted(poster + [body_s[i] for i in order], budget, chosen,
                                        poster_n + [body_n[i] for i in order])
    if not picked:
        text = poster_text or _clip(title_s or clean(body), MAX_WORDS - _POSTER_LABEL_WORDS)
        return _poster_part(text, labelled) if text else ""
    # (each reply's sentence behind its label, the label's words counted in its part)
    reply_text = _fitted(picked, MAX_WORDS - poster_words - _POSTER_LABEL_WORDS, chosen,
                         picked_n, labels)[0]
    if not poster_text:
        return reply_text
    head = _poster_part(poster_text, labelled)
    return f"{head} {reply_text}" if reply_text else head


def _poster_part(text: str, labelled: bool) -> str:
    """The poster's part behind its label ("asks" when it holds a question)."""
    if not labelled:
        return text
    return f"{_POSTER_ASKS if '?' in text else _POSTER_SAYS} {text}"


def _reply_labels(picked: Sequence[str], by_poster: Sequence[bool]
                  ) -> tuple[list[tuple[str, int]], int]:
    """The labels of the replies' sentences with their word counts, and their words in all:
    "A reply:" for a lone one, else "One reply:" and "Another:" for each after it, "asks"
    before the colon of a question ("Another asks:"); a reply the thread's poster marked as
    theirs ("[OP] ...", `by_poster`) is "The poster adds:" ("The poster asks:") and is not
    counted among the others."""
    others = len(picked) - sum(by_poster)
    labels: list[tuple[str, int]] = []
    words = seen = 0
    for k, x in enumerate(picked):
        asks = x[-1:] == "?"
        if by_poster and by_poster[k]:
            label = _POSTER_REPLY_LABEL[asks]
        else:
            label = (_LONE_LABEL if others < 2 else _NEXT_LABEL if seen else _FIRST_LABEL)[asks]
            seen += 1
        labels.append(label)
        words += label[1]
    return labels, words


def _reply_sentences(replies: Sequence[str]) -> tuple[list[str], list[int], list[bool]]:
    """One sentence from each of the top replies, in their stored order (best first): the
    first substantive one (six words or more) of its opening two non-filler sentences
    (with their word counts, and whether the reply is marked as the poster's: "[OP]")."""
    picked: list[str] = []
    sizes: list[int] = []
    by_poster: list[bool] = []
    for reply in replies[:_TOP_REPLIES]:
        head = reply[:_REPLY_CHARS]
        # (`_OP` can match only from a space or "[", "(", "o", "O")
        start = head[:1]
        marker = _OP.match(head) if start in _OP_STARTS or start.isspace() else None
        # (`_QUOTED_LINE` can match only from a space or "q", "Q")
        quoted = _QUOTED_LINE.match(head) if start in "qQ" or start.isspace() else None
        if quoted:  # a quoted line leads the reply (and "[OP]" may open the rest)
            head = head[quoted.end():]
            marker = _OP.match(head)
        first: tuple[str, int] | None = None
        # (the sentences one at a time: mostly the first is taken and the rest never split)
        for x in islice(_each_sentence(clean(head[marker.end():] if marker else head)), 3):
            n = _word_count(x)
            if n >= _FILLER_WORDS or not _FILLER.match(x):
                if first is None:
                    first = (x, n)
                    if n >= 6:
                        break
                else:
                    first = (x, n)  # the first one is short: the second instead
                    break
        if first is not None:
            picked.append(first[0])
            sizes.append(first[1])
            by_poster.append(marker is not None)
    return picked, sizes, by_poster

