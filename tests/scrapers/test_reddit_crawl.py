"""The real reddit spider, crawled in process, against a fake Reddit on loopback:
token endpoint (basic auth), `/r/<sub>/new` pages with `after` cursors and rate-limit
headers, `/comments/<id>` trees with `more` stubs; 401 -> new token; incremental re-crawl."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db import make_engine
from models.entities import CrawlRun, Reply, ScoreSnapshot, Thread
from scrapers.loopback import LoopbackServer, Request
from tests.conftest import init_database
from tests.scrapers import inprocess
from tests.scrapers.inprocess import Result

CLIENT_ID, SECRET = "test-client", "test-secret"
NOW = datetime.now(UTC).replace(microsecond=0)
PAGE_SIZE = 3
pytestmark = pytest.mark.slow


@dataclass
class FakeReddit:
    """Posts newest first; fake OAuth; records what the spider sent."""

    posts: list[dict[str, Any]]
    sub: str = "tressless"
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    revoke_on: set[str] = field(default_factory=set)  # comment ids that revoke the token once
    low_ratelimit_once: bool = True
    # (time, target, User-Agent) of every authorised API request
    log: list[tuple[float, str, str]] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    JSON = {"Content-Type": "application/json; charset=UTF-8"}

    def token(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
        body = getattr(request, "body", b"")
        if request.headers.get("Authorization") != expected or \
                parse_qs(body.decode()).get("grant_type") != ["client_credentials"]:
            return 401, self.JSON, b'{"message": "Unauthorized", "error": 401}'
        with self.lock:
            self.tokens_issued += 1
            value = f"tok-{self.tokens_issued}"
            self.valid_tokens.add(value)
        return 200, self.JSON, json.dumps({"access_token": value, "token_type": "bearer",
                                           "expires_in": 86400, "scope": "*"}).encode()

    def authorised(self, request: Request) -> bool:
        auth = request.headers.get("Authorization", "")
        with self.lock:
            ok = auth.startswith("bearer ") and auth[7:] in self.valid_tokens
            if ok:
                self.log.append((time.monotonic(), request.target,
                                 request.headers.get("User-Agent", "")))
            else:
                self.refused += 1
            return ok

    def headers(self, remaining: float = 550.0, reset: int = 300) -> dict[str, str]:
        return {**self.JSON, "X-Ratelimit-Remaining": f"{remaining:.1f}",
                "X-Ratelimit-Used": str(int(600 - remaining)),
                "X-Ratelimit-Reset": str(reset)}

    def listing(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        if not self.authorised(request):
            return 401, self.JSON, b'{"message": "Unauthorized", "error": 401}'
        assert request.arg("limit") == "100" and request.arg("raw_json") == "1"
        after = request.arg("after")
        start = 0
        if after:
            names = [p["name"] for p in self.posts]
            start = names.index(after) + 1
        chunk = self.posts[start:start + PAGE_SIZE]
        more = start + PAGE_SIZE < len(self.posts)
        payload = {"kind": "Listing", "data": {
            "after": chunk[-1]["name"] if more and chunk else None, "dist": len(chunk),
            "modhash": None, "geo_filter": "", "before": None,
            "children": [{"kind": "t3", "data": p} for p in chunk]}}
        if start == 0:  # the first page also carries a child without a title
            payload["data"]["children"].append(
                {"kind": "t3", "data": {"id": "zzbad", "title": "", "created_utc": 1.0}})
        headers = self.headers()
        if self.low_ratelimit_once:
            self.low_ratelimit_once = False
            headers = self.headers(remaining=0.0, reset=1)
        return 200, headers, json.dumps(payload).encode()

    def comments(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        if not self.authorised(request):
            return 401, self.JSON, b'{"message": "Unauthorized", "error": 401}'
        assert request.arg("sort") == "top" and request.arg("raw_json") == "1"
        pid = request.path.rstrip("/").split("/")[-1]
        with self.lock:
            if pid in self.revoke_on:
                self.log.pop()  # answered 401 after all
                self.revoke_on.discard(pid)
                self.valid_tokens.clear()  # the token "expired": every holder gets 401
                return 401, self.JSON, b'{"message": "Unauthorized", "error": 401}'
        post = next(p for p in self.posts if p["id"] == pid)
        children = [comment(pid, k) for k in range(5)]
        children[0]["data"]["replies"] = {"kind": "Listing", "data": {
            "after": None, "children": [comment(pid, 9, depth=1),
                                        {"kind": "more", "data": {
                                            "count": 0, "id": "_", "name": "t1__",
                                            "parent_id": f"t1_{pid}c0", "depth": 2,
                                            "children": []}}]}}
        children.append({"kind": "more", "data": {
            "count": 40, "id": f"{pid}m", "name": f"t1_{pid}m", "parent_id": f"t3_{pid}",
            "depth": 0, "children": [f"{pid}m", f"{pid}n"]}})
        payload = [
            {"kind": "Listing", "data": {"after": None, "children": [
                {"kind": "t3", "data": post}]}},
            {"kind": "Listing", "data": {"after": None, "children": children}}]
        return 200, self.headers(), json.dumps(payload).encode()


def comment(pid: str, k: int, depth: int = 0) -> dict[str, Any]:
    cid = f"{pid}c{k}"
    return {"kind": "t1", "data": {
        "id": cid, "name": f"t1_{cid}", "link_id": f"t3_{pid}",
        "parent_id": f"t3_{pid}" if depth == 0 else f"t1_{pid}c0", "depth": depth,
        "body": f"reply {k} on {pid}: try https://doi.org/10.1000/r{k}",
        "score": [7, 30, 2, 12, 5, 0, 0, 0, 0, 21][k], "replies": "",
        "author": "[deleted]" if k == 3 else f"replier{k}",
        "created_utc": (NOW - timedelta(hours=1)).timestamp() + k, "edited": False}}


def make_post(n: int, age: timedelta, score: int) -> dict[str, Any]:
    pid = f"p{n:03d}"
    created = (NOW - age).timestamp()
    return {"id": pid, "name": f"t3_{pid}", "title": f"Post {n}: fin and min",
            "selftext": "" if n % 3 == 2 else f"Post {n} body, see [the paper]"
                                              f"(https://pubmed.ncbi.nlm.nih.gov/{n}000/)",
            "is_self": n % 3 != 2, "url": f"https://doi.org/10.1000/post{n}" if n % 3 == 2
            else f"https://www.reddit.com/r/tressless/comments/{pid}/post_{n}/",
            "permalink": f"/r/tressless/comments/{pid}/post_{n}/", "subreddit": "tressless",
            "author": f"poster{n}", "score": score, "num_comments": 6,
            "created_utc": created, "created": created, "edited": False,
            "link_flair_text": ["Research/Science", "Minoxidil", None][n % 3]}


@pytest.fixture
def fake_reddit() -> Iterator[tuple[FakeReddit, LoopbackServer]]:
    # 3 fresh posts (hours old), then 5 older than the 7-day refresh window
    posts = [make_post(n, timedelta(hours=2 + n), 10 + n) for n in range(3)] + \
        [make_post(n, timedelta(days=10 + n), 100 + n) for n in range(3, 8)]
    fake = FakeReddit(posts)
    server = LoopbackServer()
    server.route("/api/v1/access_token", fake.token)
    server.route("/api/r/tressless/new", fake.listing)
    server.route("/api/comments/", fake.comments)
    with server:
        yield fake, server


def write_config(tmp_path: Path, db_url: str, server: LoopbackServer) -> Path:
    init_database(db_url)  # as `hairlink init` does: a crawl never migrates
    config = tmp_path / "hairlink.toml"
    config.write_text(
        f'contact = "u/hairlink_test"\n[database]\nurl = "{db_url}"\n\n'
        f'[[sources]]\nname = "tl"\nkind = "reddit"\nsubreddits = ["tressless"]\n'
        f'base_url = "{server.base_url}/api"\nauth_url = "{server.base_url}/api/v1/'
        f'access_token"\nreplies = 3\ndelay = 0\nconcurrency = 4\n', encoding="utf-8")
    return config


def run_crawl(config: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    """The `tl` source crawled in process (`tests.scrapers.inprocess`)."""
    return inprocess.run_crawl(
        config, "tl", fast=False,
        env={"HAIRLINK_REDDIT_CLIENT_ID": CLIENT_ID,
             "HAIRLINK_REDDIT_CLIENT_SECRET": SECRET} if env is None else env,
        args=("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "HAIRLINK_BACKOFF_BASE=0",
              "-s", "HAIRLINK_STORE_FLUSH_SECONDS=0", *extra))


def last_run_line(result: Result) -> dict[str, Any]:
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1])


def test_crawl_incremental_ratelimit_and_reauth(
        db_url: str, tmp_path: Path, fake_reddit: tuple[FakeReddit, LoopbackServer]) -> None:
    fake, server = fake_reddit
    fake.revoke_on.add("p001")
    # injected faults: each thread must still be stored exactly once, with its replies
    server.fault("429", times=2, pattern=r"^/api/comments/p003", retry_after=1)
    server.fault("503", times=1, pattern=r"after=t3_p002", retry_after=1)
    server.fault("truncate", times=1, pattern=r"^/api/comments/p004")
    # p006's comments never load: the thread is still stored, as the listing showed it
    server.fault("reset", times=50, pattern=r"^/api/comments/p006")
    config = write_config(tmp_path, db_url, server)

    first = run_crawl(config)
    assert first.returncode == 0, first.stderr[-3000:]
    summary = last_run_line(first)
    assert summary["status"] == "finished"
    assert summary["dropped"].get("missing_title") == 1
    assert fake.tokens_issued == 2  # the 401 on p001 fetched a second token
    listing_pages = [t for _, t, _ in fake.log if t.startswith("/api/r/")]
    assert listing_pages == ["/api/r/tressless/new?limit=100&raw_json=1",
                             "/api/r/tressless/new?limit=100&raw_json=1&after=t3_p002",
                             "/api/r/tressless/new?limit=100&raw_json=1&after=t3_p005"]
    # X-Ratelimit-Remaining 0 with Reset 1 on the first page: the next API call waited
    first_page_at = fake.log[0][0]
    assert min(at for at, _, _ in fake.log[1:]) >= first_page_at + 0.8
    agents = {ua for _, _, ua in fake.log}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("python:hairlink:") and agent.endswith("(by /u/hairlink_test)")

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            threads = {t.external_id: t for t in session.scalars(select(Thread))}
            assert set(threads) == {f"p{n:03d}" for n in range(8)}
            p0 = threads["p000"]
            assert p0.title == "Post 0: fin and min"
            assert p0.category == "Research/Science" and p0.score == 10
            assert p0.num_comments == 6
            assert p0.url == "https://www.reddit.com/r/tressless/comments/p000/post_0/"
            assert "the paper (https://pubmed.ncbi.nlm.nih.gov/0000/)" in p0.body
            assert abs(p0.created_at - (NOW - timedelta(hours=2))) < timedelta(seconds=2)
            assert p0.author_hash and len(p0.author_hash) == 64  # hashed, not the name
            assert threads["p002"].body == "https://doi.org/10.1000/post2"
            assert threads["p006"].score == 106
            assert session.scalar(select(func.count()).select_from(Reply)
                                  .where(Reply.thread_id == threads["p006"].id)) == 0
            assert threads["p002"].category is None
            for pid in ("p000", "p001", "p003", "p004", "p007"):
                replies = session.scalars(select(Reply).join(Thread)
                                          .where(Thread.external_id == pid)
                                          .order_by(Reply.position)).all()
                # top 3 by score across the tree: c1 (30), nested c9 (21), c3 (12)
                assert [(r.external_id, r.score) for r in replies] == [
                    (f"{pid}c1", 30), (f"{pid}c9", 21), (f"{pid}c3", 12)]
                assert replies[2].author_hash is None  # [deleted]
                assert replies[0].body.endswith("https://doi.org/10.1000/r1")
            snapshots_before = session.scalar(select(func.count()).select_from(ScoreSnapshot))
            assert snapshots_before == 8

        server.clear_faults()
        # A fresh post's score changes; the re-crawl refreshes it and stops at page 2 (all
        # its posts are stored and older than the refresh window).
        fake.posts[0]["score"] = 77
        fake.log.clear()
        second = run_crawl(config)
        assert second.returncode == 0, second.stderr[-3000:]
        pages = [t for _, t, _ in fake.log if t.startswith("/api/r/")]
        assert pages == ["/api/r/tressless/new?limit=100&raw_json=1",
                         "/api/r/tressless/new?limit=100&raw_json=1&after=t3_p002"]
        refreshed = sorted(t.split("?")[0] for _, t, _ in fake.log
                           if t.startswith("/api/comments/"))
        assert refreshed == ["/api/comments/p000", "/api/comments/p001",
                             "/api/comments/p002"]
        with Session(engine) as session:
            assert session.scalar(select(Thread.score).where(Thread.external_id == "p000")) \
                == 77
            assert session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 9
            assert session.scalar(select(func.count()).select_from(Thread)) == 8

        # --full walks to the end of the listing again
        fake.log.clear()
        full = run_crawl(config, "--full")
        assert full.returncode == 0, full.stderr[-3000:]
        assert len([t for _, t, _ in fake.log if t.startswith("/api/r/")]) == 3
        with Session(engine) as session:
            runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
            assert [r.status for r in runs] == ["finished"] * 3
            assert session.scalar(select(func.count()).select_from(Thread)) == 8
    finally:
        engine.dispose()


def test_missing_credentials_fail_clearly(tmp_path: Path,
                                          fake_reddit: tuple[FakeReddit, LoopbackServer]
                                          ) -> None:
    _fake, server = fake_reddit
    db_url = f"sqlite:///{tmp_path / 'creds.db'}"
    config = write_config(tmp_path, db_url, server)
    result = run_crawl(config, env={"HAIRLINK_REDDIT_CLIENT_ID": "only-the-id"})
    assert result.returncode == 1
    summary = last_run_line(result)
    assert summary["status"] == "failed"
    assert "HAIRLINK_REDDIT_CLIENT_SECRET" in summary["message"]
    assert "HAIRLINK_REDDIT_CLIENT_SECRET" in result.stderr
    assert server.requests == []  # nothing was sent anywhere
    none = run_crawl(config, env={})
    assert none.returncode == 1
    message = last_run_line(none)["message"]
    assert "HAIRLINK_REDDIT_CLIENT_ID" in message and "HAIRLINK_REDDIT_CLIENT_SECRET" in message
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            runs = session.scalars(select(CrawlRun)).all()
            assert [r.status for r in runs] == ["failed", "failed"]
            assert all("HAIRLINK_REDDIT_CLIENT_SECRET" in (r.message or "") for r in runs)
    finally:
        engine.dispose()


def test_bad_credentials_fail_the_run(tmp_path: Path,
                                      fake_reddit: tuple[FakeReddit, LoopbackServer]
                                      ) -> None:
    fake, server = fake_reddit
    db_url = f"sqlite:///{tmp_path / 'creds.db'}"
    config = write_config(tmp_path, db_url, server)
    result = run_crawl(config, env={"HAIRLINK_REDDIT_CLIENT_ID": CLIENT_ID,
                                    "HAIRLINK_REDDIT_CLIENT_SECRET": "wrong"})
    assert result.returncode == 1
    summary = last_run_line(result)
    assert summary["status"] == "failed" and "reddit_auth_failed" in summary["message"]
    assert fake.tokens_issued == 0 and fake.log == []
