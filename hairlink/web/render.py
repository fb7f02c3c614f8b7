"""Templates of the web view (its pages plus the digests' shared partials), page links, and the
score-history chart as inline SVG built here (no script)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import quoteattr

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from aggregator.digest.export import TEMPLATES as DIGEST_TEMPLATES
from aggregator.outcome_types import READER_NOTE, side_effect_label
from models.thread_detail import Snapshot
from models.treatment_names import in_sentence

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"


def study_href(key: str) -> str:
    """The web page of a study key (`/studies/pmid:123`; a DOI's slashes kept)."""
    return "/studies/" + quote(key, safe=":/")


def treatment_href(treatment_id: str) -> str:
    """The web page of a treatment."""
    return "/treatments/" + quote(treatment_id, safe="")


def thread_href(thread_id: int) -> str:
    """The web page of a thread."""
    return f"/threads/{int(thread_id)}"


class StudyPages:
    """Study id -> its web page, as the mapping the digests' research partial reads (in the
    web view every catalogue study has a page)."""

    def __contains__(self, study_id: object) -> bool:
        return isinstance(study_id, int)

    def __getitem__(self, study_id: int) -> str:
        return study_href(f"id:{int(study_id)}")


def query_href(path: str, values: Mapping[str, Any], **changes: Any) -> str:
    """`path` with `values` as its query string, `changes` applied, empty values left out."""
    merged = {**values, **changes}
    pairs: list[tuple[str, str]] = []
    for name, value in merged.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                pairs.append((name, str(item)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def environment() -> Environment:
    """Jinja2 with autoescape for every template: the web pages first, then the digests'
    templates and partials they include (one set shared by both). Each template is compiled
    once per process and never checked against its file again (no stat per include)."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(TEMPLATES),
                                           FileSystemLoader(DIGEST_TEMPLATES)]),
                      autoescape=True, undefined=StrictUndefined, auto_reload=False)
    env.globals.update(study_href=study_href, treatment_href=treatment_href,
                       thread_href=thread_href, query_href=query_href,
                       side_effect_label=side_effect_label, reader_note=READER_NOTE,
                       stylesheet_href="/static/hairlink.css")
    env.filters["in_sentence"] = in_sentence  # a display name inside running text
    return env


def score_chart(history: Sequence[Snapshot], width: int = 480, height: int = 120) -> Markup:
    """The score history as a small inline SVG line chart (empty when under two scored
    points). Only numbers and fixed words go into it."""
    points = [(s.observed_at.timestamp(), s.score) for s in history if s.score is not None]
    if len(points) < 2:
        return Markup("")
    pad = 28
    t0, t1 = points[0][0], points[-1][0]
    low = min(p[1] for p in points)
    high = max(p[1] for p in points)
    span_t = (t1 - t0) or 1.0
    span_s = (high - low) or 1
    coords = " ".join(
        f"{pad + (t - t0) / span_t * (width - 2 * pad):.1f},"
        f"{height - pad - (s - low) / span_s * (height - 2 * pad):.1f}" for t, s in points)
    label = quoteattr(f"Score from {low:,} to {high:,} over {len(points)} observations")
    return Markup(
        f'<svg class="history" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label={label}>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="#c8ccd2"/>'
        f'<polyline fill="none" stroke="#3b6ea5" stroke-width="2" points="{coords}"/>'
        f'<text x="2" y="{pad - 8}" font-size="11" fill="#616e7c">{high:,}</text>'
        f'<text x="2" y="{height - pad + 14}" font-size="11" fill="#616e7c">{low:,}</text>'
        "</svg>")
