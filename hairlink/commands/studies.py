"""`hairlink studies` (list, enrich) and `hairlink import studies FILE...`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hairlink.app import app, console, fail, state
from hairlink.commands.importing import import_app
from hairlink.names import OUTPUT_FORMATS, check_choice

if TYPE_CHECKING:
    from rich.table import Table
    from sqlalchemy.orm import Session

studies_app = typer.Typer(
    name="studies",
    help="List stored studies; enrich them with TLDRs and citation counts.",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(studies_app, name="studies")


def _csv_cell(value: Any) -> str:
    """A cell: numbers as they are, text `csv_safe` (never a spreadsheet formula)."""
    import json

    from models.post_output import csv_safe

    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return json.dumps(value, ensure_ascii=False)  # references, similar: JSON in a cell
    if isinstance(value, list):
        return csv_safe("; ".join(str(v) for v in value))
    return csv_safe(str(value))


def render_csv(rows: list[dict[str, Any]]) -> str:
    """Studies as CSV with a header row (lists joined with '; '; `references` and `similar`
    as JSON arrays)."""
    import csv
    import io

    from models.study_queries import STUDY_FIELDS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STUDY_FIELDS)
    for row in rows:
        writer.writerow([_csv_cell(row[key]) for key in STUDY_FIELDS])
    return out.getvalue()


def _authors_short(authors: list[str]) -> str:
    if not authors:
        return ""
    return authors[0] + (" et al." if len(authors) > 1 else "")


@studies_app.callback()
def studies_list(
    ctx: typer.Context,
    treatment: Annotated[str | None, typer.Option(
        "--treatment", "-t", metavar="ID",
        help="Only studies about this treatment (id or alias).")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-s", metavar="TEXT",
        help="Text in title/abstract/TLDR/journal, or an identifier.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                     help="table, json or csv")] = "table",
    limit: Annotated[int | None, typer.Option("--limit", min=1, metavar="N",
                                              help="At most N.")] = None,
    cites: Annotated[str | None, typer.Option(
        "--cites", metavar="KEY",
        help="Only studies whose references include this study key.")] = None,
    cited_by: Annotated[str | None, typer.Option(
        "--cited-by", metavar="KEY",
        help="Only the catalogue studies this study key cites.")] = None,
) -> None:
    """List stored studies (newest first), each with the key `show` and `--study` take.
    Subcommand: enrich."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    from hairlink.names import find_study_or_exit, resolve_treatments
    from models.db import session_factory
    from models.study_queries import list_studies

    check_choice(fmt, OUTPUT_FORMATS, "--format")
    st = state(ctx)
    treatment_id = (resolve_treatments([treatment], st.config.lexicon)[0]
                    if treatment and treatment.strip() else None)
    with session_factory(st.ready_engine())() as session:
        keyed: dict[str, int | None] = {"cites": None, "cited_by": None}
        for name, key in (("cites", cites), ("cited_by", cited_by)):
            if key is not None:
                keyed[name] = find_study_or_exit(session, key,
                                                 f"--{name.replace('_', '-')}").id
        rows = list_studies(session, treatment=treatment_id, search=search, limit=limit,
                            **keyed)
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        typer.echo(render_csv(rows), nl=False)
        return
    console.print(studies_table(rows, wide=console.width >= 120))
    if not rows:
        console.print("no studies match" if (treatment or search or cites or cited_by) else
                      "no studies yet: add a pubmed source and crawl it, or "
                      "`hairlink import studies FILE`")


def studies_table(rows: list[dict[str, Any]], wide: bool = False) -> Table:
    """Studies as a Rich table that fits 80 columns: the key whole (it is what `show` and
    `--study` take), year and citations under the title, treatments folded; journal,
    authors and TLDR only on a wide terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"studies ({len(rows)})", expand=True, show_lines=False,
                  pad_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("study", ratio=4, overflow="fold", min_width=20)
    if wide:
        table.add_column("journal", ratio=2, overflow="fold")
        table.add_column("authors", ratio=2, overflow="fold")
    table.add_column("treatments", ratio=2, overflow="fold", min_width=11)
    if wide:
        table.add_column("tldr", ratio=4, overflow="fold")
    for row in rows:
        study = Text(row["title"] or "(untitled)")
        facts = [str(row["year"]) if row["year"] else "",
                 "" if row["citation_count"] is None else f"cited {row['citation_count']:,}"]
        if any(facts):
            study.append("\n" + " · ".join(f for f in facts if f), style="dim")
        cells: list[Any] = [Text(row["key"]), study]
        if wide:
            cells += [Text(row["journal"] or ""), Text(_authors_short(row["authors"]))]
        cells.append(", ".join(row["treatments"]))
        if wide:
            cells.append(Text(row["tldr"] or ""))
        table.add_row(*cells)
    return table


@studies_app.command("enrich")
def studies_enrich(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option(
        "--all", help="Ask again about studies enriched before.")] = False,
    s2_url: Annotated[str | None, typer.Option(
        "--s2-url", metavar="URL",
        help="Semantic Scholar base URL (default $HAIRLINK_S2_BASE_URL, else "
        "https://api.semanticscholar.org).")] = None,
    epmc_url: Annotated[str | None, typer.Option(
        "--epmc-url", metavar="URL",
        help="Europe PMC base URL (default $HAIRLINK_EPMC_BASE_URL, else "
        "https://www.ebi.ac.uk).")] = None,
    crossref_url: Annotated[str | None, typer.Option(
        "--crossref-url", metavar="URL",
        help="Crossref base URL (default $HAIRLINK_CROSSREF_BASE_URL, else "
        "https://api.crossref.org).")] = None,
    no_epmc: Annotated[bool, typer.Option(
        "--no-epmc", help="Do not fall back to Europe PMC.")] = False,
    no_crossref: Annotated[bool, typer.Option(
        "--no-crossref", help="Do not fill missing titles/journals/years from Crossref.")
                           ] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, metavar="N",
                                                      help="At most N studies.")
                     ] = None,
    delay: Annotated[float | None, typer.Option(
        "--delay", min=0.0, metavar="SECONDS",
        help="Seconds between Semantic Scholar requests (default 1).")
                     ] = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Fetch every study's reference list again.")] = False,
    no_references: Annotated[bool, typer.Option(
        "--no-references", help="Do not fetch reference lists.")] = False,
) -> None:
    """Fill TLDRs and citation counts from Semantic Scholar (Europe PMC as fallback);
    complete missing titles, journals and years from Crossref by DOI; fetch each study's
    reference list once (Semantic Scholar, else Europe PMC)."""
    from models.db import session_factory
    from scrapers.enrich.run import enrich
    from scrapers.enrich.settings import EnrichSettings

    st = state(ctx)
    overrides: dict[str, Any] = {}
    if delay is not None:
        overrides["s2_interval"] = delay
    if no_epmc:
        overrides["use_epmc"] = False
    if no_crossref:
        overrides["use_crossref"] = False
    if no_references:
        overrides["use_references"] = False
    try:
        settings = EnrichSettings.from_env(s2_url, epmc_url, contact=st.config.contact,
                                           crossref_base=crossref_url,
                                           section=st.config.section("enrich"), **overrides)
    except ValueError as exc:
        fail(f"configuration error: {exc}", code=2)
    with session_factory(st.ready_engine(write=True))() as session:  # commits per batch
        report = enrich(session, settings, everything=everything, limit=limit,
                        progress=lambda text: typer.echo(text, err=True),
                        refresh_references=refresh)
    for message in report.messages:
        typer.echo(f"warning: {message}", err=True)
    typer.echo(f"asked about {report.asked} studies: {report.from_s2} from Semantic Scholar, "
               f"{report.from_epmc} from Europe PMC, {report.not_found} unknown, "
               f"{report.from_crossref} completed from Crossref, "
               f"{report.failed} failed (kept as they were); {report.requests} requests, "
               f"{report.retries} retries")
    if settings.use_references:
        typer.echo(report.references.summary())
    if report.asked and report.failed == report.asked:
        raise typer.Exit(1)


def _sync_lexicon_treatments(session: Session, lexicon_path: Path | None) -> None:
    """Make the lexicon's treatments known, so a file's `treatments` ids can be attached."""
    from aggregator.lexicon import LexiconError, load_lexicon
    from aggregator.store import sync_treatments

    try:
        sync_treatments(session, load_lexicon(lexicon_path))
        session.commit()
    except (LexiconError, OSError) as exc:
        session.rollback()
        typer.echo(f"warning: lexicon not loaded ({exc}); only known treatments are attached",
                   err=True)


@import_app.command("studies")
def import_studies(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="PubMed XML, RIS, CSV or JSONL files.")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="pubmed, ris, csv or jsonl (default: by extension).")] = None,
) -> None:
    """Import curated study lists; a paper met twice is merged into one record. Bad rows
    are reported as FILE:LINE: reason and the rest is imported."""
    from models.db import session_factory
    from scrapers.importers.studies import ImportProblem, import_study_files
    from scrapers.parsers.studyfiles import FORMATS, UnknownFormat, detect_format

    if fmt is not None:
        check_choice(fmt, FORMATS, "--format")
    for path in files:
        if path.is_dir():
            fail(f"{path}: is a folder, not a study file", code=2)
        if not path.is_file():
            fail(f"{path}: no such file", code=2)
        try:
            detect_format(path, fmt)
        except UnknownFormat as exc:
            fail(str(exc), code=2)
    st = state(ctx)
    engine = st.ready_engine(write=True)

    def show(problem: ImportProblem) -> None:
        typer.echo(str(problem), err=True)

    with session_factory(engine)() as session:  # the importer commits once per file
        _sync_lexicon_treatments(session, st.config.lexicon)
        report = import_study_files(session, files, fmt=fmt, on_problem=show)
    typer.echo(f"read {report.read} studies from {report.files} file(s): "
               f"{report.inserted} new, {report.updated} updated, {report.merged} merged; "
               f"{len(report.errors)} problem(s)")
    if report.read == 0:
        raise typer.Exit(1)
