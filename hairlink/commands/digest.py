"""`hairlink digest` (files per study) and `hairlink show` (one study in the terminal)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, state
from hairlink.errors import USAGE, UserError, writable_dir
from hairlink.names import check_choice

if TYPE_CHECKING:
    from rich.console import Group
    from rich.text import Text

    from aggregator.digest.research import ResearchItem, ResearchView
    from aggregator.digest.views import DigestView, PostView

CHARTS = ("auto", "svg", "matplotlib", "none")


@app.command()
def digest(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(
        metavar="KEY",
        help="Study keys as `hairlink studies` prints them: pmid:N, doi:10.x/..., pmcid:PMCn.")
    ] = None,
    all_studies: Annotated[bool, typer.Option("--all", help="Every stored study.")] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="md, html, json, csv or atom.")] = "html",
    out: Annotated[Path, typer.Option("--out", metavar="DIR",
                                      help="Output directory.")] = Path("digests"),
    limit: Annotated[int, typer.Option(
        "--limit", min=0, metavar="N", help="Threads shown per study (0: all).")] = 50,
    charts: Annotated[str, typer.Option(
        "--charts", metavar="KIND", help="html charts: auto (matplotlib for small exports, "
        "else a light SVG), svg, matplotlib or none.")] = "auto",
) -> None:
    """Write one digest file per study (html adds index.html), named from its identifier.
    A partial html export into an existing site keeps the other pages in its index."""
    from aggregator.digest import FORMATS, export_digests
    from hairlink.names import find_study_or_exit
    from models.db import session_factory
    from models.digest_queries import all_study_ids

    check_choice(fmt, FORMATS, "--format")
    check_choice(charts, CHARTS, "--charts")
    if all_studies == bool(keys):
        raise UserError("give study keys or --all (not both)", USAGE)
    engine = state(ctx).ready_engine()
    writable_dir(out, "--out")
    started = time.perf_counter()
    with session_factory(engine)() as session:
        if all_studies:
            ids = all_study_ids(session)
        else:
            ids = [find_study_or_exit(session, key).id for key in keys or []]
        report = export_digests(session, ids, fmt, out, limit=limit or None, charts=charts)
    from rich.text import Text

    console.print(Text(
        f"wrote {len(report.files)} files for {report.studies} studies "
        f"({report.threads} threads shown) to {out} in {time.perf_counter() - started:.1f} s"
        + (f", charts: {report.charts}" if fmt == "html" else "")))


@app.command()
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(
        metavar="KEY", help="A study key as `hairlink studies` prints it: pmid:N, "
        "doi:10.x/..., pmcid:PMCn.")],
    limit: Annotated[int, typer.Option("--limit", min=1, metavar="N",
                                       help="Threads shown.")] = 10,
) -> None:
    """One study's digest in the terminal: the study, its related threads, the research it
    cites, the studies citing it and similar research."""
    from aggregator.digest.views import digest_view
    from hairlink.names import find_study_or_exit
    from models.db import session_factory
    from models.digest_queries import load_digests

    engine = state(ctx).ready_engine()
    with session_factory(engine)() as session:
        study = find_study_or_exit(session, key)
        data = load_digests(session, [study.id], limit=limit)[0]
    console.print(render_digest(digest_view(data, datetime.now(UTC))))


def _post_block(number: int, post: PostView) -> Text:
    from rich.text import Text

    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append(post.title, style="bold")
    text.append("\n   ")
    text.append(f"{post.score_label} · {post.comments_label} · {post.age} · {post.community}",
                style="dim")
    if post.treatment_chips:
        text.append("\n   ")
        text.append("  ".join(name for _, name in post.treatment_chips), style="cyan")
    if post.outcomes:
        text.append("\n   ")
        text.append("  ".join(f"[{o.label}]" for o in post.outcomes), style="green")
    if post.summary or post.excerpt:
        text.append(f"\n   {post.summary or post.excerpt}")
    text.append(f"\n   {post.url or '(no safe link)'}", style="blue")
    if post.sample_link:
        from aggregator.digest.present import SAMPLE_LINK_NOTE

        text.append(f" ({SAMPLE_LINK_NOTE})", style="dim")
    return text


def render_digest(view: DigestView) -> Group:
    """A study digest as Rich renderables (all scraped text as plain Text, never markup)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from aggregator.outcome_types import READER_NOTE

    s = view.study
    head = Text()
    head.append(s.title or s.key, style="bold")
    meta = " · ".join(x for x in (s.journal, s.published, s.key) if x)
    head.append(f"\n{meta}", style="dim")
    if s.authors:
        head.append(f"\n{s.authors}", style="dim")
    if s.treatment_chips:
        head.append("\n" + "  ".join(name for _, name in s.treatment_chips), style="cyan")
    if s.tldr:
        head.append("\n\nTLDR ", style="bold")
        head.append(s.tldr)
    if s.abstract:
        head.append(f"\n\n{s.abstract}")
    head.append("\n\n")
    head.append(s.url or "no link to the paper", style="blue")
    if s.citation_count is not None:
        head.append(f" · cited by {s.citation_count:,}")
    parts: list[Text | Panel] = [Panel(head, title="study", title_align="left"),
                                 Text(f"Related Community Posts {view.shown} / "
                                      f"{view.related_total}", style="bold")]
    sections = [("Threads citing this study", view.citing, view.citing_total),
                ("Threads on the same topic", view.topical, view.topical_total)]
    if view.community:
        parts.append(Text("\nWhat the community reports", style="bold underline"))
        parts.extend(Text(f"  {c.line}") for c in view.community)
        parts.append(Text(f"  {READER_NOTE}", style="dim"))
    for heading, posts, total in sections:
        if total:
            parts.append(Text(f"\n{heading} ({len(posts)} / {total})", style="bold underline"))
            parts.extend(_post_block(i, p) for i, p in enumerate(posts, 1))
    if not view.related_total:
        parts.append(Text("No community threads are linked to this study yet.", style="dim"))
    parts.extend(render_research(view.research))
    return Group(*parts)


def _paper_line(number: int, item: ResearchItem, note: str = "") -> Text:
    from rich.text import Text

    text = Text(f"{number}. ", style="bold")
    text.append(item.label)
    if item.key:
        text.append(f"  {item.key}", style="cyan")
    if note:
        text.append(f"  {note}", style="dim")
    if item.url:
        text.append(f"\n   {item.url}", style="blue")
    return text


def render_research(research: ResearchView) -> list[Text]:
    """The sections "Research cited in this study (N / M)", "Cited by" and "Similar
    research" as plain Text (titles are never read as markup)."""
    from rich.text import Text

    parts = [Text(f"\n{research.references_heading}", style="bold underline")]
    parts.extend(_paper_line(i, item, "in this catalogue" if item.study_id else "")
                 for i, item in enumerate(research.references, 1))
    if research.references_total > len(research.references):
        parts.append(Text(f"… and {research.references_total - len(research.references)} more",
                          style="dim"))
    if not research.references_total:
        parts.append(Text("No reference list is stored for this study.", style="dim"))
    parts.append(Text(f"\n{research.cited_by_heading}", style="bold underline"))
    parts.extend(_paper_line(i, item) for i, item in enumerate(research.cited_by, 1))
    parts.append(Text(f"\n{research.similar_heading}", style="bold underline"))
    parts.extend(_paper_line(i, item, f"similarity {item.score:.2f}"
                             if item.score is not None else "")
                 for i, item in enumerate(research.similar, 1))
    if not research.similar:
        parts.append(Text("No similar studies yet (run `hairlink aggregate`).", style="dim"))
    return parts
