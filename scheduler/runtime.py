"""What the stored jobs call into while the service runs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import Engine

from models.config import Config
from scheduler.crawls import CrawlSupervisor, enrich_command
from scheduler.settings import ScheduleSettings

log = logging.getLogger(__name__)

AGGREGATE_JOB_ID = "aggregate"
EXPORT_JOB_ID = "export"
ENRICH_JOB_ID = "enrich"
AFTER_CRAWLS = "after crawls"

# (engine, config, should_stop) -> a one-line summary for the log.
Task = Callable[[Engine, Config, Callable[[], bool]], str]


class Runtime:
    """The live objects behind the stored jobs: config, database, crawl supervisor."""

    def __init__(self, *, config: Config, settings: ScheduleSettings, engine: Engine,
                 supervisor: CrawlSupervisor, scheduler: BaseScheduler,
                 aggregate_task: Task, export_task: Task) -> None:
        self.config = config
        self.settings = settings
        self.engine = engine
        self.supervisor = supervisor
        self.scheduler = scheduler
        self.aggregate_task = aggregate_task
        self.export_task = export_task
        self._idle = threading.Condition()
        self._active = 0
        self._aggregate_lock = threading.Lock()
        self._aggregate_wanted = False

    @contextmanager
    def _job(self) -> Iterator[None]:
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs; False if some still run after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._active:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def crawl(self, source_name: str) -> None:
        """Run one crawl; ask for an aggregation when it finished."""
        with self._job():
            try:
                source = self.config.source(source_name)
            except KeyError:
                log.warning("job for unknown source %r ignored (removed at the next start)",
                            source_name)
                return
            outcome = self.supervisor.run(source)
            if outcome is None:
                return
            if outcome.status == "finished" and self.settings.aggregate_after_crawls:
                self.request_aggregate()

    def request_aggregate(self) -> None:
        """Schedule the `aggregate` job soon, once for a burst of finished crawls."""
        with self._aggregate_lock:
            self._aggregate_wanted = True
            if self.scheduler.state != STATE_RUNNING or self.supervisor.stopping:
                return
            job = self.scheduler.get_job(AGGREGATE_JOB_ID)
            if job is not None and job.next_run_time is not None:
                return  # one is pending already: it will see this crawl's threads too
            from scheduler import jobs

            run_at = datetime.now(UTC) + timedelta(seconds=self.settings.aggregate_delay)
            self.scheduler.add_job(jobs.aggregate, DateTrigger(run_at), id=AGGREGATE_JOB_ID,
                                   name=AFTER_CRAWLS, replace_existing=True,
                                   misfire_grace_time=None, coalesce=True, max_instances=1)

    def aggregate(self) -> None:
        """Aggregate until no crawl has finished since the last pass."""
        with self._job():
            while not self.supervisor.stopping:
                with self._aggregate_lock:
                    self._aggregate_wanted = False
                summary = self.aggregate_task(self.engine, self.config,
                                              lambda: self.supervisor.stopping)
                log.info("aggregate: %s", summary)
                with self._aggregate_lock:
                    if not (self._aggregate_wanted and self.settings.aggregate_after_crawls):
                        return

    def enrich(self) -> None:
        """Enrich studies in a child process; new TLDRs and citations get aggregated."""
        with self._job():
            code = self.supervisor.run_task(ENRICH_JOB_ID, enrich_command(self.config.path))
            if code == 0 and self.settings.aggregate_after_crawls:
                self.request_aggregate()

    def export(self) -> None:
        """Write the configured digests."""
        with self._job():
            if self.supervisor.stopping:
                return
            summary = self.export_task(self.engine, self.config,
                                       lambda: self.supervisor.stopping)
            log.info("export: %s", summary)


_current: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    """Make `runtime` the one the stored jobs use (None: uninstall)."""
    global _current
    _current = runtime


def current() -> Runtime:
    """The installed runtime; jobs fire only inside a running service."""
    if _current is None:
        raise RuntimeError("no scheduler runtime installed: jobs run inside "
                           "`hairlink schedule run`")
    return _current
