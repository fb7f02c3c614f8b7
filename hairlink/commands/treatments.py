"""`hairlink treatments [ID...]`: what the community reports per treatment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, state
from hairlink.names import OUTPUT_FORMATS, check_choice

if TYPE_CHECKING:
    from models.treatment_stats import TreatmentStats

CSV_FIELDS = ("treatment", "name", "threads", "reported", "improved", "no_effect", "mixed",
              "none", "improved_share", "no_effect_share", "mixed_share", "side_effects",
              "top_studies")
_LABELS = {"improved": "improved", "no_effect": "no effect", "mixed": "mixed"}


@app.command()
def treatments(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, typer.Argument(
        metavar="[ID]...",
        help="Treatment ids or aliases (default: every treatment some thread discusses).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="table, json or csv.")] = "table",
    examples: Annotated[int, typer.Option(
        "--examples", min=0, metavar="N", help="Example threads per reported effect.")] = 3,
) -> None:
    """Per treatment: threads, reported effects and their shares, side effects, top studies
    and example threads."""
    import csv
    import json
    import sys

    from hairlink.names import resolve_treatments
    from models.db import session_factory
    from models.treatment_stats import treatment_stats

    check_choice(fmt, OUTPUT_FORMATS, "--format")
    st = state(ctx)
    wanted = resolve_treatments(ids or [], st.config.lexicon, "ID")
    with session_factory(st.ready_engine())() as session:
        results = treatment_stats(session, wanted or None, examples=examples)
    if fmt == "json":
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(CSV_FIELDS), lineterminator="\n")
        writer.writeheader()
        for item in results:
            writer.writerow(csv_row(item))
    else:
        print_table(results)


def csv_row(item: TreatmentStats) -> dict[str, object]:
    """A flat CSV row: side effects as `name=count;...`, studies as `key=threads;...`;
    text cells `csv_safe`."""
    from models.post_output import csv_safe
    from models.treatment_stats import REPORTED_EFFECTS

    shares = item.shares
    return {"treatment": csv_safe(item.treatment), "name": csv_safe(item.name),
            "threads": item.threads,
            "reported": item.reported, **item.effects,
            **{f"{e}_share": round(shares[e], 4) for e in REPORTED_EFFECTS},
            "side_effects": csv_safe(";".join(f"{k}={v}"
                                              for k, v in item.side_effects.items())),
            "top_studies": csv_safe(";".join(f"{s.key}={s.threads}"
                                             for s in item.top_studies))}


def reported_line(item: TreatmentStats) -> str:
    """"61 improved (84%), 9 no effect (12%), 3 mixed (4%)" (or "no effects reported")."""
    from models.treatment_stats import REPORTED_EFFECTS

    shares = item.shares
    parts = [f"{item.effects[e]} {_LABELS[e]} ({shares[e]:.0%})"
             for e in REPORTED_EFFECTS if item.effects.get(e)]
    return ", ".join(parts) or "no effects reported"


def print_table(results: list[TreatmentStats]) -> None:
    """The stats as a Rich table: treatments by their display names, side effects by their
    labels (scraped text and lexicon names are never parsed as markup)."""
    from rich.table import Table
    from rich.text import Text

    from aggregator.outcome_types import READER_NOTE, side_effect_label

    table = Table(title=f"{len(results)} treatments", caption=READER_NOTE)
    for column in ("treatment", "threads", "reported effects", "side effects", "top studies"):
        table.add_column(column)
    for item in results:
        table.add_row(Text(item.name), str(item.threads), Text(reported_line(item)),
                      Text(", ".join(f"{side_effect_label(k)} {v}"
                                     for k, v in item.side_effects.items())),
                      Text(", ".join(f"{s.key} ({s.threads})" for s in item.top_studies[:3])))
    console.print(table)
