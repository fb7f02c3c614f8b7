"""Per-crawl and per-page costs the crawl no longer pays: DEBUG lines below LOG_LEVEL are not
built, and the objects alive at engine start are frozen out of the garbage collector."""

from __future__ import annotations

import gc
import logging
from types import SimpleNamespace

import pytest
from scrapy import Request, signals
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from scrapers.extensions import CRAWL_GC_YOUNG_THRESHOLD, FreezeHeap, QuietDropFormatter
from scrapers.items import ThreadItem


def formatter(level: str | int) -> QuietDropFormatter:
    return QuietDropFormatter.from_crawler(SimpleNamespace(settings=Settings({"LOG_LEVEL": level})))


@pytest.mark.parametrize(("level", "built"), [("INFO", False), ("WARNING", False),
                                              (logging.ERROR, False), ("DEBUG", True),
                                              (logging.DEBUG, True)])
def test_debug_lines_are_built_only_when_they_are_written(level: str | int, built: bool) -> None:
    request = Request("https://f.example/threads/a.1/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    item = ThreadItem(source="s", external_id="1", url=request.url, title="t", created_at=None)
    fmt = formatter(level)
    for line in (fmt.crawled(request, response, None), fmt.scraped(item, response, None)):
        assert (line is not None) == built
        if built:
            assert line["level"] == logging.DEBUG
    dropped = fmt.dropped(item, ValueError("bad_title"), response, None)
    assert dropped["level"] == logging.INFO and dropped["args"]["reason"] == "bad_title"


def test_the_heap_at_engine_start_is_frozen() -> None:
    manager = SignalManager()
    heap = FreezeHeap.from_crawler(SimpleNamespace(signals=manager))  # (receivers are weak)
    gc.unfreeze()
    before = gc.get_threshold()
    assert before[0] != CRAWL_GC_YOUNG_THRESHOLD  # (no crawl earlier in this process left it)
    assert gc.get_freeze_count() == 0
    try:
        manager.send_catch_log(signals.engine_started)
        assert gc.get_freeze_count() > 1000 and heap is not None  # this process's modules
        # young collections less often; the older generations' counts as they were
        assert gc.get_threshold() == (CRAWL_GC_YOUNG_THRESHOLD, *before[1:])
        manager.send_catch_log(signals.engine_stopped)
        assert gc.get_threshold() == before  # the process's own thresholds back
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
