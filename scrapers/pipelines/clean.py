"""Turn `body_html` into clean text (BeautifulSoup), keeping link targets as plain URLs."""

from __future__ import annotations

from typing import Any

from scrapers.items import ThreadItem
from scrapers.text import html_to_text, tidy


class CleanPipeline:
    """Fill `body` from `body_html` for threads and replies; tidy titles."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ThreadItem):
            return item
        item.title = " ".join(item.title.split())
        base = item.url
        if item.body_html is not None:
            item.body = html_to_text(item.body_html, base)
            item.body_html = None
        elif item.body:
            item.body = tidy(item.body)
        for reply in item.replies:
            if reply.body_html is not None:
                reply.body = html_to_text(reply.body_html, base)
                reply.body_html = None
            elif reply.body:
                reply.body = tidy(reply.body)
        return item
