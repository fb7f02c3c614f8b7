"""What an outcome cue file may hold: reading its TOML (`read_cue_file`) and the checks that
say what is wrong in one, each error naming the file, the line and the key
(`OutcomeCueError`). `outcome_cue_file` loads and compiles the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Final

from aggregator.outcome_types import SIDE_EFFECTS
from aggregator.phrase_scanner import phrase_keys

# earlier wins at a position
EFFECT_KINDS: Final = ("unchanged", "improved", "no_effect", "declined")
SIDE_KINDS: Final = ("not_side", *SIDE_EFFECTS, "unspecified")
# the trigger lists of `[scope]` (`content` is listed under `[effect]`)
_SCOPE_LISTS: Final = ("negation", "side_negation", "negation_after", "hypothetical", "wish",
                       "generic",
                       "first_person", "research", "pre_existing", "too_early", "history",
                       "switch", "disowned", "other_cause", "combination")
SCOPE_KINDS: Final = (*_SCOPE_LISTS, "content")
# `[patterns]` keys (but `switch`: it is read from the scanned triggers only, and a pattern
# would be ignored; `_validate_key` rejects it)
_PATTERN_KINDS: Final = frozenset({*EFFECT_KINDS, *SIDE_KINDS, *SCOPE_KINDS})
_LIST_KEYS: Final = {
    "effect": {"improved", "no_effect", "unchanged", "declined", "content"},
    "side_effects": {*SIDE_KINDS, "unspecified_sexual_on"},
    "scope": {*_SCOPE_LISTS, "first_person_verbs", "breaks", "strong_breaks", "not_breaks"},
    "reporter": {"op_markers"},
    "typical": set(SIDE_EFFECTS),
    "procedures": {"words", "treatments"},
}
_NEAR_KEYS: Final = {"kind", "words", "after", "within", "named", "before"}
# a `[[near]]` item "@name" stands for the words of `[classes] name`
CLASS_REF: Final = re.compile(r"@([a-z][a-z0-9_]*)")


class OutcomeCueError(ValueError):
    """A cue file that cannot be used; the message names the file, the line and the key."""


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


def read_cue_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed TOML of a cue file and its text (for error lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OutcomeCueError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise OutcomeCueError(f"{path}: not valid TOML: {exc}") from exc


def validate_cue_data(data: dict[str, Any], text: str, origin: str) -> None:
    """Every section and key known, every list a list of strings, every pattern a regex."""
    for section, value in data.items():
        if section == "version":
            continue
        if section == "near":
            _validate_near(value, text, origin)
            continue
        if section == "classes":
            _validate_classes(value, text, origin)
            continue
        if section not in {*_LIST_KEYS, "patterns", "told_by"} or not isinstance(value, dict):
            raise OutcomeCueError(f"{origin}: line {_line_of(text, section, section)}: "
                                  f"unknown section [{section}]")
        for key, items in value.items():
            where = f"{origin}: line {_line_of(text, section, key)}: [{section}] {key}"
            _validate_key(section, key, items, where)


def _validate_key(section: str, key: str, items: Any, where: str) -> None:
    """One key of a section: a known key holding what it should."""
    if section == "scope" and key in ("window", "scope_window"):
        if not _positive_int(items):
            raise OutcomeCueError(f"{where}: must be a positive integer")
        return
    known = _PATTERN_KINDS if section == "patterns" else \
        None if section == "told_by" else _LIST_KEYS[section]  # (told_by: treatment ids)
    if section == "patterns" and key == "switch":
        raise OutcomeCueError(f"{where}: unknown key (switch words are plain words, listed "
                              "under [scope] switch)")
    if known is not None and key not in known:
        raise OutcomeCueError(f"{where}: unknown key")
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise OutcomeCueError(f"{where}: must be a list of strings")
    if section in ("typical", "procedures") or key in ("breaks", "strong_breaks", "not_breaks",
                                                             "op_markers"):
        return  # free text
    if key == "first_person_verbs":
        bad = next((i for i in items if not re.fullmatch(r"[a-z]+", i)), None)
        if bad is not None:
            raise OutcomeCueError(f"{where}: bad verb {bad!r}: lower-case letters only")
        return
    for item in items:
        try:
            if section in ("patterns", "told_by"):
                re.compile(item)
            elif "*" in item.rstrip("*") or not phrase_keys(item):
                raise re.error("letters or digits, `*` only at the end")
        except re.error as exc:
            raise OutcomeCueError(f"{where}: bad pattern {item!r}: {exc}") from exc


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


# a `[[near]]` table header as TOML allows it written (spaces, a comment after it)
_NEAR_HEADER: Final = re.compile(r"\s*\[\[\s*near\s*\]\]\s*(?:#.*)?$")


def _validate_near(entries: Any, text: str, origin: str) -> None:
    """Each `[[near]]` table (an error names the line of that table's header)."""
    lines = [n for n, row in enumerate(text.splitlines(), 1) if _NEAR_HEADER.match(row)]
    if not isinstance(entries, list):
        raise OutcomeCueError(f"{origin}: line {lines[0] if lines else 1}: "
                              "[[near]] must be an array of tables")
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 1
        where = f"{origin}: line {line}: [[near]] #{index + 1}"
        if not isinstance(entry, dict) or set(entry) - _NEAR_KEYS:
            raise OutcomeCueError(f"{where}: keys are {', '.join(sorted(_NEAR_KEYS))}")
        if entry.get("kind") not in EFFECT_KINDS + SIDE_KINDS:
            raise OutcomeCueError(f"{where}: kind must be an effect or side-effect cue kind")
        if "after" not in entry and "before" not in entry:
            raise OutcomeCueError(f"{where}: after or before must be given")
        for key in ("words", "after", "before"):
            items = entry.get(key, None if key == "words" else [])
            if key != "words" and key not in entry:
                continue
            if not isinstance(items, list) or not items or not all(
                    isinstance(i, str) and (phrase_keys(i) or CLASS_REF.fullmatch(i))
                    for i in items):
                raise OutcomeCueError(f"{where}: {key} must be a list of words "
                                      "(or @class names)")
            bad = next((i for i in items if i.lstrip().startswith("@")
                        and not CLASS_REF.fullmatch(i)), None)
            if bad is not None:
                raise OutcomeCueError(f"{where}: {key}: bad class name {bad!r} (@ and "
                                      "lower-case letters, digits, _)")
        if not _positive_int(entry.get("within", 5)):
            raise OutcomeCueError(f"{where}: within must be a positive integer")
        if not isinstance(entry.get("named", False), bool):
            raise OutcomeCueError(f"{where}: named must be true or false")


def _validate_classes(value: Any, text: str, origin: str) -> None:
    """`[classes]`: named lists of words (`[[near]]` items "@name" stand for them)."""
    if not isinstance(value, dict):
        raise OutcomeCueError(f"{origin}: line {_line_of(text, 'classes', 'classes')}: "
                              "[classes] must be a table of word lists")
    for key, items in value.items():
        where = f"{origin}: line {_line_of(text, 'classes', key)}: [classes] {key}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise OutcomeCueError(f"{where}: a class name is lower-case letters, digits, _")
        if not isinstance(items, list) or not items or \
                not all(isinstance(i, str) and phrase_keys(i) for i in items):
            raise OutcomeCueError(f"{where}: must be a list of words")
        bad = next((i for i in items if i.lstrip().startswith("@")), None)
        if bad is not None:
            raise OutcomeCueError(f"{where}: {bad!r}: a class lists words, not classes")


def check_class_refs(data: dict[str, Any], classes: dict[str, Any], text: str,
                      origin: str) -> None:
    """Every "@name" of `data`'s `[[near]]` entries names one of `classes` (the packaged
    and the user's, merged); the error names the file, line and entry."""
    lines = [n for n, row in enumerate(text.splitlines(), 1) if _NEAR_HEADER.match(row)]
    for index, entry in enumerate(data.get("near", [])):
        for key in ("words", "after", "before"):
            for item in entry.get(key, []):
                ref = CLASS_REF.fullmatch(item)
                if ref is not None and ref[1] not in classes:
                    line = lines[index] if index < len(lines) else 1
                    raise OutcomeCueError(
                        f"{origin}: line {line}: [[near]] #{index + 1} {key}: unknown "
                        f"class {item!r} (no [classes] {ref[1]})")
