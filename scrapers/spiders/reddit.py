"""Reddit spider: OAuth API listings `/r/<sub>/new`, then top replies from `/comments/<id>`.

    python -m scrapers.run SOURCE            # or: scrapy crawl reddit -a source=SOURCE

Needs `HAIRLINK_REDDIT_CLIENT_ID` and `HAIRLINK_REDDIT_CLIENT_SECRET` (a Reddit app's client
credentials); without them the spider refuses to start, naming both variables, and the run
is recorded failed. A bearer token is fetched from the source's `auth_url` first and again
when it expires or an API request answers 401. Requests pause while Reddit's
`X-Ratelimit-Remaining` is low, until `X-Ratelimit-Reset`.

Incremental by default: listing pages are read newest first; a thread's comments are fetched
when it is new, younger than `refresh_days`, or its score / comment count changed; paging
stops once a whole page is older than the window and already stored. `--full` walks the
listing to its end (Reddit stops near 1000 posts; older history: `hairlink import
reddit-dump`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

from scrapers.base import HairlinkSpider
from scrapers.items import ThreadItem
from scrapers.parsers.common import ListEntry
from scrapers.parsers.reddit import MalformedRecord, parse_comments, parse_listing
from scrapers.pipelines.validate import count_drop
from scrapers.reddit_auth import (
    DEFAULT_AUTH_URL,
    Credentials,
    MissingCredentials,
    RateLimit,
    Token,
    TokenError,
    reddit_user_agent,
)
from scrapers.settings import VERSION

LISTING_LIMIT = 100
MAX_REAUTH = 2
API_META = "reddit_api"


class RedditApiMiddleware:
    """Downloader middleware for the reddit spider's API requests: puts the current bearer
    token on each request, waits while the rate-limit window is nearly used up, and reads
    the `X-Ratelimit-*` headers of every response."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedditApiMiddleware:
        return cls(crawler)

    async def process_request(self, request: scrapy.Request) -> None:
        spider = self.crawler.spider
        if not request.meta.get(API_META) or not isinstance(spider, RedditSpider):
            return None
        wait = spider.ratelimit.wait_seconds()
        if wait > 0:
            spider.logger.info("rate limit nearly used (%s left): pausing %.1fs",
                               spider.ratelimit.remaining, wait)
            if self.crawler.stats:
                self.crawler.stats.inc_value("hairlink/reddit/ratelimit_waits")
            spider.ratelimit.waits += 1
            await sleep(wait)
        spider.ratelimit.spend()
        if spider.token.value:
            request.headers["Authorization"] = f"bearer {spider.token.value}"
        return None

    def process_response(self, request: scrapy.Request, response: Response) -> Response:
        spider = self.crawler.spider
        if request.meta.get(API_META) and isinstance(spider, RedditSpider):
            spider.ratelimit.observe(response.headers)
        return response


class RedditSpider(HairlinkSpider):
    """Threads of the configured subreddits through Reddit's OAuth API (`kind = "reddit"`)."""

    name = "reddit"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Before anything touches the network: no credentials, no crawl (a clear message;
        # the spider closes at start so the crawl-run row is marked failed with it).
        self.credentials: Credentials | None = None
        self.credentials_error: str | None = None
        try:
            self.credentials = Credentials.from_env()
        except MissingCredentials as exc:
            self.credentials_error = str(exc)
        self.subreddits: list[str] = list(self.source_config.get("subreddits", []) or [])
        self.auth_url: str = self.source_config.get("auth_url") or DEFAULT_AUTH_URL
        self.token = Token()
        self.ratelimit = RateLimit()
        self.waiting: list[scrapy.Request] = []
        self.token_pending = False

    def apply_source_settings(self, settings: Any) -> None:
        super().apply_source_settings(settings)
        if getattr(settings, "frozen", False):
            return
        settings.set("USER_AGENT", reddit_user_agent(
            VERSION, self.hairlink_config.contact, self.source_config.get("user_agent")),
            priority="spider")
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares[f"{__name__}.RedditApiMiddleware"] = 560
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    # -- auth ------------------------------------------------------------------------------
    def token_request(self) -> scrapy.Request:
        """POST grant_type=client_credentials to the auth URL with HTTP basic auth."""
        self.token_pending = True
        return scrapy.FormRequest(
            self.auth_url, formdata={"grant_type": "client_credentials"},
            headers={"Authorization": self.credentials.basic_auth() if self.credentials
                     else "",
                     "Accept": "application/json"},
            callback=self.on_token, errback=self.token_failed, dont_filter=True,
            priority=100,
            # The token endpoint is an API call authorised by the app's credentials, not a
            # page to crawl; www.reddit.com's robots.txt does not apply to it.
            meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True})

    def on_token(self, response: Response) -> Any:
        self.token_pending = False
        if response.status != 200:
            raise CloseSpider(f"reddit_auth_failed: the token endpoint answered "
                              f"{response.status}; check HAIRLINK_REDDIT_CLIENT_ID and "
                              "HAIRLINK_REDDIT_CLIENT_SECRET")
        try:
            self.token.update(response.body)
        except TokenError as exc:
            raise CloseSpider(f"reddit_auth_failed: {exc}") from None
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value("hairlink/reddit/tokens")
        waiting, self.waiting = self.waiting, []
        for request in waiting:
            yield self.authorise(request)

    def token_failed(self, failure: Any) -> Any:
        self.token_pending = False
        raise CloseSpider(f"reddit_auth_failed: token request failed: "
                          f"{failure.getErrorMessage()}")

    def api_request(self, path: str, params: dict[str, Any], callback: Any,
                    cb_kwargs: dict[str, Any] | None = None, errback: Any = None,
                    reauth: int = 0) -> list[scrapy.Request]:
        """Requests to yield for an API call: the call itself when the token is good, else
        (once) a token request; the call waits and is released by `on_token`."""
        request = scrapy.Request(
            f"{self.base_url}{path}?{urlencode(params)}", callback=callback,
            cb_kwargs=cb_kwargs or {}, errback=errback, dont_filter=reauth > 0,
            headers={"Accept": "application/json"},
            meta={API_META: True, "handle_httpstatus_list": [401], "reddit_reauth": reauth})
        return self.schedule(request)

    def authorise(self, request: scrapy.Request) -> scrapy.Request:
        """Put the current token on a request (the middleware refreshes it at send time)."""
        if self.token.value:
            request.headers["Authorization"] = f"bearer {self.token.value}"
        return request

    def schedule(self, request: scrapy.Request) -> list[scrapy.Request]:
        if self.token.valid():
            return [self.authorise(request)]
        self.waiting.append(request)
        return [] if self.token_pending else [self.token_request()]

    def unauthorized(self, response: Response) -> list[scrapy.Request]:
        """A 401: forget the token, fetch another, retry the call (at most MAX_REAUTH)."""
        reauth = int(response.meta.get("reddit_reauth", 0)) + 1
        if reauth > MAX_REAUTH:
            self.drop_page(response, "unauthorized")
            return []
        sent = response.request.headers.get("Authorization") if response.request else None
        if sent is None or sent.decode("latin-1") == f"bearer {self.token.value}":
            # Only the token the call carried is bad: a call sent before a refresh that
            # answers 401 afterwards must not throw away the fresh token.
            self.token.invalidate()
        retry = response.request.replace(dont_filter=True) if response.request else None
        if retry is None:
            return []
        retry.meta["reddit_reauth"] = reauth
        retry.headers.pop("Authorization", None)
        return self.schedule(retry)

    # -- crawl -----------------------------------------------------------------------------
    async def start(self) -> Any:
        if self.credentials is None:
            self.logger.error("%s", self.credentials_error)
            raise CloseSpider(f"missing_credentials: {self.credentials_error}")
        for sub in self.subreddits:
            for request in self.listing_request(sub, None, 1):
                yield request

    def listing_request(self, sub: str, after: str | None, page: int) -> list[scrapy.Request]:
        params: dict[str, Any] = {"limit": LISTING_LIMIT, "raw_json": 1}
        if after:
            params["after"] = after
        return self.api_request(f"/r/{sub}/new", params, self.parse_listing_page,
                                {"sub": sub, "page": page})

    def parse_listing_page(self, response: Response, sub: str, page: int) -> Any:
        if response.status == 401:
            yield from self.unauthorized(response)
            return
        try:
            listing = parse_listing(json.loads(response.text), self.source_name)
        except (ValueError, MalformedRecord) as exc:
            self.drop_page(response, "malformed_listing", exc)
            return
        stats = self.crawler.stats if self.crawler else None
        for reason, count in listing.dropped.items():
            count_drop(stats, reason, count)
        by_id = {t.external_id: t for t in listing.threads}
        entries = [ListEntry(external_id=t.external_id, url=t.url, title=t.title,
                             created_at=t.created_at, last_activity_at=t.last_activity_at,
                             num_comments=t.num_comments, score=t.score, category=t.category)
                   for t in listing.threads]
        fetch, more = self.plan(entries)
        for entry in fetch:
            thread = by_id[entry.external_id]
            if self.replies_limit <= 0:
                yield thread
                continue
            yield from self.api_request(
                f"/comments/{thread.external_id}",
                {"limit": self.replies_limit, "sort": "top", "raw_json": 1},
                self.parse_comments_page, {"thread": thread}, errback=self.comments_failed)
        if more and listing.after and (self.max_pages is None or page < self.max_pages):
            yield from self.listing_request(sub, listing.after, page + 1)

    def parse_comments_page(self, response: Response, thread: ThreadItem) -> Any:
        if response.status == 401:
            yield from self.unauthorized(response)
            return
        try:
            page = parse_comments(json.loads(response.text), self.source_name,
                                  self.replies_limit)
        except (ValueError, MalformedRecord) as exc:
            # The thread itself came with the listing: keep it, without replies.
            self.drop_page(response, "malformed_comments", exc)
            yield thread
            return
        item = page.thread if page.thread and page.thread.external_id == thread.external_id \
            else thread
        item.replies = page.replies
        if item.replies:
            newest = max((r.created_at for r in item.replies if r.created_at), default=None)
            if newest and (item.last_activity_at is None or newest > item.last_activity_at):
                item.last_activity_at = newest
        yield item

    def comments_failed(self, failure: Any) -> Any:
        """Comments could not be fetched: store the thread as the listing showed it."""
        request = getattr(failure, "request", None)
        thread = request.cb_kwargs.get("thread") if request is not None else None
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value("hairlink/reddit/comments_failed")
        if thread is not None:
            yield thread
