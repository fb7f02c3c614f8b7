"""The outcome cue file (`outcome_cues.toml`, extended by a user file): loaded (read and
checked by `outcome_cue_schema`) and compiled into scanners and regexes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import ahocorasick

from aggregator.lexicon import normalise
from aggregator.outcome_cue_schema import (
    CLASS_REF,
    EFFECT_KINDS,
    SCOPE_KINDS,
    SIDE_KINDS,
    OutcomeCueError,
    check_class_refs,
    read_cue_file,
    validate_cue_data,
)
from aggregator.phrase_scanner import PairScanner, phrase_keys
from aggregator.regex_forms import (
    led_by_character,
    literal_alternation,
    pattern_literals,
    scan_form,
)

if TYPE_CHECKING:  # (the learned parts' modules import this one)
    from aggregator.outcome_effect_model import EffectModel
    from aggregator.outcome_side_filter import SideFilter

PACKAGED_CUES: Final = Path(__file__).with_name("outcome_cues.toml")
# The reader's version: part of `OutcomeCues.version_hash`, so stored outcomes are re-read when
# the reader's code reads the same cues differently (bump it with every such change, as
# `summaries.VERSION` for the summariser); "1" before stop 43 was not part of the hash.
READER_VERSION: Final = "3"


@dataclass(frozen=True)
class NearCue:
    """A cue word that counts only when one of `after` ends within `within` words before
    it."""

    kind: str
    after: frozenset[str]  # normalised words or phrases
    within: int
    named: bool = False  # counts only in a sentence that names a treatment
    # (outx) or one of these starts at most `within` words after it ("more coverage"); an
    # entry that lists them reads both ways within one clause (no `[scope] breaks` between)
    before: frozenset[str] = frozenset()
    after_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    longest: int = field(init=False, compare=False, repr=False)  # words in the longest phrase
    before_longest: int = field(init=False, compare=False, repr=False)
    # the last words of the `after` phrases, the first of the `before` ones (the phrases
    # are joined only where one of these is)
    after_lasts: frozenset[str] = field(init=False, compare=False, repr=False)
    before_firsts: frozenset[str] = field(init=False, compare=False, repr=False)
    # the last word of every `after` item (one of them closes what `after_re` finds)
    after_ends: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # any of `after` as a substring (a quick test before the words are split; a comma
        # normalised to a space leaves two: "was thin, now covered")
        object.__setattr__(self, "after_re", re.compile("|".join(
            " +".join(map(re.escape, a.split())) for a in sorted(self.after)) or r"(?!x)x"))
        object.__setattr__(self, "longest", max((len(a.split()) for a in self.after),
                                                default=1))
        object.__setattr__(self, "before_longest", max(
            (len(a.split()) for a in self.before), default=1))
        object.__setattr__(self, "after_lasts", frozenset(
            a.split()[-1] for a in self.after if " " in a))
        object.__setattr__(self, "before_firsts", frozenset(
            b.split()[0] for b in self.before if " " in b))
        object.__setattr__(self, "after_ends", frozenset(a.split()[-1] for a in self.after))


@dataclass
class OutcomeCues:
    """The compiled cue file."""

    # one pass finds the cues (the first kind of a phrase wins; `[[near]]` words are the
    # kinds "near<i>") and the scope triggers (every kind of a phrase)
    scanner: PairScanner
    near: list[NearCue]  # `[[near]]` entries; the scanner's kinds "near<g>" ...
    first_near_rank: int  # ... with the priorities first_near_rank + g, after every cue's,
    # are groups of entries (`near_groups`), those listing a word: each is tried in order
    # (kind, regex, a literal it needs) from `[patterns]`
    cue_patterns: list[tuple[str, re.Pattern[str], str | None]]
    scope_patterns: list[tuple[str, re.Pattern[str], str | None]]
    break_re: re.Pattern[str]
    strong_break_re: re.Pattern[str]
    window: int
    scope_window: int
    op_markers: tuple[str, ...]
    sexual_on: frozenset[str]
    typical: dict[str, frozenset[str]]  # side effect -> treatments known to cause it
    # a sentence about a session ("after each session") pins its side effects to these
    procedure_re: re.Pattern[str]
    procedures: frozenset[str]
    # the patterns' literals in one automaton (None: they have none), see `hints_in`
    hint_automaton: Any
    version_hash: str
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    # the side-effect filter applied to the rules' outcomes (`outcome_side_filter`), or None
    side_filter: SideFilter | None = field(repr=False, default=None)
    # the effect model that picks each pair's effect (`outcome_effect_model`), or None
    effect_model: EffectModel | None = field(repr=False, default=None)
    # `scope_patterns` by the literal they need (`build_cues` fills these in): a sentence
    # runs only those whose literal it holds, and those that need none
    scope_by_hint: dict[str, list[tuple[str, re.Pattern[str]]]] = field(
        repr=False, default_factory=dict)
    unhinted_scope: list[tuple[str, re.Pattern[str]]] = field(repr=False, default_factory=list)
    # the further literals a pattern needs besides its `cue_patterns` / `scope_patterns` one
    # (those of its top-level positive lookaheads, `pattern_literals`), by compiled pattern;
    # `scope_by_hint` holds only the scope patterns needing no further literal (and an empty
    # list for a further literal that is no pattern's own), `scope_gated` the others
    extra_literals: dict[re.Pattern[str], tuple[str, ...]] = field(
        repr=False, default_factory=dict)
    scope_gated: dict[str, list[tuple[str, re.Pattern[str], tuple[str, ...]]]] = field(
        repr=False, default_factory=dict)
    # `cue_patterns` with their further literals (None: none), in order (a compiled
    # pattern's hash is computed afresh at each dict look-up: too dear per thread)
    cue_gates: list[tuple[str, re.Pattern[str], str | None, tuple[str, ...] | None]] = field(
        repr=False, default_factory=list)
    # the indexes in `cue_gates` of the patterns needing each literal, and of those needing
    # none: a thread tries only those of the literals it holds (in `cue_gates`' order)
    cue_gates_by_hint: dict[str, tuple[int, ...]] = field(repr=False, default_factory=dict)
    unhinted_cue_gates: tuple[int, ...] = ()
    # the `[procedures] words` as plain text: a thread holding none of them has no sentence
    # `procedure_re` matches
    procedure_words: tuple[str, ...] = ()
    # `scanner`'s phrases, the patterns' literals and the procedure words in one automaton,
    # for normalised text (`read_thread`); None when one of those literals or words holds
    # more than a-z, 0-9 and single inner spaces
    joint_scanner: PairScanner | None = field(repr=False, default=None)
    # the entries of `near` listing a word, by the scanner's "near<g>" g (see `near`)
    near_groups: list[tuple[NearCue, ...]] = field(repr=False, default_factory=list)
    # per group, the words around a word its entries with `before` read, and their
    # largest `within`
    near_widths: list[tuple[int, int]] = field(repr=False, default_factory=list)
    # per group, the last words of its entries' `after` items and the first words of their
    # `before` items (a quick test: when the `within` words before and after the word hold
    # none, its entries with `before` cannot hold)
    near_keys: list[tuple[frozenset[str], frozenset[str]]] = field(repr=False,
                                                                  default_factory=list)
    # `[told_by]`: treatment -> a sentence naming no treatment that tells this one by what
    # is done with it (the patterns of its list as one alternation)
    told_by: dict[str, re.Pattern[str]] = field(repr=False, default_factory=dict)
    # the literals the `scope_patterns` need (a thread holding none, when every pattern needs
    # one, runs none)
    scope_hints: frozenset[str] = field(repr=False, default=frozenset())
    # the scope patterns a sentence holding these literals runs (`_Extraction._patterns_for`),
    # filled in as sentences ask (a new, empty one on each `dataclasses.replace`)
    scope_sets: dict[frozenset[str], list[tuple[str, re.Pattern[str]]]] = field(
        init=False, repr=False, compare=False, default_factory=dict)


# -- the cue file -------------------------------------------------------------------------



def _patterns(patterns: dict[str, list[str]], kinds: Sequence[str],
              extra: dict[re.Pattern[str], tuple[str, ...]],
              ) -> list[tuple[str, re.Pattern[str], str | None]]:
    """Each `[patterns]` regex compiled on its own (one big alternation loses the regex
    engine's fast scans; `scan_form`), with the literal it needs, checked first (the first
    of its `pattern_literals`; the others go to `extra`)."""
    out: list[tuple[str, re.Pattern[str], str | None]] = []
    for kind in kinds:
        for p in patterns.get(kind, []):
            compiled = re.compile(scan_form(p))
            literals = pattern_literals(p)
            if len(literals) > 1:
                extra[compiled] = literals[1:]
            out.append((kind, compiled, literals[0] if literals else None))
    return out


# A literal found in the normalised text wherever the lower-cased text holds it (normalising
# keeps a-z, 0-9 and spaces, so `joint_scanner` may find it more often, never less often)
_PLAIN_HINT: Final = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _hint_automaton(cues: OutcomeCues) -> Any:
    """An Aho-Corasick automaton of the literals the `[patterns]` regexes need (None when
    none has one)."""
    hints = {h for _, _, h in (*cues.cue_patterns, *cues.scope_patterns) if h}
    hints.update(*cues.extra_literals.values())
    if not hints:
        return None
    automaton = ahocorasick.Automaton()
    for hint in hints:
        automaton.add_word(hint, hint)
    automaton.make_automaton()
    return automaton


def hint_occurrences(cues: OutcomeCues, lowered: str) -> list[tuple[int, str]]:
    """Every occurrence of the literals of `cues`' patterns in `lowered` (overlapping ones
    too), as (index of its last character, literal), in the order of that index; one pass."""
    automaton = cues.hint_automaton
    return list(automaton.iter(lowered)) if automaton is not None else []


def hints_in(cues: OutcomeCues, lowered: str) -> set[str]:
    """The literals of `cues`' patterns that occur in `lowered`, in one pass (a pattern whose
    literal is not among them cannot match)."""
    return set(map(itemgetter(1), hint_occurrences(cues, lowered)))


# what may not follow a sentence-opening verb for it to speak of the writer ("Did you...")
_NOT_AFTER_VERB: Final = r"(?! (?:you|u|ya|anyone|anybody|any of you|your|people|someone)\b)"


def first_person_verb_pattern(verb: str) -> str:
    """The regex of a `first_person_verbs` entry: the verb as a whole word opening a
    sentence or clause (after a mark, a comma, a bracket or quote marks, at most one space or
    tab before it), not followed by "you", "anyone"..."""
    return (rf"{verb}\b(?<![^\n.!?:;,\( \t>*_-]{verb})(?<![^\n.!?:;,\(][ \t]{verb})"
            + _NOT_AFTER_VERB)


def _expand(items: Sequence[str], classes: dict[str, list[str]], where: str) -> list[str]:
    """`items` with each "@name" replaced by the words of `[classes] name` (in place)."""
    out: list[str] = []
    for item in items:
        ref = CLASS_REF.fullmatch(item)
        if ref is None:
            out.append(item)
        elif ref[1] in classes:
            out.extend(classes[ref[1]])
        else:
            raise OutcomeCueError(f"{where}: unknown class {item!r} (no [classes] {ref[1]})")
    return out


def merge_cues(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A user cue file appended to the packaged one (lists appended, `window` replaced)."""
    merged = json.loads(json.dumps(base))
    for section, value in extra.items():
        if section == "near" and isinstance(value, list):
            merged["near"] = list(merged.get("near", [])) + value
            continue
        # (a user `[classes]` list is appended to the packaged class of that name, so that
        # every entry naming it, the packaged ones too, reads the user's words)
        if not isinstance(value, dict):
            continue
        target = merged.setdefault(section, {})
        for key, items in value.items():
            if isinstance(items, list):
                target[key] = list(target.get(key, [])) + items
            else:
                target[key] = items
    return merged


def load_outcome_cues(user_path: Path | str | None = None) -> OutcomeCues:
    """The packaged cue file, extended by `user_path` when given.

    Raises OutcomeCueError naming the file, line and key of what is wrong.
    """
    data, text = read_cue_file(PACKAGED_CUES)
    validate_cue_data(data, text, str(PACKAGED_CUES.name))
    check_class_refs(data, data.get("classes", {}), text, str(PACKAGED_CUES.name))
    if user_path is not None:
        extra, extra_text = read_cue_file(Path(user_path))
        validate_cue_data(extra, extra_text, str(user_path))
        data = merge_cues(data, extra)
        check_class_refs(extra, data.get("classes", {}), extra_text, str(user_path))
    return build_cues(data)


def _procedure_re(words: list[str]) -> re.Pattern[str]:
    """Whole words (a trailing `*` matches any ending) searched on the lower-cased text."""
    alternatives = [re.escape(w.lower().rstrip("*")) + (r"\w*" if w.endswith("*") else r"\b")
                    for w in words]
    # `\b(?:a|b)` written as `(?:\ba|\bb)`, each `\b` before a word character moved behind
    # it (`s(?<!\ws)ession`): the same matches, but led by plain characters, which the regex
    # engine skips to at C speed instead of trying every position
    return re.compile("(?:" + "|".join(led_by_character(a) for a in alternatives) + ")"
                      if alternatives else r"(?!x)x")


def build_cues(data: dict[str, Any]) -> OutcomeCues:
    """Compile validated cue data."""
    effect, sides = data.get("effect", {}), data.get("side_effects", {})
    scope, patterns = data.get("scope", {}), data.get("patterns", {})
    verbs = [first_person_verb_pattern(v) for v in scope.get("first_person_verbs", [])]
    if verbs:  # (before the written first-person patterns, as they once were written)
        patterns = {**patterns, "first_person": verbs + list(patterns.get("first_person", []))}
    lists = {**{k: effect.get(k, []) for k in (*EFFECT_KINDS, "content")},
             **{k: sides.get(k, []) for k in SIDE_KINDS},
             **{k: scope.get(k, []) for k in SCOPE_KINDS if k != "content"}}
    cue_kinds = (*EFFECT_KINDS, *SIDE_KINDS)
    classes = data.get("classes", {})
    entries = [(e, _expand(e["words"], classes, f"[[near]] #{i + 1} words"),
                _expand(e.get("after", []), classes, f"[[near]] #{i + 1} after"),
                _expand(e.get("before", []), classes, f"[[near]] #{i + 1} before"))
               for i, e in enumerate(data.get("near", []))]
    near = [NearCue(str(e["kind"]), frozenset(" ".join(normalise(a).split()) for a in after),
                    int(e.get("within", 5)), bool(e.get("named", False)),
                    frozenset(" ".join(normalise(b).split()) for b in before))
            for e, _, after, before in entries]
    # a word listed by several entries is tried against each in turn (the first whose
    # `after` or `before` is there gives the kind): one scanner kind per set of entries
    # listing a word
    # (by the scanner's keys: "Wider", "wider " and "wider", or "didnt" and "didn't", are
    # one phrase to it, whose first kind alone would be kept)
    by_word: dict[str, list[int]] = {}
    for i, (_, words, _, _) in enumerate(entries):
        for word in words:
            for key in phrase_keys(word):
                listed = by_word.setdefault(key, [])
                if i not in listed:
                    listed.append(i)
    group_of: dict[tuple[int, ...], int] = {}
    group_words: list[list[str]] = []
    for key, listed in by_word.items():
        g = group_of.setdefault(tuple(listed), len(group_of))
        if g == len(group_words):
            group_words.append([])
        group_words[g].append(key.strip() + ("" if key.endswith(" ") else "*"))
    firsts = {**{k: lists[k] for k in cue_kinds},
              **{f"near{g}": words for g, words in enumerate(group_words)}}
    everys = {k: lists[k] for k in SCOPE_KINDS}
    scanner = PairScanner(firsts, everys)
    digest = hashlib.sha1(f"reader {READER_VERSION}\n".encode()
                          + json.dumps(data, sort_keys=True, ensure_ascii=False).encode(),
                          usedforsecurity=False).hexdigest()
    extra: dict[re.Pattern[str], tuple[str, ...]] = {}
    procedures = data.get("procedures", {})
    cues = OutcomeCues(
        scanner=scanner, near=near, first_near_rank=len(cue_kinds),
        cue_patterns=_patterns(patterns, cue_kinds, extra),
        scope_patterns=_patterns(patterns, SCOPE_KINDS, extra),
        break_re=literal_alternation(scope.get("breaks", []), scope.get("not_breaks", [])),
        strong_break_re=literal_alternation(scope.get("strong_breaks", []),
                                            scope.get("not_breaks", [])),
        window=int(scope.get("window", 6)),
        scope_window=int(scope.get("scope_window", 10)),
        op_markers=tuple(m.lower() for m in data.get("reporter", {}).get("op_markers", [])),
        sexual_on=frozenset(sides.get("unspecified_sexual_on", [])),
        typical={k: frozenset(v) for k, v in data.get("typical", {}).items()},
        procedure_re=_procedure_re(procedures.get("words", [])),
        procedures=frozenset(procedures.get("treatments", [])),
        hint_automaton=None, version_hash=digest, raw=data)
    cues.extra_literals = extra
    cues.told_by = {t: re.compile("|".join(f"(?:{p})" for p in told))
                    for t, told in data.get("told_by", {}).items() if told}
    cues.near_groups = [tuple(near[i] for i in listed) for listed in group_of]
    cues.near_widths = [(max(s.within + max(s.longest, s.before_longest) for s in group),
                         max(s.within for s in group)) for group in cues.near_groups]
    cues.near_keys = [(frozenset(a.split()[-1] for s in group if s.before for a in s.after),
                       frozenset(b.split()[0] for s in group if s.before for b in s.before))
                      for group in cues.near_groups]
    cues.cue_gates = [(kind, pattern, hint, extra.get(pattern))
                      for kind, pattern, hint in cues.cue_patterns]
    by_hint: dict[str, list[int]] = {}
    for i, (_, _, hint) in enumerate(cues.cue_patterns):
        if hint is not None:
            by_hint.setdefault(hint, []).append(i)
    cues.cue_gates_by_hint = {h: tuple(v) for h, v in by_hint.items()}
    cues.unhinted_cue_gates = tuple(i for i, (_, _, h) in enumerate(cues.cue_patterns)
                                    if h is None)
    cues.hint_automaton = _hint_automaton(cues)
    cues.procedure_words = tuple(w.lower().rstrip("*") for w in procedures.get("words", []))
    # the literals and the procedure words, when every one is plain (else two passes; an
    # empty word, which every text holds, is not plain)
    literals = sorted({h for _, _, h in (*cues.cue_patterns, *cues.scope_patterns) if h}
                      .union(*extra.values()) | set(cues.procedure_words))
    if literals and all(map(_PLAIN_HINT.fullmatch, literals)):
        cues.joint_scanner = PairScanner(firsts, everys, literals)
    cues.scope_hints = frozenset(h for _, _, h in cues.scope_patterns if h is not None)
    for kind, pattern, hint in cues.scope_patterns:
        if hint is None:
            cues.unhinted_scope.append((kind, pattern))
        elif pattern in extra:
            cues.scope_gated.setdefault(hint, []).append((kind, pattern, extra[pattern]))
        else:
            cues.scope_by_hint.setdefault(hint, []).append((kind, pattern))
    for literal in {lit for _, p, _ in cues.scope_patterns for lit in extra.get(p, ())}:
        cues.scope_by_hint.setdefault(literal, [])  # (so `_patterns_for` sees them)
    for hint in cues.scope_gated:
        cues.scope_by_hint.setdefault(hint, [])
    return cues


# -- extraction ---------------------------------------------------------------------------

