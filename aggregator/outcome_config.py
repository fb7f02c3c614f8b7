"""The outcome reader a config asks for: the cue file, and the learned parts on top (the
side-effect filter, on by default, and the effect model, off by default).

    [aggregate]
    outcome_cues = "my-cues.toml"   # extends the packaged cue file (relative to the config)
    side_effect_filter = false      # the rules' side effects unfiltered (default: filtered)
    effect_model = true             # the effect model's effects (default: the rules')
"""

from __future__ import annotations

from aggregator import outcome_effect_model, outcome_side_filter
from aggregator.outcome_cue_file import OutcomeCueError, OutcomeCues, load_outcome_cues
from aggregator.outcome_effect_model import (
    EffectModelError,
    load_effect_model,
    with_effect_model,
)
from aggregator.outcome_side_filter import SideFilterError, load_side_filter, with_side_filter
from models.config import Config, config_relative


def outcome_cues_for(config: Config) -> OutcomeCues:
    """The cues a config asks for: with the packaged side-effect filter unless
    `side_effect_filter = false`, and with the packaged effect model when `effect_model =
    true`. Raises OutcomeCueError (a bad cue file or weights file)."""
    section = config.section("aggregate")  # (validated: models.config_schema.AggregateTable)
    path = section.get("outcome_cues")
    cues = load_outcome_cues(config_relative(config.path, path) if path else None)
    return filtered(cues, section.get("side_effect_filter", True) is not False,
                    section.get("effect_model", False) is True)


def filtered(cues: OutcomeCues, side_filter: bool = True, effect_model: bool = False
             ) -> OutcomeCues:
    """`cues` with the packaged side-effect filter (`side_filter`) and effect model
    (`effect_model`), or as they are."""
    try:
        if side_filter:
            cues = with_side_filter(cues,
                                    load_side_filter(outcome_side_filter.PACKAGED_SIDE_FILTER))
        if effect_model:
            cues = with_effect_model(
                cues, load_effect_model(outcome_effect_model.PACKAGED_EFFECT_MODEL))
    except (SideFilterError, EffectModelError) as exc:
        raise OutcomeCueError(str(exc)) from None
    return cues


def default_cues() -> OutcomeCues:
    """The packaged cue file and side-effect filter (what a run without a config reads)."""
    return filtered(load_outcome_cues())
