"""The learned parts on top of the cue rules: the effect model picks each pair's effect
(`outcome_effect_model`) and the side-effect filter drops side effects the rules proposed
(`outcome_side_filter`). Both read what the rules noted while reading the thread once."""

from __future__ import annotations

from collections.abc import Sequence

from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_effect_model import pair_features
from aggregator.outcome_reading import Mention, read_and_run
from aggregator.outcome_side_filter import side_tokens, thread_facts
from aggregator.outcome_types import Outcome


def learned_outcomes(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """The rules' outcomes (`outcome_reading.extract_outcomes`, same arguments) with the
    effect the cues' effect model picks and without the side effects their filter drops
    (each part only when the cues carry it). Where the thread holds no cue the rules'
    `none` stands. Both parts see the rules' own outcome among their features."""
    rules, reading = read_and_run(cues, parts, mentions, normalised, notes=True)
    if reading is None:
        return rules
    model, side_filter = cues.effect_model, cues.side_filter
    facts = thread_facts(sorted(rules))
    title_end = len(parts[0]) if parts else 0
    out = dict(rules)
    effects = {}
    if model is not None:
        treatments = list(rules)
        effects = dict(zip(treatments, model.effects(
            [pair_features(reading, mentions, t, rules[t], facts, title_end)
             for t in treatments]), strict=True))
    for treatment, outcome in rules.items():
        effect = effects.get(treatment, outcome.effect)
        sides = outcome.side_effects
        if sides and side_filter is not None:
            tokens = side_tokens(reading, treatment, outcome, facts)
            sides = tuple(s for s in sides if side_filter.keeps(tokens[s]))
        if effect != outcome.effect or sides != outcome.side_effects:
            out[treatment] = Outcome(effect=effect, side_effects=sides)
    return out
