"""Item pipelines, in order: validate -> clean -> authors -> store.

Every drop raises `DropItem` and counts a stats key `hairlink/dropped/<reason>`; `scrapers.run`
copies those counts into the crawl-run row.
"""

from __future__ import annotations

from scrapers.pipelines.authors import AuthorHashPipeline
from scrapers.pipelines.clean import CleanPipeline
from scrapers.pipelines.store import StorePipeline
from scrapers.pipelines.validate import DROPPED_PREFIX, ValidatePipeline, count_drop

__all__ = ["DROPPED_PREFIX", "AuthorHashPipeline", "CleanPipeline", "StorePipeline",
           "ValidatePipeline", "count_drop"]
