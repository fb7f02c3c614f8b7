"""What a regex needs, for scanning fast: the plain words it cannot match without
(`literal_hint`, `pattern_literals`), a form led by a plain character (`scan_form`,
`led_by_character`) and an alternation of literals grouped by first character
(`literal_alternation`). A regex led by a plain character is searched at C speed: the
engine skips to that character instead of trying every position."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final


def _tokens(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The regex's characters outside escapes and character classes, with their positions:
    an escape is yielded once as a backslash, a whole class once as "[" (each at its first
    character; a "(", ")" or "|" in a class is a member, no group or alternative)."""
    i, end = start, len(pattern)
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            yield i, ch
            i += 2
        elif ch == "[":
            yield i, ch
            i += 1
            if pattern[i:i + 1] == "^":
                i += 1
            if pattern[i:i + 1] == "]":  # a "]" first in a class is a member
                i += 1
            while i < end and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        else:
            yield i, ch
            i += 1


def literal_hint(pattern: str) -> str | None:
    """A plain word the regex cannot match without (its longest literal run outside any
    group, class or quantifier), or None when there is none (then it always runs)."""
    runs: list[str] = []
    current: list[str] = []
    depth = 0
    for i, ch in _tokens(pattern):
        if ch in "({":  # ({m,n} is a quantifier: its digits are no literal)
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "|" and depth == 0:
            return None  # a top-level alternative needs none of the others' words
        elif depth == 0 and (ch.isalnum() or ch == " ") and \
                pattern[i + 1:i + 2] not in ("?", "*", "{"):
            current.append(ch)
            continue
        runs.append("".join(current))  # (an escape or a class ends a run too)
        current = []
    runs.append("".join(current))
    best = max((r.strip() for r in runs), key=len, default="")
    return best or None


def _lookahead_bodies(pattern: str) -> list[str] | None:
    """The bodies of the top-level positive lookaheads of `pattern` (`(?=...)` not inside
    any group or class and not quantified), or None when `pattern` has a top-level `|`."""
    bodies: list[str] = []
    depth, opened = 0, -1
    for i, ch in _tokens(pattern):
        if ch == "(":
            if depth == 0 and pattern.startswith("(?=", i):
                opened = i + 3
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and opened >= 0:
                if pattern[i + 1:i + 2] not in ("?", "*", "{", "+"):
                    bodies.append(pattern[opened:i])
                opened = -1
        elif ch == "|" and depth == 0:
            return None
    return bodies


def pattern_literals(pattern: str) -> tuple[str, ...]:
    """Plain words the regex cannot match without: its `literal_hint` and that of each
    top-level positive lookahead (what a lookahead requires must be in the text after the
    match's start, before `endpos`), without repeats; () when there is none."""
    bodies = _lookahead_bodies(pattern)
    if bodies is None:
        return ()
    found = [literal_hint(pattern), *map(literal_hint, bodies)]
    return tuple(dict.fromkeys(h for h in found if h))


_LEADING_BOUNDARY: Final = re.compile(r"\\b(\\d\+|[a-z](?![?*+{]))")


def scan_form(pattern: str) -> str:
    """`pattern` with a leading `\\b` before a digit run or a letter moved behind it as a
    lookbehind (`\\bday` -> `d(?<!\\wd)ay`, `\\b\\d+` -> `\\d(?<!\\w\\d)\\d*`): the same matches
    (with `pos`/`endpos` too: both look before `pos`), but led by a character the regex
    engine skips to at C speed instead of trying the pattern at every position; the same for
    each alternative of a leading group (`_led_alternatives`)."""
    lead = _LEADING_BOUNDARY.match(pattern)
    if lead is None:
        return _led_alternatives(pattern) or pattern
    if lead[1] == "\\d+":
        return r"\d(?<!\w\d)\d*" + pattern[lead.end():]
    return f"{lead[1]}(?<!\\w{lead[1]})" + pattern[lead.end():]


_PLAIN_LEAD: Final = re.compile(r"[a-z0-9](?![?*+{])")


def _led_alternatives(pattern: str) -> str | None:
    """`\\b(?:one|two) weeks` as `(?:o(?<!\\wo)ne|t(?<!\\wt)wo) weeks` (the boundary after each
    alternative's first character, see `scan_form`) when every alternative of the leading
    group starts with a plain letter or digit and the group is not quantified; else None."""
    if not pattern.startswith("\\b(?:"):
        return None
    alternatives: list[str] = []
    depth, start, i = 0, 5, -1
    for i, ch in _tokens(pattern, 2):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                alternatives.append(pattern[start:i])
                break
        elif ch == "|" and depth == 1:
            alternatives.append(pattern[start:i])
            start = i + 1
    else:
        return None
    rest = pattern[i + 1:]
    if rest[:1] in ("?", "*", "+", "{") or not all(map(_PLAIN_LEAD.match, alternatives)):
        return None
    return "(?:" + "|".join(f"{a[0]}(?<!\\w{a[0]}){a[1:]}" for a in alternatives) + ")" + rest


def led_by_character(alternative: str) -> str:
    """A word boundary before `alternative`, written after its first character when that is
    a word character."""
    first = alternative[:1]
    if re.fullmatch(r"\w", first) is None:
        return r"\b" + alternative
    return f"{first}(?<!\\w{first})" + alternative[1:]


def literal_alternation(literals: list[str], unless: Sequence[str] = ()) -> re.Pattern[str]:
    """`re.compile("|".join(map(re.escape, literals)))`, the literals grouped by their
    first character (the same matches: at a position only the literals starting with its
    character can match, tried in their order; the engine then skips to those characters
    instead of trying every literal at every position). `unless`: longer phrases that start
    with a literal and are no match of it (" so far" for " so ": a lookahead after it)."""
    if not literals:
        return re.compile(r"(?!x)x")
    if not all(literals):  # an empty break matches everywhere: kept as written
        return re.compile("|".join(re.escape(b) for b in literals))
    groups: dict[str, list[str]] = {}
    for literal in literals:
        rests = [u[len(literal):] for u in unless
                 if len(u) > len(literal) and u.startswith(literal)]
        guard = "(?!" + "|".join(map(re.escape, rests)) + ")" if rests else ""
        groups.setdefault(literal[0], []).append(re.escape(literal[1:]) + guard)
    return re.compile("|".join(
        re.escape(first) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in groups.items()))
