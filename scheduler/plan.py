"""Which jobs the config asks for, and bringing the job store in line with them.

Fixed ids (`crawl:<source>`, `aggregate`, `enrich`, `export`) with `replace_existing` mean a restart
neither loses nor duplicates a job. A job whose trigger and arguments did not change keeps its
stored next run time (an interval does not restart from zero at every restart); a changed one
is rescheduled from now; a job the config no longer asks for is removed.

Defaults for every job: `coalesce` (a backlog of missed runs becomes one run),
`max_instances=1` (a crawl slower than its interval is skipped, never overlapped), and a
misfire grace time of one period of the job: a run that is late by less than the job's own
period is still worth doing (nothing newer has been scheduled yet), and because missed runs
coalesce into the most recent one, a service that was down or asleep catches up exactly
once when it comes back, then keeps its rhythm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import astimezone
from tzlocal import get_localzone

from models.config import Config, ConfigError, parse_interval
from scheduler import jobs
from scheduler.crawls import format_seconds
from scheduler.runtime import AFTER_CRAWLS, AGGREGATE_JOB_ID, ENRICH_JOB_ID, EXPORT_JOB_ID
from scheduler.settings import ScheduleSettings

log = logging.getLogger(__name__)

CRAWL_PREFIX = "crawl:"
MIN_GRACE = 1


@dataclass(frozen=True)
class JobSpec:
    """One job the config asks for."""

    id: str
    func: Callable[..., None]
    trigger: BaseTrigger
    description: str
    args: tuple[Any, ...] = ()
    misfire_grace_time: int = MIN_GRACE

    @property
    def func_ref(self) -> str:
        """`module:function`, as APScheduler stores it."""
        return f"{self.func.__module__}:{self.func.__qualname__}"

    def signature(self) -> tuple[str, tuple[Any, ...], str]:
        """What must match for a stored job to keep its next run time."""
        return self.func_ref, tuple(self.args), trigger_signature(self.trigger)


@dataclass
class SyncReport:
    """What `sync_jobs` did to the store."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def trigger_signature(trigger: BaseTrigger) -> str:
    """A comparable text for a trigger: its kind, fields and time zone."""
    zone = getattr(trigger, "timezone", "")
    jitter = getattr(trigger, "jitter", None)
    return f"{type(trigger).__name__}|{trigger}|{zone}|{jitter}"


def make_trigger(every: str | None, cron: str | None, timezone: Any) -> BaseTrigger:
    """An interval trigger for `every`, a cron trigger for `cron` (ValueError if bad)."""
    if cron:
        return CronTrigger.from_crontab(cron, timezone=timezone)
    if every:
        return IntervalTrigger(seconds=parse_interval(every), timezone=timezone)
    raise ValueError("neither 'every' nor 'cron' given")


def scheduler_timezone(settings: ScheduleSettings) -> tzinfo:
    """The zone cron expressions are read in: `[schedule] timezone`, else the local one."""
    return astimezone(settings.timezone) or get_localzone()


def describe(every: str | None, cron: str | None) -> str:
    """`every 30m` or `cron */30 * * * *`."""
    return f"cron {cron}" if cron else f"every {every}"


def period_seconds(trigger: BaseTrigger, now: datetime) -> int:
    """The time between two runs (for cron: between its next two fire times)."""
    if isinstance(trigger, IntervalTrigger):
        return max(MIN_GRACE, int(trigger.interval.total_seconds()))
    first = trigger.get_next_fire_time(None, now)
    if first is None:
        return MIN_GRACE
    second = trigger.get_next_fire_time(first, first + timedelta(microseconds=1))
    if second is None:
        return MIN_GRACE
    return max(MIN_GRACE, int((second - first).total_seconds()))


def planned_jobs(config: Config, settings: ScheduleSettings, timezone: Any,
                 now: datetime) -> list[JobSpec]:
    """The jobs `config` asks for; ConfigError names a bad cron expression."""
    specs: list[JobSpec] = []
    for source in config.sources:
        if not source.enabled or not (source.every or source.cron):
            continue
        try:
            trigger = make_trigger(source.every, source.cron, timezone)
        except ValueError as exc:
            raise ConfigError(config.path, str(exc), source=source.name,
                              key="cron" if source.cron else "every") from exc
        specs.append(JobSpec(CRAWL_PREFIX + source.name, jobs.crawl, trigger,
                             describe(source.every, source.cron), (source.name,),
                             period_seconds(trigger, now)))
    # the periodic tasks: (job id, function, every, cron, their config keys' common start)
    tasks: list[tuple[str, Any, str | None, str | None, str]] = []
    if settings.aggregate and not settings.aggregate_after_crawls:
        tasks.append((AGGREGATE_JOB_ID, jobs.aggregate, settings.aggregate_every,
                      settings.aggregate_cron, "schedule.aggregate_"))
    if settings.enrich_every or settings.enrich_cron:
        tasks.append((ENRICH_JOB_ID, jobs.enrich, settings.enrich_every, settings.enrich_cron,
                      "schedule.enrich_"))
    if settings.export is not None:
        tasks.append((EXPORT_JOB_ID, jobs.export, settings.export.every, settings.export.cron,
                      "export."))
    for job_id, func, every, cron, key in tasks:
        try:
            trigger = make_trigger(every, cron, timezone)
        except ValueError as exc:
            raise ConfigError(config.path, str(exc),
                              key=key + ("cron" if cron else "every")) from exc
        specs.append(JobSpec(job_id, func, trigger, describe(every, cron),
                             misfire_grace_time=period_seconds(trigger, now)))
    return specs


def _stored_signature(job: Job) -> tuple[str, tuple[Any, ...], str]:
    return job.func_ref, tuple(job.args), trigger_signature(job.trigger)


def keeps_pending_aggregate(job: Job, settings: ScheduleSettings) -> bool:
    """A stored one-off `aggregate` (after crawls) stays while that mode is on."""
    return (job.id == AGGREGATE_JOB_ID and isinstance(job.trigger, DateTrigger)
            and settings.aggregate_after_crawls)


def sync_jobs(scheduler: BaseScheduler, store: BaseJobStore, specs: list[JobSpec],
              settings: ScheduleSettings, jobstore: str = "default") -> SyncReport:
    """Make the store hold exactly `specs` (call before `scheduler.start()`).

    `store` must be started (bound to `scheduler`) so its jobs can be read.
    """
    report = SyncReport()
    existing = {job.id: job for job in store.get_all_jobs()}
    wanted = {spec.id for spec in specs}
    for job_id, job in existing.items():
        if job_id not in wanted and not keeps_pending_aggregate(job, settings):
            store.remove_job(job_id)
            report.removed.append(job_id)
    for spec in specs:
        options: dict[str, Any] = {
            "id": spec.id, "name": spec.description, "args": spec.args,
            "misfire_grace_time": spec.misfire_grace_time, "coalesce": True,
            "max_instances": 1, "replace_existing": True, "jobstore": jobstore,
        }
        old = existing.get(spec.id)
        if old is None:
            report.added.append(spec.id)
        elif _stored_signature(old) == spec.signature() and old.next_run_time is not None:
            options["next_run_time"] = old.next_run_time
            report.kept.append(spec.id)
        else:
            report.updated.append(spec.id)
        scheduler.add_job(spec.func, spec.trigger, **options)
    return report


def describe_stored(job_name: str | None, trigger: BaseTrigger) -> str:
    """A job's schedule for people: the description stored as its name, else the trigger."""
    if job_name:
        return job_name
    if isinstance(trigger, IntervalTrigger):
        return f"every {format_seconds(trigger.interval.total_seconds())}"
    if isinstance(trigger, DateTrigger):
        return AFTER_CRAWLS
    return str(trigger)
