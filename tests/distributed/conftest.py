"""Fixtures for the distributed-crawl tests: a real Redis (a dedicated DB number, a unique
key prefix per test, only this test's keys removed) and a fresh PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import text

from models.db import make_engine
from models.migrate import upgrade

REDIS_ENV = "HAIRLINK_TEST_REDIS_URL"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis URL; the test is skipped when nothing answers there."""
    url = os.environ.get(REDIS_ENV, DEFAULT_REDIS_URL)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {url} ({exc}); .ci/run starts one")
    finally:
        client.close()
    return url


@pytest.fixture
def prefix(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A key prefix of this test only (exported for subprocesses); its keys go at the end."""
    value = f"hltest{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("HAIRLINK_REDIS_PREFIX", value)
    yield value
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{value}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def rclient(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def pg_url(postgres_server_url: str) -> str:
    """This session's PostgreSQL database, emptied and migrated to the head revision."""
    engine = make_engine(postgres_server_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return postgres_server_url


@pytest.fixture(autouse=True)
def _no_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAIRLINK_DATABASE_URL", raising=False)
    monkeypatch.delenv("HAIRLINK_REDIS_URL", raising=False)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
