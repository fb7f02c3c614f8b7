"""What a Reddit dump import did: CrawlRun-like counts plus the first malformed lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from models.store import UpsertStats
from scrapers.pipelines.store import STORE_ERRORS, THREADS_PREFIX
from scrapers.pipelines.validate import DROPPED_PREFIX

MAX_ERROR_EXAMPLES = 20


@dataclass
class DumpImportStats:
    """What an import did: CrawlRun-like counts plus malformed line examples."""

    files: int = 0
    lines: int = 0
    threads: UpsertStats = field(default_factory=UpsertStats)
    replies: int = 0
    replies_trimmed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    malformed: int = 0
    errors: list[str] = field(default_factory=list)

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        """Count as Scrapy's stats collector does, so the crawl's pipeline stages count
        here: `hairlink/dropped/<reason>` -> `skipped`, `hairlink/threads/<key>` ->
        `threads`, store errors -> `skipped["store_errors"]` and an error line."""
        if key.startswith(DROPPED_PREFIX):
            self.skipped[key[len(DROPPED_PREFIX):]] += count
        elif key.startswith(THREADS_PREFIX):
            name = key[len(THREADS_PREFIX):]
            setattr(self.threads, name, getattr(self.threads, name) + count)
        elif key == STORE_ERRORS:
            self.skipped["store_errors"] += count
            self.error(f"{count} threads could not be stored: the database did not answer")
        if key == DROPPED_PREFIX + "store_failed":
            self.error(f"{count} threads could not be stored (the log names them)")

    def error(self, message: str) -> None:
        """Record an error message (the first few are kept verbatim)."""
        if len(self.errors) < MAX_ERROR_EXAMPLES:
            self.errors.append(message)

    @property
    def threads_stored(self) -> int:
        """Threads inserted or updated (or seen unchanged)."""
        t = self.threads
        return t.inserted + t.updated + t.unchanged

    def summary(self) -> dict[str, Any]:
        """A plain dict for printing or JSON."""
        return {
            "files": self.files, "lines": self.lines,
            "threads": self.threads_stored, "threads_inserted": self.threads.inserted,
            "threads_updated": self.threads.updated,
            "threads_unchanged": self.threads.unchanged, "snapshots": self.threads.snapshots,
            "replies": self.replies, "replies_trimmed": self.replies_trimmed,
            "malformed": self.malformed,
            "skipped": {k: v for k, v in sorted(self.skipped.items()) if v},
        }
