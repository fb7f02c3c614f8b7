"""`hairlink serve` (the local web view) and `hairlink thread ID` (one thread in full)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from hairlink.app import app, console, fail, state
from hairlink.names import check_choice

if TYPE_CHECKING:
    from rich.console import Group

    from models.thread_detail import ThreadDetail


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(
        "--host", metavar="ADDRESS",
        help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="PORT",
                                      help="TCP port (0: any free port).")] = 8080,
    open_browser: Annotated[bool, typer.Option(
        "--open", help="Open the site in a web browser.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64, metavar="N",
        help="Server processes (one per CPU core answers the most requests).")] = 1,
) -> None:
    """Serve a read-only web view and JSON API of the database (Ctrl-C stops it)."""
    from hairlink.web.server import serve as run_server

    engine = state(ctx).ready_engine()
    try:
        run_server(engine, host, port, open_browser, announce=console.print, workers=workers)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


@app.command()
def thread(
    ctx: typer.Context,
    thread_id: Annotated[int, typer.Argument(metavar="ID",
                                             help="The thread's id (as in the web view).")],
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help="table or json.")] = "table",
) -> None:
    """One thread in full: stats, treatments, linked studies, score history, replies."""
    import json

    from models.bounds import MAX_BIGINT
    from models.db import session_factory
    from models.thread_detail import thread_detail, thread_to_dict

    check_choice(fmt, ("table", "json"), "--format")
    with session_factory(state(ctx).ready_engine())() as session:
        detail = thread_detail(session, thread_id) if 0 < thread_id <= MAX_BIGINT else None
    if detail is None:
        fail(f"no thread with id {thread_id} (thread ids are in `hairlink posts --format json`)",
             code=2)
    if fmt == "json":
        typer.echo(json.dumps(thread_to_dict(detail), indent=2, ensure_ascii=False))
    else:
        console.print(render_thread(detail, datetime.now(UTC)))


def render_thread(detail: ThreadDetail, now: datetime) -> Group:
    """A thread as Rich renderables (all scraped text as plain Text, never markup)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from aggregator.digest.present import age, safe_url, score_label

    head = Text()
    head.append(detail.title or "(untitled)", style="bold")
    where = f"{detail.source} in {detail.category}" if detail.category else detail.source
    head.append(f"\n{score_label(detail.score, detail.source_kind)} · "
                f"{detail.num_comments:,} comments · {age(detail.created_at, now)} · {where}",
                style="dim")
    head.append(f"\n{safe_url(detail.url) or '(no safe link)'}", style="blue")
    if detail.body:
        head.append(f"\n\n{detail.body}")
    parts: list[Text | Panel | Table] = [Panel(head, title=f"thread {detail.id}",
                                               title_align="left")]
    if detail.treatments:
        parts.append(Text("treatments: " + ", ".join(
            f"{t.id} ×{t.mentions}" for t in detail.treatments), style="cyan"))
    for link in detail.links:
        evidence = ", ".join(f"{k}: {v}" for k, v in sorted(link.evidence.items()))
        parts.append(Text(f"{link.kind} {link.score:.2f} {link.study.key} {link.study.title}"
                          + (f" ({evidence})" if evidence else "")))
    if detail.history:
        table = Table(title="score history")
        for column in ("observed", "score", "replies"):
            table.add_column(column)
        for snap in detail.history[-20:]:
            table.add_row(snap.observed_at.strftime("%Y-%m-%d %H:%M"),
                          "-" if snap.score is None else str(snap.score), str(snap.num_comments))
        parts.append(table)
    parts.append(Text(f"\n{len(detail.replies)} stored replies", style="bold"))
    for reply in detail.replies:
        parts.append(Text(f"[{'-' if reply.score is None else reply.score}] {reply.body}"))
    return Group(*parts)
