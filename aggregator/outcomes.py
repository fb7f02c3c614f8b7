"""What people report per treatment: effect and side effects, from first-hand sentences.

Follows `../shared/eval/OUTCOMES.md`. The cue words live in `outcome_cues.toml` (beside the
lexicon) and are compiled once: two Aho-Corasick automata over the tagger's normalised
text, one for the cues (effect and side-effect phrases, and `[[near]]` words that count
only just after a hair word), one for the scope triggers (negation, hypothetical, generic,
first person, too early; scanned only in the sentences that need them), plus a few
regexes, each run only when the text holds its longest plain word.

A thread is read as units (title, body, each reply) and sentences. A cue counts when its
sentence is a first-hand report (ConText-style scoping):
- not a question; not in the scope of a hypothetical, fear or plan trigger a few words
  before it in its clause ("scared of brain fog", "if I get sides");
- not a generic or research statement: a `generic` trigger ("most people", "studies",
  "you") before it in its clause, or anywhere in a sentence with no first-person marker;
- not inside quotation marks; in a reply, after a first-person marker of that reply
  ("same here", "my", "I", "Been on fin...");
- effects only: not "too early" ("just started", "can't tell yet").
A negation trigger a few words before the cue in its clause ("zero sides", "didn't shed",
"no regrowth") or just after it ("libido is fine") drops a side effect and flips an effect
(a negated gain is a weak "no effect": it only counts for a speaker reporting nothing else).

The cue goes to the treatments named in its clause, else in the nearest clause of its
sentence (inside parentheses: what precedes them), else to the treatments the unit last
named as used, else to the thread's focus (the title's treatments or the first ones the
body names; for a title naming none, the poster's whole regimen): "fin + min regrew my
crown" credits both. A side effect given to several treatments stays with those known to
cause it (`[typical]`). Effects are gathered per speaker (the poster, incl. replies marked
OP, and each replier): both directions anywhere make `mixed`.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import ahocorasick

from aggregator.lexicon import lower_and_normalise, normalise
from aggregator.tagger import Tagger
from models.config import Config

EFFECTS = ("improved", "no_effect", "mixed", "none")
SIDE_EFFECTS = ("sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast", "other")
PACKAGED_CUES = Path(__file__).with_name("outcome_cues.toml")

_EFFECT_KINDS = ("unchanged", "improved", "no_effect", "declined")  # earlier wins at a position
_WEAK = frozenset({"unchanged"})  # counts as no effect only when alone
_SIDE_KINDS = ("not_side", *SIDE_EFFECTS, "unspecified")
_SCOPE_KINDS = ("negation", "side_negation", "negation_after", "hypothetical", "generic",
                "first_person",
                "too_early", "history", "content")
_LIST_KEYS = {
    "effect": {"improved", "no_effect", "unchanged", "declined", "content"},
    "side_effects": {*_SIDE_KINDS, "unspecified_sexual_on"},
    "scope": {"negation", "side_negation", "negation_after", "hypothetical", "generic",
              "first_person",
              "too_early", "history", "breaks", "strong_breaks"},
    "reporter": {"op_markers"},
    "typical": set(SIDE_EFFECTS),
}
_NEAR_KEYS = {"kind", "words", "after", "within"}
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]*_~]|$)|\n")
_MAX_CARRIED = 3  # treatments a reply's sentence that names none can be about
_TOPIC_GUARD = 25  # characters before a mention a negation or hypothetical trigger may be
_VAGUE_SIDES = frozenset({"other", "unspecified", "cardio"})
_SPECIFIC_SIDES = frozenset(SIDE_EFFECTS) - {"other"}
_WORD = re.compile(r"\w+")
_IT = re.compile(r"\b(?:it|it's|its|this one|that one)\b")
_OPEN_QUOTE = re.compile(r"(?<!\w)['\"“‘](?=\w)")
_CLOSE_QUOTE = re.compile(r"(?<=[\w.!?,])['\"”’](?!\w)")


class OutcomeCueError(ValueError):
    """A cue file that cannot be used; the message names the file, the line and the key."""


@dataclass(frozen=True)
class Outcome:
    """What a thread reports about one treatment."""

    effect: str = "none"
    side_effects: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """`{"effect": ..., "side_effects": [...]}` (the output and storage shape)."""
        return {"effect": self.effect, "side_effects": list(self.side_effects)}


@dataclass(frozen=True)
class NearCue:
    """A cue word that counts only within `within` words after one of `after`."""

    kind: str
    after: frozenset[str]  # normalised words or phrases
    within: int


@dataclass
class OutcomeCues:
    """The compiled cue file."""

    cue_scanner: _PhraseScanner
    scope_scanner: _PhraseScanner
    guard_scanner: _PhraseScanner  # the negation and hypothetical triggers alone
    near: list[NearCue]  # `[[near]]` entries; their words are the scanner's "near<i>" kinds
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
    version_hash: str
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


# -- the cue file -------------------------------------------------------------------------


def phrase_keys(phrase: str) -> list[str]:
    """The automaton keys of a cue phrase: normalised words padded with spaces (a trailing
    `*` drops the closing space, so any ending matches); a phrase with an apostrophe also
    gets its spelling without one ("didn't" -> "didn t", "didnt")."""
    star = phrase.rstrip().endswith("*")
    text = phrase.strip().rstrip("*")
    keys: list[str] = []
    for variant in dict.fromkeys((text, text.replace("'", "").replace("’", ""))):
        words = normalise(variant).split()
        if words:
            keys.append(" " + " ".join(words) + ("" if star else " "))
    return keys


class _PhraseScanner:
    """Whole-word phrase matches of several kinds in one Aho-Corasick pass."""

    def __init__(self, lists: dict[str, Sequence[str]], every_kind: bool = False) -> None:
        """`every_kind`: a phrase listed under several kinds reports each of them (scope
        triggers: "none" negates before and after a cue); else the first kind wins."""
        self.automaton: Any = ahocorasick.Automaton()
        keys: dict[str, list[tuple[int, str]]] = {}
        for rank, (kind, phrases) in enumerate(lists.items()):
            for phrase in phrases:
                for key in phrase_keys(phrase):
                    kinds = keys.setdefault(key, [])
                    if (rank, kind) not in kinds and (every_kind or not kinds):
                        kinds.append((rank, kind))
                    elif not every_kind and rank < kinds[0][0]:
                        kinds[0] = (rank, kind)
        for key, kinds in keys.items():
            # value: (length without the leading space, (priority, kind)s, trailing space)
            self.automaton.add_word(key, (len(key) - 1, tuple(kinds), key.endswith(" ")))
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, padded: str) -> list[tuple[int, int, int, str]]:
        """(start, end, priority, kind) in the unpadded text's coordinates; `padded` is
        the normalised text with one space before and after."""
        if self.empty:
            return []
        out: list[tuple[int, int, int, str]] = []
        last = len(padded) - 1
        for end, (length, kinds, spaced) in self.automaton.iter(padded):
            # padded[end - length, end] is the key without its leading space
            stop = end
            if not spaced:  # a `*` key: extend to the end of the word
                stop += 1
                while stop < last and padded[stop] != " ":
                    stop += 1
            if len(kinds) == 1:
                out.append((end - length, stop - 1, *kinds[0]))
            else:
                out.extend((end - length, stop - 1, rank, kind) for rank, kind in kinds)
        return out


def _leftmost_longest(found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping matches: leftmost first, then longest, then the earlier kind."""
    found.sort(key=lambda m: (m[0], m[0] - m[1], m[2]))
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, _, kind in found:
        if start >= last_end:
            chosen.append((start, end, kind))
            last_end = end
    return chosen


def literal_hint(pattern: str) -> str | None:
    """A plain word the regex cannot match without (its longest literal run outside any
    group, class or quantifier), or None when there is none (then it always runs)."""
    runs: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if ch == "\\":
            runs.append("".join(current))
            current = []
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            return None  # a top-level alternative needs none of the others' words
        elif depth == 0 and (ch.isalnum() or ch == " ") and nxt not in ("?", "*", "{"):
            current.append(ch)
            i += 1
            continue
        runs.append("".join(current))
        current = []
        i += 1
    runs.append("".join(current))
    best = max((r.strip() for r in runs), key=len, default="")
    return best if len(best) >= 3 else None


def _patterns(patterns: dict[str, list[str]],
              kinds: Sequence[str]) -> list[tuple[str, re.Pattern[str], str | None]]:
    """Each `[patterns]` regex compiled on its own (one big alternation loses the regex
    engine's fast scans), with the literal it needs, checked first."""
    return [(kind, re.compile(p), literal_hint(p)) for kind in kinds
            for p in patterns.get(kind, [])]


def _line_of(text: str, section: str, key: str) -> int:
    """The line a key of a section is on (1 when it cannot be found)."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[] ")
        elif current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 1


def _read_cue_file(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OutcomeCueError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise OutcomeCueError(f"{path}: not valid TOML: {exc}") from exc


def _validate(data: dict[str, Any], text: str, origin: str) -> None:
    """Every section and key known, every list a list of strings, every pattern a regex."""
    for section, value in data.items():
        if section == "version":
            continue
        if section == "near":
            _validate_near(value, text, origin)
            continue
        if section not in {*_LIST_KEYS, "patterns"} or not isinstance(value, dict):
            raise OutcomeCueError(f"{origin}: line {_line_of(text, section, section)}: "
                                  f"unknown section [{section}]")
        for key, items in value.items():
            line = _line_of(text, section, key)
            where = f"{origin}: line {line}: [{section}] {key}"
            if section == "scope" and key in ("window", "scope_window"):
                if not isinstance(items, int) or isinstance(items, bool) or items < 1:
                    raise OutcomeCueError(f"{where}: must be a positive integer")
                continue
            known = (set(_EFFECT_KINDS) | set(_SIDE_KINDS) | set(_SCOPE_KINDS)
                     if section == "patterns" else _LIST_KEYS[section])
            if key not in known:
                raise OutcomeCueError(f"{where}: unknown key")
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise OutcomeCueError(f"{where}: must be a list of strings")
            for item in items:
                try:
                    if section == "patterns":
                        re.compile(item)
                    elif key in ("breaks", "strong_breaks", "op_markers") or \
                            section == "typical":
                        continue
                    elif "*" in item.rstrip("*") or not phrase_keys(item):
                        raise re.error("letters or digits, `*` only at the end")
                except re.error as exc:
                    raise OutcomeCueError(f"{where}: bad pattern {item!r}: {exc}") from exc


def _validate_near(entries: Any, text: str, origin: str) -> None:
    line = next((n for n, row in enumerate(text.splitlines(), 1)
                 if row.strip() == "[[near]]"), 1)
    if not isinstance(entries, list):
        raise OutcomeCueError(f"{origin}: line {line}: [[near]] must be an array of tables")
    for index, entry in enumerate(entries):
        where = f"{origin}: line {line}: [[near]] #{index + 1}"
        if not isinstance(entry, dict) or set(entry) - _NEAR_KEYS:
            raise OutcomeCueError(f"{where}: keys are {', '.join(sorted(_NEAR_KEYS))}")
        if entry.get("kind") not in (*_EFFECT_KINDS, *SIDE_EFFECTS):
            raise OutcomeCueError(f"{where}: kind must be an effect or side-effect cue kind")
        for key in ("words", "after"):
            items = entry.get(key)
            if not isinstance(items, list) or not items or \
                    not all(isinstance(i, str) and phrase_keys(i) for i in items):
                raise OutcomeCueError(f"{where}: {key} must be a list of words")
        within = entry.get("within", 5)
        if not isinstance(within, int) or isinstance(within, bool) or within < 1:
            raise OutcomeCueError(f"{where}: within must be a positive integer")


def merge_cues(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A user cue file appended to the packaged one (lists appended, `window` replaced)."""
    merged = json.loads(json.dumps(base))
    for section, value in extra.items():
        if section == "near" and isinstance(value, list):
            merged["near"] = list(merged.get("near", [])) + value
            continue
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
    data, text = _read_cue_file(PACKAGED_CUES)
    _validate(data, text, str(PACKAGED_CUES.name))
    if user_path is not None:
        extra, extra_text = _read_cue_file(Path(user_path))
        _validate(extra, extra_text, str(user_path))
        data = merge_cues(data, extra)
    return build_cues(data)


def outcome_cues_for(config: Config) -> OutcomeCues:
    """The cue file a config asks for: `[aggregate] outcome_cues = "file.toml"` (relative
    to the config file) extends the packaged one. Raises OutcomeCueError."""
    path = config.section("aggregate").get("outcome_cues")
    if path is None:
        return load_outcome_cues()
    if not isinstance(path, str) or not path:
        raise OutcomeCueError(f"{config.path or 'config'}: [aggregate] outcome_cues must be "
                              "a path to a TOML file")
    user = Path(path)
    if config.path is not None and not user.is_absolute():
        user = config.path.parent / user
    return load_outcome_cues(user)


def build_cues(data: dict[str, Any]) -> OutcomeCues:
    """Compile validated cue data."""
    effect, sides = data.get("effect", {}), data.get("side_effects", {})
    scope, patterns = data.get("scope", {}), data.get("patterns", {})
    lists = {**{k: effect.get(k, []) for k in (*_EFFECT_KINDS, "content")},
             **{k: sides.get(k, []) for k in _SIDE_KINDS},
             **{k: scope.get(k, []) for k in _SCOPE_KINDS if k != "content"}}
    cue_kinds = (*_EFFECT_KINDS, *_SIDE_KINDS)
    near = [NearCue(str(e["kind"]), frozenset(" ".join(normalise(a).split())
                                               for a in e["after"]), int(e.get("within", 5)))
            for e in data.get("near", [])]
    cue_scanner = _PhraseScanner({**{k: lists[k] for k in cue_kinds},
                                  **{f"near{i}": e["words"]
                                     for i, e in enumerate(data.get("near", []))}})
    scope_scanner = _PhraseScanner({k: lists[k] for k in _SCOPE_KINDS}, every_kind=True)
    breaks = [re.escape(b) for b in scope.get("breaks", [])] or [r"(?!x)x"]
    strong = [re.escape(b) for b in scope.get("strong_breaks", [])] or [r"(?!x)x"]
    digest = hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False).encode(),
                          usedforsecurity=False).hexdigest()
    guard_scanner = _PhraseScanner({k: lists[k] for k in ("negation", "hypothetical")})
    return OutcomeCues(cue_scanner, scope_scanner, guard_scanner, near, _patterns(patterns, cue_kinds),
                       _patterns(patterns, _SCOPE_KINDS), re.compile("|".join(breaks)),
                       re.compile("|".join(strong)), int(scope.get("window", 6)),
                       int(scope.get("scope_window", 10)),
                       tuple(m.lower() for m in data.get("reporter", {}).get("op_markers", [])),
                       frozenset(sides.get("unspecified_sexual_on", [])),
                       {k: frozenset(v) for k, v in data.get("typical", {}).items()},
                       digest, data)


# -- extraction ---------------------------------------------------------------------------

Mention = tuple[int, int, str]


@dataclass
class _Reports:
    """First-hand reports gathered for one treatment."""

    effects: dict[int, set[str]] = field(default_factory=dict)  # speaker -> directions
    sides: set[str] = field(default_factory=set)

    def outcome(self) -> Outcome:
        # "unchanged" (and a negated "declined") is weak: it only counts (as no effect) for a
        # speaker who reports nothing else
        directions = [d - _WEAK or {"no_effect"} if d & _WEAK else d
                      for d in self.effects.values() if d]
        every = set().union(*directions) if directions else set()
        if any(len(d) > 1 for d in directions) or len(every) > 1:
            effect = "mixed"
        else:
            effect = next(iter(every), "none")
        effect = "no_effect" if effect == "declined" else effect
        return Outcome(effect, tuple(s for s in SIDE_EFFECTS if s in self.sides))


_SENTENCE_MARK = re.compile(r"[.!?\n]")


def _near_checked(cues: OutcomeCues, raw: list[tuple[int, int, int, str]], lowered: str,
                  norm: str) -> list[tuple[int, int, int, str]]:
    """Keep a `[[near]]` word only when one of its `after` words precedes it closely, in
    the same sentence."""
    out: list[tuple[int, int, int, str]] = []
    for start, end, rank, kind in raw:
        if kind.startswith("near"):
            spec = cues.near[int(kind[4:])]
            lo = max(0, start - 12 * spec.within)
            for mark in _SENTENCE_MARK.finditer(lowered, lo, start):
                lo = mark.end()
            words = norm[lo:start].split()[-spec.within:]
            if not any(w in spec.after for w in words) and not any(
                    " ".join(pair) in spec.after for pair in pairwise(words)):
                continue
            kind = spec.kind
        out.append((start, end, rank, kind))
    return out


def extract_outcomes(cues: OutcomeCues, parts: Sequence[str],
                     mentions: Sequence[Mention]) -> dict[str, Outcome]:
    """Outcome per mentioned treatment of a thread.

    `parts` are the title, the body and the replies; `mentions` are the tagger's
    (start, end, treatment) in `"\\n".join(parts)` (`Tagger.tag_with_mentions`).
    """
    treatments = {m[2] for m in mentions}
    if not treatments:
        return {}
    text = "\n".join(parts)
    lowered, norm = lower_and_normalise(text)
    lowered = lowered.replace("’", "'")
    padded = f" {norm} "
    raw = _near_checked(cues, cues.cue_scanner.scan(padded), lowered, norm)
    for kind, pattern, hint in cues.cue_patterns:
        if hint is None or hint in lowered:
            raw.extend((m.start(), m.end(), -1, kind) for m in pattern.finditer(lowered))
    found = _leftmost_longest(raw)
    if not found:
        return {t: Outcome() for t in sorted(treatments)}
    return _Extraction(cues, parts, lowered, norm, mentions, found).run(sorted(treatments))


class _Extraction:
    """One thread being read (see the module docstring for the rules)."""

    def __init__(self, cues: OutcomeCues, parts: Sequence[str], lowered: str, norm: str,
                 mentions: Sequence[Mention], found: list[tuple[int, int, str]],
                 ) -> None:
        self.cues = cues
        self.norm = norm
        self._scopes: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        self._guards: list[tuple[int, int]] | None = None  # (start, end) of guard triggers
        self._guard_starts: list[int] = []
        self.lowered = lowered
        self.mentions = sorted(mentions)
        self.m_starts = [m[0] for m in self.mentions]
        self.found = found
        self.f_starts = [f[0] for f in found]
        self.units: list[tuple[int, int, int]] = []  # (start, end, speaker)
        position = 0
        for index, part in enumerate(parts):
            end = position + len(part)
            speaker = 0 if index < 2 or self._by_op(lowered[position:end]) else index
            self.units.append((position, end, speaker))
            position = end + 1
        self.reports: dict[str, _Reports] = {}
        self.trace: list[tuple[str, str, str]] | None = None  # (treatment, label, sentence)

    def _by_op(self, reply: str) -> bool:
        head = reply.lstrip(" >*_\t")[:12]
        return any(head.startswith(marker) for marker in self.cues.op_markers)

    def _treatments_in(self, start: int, end: int) -> list[str]:
        lo, hi = bisect_left(self.m_starts, start), bisect_left(self.m_starts, end)
        seen: list[str] = []
        for m in self.mentions[lo:hi]:
            if m[2] not in seen:
                seen.append(m[2])
        return seen

    def _focus(self) -> list[str]:
        """What a reply that names nothing is about: the title's treatments, else the
        first the body names."""
        title = self._treatments_in(self.units[0][0], self.units[0][1] + 1)
        if title:
            return title
        body_start, body_end, _ = self.units[1]
        for start, end, _ in self._sentences(body_start, body_end):
            named = self._topic_of(start, end)
            if named:
                return named
        return []

    def _regimen(self) -> list[str]:
        """What a title that names nothing is about ("Regrew my hair!"): every treatment
        the body names as used."""
        body_start, body_end, _ = self.units[1]
        return self._topic_of(body_start, body_end)

    def _topic_of(self, start: int, end: int) -> list[str]:
        """Treatments named in [start, end) other than right after a negation or a
        hypothetical ("no min because...", "thinking about dut")."""
        lo, hi = bisect_left(self.m_starts, start), bisect_left(self.m_starts, end)
        seen: list[str] = []
        for m_start, _, tid in self.mentions[lo:hi]:
            if tid in seen:
                continue
            if not self._guarded(max(start, m_start - _TOPIC_GUARD), m_start):
                seen.append(tid)
        return seen

    def _guarded(self, lo: int, m_start: int) -> bool:
        """A negation or hypothetical trigger in [lo, m_start) (cached: each mention is
        looked at from several sentences)."""
        if self._guards is None:  # the thread's guard triggers, scanned once
            self._guards = sorted((a, b) for a, b, _, _ in
                                  self.cues.guard_scanner.scan(f" {self.norm} "))
            self._guard_starts = [a for a, _ in self._guards]
        for t_start, t_end in self._guards[bisect_left(self._guard_starts, lo):]:
            if t_start >= m_start:
                return False
            if t_end <= m_start:
                return True
        return False

    def _sentences(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """(start, end, is a question) of each sentence of [start, end)."""
        out: list[tuple[int, int, bool]] = []
        position = start
        for mark in _SENTENCE_END.finditer(self.lowered, start, end):
            if mark.end() > position:
                out.append((position, mark.end(), "?" in mark.group()))
            position = mark.end()
        if position < end:
            out.append((position, end, False))
        return out

    def run(self, treatments: list[str]) -> dict[str, Outcome]:
        focus: list[str] | None = None
        for index, (u_start, u_end, speaker) in enumerate(self.units):
            lo = bisect_left(self.f_starts, u_start)
            if lo == len(self.found) or self.found[lo][0] >= u_end:
                continue  # no cue in this unit: nothing to record
            last_cue = self.found[bisect_left(self.f_starts, u_end) - 1][0]
            if index > 0 and focus is None:
                focus = self._focus()
            topic: list[str] = (focus or []) if index > 0 else (
                [] if self._treatments_in(u_start, u_end) else self._regimen())
            first_person = speaker == 0
            fresh, last_named = True, list[str]()
            for start, end, question in self._sentences(u_start, u_end):
                if start > last_cue:
                    break
                named = self._topic_of(start, end)
                if named:
                    last_named = named
                    topic = named if fresh else topic + [t for t in named if t not in topic]
                lo, hi = bisect_left(self.f_starts, start), bisect_left(self.f_starts, end)
                if lo == hi:
                    fresh = fresh and not named
                    if not first_person:
                        first_person = self._has_first_person(start, end)
                    continue
                # a regimen listed over several sentences, then "something is working":
                # all of it; "it did nothing": the last one named
                about = last_named if last_named and _IT.search(self.lowered, start, end) \
                    else topic
                first_person = self._sentence(start, end, question, speaker, about,
                                              first_person, self.found[lo:hi])
                fresh = True
        return {t: (self.reports[t].outcome() if t in self.reports else Outcome())
                for t in treatments}

    def _scope_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The scope triggers of [start, end), scanned once per range (only sentences that
        need them are scanned)."""
        found = self._scopes.get((start, end))
        if found is None:
            found = [(start + a, start + b, kind) for a, b, _, kind in
                     self.cues.scope_scanner.scan(f" {self.norm[start:end]} ")]
            lowered = self.lowered
            for kind, pattern, hint in self.cues.scope_patterns:
                if hint is None or hint in lowered[start:end]:
                    found.extend((m.start(), m.end(), kind)
                                 for m in pattern.finditer(lowered, start, end))
            found.sort()
            self._scopes[(start, end)] = found
        return found

    def _has_first_person(self, start: int, end: int) -> bool:
        return any(kind == "first_person" for _, _, kind in self._scope_in(start, end))

    def _sentence(self, start: int, end: int, question: bool, speaker: int,
                  topic: list[str], first_person: bool,
                  cues: list[tuple[int, int, str]]) -> bool:
        """Record the sentence's counted cues; returns the reply's first-person state."""
        triggers: dict[str, list[tuple[int, int]]] = {}
        for t_start, t_end, kind in self._scope_in(start, end):
            triggers.setdefault(kind, []).append((t_start, t_end))
        own = "first_person" in triggers
        first_person = first_person or own
        if question or (not topic and not self._treatments_in(start, end)):
            return first_person
        if "generic" in triggers and not own:
            return first_person
        if speaker != 0 and not first_person:
            return first_person
        early = "too_early" in triggers
        history = "history" in triggers
        gain = any(kind == "improved" for _, _, kind in cues)
        content = "content" in triggers
        breaks = [m.start() for m in self.cues.break_re.finditer(self.lowered, start, end)]
        strong = [m.start() for m in self.cues.strong_break_re.finditer(self.lowered, start,
                                                                         end)]
        generic = triggers.get("generic", ())
        for c_start, c_end, kind in cues:
            if self._hypothetical(triggers.get("hypothetical", ()), c_start, strong) or \
                    self._hypothetical(generic, c_start, strong) or \
                    self._quoted(start, c_start):
                continue
            negated = self._negated(triggers, c_start, c_end, breaks,
                                    side=kind not in _EFFECT_KINDS)
            targets = self._targets(start, end, c_start, breaks)
            if not targets:
                if speaker and len(topic) > _MAX_CARRIED:  # a reply's remark on a long list
                    continue
                targets = topic
            if kind == "not_side":
                continue
            if kind in _EFFECT_KINDS:
                if early:
                    continue
                if kind == "declined" and (history or gain):
                    continue  # the loss before treatment, or a gain's caveat
                direction = ("improved" if content else "unchanged") \
                    if kind == "unchanged" else kind
                if negated:  # "didn't regrow" is weak (it may still have held the hair)
                    direction = "unchanged" if direction in ("improved", "declined") \
                        else "improved"
                for t in targets:
                    self.reports.setdefault(t, _Reports()).effects.setdefault(
                        speaker, set()).add(direction)
                    if self.trace is not None:
                        self.trace.append((t, f"{direction}<{self.lowered[c_start:c_end]}>",
                                           self.lowered[start:end]))
            elif not negated and not self._absorbed(kind, c_start, cues, breaks):
                typical = self.cues.typical.get(kind, frozenset())
                if len(targets) > 1 and typical & set(targets):
                    targets = [t for t in targets if t in typical]
                for t in targets:
                    side = kind if kind != "unspecified" else (
                        "sexual" if t in self.cues.sexual_on else "other")
                    self.reports.setdefault(t, _Reports()).sides.add(side)
                    if self.trace is not None:
                        self.trace.append((t, f"{side}<{self.lowered[c_start:c_end]}>",
                                           self.lowered[start:end]))
        return first_person

    def _absorbed(self, kind: str, c_start: int, cues: list[tuple[int, int, str]],
                  breaks: list[int]) -> bool:
        """A vague side cue ("sore", "sides"; "puffy" beside a nipple) that a more specific
        one in the same clause describes."""
        if kind not in _VAGUE_SIDES:
            return False
        for o_start, _, other in cues:
            if other in _SPECIFIC_SIDES and other != kind and (
                    kind == "unspecified" or not self._broken(
                        breaks, min(o_start, c_start), max(o_start, c_start))) and \
                    (kind != "cardio" or other == "breast"):
                return True
        return False

    def _quoted(self, start: int, c_start: int) -> bool:
        """Whether the cue is inside quotation marks opened earlier in its sentence."""
        opened = len(_OPEN_QUOTE.findall(self.lowered, start, c_start))
        return opened > len(_CLOSE_QUOTE.findall(self.lowered, start, c_start))

    def _hypothetical(self, found: Iterable[tuple[int, int]], c_start: int,
                      strong: list[int]) -> bool:
        """A trigger before the cue, a few words away, with no strong break between."""
        for t_start, t_end in found:
            if t_start >= c_start:
                continue
            i = bisect_right(strong, t_end - 1)
            if (i >= len(strong) or strong[i] >= c_start) and len(
                    _WORD.findall(self.lowered, t_end, c_start)) < self.cues.scope_window:
                return True
        return False

    def _negated(self, triggers: dict[str, list[tuple[int, int]]], c_start: int, c_end: int,
                 breaks: list[int], side: bool) -> bool:
        """A negation before the cue in its clause (for a side effect also a `side_negation`
        such as "cleared my"), or a `negation_after` just after it."""
        window = self.cues.window
        before = [*triggers.get("negation", ()), *(triggers.get("side_negation", ())
                                                   if side else ())]
        for _, t_end in before:
            if t_end <= c_start and not self._broken(breaks, t_end, c_start) and \
                    len(_WORD.findall(self.lowered, t_end, c_start)) < window:
                return True
        for t_start, _ in triggers.get("negation_after", ()):
            if t_start >= c_end and not self._broken(breaks, c_end, t_start) and \
                    len(_WORD.findall(self.lowered, c_end, t_start)) <= 3:
                return True
        return False

    @staticmethod
    def _broken(breaks: list[int], start: int, end: int) -> bool:
        i = bisect_left(breaks, start)
        return i < len(breaks) and breaks[i] < end

    def _targets(self, start: int, end: int, c_start: int, breaks: list[int]) -> list[str]:
        """Treatments of the cue's clause, else of the nearest clause that names one; inside
        parentheses, what the text before them names ("spiro (did little for me) to bica")."""
        paren = self.lowered.rfind("(", start, c_start)
        if paren > start and self.lowered.find(")", paren, c_start) < 0:
            before = self._targets(start, paren, paren - 1, breaks)
            if before:
                return before
        bounds = [start, *(b for b in breaks if start < b < end), end]
        clauses = list(pairwise(bounds))
        here = max(0, bisect_right(bounds, c_start) - 1)
        here = min(here, len(clauses) - 1)
        order = sorted(range(len(clauses)), key=lambda i: (abs(i - here), i > here))
        for i in order:
            named = self._treatments_in(*clauses[i])
            if named:
                return named
        return []


def thread_outcomes(tagger: Tagger, cues: OutcomeCues, title: str, body: str = "",
                    replies: Sequence[str] = ()) -> dict[str, Outcome]:
    """Tag a thread and extract its outcomes (for tests and evaluation; the aggregator
    reuses the mentions of its own tagging pass)."""
    _, _, mentions = tagger.tag_with_mentions(title, body, replies)
    return extract_outcomes(cues, [title, body, *replies], mentions)
