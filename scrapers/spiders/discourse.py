"""Discourse spider: category names, topic lists (`/latest.json` or `/c/<slug>/<id>.json`),
then `/t/<id>.json` (`?page=N` for replies past the first 20 posts)."""

from __future__ import annotations

import json
from typing import Any

import scrapy
from scrapy.http import Response
from w3lib.url import url_query_parameter

from scrapers.forum_spider import ForumSpider
from scrapers.parsers import discourse
from scrapers.parsers.common import ListEntry, ListPage, ThreadPage


class DiscourseSpider(ForumSpider):
    """Threads of a Discourse forum (`kind = "discourse"`)."""

    name = "discourse"
    list_kind = "topic_list"
    thread_kind = "topic"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories: dict[int, str] = {}
        for target in self.source_config.get("categories", []) or []:
            slug, _, cat_id = target.rpartition("/")
            self.categories.setdefault(int(cat_id), slug)

    def request_kwargs(self) -> dict[str, Any]:
        return {"headers": {"Accept": "application/json"}}

    def list_urls(self) -> list[str]:
        targets = self.source_config.get("categories", []) or []
        if not targets:
            return [f"{self.base_url}/latest.json?page=0"]
        return [f"{self.base_url}/c/{target}.json?page=0" for target in targets]

    async def start(self) -> Any:
        # Category names first (for the `category` field), then the lists.
        yield scrapy.Request(f"{self.base_url}/categories.json?show_subcategory_list=true",
                             callback=self.parse_categories, errback=self.start_lists,
                             cb_kwargs={"pending": None}, dont_filter=True,
                             **self.request_kwargs())

    def parse_categories(self, response: Response, pending: list[int] | None) -> Any:
        try:
            data = json.loads(response.text)
            self.categories.update(discourse.parse_categories(data))
            if pending is None:
                pending = discourse.subcategory_parents(data)
        except (ValueError, KeyError, TypeError) as exc:
            self.logger.warning("category names unavailable (%s): %s", response.url, exc)
            pending = pending or []
        if pending:
            parent, rest = pending[0], pending[1:]
            yield scrapy.Request(f"{self.base_url}/categories.json?parent_category_id={parent}",
                                 callback=self.parse_categories, errback=self.start_lists,
                                 cb_kwargs={"pending": rest}, dont_filter=True,
                                 **self.request_kwargs())
            return
        yield from self.start_lists()

    def start_lists(self, failure: Any = None) -> Any:
        if failure is not None:
            self.logger.warning("category names unavailable: %s", failure.getErrorMessage())
        for url in self.list_urls():
            yield self.list_request(url, 1)

    def parse_list_page(self, response: Response) -> ListPage:
        return discourse.parse_topic_list(json.loads(response.text), self.base_url,
                                          self.categories)

    def thread_request_url(self, entry: ListEntry) -> str:
        return f"{self.base_url}/t/{entry.external_id}.json"

    def parse_thread_page(self, response: Response) -> ThreadPage:
        page = _page_of(response.url)
        return discourse.parse_topic(json.loads(response.text), self.base_url, page,
                                     self.categories)


def _page_of(url: str) -> int:
    try:
        return int(url_query_parameter(url, "page") or 1)
    except ValueError:
        return 1
