"""The in-process jobs: aggregation and digest export, through the aggregator's Python API."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from models.config import Config


def aggregate(engine: Engine, config: Config, should_stop: Callable[[], bool]) -> str:
    """Tag and link what changed since the last aggregation; a one-line summary."""
    from aggregator import run as aggregator_run  # imported when first needed: heavy

    result = aggregator_run.aggregate(engine, config)
    return str(result)


def export(engine: Engine, config: Config, should_stop: Callable[[], bool]) -> str:
    """Write the `[export]` digests; a one-line summary."""
    from aggregator import digest  # imported when first needed: heavy
    from scheduler.settings import load_settings

    settings = load_settings(config).export
    if settings is None:
        return "no [export] schedule configured"
    written = []
    for fmt in settings.formats:
        written.append(str(digest.export_all(engine, settings.directory, fmt)))  # type: ignore[attr-defined]
    return ", ".join(written)
