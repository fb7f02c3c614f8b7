"""What a lexicon change affects: the treatments it touched and the threads to re-tag.

A thread's tags can only change when its text contains a phrase the change touched: an
alias (old or new) of a treatment whose entry changed, an alias of a combo added or
removed, or a decoy added or removed. The tagger matches whole words on normalised text,
so a thread without any of those phrases tags exactly as before, context rules included
(a rule only looks at the sentence around an alias that matched). Changes outside the
treatments, combos and decoys (the form cues) can touch any thread: those redo everything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from aggregator.lexicon import alias_key, normalise
from aggregator.link_types import ThreadText

# Top-level lexicon keys whose changes `lexicon_delta` can confine to some threads.
LOCAL_KEYS = frozenset({"treatment", "combo", "decoys", "version"})


@dataclass(frozen=True)
class LexiconDelta:
    """Treatments whose entry changed and the normalised phrases that mark a thread."""

    treatments: frozenset[str]
    phrases: frozenset[str]


def lexicon_delta(old: dict[str, Any] | None, new: dict[str, Any]) -> LexiconDelta | None:
    """The difference between two lexicons' data, or None when it is not local."""
    if old is None:
        return None
    if any(old.get(k) != new.get(k) for k in (set(old) | set(new)) - LOCAL_KEYS):
        return None
    old_t = {t.get("id"): t for t in old.get("treatment", [])}
    new_t = {t.get("id"): t for t in new.get("treatment", [])}
    treatments: set[str] = set()
    phrases: set[str] = set()
    for tid in old_t.keys() | new_t.keys():
        before, after = old_t.get(tid), new_t.get(tid)
        if before != after:
            treatments.add(str(tid))
            for entry in (before, after):
                if entry is not None:
                    phrases.update(_entry_phrases(entry))
    old_c, new_c = _canonical(old.get("combo", [])), _canonical(new.get("combo", []))
    for combo in (old_c ^ new_c):
        data = json.loads(combo)
        treatments.update(data.get("treatments", []))
        phrases.update(data.get("aliases", []))
    phrases.update(set(old.get("decoys", [])) ^ set(new.get("decoys", [])))
    keys = {alias_key(p) for p in phrases}  # as the tagger keys its aliases
    return LexiconDelta(frozenset(treatments), frozenset(k for k in keys if k))


def _entry_phrases(entry: dict[str, Any]) -> set[str]:
    phrases = {str(entry.get("id", "")).replace("_", " "), *entry.get("aliases", []),
               *entry.get("alias_forms", {})}
    for rule in entry.get("rule", []):
        phrases.update(rule.get("aliases", []))
    return phrases


def _canonical(items: Iterable[Any]) -> set[str]:
    return {json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items}


class PhraseScanner:
    """Finds threads whose text contains any of some phrases as whole words."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.automaton: Any = ahocorasick.Automaton()
        for phrase in phrases:
            self.automaton.add_word(f" {phrase} ", phrase)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def matches(self, thread: ThreadText) -> bool:
        """Whether the thread's title, body or replies contain one of the phrases (on the
        same normalised text the tagger scans)."""
        if self.empty:
            return False
        text = normalise("\n".join((thread.title, thread.body, *thread.replies)))
        for _ in self.automaton.iter(f" {text} "):
            return True
        return False
