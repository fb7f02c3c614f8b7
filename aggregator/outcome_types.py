"""What a thread reports about a treatment: the effect values, side effects and `Outcome`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from models.kinds import EFFECTS

__all__ = ["EFFECTS", "SIDE_EFFECTS", "Outcome", "side_effect_label"]
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



# How reader-facing text names a side effect (the others read as they are).
_SIDE_EFFECT_LABELS: Final = {"body_hair": "body hair"}


def side_effect_label(side_effect: str) -> str:
    """A side effect as readers see it: `body_hair` -> "body hair" (ids stay in JSON/CSV)."""
    return _SIDE_EFFECT_LABELS.get(side_effect, side_effect.replace("_", " "))
