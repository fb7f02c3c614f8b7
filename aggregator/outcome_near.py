"""`[[near]]` cue words: a word ("thicker", "less", "same") that counts only with a hair
subject of its entry within a few words, before it or (an entry with `before`) after it in
its clause; the first entry that holds decides the word's kind (`near_checked`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter
from typing import Final

from aggregator.outcome_cue_file import NearCue, OutcomeCues
from aggregator.tagger import Mention

_RANK: Final = itemgetter(2)


def _names_treatment(lowered: str, start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """Whether the sentence holding [start, end) names a treatment (a mention starts in it)."""
    back = lowered.rfind
    lo = max(back(".", 0, start), back("!", 0, start), back("?", 0, start),
             back("\n", 0, start)) + 1
    hi = min((i for i in (lowered.find(m, end) for m in ".!?\n") if i >= 0),
             default=len(lowered))
    return any(lo <= m_start < hi for m_start, _, _ in mentions)


def near_checked(cues: OutcomeCues, raw: list[tuple[int, int, int, str]], lowered: str,
                 norm: str, mentions: Sequence[Mention]) -> list[tuple[int, int, int, str]]:
    """Keep a `[[near]]` word only when one of its `after` words or phrases ends at most
    `within` words before it (or one of its `before` starts at most `within` words after
    it; an entry with `before` reads both ways within one clause), in the same sentence
    (and, for a `named` entry, when that sentence names one of `mentions`); a word several
    entries list takes the kind of the first that holds. A word read with a `before` item
    spans it too ("less hair in the shower": the shed told by "hair in the shower" after a
    month is inside it)."""
    first_near = cues.first_near_rank  # the scanner's "near<g>" kinds come last
    if not raw or max(map(_RANK, raw)) < first_near:
        return raw
    out = [found for found in raw if found[2] < first_near]  # (the cues: kept as found)
    for start, end, rank, kind in raw:
        if rank >= first_near:
            window: tuple[list[str], list[tuple[str, int]]] | None = None
            aside = False
            for spec in cues.near_groups[rank - first_near]:
                if spec.before:
                    if window is None:  # (found once for the entries listing the word;
                        # none when no item of theirs ends just before it or starts just
                        # after it)
                        width, near = cues.near_widths[rank - first_near]
                        lasts, firsts = cues.near_keys[rank - first_near]
                        before, after = near_sides(lasts, firsts, near, start, end, norm)
                        window = _clause_window(cues, start, end, lowered, norm, width,
                                                before, after) \
                            if before or after else _NO_WINDOW
                    if window is _NO_WINDOW:
                        continue
                    held = _near_both(spec, end, window)
                    if held and (not spec.named
                                 or _names_treatment(lowered, start, end, mentions)):
                        kind, end = spec.kind, held
                        break
                    continue
                lo = max(0, start - 12 * spec.within)
                last = norm[lo:start].split()[-spec.within:]
                if "hand" in last and norm.find(_ASIDE, lo, start) >= 0:
                    aside = True  # (outo) "the temples, on the other hand, are worse": the
                    last = _words(norm, lo, start, aside)[-spec.within:]  # aside counts none
                if spec.after_ends.isdisjoint(last) \
                        or not spec.after_re.search(norm, lo, start):
                    continue  # the common case: no item ends in the last words
                back = lowered.rfind  # (the sentence's start: after its last mark)
                lo = max(lo, back(".", lo, start) + 1, back("!", lo, start) + 1,
                         back("?", lo, start) + 1, back("\n", lo, start) + 1)
                words = _words(norm, lo, start, aside)
                if spec.after.isdisjoint(words[-spec.within:]) and (spec.longest < 2 or not any(
                        " ".join(words[i - k:i]) in spec.after
                        for k in range(2, spec.longest + 1)
                        for i in range(max(k, len(words) - spec.within + 1),
                                       len(words) + 1))):
                    continue
                if spec.named and not _names_treatment(lowered, start, end, mentions):
                    continue  # "my hairline receded in my twenties. Fin for a year..."
                kind = spec.kind
                break
            else:
                continue
            out.append((start, end, rank, kind))
    return out


_TOKEN: Final = re.compile(r"\S+")
_ASIDE: Final = "on the other hand"  # (outo) an aside between a hair word and its near word
_NO_WINDOW: Final[tuple[list[str], list[tuple[str, int]]]] = ([], [])


def _words(norm: str, lo: int, start: int, aside: bool) -> list[str]:
    """The words of norm[lo:start], without the aside "on the other hand" when `aside`."""
    if aside:
        return norm[lo:start].replace(_ASIDE, " ").split()
    return norm[lo:start].split()


def near_sides(lasts: frozenset[str], firsts: frozenset[str], near: int, start: int,
                end: int, norm: str) -> tuple[bool, bool]:
    """Which sides of the word at [start, end) its entries with `before` must read: before
    it when one of `lasts` (the last words of their `after` items) is among its last `near`
    words, after it when one of `firsts` is among the first `near` after it; both when
    either is (the clause window as it always was), except a side whose `near` words are
    whole (not cut by the 12 characters a word) and hold none of them: no item of
    theirs can end or start there."""
    before, whole_before = False, True
    if lasts:
        lo = max(0, start - 12 * near)
        words = norm[lo:start].split()
        before = not lasts.isdisjoint(words[-near:])
        whole_before = len(words) > near or lo == 0 or norm[lo - 1] == " " or norm[lo] == " "
    hi = end + 12 * near
    words = norm[end:hi].split()
    after = not firsts.isdisjoint(words[:near])
    if not (before or after):
        return False, False
    whole_after = len(words) > near or hi >= len(norm) or norm[hi] == " " \
        or norm[hi - 1] == " "
    return (bool(lasts) and (before or not whole_before)), after or not whole_after


def _clause_window(cues: OutcomeCues, start: int, end: int, lowered: str, norm: str,
                   width: int, before: bool = True, after_it: bool = True,
                   ) -> tuple[list[str], list[tuple[str, int]]]:
    """The last `width` words of the clause before [start, end) (none unless `before`),
    and its first `width` words after it with where each ends (none unless `after_it`; up
    to a "than": what a comparison's other side names is no subject of the word, "my
    confidence more than my hair")."""
    words: list[str] = []
    if before:
        lo = max(0, start - 12 * width)
        back = lowered.rfind
        lo = max(lo, back(".", lo, start) + 1, back("!", lo, start) + 1,
                 back("?", lo, start) + 1, back("\n", lo, start) + 1)
        for found in cues.break_re.finditer(lowered, lo, start):
            lo = found.end()
        words = norm[lo:start].split()[-width:]
    after: list[tuple[str, int]] = []
    if not after_it:
        return words, after
    hi = min(len(norm), end + 12 * width)
    hi = min([hi, *(i for i in (lowered.find(c, end, hi) for c in ".!?\n") if i >= 0)])
    stop = cues.break_re.search(lowered, end, hi)
    for token in _TOKEN.finditer(norm, end, stop.start() if stop else hi):
        if token[0] == "than" or len(after) == width:
            break
        after.append((token[0], token.end()))
    return words, after


def _near_both(spec: NearCue, end: int, window: tuple[list[str], list[tuple[str, int]]],
               ) -> int:
    """For an entry with `before`: where the cue ends when one of `spec.after` ends at
    most `spec.within` words before the word (`end`) or one of `spec.before` starts at
    most `spec.within` words after it (the end of that item), in its clause; else 0."""
    words, after = window
    near = words[-spec.within:]
    if not spec.after.isdisjoint(near):
        return end
    if spec.longest > 1 and not spec.after_lasts.isdisjoint(near) and any(
            " ".join(words[i - k:i]) in spec.after
            for k in range(2, spec.longest + 1)
            for i in range(max(k, len(words) - spec.within + 1), len(words) + 1)):
        return end
    last = 0
    for i, (word, _) in enumerate(after[:spec.within]):
        if word in spec.before:
            last = max(last, i + 1)
        if spec.before_longest > 1 and word in spec.before_firsts:
            for k in range(2, spec.before_longest + 1):
                if i + k <= len(after) and \
                        " ".join(w for w, _ in after[i:i + k]) in spec.before:
                    last = max(last, i + k)
    return after[last - 1][1] if last else 0
