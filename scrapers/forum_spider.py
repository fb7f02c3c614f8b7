"""The forum spiders' shared crawl: list pages, thread pages, reply paging, one ThreadItem
per thread (`scrapers.base.HairlinkSpider` gives the source config, database access and
incremental rules).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from scrapers.base import (
    HairlinkSpider,
)
from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers.common import ListEntry, ListPage, ParseError, Post, ThreadPage
from scrapers.pipelines.validate import count_drop

logger = logging.getLogger(__name__)


class ForumSpider(HairlinkSpider):
    """List pages -> thread pages -> one ThreadItem with the first `replies` replies.

    Subclasses give `start_urls_for_targets()`, `parse_list_page(response)` and
    `parse_thread_page(response)` (pure parsers); this class does the incremental plan,
    reply paging, and counting of malformed pages.
    """

    list_kind = "list_page"
    thread_kind = "thread_page"
    # A first list page refused with this reason counts its target as closed to us; when
    # every target is, the crawl ends with this reason (the run is `failed`, not `finished`).
    refusal_reason = "login_required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Links read from pages (next pages, thread URLs, a page's own <base href>) stay on
        # the board's host: Scrapy's offsite filter drops any other.
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]

    def list_urls(self) -> list[str]:
        """The first list page of every configured target."""
        raise NotImplementedError

    def offsite(self, url: str, reason: str) -> bool:
        """Whether `url` leaves the board's host (Scrapy's offsite filter would drop it
        without a word): if so it is counted under `hairlink/dropped/<reason>` and logged."""
        host = (urlsplit(url).hostname or "").lower()
        allowed = self.allowed_domains[0].lower()
        if not allowed or host == allowed or host.endswith("." + allowed):
            return False
        count_drop(self.crawler.stats if self.crawler else None, reason)
        logger.warning("dropped %s (%s): not on %s", url, reason, allowed)
        return True

    def parse_list_page(self, response: Response) -> ListPage:
        raise NotImplementedError

    def parse_thread_page(self, response: Response) -> ThreadPage:
        raise NotImplementedError

    def thread_request_url(self, entry: ListEntry) -> str:
        return entry.url

    def request_kwargs(self) -> dict[str, Any]:
        """Extra keyword arguments for every Request (headers...)."""
        return {}

    async def start(self) -> Any:
        for url in self.list_urls():
            yield self.list_request(url, 1)

    def list_request(self, url: str, page: int,
                     previous: tuple[str, ...] = ()) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list,
                              cb_kwargs={"page": page, "previous": previous},
                              errback=self.list_failed, **self.request_kwargs())

    # The callbacks are plain functions returning a generator, not generator functions:
    # Scrapy reads the source of a generator-function callback (`inspect.getsource` and
    # `ast.parse`, to warn about `return value`) whenever its cache, keyed by the bound
    # method, misses (tens of times a crawl). Output and errors come out as lazily.
    def parse_list(self, response: Response, page: int = 1,
                   previous: tuple[str, ...] = ()) -> Iterator[Any]:
        """A list page's thread requests and its next page's request."""
        return self._list_output(response, page, previous)

    def parse_thread(self, response: Response, entry: ListEntry | None = None,
                     acc: ThreadItem | None = None) -> Iterator[Any]:
        """A thread page: the thread item, or the request for its next page."""
        return self._thread_output(response, entry, acc)

    def _list_output(self, response: Response, page: int,
                     previous: tuple[str, ...]) -> Iterator[Any]:
        listing = self.parse_or_drop(response, self.parse_list_page, self.list_kind)
        if listing is None:
            if page == 1 and self.last_drop_reason == self.refusal_reason:
                # (the URL asked for, before any redirect to the login form)
                self.refused_targets.add((response.meta.get("redirect_urls") or
                                          [response.url])[0])
                if len(self.refused_targets) >= len(set(self.list_urls())):
                    raise CloseSpider(self.refusal_reason)
            return
        ids = tuple(e.external_id for e in listing.entries)
        if ids and ids == previous:
            self.more_pages(page, ids, previous)  # counts and logs the repeat
            return
        fetch, more = self.plan(listing.entries)
        for entry in fetch:
            url = self.thread_request_url(entry)
            if not self.offsite(url, "offsite"):
                yield scrapy.Request(url, callback=self.parse_thread,
                                     cb_kwargs={"entry": entry, "acc": None},
                                     errback=self.thread_failed, **self.request_kwargs())
        if more and listing.next_url and listing.next_url != response.url and \
                self.more_pages(page, ids, previous) and \
                not self.offsite(listing.next_url, "list_page_offsite"):
            yield self.list_request(listing.next_url, page + 1, ids)

    def _thread_output(self, response: Response, entry: ListEntry | None,
                       acc: ThreadItem | None) -> Iterator[Any]:
        page = self.parse_or_drop(response, self.parse_thread_page, self.thread_kind)
        if page is None:
            if acc is not None:
                yield acc  # a later page failed: keep what the earlier pages gave
            return
        had = len(acc.replies) if acc is not None else -1
        try:
            item = self.assemble(acc, page, entry)
        except ParseError as exc:
            self.drop_page(response, exc.reason or f"malformed_{self.thread_kind}", exc)
            return
        # A later page that adds no reply ends paging (an endless or looping pager).
        grew = len(item.replies) > had
        # (a next page on another host would be filtered and the thread lost: keep it)
        if grew and len(item.replies) < self.replies_limit and page.next_url and \
                page.next_url != response.url and \
                not self.offsite(page.next_url, "thread_page_offsite"):
            yield scrapy.Request(page.next_url, callback=self.parse_thread,
                                 cb_kwargs={"entry": entry, "acc": item},
                                 errback=self.thread_failed, **self.request_kwargs())
        else:
            yield item

    def thread_failed(self, failure: Any) -> Any:
        """A thread page could not be downloaded: keep the pages already read, else count
        the lost thread under its reason (`http_404`, `redirect_loop`, `too_large`...)."""
        request = getattr(failure, "request", None)
        acc = request.cb_kwargs.get("acc") if request is not None else None
        if acc is not None:
            yield acc
            return
        self.count_fetch_failure(failure, "thread")

    def list_failed(self, failure: Any) -> None:
        """A list page could not be downloaded: its threads are unknown; count it."""
        self.count_fetch_failure(failure, "list_page")

    def assemble(self, acc: ThreadItem | None, page: ThreadPage,
                 entry: ListEntry | None) -> ThreadItem:
        """Start the thread item from page 1, or add a later page's replies to it.

        Post bodies become text here, on the tree the parser holds (`Post.text`, against
        the thread's URL as the clean pipeline would), so no body is serialised and
        parsed again."""
        posts = sorted(page.posts, key=lambda p: p.position) if page.page == 1 else page.posts
        if acc is None:
            if page.page != 1 or not posts:
                raise ParseError("the first page of the thread has no opening post")
            acc = self.thread_item(page, posts[0], len(posts) - 1, entry)
            posts = posts[1:]
        self.add_replies(acc, posts)
        return acc

    def thread_item(self, page: ThreadPage, opening: Post, replies: int,
                    entry: ListEntry | None) -> ThreadItem:
        """The thread item of a first page: the page's fields, else the list entry's, and the
        page's further `columns` under their own names."""
        num = page.num_comments
        if num is None and entry is not None:
            num = entry.num_comments
        url = page.url or (entry.url if entry else "")
        return ThreadItem(
            source=self.source_name,
            external_id=page.external_id or (entry.external_id if entry else ""),
            url=url, title=page.title or (entry.title if entry else ""),
            created_at=opening.created_at or (entry.created_at if entry else None),
            body=opening.text(url), body_tidy=True,  # (`Post.text` is tidied)
            category=page.category or (entry.category if entry else None),
            score=page.score, num_comments=num if num is not None else replies,
            edited_at=opening.edited_at,
            last_activity_at=page.last_activity_at or
            (entry.last_activity_at if entry else None),
            author=opening.author,
            **page.columns,
        )

    def add_replies(self, acc: ThreadItem, posts: Iterable[Post]) -> None:
        """Append the posts not seen yet, up to `replies_limit`; track the last activity."""
        have = {r.external_id for r in acc.replies}
        for post in posts:
            if len(acc.replies) >= self.replies_limit:
                break
            if post.external_id in have:
                continue
            have.add(post.external_id)
            acc.replies.append(ReplyItem(external_id=post.external_id,
                                         body=post.text(acc.url), score=post.score,
                                         created_at=post.created_at, author=post.author,
                                         body_tidy=True))
            if post.created_at and (acc.last_activity_at is None
                                    or post.created_at > acc.last_activity_at):
                acc.last_activity_at = post.created_at
