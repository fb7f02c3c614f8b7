"""Reddit spider: OAuth API listings `/r/<sub>/new`, then top replies from `/comments/<id>`.

    python -m scrapers.run SOURCE            # or: scrapy crawl reddit -a source=SOURCE

Needs `HAIRLINK_REDDIT_CLIENT_ID` and `HAIRLINK_REDDIT_CLIENT_SECRET` (a Reddit app's client
credentials); without them the spider refuses to start, naming both variables, and the run
is recorded failed. A bearer token is fetched from the source's `auth_url` first and again
when it expires or an API request answers 401. API requests go one at a time per client id
(across processes); they pause while Reddit's `X-Ratelimit-Remaining` is low, until
`X-Ratelimit-Reset` plus a margin (`RedditApiMiddleware`).

Incremental by default: listing pages are read newest first; a thread's comments are fetched
when it is new, younger than `refresh_days`, or its score / comment count changed; paging
stops once a whole page is older than the window and already stored. `--full` walks the
listing to its end (Reddit stops near 1000 posts; older history: `hairlink import
reddit-dump`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response

from scrapers.base import HairlinkSpider
from scrapers.credentials import CredentialError
from scrapers.items import ThreadItem
from scrapers.parsers.common import ListEntry
from scrapers.parsers.reddit import MalformedRecord, parse_comments, parse_listing
from scrapers.pipelines.validate import count_drop
from scrapers.reddit_auth import (
    DEFAULT_AUTH_URL,
    RATELIMIT_LOW,
    RESET_MARGIN_SECONDS,
    Credentials,
    MissingCredentials,
    Token,
    TokenError,
    reddit_user_agent,
)
from scrapers.reddit_gate import GateClosed, RequestGate, gate_path
from scrapers.settings import VERSION

LISTING_LIMIT = 100
MAX_REAUTH = 2
API_META = "reddit_api"
GATE_META = "reddit_gate_held"


def _query(url: str, name: str) -> list[str]:
    """The values of query parameter `name` in `url`."""
    return parse_qs(urlsplit(url).query).get(name, [])


class RedditApiMiddleware:
    """Downloader middleware for the reddit spider's API requests: one request in flight
    per client id (across processes, `scrapers.reddit_gate`), the rate-limit budget checked
    and spent at that moment, the current bearer token put on, and the `X-Ratelimit-*`
    headers of the response read before the next request goes.

    Settings: `HAIRLINK_REDDIT_GATE_DIR` (where the shared budget file lives; default the
    temporary directory), `HAIRLINK_REDDIT_RATELIMIT_LOW` (5: wait for the reset at or
    below this many requests left), `HAIRLINK_REDDIT_RESET_MARGIN` (2 s past the reset).
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.directory = Path(settings.get("HAIRLINK_REDDIT_GATE_DIR") or tempfile.gettempdir())
        self.low = settings.getfloat("HAIRLINK_REDDIT_RATELIMIT_LOW", RATELIMIT_LOW)
        self.margin = settings.getfloat("HAIRLINK_REDDIT_RESET_MARGIN", RESET_MARGIN_SECONDS)
        self.gate: RequestGate | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedditApiMiddleware:
        return cls(crawler)

    def _gate(self, spider: RedditSpider) -> RequestGate:
        if self.gate is None:
            client_id = spider.credentials.client_id if spider.credentials else "anonymous"
            self.directory.mkdir(parents=True, exist_ok=True)
            lease = self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180) * 2 + 60
            self.gate = RequestGate(gate_path(self.directory, client_id), self.low,
                                    self.margin, lease)
        return self.gate

    async def process_request(self, request: scrapy.Request) -> None:
        spider = self.crawler.spider
        if not request.meta.get(API_META) or not isinstance(spider, RedditSpider):
            return None
        try:
            waited = await self._gate(spider).acquire(self._stopping)
        except GateClosed as exc:
            raise IgnoreRequest(str(exc)) from None
        request.meta[GATE_META] = True
        if waited > 0:
            spider.logger.info("rate limit nearly used: paused %.1fs until the window reset",
                               waited)
            if self.crawler.stats:
                self.crawler.stats.inc_value("hairlink/reddit/ratelimit_waits")
        if spider.token.value:
            request.headers["Authorization"] = f"bearer {spider.token.value}"
        return None

    def _stopping(self) -> bool:
        engine = getattr(self.crawler, "engine", None)
        return engine is not None and not engine.running

    def process_response(self, request: scrapy.Request, response: Response) -> Response:
        if request.meta.pop(GATE_META, False) and self.gate is not None:
            self.gate.release(response.headers)
        return response

    def process_exception(self, request: scrapy.Request, exception: Exception) -> None:
        if request.meta.pop(GATE_META, False) and self.gate is not None:
            self.gate.release()
        return None


class RedditSpider(HairlinkSpider):
    """Threads of the configured subreddits through Reddit's OAuth API (`kind = "reddit"`)."""

    name = "reddit"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Before anything touches the network: no credentials, or malformed ones, no crawl
        # (a clear message; the spider closes at start so the crawl-run row is marked
        # failed with it).
        self.credentials: Credentials | None = None
        try:
            self.credentials = Credentials.from_env()
        except MissingCredentials as exc:
            self.credentials_error = f"missing_credentials: {exc}"
        except CredentialError as exc:
            self.credentials_error = f"bad_credentials: {exc}"
        self.subreddits: list[str] = list(self.source_config.get("subreddits", []) or [])
        self.auth_url: str = self.source_config.get("auth_url") or DEFAULT_AUTH_URL
        self.token = Token()
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
            raise self.credentials_failure()
        for sub in self.subreddits:
            for request in self.listing_request(sub, None, 1):
                yield request

    def listing_request(self, sub: str, after: str | None, page: int,
                        previous: tuple[str, ...] = ()) -> list[scrapy.Request]:
        params: dict[str, Any] = {"limit": LISTING_LIMIT, "raw_json": 1}
        if after:
            params["after"] = after
        return self.api_request(f"/r/{sub}/new", params, self.parse_listing_page,
                                {"sub": sub, "page": page, "previous": previous},
                                errback=self.listing_failed)

    def listing_failed(self, failure: Any) -> None:
        """A listing page could not be fetched: its threads are unknown; count it."""
        self.count_fetch_failure(failure, "listing")

    def parse_listing_page(self, response: Response, sub: str, page: int,
                           previous: tuple[str, ...] = ()) -> Any:
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
        ids = tuple(e.external_id for e in entries)
        if ids and ids == previous:
            self.more_pages(page, ids, previous)  # counts and logs the repeat
            return
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
        if more and listing.after and listing.after not in _query(response.url, "after") \
                and self.more_pages(page, ids, previous):
            yield from self.listing_request(sub, listing.after, page + 1, ids)

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
