"""The outcome reader a config asks for: the cue file, and the side-effect filter on top.

    [aggregate]
    outcome_cues = "my-cues.toml"   # extends the packaged cue file (relative to the config)
    side_effect_filter = false      # the rules' side effects unfiltered (default: filtered)
"""

from __future__ import annotations

from aggregator import outcome_side_filter
from aggregator.outcome_cue_file import OutcomeCueError, OutcomeCues, load_outcome_cues
from aggregator.outcome_side_filter import SideFilterError, load_side_filter, with_side_filter
from models.config import Config, config_relative


def outcome_cues_for(config: Config) -> OutcomeCues:
    """The cues a config asks for, with the packaged side-effect filter unless
    `side_effect_filter = false`. Raises OutcomeCueError (a bad cue file or weights file)."""
    section = config.section("aggregate")  # (validated: models.config_schema.AggregateTable)
    path = section.get("outcome_cues")
    cues = load_outcome_cues(config_relative(config.path, path) if path else None)
    return filtered(cues, section.get("side_effect_filter", True) is not False)


def filtered(cues: OutcomeCues, side_filter: bool = True) -> OutcomeCues:
    """`cues` with the packaged side-effect filter (`side_filter`), or as they are."""
    if not side_filter:
        return cues
    try:
        return with_side_filter(cues, load_side_filter(outcome_side_filter.PACKAGED_SIDE_FILTER))
    except SideFilterError as exc:
        raise OutcomeCueError(str(exc)) from None


def default_cues() -> OutcomeCues:
    """The packaged cue file and side-effect filter (what a run without a config reads)."""
    return filtered(load_outcome_cues())
