"""Recording a first-hand effect cue in the outcome reader (`aggregator.outcome_reading`
reads the thread; the rules are described in `aggregator.outcomes`): when a gain, loss or
"no effect" is no verdict (a hedge, the time before treatment, a gain's caveat, a shed), and
which treatments an add-on's verdict goes to; the direction is kept per speaker in each
treatment's `outcome_reports.Reports` (side effects: `outcome_record_sides`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_reports import Reports
from aggregator.outcome_scope import Sentence, starts_in

# a contrast whichever clause comes first ("my crown did thin out while the front held")
_BOTH_WAYS: Final = re.compile(r" while | whereas")
# (zuzv) a loss told first and a gain conceded after it, at the same time ("my temples kept
# creeping even though the crown held"; not the story before and after: "my hairline was
# retreating for years, but finasteride regrew it"; review44: nor a gain of the same area
# told as later, `_TOLD_LATER`: "receded a lot in my twenties, although finasteride regrew
# most of it later"; not "my temples receded although min regrew the crown eventually")
_CONCEDED_AFTER: Final = re.compile(r" even though | although ")
_TOLD_LATER: Final = re.compile(r"\b(?:later|eventually|afterwards|since then|in the end)\b")
# (outm) a `history` trigger telling the time before the treatment ("before RU, I was losing
# ground", "losing ground every year through my thirties"): a loss there is no verdict
_BEFORE_TIME: Final = re.compile(r"before (?!i started|starting|treatment)|through my |"
                                 r"after (?:losing|years of)")
# (outs) a loss said not to go on, in its own clause, beside a stated span or a word that
# says the loss had been going on and stopped ("two years on fin and my hair is not getting
# worse", "my crown hasn't thinned further"): a hold, a gain (OUTCOMES.md: "loss halted or kept
# stable for a stated time"); otherwise a negated loss stays sameness (weak). Not in a sentence
# about the time before the treatment or after stopping it ("before finasteride my hair didn't
# get worse for two years either", "I quit minoxidil in May and my hairline hasn't receded
# since"), nor a span the loss came back after ("didn't get worse for two months, then ...")
_HALTED: Final = re.compile(r"\b(?:further|any ?more|since|(?:\d+|a|one|two|three|four|five|six|"
                            r"seven|eight|nine|ten|several|many) (?:years?|yrs?|months?))\b")
_NOT_HALTED: Final = re.compile(r"\b(?:before|quit|quitting|stopped|stopping|came off|coming off|"
                                r"then|until|till|again)\b")
_CLAUSE_MARK: Final = re.compile(r"[,;:]")
# (attrib) a speaker crediting the whole stack ("so I credit the pair", "credit to both I
# guess", "I'll credit the trio together", "the pairing gets the credit", "honestly all of
# them together"): the speaker's gains are each treatment's of the stack
_CREDIT_ALL: Final = re.compile(
    r"\bcredit(?:ing|s|ed)?(?: (?:goes|go))?(?: to)?(?: (?:the|them|it|these|this))?"
    r"(?: (?:whole|entire|full))? (?:both|pair|two|combo|combination|stack|trio|lot|duo|all|"
    r"three|routine|regimen|everything)\b(?! (?:of )?(?:you|u|ya|y'?all|who|here)\b)|"
    r"\b(?:give|giving|gives) (?:them|it) (?:all|both) (?:the )?credit\b|"
    r"\b(?:pair|pairing|combo|combination|stack|trio|duo) gets? (?:the |all the )?credit\b|"
    r"(?<!took )(?<!take )(?<!taking )(?<!used )(?<!use )(?<!using )(?<!started )"
    r"(?<!start )(?<!tried )(?<!apply )(?<!applied )"
    r"\b(?:all of them|all three|both of them|them all|the two|both) together"
    r"(?=[.!,;:)\n]| *$| (?:i (?:guess|think|suppose)|honestly|probably|imo)\b)")
# (not the people thanked, "credit to all of you who told me"; nor "both together" as the
# subject of what follows it, "both together cost me 40 a month", or as what was used, "I
# took both together")
# ... or crediting by name ("I give the credit to fin and min", "I credit the bica since that
# was the only change"): the speaker's gains are only the named ones'
_CREDIT_NAMED: Final = re.compile(r"\b(?:give|giving|gives) (?:the |all the |most of the )?"
                                  r"credit to |\bcredit(?:ing|s)? (?:goes )?(?:to )?")
_SENTENCE_STOP: Final = re.compile(r"[.!?\n]")
# a credit denied ("can't credit gt20029"), only partial or wished ("some credit to min",
# "I'd give credit to min too but"), or given for one gain only ("I credit the stamp plus min
# for that", "credit goes to min for the hairline") or besides another ("to min as well"):
# no restriction
_NO_CREDIT: Final = re.compile(r"\b(?:can'?t|cannot|not|won'?t|don'?t|wouldn'?t|couldn'?t|"
                               r"hard to|no|would|i'?d|partial|partly|some|part|little|bit of) "
                               r"(?:\w+ )?$")
_CREDIT_FOR_ONE: Final = re.compile(r"\bfor (?:that|this|it|those|these|the|my)\b|"
                                    r"\b(?:too|also|as well)\b")
# between "credit to" and the treatments credited: a determiner or two ("credit to the bica";
# not "credit to my derm for fin")
_CREDIT_GAP: Final = re.compile(r"(?:(?:the|my|oral|topical|both|a) )*")


def _halted(lowered: str, start: int, end: int, c_start: int, c_end: int) -> bool:
    """Whether the negated loss at [c_start, c_end) of the sentence [start, end) is a hold:
    `_HALTED` in its clause and no `_NOT_HALTED` word in the sentence."""
    if _NOT_HALTED.search(lowered, start, end):
        return False
    lo = max(start, max((m.end() for m in _CLAUSE_MARK.finditer(lowered, start, c_start)),
                        default=start))
    after = _CLAUSE_MARK.search(lowered, c_end, end)
    return bool(_HALTED.search(lowered, lo, after.start() if after else end))


# the hair areas a sentence may set against each other ("crown came back, temples carried
# on receding"): each word's group (the back of the head, the front, the part)
_AREAS: Final = re.compile(r"\b(?:(crown|vertex|mid ?scalp|back)|(temples?|hairline|front|"
                           r"recession)|(part|parting))\b")


def _area(lowered: str, start: int, end: int) -> int:
    """The group of the last hair area named in [start, end) (1 back, 2 front, 3 part), or
    0 for none."""
    last = 0
    for m in _AREAS.finditer(lowered, start, end):
        last = m.lastindex or 0
    return last


def _other_area(here: Sentence, g_start: int, g_end: int, l_start: int) -> bool:
    """Whether the loss at `l_start`, a clause after the gain at [g_start, g_end), is told
    of another hair area than the gain ("crown came back, temples carried on receding"; not
    "new hairs at the crown, still thinner than the rest")."""
    lowered = here.lowered
    between = lowered.find(",", g_end, l_start)
    if between < 0:
        return False
    loss_area = _area(lowered, between, l_start)
    if not loss_area:
        return False
    lo = max(here.start, lowered.rfind(",", here.start, g_start) + 1)
    gain_area = _area(lowered, lo, g_end)
    return bool(gain_area) and gain_area != loss_area


# (outg2) a clause spoken to the reader ("you quit way too early", "don't give up on it too
# early"): a "too early" there is advice, not the writer's hedge
_ADDRESSED: Final = re.compile(r"\b(?:you|don'?t|do not|give it)\b")
# (outg2) an add-on's verdict ("nothing extra", "any extra benefit", "added nothing"), the
# base it was added to named before it ("with my fin", "over fin alone"), and how far back
# (characters) the base may be named (the sentence before: "used it alongside fin.")
# (outi) or measured against the base ("zero difference vs min alone")
_ADD_ON_VERDICT: Final = re.compile(r"\b(?:extra|added|adds|vs|versus|compared to|"
                                    r"compared with)\b")
_BASE_BEFORE: Final = re.compile(r"\b(?:with|alongside|on top of|in addition to|over|"
                                 r"besides|beyond)(?: my| the| oral| topical)? $")
_ON_TOP: Final = re.compile(r"\b(?:on top of|in addition to)\b")
_ADD_ON_BACK: Final = 120
# (outl) the base an add-on was added "to" ("added topical cetirizine to fin: nothing extra")
_BASE_AFTER_ADDED: Final = re.compile(r"\b(?:added|adding|add)\b[^.!?\n,;:]{1,40} to"
                                      r"(?: my| the)? $")
# (outk) a treatment named as what the writer added ("on fin since 2023 and added setipiprant
# six months ago", "adding topical RU"), right before its name
_ADDED: Final = re.compile(r"\b(?:added|adding|added on|threw in|thrown in)(?: in)?"
                           r"(?: the| my| some| a| an| oral| topical)? $")


def _contrasted(here: Sentence, span: tuple[int, int]) -> bool:
    """Whether a loss is a setback set against the sentence's gains, not their caveat: every
    gain comes before it with a strong clause break ("but", "however", "and then") or
    "while" between ("fin kept my front for three years, but the crown kept getting
    thinner"; not "new hairs, still thinner than the rest"), or a comma and another hair
    area ("crown came back, temples carried on receding"), or after it with "while",
    "whereas", "even though" or "although" between ("my crown did thin out while the front
    held", "my temples kept creeping even though the crown held"; not the story before
    and after: "my hairline was retreating for years, but finasteride regrew it")."""
    strong, lowered = here.strong, here.lowered
    for g_start, g_end, g_kind in here.cues:
        if g_kind != "improved":
            continue
        if g_end <= span[0]:
            if not starts_in(strong, g_end, span[0]) and \
                    _BOTH_WAYS.search(lowered, g_end, span[0]) is None and \
                    not _other_area(here, g_start, g_end, span[0]):
                return False
        elif _BOTH_WAYS.search(lowered, span[1], g_start) is None and (
                _CONCEDED_AFTER.search(lowered, span[1], g_start) is None or (
                    _TOLD_LATER.search(lowered, span[1], here.end) is not None and
                    _area(lowered, span[1], here.end) in (0, _area(lowered, here.start,
                                                                   span[1])))):
            return False
    return True


@trait
class Recording:
    """Recording a first-hand effect cue for its treatments, and the note of each record;
    `outcome_reading._Extraction` (one thread being read) inherits it and holds the state
    it reads."""

    lowered: str
    reports: dict[str, Reports]
    trace: list[tuple[str, str, str]] | None
    notes: list[tuple[str, str, int, int, int, int, int]] | None
    _hedged: bool  # the sentence being read follows a too-early hedge
    mentions: list[tuple[int, int, str]]  # (start, end, treatment) of each mention, sorted
    m_starts: list[int]

    # defined by the other classes `_Extraction` inherits, declared as methods (not as
    # attributes holding a callable: mypyc compiles this class as a trait, which reads
    # attributes from its own slots)
    def _condition_after(self, here: Sentence, c_end: int) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _condition_before(self, here: Sentence, c_start: int, c_end: int) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _treatments_in(self, start: int, end: int) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _focus(self) -> list[str]:
        raise NotImplementedError  # outcome_reading._Extraction

    def _unit_of(self, position: int) -> int:
        raise NotImplementedError  # outcome_reading._Extraction

    def _negated(self, here: Sentence, c_start: int, c_end: int, side: bool) -> bool:
        raise NotImplementedError  # outcome_scope.ScopeChecks

    def _topic_of(self, start: int, end: int) -> list[str]:
        raise NotImplementedError  # outcome_attribution.Attribution

    def _credited_stack(self, u_start: int, u_end: int, speaker: int,
                        topic: list[str]) -> None:
        """(attrib) When the unit [u_start, u_end) credits the whole stack (`_CREDIT_ALL`, not
        in a question) and its speaker reported a gain, that gain is each treatment's of
        the stack: those the unit names as used before the credit (two or more), else those
        with its `topic` ("Two years of fin, min and Nizoral. Crown is full again. I'll credit
        the trio together"); when it credits treatments by name (`_CREDIT_NAMED`), the
        speaker's gains are theirs only ("I give the credit to fin and min"; not a credit
        denied, "can't credit RU", nor one for a gain, "I credit min for that")."""
        lowered = self.lowered
        if lowered.find("credit", u_start, u_end) < 0 and \
                lowered.find("together", u_start, u_end) < 0:
            return
        gained = [t for t, r in self.reports.items()
                  if "improved" in r.effects.get(speaker, ()) or
                  "improved" in r.shared.get(speaker, ())]
        if not gained:
            return
        for match in _CREDIT_ALL.finditer(lowered, u_start, u_end):
            stop = _SENTENCE_STOP.search(lowered, match.end(), u_end)
            if stop is None or lowered[stop.start()] != "?":
                named = self._topic_of(u_start, match.start())
                stack = named if len(named) > 1 else \
                    list(dict.fromkeys([*topic, *named]))
                if len(stack) > 1:
                    for t in stack:
                        self.reports.setdefault(t, Reports()).effects.setdefault(
                            speaker, set()).add("improved")
                return
        for match in _CREDIT_NAMED.finditer(lowered, u_start, u_end):
            stop = _SENTENCE_STOP.search(lowered, match.end(), u_end)
            end = stop.start() if stop is not None else u_end
            if lowered[end:end + 1] == "?":
                continue
            if _NO_CREDIT.search(lowered, max(u_start, match.start() - 20), match.start()) or \
                    _CREDIT_FOR_ONE.search(lowered, match.end(), end):
                continue
            credited = self._treatments_in(match.end(), end)
            if credited and _CREDIT_GAP.fullmatch(
                    lowered, match.end(), self.m_starts[bisect_left(self.m_starts, match.end())]):
                for t in gained:
                    if t not in credited:
                        report = self.reports[t]
                        for said in (report.effects, report.shared):
                            if speaker in said:
                                said[speaker].discard("improved")
                return

    def _shed_beside(self, here: Sentence, span: tuple[int, int]) -> bool:
        """Whether a shed the sentence tells (not denied: "never had a shed, but my hairline
        kept retreating" is a loss) lies in the loss's clause group: no strong break
        between them."""
        strong = here.strong
        for o_start, o_end, o_kind in here.cues:
            if o_kind != "shedding":
                continue
            lo, hi = (o_end, span[0]) if o_end <= span[0] else (span[1], o_start)
            if not starts_in(strong, lo, hi) and \
                    not self._negated(here, o_start, o_end, side=True):
                return True
        return False

    def _add_on(self, here: Sentence, targets: list[str]) -> list[str]:
        """(outg2) What an add-on's verdict ("can't see any extra benefit over fin alone",
        "used it alongside fin, can't say it did anything extra") is about: not the base
        it was added to (named after "with", "alongside", "over"..., after "added ... to",
        or before "alone" in its sentence or just before it), but the other targets, else
        the thread's focus less the base; the targets as they were when no base is named."""
        lowered, mentions = self.lowered, self.mentions
        lo = bisect_left(self.m_starts, max(0, here.start - _ADD_ON_BACK))
        hi = bisect_left(self.m_starts, here.end, lo)
        bases = {tid for m_start, m_end, tid in mentions[lo:hi]
                 if _BASE_BEFORE.search(lowered, max(0, m_start - 24), m_start)
                 or lowered.startswith(" alone", m_end)
                 or _BASE_AFTER_ADDED.search(lowered, max(0, m_start - 60), m_start)}
        if not bases.intersection(targets):
            return targets
        return [t for t in targets if t not in bases] or \
            [t for t in self._focus() if t not in bases] or targets

    def _added(self, here: Sentence, targets: list[str]) -> list[str]:
        """(outk) Of several treatments a no-gain verdict goes to, those the unit names as
        added in the sentence or just before it ("I have been on fin since 2023 and added
        setipiprant six months ago. Nothing changed at all": setipiprant's); all of them
        when it names none or several (a regimen told step by step: "then added min foam,
        ..., added nizoral")."""
        lowered = self.lowered
        lo = bisect_left(self.m_starts, max(self._unit_of(here.start),
                                            here.start - _ADD_ON_BACK))
        hi = bisect_left(self.m_starts, here.end, lo)
        added = {tid for m_start, _, tid in self.mentions[lo:hi]
                 if _ADDED.search(lowered, max(0, m_start - 24), m_start)}
        if len(added) != 1:
            return targets
        return [t for t in targets if t in added] or targets

    def _early_elsewhere(self, here: Sentence, targets: list[str],
                         span: tuple[int, int]) -> bool:
        """(outg2) Whether every "too early" hedge of the sentence is part of the verdict
        at `span` ("8 months and nothing yet", a `[[near]]` cue) or stands in a later clause
        that names another treatment or speaks to the reader: the hedge is not this
        verdict's ("spiro was useless for me over a year, just switched to bica, so too
        early to say", "it brought my temples back, you quit way too early"; not "a bit
        thicker, but too early to say")."""
        lowered, breaks = here.lowered, here.breaks
        c_end = span[1]
        for t_start, t_end in here.triggers["too_early"]:
            if (t_start, t_end) == span:
                continue
            if t_start < c_end or not starts_in(breaks, c_end, t_start):
                return False
            if not any(t not in targets for t in self._treatments_in(c_end, t_start)) and \
                    _ADDRESSED.search(lowered, breaks[bisect_left(breaks, t_start) - 1],
                                      t_start) is None:
                return False
        return True

    def _before_time(self, here: Sentence, span: tuple[int, int]) -> bool:
        """(outm) Whether a `history` trigger of the time before the treatment
        (`_BEFORE_TIME`) stands in the clause of the cue at `span`."""
        lowered, breaks = here.lowered, here.breaks
        for t_start, t_end in here.triggers["history"]:
            lo, hi = (t_end, span[0]) if t_end <= span[0] else (span[1], t_start)
            if _BEFORE_TIME.match(lowered, t_start) and \
                    (lo >= hi or not starts_in(breaks, lo, hi)):
                return True
        return False

    def _effect(self, here: Sentence, targets: list[str], kind: str, negated: bool,
                span: tuple[int, int], shared: bool = False) -> None:
        if ("too_early" in here.triggers and not self._early_elsewhere(here, targets, span)) \
                or (kind == "unchanged" and self._hedged):
            return  # (sameness right after "nothing yet" is part of that hedge: "Don't see
            # anything yet. Photos look identical.")
        if kind == "declined" and ("history" in here.triggers or
                                   (here.gains and not _contrasted(here, span))):
            return  # the loss before treatment, or a gain's caveat
        if kind == "no_effect" and "history" in here.triggers and \
                self._before_time(here, span):
            return  # the loss before the treatment ("before RU, I was losing ground")
        if kind == "declined" and self._shed_beside(here, span):
            return  # the loss is the shed told beside it, a side effect ("shock loss, my
            # native hair thinned out")
        if kind == "improved" and (self._condition_after(here, span[1])
                                   or self._condition_before(here, *span)):
            return  # "helped my flaking", "filled in on its own", "my mood was way better"
        if kind == "no_effect" and (_ADD_ON_VERDICT.search(self.lowered, span[0], span[1] + 12)
                                    or _ON_TOP.search(self.lowered, here.start, here.end)):
            targets = self._add_on(here, targets)  # (outp: or a sentence naming the base
            # "on top of" which the add-on was used: "did 3 sessions on top of fin, zero
            # difference")
        elif kind in ("no_effect", "unchanged") and not negated and 1 < len(targets) <= 3:
            targets = self._added(here, targets)
        direction = kind
        if kind == "unchanged" and "content" in here.triggers:
            direction = "improved"
        if negated:  # "didn't regrow" is weak (it may still have held the hair)
            direction = "unchanged" if direction in ("improved", "declined") else "improved"
            if kind == "declined" and _halted(self.lowered, here.start, here.end, *span):
                direction = "improved"
        for t in targets:
            report = self.reports.setdefault(t, Reports())
            (report.shared if shared else report.effects).setdefault(
                here.speaker, set()).add(direction)
            if self.notes is not None or self.trace is not None:
                self._note(t, direction, span, here)

    def _note(self, treatment: str, label: str, span: tuple[int, int],
              here: Sentence) -> None:
        """Keep what was recorded and why, when tracing (error analysis) or noting (the
        learned reader)."""
        if self.notes is not None:
            self.notes.append((treatment, label, span[0], span[1], here.start, here.end,
                               here.speaker))
        if self.trace is not None:
            self.trace.append((treatment, f"{label}<{self.lowered[span[0]:span[1]]}>",
                               self.lowered[here.start:here.end]))

