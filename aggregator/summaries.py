"""Thread summaries (at most 45 words) from the thread's own sentences, and two baselines.

`summarise` is extractive: what the poster reports or asks (the title when it says
something, then the body sentence most central to the thread), then what the replies say
(the most central sentence of the top replies), joined as "... Replies: ...". Markup,
quotes of other posts and URLs are removed first; nothing is invented. A thread with no
usable body is summarised from its title alone.

`lead_summary` (the first words of title + body) and `textrank_summary` (the standard
TextRank sentence ranking, PageRank over word-overlap similarities) are the baselines
`benchmarks/quality.py` measures beside it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from aggregator.text import STOPWORDS, tokens

MAX_WORDS = 45
_POSTER_WORDS = 27  # budget for the poster's part when there are replies
_BODY_SENTENCES = 6  # body sentences considered (the opening ones)
_BODY_CHARS = 2000  # of the body (enough for them)
_TOP_REPLIES = 3  # replies considered (the first ones: stored best first)
_REPLY_CHARS = 600  # of each reply (enough for its opening sentences)
_FILLER = re.compile(  # greetings, thanks, cheers and asides that say nothing of the thread
    r"^(?:hi|hey|hello|yo|thanks|thank you|thx|ty|congrats|congratulations|cheers|"
    r"good luck|best of luck|wish me luck|glad|nice|great|awesome|amazing|wow|lol|haha|"
    r"same|this|bump|edit|update|pics?|photos?|long time lurker|first post|sorry|"
    r"any advice|thoughts|appreciate)\b", re.IGNORECASE)
_FILLER_WORDS = 9  # only sentences shorter than this can be filler
_TOKEN = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_QUOTE = re.compile(r"\[quote[^\]]*\].*?\[/quote\]", re.IGNORECASE | re.DOTALL)
_BBCODE = re.compile(r"\[/?[a-z*]+(?:=[^\]]*)?\]", re.IGNORECASE)
_LIST_MARKS = re.compile(r"(?m)^[ \t]*(?:>+|[-*•]|\d+[.)])[ \t]+")
_LIST_STARTS = frozenset("-*•> \t")
_EMPHASIS = re.compile(r"[*_`#~]+")
_OP = re.compile(r"^\s*(?:\[op\]|\(op\)|op:|op here[,:]?)\s*", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINE_EDGE = re.compile(r" ?\n ?")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+|\n+")
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.DOTALL)


def clean(text: str) -> str:
    """Text without markup, quoted posts, URLs and list marks (line breaks kept)."""
    text = text or ""
    if "[" in text:
        text = _QUOTE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "[" in text:
        text = _BBCODE.sub(" ", text)
    if "\n" in text or text[:1] in _LIST_STARTS or text[:1].isdigit():
        text = _LIST_MARKS.sub(" ", text)
    if any(mark in text for mark in "*_`#~"):
        text = _EMPHASIS.sub(" ", text)
    if "&" in text:
        text = text.replace("&gt;", " ").replace("&amp;", " ").replace("&lt;", " ")
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGE.sub("\n", text)
    return text.strip()


def _has_two_letters(text: str) -> bool:
    return _TWO_LETTERS.search(text) is not None


def sentences(text: str, limit: int | None = None) -> list[str]:
    """The sentences of cleaned text that hold at least two letters (the first `limit`)."""
    text = clean(text)
    out: list[str] = []
    position = 0
    for mark in _SENTENCE_END.finditer(text):
        sentence = text[position:mark.end()].strip()
        position = mark.end()
        if _has_two_letters(sentence):
            out.append(sentence)
            if len(out) == limit:
                return out
    sentence = text[position:].strip()
    if _has_two_letters(sentence):
        out.append(sentence)
    return out


def _words(text: str) -> list[str]:
    return text.split()


def _clip(text: str, budget: int) -> str:
    words = _words(text)
    if len(words) <= budget:
        return text
    return " ".join(words[:budget]).rstrip(",;:-") + "…"


def _fit(parts: Sequence[str], budget: int) -> str:
    """Sentences in order, as many as fit in `budget` words (the last one clipped)."""
    out: list[str] = []
    left = budget
    for part in parts:
        if left <= 0:
            break
        n = len(_words(part))
        if n <= left:
            out.append(part)
            left -= n
        elif left >= 6 or not out:
            out.append(_clip(part, left))
            left = 0
    return " ".join(out)


def _substantive(items: list[str]) -> list[str]:
    """Sentences without the short filler ("Thanks man", "Hi all, long time lurker"),
    unless that is all there is."""
    kept = [s for s in items if len(_words(s)) >= _FILLER_WORDS or not _FILLER.match(s)]
    return kept or items


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _bag(text: str) -> set[str]:
    """Content words of a sentence (lower-case, stopwords out)."""
    return set(_TOKEN.findall(text.lower())) - STOPWORDS


def _centrality(candidates: Sequence[str], counts: Counter[str]) -> list[float]:
    """Each sentence's share of the thread's content words: the sum of log(1 + count in
    the thread) over its distinct content words, damped by its length."""
    # the counts of its words that the thread has, weighed in C (the same sum, same order)
    return [sum(map(_WEIGHT.__getitem__, filter(None, map(counts.get, _bag(s)))))
            / math.sqrt(s.count(" ") + 5) for s in candidates]


_LOG1P = [math.log1p(n) for n in range(64)]  # counts above 63 weigh as 63 (log 4.16)


class _Weights(dict[int, float]):
    """Count -> log(1 + min(count, 63))."""

    def __missing__(self, count: int) -> float:
        return _LOG1P[63]


_WEIGHT = _Weights(enumerate(_LOG1P))


def summarise(title: str, body: str = "", replies: Sequence[str] = (),
              counts: Counter[str] | None = None) -> str:
    """A summary of at most 45 words: the poster's report or question, then the replies.

    `counts`: the thread's lower-case word counts when the caller has them already (the
    aggregator's tagging pass does)."""
    title_s = clean(title).replace("\n", " ").strip()
    body_s = _substantive(sentences(body[:_BODY_CHARS], _BODY_SENTENCES + 2))[:_BODY_SENTENCES]
    weights = counts if counts is not None else Counter(
        _TOKEN.findall(" ".join((title, body, *replies)).lower()))
    poster: list[str] = [_sentence_end(title_s)] if _has_two_letters(title_s) else []
    ranked: list[int] = []
    if body_s:
        scores = _centrality(body_s, weights)
        # the body's most central sentences, favouring the opening ones a little
        ranked = sorted(range(len(body_s)), key=lambda i: -scores[i] / (1 + 0.08 * i))
    best_of = _reply_sentences(replies, weights)
    if not best_of:
        text = _poster_alone(poster, body_s, ranked) or \
            _clip(title_s or clean(body), MAX_WORDS - 1)
        return f"Poster: {text}" if text else ""
    chosen = sorted(ranked[:2]) if len(ranked) > 1 and sum(
        len(_words(p)) for p in poster) + len(_words(body_s[ranked[0]])) + len(
        _words(body_s[ranked[1]])) <= _POSTER_WORDS else ranked[:1]  # two when they fit
    poster_text = _fit(poster + [_sentence_end(body_s[i]) for i in chosen], _POSTER_WORDS)
    left = MAX_WORDS - len(_words(poster_text)) - 2
    reply_text = _fit([_sentence_end(text) for _, text in best_of], left)
    return f"Poster: {poster_text} Replies: {reply_text}" if reply_text else poster_text


def _reply_sentences(replies: Sequence[str], weights: Counter[str]) -> list[tuple[float, str]]:
    """The most central of the opening two (non-filler) sentences of each of the top
    replies, with its score, best first."""
    best_of = []
    for reply in replies[:_TOP_REPLIES]:
        head = reply[:_REPLY_CHARS]
        marker = _OP.match(head)
        r = [x for x in sentences(head[marker.end():] if marker else head, 3)
             if len(_words(x)) >= _FILLER_WORDS or not _FILLER.match(x)][:2]
        if not r:
            continue
        scores = [v if len(_words(s)) >= 6 else v / 3
                  for s, v in zip(r, _centrality(r, weights), strict=True)]
        i = max(range(len(scores)), key=lambda k: scores[k])
        best_of.append((scores[i], r[i]))
    best_of.sort(key=lambda x: -x[0])
    return best_of


def _poster_alone(poster: list[str], body_s: list[str], ranked: list[int]) -> str:
    """A thread without replies: the title and the most central body sentences that fit
    the 45 words (with the label), in body order."""
    used = sum(len(_words(p)) for p in poster) + (len(_words(body_s[ranked[0]]))
                                                   if ranked else 0)
    chosen = ranked[:1]
    for i in ranked[1:]:
        n = len(_words(body_s[i]))
        if used + n > MAX_WORDS - 1:
            break
        chosen.append(i)
        used += n
    return _fit(poster + [_sentence_end(body_s[i]) for i in sorted(chosen)], MAX_WORDS - 1)


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
