"""Summary sentences: a text cleaned of markup, quoted posts, URLs and list marks, cut into
its sentences (those holding at least two letters), and their word counts (`summaries`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Final

from aggregator.text import has_two_letters

# a URL: no bracket in it unless it opens and closes there ("/wiki/X_(y)"), so the one
# closing a bracket opened before it stays, and the emptied pair goes
_URL: Final = re.compile(r"(?:https?://|www\.)[^\s()\[\]]*(?:\([^\s()]*\)[^\s()\[\]]*)*")
# what a removed URL left, with the spaces before it ("top (URL)?" -> "top?")
_EMPTY_BRACKETS: Final = re.compile(r"[ \t]*(?:\([ \t]*\)|\[[ \t]*\])")
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
_SPACE: Final = re.compile(r"[ \t\r\f\v]+")
_LINE_EDGE: Final = re.compile(r" ?\n ?")
# a sentence end: [.!?][\"')\]]*\s+ or \n+, written to start at one character class (the
# regex engine then skips to the candidates fast; a plain alternation is five times slower)
_SENTENCE_END: Final = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*\s+|(?<=\n)\n*)")


def clean(text: str) -> str:
    """Text without markup, quoted posts, URLs and list marks (line breaks kept)."""
    text = text or ""
    if "[" in text:
        text = _QUOTE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    # (a one-character test first where it can rule a longer one out: a one-character
    # `in` is a memchr, a longer one a slower substring search over the whole text)
    if (":" in text and "://" in text) or "www." in text:
        linked = _URL.sub(" ", text)
        if linked != text and ("(" in linked or "[" in linked):
            linked = _EMPTY_BRACKETS.sub("", linked)  # (in a text that held a URL)
        text = linked
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



def _sentence_end(text: str) -> str:
    """`text` ending as a sentence: a closing "." unless it has a mark; a colon whose
    list or link is not in the summary becomes the full stop ("Poll in the comments:")."""
    text = text.strip()
    if not text or text[-1] in ".!?…":
        return text
    return (text[:-1].rstrip() if text[-1] == ":" else text) + "."
