"""XenForo 2 and 1 spider: forum pages `/forums/<slug>.<id>/page-N`, then thread pages
`/threads/<slug>.<id>/page-N` until the first `replies` replies are read (the parser tells
the versions apart by their pages)."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from scrapers.forum_spider import ForumSpider
from scrapers.parsers import xenforo
from scrapers.parsers.common import ListPage, ThreadPage, zone


class XenforoSpider(ForumSpider):
    """Threads of a XenForo 2 or 1 forum (`kind = "xenforo"`, `forums = ["slug.id", ...]`;
    `timezone`: the zone XenForo 1 prints its older dates in, default UTC)."""

    name = "xenforo"
    list_kind = "forum_page"
    thread_kind = "thread_page"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = zone(self.source_config.get("timezone", "UTC"))

    def list_urls(self) -> list[str]:
        return [f"{self.base_url}/forums/{forum}/"
                for forum in self.source_config.get("forums", [])]

    def parse_list_page(self, response: Response) -> ListPage:
        return xenforo.parse_forum_page(response.text, response.url, self.tz)

    def parse_thread_page(self, response: Response) -> ThreadPage:
        return xenforo.parse_thread_page(response.text, response.url, self.tz)
