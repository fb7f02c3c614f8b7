"""The pieces the text walk (`scrapers.text_walk`) appends, and the tidying of its output:
`tidy` (runs of spaces, trimmed lines, at most one blank line in a row), links as
"label (URL)" and images as their URL or alt text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

# Images that stand for a URL the author posted ([img] in phpBB), not decoration.
_URL_IMAGES = frozenset({"postimage"})
# `tidy` turns every run of spaces, tabs, no-break spaces... that is not a lone space into
# one space (`[ \t\r\f\v\u00a0]+` -> " ", lone spaces left as they are). It does so in two
# steps: each odd space becomes a space (`str.replace`, a C scan), then runs of two or more
# spaces become one (`_RUNS`, whose literal opening `re` scans for; a pattern opening with a
# class of space characters tried a match at every space of a post, about 60 instructions
# each).
_RUNS = re.compile("  +")
# Runs of three or more line breaks (`\n{3,}`, spelt with a literal opening: `re` then scans
# for "\n\n" instead of trying a match at every line break, 80 k -> 10 k instructions a post)
_BLANKS = re.compile(r"\n\n\n+")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim lines, keep at most one blank line in a row.

    Cheap checks skip the regexes a text does not need (a Reddit dump import tidies
    millions of bodies, most with single spaces and no blank-line runs)."""
    # the odd spaces a run may hold besides spaces (`replace` returns the text itself when
    # it holds none; runs never span a line break)
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\r", " ") \
        .replace("\f", " ").replace("\v", " ")
    if "  " in text:
        text = _RUNS.sub(" ", text)
    if "\n" not in text:  # (a link's label, most often)
        return text.strip()
    text = "\n".join(map(str.strip, text.split("\n")))
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def _image(src: object, alt: object, classes: Iterable[str], parts: list[str],
           base_url: str | None) -> None:
    """An [img] as its URL; emoji and smilies as their alt text; other images dropped."""
    if isinstance(src, str) and src.strip() and (any(c in _URL_IMAGES for c in classes)
                                                 or alt == "Image"):  # phpBB 3.0 [img]
        parts.append(urljoin(base_url, src.strip()) if base_url else src.strip())
        return
    if isinstance(alt, str) and alt.strip() and len(alt) <= 40:
        parts.append(alt)


def _append_link(label: str, href: object, parts: list[str], base_url: str | None) -> None:
    # (the "#" and "javascript:" test on the href as written, before its strip)
    if not isinstance(href, str) or href.startswith(("#", "javascript:")) or \
            not (href := href.strip()):
        parts.append(label)
        return
    if base_url and not href.startswith(("http://", "https://", "mailto:")):
        href = urljoin(base_url, href)
    if href.startswith("mailto:"):
        parts.append(label)
    elif not label or label.rstrip("/") == href.rstrip("/") or \
            (label.endswith(("…", "...")) and _same_target(label, href)):
        parts.append(href)
    else:
        parts.append(f"{label} ({href})")


def _same_target(label: str, href: str) -> bool:
    """The label is (a shortened form of) the URL itself."""
    if not label or label.rstrip("/") == href.rstrip("/"):
        return True
    if label.endswith(("…", "...")):
        stem = label.rstrip(".…").removeprefix("https://").removeprefix("http://")
        return stem in href
    return False

