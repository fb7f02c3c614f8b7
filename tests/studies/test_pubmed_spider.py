"""PubmedSpider callbacks on saved responses (no network, no reactor)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import Request
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from scrapers.items import StudyItem
from scrapers.pipelines.validate import DROPPED_PREFIX
from scrapers.spiders.pubmed import PubmedSpider
from tests.conftest import realdata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studies"


@pytest.fixture
def spider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PubmedSpider:
    monkeypatch.delenv("HAIRLINK_NCBI_API_KEY", raising=False)
    cfg = tmp_path / "h.toml"
    cfg.write_text(f'contact = "t@example.org"\n[database]\nurl = "sqlite:///{tmp_path}/x.db"\n'
                   '[[sources]]\nname = "pm"\nkind = "pubmed"\nbase_url = "http://127.0.0.1:9"\n'
                   'term = "alopecia"\nretmax = 450\n')
    crawler = get_crawler(PubmedSpider)
    spider = PubmedSpider.from_crawler(crawler, source="pm", config=str(cfg))
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def respond(body: bytes, url: str = "http://127.0.0.1:9/x") -> XmlResponse:
    return XmlResponse(url=url, body=body, request=Request(url))


def drops(spider: PubmedSpider) -> dict[str, int]:
    stats = spider.crawler.stats.get_stats()
    return {k[len(DROPPED_PREFIX):]: v for k, v in stats.items() if k.startswith(DROPPED_PREFIX)}


def test_search_pages_efetch_up_to_retmax(spider: PubmedSpider) -> None:
    body = (b"<eSearchResult><Count>1000</Count><RetMax>0</RetMax><RetStart>0</RetStart>"
            b"<QueryKey>3</QueryKey><WebEnv>ENV_X</WebEnv><IdList/></eSearchResult>")
    requests = list(spider.parse_search(respond(body)))
    pages = [parse_qs(urlsplit(r.url).query) for r in requests]
    assert [(p["retstart"][0], p["retmax"][0]) for p in pages] == [("0", "200"), ("200", "200"),
                                                                   ("400", "50")]
    assert {(p["query_key"][0], p["WebEnv"][0], p["tool"][0], p["email"][0]) for p in pages} == {
        ("3", "ENV_X", "hairlink", "t@example.org")}


def test_real_history_search_is_paged_in_200s(spider: PubmedSpider) -> None:
    spider.retmax = 10_000
    body = realdata("pubmed", "esearch_usehistory_webenv_esearch2.xml").read_bytes()
    requests = list(spider.parse_search(respond(body)))
    assert len(requests) == 50  # min(42249, 10000) / 200
    assert "WebEnv=MCID_6927d6e7fee3e90f880ec190" in requests[-1].url
    assert "retstart=9800" in requests[-1].url


def test_zero_results_and_search_without_history(spider: PubmedSpider) -> None:
    zero = realdata("pubmed", "esearch_zero_results_errorlist_esearch8.xml").read_bytes()
    assert list(spider.parse_search(respond(zero))) == []
    plain = realdata("pubmed", "esearch_simple_esearch1.xml").read_bytes()  # no WebEnv
    assert list(spider.parse_search(respond(plain))) == []
    assert list(spider.parse_search(respond(b"<html>oops</html>"))) == []
    assert drops(spider) == {"esearch_without_history": 1, "malformed_esearch": 1}


def test_fetch_yields_study_items_and_counts_drops(spider: PubmedSpider) -> None:
    body = (FIXTURES / "efetch_hairloss.xml").read_bytes()
    items = list(spider.parse_fetch(respond(body), expected=5))
    assert all(isinstance(i, StudyItem) for i in items)
    assert [(i.source, i.pmid) for i in items] == [("pm", "99000101"), ("pm", "99000102"),
                                                   ("pm", "99000103")]
    assert items[0].pmcid == "PMC9900101" and items[0].mesh_terms == ["Alopecia", "Minoxidil"]
    assert drops(spider) == {"article_no_pmid": 1, "article_bad_pmid": 1}
    assert list(spider.parse_fetch(respond(b"<eFetchResult><ERROR>Unable to obtain query"
                                           b"</ERROR></eFetchResult>"), expected=200)) == []
    assert drops(spider)["empty_efetch"] == 1


def test_real_efetch_through_the_spider(spider: PubmedSpider) -> None:
    body = realdata("pubmed", "efetch_pubmed_2articles_pubmed1.xml").read_bytes()
    items = list(spider.parse_fetch(respond(body), expected=2))
    assert [i.pmid for i in items] == ["12091962", "9997"]
    assert items[1].url == "https://pubmed.ncbi.nlm.nih.gov/9997/"
