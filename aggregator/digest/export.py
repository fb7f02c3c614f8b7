"""Write one digest file per study: Markdown, HTML (plus index.html), JSON, CSV or Atom.

File names come from the study's identifier (`pmid-123.html`, `doi-10.1000_abc.html`),
never from a title; every file is written directly inside the output directory.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from aggregator.digest.atom import render_atom
from aggregator.digest.charts import ChartRenderer, chart_data, chart_renderer, data_uri
from aggregator.digest.markdown import render_markdown
from aggregator.digest.present import file_stem
from aggregator.digest.research import (
    RESEARCH_CSV_FIELDS,
    research_csv_rows,
    research_json,
)
from aggregator.digest.views import (
    CommunityView,
    DigestView,
    digest_view,
)
from aggregator.outcome_types import READER_NOTE
from models.config_schema import DIGEST_FORMATS
from models.db import read_only, session_factory
from models.digest_queries import all_study_ids, load_digests
from models.entities import Study
from models.post_output import CSV_FIELDS, post_to_csv_row, post_to_dict
from models.treatment_names import display_names, treatment_name

FORMATS = DIGEST_FORMATS  # declared with the config schema, which checks `[export] formats`
# Beside index.html: the index row of every study page written into the folder, so a
# partial export adds to the index instead of replacing it.
INDEX_MANIFEST = ".hairlink-index.json"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# The name of a study page `file_stem` can give: the index links only such names (a file
# dropped into the folder as `javascript:alert(1).html` must never become a link).
PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html")
BATCH = 200


@dataclass
class ExportReport:
    """What an export wrote."""

    files: list[Path] = field(default_factory=list)
    studies: int = 0
    threads: int = 0
    charts: str = "none"
    format: str = ""
    directory: Path | None = None

    def __str__(self) -> str:
        return (f"{self.format}: {self.studies} studies, {len(self.files)} files "
                f"({self.threads} threads shown) in {self.directory}")


def environment() -> Environment:
    """The Jinja2 environment of the HTML digests (autoescape on for every template)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    env.globals["reader_note"] = READER_NOTE  # (how outcome counts were read)
    return env


# ---------------------------------------------------------------------------- formats


def study_dict(view: DigestView) -> dict[str, Any]:
    """The `study` object of a JSON digest."""
    s, study = view.study, view.data.study
    return {
        "id": s.id,
        "key": s.key,
        "pmid": study.pmid,
        "doi": study.doi,
        "pmcid": study.pmcid,
        "title": s.title,
        "authors": list(study.authors or []),
        "journal": s.journal or None,
        "year": study.pub_year,
        "month": study.pub_month,
        "tldr": s.tldr or None,
        "abstract": s.abstract or None,
        "url": s.url,
        "citation_count": s.citation_count,
        "treatments": s.treatments,
    }


def community_dict(view: CommunityView) -> dict[str, Any]:
    """One treatment of "What the community reports" as JSON."""
    return {"treatment": view.treatment, "threads": view.threads, "effects": view.effects,
            "side_effects": dict(view.side_effects), "line": view.line}


def digest_payload(view: DigestView) -> dict[str, Any]:
    """The JSON digest of a study: `{"study": {...}, "related_total": N, "citing_total": C,
    "shown": S, "community": [...], "posts": [...], ...research}` (posts with `relevance`
    and their top replies)."""
    posts = [post_to_dict(p.post, with_relevance=True, with_replies=False)
             for p in [*view.citing, *view.topical]]
    for item, post in zip(posts, [*view.citing, *view.topical], strict=True):
        item["top_replies"] = [{"score": r.score, "body": r.body}
                               for r in post.post.replies or ()]
    return {"study": study_dict(view), "related_total": view.related_total,
            "citing_total": view.citing_total, "shown": view.shown,
            "community": [community_dict(c) for c in view.community], "posts": posts,
            **research_json(view.research)}


def render_json(view: DigestView, **_: Any) -> str:
    """The JSON digest (`digest_payload`) as text."""
    return json.dumps(digest_payload(view), indent=2, ensure_ascii=False) + "\n"


def render_csv(view: DigestView, **_: Any) -> str:
    """The shown posts as CSV (the posts CSV columns plus `relevance`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*CSV_FIELDS, "relevance"], lineterminator="\n")
    writer.writeheader()
    for post in [*view.citing, *view.topical]:
        writer.writerow(post_to_csv_row(post.post, with_relevance=True,
                                         with_replies=False))
    return buffer.getvalue()


class HtmlRenderer:
    """Study pages and the index from the Jinja2 templates, charts embedded as data URIs."""

    def __init__(self, charts: ChartRenderer | None) -> None:
        self.env = environment()
        self.study_template = self.env.get_template("study.html.j2")
        self.index_template = self.env.get_template("index.html.j2")
        self.charts = charts
        self.pages: dict[int, str] = {}  # study id -> its page in this export (file name)

    def chart(self, view: DigestView) -> str | None:
        """The study's chart as a data URI (None without a renderer or data)."""
        if self.charts is None:
            return None
        data = chart_data(view.data.months, view.data.treatment_mix, view.data.names)
        return None if data.empty else data_uri(self.charts.svg(data))

    def __call__(self, view: DigestView, now: datetime, **_: Any) -> str:
        return self.study_template.render(
            study=view.study, related_total=view.related_total, shown=view.shown,
            sections=[
                {"id": "citing", "heading": "Threads citing this study", "posts": view.citing,
                 "total": view.citing_total},
                {"id": "topical", "heading": "Threads on the same topic",
                 "posts": view.topical, "total": view.topical_total},
            ],
            chart=self.chart(view), community=view.community, research=view.research,
            pages=self.pages,
            index_href="index.html", generated=now.strftime("%Y-%m-%d %H:%M UTC"))

    def index(self, rows: list[dict[str, Any]], now: datetime,
              names: Mapping[str, str] | None = None) -> str:
        """The index page: every study with its related-thread count and treatment chips
        (treatment ids named from `names`)."""
        rows = sorted(rows, key=lambda r: (-r["related_total"], r["title"].lower(), r["key"]))
        rows = [{**r, "treatment_chips": [(str(t), treatment_name(str(t), names))
                                          for t in r["treatments"]]} for r in rows]
        return self.index_template.render(
            studies=rows, total_links=sum(r["related_total"] for r in rows),
            generated=now.strftime("%Y-%m-%d %H:%M UTC"))


# ----------------------------------------------------------------------------- export


def _page_stems(session: Session, study_ids: Sequence[int]) -> dict[int, str]:
    """The file stem of every study in the export, unique (and never another's
    `<stem>.refs`, the name of a CSV digest's research companion), known up front so
    that pages can link to each other."""
    found: dict[int, Study] = {}
    for chunk in _chunks(list(dict.fromkeys(study_ids))):
        found.update((s.id, s) for s in session.scalars(select(Study)
                                                        .where(Study.id.in_(chunk))))
    used: set[str] = set()
    stems: dict[int, str] = {}
    for study_id in dict.fromkeys(study_ids):
        study = found.get(study_id)
        if study is None:
            continue
        stem = file_stem(study)
        while stem in used:
            stem = f"{stem}-{study_id}"
        used.update((stem, f"{stem}.refs"))
        stems[study_id] = stem
    return stems


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _write_research_csv(view: DigestView, path: Path) -> Path:
    """A CSV digest's companion: the research sections, one row per paper."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RESEARCH_CSV_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(research_csv_rows(view.research))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# The text formats: a renderer `(view, now=...) -> str` each; html is `HtmlRenderer` (charts
# and an index). A new format: its renderer here and its name in DIGEST_FORMATS.
RENDERERS: dict[str, Callable[..., str]] = {
    "md": render_markdown, "json": render_json, "csv": render_csv, "atom": render_atom}


def export_digests(session: Session, study_ids: Sequence[int], fmt: str, out_dir: Path, *,
                   now: datetime | None = None, limit: int | None = 50,
                   charts: str = "auto") -> ExportReport:
    """Write one `fmt` digest per study into `out_dir` (html adds `index.html`)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    now = now or datetime.now(UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ExportReport(format=fmt, directory=out_dir)
    html = None
    render: Callable[..., str]
    if fmt == "html":
        renderer = chart_renderer(charts, len(study_ids))
        report.charts = renderer.name if renderer else "none"
        html = render = HtmlRenderer(renderer)
    else:
        render = RENDERERS[fmt]
    stems = _page_stems(session, study_ids)
    names = display_names(session)  # once for the whole export
    if html is not None:
        html.pages = {study_id: f"{stem}.html" for study_id, stem in stems.items()}
    index_rows: list[dict[str, Any]] = []
    for start in range(0, len(study_ids), BATCH):
        for data in load_digests(session, study_ids[start:start + BATCH], limit=limit,
                                 names=names):
            view = digest_view(data, now, file_stem(data.study))
            stem = stems[data.study.id]
            path = out_dir / f"{stem}.{fmt}"
            path.write_text(render(view, now=now), encoding="utf-8")
            report.files.append(path)
            if fmt == "csv":
                report.files.append(_write_research_csv(view, out_dir / f"{stem}.refs.csv"))
            report.studies += 1
            report.threads += view.shown
            index_rows.append({"href": path.name, "key": view.study.key,
                               "title": view.study.title, "journal": view.study.journal,
                               "published": view.study.published,
                               "related_total": view.related_total,
                               "citing_total": view.citing_total,
                               "treatments": view.study.treatments})
    if html is not None:
        rows = site_index_rows(out_dir, index_rows)
        (out_dir / INDEX_MANIFEST).write_text(
            json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        index = out_dir / "index.html"
        index.write_text(html.index(rows, now, names), encoding="utf-8")
        report.files.append(index)
    return report


def site_index_rows(out_dir: Path, written: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The index rows of every study page now in `out_dir`: those just `written`, the
    earlier exports' rows from the manifest, and a bare row for any other study page (only
    names `file_stem` could give, `PAGE_NAME`: never another file's name as a link)."""
    rows = {row["href"]: row for row in _manifest_rows(out_dir / INDEX_MANIFEST)}
    rows.update({row["href"]: row for row in written})
    for page in out_dir.glob("*.html"):
        if (page.name != "index.html" and page.name not in rows
                and PAGE_NAME.fullmatch(page.name)):
            rows[page.name] = {"href": page.name, "key": page.stem, "title": page.stem,
                               "journal": "", "published": "", "related_total": 0,
                               "citing_total": 0, "treatments": []}
    return [row for href, row in rows.items() if (out_dir / href).is_file()]


def _manifest_rows(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    fields = {"href": str, "key": str, "title": str, "journal": str, "published": str,
              "related_total": int, "citing_total": int, "treatments": list}
    return [row for row in data if isinstance(data, list) and isinstance(row, dict)
            and all(isinstance(row.get(k), t) for k, t in fields.items())
            and PAGE_NAME.fullmatch(row["href"]) is not None]


def export_all(engine: Engine, out_dir: Path | str, fmt: str, *, now: datetime | None = None,
               limit: int | None = 50, charts: str = "auto") -> ExportReport:
    """Every stored study's `fmt` digest into `out_dir` (in its own read-only session)."""
    with session_factory(read_only(engine))() as session:
        return export_digests(session, all_study_ids(session), fmt, Path(out_dir), now=now,
                              limit=limit, charts=charts)
