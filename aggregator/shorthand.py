"""Forum shorthand spelled out for a reader of a summary ("fin" -> "finasteride" where the
tagger reads the treatment there, "derm", "27M", "no sides", "8 months") and asides ("lol",
"honestly", emoji) dropped; nothing is added that the sentence does not say."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Final

from aggregator.lexicon import Lexicon, lower_and_normalise
from aggregator.tagger import Tagger
from aggregator.text import has_two_letters

# Forum shorthand a study-page reader may not know, spelled out in the summary. A treatment
# alias is spelled out only when the tagger found that treatment in the thread (so "5 min"
# of massage or "Spiro the barber" in an untagged thread stay as written).
_TREATMENT_WORDS: Final = {
    "fin": ("finasteride", "finasteride"), "min": ("minoxidil", "minoxidil"),
    "minox": ("minoxidil", "minoxidil"), "minoxi": ("minoxidil", "minoxidil"),
    "ldom": ("oral minoxidil", "minoxidil"), "dut": ("dutasteride", "dutasteride"),
    "dutas": ("dutasteride", "dutasteride"), "duta": ("dutasteride", "dutasteride"),
    "keto": ("ketoconazole", "ketoconazole"), "spiro": ("spironolactone", "spironolactone"),
    "tret": ("tretinoin", "tretinoin"), "bica": ("bicalutamide", "bicalutamide"),
    "pyri": ("pyrilutamide", "pyrilutamide"), "ru": ("RU58841", "ru58841"),
    "mn": ("microneedling", "microneedling"), "ht": ("hair transplant", "hair_transplant"),
}
_PIECES: Final = re.compile(r"(\w+)")  # split: separators at even indices, words at odd ones
# `_PIECES` for ASCII text, where a Unicode `\w` is [A-Za-z0-9_] (the regex engine then tests
# a table instead of the Unicode categories of every character)
_ASCII_PIECES: Final = re.compile(r"(\w+)", re.ASCII)
_EMOJI: Final = re.compile(r" ?[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")
_UPPER_ONLY: Final = frozenset(("RU", "MN", "HT", "PFS", "ED", "TE"))
# "sides" is side effects after these words (not "thinning on the sides", "had sides shaved")
_SIDE_WORDS = frozenset(("no", "zero", "any", "sexual", "bad", "mild", "minimal", "without",
                         "fewer", "avoid", "systemic", "mental", "cognitive", "persistent",
                         "initial", "oral", "topical"))
_SIDE_WORDS = _SIDE_WORDS.union(  # "fin sides", also once "fin" is spelled out
    *((alias, spelled.lower()) for alias, (spelled, _) in _TREATMENT_WORDS.items()))
_TIMES: Final = {"1x": "once", "2x": "twice", "3x": "three times", "4x": "four times"}
_FREQUENCY: Final = (" a day", " daily", " a week", " weekly", " a month", " per ", " each ",
              " every ")
_UNITS: Final = frozenset(("day", "days", "week", "weeks", "month", "months", "year", "years",
                    "session", "sessions", "times"))
_ASIDES: Final = frozenset(("lol", "lmao", "lmfao", "haha", "hahaha", "tbh", "ngl", "imo", "imho",
                     "fwiw", "btw", "iirc", "honestly", "literally", "smh"))  # (not "basically": a
# hedge, "my crown is basically back" says less than "my crown is back")
_OPENING: Final = ("", "(", "[", "\"")  # what can stand before a sentence's first aside
_AGE_WORD: Final = re.compile(r"\d\d[MF]|[MF]\d\d")
_SHORTHAND: Final = {"derm": "dermatologist", "derms": "dermatologists", "gf": "girlfriend",
              "bf": "boyfriend", "bp": "blood pressure", "ppl": "people", "yrs": "years",
              "yr": "year", "pfs": "post-finasteride syndrome",
              "ed": "erectile dysfunction", "te": "telogen effluvium"}  # and "ED", "TE", "PFS"
_NUMBER_WORDS: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                        "nine", "ten", "eleven", "twelve")
# the lower-case words that can start a rewrite (a sentence without any is left as it is),
# bare and with the punctuation a split on spaces leaves on them
_TRIGGER_WORDS: Final = (*_TREATMENT_WORDS, *_SHORTHAND, "pfs", "sides", *_ASIDES, *_TIMES,
                  *map(str, range(1, 13)), *(f"{n:02d}" for n in range(1, 10)),
                  *(f"{n}{s}" for n in range(10, 100) for s in "mf"),
                  *(f"{s}{n}" for n in range(10, 100) for s in "mf"))
_TRIGGERS: Final = frozenset(f"{before}{word}{after}" for word in _TRIGGER_WORDS
                      for before in ("", "(", "\"", "'") for after in ("", ".", ",", "!", "?",
                                                                      ":", ";", ")", "\"", "'"))


class InSentence:
    """The thread's tagged treatments, an alias of one spelled out only where `found_in`
    (the tagger) finds that treatment in the words around the alias: its context rules
    decide whether "min" is minoxidil or minutes, "fin" finasteride or "fin de semana"."""

    __slots__ = ("aliases", "finds", "treatments")

    def __init__(self, treatments: Collection[str],
                 found_in: Callable[[str], Collection[str]]) -> None:
        self.treatments = treatments
        tagger = _tagger_of(found_in)
        self.aliases = None if tagger is None else _aliases_of(tagger)
        # `Tagger.finds` when `found_in` is a `Tagger.tag` (then `aliases` is known): the
        # same answer, cheaper
        self.finds: Callable[[str, str], bool] = \
            tagger.finds if tagger is not None \
            else lambda text, treatment: treatment in found_in(text)

    def allows(self, treatment: str, before: str, alias: str, after: str) -> bool:
        """Whether `alias` between the words `before` and `after` it is `treatment` (found
        there with the alias and not without it: beside the treatment's own name it is
        left as written)."""
        if treatment not in self.treatments:
            return False
        # (a word the tagger always reads as the treatment needs no tagger call: `alias` is
        # a word of its own here, between the separators around it)
        if not (self.aliases is not None and alias.isascii()
                and treatment in self.aliases.sure.get(alias.lower(), ())) \
                and not self.finds(f"{before}{alias}{after}", treatment):
            return False
        without = f"{before} {after}"
        # (the tagger finds a treatment only where one of its aliases is: mostly none is)
        return (self.aliases is not None and not self.aliases.anywhere(treatment, without)) \
            or not self.finds(without, treatment)


class _Aliases:
    """A lexicon's aliases by treatment: single words and the longer ones; and the words the
    tagger reads as a treatment wherever they stand as words of their own (`sure`)."""

    __slots__ = ("firsts", "longer", "sure", "words")

    def __init__(self, lexicon: Lexicon) -> None:
        self.words: dict[str, set[str]] = {}
        self.longer: dict[str, list[str]] = {}
        self.firsts: dict[str, set[str]] = {}  # the first words of the longer ones
        for key, targets in lexicon.aliases.items():
            for target in targets:
                if key.split() == [key]:
                    self.words.setdefault(target.treatment, set()).add(key)
                else:
                    self.longer.setdefault(target.treatment, []).append(f" {key} ")
                    self.firsts.setdefault(target.treatment, set()).add(key.split()[0])
        self.sure = _sure_words(lexicon)

    def anywhere(self, treatment: str, text: str) -> bool:
        """Whether an alias of `treatment` is in `text` as the tagger matches aliases (" key "
        in the padded normalised text): False means the tagger cannot find it there."""
        norm = lower_and_normalise(text)[1]
        tokens = norm.split()
        words = self.words.get(treatment)
        if words is not None and not words.isdisjoint(tokens):
            return True
        longer = self.longer.get(treatment)
        # (a longer key's first word is a word of the text where the key is: the normalised
        # text holds letters, digits and spaces only)
        if longer and not self.firsts[treatment].isdisjoint(tokens):
            padded = f" {norm} "
            return any(key in padded for key in longer)
        return False


def _sure_words(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """Single-word aliases and the treatments `Tagger.finds` finds in any text where the
    alias stands as a word of its own: those the alias means without a context rule, and
    also every other key holding the word does (a decoy means none), since the mention that
    covers the word, the alias's own or a longer one, is such a key's."""
    holding: dict[str, list[str]] = {}  # word -> the keys (decoys too) holding it
    for other in {*lexicon.aliases, *lexicon.decoys}:
        for word in set(other.split()):
            holding.setdefault(word, []).append(other)
    sure: dict[str, frozenset[str]] = {}
    for key, targets in lexicon.aliases.items():
        if key.split() != [key]:
            continue
        found = frozenset(t.treatment for t in targets if t.rule is None)
        for other in holding.get(key, ()):
            if other != key:
                found &= {t.treatment for t in lexicon.aliases.get(other, ()) if t.rule is None}
        if found:
            sure[key] = found
    return sure


_ALIASES: Final[dict[int, tuple[Lexicon, _Aliases]]] = {}  # id(lexicon) -> (lexicon, its aliases)


def _tagger_of(found_in: Callable[[str], Collection[str]]) -> Tagger | None:
    """The tagger when `found_in` is its `Tagger.tag` (else None). Compared as bound methods
    (same object, same function): compiled by mypyc, a method has no `__func__`."""
    tagger = getattr(found_in, "__self__", None)
    if not isinstance(tagger, Tagger) or found_in != tagger.tag \
            or type(tagger).tag is not Tagger.tag:
        return None
    return tagger


def _aliases_of(tagger: Tagger) -> _Aliases:
    """The aliases of the tagger's lexicon."""
    lexicon = tagger.lexicon
    known = _ALIASES.get(id(lexicon))
    if known is None or known[0] is not lexicon:
        if len(_ALIASES) >= 8:
            _ALIASES.clear()
        known = _ALIASES[id(lexicon)] = (lexicon, _Aliases(lexicon))
    return known[1]


Treatments = Collection[str] | InSentence


def readable(text: str, treatments: Treatments) -> str:
    """A chosen sentence with forum shorthand spelled out ("fin" -> "finasteride" when the
    thread is tagged finasteride; "derm", "gf", "bp"; "27M" -> "27-year-old"; "no sides" ->
    "no side effects"; "8 months" -> "eight months") and asides ("lol", "tbh", emoji)
    dropped. Nothing is added that the sentence does not say."""
    plain = text.isascii()
    if plain and _TRIGGERS.isdisjoint(text.lower().split()):  # (punctuation kept on)
        return text
    out = _rewritten(text, treatments, plain)
    if not out.isascii() and max(out) >= "\u2600":  # emoji and pictographs start there
        out = _EMOJI.sub("", out)
    out = out.strip()
    # (two letters up front are the usual case: the regex only for the rest)
    return out if (out[1:2].isalpha() and out[0].isalpha()) or has_two_letters(out) else text


def _rewritten(text: str, treatments: Treatments, plain: bool = False) -> str:
    """`text` with the words `readable` rewrites rewritten (`plain`: `text` is ASCII)."""
    # separators at even indices, words at odd ones
    pieces = (_ASCII_PIECES if plain else _PIECES).split(text)
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
        # (at the start of the sentence or of a bracket the comma after it goes too: "Tbh, it
        # works" -> "it works", "(tbh, meh)" -> "(meh)")
        opening = pieces[i - 1][-1:] in _OPENING
        pieces[i + 1] = pieces[i + 1].lstrip("!, ") if opening else pieces[i + 1].lstrip("!")
        pieces[i - 1] = pieces[i - 1].rstrip(" ,")
        if opening and word[0].isupper() and i + 2 < len(pieces) and pieces[i + 2]:
            pieces[i + 2] = pieces[i + 2][0].upper() + pieces[i + 2][1:]  # "Honestly, it
            # did." -> "It did."
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
        if low in ("keto", "min") and _not_the_treatment(low, pieces, i):
            return word
        spelled, treatment = _TREATMENT_WORDS[low]
        if not (treatments.allows(treatment, "".join(pieces[max(0, i - 10):i]), word,
                                  "".join(pieces[i + 1:i + 11]))
                if isinstance(treatments, InSentence) else treatment in treatments):
            return word
    return spelled[0].upper() + spelled[1:] if word[0].isupper() and not word.isupper() \
        else spelled


def _not_the_treatment(low: str, pieces: list[str], i: int) -> bool:
    """Whether "keto" is the diet, "min" minutes (checked before the tagger is asked)."""
    after = "".join(pieces[i + 1:i + 6]).lower()
    if low == "keto":
        return after.startswith(" diet")
    return after.startswith((" a day", " per day")) or (
        i > 1 and pieces[i - 1] == " " and pieces[i - 2][-1:].isdigit())
