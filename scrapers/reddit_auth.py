"""Reddit API access: OAuth client credentials, the required User-Agent, rate-limit headers.

Reddit refuses anonymous `.json` requests; hairlink uses an app's client credentials
(`HAIRLINK_REDDIT_CLIENT_ID`, `HAIRLINK_REDDIT_CLIENT_SECRET`): a token from `auth_url`
(POST `grant_type=client_credentials`, HTTP basic auth), then `Authorization: bearer <token>`
on every API request to `base_url` (default https://oauth.reddit.com).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from w3lib.http import basic_auth_header

from scrapers.credentials import REDDIT_CLIENT_ID_ENV, REDDIT_CLIENT_SECRET_ENV, read_credential

CLIENT_ID_ENV = REDDIT_CLIENT_ID_ENV
CLIENT_SECRET_ENV = REDDIT_CLIENT_SECRET_ENV
DEFAULT_AUTH_URL = "https://www.reddit.com/api/v1/access_token"
# Refresh this long before the token's stated expiry.
EXPIRY_MARGIN_SECONDS = 60.0
# Below this many requests left in the window, wait for the window's reset.
RATELIMIT_LOW = 5.0
RATELIMIT_MAX_WAIT = 900.0
# Wait this long past the announced reset: the server's clock and ours differ a little.
RESET_MARGIN_SECONDS = 2.0


class MissingCredentials(RuntimeError):
    """No Reddit app credentials in the environment: says exactly what to set."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"Reddit needs OAuth app credentials; set {' and '.join(missing)} "
            f"(create a 'script' app at https://www.reddit.com/prefs/apps, then "
            f"export {CLIENT_ID_ENV}=<client id> {CLIENT_SECRET_ENV}=<secret>). "
            "Anonymous .json requests are refused by Reddit.")


class TokenError(RuntimeError):
    """The token endpoint did not give a usable token."""


@dataclass(frozen=True)
class Credentials:
    """A Reddit app's client id and secret."""

    client_id: str
    client_secret: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        """Read them from the environment (`scrapers.credentials.read_credential`);
        MissingCredentials names what is missing, CredentialError what is malformed."""
        client_id = read_credential(CLIENT_ID_ENV, env) or ""
        secret = read_credential(CLIENT_SECRET_ENV, env) or ""
        missing = [name for name, value in ((CLIENT_ID_ENV, client_id),
                                            (CLIENT_SECRET_ENV, secret)) if not value]
        if missing:
            raise MissingCredentials(missing)
        return cls(client_id, secret)

    def basic_auth(self) -> str:
        """The `Authorization` header value for the token request."""
        header = basic_auth_header(self.client_id, self.client_secret, encoding="utf-8")
        return header.decode("ascii")


def reddit_user_agent(version: str, contact: str | None, override: str | None = None) -> str:
    """Reddit's required form `<platform>:<app ID>:<version> (by /u/<username>)`.

    A source's `user_agent` is used as given; else `python:hairlink:<version> (by <who>)`
    where <who> is `/u/<name>` when `contact` names a Reddit user (`u/name`, `/u/name`),
    else the contact (an email or URL) itself.
    """
    if override and override.strip():
        return override.strip()
    who = (contact or "").strip() or "hairlink contact unset"
    match = re.fullmatch(r"/?u/([A-Za-z0-9_-]{3,20})", who)
    if match:
        who = f"/u/{match.group(1)}"
    return f"python:hairlink:{version} (by {who})"


class Token:
    """The current bearer token and when it must be renewed (monotonic clock)."""

    def __init__(self) -> None:
        self.value: str | None = None
        self.expires_at = 0.0

    def valid(self, now: float | None = None) -> bool:
        """A token that is not (nearly) expired."""
        now = time.monotonic() if now is None else now
        return self.value is not None and now < self.expires_at

    def invalidate(self) -> None:
        """Forget the token (after a 401)."""
        self.value = None
        self.expires_at = 0.0

    def update(self, body: bytes | str, now: float | None = None) -> None:
        """Take the token endpoint's JSON answer; TokenError when it has no token."""
        try:
            data: Any = json.loads(body)
        except ValueError as exc:
            raise TokenError(f"token endpoint answered non-JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) \
                or not data["access_token"]:
            error = data.get("error") if isinstance(data, dict) else None
            raise TokenError(f"token endpoint gave no access_token (error: {error!r}); "
                             "check the client id and secret")
        try:
            lifetime = float(data.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        now = time.monotonic() if now is None else now
        self.value = data["access_token"]
        self.expires_at = now + max(lifetime - EXPIRY_MARGIN_SECONDS, lifetime / 2, 1.0)


@dataclass
class RateLimit:
    """Reddit's `X-Ratelimit-Remaining` / `X-Ratelimit-Reset` as last seen (wall clock:
    processes share it through `scrapers.reddit_gate`)."""

    remaining: float | None = None
    reset_at: float = 0.0
    low: float = RATELIMIT_LOW
    margin: float = RESET_MARGIN_SECONDS

    def observe(self, headers: Mapping[str, Any], now: float | None = None) -> None:
        """Read the headers of an API response (absent headers change nothing)."""
        remaining, reset = _header(headers, "X-Ratelimit-Remaining"), \
            _header(headers, "X-Ratelimit-Reset")
        if remaining is None:
            return
        now = time.time() if now is None else now
        self.remaining = remaining
        self.reset_at = now + min(max(reset or 0.0, 0.0), RATELIMIT_MAX_WAIT)

    def wait_seconds(self, now: float | None = None) -> float:
        """How long to pause before the next request: 0 unless the window is nearly used,
        else until its reset plus the safety margin."""
        if self.remaining is None or self.remaining > self.low:
            return 0.0
        now = time.time() if now is None else now
        return min(max(0.0, self.reset_at + self.margin - now),
                   RATELIMIT_MAX_WAIT + self.margin)

    def spend(self) -> None:
        """Count a request about to be sent."""
        if self.remaining is not None:
            self.remaining -= 1


def _header(headers: Mapping[str, Any], name: str) -> float | None:
    value = headers.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
