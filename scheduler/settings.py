"""The scheduler's settings: the `[schedule]` and `[export]` tables of the config.

```toml
[schedule]
time_limit = "2h"          # a crawl still running after this is stopped (cancelled)
grace = "30s"              # how long a stopping crawl gets before it is killed
max_parallel_crawls = 2    # crawls of different sources running at once
aggregate_every = "1h"     # or aggregate_cron = "15 * * * *"; default: after crawls
aggregate = true           # false: no aggregate job at all
enrich_every = "1d"        # or enrich_cron: study TLDRs and citation counts (no default job)
timezone = "Europe/Berlin" # for cron expressions (default: the machine's local zone)
log_dir = "logs"           # each crawl's output to <log_dir>/<source>-<run id>.log

[export]
dir = "digests"            # where the export job writes digests
formats = ["html"]         # any digest format (md, html, json, csv, atom)
every = "1d"               # or cron = "0 6 * * *"; without either there is no export job
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.config import Config, config_relative
from models.config_schema import ExportTable, ScheduleTable, Section
from models.config_types import duration_seconds

DEFAULT_TIME_LIMIT = 2 * 3600
DEFAULT_GRACE = 30
DEFAULT_AGGREGATE_DELAY = 5


@dataclass(frozen=True)
class ExportSettings:
    """The scheduled digest export: where, which formats, and when."""

    directory: Path
    formats: tuple[str, ...]
    every: str | None = None
    cron: str | None = None


@dataclass(frozen=True)
class ScheduleSettings:
    """Everything the service needs beyond the sources themselves."""

    time_limit: int = DEFAULT_TIME_LIMIT
    grace: int = DEFAULT_GRACE
    max_parallel_crawls: int = 2
    aggregate: bool = True
    aggregate_every: str | None = None
    aggregate_cron: str | None = None
    aggregate_delay: int = DEFAULT_AGGREGATE_DELAY
    timezone: str | None = None
    log_dir: Path | None = None
    export: ExportSettings | None = None
    enrich_every: str | None = None
    enrich_cron: str | None = None

    @property
    def aggregate_after_crawls(self) -> bool:
        """Aggregation follows finished crawls unless it has its own schedule."""
        return self.aggregate and not (self.aggregate_every or self.aggregate_cron)


def load_settings(config: Config) -> ScheduleSettings:
    """`[schedule]` and `[export]` as the service's settings. The tables were validated when
    the config loaded (models.config_schema: unknown keys, types, bounds, either/or)."""
    path = config.path
    table = config.table("schedule")
    assert isinstance(table, ScheduleTable)
    values: dict[str, Any] = {
        "aggregate_every": table.aggregate_every, "aggregate_cron": table.aggregate_cron,
        "enrich_every": table.enrich_every, "enrich_cron": table.enrich_cron,
        "timezone": table.timezone,
        "export": _export(config.table("export"), path),
    }
    for key in ("time_limit", "grace", "aggregate_delay"):
        value = getattr(table, key)
        if value is not None:
            values[key] = duration_seconds(value)
    if table.max_parallel_crawls is not None:
        values["max_parallel_crawls"] = table.max_parallel_crawls
    if table.aggregate is not None:
        values["aggregate"] = table.aggregate
    if table.log_dir is not None:
        values["log_dir"] = config_relative(path, table.log_dir)
    return ScheduleSettings(**values)


def _export(table: Section, path: Path | None) -> ExportSettings | None:
    """The export job, when `[export]` names a schedule (the schema made sure it also names
    a directory)."""
    assert isinstance(table, ExportTable)
    if table.every is None and table.cron is None:
        return None  # [export] may hold defaults for `hairlink digest` only
    formats = table.formats if table.formats is not None else "html"
    if isinstance(formats, str):
        formats = [formats]
    return ExportSettings(directory=config_relative(path, os.fspath(table.dir or ".")),
                          formats=tuple(formats), every=table.every, cron=table.cron)
