"""Turn `body_html` into clean text, keeping link targets as plain URLs and quotes marked."""

from __future__ import annotations

from typing import Any

from scrapers.items import ThreadItem
from scrapers.pipelines.fit import DEFAULT_MAX_BODY, fit_bodies
from scrapers.pipelines.validate import count_notes
from scrapers.text import html_to_text, html_to_text_lxml, tidy

CLEANERS = {"bs4": html_to_text, "lxml": html_to_text_lxml}


class CleanPipeline:
    """Fill `body` from `body_html` for threads and replies; tidy titles.

    `HAIRLINK_CLEANER`: "lxml" (the default) or "bs4" (BeautifulSoup). Both apply the same
    rules to the same lxml parse and give the same text (tests hold this on every fixture and
    recorded post); the lxml walk is several times faster, which the crawl needs.
    `HAIRLINK_MAX_BODY_CHARS` (200,000): longer texts are cut, counted `truncated_body` /
    `truncated_reply_body` and logged.
    """

    def __init__(self, cleaner: str = "lxml", max_body: int = DEFAULT_MAX_BODY,
                 stats: Any = None) -> None:
        if cleaner not in CLEANERS:
            raise ValueError(f"HAIRLINK_CLEANER must be one of {', '.join(CLEANERS)}")
        self.to_text = CLEANERS[cleaner]
        self.max_body = max(1, max_body)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        settings = crawler.settings
        return cls(settings.get("HAIRLINK_CLEANER", "lxml"),
                   settings.getint("HAIRLINK_MAX_BODY_CHARS", DEFAULT_MAX_BODY), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ThreadItem):
            return item
        item.title = " ".join(item.title.split())
        base = item.url
        if item.body_html is not None:
            item.body = self.to_text(item.body_html, base)
            item.body_html = None
        elif item.body:
            item.body = tidy(item.body)
        for reply in item.replies:
            if reply.body_html is not None:
                reply.body = self.to_text(reply.body_html, base)
                reply.body_html = None
            elif reply.body:
                reply.body = tidy(reply.body)
        count_notes(self.stats, item, fit_bodies(item, self.max_body))
        return item
