"""The config file's tables other than `[[sources]]`, declared once with their types and bounds.

Every table refuses unknown keys; `models.config` turns a refusal into a one-line
ConfigError naming the file, the table and the key ("did you mean" when close). The
`[[sources]]` models live with the source-kind registry in `models.source_kinds`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from models.config_types import (
    Cron,
    Duration,
    DurationOrZero,
    HttpUrl,
    Interval,
    KeyProblem,
    NonEmpty,
    Section,
    TimeZoneName,
    one_of_every_cron,
)

# The digest formats (`aggregator.digest.FORMATS` is this tuple).
DIGEST_FORMATS = ("md", "html", "json", "csv", "atom")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class DatabaseTable(Section):
    """`[database]`: the SQLAlchemy URL (`$HAIRLINK_DATABASE_URL` overrides it)."""

    url: NonEmpty | None = None


class RedisTable(Section):
    """`[redis]`: the shared frontier's URL (`$HAIRLINK_REDIS_URL` overrides it)."""

    url: NonEmpty | None = None

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(REDIS_SCHEMES):
            raise ValueError(f"must be a redis:// URL (got {value!r})")
        return value


class AggregateTable(Section):
    """`[aggregate]`: how topic links are kept (docs/aggregator.md, "Which topic links are
    kept, and why")."""

    topic_threshold: Annotated[float, Field(ge=0, le=1)] | None = None
    max_topic_links: Annotated[int, Field(ge=0, le=100_000)] | None = None
    outcome_cues: NonEmpty | None = None  # a cue file extending the packaged outcome cues
    # false: the cue rules' side effects as they are, without the packaged side-effect filter
    side_effect_filter: bool | None = None
    # true: each pair's effect from the packaged effect model (default: the cue rules')
    effect_model: bool | None = None


class ScheduleTable(Section):
    """`[schedule]`: the scheduler service (see scheduler/settings.py for the defaults)."""

    time_limit: Duration | None = None
    grace: Duration | None = None
    max_parallel_crawls: Annotated[int, Field(ge=1, le=64)] | None = None
    aggregate: bool | None = None
    aggregate_every: Interval | None = None
    aggregate_cron: Cron | None = None
    aggregate_delay: DurationOrZero | None = None
    timezone: TimeZoneName | None = None
    log_dir: NonEmpty | None = None
    enrich_every: Interval | None = None
    enrich_cron: Cron | None = None

    @model_validator(mode="after")
    def _one_schedule_each(self) -> ScheduleTable:
        one_of_every_cron(self, "aggregate_every", "aggregate_cron")
        one_of_every_cron(self, "enrich_every", "enrich_cron")
        return self


class ExportTable(Section):
    """`[export]`: the scheduled digest export (no `every`/`cron`: no export job)."""

    dir: NonEmpty | None = None
    formats: list[str] | str | None = None
    every: Interval | None = None
    cron: Cron | None = None

    @field_validator("formats", mode="before")
    @classmethod
    def _known_formats(cls, value: object) -> object:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or \
                not all(isinstance(name, str) for name in names):
            raise ValueError("must be a format or a list of formats")
        for name in names:
            if name not in DIGEST_FORMATS:
                raise ValueError(f"unknown format {name!r} (known: "
                                 f"{', '.join(DIGEST_FORMATS)})")
        return value

    @model_validator(mode="after")
    def _scheduled_export(self) -> ExportTable:
        one_of_every_cron(self)
        if (self.every or self.cron) and not self.dir:
            raise KeyProblem("dir", "required for a scheduled export: the output directory")
        return self


class EnrichTable(Section):
    """`[enrich]`: study enrichment services and pacing (see docs/studies.md)."""

    s2_url: HttpUrl | None = None
    epmc_url: HttpUrl | None = None
    crossref_url: HttpUrl | None = None
    delay: Annotated[float, Field(ge=0, le=3600)] | None = None
    epmc: bool | None = None
    crossref: bool | None = None
    batch_size: Annotated[int, Field(ge=1, le=500)] | None = None
    references: bool | None = None  # fetch study reference lists when enriching


# Top-level tables and their models; `sources`, `lexicon` and `contact` are handled apart.
TABLES: dict[str, type[Section]] = {
    "database": DatabaseTable,
    "redis": RedisTable,
    "aggregate": AggregateTable,
    "schedule": ScheduleTable,
    "export": ExportTable,
    "enrich": EnrichTable,
}
TOP_LEVEL_KEYS = ("contact", "lexicon", "sources", *TABLES)
