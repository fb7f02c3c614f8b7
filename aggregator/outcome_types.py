"""What a thread reports about a treatment: the effect values, side effects and `Outcome`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from models.kinds import EFFECTS

__all__ = ["EFFECTS", "READER_NOTE", "SIDE_EFFECTS", "Outcome", "side_effect_label"]
SIDE_EFFECTS: Final = ("sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast",
                       "other")


@dataclass(frozen=True)
class Outcome:
    """What a thread reports about one treatment."""

    effect: str = "none"
    side_effects: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """`{"effect": ..., "side_effects": [...]}` (the output and storage shape)."""
        return {"effect": self.effect, "side_effects": list(self.side_effects)}


# What every view of outcome counts tells its reader about how they were read. The figures are
# the shipped reader's on blind corpora it had not seen (effect accuracy 0.71-0.75, side-effect
# precision 0.71-0.78: benchmarks/corpus/outcomes_zwzx_run.txt, outcomes_zyzz_run.txt,
# outcomes_yayb_run.txt, outcomes_ycyd_run.txt; docs/aggregator.md "Current figures"): update
# it with them.
READER_NOTE: Final = (
    "Read automatically from the text of each thread, not reviewed by a person: on test "
    "threads it had not seen, about 7 in 10 effects and 3 in 4 side effects it listed "
    "matched a careful human reading. Treat the counts as approximate.")

# How reader-facing text names a side effect (the others read as they are).
_SIDE_EFFECT_LABELS: Final = {"body_hair": "body hair"}


def side_effect_label(side_effect: str) -> str:
    """A side effect as readers see it: `body_hair` -> "body hair" (ids stay in JSON/CSV)."""
    return _SIDE_EFFECT_LABELS.get(side_effect, side_effect.replace("_", " "))
