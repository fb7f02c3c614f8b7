"""Downloader middleware: retries that wait, and redirects that notice loops.

Scrapy's RetryMiddleware retries 429/503 at once and ignores Retry-After. This one, in its
place, waits before each retry: the server's Retry-After (delta seconds or an HTTP date,
capped at HAIRLINK_RETRY_AFTER_MAX) when given, else an exponential back-off
(HAIRLINK_BACKOFF_BASE * 2**attempt, capped at HAIRLINK_BACKOFF_MAX). Timeouts, dropped
connections and truncated bodies are retried the same way. Waiting is asynchronous: other
requests go on meanwhile; a crawl that is stopping retries nothing more and waits no longer.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

from scrapers.retry_after import parse_retry_after

logger = logging.getLogger(__name__)
WAIT_STATUSES = frozenset({429, 503})
STOP_POLL_SECONDS = 0.25  # how often a back-off wait checks whether the crawl is stopping


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that honours Retry-After and backs off between attempts."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("HAIRLINK_RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("HAIRLINK_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("HAIRLINK_BACKOFF_MAX", 60.0)

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt + 1` when the server named none."""
        if self.backoff_base <= 0:
            return 0.0
        delay = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return delay * random.uniform(0.75, 1.0)  # jitter: don't retry in lock-step

    def wait_for(self, request: Request, response: Response | None) -> float:
        """Seconds to wait before retrying `request`."""
        attempt = int(request.meta.get("retry_times", 0))
        if response is not None and response.status in WAIT_STATUSES:
            told = parse_retry_after(response.headers.get(b"Retry-After"))
            if told is not None:
                return min(told, self.retry_after_max)
        return self.backoff(attempt)

    async def _wait_and_retry(self, request: Request, reason: Any,
                              response: Response | None) -> Request | None:
        retry = self._retry(request, reason)
        if retry is None:
            return None
        delay = self.wait_for(request, response)
        if self.crawler.stats:
            self.crawler.stats.inc_value("hairlink/retry/waits")
            self.crawler.stats.inc_value("hairlink/retry/wait_seconds", round(delay, 3))
        if delay > 0:
            logger.debug("waiting %.2fs before retrying %s (%s)", delay, request.url, reason)
            if not await self._wait_unless_stopping(delay):
                logger.debug("not retrying %s: the crawl is stopping", request.url)
                return None
        return retry

    def _stopping(self) -> bool:
        """Is the crawl stopping (a signal, a time limit, a spider that closes)?"""
        crawler = self.crawler
        if not crawler.crawling:
            return True
        slot = getattr(getattr(crawler, "engine", None), "_slot", None)
        return getattr(slot, "closing", None) is not None

    async def _wait_unless_stopping(self, delay: float) -> bool:
        """Wait `delay` seconds in short steps; False as soon as the crawl is stopping, so
        a graceful stop is not held up by a back-off of up to a minute or two."""
        waited = 0.0
        while waited < delay:
            if self._stopping():
                return False
            step = min(STOP_POLL_SECONDS, delay - waited)
            await sleep(step)
            waited += step
        return not self._stopping()

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or \
                response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        retry = await self._wait_and_retry(request, reason, response)
        return retry or response

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or \
                not isinstance(exception, self.exceptions_to_retry):
            return None
        return await self._wait_and_retry(request, exception, None)


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """RedirectMiddleware that ends a redirect cycle (A -> B -> A) at once with
    IgnoreRequest("redirect loop ..."), so the request's errback sees it and the thread is
    counted `redirect_loop`. (Scrapy's own would hand the repeated URL to the duplicate
    filter, which drops it without a trace; endless chains of new URLs still end at
    REDIRECT_MAX_TIMES.)"""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        seen = {*request.meta.get("redirect_urls", []), request.url}
        if redirected.url in seen:
            raise IgnoreRequest(f"redirect loop: {request.url} -> {redirected.url}")
        return super()._redirect(redirected, request, reason)
