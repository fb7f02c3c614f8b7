"""The learned parts on top of the cue rules: the effect model picks each pair's effect
(`outcome_effect_model`) and the side-effect filter drops side effects the rules proposed
(`outcome_side_filter`). Both read what the rules noted while reading the thread once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_effect_model import PairFeatures, pair_features
from aggregator.outcome_reading import Mention, ThreadInput, read_and_run
from aggregator.outcome_side_filter import side_tokens, thread_facts
from aggregator.outcome_types import Outcome


def learned_outcomes(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """The rules' outcomes (`outcome_reading.extract_outcomes`, same arguments) with the
    effect the cues' effect model picks and without the side effects their filter drops
    (each part only when the cues carry it). Where the thread holds no cue the rules'
    `none` stands. Both parts see the rules' own outcome among their features."""
    return learned_outcomes_of(cues, [(parts, mentions, normalised)])[0]


def learned_outcomes_of(cues: OutcomeCues, threads: Iterable[ThreadInput]
                        ) -> list[dict[str, Outcome]]:
    """`learned_outcomes` of each thread; the effect model scores the threads' pairs
    together (its look-ups and numpy calls shared), with the same effects."""
    model, side_filter = cues.effect_model, cues.side_filter
    outcomes: list[dict[str, Outcome]] = []
    scored: list[tuple[int, list[str], list[PairFeatures]]] = []  # (thread, treatments, pairs)
    for parts, mentions, normalised in threads:
        rules, reading = read_and_run(cues, parts, mentions, normalised, notes=True)
        out = dict(rules)
        outcomes.append(out)
        if reading is None:
            continue
        facts = thread_facts(sorted(rules))
        if side_filter is not None:
            for treatment, outcome in rules.items():
                if outcome.side_effects:
                    tokens = side_tokens(reading, treatment, outcome, facts)
                    sides = tuple(s for s in outcome.side_effects
                                  if side_filter.keeps(tokens[s]))
                    if sides != outcome.side_effects:
                        out[treatment] = Outcome(effect=outcome.effect, side_effects=sides)
        if model is not None:
            title_end = len(parts[0]) if parts else 0
            treatments = list(rules)
            scored.append((len(outcomes) - 1, treatments, [
                pair_features(reading, mentions, t, rules[t], facts, title_end)
                for t in treatments]))
    if model is not None and scored:
        effects = model.effects_of(pairs for _, _, pairs in scored)
        for (index, treatments, _), found in zip(scored, effects, strict=True):
            out = outcomes[index]
            for treatment, effect in zip(treatments, found, strict=True):
                if effect != out[treatment].effect:
                    out[treatment] = Outcome(effect=effect,
                                             side_effects=out[treatment].side_effects)
    return outcomes
