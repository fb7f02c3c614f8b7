"""Tokens for text relevance: lower-case words, English and forum stopwords, light stemming."""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")
_STOP_TEXT: Final = """
a about above after again against all almost also am an and any are aren as at be because
been before being below between both but by can cannot could did didn do does doesn doing don
down during each either else even ever every few for from further get gets getting got had
hadn has hasn have haven having he her here hers herself him himself his how i if in into is
isn it its itself just let like ll me more most much must my myself no nor not now of off on
once one only or other ought our ours ourselves out over own per quite rather re really same
say says she should shouldn so some such than that the their theirs them themselves then there
these they this those though through thus to too under until up upon us ve very via was wasn
we were weren what when where which while who whom why will with within without won would
wouldn yet you your yours yourself yourselves im ive dont doesnt didnt cant wont thats whats
lol lmao tbh imo imho idk ngl btw fwiw iirc afaik yeah yes ok okay guys guy anyone someone
anybody everyone thing things stuff lot lots bit kinda sorta gonna wanna pretty actually
basically literally honestly probably maybe still already since around way well back know
think thought feel felt want wanted need needed going go went make made take took taking use
used using see seen look looks looking anything something nothing everything also etc vs
"""
STOPWORDS: Final = frozenset(_STOP_TEXT.split())


def stem(word: str) -> str:
    """A light plural stemmer (studies -> study, results -> result, glasses stays)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_CACHE: Final[dict[str, str]] = {}
_CACHE_LIMIT: Final = 200_000


def _stem_or_empty(word: str) -> str:
    """The stem of a content word, "" for a stopword (memoised)."""
    found = _CACHE.get(word)
    if found is None:
        found = "" if word in STOPWORDS else stem(word)
        if len(_CACHE) < _CACHE_LIMIT:
            _CACHE[word] = found
    return found


def tokens(text: str) -> list[str]:
    """Content tokens of `text`, stemmed."""
    return [s for s in map(_stem_or_empty, _WORD.findall(text.lower())) if s]


def content_token(word: str) -> str:
    """The content token a raw word counts as ("" for a stopword)."""
    return _stem_or_empty(word)


_TWO_LETTERS: Final = re.compile(r"[^\W\d_].*?[^\W\d_]", re.DOTALL)


def has_two_letters(text: str) -> bool:
    """Whether `text` holds at least two letters (of any script): more than marks and digits."""
    return _TWO_LETTERS.search(text) is not None
