"""Bystanders in the outcome reader: treatments named beside a cue that it is not about. A
failure's verdict is not that of the treatment named as what came next ("wasted a year on
supplements before fin"), and a gain is not that of its comparison's baseline ("crown is
thicker than on fin"). `_Extraction` of `aggregator.outcome_reading` inherits these and holds
the state they read.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_reports import Reports
from aggregator.outcome_scope import WITHOUT_FILLERS, Sentence

# (outm) a gain's baseline named after it ("crown is thicker than on fin", "better than it
# was with min alone"): right before the mention; "thicker than ever on fin" is fin's
# (outm) what came next, named after a failure ("wasted a year on supplements before fin", "RU
# did nothing on top of fin", "2 years wasted, then fin fixed it", "min did nothing until tret
# was added"): the failure is not its
_NEXT_LEAD: Final = re.compile(r" (?:before|then|and then|until|till|on top of) "
                               r"(?:the |my |oral |topical )?$")
_NEXT_TAIL: Final = re.compile(r" (?:was|were|got) added\b")
# (outq) a combination named as part of what is asked about, not credited ("which part of
# my stack is doing the work")
_PART_OF: Final = re.compile(r"\b(?:part|parts|which) of $")
_BASELINE: Final = re.compile(r"\bthan (?:(?:it|they) (?:was|were|got|ever got) )?"
                              r"(?:on|with|when on|when i was on|i got on|i had on)? ?"
                              r"(?:the |my |plain |just )?$")

# (outp, outq) a treatment named as not used or left out ("needled weekly without any
# minoxidil and got nothing from it", "rolled alone for six months without min and saw
# nothing"): not the cue's, in its clause nor as the topic it falls back to
WITHOUT: Final = re.compile(rf"\bwithout\s+(?:(?:{WITHOUT_FILLERS})\s+)?$")


# (attrib) a treatment named as the partner of what a sentence speaks of without naming it
# ("mine held the temples, but I'm also on fin", "my cap helped a bit, I was on min too",
# "massage plus minoxidil worked for me"): after a partner word (a bare "with" not after a
# verb of its own: "started with fin", "stuck with min"), or "on X too"
_PARTNER_BEFORE: Final = re.compile(
    r"(?:\b(?:alongside|along with|plus|paired with|combined with|together with|"
    r"in combination with)|"
    r"(?<!start )(?<!started )(?<!starting )(?<!began )(?<!begin )(?<!stick )(?<!stuck )"
    r"(?<!stay )(?<!stayed )(?<!went )(?<!go )(?<!going )(?<!happy )(?<!done )(?<!luck )"
    r"(?<!results )(?<!issues )(?<!problems )(?<!sides )(?<!up )(?<!out )(?<!serious )"
    r"(?<!replaced it )(?<!replace it )(?<!swapped it )\bwith)"
    r"(?: it| them| my| the| oral| topical| some)* $")
# ("I'm also on fin", "on min too": after the cue only; "Also on saw palmetto; cannot point
# to a single thing it did" tells of it)
_PARTNER_ALSO: Final = re.compile(r"\balso (?:on|using|taking|started|use|used|take|added)"
                                  r"(?: my| the| oral| topical| some)* $")
_PARTNER_ON: Final = re.compile(r"\b(?:on|using|taking)(?: my| the| oral| topical)? $")
_PARTNER_AFTER: Final = re.compile(r" (?:too|as well)\b")
# a partner that is the subject of what follows it ("also on spiro, which has kept my part
# stable"): the cue is its own
_PARTNER_SUBJECT: Final = re.compile(r"[^.!?]{0,30}?\b(?:which|that|who)\b")
# (review43) a partner told as what alone worked, or what came after ("my crown only regrew
# with fin", "once I got on fin too"): no partner
_PARTNER_ALONE: Final = re.compile(r"\b(?:only|once|until|till|instead)\b")


@trait
class Bystanders:
    """The bystander filters (see the module docstring)."""

    lowered: str  # the thread's lower-cased, normalised text
    mentions: list[tuple[int, int, str]]  # (start, end, treatment) of each mention, sorted
    m_starts: list[int]
    reports: dict[str, Reports]  # treatment -> the first-hand reports gathered so far

    def _focus(self) -> list[str]:
        raise NotImplementedError  # outcome_reading._Extraction

    def _topic_not_without(self, here: Sentence, targets: list[str]) -> list[str]:
        """(outp) The topic `targets` a cue falls back to without those the sentence names
        only right after "without" (`WITHOUT`); empty when that is every one ("rolled alone
        without min and saw nothing": no report of min's; the caller asks only when the
        sentence says "without")."""
        lowered = self.lowered
        named_without, named_else = set(), set()
        for m_start, _, tid in self.mentions[bisect_left(self.m_starts, here.start):
                                             bisect_left(self.m_starts, here.end)]:
            if WITHOUT.search(lowered, max(here.start, m_start - 20), m_start):
                named_without.add(tid)
            else:
                named_else.add(tid)
        return [t for t in targets if t not in named_without - named_else]

    def _not_next(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        """(outm) A failure's treatments without those named after it only as what came
        next (`_NEXT_LEAD` before the name or `_NEXT_TAIL` after it); a treatment also named
        before the cue keeps it ("fin did nothing before I added min": fin's)."""
        lowered, mentions, m_starts = self.lowered, self.mentions, self.m_starts
        lo = bisect_left(m_starts, here.start)
        at = bisect_left(m_starts, c_end, lo)
        hi = bisect_left(m_starts, here.end, at)
        if at == hi:
            return targets
        before = {tid for _, _, tid in mentions[lo:at]}
        nexts = {tid for m_start, m_end, tid in mentions[at:hi]
                 if tid in targets and tid not in before and
                 (_NEXT_LEAD.search(lowered, max(c_end, m_start - 24), m_start) is not None or
                  _NEXT_TAIL.match(lowered, m_end) is not None)}
        return [t for t in targets if t not in nexts] if nexts else targets

    def _not_baseline_named(self, start: int, end: int, m_lo: int, m_hi: int,
                            named: list[str]) -> list[str]:
        """(outm) The sentence's treatments without those it names only as a comparison's
        baseline ("crown is thicker than on fin"): no topic."""
        lowered, mentions = self.lowered, self.mentions
        baseline = {tid for m_start, _, tid in mentions[m_lo:m_hi]
                    if _BASELINE.search(lowered, max(start, m_start - 40), m_start)}
        if baseline:
            baseline -= {tid for m_start, _, tid in mentions[m_lo:m_hi]
                         if not _BASELINE.search(lowered, max(start, m_start - 40), m_start)}
        return [t for t in named if t not in baseline] if baseline else named

    def _not_baseline(self, here: Sentence, c_end: int, targets: list[str]) -> list[str]:
        """(outm) The cue's treatments without those named after it only as the baseline
        of the comparison ("3 yrs on dut, crown is thicker than on fin": dut's gain, the
        unit's topic, not fin's)."""
        lowered = self.lowered
        baseline = set()
        for m_start, _, tid in self.mentions[bisect_left(self.m_starts, c_end):
                                             bisect_left(self.m_starts, here.end)]:
            if tid in targets and _BASELINE.search(lowered, max(c_end, m_start - 40), m_start):
                baseline.add(tid)
        if not baseline or any(self.m_starts[i] < c_end and self.mentions[i][2] in baseline
                               for i in range(bisect_left(self.m_starts, here.start),
                                              bisect_left(self.m_starts, c_end))):
            return targets  # (a treatment also named before the cue keeps it)
        return [t for t in targets if t not in baseline]

    def _not_without(self, here: Sentence, targets: list[str]) -> list[str]:
        """(outq) The cue's treatments (or, when none is left, the sentence's topic) without
        those the sentence names only after "without" ("did needling without min and saw
        nothing": not min's); empty when nothing is left."""
        lowered = self.lowered
        mentions = self.mentions[bisect_left(self.m_starts, here.start):
                                 bisect_left(self.m_starts, here.end)]
        left_out = {tid for m_start, _, tid in mentions
                    if WITHOUT.search(lowered, max(here.start, m_start - 20), m_start)}
        if not left_out:
            return targets
        left_out -= {tid for m_start, _, tid in mentions
                     if not WITHOUT.search(lowered, max(here.start, m_start - 20), m_start)}
        return [t for t in targets if t not in left_out] or \
            [t for t in here.topic if t not in left_out]

    def _combination(self, here: Sentence, c_start: int,
                     named_at: list[tuple[int, int]]) -> list[str] | None:
        """(outq) The treatments an effect cue credits as a combination named before it in
        its sentence (`named_at`: its `[scope] combination` triggers, "the pairing worked",
        "on the combination"): those the sentence names, else its topic (holding the one it
        names), when two or more (each one's own report, not a share of a regimen); None
        when no combination is named in the 48 characters before the cue."""
        lowered = self.lowered
        if not any(c_start - 48 <= a < c_start and
                   _PART_OF.search(lowered, max(here.start, a - 9), a) is None
                   for a, _ in named_at):
            return None
        named = list(dict.fromkeys(
            tid for _, _, tid in self.mentions[bisect_left(self.m_starts, here.start):
                                               bisect_left(self.m_starts, here.end)]))
        if len(named) > 1:
            return named
        return here.topic if len(here.topic) > 1 and set(named) <= set(here.topic) else None

    def _with_partner(self, here: Sentence, c_end: int, kind: str,
                      targets: list[str]) -> list[str]:
        """(attrib) The treatments a cue is about when every treatment its sentence names is
        told as a partner of the thread's subject (`_PARTNER_BEFORE`, `_PARTNER_AFTER`) and
        the subject, one treatment, is not named there ("mine has held the temples for a
        year, but I'm also on fin", in a thread about RU): the subject's and the partners'
        (a combination credited; an add-on's verdict is the add-on's, `outcome_record`);
        else `targets`: also when a partner is told as what alone worked (`_PARTNER_ALONE`),
        or the cue is a gain and the speaker has already told the subject failed ("Useless
        for me. Ended up with fin and the crown regrew": a move, not a partner)."""
        lowered, mentions = self.lowered, self.mentions
        named: set[str] = set()
        for m_start, m_end, tid in mentions[bisect_left(self.m_starts, here.start):
                                            bisect_left(self.m_starts, here.end)]:
            lo = max(here.start, m_start - 24)
            if (_PARTNER_BEFORE.search(lowered, lo, m_start) is None and
                    (m_start < c_end or (
                        _PARTNER_ALSO.search(lowered, lo, m_start) is None and
                        (_PARTNER_AFTER.match(lowered, m_end, here.end) is None or
                         _PARTNER_ON.search(lowered, lo, m_start) is None)))) or \
                    _PARTNER_SUBJECT.match(lowered, m_end, here.end) is not None:
                return targets
            named.add(tid)
        if not named or _PARTNER_ALONE.search(lowered, here.start, mentions[
                bisect_left(self.m_starts, here.end) - 1][0]) is not None:
            return targets
        subject = [t for t in self._focus() if t not in named]
        if len(subject) != 1:
            return targets
        said = self.reports.get(subject[0])
        if kind == "improved" and said is not None and \
                said.effects.get(here.speaker, {kind}) - {kind}:
            return targets  # (the speaker told it failed: a gain after is the move's)
        return subject + targets

