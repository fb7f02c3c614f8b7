"""phpBB 3 (prosilver) spider: `viewforum.php?f=N&start=M`, then
`viewtopic.php?t=N&start=M` until the first `replies` replies are read."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from scrapers.forum_spider import ForumSpider
from scrapers.parsers import phpbb
from scrapers.parsers.common import ListEntry, ListPage, ThreadPage, zone


class PhpbbSpider(ForumSpider):
    """Topics of a phpBB 3 board (`kind = "phpbb"`, `forums = [ids]`, `timezone`)."""

    name = "phpbb"
    list_kind = "viewforum_page"
    thread_kind = "viewtopic_page"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = zone(self.source_config.get("timezone", "UTC"))

    def list_urls(self) -> list[str]:
        return [f"{self.base_url}/viewforum.php?f={forum}"
                for forum in self.source_config.get("forums", [])]

    def thread_request_url(self, entry: ListEntry) -> str:
        return phpbb.topic_url(self.base_url, entry.external_id)

    def parse_list_page(self, response: Response) -> ListPage:
        return phpbb.parse_viewforum(response.text, response.url, self.base_url, self.tz)

    def parse_thread_page(self, response: Response) -> ThreadPage:
        return phpbb.parse_viewtopic(response.text, response.url, self.base_url, self.tz)
