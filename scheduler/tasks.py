"""The in-process jobs: aggregation and digest export, through the aggregator's Python API.

Both are imported when first run (the aggregator loads numpy, scikit-learn and Jinja2), so the
service starts fast and a crawl-only configuration never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from models.config import Config
from models.db import session_factory
from scheduler.settings import load_settings


def check(config: Config) -> None:
    """Fail now, not at the first aggregation: the lexicon, `[aggregate]` and the outcome
    cue file (and side-effect filter) must load.

    Raises ValueError (a LexiconError and an OutcomeCueError are ones) naming what is wrong.
    """
    if not load_settings(config).aggregate:
        return
    from aggregator.link_types import aggregate_settings
    from aggregator.outcome_config import outcome_cues_for

    aggregate_settings(config)
    outcome_cues_for(config)


class Interrupted(Exception):
    """The service is stopping: the aggregation gives up between two batches."""


def aggregate(engine: Engine, config: Config, should_stop: Callable[[], bool]) -> str:
    """Tag and link what changed since the last aggregation; a one-line summary.

    An aggregation interrupted by a stopping service keeps the batches it committed and is
    redone by the next run (the aggregator writes links and hashes last).
    """
    from aggregator.link_types import aggregate_settings
    from aggregator.outcome_config import outcome_cues_for
    from aggregator.run import aggregate as run_aggregate

    lexicon, settings = aggregate_settings(config)
    cues = outcome_cues_for(config)  # (the config's cue file and filter, as `hairlink aggregate`)

    def progress(_done: int, _total: int) -> None:
        if should_stop():
            raise Interrupted

    try:
        stats = run_aggregate(session_factory(engine), lexicon=lexicon, settings=settings,
                              progress=progress, cues=cues)
    except Interrupted:
        return "interrupted: the scheduler is stopping (the next run redoes it)"
    return stats.summary()


def export_directories(directory: Path, formats: tuple[str, ...]) -> list[tuple[str, Path]]:
    """One format: straight into `directory`; several: a subdirectory per format."""
    if len(formats) == 1:
        return [(formats[0], directory)]
    return [(fmt, directory / fmt) for fmt in formats]


def export(engine: Engine, config: Config, should_stop: Callable[[], bool]) -> str:
    """Write the `[export]` digests of every stored study; a one-line summary."""
    from aggregator.digest import export_all

    settings = load_settings(config).export
    if settings is None:
        return "no [export] schedule configured"
    written = []
    for fmt, directory in export_directories(settings.directory, settings.formats):
        if should_stop():
            written.append(f"{fmt}: skipped, the scheduler is stopping")
            continue
        directory.mkdir(parents=True, exist_ok=True)
        written.append(str(export_all(engine, directory, fmt)))
    return "; ".join(written)
