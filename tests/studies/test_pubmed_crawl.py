"""The pubmed spider end to end: `python -m scrapers.run` against a loopback E-utilities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models.db import make_engine
from models.entities import CrawlRun, Study
from models.migrate import upgrade
from models.study_store import upsert_study
from scrapers.loopback import LoopbackServer, Request, Response
from scrapers.spiders.pubmed import PubmedSpider, drop_reason

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 250
WEBENV = "MCID_loopback_1"
CONTACT = "tests@hairlink.invalid"


def article(n: int) -> str:
    """A synthetic PubmedArticle; number 120 has no PMID (malformed)."""
    pmid = "" if n == 120 else f"<PMID Version=\"1\">{99100000 + n}</PMID>"
    doi = f"10.5555/crawl.{n}"
    return (f"<PubmedArticle><MedlineCitation Status=\"MEDLINE\">{pmid}<Article>"
            f"<Journal><Title>Synthetic Crawl Journal</Title><JournalIssue><PubDate>"
            f"<Year>{2000 + n % 25}</Year><Month>Feb</Month></PubDate></JournalIssue></Journal>"
            f"<ArticleTitle>Article <i>number</i> {n} &amp; minoxidil</ArticleTitle>"
            f"<Abstract><AbstractText Label=\"AIM\">Aim {n}.</AbstractText></Abstract>"
            f"<AuthorList><Author><LastName>Author{n}</LastName><ForeName>Ann</ForeName>"
            f"</Author></AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList>"
            f"<ArticleId IdType=\"pubmed\">{99100000 + n}</ArticleId>"
            f"<ArticleId IdType=\"doi\">{escape(doi)}</ArticleId></ArticleIdList></PubmedData>"
            f"</PubmedArticle>")


class FakeEutils:
    """esearch with a history server and efetch paging, checking NCBI's parameters."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    def _check(self, request: Request) -> str | None:
        if request.arg("tool") != "hairlink" or request.arg("email") != CONTACT:
            return "missing tool/email"
        if request.arg("db") != "pubmed":
            return "db must be pubmed"
        return None

    def esearch(self, request: Request) -> Response:
        self.calls.append({k: v[0] for k, v in request.query.items()})
        problem = self._check(request)
        if problem or request.arg("usehistory") != "y":
            return 400, {"Content-Type": "text/plain"}, (problem or "usehistory").encode()
        body = (f"<?xml version=\"1.0\"?><eSearchResult><Count>{TOTAL}</Count><RetMax>0</RetMax>"
                f"<RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>{WEBENV}</WebEnv>"
                f"<IdList/></eSearchResult>")
        return 200, {"Content-Type": "text/xml"}, body.encode()

    def efetch(self, request: Request) -> Response:
        self.calls.append({k: v[0] for k, v in request.query.items()})
        problem = self._check(request)
        if problem or request.arg("WebEnv") != WEBENV or request.arg("query_key") != "1" \
                or request.arg("retmode") != "xml":
            return 400, {"Content-Type": "text/plain"}, (problem or "history").encode()
        start, size = int(request.arg("retstart") or 0), int(request.arg("retmax") or 20)
        if size > 200:
            return 400, {"Content-Type": "text/plain"}, b"retmax over 200"
        articles = "".join(article(n) for n in range(start + 1, min(start + size, TOTAL) + 1))
        body = f"<?xml version=\"1.0\"?><PubmedArticleSet>{articles}</PubmedArticleSet>"
        return 200, {"Content-Type": "text/xml"}, body.encode()


def run_crawl(tmp_path: Path, db_url: str, base_url: str, extra: str = "") -> tuple[int, str]:
    cfg = tmp_path / "hairlink.toml"
    cfg.write_text(f'contact = "{CONTACT}"\n[database]\nurl = "{db_url}"\n'
                   f'[[sources]]\nname = "pm"\nkind = "pubmed"\nbase_url = "{base_url}"\n'
                   f'term = "alopecia AND minoxidil"\nmindate = "2000"\n{extra}')
    env = {**os.environ, "HAIRLINK_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    env.pop("HAIRLINK_NCBI_API_KEY", None)
    proc = subprocess.run([sys.executable, "-m", "scrapers.run", "pm", "--config", str(cfg),
                           "--log-level", "WARNING"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    """An engine on a database built by the migrations (as `scrapers.run` expects)."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.mark.slow
def test_crawl_through_esearch_and_paged_efetch(tmp_path: Path, db_url: str,
                                                migrated: Engine) -> None:
    engine = migrated
    # A paper already known by its DOI alone (e.g. from a CSV) must be merged, not doubled.
    with Session(engine) as session:
        upsert_study(session, {"doi": "10.5555/CRAWL.5", "tldr": "Curated summary."})
        session.commit()
    fake = FakeEutils()
    with LoopbackServer() as server:
        server.route("/entrez/eutils/esearch.fcgi", fake.esearch)
        server.route("/entrez/eutils/efetch.fcgi", fake.efetch)
        code, output = run_crawl(tmp_path, db_url, server.base_url)
    assert code == 0, output
    summary = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    assert summary["status"] == "finished"
    assert summary["items"] == TOTAL - 1
    assert summary["dropped"] == {"article_no_pmid": 1}
    search, *fetches = fake.calls
    assert (search["term"], search["mindate"], search["datetype"]) == (
        "alopecia AND minoxidil", "2000", "pdat")
    assert sorted((int(f["retstart"]), int(f["retmax"])) for f in fetches) == [(0, 200),
                                                                               (200, 50)]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Study)) == TOTAL - 1
        merged = session.scalars(select(Study).where(Study.doi == "10.5555/crawl.5")).one()
        assert (merged.pmid, merged.tldr) == ("99100005", "Curated summary.")
        assert merged.title == "Article number 5 & minoxidil"
        assert merged.abstract == "AIM: Aim 5."
        assert (merged.pub_year, merged.pub_month) == (2005, 2)
        assert merged.authors == ["Ann Author5"]
        assert merged.url == "https://pubmed.ncbi.nlm.nih.gov/99100005/"
        run = session.scalars(select(CrawlRun)).one()
        assert (run.status, run.items, run.dropped) == ("finished", TOTAL - 1,
                                                        {"article_no_pmid": 1})
    # The next crawl is incremental: only entries added since shortly before the last one.
    fake.calls.clear()
    with LoopbackServer() as server:
        server.route("/entrez/eutils/esearch.fcgi", fake.esearch)
        server.route("/entrez/eutils/efetch.fcgi", fake.efetch)
        code, output = run_crawl(tmp_path, db_url, server.base_url)
    assert code == 0, output
    since = (run.started_at - timedelta(days=3)).strftime("%Y/%m/%d")
    assert fake.calls[0]["term"] == (f'(alopecia AND minoxidil) AND ("{since}"[EDAT] : '
                                     '"3000"[EDAT])')
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Study)) == TOTAL - 1


@pytest.mark.slow
def test_zero_results_finish_cleanly(tmp_path: Path, db_url: str, migrated: Engine) -> None:
    engine = migrated
    body = (b"<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
            b"<ErrorList><PhraseNotFound>zzqx</PhraseNotFound></ErrorList></eSearchResult>")
    with LoopbackServer() as server:
        server.add("/entrez/eutils/esearch.fcgi", body, content_type="text/xml", prefix=True)
        code, output = run_crawl(tmp_path, db_url, server.base_url, 'retmax = 50\n')
        assert server.count("/entrez/eutils/efetch.fcgi") == 0
    assert code == 0, output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Study)) == 0
        assert session.scalars(select(CrawlRun)).one().status == "finished"


def test_retmax_caps_the_pages_and_urls_carry_ncbi_parameters(tmp_path: Path) -> None:
    cfg = tmp_path / "h.toml"
    cfg.write_text('contact = "me@example.org"\n[[sources]]\nname = "pm"\nkind = "pubmed"\n'
                   'base_url = "http://127.0.0.1:9"\nterm = "hair loss"\nretmax = 300\n')
    spider = PubmedSpider(source="pm", config=str(cfg))
    url = spider.esearch_url()
    assert url.startswith("http://127.0.0.1:9/entrez/eutils/esearch.fcgi?db=pubmed&term=hair+loss")
    assert "usehistory=y" in url and "tool=hairlink" in url and "email=me%40example.org" in url
    assert "mindate" not in url and "api_key" not in url
    fetch = spider.efetch_url("1", "ENV", 200, 100)
    assert "query_key=1&WebEnv=ENV&retstart=200&retmax=100&retmode=xml" in fetch
    assert spider.retmax == 300
    assert drop_reason("xml syntax error") == "article_xml_syntax_error"


def test_api_key_is_sent_and_raises_the_rate(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapy.settings import Settings

    monkeypatch.setenv("HAIRLINK_NCBI_API_KEY", "k3y")
    cfg = tmp_path / "h.toml"
    cfg.write_text('[[sources]]\nname = "pm"\nkind = "pubmed"\nterm = "x"\n')
    spider = PubmedSpider(source="pm", config=str(cfg))
    assert "api_key=k3y" in spider.esearch_url()
    settings = Settings()
    spider.apply_source_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == pytest.approx(0.1)
    monkeypatch.delenv("HAIRLINK_NCBI_API_KEY")
    spider = PubmedSpider(source="pm", config=str(cfg))  # (the rate follows the key it sends)
    settings = Settings()
    spider.apply_source_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == pytest.approx(0.34)
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert spider.base_url == "https://eutils.ncbi.nlm.nih.gov"


@pytest.mark.slow
def test_the_rate_limit_has_no_jitter() -> None:
    """NCBI's limit is per second: the delay is kept as it is, set by the setting that is not
    deprecated (a deprecated one warns on every crawl)."""
    from scrapy.settings import SETTINGS_PRIORITIES
    from scrapy.utils.test import get_crawler

    settings = get_crawler(PubmedSpider).settings
    assert settings.getfloat("DOWNLOAD_DELAY_JITTER") == 0
    assert settings.getpriority("RANDOMIZE_DOWNLOAD_DELAY") == SETTINGS_PRIORITIES["default"]


def test_ncbi_429_is_waited_out(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    fake = FakeEutils()
    with LoopbackServer() as server:
        server.route("/entrez/eutils/esearch.fcgi", fake.esearch)
        server.route("/entrez/eutils/efetch.fcgi", fake.efetch)
        server.fault("429", times=1, pattern="efetch", retry_after=1)
        code, output = run_crawl(tmp_path, db_url, server.base_url)
        efetch_requests = [t for _, t in server.requests if "efetch" in t]
    assert code == 0, output
    assert len(efetch_requests) == 4  # two pages, each refused once (429), then served
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Study)) == TOTAL - 1
    engine.dispose()
