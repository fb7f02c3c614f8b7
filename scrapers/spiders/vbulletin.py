"""vBulletin 3.8 / 4.2 / 5 spider: forum listings (`forumdisplay.php?f=N&page=M`, or vB5
forum paths), then thread pages (`showthread.php?t=N&page=M`, vB5 node pages) until the
first `replies` replies are read."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from scrapers.forum_spider import ForumSpider
from scrapers.parsers import vbulletin, vbulletin_listing
from scrapers.parsers.common import ListEntry, ListPage, ThreadPage, zone


class VbulletinSpider(ForumSpider):
    """Threads of a vBulletin board (`kind = "vbulletin"`, `forums = [ids]`, `timezone`).

    A forum is an id (vB3/vB4 `forumdisplay.php?f=ID`) or a vB5 forum path
    (`"forum/hair-loss/treatments"`). Times are read in the zone the board's footer names
    ("All times are GMT -5"), else in `timezone` (default UTC).
    """

    name = "vbulletin"
    list_kind = "forumdisplay_page"
    thread_kind = "showthread_page"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = zone(self.source_config.get("timezone", "UTC"))

    def list_urls(self) -> list[str]:
        # A forum id, even written as a string ("12"), is a vB3/vB4 forumdisplay id.
        return [f"{self.base_url}/forumdisplay.php?f={forum}" if str(forum).isdigit()
                else f"{self.base_url}/{str(forum).strip('/')}"
                for forum in self.source_config.get("forums", [])]

    def thread_request_url(self, entry: ListEntry) -> str:
        return entry.url

    def parse_list_page(self, response: Response) -> ListPage:
        return vbulletin_listing.parse_forum_page(response.text, response.url, self.base_url,
                                                  self.tz)

    def parse_thread_page(self, response: Response) -> ThreadPage:
        return vbulletin.parse_thread_page(response.text, response.url, self.base_url, self.tz)
