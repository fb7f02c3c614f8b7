"""A spider registered as kind `discourse` whose constructor fails (for run.py tests)."""

from __future__ import annotations

from typing import Any

import scrapy


class BrokenSpider(scrapy.Spider):
    name = "discourse"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ValueError("cannot start: broken on purpose")
