"""XenForo 2 spider: forum pages `/forums/<slug>.<id>/page-N`, then thread pages
`/threads/<slug>.<id>/page-N` until the first `replies` replies are read."""

from __future__ import annotations

from scrapy.http import Response

from scrapers.base import ForumSpider
from scrapers.parsers import xenforo
from scrapers.parsers.common import ListPage, ThreadPage


class XenforoSpider(ForumSpider):
    """Threads of a XenForo 2 forum (`kind = "xenforo"`, `forums = ["slug.id", ...]`)."""

    name = "xenforo"
    list_kind = "forum_page"
    thread_kind = "thread_page"

    def list_urls(self) -> list[str]:
        return [f"{self.base_url}/forums/{forum}/"
                for forum in self.source_config.get("forums", [])]

    def parse_list_page(self, response: Response) -> ListPage:
        return xenforo.parse_forum_page(response.text, response.url)

    def parse_thread_page(self, response: Response) -> ThreadPage:
        return xenforo.parse_thread_page(response.text, response.url)
