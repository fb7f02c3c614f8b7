"""The tally of one treatment's first-hand reports in the outcome reader, and the outcome
they add up to (`Reports.outcome`): effect directions per speaker (those credited to a whole
regimen apart), side effects, and those read from an unqualified "sides" (rules in
`aggregator.outcomes`). `aggregator.outcome_record` records into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from aggregator.outcome_types import SIDE_EFFECTS, Outcome

_WEAK: Final = frozenset({"unchanged"})  # counts as no effect only when alone
# the side effects an unqualified "sides" of the same treatment may have meant: the
# systemic ones (a headache after an injection session is not what "oral dut gave me sides"
# meant)
_VAGUE_MEANT: Final = frozenset({"sexual", "mood", "breast", "cardio", "skin", "body_hair"})


@dataclass
class Reports:
    """First-hand reports gathered for one treatment."""

    effects: dict[int, set[str]] = field(default_factory=dict)  # speaker -> directions
    # speaker -> directions credited to a whole regimen: they count only for a speaker who
    # says nothing about this treatment on its own ("crown denser" after a four-item stack,
    # then "keto does nothing for hair")
    shared: dict[int, set[str]] = field(default_factory=dict)
    sides: set[str] = field(default_factory=set)
    # side effects read from an unqualified "sides": they count only when no side effect
    # of this treatment that "sides" may have meant (`_VAGUE_MEANT`) is reported ("then the
    # sides hit" above a post that tells of a sore nipple is that nipple, not `sexual` too)
    vague: set[str] = field(default_factory=set)

    def outcome(self) -> Outcome:
        # "unchanged" (and a negated "declined") is weak: it only counts (as no effect) for a
        # speaker who reports nothing else
        said = {**self.shared, **self.effects}
        directions = [d - _WEAK or {"no_effect"} if d & _WEAK else d
                      for d in said.values() if d]
        # a loss ("declined") is no effect: with "did nothing" it makes no mixed report
        directions = [d - {"declined"} | {"no_effect"} if "declined" in d else d
                      for d in directions]
        every = set().union(*directions) if directions else set()
        if any(len(d) > 1 for d in directions) or len(every) > 1:
            effect = "mixed"
        else:
            effect = next(iter(every), "none")
        sides = self.sides
        if self.vague and not (sides & _VAGUE_MEANT):
            sides = sides | self.vague
        return Outcome(effect, tuple(s for s in SIDE_EFFECTS if s in sides))
