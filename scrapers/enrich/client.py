"""JSON over HTTP (stdlib `urllib`) with per-service spacing and Retry-After-aware retries."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPException
from typing import Any

from scrapers.enrich.report import EnrichReport
from scrapers.enrich.settings import EnrichSettings
from scrapers.retry_after import parse_retry_after

RETRY_STATUSES = (429, 503)


class RequestFailed(Exception):
    """A request that did not get a usable answer (network error, 5xx, retries exhausted)."""


class HttpClient:
    """JSON over HTTP with per-service spacing and Retry-After-aware retries."""

    def __init__(self, settings: EnrichSettings, sleep: Callable[[float], None] = time.sleep,
                 report: EnrichReport | None = None) -> None:
        self.settings = settings
        self.sleep = sleep
        self.report = report or EnrichReport()
        self._last: dict[str, float] = {}

    def _space(self, service: str, interval: float) -> None:
        last = self._last.get(service)
        if last is not None:
            wait = interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[service] = time.monotonic()

    def request(self, service: str, interval: float, url: str, payload: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body) of a GET (or a JSON POST when `payload` is given).

        429/503 are retried up to `max_retries` times after Retry-After (else 2^n seconds),
        capped at `max_wait`; other statuses are returned to the caller. RequestFailed when
        there is no answer or the retries run out.
        """
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        all_headers = {"User-Agent": self.settings.user_agent, "Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        for attempt in range(self.settings.max_retries + 1):
            self._space(service, interval)
            request = urllib.request.Request(url, data=data, headers=all_headers,
                                             method="POST" if data is not None else "GET")
            self.report.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.settings.timeout) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                body = exc.read()
                if exc.code not in RETRY_STATUSES:
                    return exc.code, body
                if attempt == self.settings.max_retries:
                    raise RequestFailed(f"{service}: HTTP {exc.code} after {attempt + 1} "
                                        "attempts") from exc
                wait = parse_retry_after(exc.headers.get("Retry-After"))
                wait = min(self.settings.max_wait, wait if wait is not None else 2.0 ** attempt)
                self.report.retries += 1
                self.sleep(wait)
            except (urllib.error.URLError, TimeoutError, OSError, HTTPException) as exc:
                raise RequestFailed(f"{service}: {exc}") from exc
        raise RequestFailed(f"{service}: no answer")  # pragma: no cover - loop always returns
