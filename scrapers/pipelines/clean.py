"""Turn `body_html` into clean text, keeping link targets as plain URLs and quotes marked."""

from __future__ import annotations

from typing import Any

from scrapers.items import ThreadItem
from scrapers.pipelines.fit import DEFAULT_MAX_BODY, fit_bodies
from scrapers.pipelines.validate import count_notes
from scrapers.text import html_to_text, tidy


class CleanPipeline:
    """Fill `body` from `body_html` for threads and replies; tidy titles.

    Forum spiders already give text (their parsers clean each post body on the page tree
    they hold, `scrapers.text.element_text`), which is only tidied here, unless the item
    says it is tidy already (`body_tidy`: `tidy` would give it back); `body_html` (a
    Discourse post's `cooked`, a hand-made item) is cleaned with `scrapers.text.html_to_text`,
    the same walk. `HAIRLINK_MAX_BODY_CHARS` (200,000): longer texts are cut, counted
    `truncated_body` / `truncated_reply_body` and logged.
    """

    def __init__(self, max_body: int = DEFAULT_MAX_BODY, stats: Any = None) -> None:
        self.max_body = max(1, max_body)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(crawler.settings.getint("HAIRLINK_MAX_BODY_CHARS", DEFAULT_MAX_BODY),
                   crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ThreadItem):
            return item
        item.title = " ".join(item.title.split())
        base = item.url
        if item.body_html is not None:
            item.body = html_to_text(item.body_html, base)
            item.body_html = None
        elif item.body and not item.body_tidy:
            item.body = tidy(item.body)
        for reply in item.replies:
            if reply.body_html is not None:
                reply.body = html_to_text(reply.body_html, base)
                reply.body_html = None
            elif reply.body and not reply.body_tidy:
                reply.body = tidy(reply.body)
        count_notes(self.stats, item, fit_bodies(item, self.max_body))
        return item
