"""Reddit OAuth pieces: credentials from the environment, User-Agent, token, rate limit."""

from __future__ import annotations

import base64

import pytest

from scrapers.reddit_auth import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    Credentials,
    MissingCredentials,
    RateLimit,
    Token,
    TokenError,
    reddit_user_agent,
)


def test_credentials_from_env_and_basic_auth() -> None:
    creds = Credentials.from_env({CLIENT_ID_ENV: " abc ", CLIENT_SECRET_ENV: "s3cr3t"})
    assert creds == Credentials("abc", "s3cr3t")
    assert creds.basic_auth() == "Basic " + base64.b64encode(b"abc:s3cr3t").decode()


def test_missing_credentials_name_the_variables() -> None:
    with pytest.raises(MissingCredentials) as exc:
        Credentials.from_env({CLIENT_ID_ENV: "abc", CLIENT_SECRET_ENV: "  "})
    assert exc.value.missing == [CLIENT_SECRET_ENV]
    assert f"set {CLIENT_SECRET_ENV} (" in str(exc.value)
    with pytest.raises(MissingCredentials) as both:
        Credentials.from_env({})
    assert f"set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}" in str(both.value)


def test_user_agent_in_reddit_form() -> None:
    assert reddit_user_agent("0.1.0", "u/hair_admin") == "python:hairlink:0.1.0 (by /u/hair_admin)"
    assert reddit_user_agent("0.1.0", "/u/hair_admin").endswith("(by /u/hair_admin)")
    assert reddit_user_agent("0.1.0", "ops@example.org") == \
        "python:hairlink:0.1.0 (by ops@example.org)"
    assert reddit_user_agent("0.1.0", None).startswith("python:hairlink:0.1.0 (by ")
    assert reddit_user_agent("0.1.0", "u/x_y_z", "custom:app:1 (by /u/me)") == \
        "custom:app:1 (by /u/me)"


def test_token_lifetime_and_errors() -> None:
    token = Token()
    assert not token.valid(now=0)
    token.update(b'{"access_token": "t1", "token_type": "bearer", "expires_in": 3600}', now=100)
    assert token.value == "t1" and token.valid(now=100 + 3500)
    assert not token.valid(now=100 + 3541)  # renewed a minute early
    token.invalidate()
    assert not token.valid(now=101)
    with pytest.raises(TokenError, match="no access_token"):
        token.update(b'{"error": "invalid_grant"}')
    with pytest.raises(TokenError, match="non-JSON"):
        token.update(b"<html>")


def test_ratelimit_waits_only_when_nearly_used() -> None:
    limit = RateLimit()
    assert limit.wait_seconds(now=0) == 0
    limit.observe({"X-Ratelimit-Remaining": b"100.0", "X-Ratelimit-Reset": b"40"}, now=0)
    assert limit.wait_seconds(now=1) == 0
    limit.observe({"X-Ratelimit-Remaining": "3.0", "X-Ratelimit-Reset": "40"}, now=10)
    # until the reset (at 50) plus the safety margin
    assert limit.wait_seconds(now=20) == pytest.approx(30 + limit.margin)
    assert limit.wait_seconds(now=51) == pytest.approx(limit.margin - 1)
    assert limit.wait_seconds(now=60) == 0  # the window has passed
    limit.observe({}, now=70)  # no headers: nothing changes
    assert limit.remaining == 3.0
    limit.observe({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "99999"}, now=0)
    assert limit.wait_seconds(now=0) == 900 + limit.margin  # capped
