"""A small time-limited memo for the web view's whole-table aggregates (treatment counts, the
most discussed studies, a study's chart data): on a large database they cost hundreds of
milliseconds and change only when a crawl or an aggregate run lands."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TTLCache:
    """At most `size` values, each kept for `seconds`; safe across request threads. Two
    threads missing the same key at once may both compute it (no lock held while computing)."""

    def __init__(self, seconds: float = 60.0, size: int = 256) -> None:
        self.seconds = seconds
        self.size = size
        self._values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, computed by `compute()` when absent or older than `seconds`."""
        now = time.monotonic()
        with self._lock:
            found = self._values.get(key)
            if found is not None and now - found[0] < self.seconds:
                self._values.move_to_end(key)
                return found[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._values[key] = (now, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()
