"""Crawls as child processes: one crawl-run row each, a time limit, and a graceful stop.

The one crawl supervisor: the scheduler and `hairlink crawl` both run their crawls through
`CrawlSupervisor`, with the command line built by `scrapers_command` (+ `crawl_options`).

The supervisor creates the `crawl_run` row itself and passes `--run-id` to
`python -m scrapers.run`, so whatever happens to the child the row ends finished, failed or
cancelled, never left `running`. Stopping a child sends it one SIGTERM (Scrapy's graceful
shutdown: a second signal would force an unclean stop), waits the grace period, then kills
its process group.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, select

from models.config import SourceConfig
from models.crawl_runs import create_run, finish_run, record_pid
from models.db import session_scope
from models.entities import CrawlRun

log = logging.getLogger(__name__)

# (source name, run id, config path, full) -> argv of the crawl child.
CrawlCommand = Callable[[str, int, "Path | None", bool], Sequence[str]]


def run_command(sources: Sequence[str], *, run_id: int | None = None,
                config_path: Path | None = None, full: bool = False,
                options: Sequence[str] = ()) -> list[str]:
    """`python -m scrapers.run SOURCE... [--run-id N] [--config P] [--full] [options]`: the
    one place this command line is built (the scheduler, `hairlink crawl`, the demo)."""
    argv = [sys.executable, "-m", "scrapers.run", *sources]
    if run_id is not None:
        argv += ["--run-id", str(run_id)]
    if config_path is not None:
        argv += ["--config", str(config_path)]
    if full:
        argv.append("--full")
    return argv + list(options)


def scrapers_command(source: str, run_id: int, config_path: Path | None,
                     full: bool) -> list[str]:
    """The crawl child of one source: `python -m scrapers.run SOURCE --run-id N ...`."""
    return run_command([source], run_id=run_id, config_path=config_path, full=full)


def crawl_options(settings: Sequence[str] = (), log_level: str | None = None) -> list[str]:
    """Extra `scrapers.run` options: `-s KEY=VALUE` overrides and a log level."""
    argv: list[str] = []
    for pair in settings:
        argv += ["-s", pair]
    if log_level:
        argv += ["--log-level", log_level]
    return argv


def enrich_command(config_path: Path | None) -> list[str]:
    """Study enrichment: `python -m scrapers.enrich [--config P]`."""
    argv = [sys.executable, "-m", "scrapers.enrich"]
    if config_path is not None:
        argv += ["--config", str(config_path)]
    return argv


def format_seconds(seconds: float) -> str:
    """7200 -> '2h', 90 -> '1m30s'."""
    seconds = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


@dataclass
class CrawlOutcome:
    """How one scheduled crawl ended."""

    run_id: int
    source: str
    status: str
    returncode: int | None
    message: str | None = None


@dataclass
class _Child:
    run_id: int
    source: str
    process: subprocess.Popen[bytes]
    stop_reason: str | None = None
    signalled: bool = False
    killed: bool = False


class CrawlSupervisor:
    """Starts crawl children, enforces their time limit and stops them all on shutdown."""

    def __init__(self, engine: Engine, *, database_url: str, config_path: Path | None,
                 time_limit: float, grace: float, max_parallel: int = 2,
                 log_dir: Path | None = None, command: CrawlCommand = scrapers_command,
                 extra_args: Sequence[str] = (), log_prefix: str = "crawl-") -> None:
        self.engine = engine
        self.database_url = database_url
        self.config_path = config_path
        self.time_limit = time_limit
        self.grace = grace
        self.log_dir = log_dir
        self.command = command
        self.extra_args = list(extra_args)
        self.log_prefix = log_prefix
        self._slots = threading.BoundedSemaphore(max_parallel)
        self._lock = threading.Lock()
        self._children: dict[int, _Child] = {}
        self._stopping = threading.Event()
        self._task_keys = itertools.count(-1, -1)  # non-crawl children: negative keys

    @property
    def stopping(self) -> bool:
        """True once `stop_all` was called: no new crawl starts."""
        return self._stopping.is_set()

    def running(self) -> list[tuple[int, str, int]]:
        """(run id, source, pid) of the children running now (tasks: negative ids)."""
        with self._lock:
            return [(c.run_id, c.source, c.process.pid) for c in self._children.values()]

    def run(self, source: SourceConfig, *, full: bool = False) -> CrawlOutcome | None:
        """Crawl `source` in a child process and wait for it (None: the service is stopping)."""
        while not self._slots.acquire(timeout=0.5):
            if self.stopping:
                return None
        try:
            if self.stopping:
                return None
            return self._run(source, full)
        finally:
            self._slots.release()

    def run_task(self, name: str, argv: Sequence[str]) -> int | None:
        """Run a non-crawl child (e.g. study enrichment) under the same time limit and stop
        rules, without a crawl-run row; its exit status (None: the service is stopping)."""
        env = {**os.environ, "HAIRLINK_DATABASE_URL": self.database_url}
        key = next(self._task_keys)
        with self._lock:
            if self.stopping:
                return None
            process = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, env=env,
                                       start_new_session=True)
            child = _Child(key, name, process)
            self._children[key] = child
        log.info("%s started: pid %d", name, process.pid)
        try:
            try:
                process.wait(timeout=self.time_limit)
            except subprocess.TimeoutExpired:
                log.warning("%s hit its time limit of %s: stopping it", name,
                            format_seconds(self.time_limit))
                self._ask_to_stop(child, "time limit reached")
                self._wait_or_kill(child, time.monotonic() + self.grace)
            process.wait()
        finally:
            with self._lock:
                self._children.pop(key, None)
        log.info("%s ended: exit status %s%s", name, process.returncode,
                 f" ({child.stop_reason})" if child.stop_reason else "")
        return process.returncode

    def _run(self, source: SourceConfig, full: bool) -> CrawlOutcome:
        run_id = self._create_run(source)
        argv = [*self.command(source.name, run_id, self.config_path, full), *self.extra_args]
        log_file = self._open_log(source.name, run_id)
        env = {**os.environ, "HAIRLINK_DATABASE_URL": self.database_url}
        try:
            with self._lock:
                if self.stopping:
                    finish_run(self.engine, run_id, "cancelled", message="the scheduler "
                               "stopped before the crawl started", only_running=True)
                    return CrawlOutcome(run_id, source.name, "cancelled", None)
                try:
                    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file,
                                               stderr=log_file, env=env, start_new_session=True)
                except OSError as exc:
                    finish_run(self.engine, run_id, "failed",
                               message=f"cannot start the crawl: {exc}", only_running=True)
                    return CrawlOutcome(run_id, source.name, "failed", None, str(exc))
                child = _Child(run_id, source.name, process)
                self._children[run_id] = child
        finally:
            if log_file is not None:
                log_file.close()  # the child has its own descriptor
        log.info("crawl %s started: run %d, pid %d", source.name, run_id, process.pid)
        record_pid(self.engine, run_id, process.pid)
        try:
            try:
                process.wait(timeout=self.time_limit)
            except subprocess.TimeoutExpired:
                log.warning("crawl %s (run %d) hit its time limit of %s: stopping it",
                            source.name, run_id, format_seconds(self.time_limit))
                self._ask_to_stop(child, f"time limit of {format_seconds(self.time_limit)} "
                                  f"reached")
                self._wait_or_kill(child, time.monotonic() + self.grace)
            process.wait()
        finally:
            with self._lock:
                self._children.pop(run_id, None)
        return self._settle(child)

    def begin_stop(self) -> None:
        """Start no new crawl from now on."""
        self._stopping.set()

    def stop_all(self, reason: str = "the scheduler was stopped") -> None:
        """Ask every running crawl to close, kill those still running after the grace period."""
        self._stopping.set()
        with self._lock:
            children = list(self._children.values())
        for child in children:
            self._ask_to_stop(child, reason)
        deadline = time.monotonic() + self.grace
        for child in children:
            self._wait_or_kill(child, deadline)

    def kill_all(self) -> None:
        """Kill every running crawl now (a second Ctrl-C)."""
        self._stopping.set()
        with self._lock:
            children = list(self._children.values())
        for child in children:
            child.stop_reason = child.stop_reason or "the scheduler was killed"
            self._kill(child)

    def _ask_to_stop(self, child: _Child, reason: str) -> None:
        with self._lock:
            if child.signalled:
                return
            child.signalled = True
            child.stop_reason = child.stop_reason or reason
        if child.process.poll() is None:
            log.info("asking crawl %s (run %d, pid %d) to close", child.source, child.run_id,
                     child.process.pid)
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)

    def _wait_or_kill(self, child: _Child, deadline: float) -> None:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("crawl %s (run %d) did not close within %s: killing it", child.source,
                        child.run_id, format_seconds(self.grace))
            self._kill(child)
            child.process.wait()

    def _kill(self, child: _Child) -> None:
        if child.process.poll() is not None:
            return
        child.killed = True
        try:
            os.killpg(child.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            child.process.kill()

    def _open_log(self, source: str, run_id: int) -> IO[bytes] | None:
        if self.log_dir is None:
            return None  # the child writes to the service's stderr
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{self.log_prefix}{source}-{run_id}.log", "ab")

    def log_path(self, source: str, run_id: int) -> Path | None:
        """Where the child of `run_id` writes its log (None: the service's stderr)."""
        if self.log_dir is None:
            return None
        return self.log_dir / f"{self.log_prefix}{source}-{run_id}.log"

    def _create_run(self, source: SourceConfig) -> int:
        """The row of a crawl about to start: no pid until the child runs."""
        return create_run(self.engine, source.name, source.kind)

    def _settle(self, child: _Child) -> CrawlOutcome:
        code = child.process.returncode
        if child.stop_reason is not None:
            how = (f"killed after {format_seconds(self.grace)} of grace" if child.killed
                   else "stopped")
            status, message = "cancelled", f"{child.stop_reason}: {how}"
        else:
            status = "failed"
            message = f"the crawl process exited with status {code} without recording a result"
        # Closed here only if the child did not record its own end.
        closed_here = finish_run(self.engine, child.run_id, status, message=message,
                                 only_running=True)
        with session_scope(self.engine) as session:
            run = session.scalars(select(CrawlRun).where(CrawlRun.id == child.run_id)).one()
            if not closed_here and child.stop_reason and run.status == "cancelled":
                # The child stopped gracefully and said so; say why it was asked to.
                run.message = f"{child.stop_reason}: {run.message or 'stopped'}"
            final_status, final_message = run.status, run.message
        log.info("crawl %s (run %d) ended: %s (exit status %s)", child.source, child.run_id,
                 final_status, code)
        return CrawlOutcome(child.run_id, child.source, final_status, code, final_message)
