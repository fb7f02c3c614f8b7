"""The demo's generated config and its environment (fast)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from hairlink.demo import DEMO_REDDIT_ENV, SOURCE_NAMES, config_text, demo_environment
from models.config import parse_config
from scrapers.samples.server import SampleServer


def test_config_points_every_source_at_the_loopback_server(tmp_path: Path) -> None:
    with SampleServer() as server:
        text = config_text(tmp_path, server.base_urls)
        root = server.root
    config = parse_config(tomllib.loads(text), tmp_path / "hairlink.toml")
    assert config.database_url == f"sqlite:///{(tmp_path / 'hairlink.db').resolve().as_posix()}"
    assert {s.name for s in config.sources} == set(SOURCE_NAMES.values())
    for source in config.sources:
        assert source.base_url.startswith(root + "/"), source.name
        assert source.get("delay") == 0
        assert source.get("concurrency") == (None if source.kind == "pubmed" else 8)
    reddit = config.source(SOURCE_NAMES["reddit"])
    assert reddit.get("auth_url") == f"{root}/reddit-www/api/v1/access_token"


def test_demo_environment_sets_dummy_credentials_and_restores(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", "postgresql://elsewhere/db")
    monkeypatch.setenv("HAIRLINK_REDDIT_CLIENT_ID", "real-id")
    monkeypatch.delenv("HAIRLINK_REDDIT_CLIENT_SECRET", raising=False)
    with demo_environment():
        assert "HAIRLINK_DATABASE_URL" not in os.environ
        for key, value in DEMO_REDDIT_ENV.items():
            assert os.environ[key] == value
    assert os.environ["HAIRLINK_DATABASE_URL"] == "postgresql://elsewhere/db"
    assert os.environ["HAIRLINK_REDDIT_CLIENT_ID"] == "real-id"
    assert "HAIRLINK_REDDIT_CLIENT_SECRET" not in os.environ
