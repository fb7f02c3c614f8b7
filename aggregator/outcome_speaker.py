"""Who a sentence speaks of: the writer (a first-person marker outside an opinion frame),
people in general (a generic trigger covering the cue), or research (a research word that is
not what the writer read). `outcome_reading._Extraction` inherits these checks."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from aggregator.compiled import trait
from aggregator.outcome_scope import ScopeChecks, Sentence

# A research word as what the writer read or posted about ("Read a study on fin.", "posting
# because of that new trial"): the writer's own talk, not a research statement running on.
_READ_OBJECT: Final = re.compile(r"\b(?:read|reading|saw|seen|found|find|posting|posted|post|"
                          r"linked|shared|because of|about)\s+(?:[\w'-]+\s+){0,3}$")

# the writer's view of others, not a report of the writer ("I'd say", "in my opinion", "I
# know guys on fin who..."): no first person for `_generic`
_OPINION: Final = re.compile(r"\b(?:i'?d say|i would say|i think|i believe|i guess|i feel like|"
                             r"i reckon|in my (?:honest )?opinion|in my view|imo|imho|"
                             r"i(?:'ve)? (?:know|heard of|seen) (?:a lot of |lots of |many |"
                             r"plenty of |some |a few )?(?:guys|people|men|folks|a guy|"
                             r"someone|others)|my worry is)\b")


@trait
class SpeakerChecks(ScopeChecks):
    """The speaker checks; `outcome_reading._Extraction` (one thread being read) inherits
    them and holds the state they read."""

    _research_starts: list[int]  # where each research trigger starts
    _first_person: list[tuple[int, int]]  # each scanned first-person trigger
    _fp_starts: list[int]
    _any_scope: bool  # a scope pattern can match somewhere in the thread

    # defined by `_Extraction`, declared as a method (see `outcome_record.Recording`)
    def _patterns_for(self, start: int, end: int) -> list[tuple[str, re.Pattern[str]]]:
        raise NotImplementedError  # outcome_reading._Extraction

    def _says_research(self, start: int, end: int) -> bool:
        """Whether a research trigger ("trial", "et al") starts inside [start, end), not as
        what the writer read or posted about."""
        i = bisect_left(self._research_starts, start)
        while i < len(self._research_starts) and self._research_starts[i] < end:
            if self._research_word(self._research_starts[i], start):
                return True
            i += 1
        return False

    def _research_word(self, t_start: int, start: int) -> bool:
        """The research trigger at `t_start` of the sentence starting at `start` is not the
        object of a reading or posting verb ("read a study", "because of that trial")."""
        return _READ_OBJECT.search(self.lowered, max(start, t_start - 40), t_start) is None

    def _has_first_person(self, start: int, end: int) -> bool:
        """Whether a first-person trigger is inside the sentence [start, end): a scanned one
        or a match of a first-person pattern ("Did 3 sessions", "5 months in")."""
        if self._scanned_first_person(start, end):
            return True
        lowered = self.lowered
        return self._any_scope and any(
            kind == "first_person" and pattern.search(lowered, start, end) is not None
            for kind, pattern in self._patterns_for(start, end))

    def _scanned_first_person(self, start: int, end: int) -> bool:
        """Whether a scanned first-person trigger lies inside the sentence [start, end)."""
        triggers = self._first_person
        for i in range(bisect_left(self._fp_starts, start), len(triggers)):
            t_start, t_end = triggers[i]
            if t_start >= end:
                break
            if t_end <= end:
                return True
        return False

    def _generic(self, found: list[tuple[int, int]], c_start: int, here: Sentence) -> bool:
        """A generic trigger covers the cue (as a hypothetical one does), unless its scope
        ends at a clause break: the trigger's clause does not speak of the writer and the
        cue's clause does ("funny how different people are, fin has held me for seven
        years"; not "a guy at my gym told me, it killed his libido"). An opinion frame is
        no first person ("I'd say the sexual sides are overblown", "in my opinion regrowth
        is likely", "I know guys on finasteride who got ED")."""
        if not self._hypothetical(found, c_start, here):
            return False
        breaks = here.breaks
        if not breaks or self._hypothetical(found, c_start, here, breaks):
            return True  # (a trigger in the cue's own clause)
        i = bisect_left(breaks, c_start)
        lo = breaks[i - 1] if i else here.start
        hi = breaks[i] if i < len(breaks) else here.end
        if not self._speaks_of_writer(lo, hi):
            return True
        # (a trigger before `lo`, a break, lies in a clause that ends at a break)
        return any(t_end <= lo and self._words(t_end, c_start) < self.cues.scope_window and
                   self._speaks_of_writer(breaks[j - 1] if (j := bisect_left(breaks, t_start))
                                          else here.start, breaks[j])
                   for t_start, t_end in found)

    def _speaks_of_writer(self, lo: int, hi: int) -> bool:
        """Whether the clause [lo, hi) holds a first-person marker outside an opinion frame
        (`_OPINION`: the writer's view of others, not a report)."""
        if not self._has_first_person(lo, hi):
            return False
        frames = list(_OPINION.finditer(self.lowered, lo, hi))
        if not frames:
            return True
        pieces, at = [], lo
        for frame in frames:
            pieces.append((at, frame.start()))
            at = frame.end()
        pieces.append((at, hi))
        return any(a < b and self._has_first_person(a, b) for a, b in pieces)
