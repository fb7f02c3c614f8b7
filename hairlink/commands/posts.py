"""`hairlink posts`: query threads by treatment, study, source, category, time, score, text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, state
from hairlink.errors import USAGE, UserError
from hairlink.names import OUTPUT_FORMATS, check_choice
from models.post_types import SORTS

if TYPE_CHECKING:
    from rich.table import Table

    from models.post_types import Post



def time_option(value: str | None, name: str, now: datetime, end_of_day: bool = False
                ) -> datetime | None:
    """Parse a --since/--until value or exit 2 naming the option."""
    from models.time_specs import BadTimeSpec, parse_time_spec

    if value is None:
        return None
    try:
        return parse_time_spec(value, now, end_of_day=end_of_day)
    except BadTimeSpec as exc:
        raise UserError(f"{name}: {exc}", USAGE) from None


@app.command()
def posts(
    ctx: typer.Context,
    treatment: Annotated[list[str] | None, typer.Option(
        "--treatment", "-t", metavar="ID",
        help="Treatment id or alias; repeat to require all of them.")] = None,
    study: Annotated[str | None, typer.Option(
        "--study", metavar="KEY",
        help="Study key as `hairlink studies` prints it: pmid:N, doi:10.x/..., pmcid:PMCn.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", metavar="NAME",
                                               help="Source name.")] = None,
    category: Annotated[str | None, typer.Option(
        "--category", metavar="TEXT", help="Category or flair (case-insensitive).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE|AGE",
        help="Created at or after: a date, a datetime, or an age like 30d.")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", metavar="DATE|AGE",
        help="Created before (a date includes that day), or an age.")] = None,
    min_score: Annotated[int | None, typer.Option("--min-score", metavar="N",
                                                  help="Minimum score.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", metavar="TEXT",
        help="Words (or \"quoted phrases\") that must all appear.")] = None,
    sort: Annotated[str, typer.Option(
        "--sort", metavar="ORDER", help="relevance, score or new.")] = "relevance",
    limit: Annotated[int, typer.Option("--limit", min=0, metavar="N",
                                       help="At most N posts (0: all).")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, metavar="N",
                                        help="Skip the first N posts (the next page).")] = 0,
    with_replies: Annotated[bool, typer.Option(
        "--with-replies", help="Add each thread's stored top replies (json and csv).")] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="table, json or csv.")] = "table",
    effect: Annotated[str | None, typer.Option(
        "--effect", metavar="EFFECT",
        help="Only threads reporting this effect (improved, no_effect, mixed) about "
        "--treatment, or about any treatment.")] = None,
    side_effect: Annotated[str | None, typer.Option(
        "--side-effect", metavar="NAME",
        help="Only threads reporting this side effect (sexual, mood, shedding, skin, cardio, "
        "body_hair, breast, other).")] = None,
) -> None:
    """List threads matching every filter given, with treatments and linked studies."""
    from hairlink.names import (
        check_source,
        check_window,
        find_study_or_exit,
        resolve_treatments,
    )
    from models.db import session_factory
    from models.post_filters import EFFECT_FILTERS, SIDE_EFFECT_FILTERS
    from models.post_queries import count_posts, query_posts
    from models.post_rows import attach_replies
    from models.post_types import PostQuery

    check_choice(sort, SORTS, "--sort")
    check_choice(fmt, OUTPUT_FORMATS, "--format")
    if effect is not None:
        check_choice(effect, EFFECT_FILTERS, "--effect")
    if side_effect is not None:
        check_choice(side_effect, SIDE_EFFECT_FILTERS, "--side-effect")
    st = state(ctx)
    now = datetime.now(UTC)
    query = PostQuery(treatments=resolve_treatments(treatment or [], st.config.lexicon),
                      source=source, category=category, effect=effect,
                      side_effect=side_effect, since=time_option(since, "--since", now),
                      until=time_option(until, "--until", now, end_of_day=True),
                      min_score=min_score, search=search, sort=sort, limit=limit or None,
                      offset=offset)
    check_window(query.since, query.until)
    engine = st.ready_engine()
    with session_factory(engine)() as session:
        check_source(session, st.config, source)
        if study is not None:
            query.study_id = find_study_or_exit(session, study, "--study").id
        results = query_posts(session, query)
        if with_replies:
            attach_replies(session, results)
        last_page = query.limit is None or len(results) < query.limit
        total = (len(results) + offset if fmt != "table" or (last_page and (results or not offset))
                 else count_posts(session, query))  # "showing 50 of 160" in the table
    write_posts(results, fmt, total=total, offset=offset, with_replies=with_replies)


def write_posts(results: list[Post], fmt: str, *, total: int, offset: int = 0,
                with_replies: bool = False) -> None:
    """The posts on stdout as a table (`total` for its "showing N of M"), JSON or CSV."""
    import csv
    import json
    import sys

    from models.post_output import CSV_FIELDS, CSV_REPLY_FIELD, post_to_csv_row, post_to_dict

    if fmt == "json":
        typer.echo(json.dumps([post_to_dict(p) for p in results], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        fields = [*CSV_FIELDS, CSV_REPLY_FIELD] if with_replies else list(CSV_FIELDS)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for post in results:
            writer.writerow(post_to_csv_row(post))
    else:
        console.print(posts_table(results, total=total, offset=offset,
                                  wide=console.width >= 120))
        if not results:
            console.print("no posts match" if not offset else f"no posts after {offset}")
        elif offset + len(results) < total:
            console.print(f"next page: --offset {offset + len(results)}", highlight=False)


def page_caption(shown: int, total: int, offset: int) -> str:
    """"showing 50 of 160", "showing 51-100 of 160"."""
    if not shown:
        return f"0 of {total}"
    if offset:
        return f"showing {offset + 1}-{offset + shown} of {total}"
    return f"showing {shown} of {total}"


def posts_table(results: list[Post], *, total: int, offset: int = 0,
                wide: bool = False) -> Table:
    """The posts as a Rich table that fits 80 columns: thread id, score (its unit below),
    date and title kept readable, source and category under the title, long text folded
    (scraped text is never parsed as markup)."""
    from rich.table import Table
    from rich.text import Text

    from models.post_output import score_unit

    table = Table(title=f"posts: {page_caption(len(results), total, offset)}", expand=True,
                  show_lines=False, pad_edge=False)
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("score", no_wrap=True, justify="right")
    table.add_column("date", no_wrap=True)
    table.add_column("thread", ratio=3, overflow="fold", min_width=20)
    table.add_column("treatments · studies", ratio=2, overflow="fold", min_width=12)
    for post in results:
        unit = score_unit(post) or "votes"
        if post.score is not None and post.score in (1, -1):
            unit = unit[:-1]
        score = Text("no votes" if post.score is None else
                     f"{post.score:,}" + (" " if wide else "\n"))
        if post.score is not None:
            score.append(unit, style="dim")
        thread = Text(post.title)
        thread.append(f"\n{post.source}" + (f" / {post.category}" if post.category else ""),
                      style="dim")
        studies = ", ".join(lk.study.key + ("" if lk.kind == "citation" else "~")
                            for lk in post.links)
        tags = " · ".join(x for x in (", ".join(post.treatments), studies) if x)
        table.add_row(str(post.id), score, post.created_at.strftime("%Y-%m-%d"), thread,
                      Text(tags or "-"))
    table.caption = "study~: a topical link (no citation)" if results else None
    return table
