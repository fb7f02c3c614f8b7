"""The treatment lexicon: package data (`lexicon.toml`) merged with an optional user file."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aggregator.lexicon_keys import lexicon_problem

CATEGORIES = ("drug", "device", "procedure", "supplement", "cosmetic")
FORMS = ("oral", "topical", "sublingual", "mesotherapy")
NEAR_TREATMENT = "@treatment"
PACKAGED = Path(__file__).with_name("lexicon.toml")
_BYTE_TABLE = bytes(i if chr(i).isalnum() else 32 for i in range(256))


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the entry."""


def lower_and_normalise(text: str) -> tuple[str, str]:
    """(lower-cased text, normalised text), both as long as `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters grow when lower-cased (e.g. "İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered, lowered.encode("latin-1", "replace").translate(_BYTE_TABLE).decode("latin-1")


def normalise(text: str) -> str:
    """Lower-case and turn every non-word character into a space (length preserved).

    Characters outside Latin-1 (emoji, CJK, typographic dashes and quotes) count as
    separators; the byte-level translation keeps this fast.
    """
    return lower_and_normalise(text)[1]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (one object per rule)
class Rule:
    """Context an ambiguous alias needs (see the comments at the top of lexicon.toml)."""

    cased: frozenset[str] = frozenset()
    require_near: tuple[str, ...] = ()
    reject_near: tuple[str, ...] = ()
    reject_before: re.Pattern[str] | None = None
    reject_after: re.Pattern[str] | None = None
    # The near-word lists as one regex each, searched in the normalised sentence.
    require_re: re.Pattern[str] | None = None
    reject_re: re.Pattern[str] | None = None
    # Phrases anywhere in the thread that establish the look-alike sense ("keto diet"):
    # then the alias counts only with an `unless_near` word in its sentence.
    other_sense_re: re.Pattern[str] | None = None
    unless_near_re: re.Pattern[str] | None = None
    unless_treatment: bool = False  # another treatment in the sentence also counts
    # When one occurrence is rejected by reject_before/after/near (a name, a place), the
    # others in the thread need an `unless_near` word too ("my barber Spiro... Spiro is").
    one_sense: bool = False

    @property
    def needs_treatment_nearby(self) -> bool:
        """Whether another treatment in the sentence satisfies `require_near`."""
        return NEAR_TREATMENT in self.require_near


@dataclass(frozen=True)
class Target:
    """What an alias means: a treatment, the form the alias implies, its context rule."""

    treatment: str
    form: str | None = None
    rule: Rule | None = None


@dataclass(frozen=True)
class TreatmentInfo:
    """A canonical treatment."""

    id: str
    name: str
    category: str
    forms: tuple[str, ...] = ()


@dataclass
class Lexicon:
    """Treatments, the alias table (normalised alias -> targets), decoys and form cues."""

    treatments: dict[str, TreatmentInfo]
    aliases: dict[str, list[Target]]
    decoys: frozenset[str]
    form_words: dict[str, str]  # normalised cue word -> form
    form_patterns: dict[str, re.Pattern[str]]  # form -> regex of its cue patterns
    pattern_hints: tuple[str, ...] | None  # None: try the patterns everywhere
    version_hash: str
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def _package_text() -> str:
    return PACKAGED.read_text(encoding="utf-8")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                           "TOML") from exc
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read: {exc.strerror}") from exc


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Apply a user lexicon to the packaged one (see lexicon.toml for the rules)."""
    merged = json.loads(json.dumps(base))  # deep copy of plain TOML data
    by_id = {t["id"]: t for t in merged.get("treatment", [])}
    for entry in extra.get("treatment", []):
        tid = entry.get("id")
        if not isinstance(tid, str) or not tid:
            raise LexiconError("user lexicon: every [[treatment]] needs an id")
        current = by_id.get(tid)
        if current is None:
            new = {k: v for k, v in entry.items() if k not in ("remove_aliases",
                                                                "replace_aliases")}
            merged.setdefault("treatment", []).append(new)
            by_id[tid] = new
        else:
            _merge_treatment(current, entry)
    merged["decoys"] = list(merged.get("decoys", [])) + list(extra.get("decoys", []))
    merged["combo"] = list(merged.get("combo", [])) + list(extra.get("combo", []))
    for form, cues in extra.get("forms", {}).items():
        _merge_form(merged.setdefault("forms", {}).setdefault(form, {"cues": [],
                                                                     "patterns": []}), cues)
    return merged


def _merge_treatment(current: dict[str, Any], entry: dict[str, Any]) -> None:
    """Apply a user entry to a packaged treatment (in place)."""
    for key in ("name", "category", "forms"):
        if key in entry:
            current[key] = entry[key]
    if entry.get("replace_aliases"):
        current["aliases"] = []
        current["rule"] = []
        current["alias_forms"] = {}
    removed = {a.lower() for a in entry.get("remove_aliases", [])}
    current["aliases"] = [a for a in current.get("aliases", []) if a.lower() not in removed]
    current["aliases"].extend(entry.get("aliases", []))
    current.setdefault("alias_forms", {}).update(entry.get("alias_forms", {}))
    rules = [r for r in current.get("rule", [])
             if not removed & {a.lower() for a in r.get("aliases", [])}]
    current["rule"] = rules + list(entry.get("rule", []))


def _merge_form(target: dict[str, Any], cues: dict[str, Any]) -> None:
    """Add a user file's cues and patterns of one form to the packaged ones (in place)."""
    target["cues"] = list(target.get("cues", [])) + list(cues.get("cues", []))
    target["patterns"] = list(target.get("patterns", [])) + list(cues.get("patterns", []))
    if cues.get("patterns") and "pattern_hints" not in cues:
        target.pop("pattern_hints", None)  # new patterns without hints: no pre-check
    elif cues.get("pattern_hints"):
        target["pattern_hints"] = (list(target.get("pattern_hints", []))
                                   + list(cues["pattern_hints"]))


def load_lexicon(user_path: Path | str | None = None) -> Lexicon:
    """The packaged lexicon, extended or overridden by `user_path` when given."""
    data = tomllib.loads(_package_text())
    if user_path is not None:
        extra = _read(Path(user_path))
        problem = lexicon_problem(extra)
        if problem:
            raise LexiconError(f"{user_path}: {problem}")
        data = merge(data, extra)
    return build(data, origin=str(user_path or "aggregator/lexicon.toml"))


def _compile(pattern: str | None, where: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LexiconError(f"{where}: bad regex {pattern!r}: {exc}") from exc


def _near_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for whole-word phrases (spaces match any run of spaces), as a trie:
    the regex engine then tries each character once instead of every phrase in turn."""
    plain = [w.split() for w in words if w != NEAR_TREATMENT and w.strip()]
    if not plain:
        return None
    return re.compile(r"(?<!\w)" + _trie_pattern([" ".join(p) for p in plain]) + r"(?!\w)")


def _trie_pattern(phrases: list[str]) -> str:
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(trie) + ")"


def _rule(raw: dict[str, Any], where: str) -> Rule:
    require = tuple(_near(w) for w in raw.get("require_near", []))
    reject = tuple(_near(w) for w in raw.get("reject_near", []))
    return Rule(
        cased=frozenset(raw.get("cased", [])),
        require_near=require,
        reject_near=reject,
        reject_before=_compile(raw.get("reject_before"), where),
        reject_after=_compile(raw.get("reject_after"), where),
        require_re=_near_regex(require),
        reject_re=_near_regex(reject),
        other_sense_re=_near_regex(tuple(_near(w) for w in raw.get("other_sense", []))),
        unless_near_re=_near_regex(tuple(_near(w) for w in raw.get("unless_near", []))),
        unless_treatment=NEAR_TREATMENT in raw.get("unless_near", []),
        one_sense=bool(raw.get("one_sense_per_thread", False)),
    )


def _near(word: str) -> str:
    return word if word == NEAR_TREATMENT else " ".join(normalise(word).split())


def alias_key(alias: str) -> str:
    """The key an alias, decoy or cue is matched by: its normalised, stripped form."""
    return normalise(alias).strip()


def build(data: dict[str, Any], origin: str = "lexicon") -> Lexicon:
    """Validate parsed lexicon data and build the lookup tables."""
    treatments: dict[str, TreatmentInfo] = {}
    aliases: dict[str, list[Target]] = {}
    for raw in data.get("treatment", []):
        info = _treatment(raw, origin)
        if info.id in treatments:  # a second entry would silently take over the first
            raise LexiconError(f"{origin}: treatment {info.id!r} is defined twice")
        treatments[info.id] = info
        _add_treatment_aliases(aliases, raw, info.id, origin)
    for combo in data.get("combo", []):
        for tid in combo.get("treatments", []):
            if tid not in treatments:
                raise LexiconError(f"{origin}: combo names unknown treatment {tid!r}")
        for alias in combo.get("aliases", []):
            for tid in combo["treatments"]:
                _add_alias(aliases, alias, Target(tid), origin)
    words, patterns, hints = _form_cues(data.get("forms", {}), origin)
    decoys = frozenset(alias_key(d) for d in data.get("decoys", []) if alias_key(d))
    digest = hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8"),
                          usedforsecurity=False).hexdigest()
    return Lexicon(treatments, aliases, decoys, words, patterns, hints, digest, data)


def _add_alias(aliases: dict[str, list[Target]], alias: str, target: Target,
               origin: str) -> None:
    """Map `alias` to `target` (replacing an earlier target of the same treatment)."""
    key = alias_key(alias)
    if not key:
        raise LexiconError(f"{origin}: alias {alias!r} has no letters or digits")
    targets = aliases.setdefault(key, [])
    targets[:] = [t for t in targets if t.treatment != target.treatment] + [target]


def _treatment(raw: dict[str, Any], origin: str) -> TreatmentInfo:
    """A validated `[[treatment]]` entry."""
    tid = raw.get("id")
    where = f"{origin}: treatment {tid!r}"
    if not isinstance(tid, str) or not re.fullmatch(r"[a-z0-9_]+", tid):
        raise LexiconError(f"{where}: id must be lower-case letters, digits and '_'")
    category = raw.get("category", "drug")
    if category not in CATEGORIES:
        raise LexiconError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    forms = tuple(raw.get("forms", []))
    for form in [*forms, *raw.get("alias_forms", {}).values()]:
        if form not in FORMS:
            raise LexiconError(f"{where}: unknown form {form!r}"
                               + ("" if form in forms else " in alias_forms"))
    return TreatmentInfo(tid, str(raw.get("name", tid)), category, forms)


def _add_treatment_aliases(aliases: dict[str, list[Target]], raw: dict[str, Any], tid: str,
                           origin: str) -> None:
    """Map a treatment's aliases, its id and its ruled aliases to it."""
    where = f"{origin}: treatment {tid!r}"
    alias_forms = {alias_key(k): v for k, v in raw.get("alias_forms", {}).items()}
    for alias in [*raw.get("aliases", []), tid.replace("_", " ")]:
        _add_alias(aliases, alias, Target(tid, alias_forms.get(alias_key(alias))), origin)
    for index, rule_raw in enumerate(raw.get("rule", [])):
        rule = _rule(rule_raw, f"{where} rule #{index + 1}")
        for alias in rule_raw.get("aliases", []):
            _add_alias(aliases, alias, Target(tid, alias_forms.get(alias_key(alias)), rule),
                       origin)


def _form_cues(forms: dict[str, Any], origin: str,
               ) -> tuple[dict[str, str], dict[str, re.Pattern[str]], tuple[str, ...] | None]:
    """(cue word -> form, form -> pattern regex, pattern hints or None) of `[forms.*]`."""
    words: dict[str, str] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    hints: set[str] | None = set()
    for form, spec in forms.items():
        if form not in FORMS:
            raise LexiconError(f"{origin}: unknown form {form!r}")
        for cue in spec.get("cues", []):
            if alias_key(cue):
                words[alias_key(cue)] = form
        if spec.get("patterns"):
            pattern = _compile("|".join(f"(?:{p})" for p in spec["patterns"]),
                               f"{origin}: forms.{form}")
            assert pattern is not None
            patterns[form] = pattern
            if hints is not None and spec.get("pattern_hints"):
                hints.update(h.lower() for h in spec["pattern_hints"])
            else:
                hints = None
    return words, patterns, tuple(sorted(hints)) if hints is not None else None
