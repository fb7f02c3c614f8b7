"""`hairlink posts`: query threads by treatment, study, source, category, time, score, text."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, inspect

from aggregator.digest.present import age, score_label
from hairlink.app import app, console, fail, state
from models.db import session_factory
from models.post_output import CSV_FIELDS, post_to_csv_row, post_to_dict
from models.post_queries import EFFECT_FILTERS, SIDE_EFFECT_FILTERS, SORTS, query_posts
from models.post_types import Post, PostQuery
from models.study_keys import StudyKeyError, StudyNotFound, find_study
from models.time_specs import BadTimeSpec, parse_time_spec

OUTPUT_FORMATS = ("table", "json", "csv")


def require_schema(engine: Engine) -> None:
    """Exit 1 with a hint when the database has no hairlink tables yet."""
    if not inspect(engine).has_table("thread"):
        fail("the database has no hairlink tables: run `hairlink init` first")


def time_option(value: str | None, name: str, now: datetime, end_of_day: bool = False
                ) -> datetime | None:
    """Parse a --since/--until value or exit 2 naming the option."""
    if value is None:
        return None
    try:
        return parse_time_spec(value, now, end_of_day=end_of_day)
    except BadTimeSpec as exc:
        raise typer.BadParameter(str(exc), param_hint=name) from None


@app.command()
def posts(
    ctx: typer.Context,
    treatment: Annotated[list[str] | None, typer.Option(
        "--treatment", "-t", help="Treatment id; repeat to require all of them.")] = None,
    study: Annotated[str | None, typer.Option(
        "--study", help="Study key: pmid:N, doi:10.x/..., pmcid:PMCn or the internal id.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name.")] = None,
    category: Annotated[str | None, typer.Option(
        "--category", help="Category or flair (case-insensitive).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Created at or after: a date, a datetime, or an age like 30d.")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Created before (a date includes that day), or an age.")] = None,
    min_score: Annotated[int | None, typer.Option("--min-score", help="Minimum score.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="Words (or \"quoted phrases\") that must all appear.")] = None,
    sort: Annotated[str, typer.Option(
        "--sort", help="score, new or relevance.")] = "relevance",
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most N posts (0: all).")] = 50,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    effect: Annotated[str | None, typer.Option(
        "--effect", help="Only threads reporting this effect (improved, no_effect, mixed) "
        "about --treatment, or about any treatment.")] = None,
    side_effect: Annotated[str | None, typer.Option(
        "--side-effect", help="Only threads reporting this side effect (sexual, mood, "
        "shedding, skin, cardio, body_hair, breast, other).")] = None,
) -> None:
    """List threads matching every filter given, with treatments and linked studies."""
    if sort not in SORTS:
        raise typer.BadParameter(f"use one of {', '.join(SORTS)}", param_hint="--sort")
    if fmt not in OUTPUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(OUTPUT_FORMATS)}",
                                 param_hint="--format")
    if effect is not None and effect not in EFFECT_FILTERS:
        raise typer.BadParameter(f"use one of {', '.join(EFFECT_FILTERS)}",
                                 param_hint="--effect")
    if side_effect is not None and side_effect not in SIDE_EFFECT_FILTERS:
        raise typer.BadParameter(f"use one of {', '.join(SIDE_EFFECT_FILTERS)}",
                                 param_hint="--side-effect")
    now = datetime.now(UTC)
    query = PostQuery(treatments=[t.strip().lower() for t in treatment or []], source=source,
                      effect=effect, side_effect=side_effect,
                      category=category, since=time_option(since, "--since", now),
                      until=time_option(until, "--until", now, end_of_day=True),
                      min_score=min_score, search=search, sort=sort, limit=limit or None)
    engine = state(ctx).read_engine
    require_schema(engine)
    with session_factory(engine)() as session:
        if study is not None:
            try:
                query.study_id = find_study(session, study).id
            except (StudyKeyError, StudyNotFound) as exc:
                fail(str(exc))
        results = query_posts(session, query)
    if fmt == "json":
        typer.echo(json.dumps([post_to_dict(p) for p in results], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(CSV_FIELDS), lineterminator="\n")
        writer.writeheader()
        for post in results:
            writer.writerow(post_to_csv_row(post))
    else:
        print_table(results, now)


def print_table(results: list[Post], now: datetime) -> None:
    """The posts as a Rich table (scraped text is never parsed as markup)."""
    table = Table(title=f"{len(results)} posts", show_lines=False)
    for column in ("score", "age", "source", "category", "title", "treatments", "studies"):
        table.add_column(column, overflow="fold")
    for post in results:
        studies = ", ".join(f"{lk.study.key} ({lk.kind})" for lk in post.links)
        table.add_row(Text(score_label(post.score, post.source_kind)),
                      Text(age(post.created_at, now)), Text(post.source),
                      Text(post.category or "-"), Text(post.title),
                      Text(", ".join(post.treatments)), Text(studies))
    console.print(table)
    if not results:
        console.print("no posts match")
