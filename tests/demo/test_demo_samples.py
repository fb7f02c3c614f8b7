"""The bundled sample data and its loopback server (fast; the full pipeline is in
tests/test_demo.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from scrapers.samples import DATA_DIR, generate, manifest
from scrapers.samples.server import SampleServer


@pytest.fixture(scope="module")
def server() -> Any:
    with SampleServer() as running:
        yield running


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_committed_data_is_what_the_generator_writes(tmp_path: Path) -> None:
    generate.generate(tmp_path)
    committed = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*") if p.is_file())
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert committed == fresh
    changed = [str(rel) for rel in fresh if (tmp_path / rel).read_bytes()
               != (DATA_DIR / rel).read_bytes()]
    assert changed == [], "run: python -m scrapers.samples.generate"


def test_manifest_describes_forty_threads_per_community_with_citations() -> None:
    data = manifest()
    assert set(data["communities"]) == {"reddit", "discourse", "xenforo", "phpbb", "vbulletin"}
    for platform, threads in data["communities"].items():
        assert len(threads) == 40
        assert len({t["external_id"] for t in threads}) == 40
        assert any(t["cites"] for t in threads), platform
        if platform == "phpbb":
            assert all(t["score"] is None for t in threads)
        else:
            assert max(t["score"] for t in threads) > min(t["score"] for t in threads)
    assert len(data["studies"]) == 12
    assert all(s["doi"].startswith("10.5555/") and s["pmid"].startswith("99")
               for s in data["studies"])


def test_reddit_listing_pages_chain_through_after_cursors(server: SampleServer) -> None:
    base = server.base_urls["reddit"]
    seen: list[str] = []
    after = ""
    for _ in range(5):
        status, body = fetch(f"{base}/r/HairlossLab/new?limit=100&raw_json=1&after={after}")
        assert status == 200
        listing = json.loads(body)["data"]
        seen += [child["data"]["id"] for child in listing["children"]]
        after = listing["after"]
        if not after:
            break
    assert sorted(seen) == sorted(t["external_id"] for t in manifest()["communities"]["reddit"])
    status, body = fetch(f"{base}/comments/{seen[0]}?limit=10&raw_json=1")
    post, comments = json.loads(body)
    assert post["data"]["children"][0]["data"]["id"] == seen[0]
    assert comments["data"]["children"][0]["kind"] == "t1"


def test_token_batch_and_search_endpoints(server: SampleServer) -> None:
    urls = server.base_urls
    status, body = fetch(urls["reddit_token"], b"grant_type=client_credentials")
    assert status == 200 and json.loads(body)["token_type"] == "bearer"
    assert fetch(urls["reddit_token"])[0] == 405  # the token endpoint wants a POST
    ids = {"ids": ["PMID:99100004", "DOI:10.5555/HLSAMPLE.2023.014", "PMID:1"]}
    status, body = fetch(f"{urls['semanticscholar']}/graph/v1/paper/batch?fields=tldr",
                         json.dumps(ids).encode())
    papers = json.loads(body)
    assert status == 200 and len(papers) == 3 and papers[2] is None
    assert papers[0]["externalIds"]["PubMed"] == "99100004" and papers[0]["tldr"]["text"]
    assert papers[1]["externalIds"]["DOI"] == "10.5555/hlsample.2023.014"
    status, body = fetch(f"{urls['europepmc']}/europepmc/webservices/rest/search?query="
                         "DOI:%2210.5555/hlsample.2021.044%22&format=json")
    hits = json.loads(body)
    assert hits["hitCount"] == 1 and hits["resultList"]["result"][0]["pmid"] == "99100005"


def test_forum_pages_robots_and_unknown_paths(server: SampleServer) -> None:
    status, body = fetch(server.root + "/robots.txt")
    assert status == 200 and b"Allow: /" in body
    status, body = fetch(server.base_urls["phpbb"] + "/viewforum.php?f=3&start=0")
    assert status == 200 and b'class="topictitle"' in body
    status, body = fetch(server.base_urls["xenforo"] + "/forums/research-news.15/page-1")
    assert status == 200 and b"structItem--thread" in body
    status, body = fetch(server.base_urls["discourse"] + "/latest.json?page=0")
    assert status == 200 and json.loads(body)["topic_list"]["more_topics_url"]
    assert fetch(server.base_urls["discourse"] + "/t/999999.json")[0] == 404
    assert fetch(server.base_urls["phpbb"] + "/viewtopic.php?t=1")[0] == 404
    status, body = fetch(server.base_urls["vbulletin"] + "/forumdisplay.php?f=4&page=2")
    assert status == 200 and b'class="threadbit' in body and b"All times are GMT -5" in body
    assert fetch(server.base_urls["vbulletin"] + "/showthread.php?t=1")[0] == 404


def test_the_vbulletin_board_is_latin1_with_cp1252_bytes(server: SampleServer) -> None:
    with urllib.request.urlopen(server.base_urls["vbulletin"] + "/forumdisplay.php?f=4") as r:
        assert r.headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    pages = [p.read_bytes() for p in (DATA_DIR / "vbulletin").glob("showthread.*.html")]
    assert len(pages) == 40
    with pytest.raises(UnicodeDecodeError):
        b"".join(pages).decode("utf-8")  # not UTF-8: Windows-1252 curly quotes and dashes
    assert all(b'charset=ISO-8859-1"' in page for page in pages)


def test_every_data_file_ships_as_package_data() -> None:
    # pyproject's package-data patterns (*.json, *.html, *.xml) and namespace packages:
    # a directory with a dot in its name, or another suffix, would be left out of a wheel.
    for path in DATA_DIR.rglob("*"):
        rel = path.relative_to(DATA_DIR)
        if path.is_dir():
            assert path.name.isidentifier(), rel
        else:
            assert path.suffix in (".json", ".html", ".xml"), rel
