"""A Scrapy extension for `benchmarks/crawl.py`: the crawl's own CPU time as a stat.

`bench/cpu_seconds` is the process's user + system CPU from `engine_started` to
`spider_closed` (pipelines' close included, interpreter start and imports excluded), so the
bare spider and the hairlink crawl are compared on the same span. Loaded with
`-s EXTENSIONS={"crawl_cpu.CpuMeter": 0}` and `benchmarks/` on PYTHONPATH.
"""

from __future__ import annotations

import resource
from typing import Any

from scrapy import signals


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """Record the crawl's CPU seconds under `bench/cpu_seconds`."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> CpuMeter:
        meter = cls(crawler.stats)
        crawler.signals.connect(meter.engine_started, signal=signals.engine_started)
        crawler.signals.connect(meter.spider_closed, signal=signals.spider_closed)
        return meter

    def engine_started(self) -> None:
        self.started = _cpu()

    def spider_closed(self, spider: Any) -> None:
        self.stats.set_value("bench/cpu_seconds", round(_cpu() - self.started, 3))
