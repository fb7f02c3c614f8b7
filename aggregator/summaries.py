"""Thread summaries (at most 45 words) from the thread's own sentences, and two baselines.

`summarise` is extractive: what the poster reports or asks (the title when it says
something, then the body sentences most central to the thread, in body order, a sentence
repeating the title last), then what the replies say (the first substantive sentence of
each top reply, in stored order, best first), joined as "Poster: ... Replies: ...". The
poster gets the words the replies do not need. Markup, quotes of other posts and URLs are
removed first; in the chosen sentences forum shorthand is spelled out (`aggregator.shorthand`: "fin"
-> "finasteride" in a thread tagged finasteride, "derm", "27M", "no sides", "8 months") and
asides ("lol", emoji) dropped; nothing is invented. A clipped sentence ends at a clause
break when it can. A thread with no usable body is summarised from its title alone.

`lead_summary` (the first words of title + body) and `textrank_summary` (the standard
TextRank sentence ranking, PageRank over word-overlap similarities) are the baselines
`benchmarks/quality.py` measures beside it.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import filterfalse, islice
from typing import Final

from aggregator.shorthand import InSentence, Treatments, readable
from aggregator.text import STOPWORDS, has_two_letters, tokens

MAX_WORDS: Final = 45
# The summariser's version: bump it whenever the same thread would be summarised differently,
# and `hairlink aggregate` redoes every thread of a database summarised by an older one.
VERSION: Final = "4"
_POSTER_WORDS: Final = 22  # the poster's part at least, when there are replies
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
_TOKEN: Final = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")
# a run of [a-z0-9] holding a letter: a `_TOKEN` when it is two characters or more (a
# `_TOKEN` is always a whole run: it starts at a letter, or at digits followed by one)
_RUN: Final = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
_NOT_CONTENT: Final = STOPWORDS | frozenset(string.ascii_lowercase)
_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_MD_LINK: Final = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_QUOTE: Final = re.compile(r"\[quote[^\]]*\].*?\[/quote\]", re.IGNORECASE | re.DOTALL)
_BBCODE: Final = re.compile(r"\[/?[a-z*]+(?:=[^\]]*)?\]", re.IGNORECASE)
_LIST_MARKS: Final = re.compile(r"(?m)^[ \t]*(?:>+|[-*•]|\d+[.)])[ \t]+")
# `_LIST_MARKS` as `clean` applies it: at the text's start, then after each line break (a
# pattern starting with a plain character is searched for at C speed; "(?m)^" is tried at
# every position)
_LIST_MARK: Final = re.compile(r"[ \t]*(?:>+|[-*•]|\d+[.)])[ \t]+")
_LINE_LIST_MARK: Final = re.compile(r"\n[ \t]*(?:>+|[-*•]|\d+[.)])[ \t]+")
_LIST_STARTS: Final = frozenset("-*•> \t")
_EMPHASIS: Final = re.compile(r"[*_`#~]+")
_OP: Final = re.compile(r"^\s*(?:\[op\]|\(op\)|op:|op here[,:]?)\s*", re.IGNORECASE)
_OP_STARTS: Final = "[(oO"  # (and "": an empty reply is tried as before)
_SPACE: Final = re.compile(r"[ \t\r\f\v]+")
_LINE_EDGE: Final = re.compile(r" ?\n ?")
# a sentence end: [.!?][\"')\]]*\s+ or \n+, written to start at one character class (the
# regex engine then skips to the candidates fast; a plain alternation is five times slower)
_SENTENCE_END: Final = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*\s+|(?<=\n)\n*)")
_REPEAT_SHARE: Final = 0.6  # a body sentence with more of its content words in the title repeats it


def clean(text: str) -> str:
    """Text without markup, quoted posts, URLs and list marks (line breaks kept)."""
    text = text or ""
    if "[" in text:
        text = _QUOTE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    # (a one-character test first where it can rule a longer one out: a one-character
    # `in` is a memchr, a longer one a slower substring search over the whole text)
    if (":" in text and "://" in text) or "www." in text:
        text = _URL.sub(" ", text)
    if "[" in text:
        text = _BBCODE.sub(" ", text)
    if text[:1] in _LIST_STARTS or text[:1].isdigit():
        mark = _LIST_MARK.match(text)
        if mark:
            text = " " + text[mark.end():]
    if "\n" in text:
        text = _LINE_LIST_MARK.sub("\n ", text)
    if "*" in text or "_" in text or "`" in text or "#" in text or "~" in text:
        text = _EMPHASIS.sub(" ", text)
    if "&" in text:
        text = text.replace("&gt;", " ").replace("&amp;", " ").replace("&lt;", " ")
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACE.sub(" ", text)
    if "\n" in text and (" \n" in text or "\n " in text):
        # (`_LINE_EDGE`: with no two spaces in a row left, every space beside a line break
        # goes, and only those)
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    return text.strip()


def sentences(text: str, limit: int | None = None) -> list[str]:
    """The sentences of cleaned text that hold at least two letters (the first `limit`)."""
    return list(islice(_each_sentence(clean(text)), limit))


def _each_sentence(text: str) -> Iterator[str]:
    """The sentences of cleaned `text` that hold at least two letters, one at a time (a
    caller that needs only the first few ends the scan there)."""
    position = 0
    for mark in _SENTENCE_END.finditer(text):
        end = mark.end()
        sentence = text[position:end].strip()
        position = end
        # (two letters up front are the usual case: the regex only for the rest)
        if (sentence[1:2].isalpha() and sentence[0].isalpha()) or has_two_letters(sentence):
            yield sentence
    sentence = text[position:].strip()
    if has_two_letters(sentence):
        yield sentence


def _words(text: str) -> list[str]:
    return text.split()


def _word_count(sentence: str) -> int:
    """`len(sentence.split())` of a sentence of `_each_sentence` (no word list made): a
    cleaned sentence holds no two spaces in a row, no line break, tab, CR, FF or VT, and no
    space at its ends, so in ASCII without the separators \x1c-\x1f (white space to
    `str.split`) its only white space is single spaces between its words."""
    if sentence.isascii() and "\x1c" not in sentence and "\x1d" not in sentence \
            and "\x1e" not in sentence and "\x1f" not in sentence:
        return sentence.count(" ") + 1
    return len(sentence.split())


def _clip(text: str, budget: int, clause: bool = True) -> str:
    """The first `budget` words of `text`, marked "…"; with `clause`, ended at the last
    clause break in them (a comma, semicolon, colon or dash) when that keeps at least
    _CLAUSE_MIN of them."""
    words = _words(text)
    if len(words) <= budget:
        return text
    words = words[:budget]
    for k in range(len(words) - 1, _CLAUSE_MIN - 2 if clause else len(words), -1):
        if words[k][-1] in ",;:" or words[k] in ("-", "–", "—"):
            words = words[:k + 1]
            break
    return " ".join(words).rstrip(",;:-–—") + "…"


_CLAUSE_MIN: Final = 5


def _fit(parts: Sequence[str], budget: int, treatments: Treatments | None = None,
         sizes: Sequence[int] = ()) -> str:
    """Sentences in order, as many as fit in `budget` words (the last one clipped), each
    made `readable` with `treatments` as it is reached (None: taken as they are, and
    clipped at a word, as the TextRank baseline always was). `sizes`: the parts' word
    counts when known (a part `readable` leaves as it is keeps its count)."""
    return _fitted(parts, budget, treatments, sizes)[0]


def _fitted(parts: Sequence[str], budget: int, treatments: Treatments | None,
            sizes: Sequence[int]) -> tuple[str, int]:
    """`_fit` and its word count (`len(text.split())`, known from the parts' counts: a
    part joined with a space keeps its words)."""
    out: list[str] = []
    left = budget
    words = 0
    for k, part in enumerate(parts):
        if left <= 0:
            break
        if treatments is not None:
            said = readable(part, treatments)
            n = sizes[k] if sizes and said is part else len(said.split())
            part = _sentence_end(said)  # (a closing "." adds no word to stripped text)
        else:
            n = sizes[k] if sizes else len(part.split())
        if n <= left:
            out.append(part)
            left -= n
            words += n
        elif left >= 6 or not out:
            part = _clip(part, left, treatments is not None)
            out.append(part)
            left = 0
            words += len(part.split())
    return " ".join(out), words


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


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _bag(text: str) -> set[str]:
    """Content words of a sentence (lower-case, stopwords out): the `_TOKEN`s, found as
    the runs of letters and digits that hold a letter, less the one-letter ones."""
    runs = text.lower().encode("latin-1", "replace").translate(_RUN_BYTES)
    return set(filterfalse(str.isdigit, runs.decode("latin-1").split())) - _NOT_CONTENT


# bytes of a lower-cased text: a-z and 0-9 kept, line breaks too (`str.split` takes them as
# spaces), every other one a space (a character outside Latin-1 is encoded as "?")
_RUN_BYTES: Final = bytes(i if chr(i).isascii() and (chr(i).isdigit() or chr(i).islower()
                                             or i == 10) else 32 for i in range(256))


def _bags(lowered: str) -> list[set[str]]:
    """`_bag` of each line of the lower-cased `lowered`: the `_RUN`s of a line are its
    runs of a-z and 0-9 (a `_RUN` is a whole such run) that are not all digits (a
    translation and a split in C: a regex scan makes an object per match)."""
    runs = lowered.encode("latin-1", "replace").translate(_RUN_BYTES).decode("latin-1")
    return [set(filterfalse(str.isdigit, line.split())) - _NOT_CONTENT
            for line in runs.split("\n")]


def _centrality(bags: Sequence[set[str]], candidates: Sequence[str],
                counts: Counter[str]) -> list[float]:
    """Each sentence's share of the thread's content words: the sum of log(1 + count in
    the thread) over its distinct content words (`bags`), damped by its length (the plain
    form of what `_ranked` computes in one pass; the tests compare the two)."""
    known = counts.keys()
    return [sum(map(_LOG_WEIGHT.__getitem__, map(counts.__getitem__, bag & known)))
            / math.sqrt(s.count(" ") + 5) for bag, s in zip(bags, candidates, strict=True)]


class _LogWeights(dict[int, float]):
    """count -> log(1 + count), counts above 63 weighing as 63 (log 4.16); filled on use."""

    def __missing__(self, count: int) -> float:
        weight = self[count] = math.log1p(min(count, 63))
        return weight


_LOG_WEIGHT: Final = _LogWeights()


def summarise(title: str, body: str = "", replies: Sequence[str] = (),
              counts: Counter[str] | None = None,
              treatments: Collection[str] = (),
              found_in: Callable[[str], Collection[str]] | None = None) -> str:
    """A summary of at most 45 words: the poster's report or question, then the replies.

    `counts`: the thread's lower-case word counts when the caller has them already (the
    aggregator's tagging pass does); `treatments`: the thread's tagged treatment ids (their
    forum aliases are spelled out); `found_in`: the treatments the tagger finds in a piece
    of text (`Tagger.tag`): an alias is then spelled out only in a sentence where the
    tagger reads it as the treatment."""
    chosen: Treatments = InSentence(treatments, found_in) if found_in and treatments \
        else treatments
    title_s = clean(title)
    if "\n" in title_s:
        title_s = title_s.replace("\n", " ").strip()
    body_s, body_n = _body_sentences(body[:_BODY_CHARS])
    poster: list[str] = [title_s] if (title_s[1:2].isalpha() and title_s[0].isalpha()) \
        or has_two_letters(title_s) else []
    poster_n = [len(title_s.split())] if poster else []
    picked, picked_n = _reply_sentences(replies)
    # the poster's words: all of them when there are no replies, else what they leave
    budget = max(_POSTER_WORDS, MAX_WORDS - 2 - sum(picked_n)) if picked else MAX_WORDS - 1
    if sum(poster_n) + sum(body_n) <= budget:  # every body sentence fits: no ranking needed
        order = list(range(len(body_s)))
    else:
        order = _poster_choice(_ranked(title_s if poster else "", body_s, counts, title, body,
                                       replies), body_n, sum(poster_n), budget)
    poster_text, poster_words = _fitted(poster + [body_s[i] for i in order], budget, chosen,
                                        poster_n + [body_n[i] for i in order])
    if not picked:
        text = poster_text or _clip(title_s or clean(body), MAX_WORDS - 1)
        return f"Poster: {text}" if text else ""
    left = MAX_WORDS - poster_words - 2
    reply_text = _fit(picked, left, chosen, picked_n)
    return f"Poster: {poster_text} Replies: {reply_text}" if reply_text else poster_text


def _ranked(title_s: str, body_s: list[str], counts: Counter[str] | None, title: str,
            body: str, replies: Sequence[str]) -> list[int]:
    """The body sentences, most central first (favouring the opening ones a little; one
    mostly repeating the title `title_s` last). `counts`: the thread's word counts (None:
    counted here from `title`, `body` and `replies`)."""
    if len(body_s) < 2:
        return list(range(len(body_s)))
    weights = counts if counts is not None else Counter(
        _TOKEN.findall(" ".join((title, body, *replies)).lower()))
    # (one lower-casing for all the sentences: they hold no line break, see `sentences`)
    bags = _bags("\n".join(body_s).lower())
    if not isinstance(weights, Counter):
        weights = Counter(weights)
    # `_centrality`, damped by position: the same terms and divisions (a word the Counter
    # does not hold counts 0 and weighs log(1) = 0.0), added in the bag's own order, so a
    # sum may differ from `_centrality`'s in its last bits; the orderings were checked
    # identical on every corpus (`benchmarks/summaries_speed.py --check`)
    count_of, weight_of = weights.__getitem__, _LOG_WEIGHT.__getitem__
    keys = [-(sum(map(weight_of, map(count_of, bag))) / math.sqrt(s.count(" ") + 5))
            / (1 + 0.08 * i) for i, (bag, s) in enumerate(zip(bags, body_s, strict=True))]
    ranked = sorted(range(len(body_s)), key=keys.__getitem__)
    if title_s:
        said = _bag(title_s)
        # (a bag sharing no word with the title repeats nothing: most do not, and the test
        # makes no set)
        repeats = [not said.isdisjoint(bag) and len(bag & said) > len(bag) * _REPEAT_SHARE
                   for bag in bags]
        if any(repeats):  # (a stable sort on False everywhere changes nothing)
            ranked.sort(key=repeats.__getitem__)
    return ranked


def _poster_choice(ranked: list[int], sizes: list[int], used: int, budget: int) -> list[int]:
    """The most central body sentence and the next ones that fit `budget` words with the
    `used` ones, in body order."""
    chosen = ranked[:1]
    if ranked:
        used += sizes[ranked[0]]
    for i in ranked[1:]:
        if used + sizes[i] <= budget:
            chosen.append(i)
            used += sizes[i]
    return sorted(chosen)


def _reply_sentences(replies: Sequence[str]) -> tuple[list[str], list[int]]:
    """One sentence from each of the top replies, in their stored order (best first): the
    first substantive one (six words or more) of its opening two non-filler sentences
    (with their word counts)."""
    picked: list[str] = []
    sizes: list[int] = []
    for reply in replies[:_TOP_REPLIES]:
        head = reply[:_REPLY_CHARS]
        # (`_OP` can match only from a space or "[", "(", "o", "O")
        marker = _OP.match(head) if head[:1] in _OP_STARTS or head[:1].isspace() else None
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
    return picked, sizes


def lead_summary(title: str, body: str = "", limit: int = MAX_WORDS) -> str:
    """Baseline: the first `limit` words of title + body."""
    return " ".join(_words(f"{clean(title)} {clean(body)}")[:limit])


def textrank_scores(items: Sequence[str], damping: float = 0.85,
                    iterations: int = 50) -> list[float]:
    """TextRank (Mihalcea & Tarau 2004): PageRank over sentences, edges weighted by word
    overlap |Si ∩ Sj| / (log|Si| + log|Sj|)."""
    bags = [set(tokens(s)) for s in items]
    n = len(items)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if len(bags[i]) > 1 and len(bags[j]) > 1:
                overlap = len(bags[i] & bags[j])
                if overlap:
                    w = overlap / (math.log(len(bags[i])) + math.log(len(bags[j])))
                    weights[i][j] = weights[j][i] = w
    out = [sum(row) for row in weights]
    score = [1.0] * n
    for _ in range(iterations):
        score = [(1 - damping) + damping * sum(weights[j][i] / out[j] * score[j]
                                               for j in range(n) if weights[j][i])
                 for i in range(n)]
    return score


def textrank_summary(title: str, body: str = "", replies: Sequence[str] = (),
                     limit: int = MAX_WORDS) -> str:
    """Baseline: the top TextRank sentences of the thread, in thread order, to `limit`
    words."""
    items = [s for s in [clean(title).replace("\n", " ").strip(), *sentences(body),
                         *(s for r in replies for s in sentences(r))] if s]
    if not items:
        return ""
    score = textrank_scores(items)
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(items)), key=lambda k: -score[k]):
        if used >= limit:
            break
        chosen.append(i)
        used += len(_words(items[i]))
    return _fit([items[i] for i in sorted(chosen)], limit)
