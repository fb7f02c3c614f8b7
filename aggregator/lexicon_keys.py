"""The shape of a user lexicon file (config key `lexicon`): which tables and keys it may
hold, so a misspelled key (`alias` for `aliases`, `[[treatments]]`) is an error naming it
instead of a silently ignored entry."""

from __future__ import annotations

import difflib
from typing import Any

TOP_LEVEL = frozenset({"version", "decoys", "treatment", "combo", "forms"})
TREATMENT = frozenset({"id", "name", "category", "forms", "aliases", "alias_forms", "rule",
                       "replace_aliases", "remove_aliases"})
RULE = frozenset({"aliases", "cased", "require_near", "reject_near", "reject_before",
                  "reject_after", "other_sense", "unless_near", "one_sense_per_thread"})
COMBO = frozenset({"aliases", "treatments"})
FORM = frozenset({"cues", "patterns", "pattern_hints"})


def _unknown(table: dict[str, Any], known: frozenset[str], where: str) -> str | None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f" (known: {', '.join(sorted(known))})"
            return f"{where}unknown key {key!r}{hint}"
    return None


def _tables(value: Any, key: str) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return [], f"{key!r} must be an array of tables: [[{key}]]"
    return value, None


def lexicon_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a user lexicon's parsed TOML (None: nothing)."""
    problem = _unknown(data, TOP_LEVEL, "")
    if problem:
        return problem
    if not isinstance(data.get("decoys", []), list):
        return "'decoys' must be an array of phrases"
    forms = data.get("forms", {})
    if not isinstance(forms, dict) or not all(isinstance(v, dict) for v in forms.values()):
        return "'forms' must hold tables: [forms.<form>]"
    for name, spec in forms.items():
        problem = _unknown(spec, FORM, f"[forms.{name}]: ")
        if problem:
            return problem
    combos, problem = _tables(data.get("combo", []), "combo")
    for index, combo in enumerate(combos):
        problem = problem or _unknown(combo, COMBO, f"combo #{index + 1}: ")
    if problem:
        return problem
    treatments, problem = _tables(data.get("treatment", []), "treatment")
    for entry in treatments:
        where = f"treatment {entry.get('id', '?')!r}: "
        problem = problem or _unknown(entry, TREATMENT, where)
        rules, rule_problem = _tables(entry.get("rule", []), "rule")
        problem = problem or (rule_problem and where + rule_problem)
        for index, rule in enumerate(rules):
            problem = problem or _unknown(rule, RULE, f"{where}rule #{index + 1}: ")
    return problem
