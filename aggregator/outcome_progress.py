"""Progress told without an effect word: Norwood stages and progress-photo titles.

Norwood stages: "took me from NW3 to NW2", (outq) "went NW3 -> NW2", "I'm NW1 now, was
NW2.5", "a NW4 instead of the NW3 I started at", "I was a Norwood 3 ... today I am a Norwood
3". Two stages named close together, one of them marked as the earlier ("was", "started",
"from", "ago", "instead of") or the later ("now", "today", "to", an arrow), make an effect cue
at the later one: a lower stage later is a gain (`improved`), a higher one a loss
(`declined`, so the history rules of the reader apply), the same one kept for a stated time
a gain (held).

Progress-photo titles: a title that compares two times ("2021 vs 2024", "8 months apart",
"3 months difference", "1 month, 11 months, 1 year 2 months", "before and after") is a
progress report of the poster's treatments; it makes an `improved` cue only when the post
(title and body) holds no effect cue of its own and the title asks nothing.

Verdicts after a colon: "saw palmetto, PSO, biotin: nothing", "the laser comb: waste of
$400", "spiro 100 for a year: also nothing" make a `no_effect` cue when the colon closes a
clause that names a treatment (no mark between the name and the colon). A bare "nothing" after
a mark ("6 months rosemary oil. nothing.", "results: nothing", "= nothing"; (outj) before an
emoji: "8 months, nothing 😭"; not a regimen told as empty: "currently: nothing") makes a weak
`unchanged` cue. Neither counts when its subject is the side effects or the downsides ("side
effects from fin: nothing", "Any side effects? For me, nothing.", "Cons: nothing.", "Libido,
mood, energy, nothing.").

The cues are then read like any other (first person, scope, attribution).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise
from typing import Final

# "nw3", "NW 2.5", "norwood 3", "norwood-4" (a range "nw2-3" or "2/3" is no stage)
# (led by a plain "n": the regex engine then skips to the candidates at C speed)
_STAGE: Final = re.compile(r"n(?<![a-z0-9_]n)(?:w|orwood)[ -]?(\d(?:\.\d)?)(?![-/]\d|\.\d|\d)")
_MAX_GAP: Final = 160  # characters between the two stages
_NEAR: Final = 30  # characters before the first and after the second stage searched for markers
# markers of the stage before the change (-1) or after it (+1): "from", "instead of", "to"
# belong to the stage after them; the others to the nearer stage of their sentence
# ((outq) an arrow is a "to": "went NW2 -> NW1.5")
_MARKER: Final = re.compile(r"(?P<arrow>-+>|→|=>)|\b(?:(?P<from>from|instead of)|(?P<to>to|into)|"
                     r"(?P<was>was|were|started|start|starting|ago|used to|back then|began)|"
                     r"(?P<now>now|today|currently|am|i'm|im))\b")
_SENTENCE_MARK: Final = re.compile(r"(?<!\.)[.!?](?!\.)\s")
# no change of one person: two options, a list ("nw5 and nw6"), somebody else's stage
_NOT_A_CHANGE: Final = re.compile(r"\bor\b|\?|\bvs\b|\bbetween\b|^\W*(?:and|,)\W*$|"
                                  r"\b(?:he|she|they|his|her|their|brothers?|dad|father|uncle|friends?|sons?)\b")


def _votes(lowered: str, first: re.Match[str], second: re.Match[str]) -> tuple[int, int]:
    """(first, second): how strongly each stage is marked as the later one."""
    votes = [0, 0]
    lo, hi = max(0, first.start() - _NEAR), min(len(lowered), second.end() + _NEAR)
    for marker in _MARKER.finditer(lowered, lo, hi):
        at = marker.start()
        if first.start() <= at < first.end() or second.start() <= at < second.end():
            continue
        if marker["from"] or marker["to"] or marker["arrow"]:  # the stage after it
            if at < first.start():
                index = 0
            elif at < second.start():
                index = 1
            else:
                continue
        else:  # the nearer stage, in the marker's sentence if only one is
            same = [not _SENTENCE_MARK.search(lowered, min(at, m.start()), max(at, m.end()))
                    for m in (first, second)]
            if same[0] != same[1]:
                index = 0 if same[0] else 1
            else:
                gaps = [abs(at - first.end()) if at >= first.end() else first.start() - at,
                        abs(at - second.end()) if at >= second.end() else second.start() - at]
                index = 0 if gaps[0] <= gaps[1] else 1
        votes[index] += -1 if marker["from"] or marker["was"] else 1
    return votes[0], votes[1]


def stage_change_cues(lowered: str) -> list[tuple[int, int, int, str]]:
    """Effect cues (start, end, -1, kind) of the Norwood stage changes in the text, at the
    later stage of each pair (`extract_outcomes`' raw cue shape)."""
    stages = list(_STAGE.finditer(lowered))
    found: list[tuple[int, int, int, str]] = []
    for first, second in pairwise(stages):
        gap = lowered[first.end():second.start()]
        if len(gap) > _MAX_GAP or "\n\n" in gap or _NOT_A_CHANGE.search(gap):
            continue
        one, two = _votes(lowered, first, second)
        if one == two:
            continue  # which came first is not said
        earlier, later = (first, second) if two > one else (second, first)
        kind = "improved" if float(later[1]) <= float(earlier[1]) else "declined"
        found.append((later.start(), later.end(), -1, kind))
    return found


_SPAN: Final = r"\d+(?:\.\d+)?\s*(?:months?|mos?|years?|yrs?|weeks?|wks?)"
_PROGRESS_TITLE: Final = re.compile(
    r"\b(?:19|20)\d\d\s*(?:vs\.?|v|->|→|to|-)\s*(?:19|20)\d\d\b"  # 2021 vs 2024
    rf"|\b{_SPAN}\s+(?:apart|difference)\b"  # 8 months apart
    rf"|\b{_SPAN}(?:\s+\d+\s*(?:months?|mos?))?\s*(?:,|vs\.?|->|→)\s*{_SPAN}"  # 1 month, 11 months
    r"|\bbefore\s*(?:and|&|/|\+)\s*after\b")


_YEARS: Final = re.compile(r"(?:19|20)\d\d\b")  # the year-to-year form ("20 months apart" is not)
# Years in a title about prices, supply or rules, not about a head of hair.
_NOT_PROGRESS: Final = re.compile(r"\b(?:prices?|costs?|cheap\w*|expensive|buy\w*|order\w*|"
                                  r"shipping|stock|shortage|sales?|revenue|market|law|ban\w*|approv\w*)\b|\$")


def progress_title_cue(lowered: str, title_end: int, op_end: int,
                       cues: list[tuple[int, int, int, str]],
                       effect_kinds: tuple[str, ...]) -> tuple[int, int, int, str] | None:
    """An `improved` cue (start, end, -1, kind) at a progress-photo title's comparison, or
    None: the title [0, title_end) asks nothing, and no effect cue lies in the post
    [0, op_end) (the title and body)."""
    if "?" in lowered[:title_end] or any(start < op_end and kind in effect_kinds
                                         for start, _, _, kind in cues):
        return None  # (the post's own effect cue, looked for before the title's regex)
    found = _PROGRESS_TITLE.search(lowered, 0, title_end)
    if found is None or (_YEARS.match(found.group(0)) and \
            _NOT_PROGRESS.search(lowered, 0, title_end)):
        return None  # (or years of something else: "Fin prices 2023 vs 2024")
    return (found.start(), found.end(), -1, "improved")


_VERDICT: Final = re.compile(r":(?<=\w:)\s+(?:(?:also|still|again|absolutely|literally|"
                             r"basically|pretty much) )?(?:nothing|zilch|nada|zip|a waste|waste)\b"
                      r"(?! (?:else|bad|wrong|but|to|new|serious|short|beats|compares|comes))")
# "Side effects from fin: nothing", "Cons: nothing", "Libido, mood: nothing": the verdict is
# on the side effects (or what they touch) or the downsides, not on the hair.
_SIDE_SUBJECT: Final = re.compile(r"\bside[ -]?effects?\b|\bsides\b|\bcons\b|\bdownsides?\b|"
                                  r"\bnegatives?\b|\bregrets?\b|\bcomplaints?\b|\bissues\b|"
                                  r"\bproblems\b|\blibido\b|\bsex drive\b|\bmood\b|\berections?\b")
_CLAUSE_START: Final = re.compile(r"[.!?\n,;]")
# a bare "nothing" after a mark: "6 months rosemary oil. nothing.", "results: nothing";
# (outi) or opening its sentence with a word that sums up ("42 to 44. So basically nothing.")
_BARE_VERDICT: Final = re.compile(r"nothing(?:(?<=[.:=,!] nothing)|(?<=[.!] so nothing)|"
                                  r"(?<=[.!] so basically nothing)|(?<=[.!] basically nothing)|"
                                  r"(?<=[.!] so pretty much nothing)|(?<=[.!] pretty much nothing)|"
                                  r"(?<=[.!] so essentially nothing)|(?<=[.!] essentially nothing)|"
                                  r"(?<=[.!] so effectively nothing)|(?<=[.!] effectively nothing))"
                                  r"(?: at all| whatsoever)?"
                                  r"(?= ?[.!,\n]| lol|$| ?[\U0001F300-\U0001FAFF\u2600-\u27BF])")


_NAME_TO_COLON: Final = 40  # characters between a treatment's name and its verdict's colon
_MARK: Final = re.compile(r"[.!?\n,;:()]")
# the words a treatment's clause may hold between its name and the colon: a dose, a form, a
# time ("spiro 100 for a year", "min 5% foam twice a day for 8 months"); not another subject
# ("my GP's opinion on minoxidil today: nothing useful")
_NAME_TAIL: Final = re.compile(
    r"(?:[\s\d.%+/x-]|(?:\b|(?<=\d))(?:mg|mcg|ml|for|a|an|the|of|and|then|also|alone|only|on|it|at|"
    r"year|years|yr|yrs|month|months|mo|mos|week|weeks|day|days|daily|once|twice|nightly|"
    r"oral|topical|foam|liquid|solution|shampoo|pill|pills|tab|tabs|serum|spray|cream|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|full|whole|"
    r"straight|total|every|other|eod|ed|bid|am|pm|low|high|dose|doses|dosage|lotion|"
    r"drops|capsules?|injections?|sessions?|treatments?|weekly|morning|night|nights|as|"
    r"plus|with|combo|combined|combination|stack|together|protocol|regimen|routine|course|"
    r"cycle)\b)*")


def _names_clause(lowered: str, mention_ends: list[int], at: int) -> bool:
    """Whether a treatment's name ends in the clause before `at` (a colon or a bracket): at
    most `_NAME_TO_COLON` characters, no mark and only a dose, form or time (`_NAME_TAIL`)
    between (`mention_ends` sorted)."""
    i = bisect_right(mention_ends, at) - 1
    return i >= 0 and at - mention_ends[i] <= _NAME_TO_COLON and \
        _MARK.search(lowered, mention_ends[i], at) is None and \
        _NAME_TAIL.fullmatch(lowered, mention_ends[i], at) is not None


def colon_verdict_cues(lowered: str,
                       mention_ends: list[int]) -> list[tuple[int, int, int, str]]:
    """`no_effect` cues (start, end, -1, kind) of "<treatment> ...: nothing" verdicts (a
    treatment's name ends in the colon's clause, at most `_NAME_TO_COLON` characters, no
    mark and only a dose, form or time (`_NAME_TAIL`) before it: "biotin: nothing", "spiro
    100 for a year: nothing"; `mention_ends` sorted)."""
    found: list[tuple[int, int, int, str]] = []
    for verdict in _VERDICT.finditer(lowered):
        if _names_clause(lowered, mention_ends, verdict.start()):
            before = lowered[max(0, verdict.start() - 80):verdict.start()]
            clause = _CLAUSE_START.split(before)[-1]
            if not _SIDE_SUBJECT.search(clause):
                found.append((verdict.start(), verdict.end(), -1, "no_effect"))
    return found


# (outw) a verdict in brackets right after a treatment's clause: "biotin (nothing)", "tried
# saw palmetto for a year (useless)"; "fin (saved my hair)" is read by the phrases
_BRACKET_VERDICT: Final = re.compile(r"\((?<=\w \()(?:also |still |absolutely |literally |"
                                     r"basically )?(?:nothing|zilch|nada|zip|useless|no change|"
                                     r"no effect|did nothing|a waste|waste|no difference|"
                                     r"no results|zero|meh)(?: at all| whatsoever)?\)")


def bracket_verdict_cues(lowered: str,
                         mention_ends: list[int]) -> list[tuple[int, int, int, str]]:
    """`no_effect` cues (start, end, -1, kind) of "<treatment> ... (nothing)" verdicts: the
    same clause check as `colon_verdict_cues`, the bracket in place of the colon."""
    found: list[tuple[int, int, int, str]] = []
    for verdict in _BRACKET_VERDICT.finditer(lowered):
        if _names_clause(lowered, mention_ends, verdict.start() - 1):  # (before " (")
            found.append((verdict.start(), verdict.end(), -1, "no_effect"))
    return found


# (outj) a regimen told as empty, not a verdict ("currently: nothing", "stack now = nothing")
_REGIMEN_SUBJECT: Final = re.compile(r"\b(?:currently|current|regimen|routine|stack|taking|"
                                     r"using|now on|on now|now)\s*[:=]?\s*$")


def bare_verdict_cues(lowered: str) -> list[tuple[int, int, int, str]]:
    """Weak `unchanged` cues (start, end, -1, kind) of bare "nothing" verdicts whose subject
    is not the side effects or the downsides: no `_SIDE_SUBJECT` word in the verdict's
    sentence, or in the question just before it ("Any side effects? For me, nothing."; a
    side effect reported beside it is no subject: "tried it, tingly, nothing"). A verdict
    that is a sentence of its own after a statement has no subject to check ("Used rosemary
    oil for my thinning issues for 6 months. Nothing.")."""
    found: list[tuple[int, int, int, str]] = []
    for verdict in _BARE_VERDICT.finditer(lowered):
        at = verdict.start()
        if _REGIMEN_SUBJECT.search(lowered, max(0, at - 24), at) is not None:
            continue  # "currently: nothing"
        base = max(0, at - 160)
        before = lowered[base:at].rstrip(" ")
        if before.endswith((".", "!", "\n")):
            found.append((at, verdict.end(), -1, "unchanged"))
            continue
        before = before.rstrip(" .:=,!")  # (the marks that lead to the verdict)
        k = max(before.rfind(mark) for mark in ".!?\n")
        if k >= 0 and before[k] == "?":  # the question it answers
            k = max(before.rfind(mark, 0, k) for mark in ".!?\n")
        lo = base + k + 1
        if _SIDE_SUBJECT.search(lowered, lo, at) is None:
            found.append((at, verdict.end(), -1, "unchanged"))
    return found
