"""One Reddit API request in flight at a time per client id, across processes, with the
rate-limit budget checked at the moment a request is sent.

Reddit counts requests per OAuth client. The gate is held from the moment a request is
about to leave until its response (or error) is back: an in-process flag, then an exclusive
`flock` on `<dir>/hairlink-reddit-<hash of client id>.ratelimit`, a small JSON file holding
the last `X-Ratelimit-Remaining` and the reset time (epoch seconds). So every process
crawling with the same client id (several Reddit sources in `crawl --all`, the scheduler)
shares one budget, and `remaining` always describes the window the next request goes
into. When `remaining` is at or below `low`, the next request waits for the reset plus a
safety margin; it is never sent into a window the server reported spent. The kernel drops
the lock of a process that dies; a request that never comes back (it cannot: downloads time
out) would be released after `lease` seconds (waiting for the lock or a reset is not counted:
the holder is alive).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scrapy.utils.asyncio import sleep

from scrapers.reddit_auth import RATELIMIT_LOW, RESET_MARGIN_SECONDS, RateLimit

POLL_SECONDS = 0.02
STOP_POLL_SECONDS = 0.5


class GateClosed(RuntimeError):
    """The crawl is stopping: the request was not sent (the gate is not held)."""


def gate_path(directory: Path, client_id: str) -> Path:
    """The shared state file of `client_id` (its hash: the id is not written anywhere)."""
    digest = hashlib.sha256(client_id.encode("utf-8")).hexdigest()[:16]
    return directory / f"hairlink-reddit-{digest}.ratelimit"


class RequestGate:
    """Serialises API requests of one client id and keeps its rate-limit budget."""

    def __init__(self, path: Path, low: float = RATELIMIT_LOW,
                 margin: float = RESET_MARGIN_SECONDS, lease: float = 600.0) -> None:
        self.path = path
        self.low = low
        self.margin = margin
        self.lease = lease
        self.busy_since: float | None = None
        self.fd: int | None = None

    async def acquire(self, stopping: Callable[[], bool] = lambda: False) -> float:
        """Wait for the gate (this process, then every process) and for the budget; the
        seconds waited for a rate-limit reset. GateClosed (the gate not held) when
        `stopping()` turns true meanwhile: a crawl asked to stop does not wait for a reset."""
        while self.busy_since is not None and time.monotonic() - self.busy_since < self.lease:
            self._check(stopping, holding=False)
            await sleep(POLL_SECONDS)
        self._release_lock()  # a lease that ran out
        self.busy_since = time.monotonic()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self.fd = fd
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                self._check(stopping, holding=True)
                self.busy_since = time.monotonic()  # alive: waiting, not lost
                await sleep(POLL_SECONDS)
        limit = self.read()
        waited = limit.wait_seconds()
        if waited > 0:
            until = time.monotonic() + waited
            while (left := until - time.monotonic()) > 0:
                self._check(stopping, holding=True)
                self.busy_since = time.monotonic()
                await sleep(min(left, STOP_POLL_SECONDS))
            limit = RateLimit(low=self.low, margin=self.margin)  # a new window: unknown
        limit.spend()
        self.write(limit)
        return waited

    def _check(self, stopping: Callable[[], bool], holding: bool) -> None:
        if stopping():
            if holding:
                self.release()
            raise GateClosed("the crawl is stopping: not waiting for the Reddit rate limit")

    def release(self, headers: Mapping[str, Any] | None = None) -> None:
        """The response is back (its headers update the budget) or the request failed."""
        if self.fd is not None and headers is not None:
            limit = self.read()
            limit.observe(headers)
            self.write(limit)
        self._release_lock()
        self.busy_since = None

    def _release_lock(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def read(self) -> RateLimit:
        """The budget as the file holds it (empty or unreadable: unknown)."""
        limit = RateLimit(low=self.low, margin=self.margin)
        if self.fd is None:
            return limit
        try:
            raw = os.pread(self.fd, 4096, 0)
            data = json.loads(raw) if raw.strip() else {}
            remaining, reset_at = data.get("remaining"), data.get("reset_at")
        except (OSError, ValueError, AttributeError):
            return limit
        if isinstance(remaining, int | float) and isinstance(reset_at, int | float):
            limit.remaining, limit.reset_at = float(remaining), float(reset_at)
        return limit

    def write(self, limit: RateLimit) -> None:
        if self.fd is None:
            return
        payload = json.dumps({"remaining": limit.remaining, "reset_at": limit.reset_at})
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, payload.encode("ascii"), 0)
