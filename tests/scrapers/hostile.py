"""Hostile loopback sites for crawl tests: a Discourse forum whose threads carry
out-of-range numbers, impossible dates, 404/410 pages, redirect loops, oversized and
decompression-bomb bodies and endless pagination; and a Reddit API with a small rate-limit
window shared by every token of one client."""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapers.loopback import LoopbackServer, Request
from tests.scrapers.fake_threads import FakeThread, make_threads
from tests.scrapers.site_discourse import discourse_topic, iso_time

JSON = {"Content-Type": "application/json"}
Response = tuple[int, dict[str, str], bytes]
LONG_CATEGORY = "Category " + "x" * 491  # 500 characters: the column holds 200
MAX_SIZE = 200_000  # the crawl's DOWNLOAD_MAXSIZE in these tests
BOMB = gzip.compress(b" " * 20_000_000, compresslevel=9)  # ~20 KB that inflate to 20 MB

# thread id -> what is wrong with it, and how the crawl must account for it
LOST = {112: "score_out_of_range", 113: "created_at_out_of_range", 115: "http_404",
        116: "http_410", 117: "redirect_loop", 118: "redirect_loop", 119: "too_large",
        120: "too_large", 121: "retries_exhausted", 123: "num_comments_out_of_range"}
FITTED = {114: "truncated_category", 122: "reply_score_out_of_range"}


def hostile_threads() -> list[FakeThread]:
    """24 threads (ids 100-123); see LOST and FITTED for the bad ones."""
    threads = make_threads(24, posts_per_thread=3, age_step=timedelta(hours=2))
    by_id = {t.thread_id: t for t in threads}
    by_id[112].posts[0].likes = 10**20
    future = datetime(2100, 1, 1, tzinfo=UTC)
    by_id[113].created_at = future
    for k, post in enumerate(by_id[113].posts):
        post.created_at = future + timedelta(minutes=k)
    by_id[114].category_id, by_id[114].category = 99, LONG_CATEGORY
    by_id[122].posts[1].likes = 10**15
    return threads


@dataclass
class HostileForum:
    """The routes of one hostile Discourse forum under `prefix`."""

    threads: list[FakeThread]
    prefix: str = ""
    rotate: bool = True  # list pages rotate the topics (endless); else repeat page 0
    list_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, server: LoopbackServer) -> None:
        p = self.prefix
        cats = sorted({(t.category_id, t.category) for t in self.threads})
        server.add(f"{p}/categories.json?show_subcategory_list=true", json.dumps(
            {"category_list": {"categories": [{"id": i, "slug": f"c{i}", "name": n}
                                              for i, n in cats]}}), content_type=JSON[
            "Content-Type"])
        server.route(f"{p}/latest.json", self.latest)
        server.route(f"{p}/t/", self.topic)

    def latest(self, request: Request) -> Response:
        """Every page has a next page: rotated (new order, endless) or the same again."""
        with self.lock:
            self.list_requests += 1
        page = int(request.arg("page") or 0)
        ordered = sorted(self.threads, key=lambda t: t.thread_id)
        if self.rotate and page:
            ordered = ordered[page % len(ordered):] + ordered[:page % len(ordered)]
        topics = [{
            "id": t.thread_id, "title": t.title, "fancy_title": t.title, "slug": t.slug,
            "posts_count": len(t.posts), "reply_count": len(t.posts) - 1,
            "created_at": iso_time(t.created_at), "last_posted_at": iso_time(t.last_activity),
            "bumped_at": iso_time(t.last_activity), "category_id": t.category_id}
            for t in ordered]
        body = {"topic_list": {"per_page": len(topics), "topics": topics,
                               "more_topics_url": f"/latest?page={page + 1}"}}
        return 200, JSON, json.dumps(body).encode()

    def topic(self, request: Request) -> Response:
        name = request.path.rsplit("/", 1)[-1]
        base = f"{self.prefix}/t/"
        if name == "115.json":
            return 404, JSON, b'{"errors": ["not found"]}'
        if name == "116.json":
            return 410, JSON, b'{"errors": ["gone"]}'
        if name == "117.json":  # A -> B -> A
            return 302, {"Location": f"{base}117b.json"}, b""
        if name == "117b.json":
            return 302, {"Location": f"{base}117.json"}, b""
        if name == "118.json":  # an endless chain of new URLs
            hop = int(request.arg("hop") or 0) + 1
            return 301, {"Location": f"{base}118.json?hop={hop}"}, b""
        if name == "119.json":
            return 200, JSON, b'{"pad": "' + b"x" * (MAX_SIZE + 100_000) + b'"}'
        if name == "120.json":
            return 200, {**JSON, "Content-Encoding": "gzip"}, BOMB
        if name == "121.json":
            return 503, JSON, b'{"errors": ["maintenance"]}'
        thread = next((t for t in self.threads if f"{t.thread_id}.json" == name), None)
        if thread is None:
            return 404, JSON, b"{}"
        page = int(request.arg("page") or 1)
        topic = discourse_topic(thread, page)
        if thread.thread_id == 123:
            topic["posts_count"] = 10**12  # and an endless pager behind it
        return 200, JSON, json.dumps(topic).encode()


@dataclass
class WindowedReddit:
    """A Reddit API whose rate-limit window (`size` requests every `window` seconds) is
    shared by every token issued to the one client, like Reddit's per-client limit. A
    request beyond the window is answered 429 and counted in `over_limit`."""

    subs: dict[str, list[dict[str, Any]]]
    size: int = 12
    window: float = 4.0
    page_size: int = 4
    started: float = 0.0
    used: int = 0
    over_limit: int = 0
    # (time, target, remaining after it, start of its window) of every API request
    api_requests: list[tuple[float, str, int, float]] = field(default_factory=list)
    tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, server: LoopbackServer) -> None:
        server.route("/api/v1/access_token", self.token)
        server.route("/api/r/", self.listing)
        server.route("/api/comments/", self.comments)

    def token(self, request: Request) -> Response:
        with self.lock:
            self.tokens += 1
            value = f"tok-{self.tokens}"
        return 200, JSON, json.dumps({"access_token": value, "token_type": "bearer",
                                      "expires_in": 86400}).encode()

    def _spend(self, target: str) -> tuple[bool, dict[str, str]]:
        """Count a request in the current window: (allowed, rate-limit headers)."""
        with self.lock:
            now = time.monotonic()
            if not self.started or now >= self.started + self.window:
                self.started, self.used = now, 0
            self.used += 1
            allowed = self.used <= self.size
            if not allowed:
                self.over_limit += 1
            remaining = max(0, self.size - self.used)
            self.api_requests.append((now, target, remaining, self.started))
            # Reddit sends whole seconds; rounding down makes an early client hit the wall.
            reset = int(self.started + self.window - now)
        return allowed, {**JSON, "X-Ratelimit-Remaining": f"{remaining:.1f}",
                         "X-Ratelimit-Used": str(self.used), "X-Ratelimit-Reset": str(reset)}

    def listing(self, request: Request) -> Response:
        allowed, headers = self._spend(request.target)
        if not allowed:
            return 429, {**headers, "Retry-After": "1"}, b'{"error": 429}'
        sub = request.path.split("/")[3]
        posts = self.subs[sub]
        after = request.arg("after")
        start = [p["name"] for p in posts].index(after) + 1 if after else 0
        chunk = posts[start:start + self.page_size]
        more = start + self.page_size < len(posts)
        payload = {"kind": "Listing", "data": {
            "after": chunk[-1]["name"] if more else None,
            "children": [{"kind": "t3", "data": p} for p in chunk]}}
        return 200, headers, json.dumps(payload).encode()

    def comments(self, request: Request) -> Response:
        allowed, headers = self._spend(request.target)
        if not allowed:
            return 429, {**headers, "Retry-After": "1"}, b'{"error": 429}'
        pid = request.path.rstrip("/").split("/")[-1]
        post = next(p for posts in self.subs.values() for p in posts if p["id"] == pid)
        reply = {"kind": "t1", "data": {
            "id": f"{pid}c", "name": f"t1_{pid}c", "link_id": f"t3_{pid}",
            "parent_id": f"t3_{pid}", "body": "a reply", "score": 2, "replies": "",
            "author": "someone", "created_utc": post["created_utc"] + 60, "edited": False}}
        payload = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": post}]}},
                   {"kind": "Listing", "data": {"children": [reply]}}]
        return 200, headers, json.dumps(payload).encode()


def reddit_posts(sub: str, count: int, first: int = 0) -> list[dict[str, Any]]:
    """`count` fresh self posts of `sub`, newest first."""
    now = datetime.now(UTC)
    posts = []
    for n in range(first, first + count):
        created = (now - timedelta(hours=n + 1)).timestamp()
        pid = f"{sub[:2]}{n:03d}"
        posts.append({"id": pid, "name": f"t3_{pid}", "title": f"{sub} post {n}",
                      "selftext": f"body {n}", "is_self": True,
                      "url": f"https://www.reddit.com/r/{sub}/comments/{pid}/",
                      "permalink": f"/r/{sub}/comments/{pid}/", "subreddit": sub,
                      "author": f"u{n}", "score": n, "num_comments": 1,
                      "created_utc": created, "edited": False, "link_flair_text": None})
    return posts
