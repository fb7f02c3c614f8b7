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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.config import Config, ConfigError, parse_interval

DEFAULT_TIME_LIMIT = 2 * 3600
DEFAULT_GRACE = 30
DEFAULT_AGGREGATE_DELAY = 5

_SCHEDULE_KEYS = {"time_limit", "grace", "max_parallel_crawls", "aggregate", "aggregate_every",
                  "aggregate_cron", "aggregate_delay", "timezone", "log_dir", "enrich_every",
                  "enrich_cron"}


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


def _duration(value: Any, path: Path | None, key: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        try:
            seconds = parse_interval(value)
        except ValueError as exc:
            raise ConfigError(path, str(exc), key=key) from exc
        if seconds > 0:
            return seconds
    raise ConfigError(path, "must be a duration like '30s', '10m' or '2h' (or seconds)",
                      key=key)


def _schedule_spec(value: Any, path: Path | None, key: str, *, cron: bool) -> str:
    if not isinstance(value, str):
        raise ConfigError(path, "must be a string", key=key)
    if cron:
        if len(value.split()) != 5:
            raise ConfigError(path, "must be a 5-field crontab expression like '0 * * * *'",
                              key=key)
    else:
        _duration(value, path, key)
    return value


def _relative(path: Path | None, value: str) -> Path:
    result = Path(value).expanduser()
    if not result.is_absolute() and path is not None:
        result = path.parent / result
    return result


def load_settings(config: Config) -> ScheduleSettings:
    """Read and validate `[schedule]` and `[export]`; ConfigError names the bad key."""
    path = config.path
    raw = config.section("schedule")
    for key in raw:
        if key not in _SCHEDULE_KEYS:
            raise ConfigError(path, f"unknown key (known: {', '.join(sorted(_SCHEDULE_KEYS))})",
                              key=f"schedule.{key}")
    values: dict[str, Any] = {}
    if "time_limit" in raw:
        values["time_limit"] = _duration(raw["time_limit"], path, "schedule.time_limit")
    if "grace" in raw:
        values["grace"] = _duration(raw["grace"], path, "schedule.grace")
    if "aggregate_delay" in raw:
        delay = raw["aggregate_delay"]
        values["aggregate_delay"] = (0 if delay == 0 else
                                     _duration(delay, path, "schedule.aggregate_delay"))
    if "max_parallel_crawls" in raw:
        count = raw["max_parallel_crawls"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConfigError(path, "must be a positive integer",
                              key="schedule.max_parallel_crawls")
        values["max_parallel_crawls"] = count
    if "aggregate" in raw:
        if not isinstance(raw["aggregate"], bool):
            raise ConfigError(path, "must be true or false", key="schedule.aggregate")
        values["aggregate"] = raw["aggregate"]
    if "aggregate_every" in raw and "aggregate_cron" in raw:
        raise ConfigError(path, "give either 'aggregate_every' or 'aggregate_cron', not both",
                          key="schedule.aggregate_cron")
    if "aggregate_every" in raw:
        values["aggregate_every"] = _schedule_spec(raw["aggregate_every"], path,
                                                   "schedule.aggregate_every", cron=False)
    if "aggregate_cron" in raw:
        values["aggregate_cron"] = _schedule_spec(raw["aggregate_cron"], path,
                                                  "schedule.aggregate_cron", cron=True)
    if "enrich_every" in raw and "enrich_cron" in raw:
        raise ConfigError(path, "give either 'enrich_every' or 'enrich_cron', not both",
                          key="schedule.enrich_cron")
    if "enrich_every" in raw:
        values["enrich_every"] = _schedule_spec(raw["enrich_every"], path,
                                                "schedule.enrich_every", cron=False)
    if "enrich_cron" in raw:
        values["enrich_cron"] = _schedule_spec(raw["enrich_cron"], path,
                                               "schedule.enrich_cron", cron=True)
    if "timezone" in raw:
        values["timezone"] = _timezone(raw["timezone"], path)
    if "log_dir" in raw:
        if not isinstance(raw["log_dir"], str) or not raw["log_dir"]:
            raise ConfigError(path, "must be a directory path", key="schedule.log_dir")
        values["log_dir"] = _relative(path, raw["log_dir"])
    values["export"] = _export(config.section("export"), path)
    return ScheduleSettings(**values)


def _timezone(value: Any, path: Path | None) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", value):
        raise ConfigError(path, "must be an IANA time zone name like 'UTC' or 'Europe/Berlin'",
                          key="schedule.timezone")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(path, f"unknown time zone {value!r}", key="schedule.timezone") from exc
    return value


def _export(raw: dict[str, Any], path: Path | None) -> ExportSettings | None:
    """The export job, when `[export]` names a directory and a schedule."""
    every, cron = raw.get("every"), raw.get("cron")
    if every is None and cron is None:
        return None  # [export] may hold defaults for `hairlink digest` only
    if every is not None and cron is not None:
        raise ConfigError(path, "give either 'every' or 'cron', not both", key="export.cron")
    if every is not None:
        _schedule_spec(every, path, "export.every", cron=False)
    if cron is not None:
        _schedule_spec(cron, path, "export.cron", cron=True)
    directory = raw.get("dir")
    if not isinstance(directory, str) or not directory:
        raise ConfigError(path, "required for a scheduled export: the output directory",
                          key="export.dir")
    formats_raw = raw.get("formats", raw.get("format", "html"))
    formats = (formats_raw,) if isinstance(formats_raw, str) else formats_raw
    if not isinstance(formats, list | tuple) or not formats:
        raise ConfigError(path, "must be a format or a list of formats", key="export.formats")
    from aggregator.digest import FORMATS  # Jinja2 and the renderers: only for an export

    for fmt in formats:
        if fmt not in FORMATS:
            raise ConfigError(path, f"unknown format {fmt!r} (known: "
                              f"{', '.join(FORMATS)})", key="export.formats")
    return ExportSettings(directory=_relative(path, os.fspath(directory)),
                          formats=tuple(formats), every=every, cron=cron)
