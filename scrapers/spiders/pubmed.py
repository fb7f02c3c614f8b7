"""PubMed spider: E-utilities esearch (history server), then efetch XML in pages of 200.

A `[[sources]]` entry with `kind = "pubmed"`, `term`, optional `mindate`/`maxdate`
(publication dates, `YYYY`, `YYYY/MM` or `YYYY/MM/DD`) and `retmax` (most articles to fetch,
default 10000: PubMed's own ceiling for paging a search). NCBI's rules are kept: at most
3 requests a second (10 with `HAIRLINK_NCBI_API_KEY`, sent as `api_key`), one at a time,
`tool=hairlink` and `email=<config contact>` on every request. robots.txt is not consulted:
E-utilities is an API whose usage policy is exactly those rules.

Incremental by default: once the source has a finished crawl, the search is narrowed to
entries added to PubMed (`[EDAT]`) since three days before that crawl started; `full=1`
(`python -m scrapers.run --full`) searches everything again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import CrawlRun
from scrapers.base import HairlinkSpider
from scrapers.credentials import NCBI_API_KEY_ENV, CredentialError, read_credential
from scrapers.database import crawl_database
from scrapers.items import StudyItem
from scrapers.parsers import pubmed
from scrapers.pipelines.validate import count_drop

ESEARCH_PATH = "/entrez/eutils/esearch.fcgi"
EFETCH_PATH = "/entrez/eutils/efetch.fcgi"
EFETCH_BATCH = 200
DEFAULT_RETMAX = 10_000
API_KEY_ENV = NCBI_API_KEY_ENV
DELAY_WITHOUT_KEY = 0.34  # 3 requests/s
DELAY_WITH_KEY = 0.1  # 10 requests/s
INCREMENTAL_OVERLAP = timedelta(days=3)


def drop_reason(reason: str) -> str:
    """`no PMID` -> `article_no_pmid` (a crawl-run `dropped` key)."""
    return "article_" + "".join(c if c.isalnum() else "_" for c in reason.lower()).strip("_")


class PubmedSpider(HairlinkSpider):
    """Study records of a PubMed search (`kind = "pubmed"`)."""

    name = "pubmed"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": DELAY_WITHOUT_KEY,
        "DOWNLOAD_DELAY_JITTER": 0,  # a +-50 % jitter would break the rate limit
        "AUTOTHROTTLE_ENABLED": False,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        src = self.source_config
        self.term: str = src.get("term")
        self.mindate: str | None = src.get("mindate")
        self.maxdate: str | None = src.get("maxdate")
        self.retmax = int(src.get("retmax") or DEFAULT_RETMAX)
        # A malformed key closes the spider at start, before any request (the crawl-run
        # row is marked failed with the message; the key itself is never shown).
        self.api_key: str | None = None
        try:
            self.api_key = read_credential(API_KEY_ENV)
        except CredentialError as exc:
            self.credentials_error = f"bad_credentials: {exc}"
        self.email = self.hairlink_config.contact

    def apply_source_settings(self, settings: Any) -> None:
        """The base's per-source settings, then NCBI's rate limit as a floor on the delay."""
        super().apply_source_settings(settings)
        if getattr(settings, "frozen", False):
            return
        # (the key read in __init__; a malformed one leaves it None, and the spider will
        # not start)
        floor = DELAY_WITH_KEY if self.api_key is not None else DELAY_WITHOUT_KEY
        delay = self.source_config.get("delay")
        settings.set("DOWNLOAD_DELAY", max(float(delay), floor) if delay is not None else floor,
                     priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="spider")

    def common_params(self) -> dict[str, str]:
        """`tool`, `email` and `api_key` (when set), sent with every request."""
        params = {"tool": "hairlink"}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def added_since(self) -> date | None:
        """The EDAT lower bound of an incremental crawl (None: search everything)."""
        if self.full:
            return None
        with Session(crawl_database(self.crawler).engine) as session:
            last = session.scalar(select(func.max(CrawlRun.started_at)).where(
                CrawlRun.source_name == self.source_name, CrawlRun.status == "finished"))
        return (last - INCREMENTAL_OVERLAP).date() if last else None

    def search_term(self, since: date | None = None) -> str:
        """The configured term, narrowed to entries added since `since` when given."""
        if since is None:
            return self.term
        return f'({self.term}) AND ("{since:%Y/%m/%d}"[EDAT] : "3000"[EDAT])'

    def esearch_url(self, since: date | None = None) -> str:
        params: dict[str, str] = {"db": "pubmed", "term": self.search_term(since),
                                  "usehistory": "y", "retmax": "0"}
        if self.mindate or self.maxdate:
            params["datetype"] = "pdat"
            params["mindate"] = self.mindate or "1800"
            params["maxdate"] = self.maxdate or "3000"
        params.update(self.common_params())
        return f"{self.base_url}{ESEARCH_PATH}?{urlencode(params)}"

    def efetch_url(self, query_key: str, webenv: str, retstart: int, retmax: int) -> str:
        params = {"db": "pubmed", "query_key": query_key, "WebEnv": webenv,
                  "retstart": str(retstart), "retmax": str(retmax), "retmode": "xml"}
        params.update(self.common_params())
        return f"{self.base_url}{EFETCH_PATH}?{urlencode(params)}"

    async def start(self) -> Any:
        if self.credentials_error is not None:
            raise self.credentials_failure()
        since = self.added_since()
        if since is not None:
            self.logger.info("incremental search: entries added since %s", since)
        yield scrapy.Request(self.esearch_url(since), callback=self.parse_search,
                             dont_filter=True)

    def parse_search(self, response: Response) -> Any:
        result = self.parse_or_drop(response, lambda r: pubmed.parse_esearch(r.body), "esearch")
        if result is None:
            return
        for error in result.errors:
            self.logger.warning("esearch %r: %s", self.term, error)
        if result.count == 0:
            self.logger.info("esearch %r: no articles", self.term)
            return
        if not result.query_key or not result.webenv:
            self.drop_page(response, "esearch_without_history")
            return
        total = min(result.count, self.retmax)
        self.crawler.stats.set_value("hairlink/pubmed/count", result.count)
        for retstart in range(0, total, EFETCH_BATCH):
            size = min(EFETCH_BATCH, total - retstart)
            yield scrapy.Request(self.efetch_url(result.query_key, result.webenv, retstart, size),
                                 callback=self.parse_fetch, cb_kwargs={"expected": size},
                                 dont_filter=True)

    def parse_fetch(self, response: Response, expected: int = 0) -> Any:
        stats = self.crawler.stats

        def on_drop(reason: str, line: int | None) -> None:
            label = "xml syntax error" if reason.startswith("xml syntax error") else reason
            count_drop(stats, drop_reason(label))
            self.logger.warning("dropped an article of %s (%s, line %s)", response.url,
                                reason, line)

        seen = 0
        for record in pubmed.iter_articles(response.body, on_drop=on_drop):
            seen += 1
            yield StudyItem(source=self.source_name, **record)
        if seen == 0 and expected:
            self.drop_page(response, "empty_efetch")
