"""Which `[patterns]` regexes of the outcome cue file can match a thread: the literal each
needs (`outcome_cue_file.literal_hint`), all found in one Aho-Corasick pass over the
lower-cased text instead of one substring search per regex."""

from __future__ import annotations

from typing import Any

import ahocorasick

from aggregator.outcome_cue_file import OutcomeCues

_AUTOMATA: dict[int, tuple[OutcomeCues, Any]] = {}  # id(cues) -> (cues, their hint automaton)


def _automaton(cues: OutcomeCues) -> Any:
    """The automaton of every hint of `cues`' patterns (None: they have none)."""
    known = _AUTOMATA.get(id(cues))
    if known is None or known[0] is not cues:
        hints = {h for _, _, h in (*cues.cue_patterns, *cues.scope_patterns) if h}
        automaton: Any = None
        if hints:
            automaton = ahocorasick.Automaton()
            for hint in hints:
                automaton.add_word(hint, hint)
            automaton.make_automaton()
        if len(_AUTOMATA) >= 8:
            _AUTOMATA.clear()
        known = _AUTOMATA[id(cues)] = (cues, automaton)
    return known[1]


def hints_in(cues: OutcomeCues, lowered: str) -> set[str]:
    """The hints of `cues`' patterns that occur in `lowered` (as substrings: a pattern
    whose hint is not among them cannot match)."""
    automaton = _automaton(cues)
    return {hint for _, hint in automaton.iter(lowered)} if automaton is not None else set()
