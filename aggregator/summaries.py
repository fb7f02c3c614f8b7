"""Thread summaries (at most 45 words) from the thread's own sentences, and two baselines.

`summarise` is extractive: what the poster reports or asks (the title when it says
something, then the body sentences most central to the thread, in body order, a sentence
repeating the title last), then what the replies say (the first substantive sentence of
each top reply, in stored order, best first), joined as "Poster: ... Replies: ...". The
poster gets the words the replies do not need. Markup, quotes of other posts and URLs are
removed first; in the chosen sentences forum shorthand is spelled out (`_readable`: "fin"
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
from collections import Counter
from collections.abc import Callable, Collection, Sequence

from aggregator.text import STOPWORDS, tokens

MAX_WORDS = 45
# The summariser's version: bump it whenever the same thread would be summarised differently,
# and `hairlink aggregate` redoes every thread of a database summarised by an older one.
VERSION = "4"
_POSTER_WORDS = 22  # the poster's part at least, when there are replies
_BODY_SENTENCES = 4  # body sentences considered (the opening ones)
_BODY_CHARS = 1200  # of the body (enough for them)
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
# Forum shorthand a study-page reader may not know, spelled out in the summary. A treatment
# alias is spelled out only when the tagger found that treatment in the thread (so "5 min"
# of massage or "Spiro the barber" in an untagged thread stay as written).
_TREATMENT_WORDS = {
    "fin": ("finasteride", "finasteride"), "min": ("minoxidil", "minoxidil"),
    "minox": ("minoxidil", "minoxidil"), "minoxi": ("minoxidil", "minoxidil"),
    "ldom": ("oral minoxidil", "minoxidil"), "dut": ("dutasteride", "dutasteride"),
    "dutas": ("dutasteride", "dutasteride"), "duta": ("dutasteride", "dutasteride"),
    "keto": ("ketoconazole", "ketoconazole"), "spiro": ("spironolactone", "spironolactone"),
    "tret": ("tretinoin", "tretinoin"), "bica": ("bicalutamide", "bicalutamide"),
    "pyri": ("pyrilutamide", "pyrilutamide"), "ru": ("RU58841", "ru58841"),
    "mn": ("microneedling", "microneedling"), "ht": ("hair transplant", "hair_transplant"),
}
_PIECES = re.compile(r"(\w+)")  # split: separators at even indices, words at odd ones
_EMOJI = re.compile(r" ?[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")
_UPPER_ONLY = frozenset(("RU", "MN", "HT", "PFS", "ED", "TE"))
# "sides" is side effects after these words (not "thinning on the sides", "had sides shaved")
_SIDE_WORDS = frozenset(("no", "zero", "any", "sexual", "bad", "mild", "minimal", "without",
                         "fewer", "avoid", "systemic", "mental", "cognitive", "persistent",
                         "initial", "oral", "topical"))
_SIDE_WORDS = _SIDE_WORDS.union(  # "fin sides", also once "fin" is spelled out
    *((alias, spelled.lower()) for alias, (spelled, _) in _TREATMENT_WORDS.items()))
_TIMES = {"1x": "once", "2x": "twice", "3x": "three times", "4x": "four times"}
_FREQUENCY = (" a day", " daily", " a week", " weekly", " a month", " per ", " each ",
              " every ")
_UNITS = frozenset(("day", "days", "week", "weeks", "month", "months", "year", "years",
                    "session", "sessions", "times"))
_ASIDES = frozenset(("lol", "lmao", "lmfao", "haha", "hahaha", "tbh", "ngl", "imo", "imho",
                     "fwiw", "btw", "iirc"))
_AGE_WORD = re.compile(r"\d\d[MF]|[MF]\d\d")
_SHORTHAND = {"derm": "dermatologist", "derms": "dermatologists", "gf": "girlfriend",
              "bf": "boyfriend", "bp": "blood pressure", "ppl": "people", "yrs": "years",
              "yr": "year", "pfs": "post-finasteride syndrome",
              "ed": "erectile dysfunction", "te": "telogen effluvium"}  # and "ED", "TE", "PFS"
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")
# the lower-case words that can start a rewrite (a sentence without any is left as it is),
# bare and with the punctuation a split on spaces leaves on them
_TRIGGER_WORDS = (*_TREATMENT_WORDS, *_SHORTHAND, "pfs", "sides", *_ASIDES, *_TIMES,
                  *map(str, range(1, 13)), *(f"{n:02d}" for n in range(1, 10)),
                  *(f"{n}{s}" for n in range(10, 100) for s in "mf"),
                  *(f"{s}{n}" for n in range(10, 100) for s in "mf"))
_TRIGGERS = frozenset(f"{before}{word}{after}" for word in _TRIGGER_WORDS
                      for before in ("", "(", "\"", "'") for after in ("", ".", ",", "!", "?",
                                                                      ":", ";", ")", "\"", "'"))
_REPEAT_SHARE = 0.6  # a body sentence with more of its content words in the title repeats it


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


_CLAUSE_MIN = 5


def _fit(parts: Sequence[str], budget: int, treatments: Treatments | None = None) -> str:
    """Sentences in order, as many as fit in `budget` words (the last one clipped), each
    made `_readable` with `treatments` as it is reached (None: taken as they are, and
    clipped at a word, as the TextRank baseline always was)."""
    out: list[str] = []
    left = budget
    for part in parts:
        if left <= 0:
            break
        if treatments is not None:
            part = _sentence_end(_readable(part, treatments))
        n = len(_words(part))
        if n <= left:
            out.append(part)
            left -= n
        elif left >= 6 or not out:
            out.append(_clip(part, left, treatments is not None))
            left = 0
    return " ".join(out)



def _substantive(items: list[str]) -> list[str]:
    """Sentences without the short filler ("Thanks man", "Hi all, long time lurker"),
    unless that is all there is."""
    kept = [s for s in items if len(_words(s)) >= _FILLER_WORDS or not _FILLER.match(s)]
    return kept or items


class InSentence:
    """The thread's tagged treatments, an alias of one spelled out only where `found_in`
    (the tagger) finds that treatment in the words around the alias: its context rules
    decide whether "min" is minoxidil or minutes, "fin" finasteride or "fin de semana"."""

    __slots__ = ("found_in", "treatments")

    def __init__(self, treatments: Collection[str],
                 found_in: Callable[[str], Collection[str]]) -> None:
        self.treatments, self.found_in = treatments, found_in

    def allows(self, treatment: str, before: str, alias: str, after: str) -> bool:
        """Whether `alias` between the words `before` and `after` it is `treatment` (found
        there with the alias and not without it: beside the treatment's own name it is
        left as written)."""
        return treatment in self.treatments \
            and treatment in self.found_in(f"{before}{alias}{after}") \
            and treatment not in self.found_in(f"{before} {after}")


Treatments = Collection[str] | InSentence


def _readable(text: str, treatments: Treatments) -> str:
    """A chosen sentence with forum shorthand spelled out ("fin" -> "finasteride" when the
    thread is tagged finasteride; "derm", "gf", "bp"; "27M" -> "27-year-old"; "no sides" ->
    "no side effects"; "8 months" -> "eight months") and asides ("lol", "tbh", emoji)
    dropped. Nothing is added that the sentence does not say."""
    lowered = text.lower()
    if text.isascii() and _TRIGGERS.isdisjoint(lowered.split()):  # (punctuation kept on)
        return text
    out = _rewritten(text, treatments)
    if not out.isascii() and max(out) >= "\u2600":  # emoji and pictographs start there
        out = _EMOJI.sub("", out)
    out = out.strip()
    return out if _has_two_letters(out) else text


def _rewritten(text: str, treatments: Treatments) -> str:
    """`text` with the words `_readable` rewrites rewritten."""
    pieces = _PIECES.split(text)  # separators at even indices, words at odd ones
    changed = False
    for i in range(1, len(pieces), 2):
        if pieces[i].lower() in _TRIGGERS and _rewrite_at(pieces, i, treatments):
            changed = True
    return "".join(pieces) if changed else text


def _rewrite_at(pieces: list[str], i: int, treatments: Treatments) -> bool:
    """Rewrite the word `pieces[i]` in place (an aside also trims the separators around it);
    whether anything changed."""
    word = pieces[i]
    low = word.lower()
    if low in _TREATMENT_WORDS or low in _SHORTHAND:
        new = _alias_at(pieces, i, treatments)
    elif low == "sides":
        new = "side effects" if i > 1 and pieces[i - 1] == " " \
            and pieces[i - 2].lower() in _SIDE_WORDS else word
    elif low in _ASIDES:
        pieces[i] = ""
        pieces[i - 1] = pieces[i - 1].rstrip(" ,")
        pieces[i + 1] = pieces[i + 1].lstrip("!")
        return True
    elif word.isdigit():
        new = _number_at(pieces, i)
    elif low in _TIMES:  # "2x a day" -> "twice a day", not "2x stronger" -> "twice stronger"
        after = "".join(pieces[i + 1:i + 5]).lower()
        new = _TIMES[low] if after.startswith(_FREQUENCY) else word
    elif len(word) == 3 and _AGE_WORD.fullmatch(word):
        new = f"{word.strip('MF')}-year-old" + (" woman" if "F" in word else "")
    else:
        return False
    pieces[i] = new
    return new != word


def _alias_at(pieces: list[str], i: int, treatments: Treatments) -> str:
    """A treatment alias or shorthand word spelled out where it stands as a word of its own
    ("RU", "ED" only in capitals; not inside "x.fin" or "fin-like")."""
    word = pieces[i]
    low = word.lower()
    if low.upper() in _UPPER_ONLY:
        alone = word.isupper()
    else:
        alone = not (pieces[i - 1].endswith((".", "-")) or pieces[i + 1].startswith("-"))
    return _spelled(word, low, pieces, i, treatments) if alone else word


def _number_at(pieces: list[str], i: int) -> str:
    """A count of one to twelve before a time unit in words ("8 months" -> "eight months")."""
    word = pieces[i]
    if len(word) <= 2 and 0 < int(word) <= 12 and i < len(pieces) - 2 \
            and pieces[i + 1] == " " and pieces[i + 2].lower() in _UNITS \
            and not pieces[i - 1].endswith((".", ",", "/", "%", "-")):
        return _NUMBER_WORDS[int(word)]
    return word


def _spelled(word: str, low: str, pieces: list[str], i: int,
             treatments: Treatments) -> str:
    """A shorthand word spelled out, or the word itself where it is not what it seems."""
    if low in _SHORTHAND:
        if low == "derm" and i > 1 and pieces[i - 2].lower() == "seb":
            return word  # seborrheic dermatitis
        spelled = _SHORTHAND[low]
    else:
        spelled, treatment = _TREATMENT_WORDS[low]
        if not (treatments.allows(treatment, "".join(pieces[max(0, i - 10):i]), word,
                                  "".join(pieces[i + 1:i + 11]))
                if isinstance(treatments, InSentence) else treatment in treatments):
            return word
    after = "".join(pieces[i + 1:i + 6]).lower()
    if low == "keto" and after.startswith(" diet"):
        return word  # the diet
    if low == "min" and (after.startswith((" a day", " per day")) or (
            i > 1 and pieces[i - 1] == " " and pieces[i - 2][-1:].isdigit())):
        return word  # minutes
    return spelled[0].upper() + spelled[1:] if word[0].isupper() and not word.isupper() \
        else spelled


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _bag(text: str) -> set[str]:
    """Content words of a sentence (lower-case, stopwords out)."""
    return set(_TOKEN.findall(text.lower())) - STOPWORDS


def _centrality(bags: Sequence[set[str]], candidates: Sequence[str],
                counts: Counter[str]) -> list[float]:
    """Each sentence's share of the thread's content words: the sum of log(1 + count in
    the thread) over its distinct content words (`bags`), damped by its length."""
    known = counts.keys()
    return [sum(map(_LOG_WEIGHT.__getitem__, map(counts.__getitem__, bag & known)))
            / math.sqrt(s.count(" ") + 5) for bag, s in zip(bags, candidates, strict=True)]


class _LogWeights(dict[int, float]):
    """count -> log(1 + count), counts above 63 weighing as 63 (log 4.16); filled on use."""

    def __missing__(self, count: int) -> float:
        weight = self[count] = math.log1p(min(count, 63))
        return weight


_LOG_WEIGHT = _LogWeights()


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
    title_s = clean(title).replace("\n", " ").strip()
    body_s = _substantive(sentences(body[:_BODY_CHARS], _BODY_SENTENCES + 2))[:_BODY_SENTENCES]
    weights = counts if counts is not None else Counter(
        _TOKEN.findall(" ".join((title, body, *replies)).lower()))
    poster: list[str] = [title_s] if _has_two_letters(title_s) else []
    ranked: list[int] = []
    if body_s:
        bags = [_bag(s) for s in body_s]
        scores = _centrality(bags, body_s, weights)
        # the body's most central sentences, favouring the opening ones a little
        ranked = sorted(range(len(body_s)), key=lambda i: -scores[i] / (1 + 0.08 * i))
        if poster and len(ranked) > 1:  # a sentence mostly repeating the title comes last
            said = _bag(title_s)
            ranked.sort(key=lambda i: len(bags[i] & said) > len(bags[i]) * _REPEAT_SHARE)
    picked = _reply_sentences(replies)
    if not picked:
        text = _poster_part(poster, body_s, ranked, MAX_WORDS - 1, chosen) or \
            _clip(title_s or clean(body), MAX_WORDS - 1)
        return f"Poster: {text}" if text else ""
    reply_need = sum(len(_words(text)) for text in picked)
    budget = max(_POSTER_WORDS, MAX_WORDS - 2 - reply_need)  # the replies' spare words
    poster_text = _poster_part(poster, body_s, ranked, budget, chosen)
    left = MAX_WORDS - len(_words(poster_text)) - 2
    reply_text = _fit(picked, left, chosen)
    return f"Poster: {poster_text} Replies: {reply_text}" if reply_text else poster_text


def _reply_sentences(replies: Sequence[str]) -> list[str]:
    """One sentence from each of the top replies, in their stored order (best first): the
    first substantive one (six words or more) of its opening two non-filler sentences."""
    picked = []
    for reply in replies[:_TOP_REPLIES]:
        head = reply[:_REPLY_CHARS]
        marker = _OP.match(head)
        r = [x for x in sentences(head[marker.end():] if marker else head, 3)
             if len(_words(x)) >= _FILLER_WORDS or not _FILLER.match(x)][:2]
        if r:
            picked.append(r[1] if len(r) > 1 and len(_words(r[0])) < 6 else r[0])
    return picked


def _poster_part(poster: list[str], body_s: list[str], ranked: list[int], budget: int,
                 treatments: Treatments) -> str:
    """The title and the most central body sentences that fit `budget` words, in body
    order (the most central one clipped if nothing else fits)."""
    used = sum(len(_words(p)) for p in poster)
    chosen = ranked[:1]
    if ranked:
        used += len(_words(body_s[ranked[0]]))
    for i in ranked[1:]:
        n = len(_words(body_s[i]))
        if used + n <= budget:
            chosen.append(i)
            used += n
    return _fit(poster + [body_s[i] for i in sorted(chosen)], budget, treatments)


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
