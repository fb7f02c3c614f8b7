"""`hairlink schedule run`: the long-running scheduler service.

Start: take the one-scheduler-per-database lock, bring the schema to head, close crawl runs a
crashed scheduler left `running`, sync the configured jobs into the job store (table
`apscheduler_jobs` in the hairlink database) and run APScheduler's BlockingScheduler.

Stop (SIGTERM, SIGINT / Ctrl-C): no new job starts, every running crawl gets one SIGTERM
(Scrapy's graceful shutdown) and the grace period to close, then is killed and recorded as
cancelled; the service returns normally (exit status 0). A second signal kills the crawls at
once.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine

from models.config import Config
from models.db import make_engine
from models.migrate import upgrade
from scheduler import tasks
from scheduler.crawls import CrawlCommand, CrawlSupervisor, scrapers_command
from scheduler.lock import SchedulerLock
from scheduler.plan import SyncReport, planned_jobs, scheduler_timezone, sync_jobs
from scheduler.recovery import close_abandoned_runs
from scheduler.runtime import Runtime, Task, install
from scheduler.settings import ScheduleSettings, load_settings

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
LOCK_CHECK_SECONDS = 30.0


class _JobStore(SQLAlchemyJobStore):
    """The SQLAlchemy job store, silent once shut down.

    BlockingScheduler's loop looks for due jobs once more after `shutdown()`; without this it
    would push due jobs to the next run time without running them.
    """

    closed = False

    def get_due_jobs(self, now: datetime) -> list[Any]:
        return [] if self.closed else super().get_due_jobs(now)

    def get_next_run_time(self) -> datetime | None:
        return None if self.closed else super().get_next_run_time()

    def shutdown(self) -> None:
        self.closed = True
        super().shutdown()


def job_store(engine: Engine) -> SQLAlchemyJobStore:
    """APScheduler's store in the hairlink database (table `apscheduler_jobs`)."""
    return _JobStore(engine=engine, tablename=JOBS_TABLE)


@dataclass
class ServiceResult:
    """How the service ended."""

    idle: bool = True
    lock_lost: bool = False


class ScheduleService:
    """The scheduler service for one configuration."""

    def __init__(self, config: Config, settings: ScheduleSettings | None = None, *,
                 command: CrawlCommand = scrapers_command,
                 aggregate_task: Task = tasks.aggregate,
                 export_task: Task = tasks.export) -> None:
        self.config = config
        self.settings = settings if settings is not None else load_settings(config)
        self.command = command
        self.aggregate_task = aggregate_task
        self.export_task = export_task
        self._stop = threading.Event()
        self._scheduler: BlockingScheduler | None = None
        self._supervisor: CrawlSupervisor | None = None
        self._lock_lost = False

    # -- stopping --------------------------------------------------------------------------
    def request_stop(self) -> None:
        """Stop gracefully (thread-safe; a second call kills running crawls)."""
        if self._stop.is_set():
            log.warning("stopping already: killing the running crawls")
            if self._supervisor is not None:
                self._supervisor.kill_all()
            return
        self._stop.set()
        log.info("stopping: no new jobs; running crawls get %ss to close", self.settings.grace)
        threading.Thread(target=self._shutdown_scheduler, name="schedule-stop",
                         daemon=True).start()

    def _shutdown_scheduler(self) -> None:
        scheduler = self._scheduler
        if scheduler is None or scheduler.state == STATE_STOPPED:
            return  # not started yet: the start listener stops it
        if self._supervisor is not None:
            self._supervisor.begin_stop()  # no new crawl starts from here on
        with contextlib.suppress(Exception):  # already stopped
            scheduler.shutdown(wait=False)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s", signal.Signals(signum).name)
        self.request_stop()

    def _on_started(self, _event: SchedulerEvent) -> None:
        if self._stop.is_set():
            threading.Thread(target=self._shutdown_scheduler, daemon=True).start()

    def _watch_lock(self, lock: SchedulerLock) -> None:
        while not self._stop.wait(LOCK_CHECK_SECONDS):
            if not lock.still_held():
                log.error("lost the database connection holding the scheduler lock: stopping")
                self._lock_lost = True
                self.request_stop()
                return

    # -- running ---------------------------------------------------------------------------
    def run(self, *, handle_signals: bool = True,
            on_ready: Callable[[SyncReport], None] | None = None) -> ServiceResult:
        """Run until stopped; raises SchedulerLocked if another scheduler holds the database."""
        url = self.config.database_url
        with SchedulerLock(url) as lock:
            engine = make_engine(url)
            store_engine = make_engine(url)
            try:
                return self._run(engine, store_engine, lock, handle_signals, on_ready)
            finally:
                install(None)
                store_engine.dispose()
                engine.dispose()

    def _run(self, engine: Engine, store_engine: Engine, lock: SchedulerLock,
             handle_signals: bool,
             on_ready: Callable[[SyncReport], None] | None) -> ServiceResult:
        upgrade(engine)
        lock.claim_database()  # now that the schema exists (SQLite: another path is refused)
        for run_id, message in close_abandoned_runs(engine):
            log.warning("crawl run %d: %s", run_id, message)
        timezone = scheduler_timezone(self.settings)
        scheduler = BlockingScheduler(timezone=timezone)
        specs = planned_jobs(self.config, self.settings, timezone, datetime.now(timezone))
        scheduler.add_executor(ThreadPoolExecutor(max_workers=len(specs) + 2), "default")
        store = job_store(store_engine)
        store.start(scheduler, "default")  # bound now so the stored jobs can be read
        report = sync_jobs(scheduler, store, specs, self.settings)
        scheduler.add_jobstore(store, "default")
        supervisor = CrawlSupervisor(
            engine, database_url=self.config.database_url, config_path=self.config.path,
            time_limit=self.settings.time_limit, grace=self.settings.grace,
            max_parallel=self.settings.max_parallel_crawls, log_dir=self.settings.log_dir,
            command=self.command)
        runtime = Runtime(config=self.config, settings=self.settings, engine=engine,
                          supervisor=supervisor, scheduler=scheduler,
                          aggregate_task=self.aggregate_task, export_task=self.export_task)
        install(runtime)
        self._scheduler, self._supervisor = scheduler, supervisor
        scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
        log.info("jobs: %d added, %d updated, %d kept, %d removed (%s)", len(report.added),
                 len(report.updated), len(report.kept), len(report.removed),
                 ", ".join(spec.id for spec in specs) or "none configured")
        previous = self._install_signals() if handle_signals else {}
        watcher = threading.Thread(target=self._watch_lock, args=(lock,), daemon=True,
                                   name="schedule-lock")
        watcher.start()
        try:
            if on_ready is not None:
                on_ready(report)
            if not self._stop.is_set():
                scheduler.start()  # blocks until shutdown
        finally:
            self._stop.set()
            supervisor.stop_all("the scheduler was stopped")
            idle = runtime.wait_idle(timeout=self.settings.grace + 10)
            if not idle:
                log.warning("some jobs were still running when the scheduler stopped")
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        log.info("scheduler stopped")
        return ServiceResult(idle=idle, lock_lost=self._lock_lost)

    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return previous
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous
