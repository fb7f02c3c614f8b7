"""Credentials read one way (`scrapers.credentials`) for PubMed, Semantic Scholar and
Reddit: trimmed, blank is absent, a key broken inside stops the crawl before any request
with a message naming the variable and never the key."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from scrapers.credentials import (
    NCBI_API_KEY_ENV,
    REDDIT_CLIENT_ID_ENV,
    REDDIT_CLIENT_SECRET_ENV,
    S2_API_KEY_ENV,
    CredentialError,
    check_credentials,
    read_credential,
)
from scrapers.loopback import LoopbackServer
from scrapers.spiders.pubmed import PubmedSpider
from scrapers.spiders.reddit import RedditSpider
from tests.conftest import init_database
from tests.scrapers import inprocess

SECRET = "s3cr3t-KEY"
BROKEN = "half\nof-the-key"


def test_read_credential_trims_blank_is_absent_and_never_shows_a_broken_key() -> None:
    assert read_credential("K", {"K": "abc\r\n"}) == "abc"
    assert read_credential("K", {"K": " \t\n"}) is None
    assert read_credential("K", {}) is None
    for bad in (BROKEN, "half key", "tab\tkey", "nul\x00key", "caf\u00e9"):
        with pytest.raises(CredentialError) as exc:
            read_credential("K", {"K": bad})
        assert str(exc.value) == "K holds spaces, control or non-ASCII characters: check the key"
        assert bad.strip() not in str(exc.value) and "\n" not in str(exc.value)


def test_check_credentials_reads_those_of_the_kinds_crawled() -> None:
    env = {NCBI_API_KEY_ENV: BROKEN, REDDIT_CLIENT_SECRET_ENV: "ok"}
    check_credentials(["reddit", "phpbb"], env)  # the PubMed key is not read for these
    with pytest.raises(CredentialError, match=NCBI_API_KEY_ENV):
        check_credentials(["reddit", "pubmed"], env)
    with pytest.raises(CredentialError, match=REDDIT_CLIENT_ID_ENV):
        check_credentials(["reddit"], {REDDIT_CLIENT_ID_ENV: "an id"})


# -- PubMed -----------------------------------------------------------------------------
def _pubmed(tmp_path: Path, base_url: str = "http://127.0.0.1:9") -> Path:
    db_url = f"sqlite:///{tmp_path / 'h.db'}"
    init_database(db_url)
    config = tmp_path / "h.toml"
    config.write_text(
        f'contact = "me@example.org"\n[database]\nurl = "{db_url}"\n'
        f'[[sources]]\nname = "pm"\nkind = "pubmed"\nterm = "x"\n'
        f'base_url = "{base_url}"\n'
    )
    return config


def _pubmed_spider(config: Path) -> PubmedSpider:
    crawler = inprocess.hairlink_crawler(PubmedSpider)
    spider = PubmedSpider.from_crawler(crawler, source="pm", config=str(config))
    assert isinstance(spider, PubmedSpider)
    return spider


def _delay(spider: PubmedSpider) -> float:
    settings = Settings()
    spider.apply_source_settings(settings)
    return settings.getfloat("DOWNLOAD_DELAY")


def test_pubmed_key_with_a_line_end_is_sent_trimmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NCBI_API_KEY_ENV, SECRET + "\n")
    spider = _pubmed_spider(_pubmed(tmp_path))
    assert spider.common_params() == {
        "tool": "hairlink",
        "email": "me@example.org",
        "api_key": SECRET,
    }
    assert spider.esearch_url().endswith(f"&api_key={SECRET}")
    assert spider.efetch_url("1", "W", 0, 10).endswith(f"&api_key={SECRET}")
    assert _delay(spider) == pytest.approx(0.1)


def test_pubmed_blank_key_is_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NCBI_API_KEY_ENV, " \n")
    spider = _pubmed_spider(_pubmed(tmp_path))
    assert spider.api_key is None and "api_key" not in spider.esearch_url()
    assert _delay(spider) == pytest.approx(0.34)  # NCBI's keyless rate


def test_pubmed_broken_key_fails_the_run_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(NCBI_API_KEY_ENV, raising=False)
    with LoopbackServer() as server:
        config = _pubmed(tmp_path, server.base_url)
        result = inprocess.run_crawl(config, "pm", env={NCBI_API_KEY_ENV: BROKEN})
        assert server.requests == []
    summary = _last_line(result)
    assert result.returncode == 1 and summary["status"] == "failed"
    assert summary["message"] == (
        f"the spider closed: bad_credentials: {NCBI_API_KEY_ENV} "
        "holds spaces, control or non-ASCII characters: check the key"
    )
    _no_secret(result, BROKEN)


# -- Reddit -----------------------------------------------------------------------------
def _reddit(tmp_path: Path, base_url: str = "http://127.0.0.1:9") -> Path:
    db_url = f"sqlite:///{tmp_path / 'h.db'}"
    init_database(db_url)
    config = tmp_path / "h.toml"
    config.write_text(
        f'contact = "u/hairlink_test"\n[database]\nurl = "{db_url}"\n'
        f'[[sources]]\nname = "r"\nkind = "reddit"\nsubreddits = ["tressless"]\n'
        f'base_url = "{base_url}/api"\n'
        f'auth_url = "{base_url}/api/v1/access_token"\n'
    )
    return config


def test_reddit_credentials_with_line_ends_are_sent_trimmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REDDIT_CLIENT_ID_ENV, "the-id\n")
    monkeypatch.setenv(REDDIT_CLIENT_SECRET_ENV, SECRET + "\r\n")
    crawler = inprocess.hairlink_crawler(RedditSpider)
    spider = RedditSpider.from_crawler(crawler, source="r", config=str(_reddit(tmp_path)))
    assert isinstance(spider, RedditSpider)
    expected = "Basic " + base64.b64encode(f"the-id:{SECRET}".encode()).decode()
    assert spider.token_request().headers["Authorization"] == expected.encode()


def test_reddit_blank_secret_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REDDIT_CLIENT_ID_ENV, "the-id")
    monkeypatch.setenv(REDDIT_CLIENT_SECRET_ENV, "\n")
    spider = RedditSpider(source="r", config=str(_reddit(tmp_path)))
    assert spider.credentials is None and spider.credentials_error is not None
    assert spider.credentials_error.startswith("missing_credentials: ")


def test_reddit_broken_secret_fails_the_run_before_any_request(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        config = _reddit(tmp_path, server.base_url)
        result = inprocess.run_crawl(
            config, "r", env={REDDIT_CLIENT_ID_ENV: "the-id", REDDIT_CLIENT_SECRET_ENV: BROKEN}
        )
        assert server.requests == []  # no token request carried the broken secret
    summary = _last_line(result)
    assert result.returncode == 1 and summary["status"] == "failed"
    assert summary["message"] == (
        f"the spider closed: bad_credentials: "
        f"{REDDIT_CLIENT_SECRET_ENV} holds spaces, control or "
        "non-ASCII characters: check the key"
    )
    _no_secret(result, BROKEN)


# -- Semantic Scholar -------------------------------------------------------------------
def test_s2_key_trimmed_and_blank_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapers.enrich.settings import EnrichSettings

    monkeypatch.setenv(S2_API_KEY_ENV, SECRET + "\n")
    assert EnrichSettings.from_env().s2_api_key == SECRET
    monkeypatch.setenv(S2_API_KEY_ENV, "\r\n")
    assert EnrichSettings.from_env().s2_api_key is None
    monkeypatch.setenv(S2_API_KEY_ENV, BROKEN)
    with pytest.raises(CredentialError, match=S2_API_KEY_ENV) as exc:
        EnrichSettings.from_env()
    assert "half" not in str(exc.value)


def _last_line(result: inprocess.Result) -> dict[str, Any]:
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1])


def _no_secret(result: inprocess.Result, secret: str) -> None:
    for part in secret.split("\n"):
        assert part not in result.stdout and part not in result.stderr
