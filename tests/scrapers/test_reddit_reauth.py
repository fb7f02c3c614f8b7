"""A 401 for a call sent with an older token keeps the fresh token (no extra token fetch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from scrapers.spiders.reddit import RedditSpider


@pytest.fixture
def spider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RedditSpider:
    monkeypatch.setenv("HAIRLINK_REDDIT_CLIENT_ID", "id")
    monkeypatch.setenv("HAIRLINK_REDDIT_CLIENT_SECRET", "secret")
    config = tmp_path / "h.toml"
    config.write_text('[[sources]]\nname = "r"\nkind = "reddit"\n'
                      'base_url = "http://127.0.0.1:9"\nsubreddits = ["tressless"]\n')
    return RedditSpider(source="r", config=str(config))


def unauthorized_response(token: str) -> TextResponse:
    request = Request("http://127.0.0.1:9/r/tressless/new?limit=100",
                      headers={"Authorization": f"bearer {token}"})
    return TextResponse(request.url, status=401, body=b"{}", request=request)


def test_stale_401_keeps_the_fresh_token(spider: RedditSpider) -> None:
    spider.token.update(json.dumps({"access_token": "fresh", "expires_in": 3600}))
    retries = spider.unauthorized(unauthorized_response("old"))
    assert spider.token.valid()
    assert [r.headers.get("Authorization") for r in retries] == [b"bearer fresh"]


def test_401_for_the_current_token_fetches_a_new_one(spider: RedditSpider) -> None:
    spider.token.update(json.dumps({"access_token": "current", "expires_in": 3600}))
    requests = spider.unauthorized(unauthorized_response("current"))
    assert not spider.token.valid()
    assert [r.url for r in requests] == [spider.auth_url]  # the token request; the call waits
    assert len(spider.waiting) == 1
