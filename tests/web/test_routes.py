"""Every page and API route through Starlette's TestClient, on SQLite and PostgreSQL: what
each shows, that the API answers what the CLI prints, validation, and no write methods."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from aggregator.outcome_types import READER_NOTE
from hairlink.app import app as cli_app
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.db import session_factory
from tests.query.seed_posts import Corpus
from tests.web.pages import S1, TestClient, page, text_of

runner = CliRunner()


def cli_json(*args: str) -> object:
    result = runner.invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_home_lists_treatments_studies_and_latest_threads(client: TestClient) -> None:
    tree = page(client, "/")
    assert tree.xpath("//form[@action='/posts']//input[@name='search']")
    rows = text_of(tree, "//section[@id='treatments']//tbody/tr")
    # most threads first, with thread and study counts and the community's outcomes
    assert rows[0] == "Minoxidil 4 1 50% improved of 4 reporting · 2 side-effect reports"
    assert rows[1] == "Finasteride 2 1 100% improved of 1 reporting · 1 side-effect reports"
    assert "Rosemary Oil 1 0" in rows  # nothing reported: no outcome figure
    assert text_of(tree, "//section[@id='treatments']/p[@class='muted reader-note']") == [
        f"Community outcomes: {READER_NOTE}"]
    studies = text_of(tree, "//section[@id='studies']//tbody/tr")
    assert studies[0].startswith("Oral Minoxidil vs Topical") and studies[0].endswith(
        "5 (1 citing)")
    assert studies[1].startswith("Finasteride 10-year follow-up") and len(studies) == 2
    latest = text_of(tree, "//section[@id='latest']//div[@class='post-title']")
    assert latest[:3] == ["Ketoconazole shampoo question", "Finasteride 10 year follow-up is out",
                          "Big 3 update: month 14"]


def test_study_page_sections_filters_sort_and_paging(client: TestClient, corpus: Corpus) -> None:
    tree = page(client, f"/studies/{S1}")
    assert text_of(tree, "//h1") == ["Oral Minoxidil vs Topical Minoxidil for Male "
                                     "Androgenetic Alopecia"]
    assert text_of(tree, "//section[@class='tldr']") == ["TLDR Oral was not clearly better."]
    assert "A randomized trial of 90 men." in text_of(tree, "//p[@class='abstract']")
    assert text_of(tree, "//h2[@class='related']") == ["Related Community Posts 5 / 5"]
    titles = text_of(tree, "//section[@id='related']//div[@class='post-title']")
    assert titles[0] == "Oral vs topical minoxidil after 6 months"  # the citation first
    assert len(titles) == 5 and tree.xpath("//img[@class='chart']/@src")[0].startswith(
        "data:image/svg+xml")
    assert text_of(tree, "//section[@id='similar']/h2") == ["Similar research 0"]  # digest's
    assert tree.xpath("//section[@id='references']")  # research sections, shared partial
    tree = page(client, f"/studies/{S1}?treatment=finasteride&sort=score")
    assert text_of(tree, "//h2[@class='related']") == ["Related Community Posts 2 / 2"]
    assert text_of(tree, "//section[@id='related']//div[@class='post-title']") == [
        "Finasteride 10 year follow-up is out", "Big 3 update: month 14"]
    tree = page(client, f"/studies/{S1}?limit=2&offset=2")
    assert text_of(tree, "//h2[@class='related']") == ["Related Community Posts 2 / 5"]
    assert text_of(tree, "//div[@class='pager']/span") == ["3–4 of 5"]
    assert tree.xpath("//a[@rel='next']/@href") == [
        f"/studies/{S1}?sort=relevance&limit=2&offset=4"]
    tree = page(client, f"/studies/{S1}?source=hlt-discourse&min_score=10&since=2026-01-01")
    assert text_of(tree, "//section[@id='related']//div[@class='post-title']") == [
        "Big 3 update: month 14"]
    assert page(client, "/studies/pmcid:PMC999").xpath("//h1")[0].text_content() == (
        "Finasteride 10-year follow-up")
    assert page(client, f"/studies/{corpus.studies['S3']}").xpath(
        "//p[@class='muted']")[0].text_content() == (
        "No community threads are linked to this study yet.")


def test_treatment_page(client: TestClient, corpus: Corpus) -> None:
    tree = page(client, "/treatments/minoxidil")
    assert "4 threads · 1 studies" in text_of(tree, "//section[@id='stats']/p")[0]
    outcomes = "//section[@id='outcomes']"
    assert text_of(tree, f"{outcomes}/p") == [
        "Of 4 threads on minoxidil, 4 report an effect on hair.", READER_NOTE]
    assert text_of(tree, f"{outcomes}//table[@class='data effects']/tbody/tr") == [
        "improved 2 50%", "no effect 1 25%", "mixed 1 25%"]
    assert text_of(tree, f"{outcomes}//table[@class='data side-effects']/tbody/tr") == [
        "shedding 1", "skin 1"]
    assert text_of(tree, f"{outcomes}/h3") == [
        "Improved: top threads", "Mixed: top threads", "No effect: top threads"]
    improved = tree.xpath(f"{outcomes}/ul[contains(@class, 'effect-improved')]/li/a")
    assert [a.text_content() for a in improved] == [
        "Oral vs topical minoxidil after 6 months", "Big 3 update: month 14"]  # by score
    assert improved[0].get("href") == f"/threads/{corpus.threads['oral']}"
    assert text_of(tree, f"{outcomes}//div[@class='summary']") == [
        "Weekly rolling with foam: no visible change yet."]
    assert text_of(page(client, "/treatments/ketoconazole"), f"{outcomes}/p") == [
        "No thread on ketoconazole reports an outcome yet."]
    assert text_of(tree, "//section[@id='studies']/p/a") == [
        "Oral Minoxidil vs Topical Minoxidil for Male Androgenetic Alopecia"]
    assert text_of(tree, "//section[@id='threads']//div[@class='post-title']") == [
        "Oral vs topical minoxidil after 6 months", "Big 3 update: month 14",
        "Rosemary oil 100_percent natural", "Microneedling with minox?"]  # by score
    tree = page(client, "/treatments/minoxidil?treatment=finasteride")
    assert text_of(tree, "//section[@id='threads']//div[@class='post-title']") == [
        "Big 3 update: month 14"]
    page(client, "/treatments/nonexistent", 404)


def test_study_page_has_the_digest_sections(client: TestClient) -> None:
    """What the community reports, outcome chips, summaries and top replies, as the HTML
    digest shows them."""
    tree = page(client, f"/studies/{S1}")
    assert text_of(tree, "//section[@id='community']/h3") == ["What the community reports"]
    assert text_of(tree, "//section[@id='community']//li") == [
        "Of 4 threads on minoxidil: 2 report improvement, 1 no effect, 1 mixed; side effects: "
        "shedding 1, skin 1"]
    assert text_of(tree, "//section[@id='community']/p[@class='muted reader-note']") == [
        READER_NOTE]
    cards = tree.xpath("//section[@id='related']/article")
    oral = cards[0]
    assert text_of(oral, ".//ul[contains(@class, 'outcomes')]/li") == [
        "Minoxidil: improved · shedding"]
    assert text_of(oral, ".//li[@class='reply']") == [
        "12 upvotes Same here, crown filled in.", "no votes Any shedding on tablets?"]
    summaries = text_of(tree, "//section[@id='related']//p[@class='summary']")
    assert summaries == ["Weekly rolling with foam: no visible change yet."]


def test_study_page_shows_a_smaller_page_unless_limit_says(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The study page's own page size (STUDY_PAGE_LIMIT) applies without `limit`; the
    posts page keeps params.DEFAULT_LIMIT."""
    monkeypatch.setattr("hairlink.web.pages.STUDY_PAGE_LIMIT", 2)
    tree = page(client, f"/studies/{S1}")
    assert text_of(tree, "//h2[@class='related']") == ["Related Community Posts 2 / 5"]
    assert text_of(tree, "//div[@class='pager']/span") == ["1–2 of 5"]
    assert tree.xpath("//a[@rel='next']/@href") == [f"/studies/{S1}?sort=relevance&offset=2"]
    tree = page(client, f"/studies/{S1}?limit=50")
    assert text_of(tree, "//h2[@class='related']") == ["Related Community Posts 5 / 5"]
    assert len(page(client, "/posts").xpath("//article")) == 7


def test_thread_page(client: TestClient, corpus: Corpus) -> None:
    tree = page(client, f"/threads/{corpus.threads['oral']}")
    assert text_of(tree, "//h1") == ["Oral vs topical minoxidil after 6 months"]
    assert tree.xpath("//p[@class='original']/a/@href") == ["https://forum.example/t/r1"]
    assert text_of(tree, "//span[@class='category']") == ["Progress Pictures"]
    assert text_of(tree, "//span[@class='score']") == ["257 upvotes"]
    assert text_of(tree, "//div[@class='reply']")[0].endswith("Same here, crown filled in.")
    assert len(tree.xpath("//div[@class='reply']")) == 2
    points = tree.xpath("//svg[@class='history']/polyline/@points")[0].split()
    assert len(points) == 3
    links = text_of(tree, "//section[@id='studies']/div")
    assert links[0].startswith("Oral Minoxidil vs Topical") and "citation" in links[0]
    assert "doi:10.1001/jamadermatol.2024.0284" in text_of(tree, "//dl[@class='evidence']")[0]
    assert text_of(tree, "//section[@id='treatments']//td[1]") == ["Minoxidil"]
    plain = page(client, f"/threads/{corpus.threads['old']}")
    assert text_of(plain, "//section[@id='studies']/p") == ["Not linked to any study."]
    page(client, "/threads/999999", 404)
    page(client, "/threads/99999999999999999999999", 404)
    assert client.get("/threads/abc").status_code == 404


def test_posts_page_filters_paging_and_downloads(client: TestClient) -> None:
    tree = page(client, "/posts?search=minox&sort=score&limit=2")
    assert text_of(tree, "//section[@id='results']//div[@class='post-title']") == [
        "Oral vs topical minoxidil after 6 months", "Big 3 update: month 14"]
    assert text_of(tree, "//div[@class='pager']/span") == ["1–2 of 4"]
    csv_href, json_href = tree.xpath("//p[@class='downloads']/a/@href")
    assert csv_href == "/api/posts?search=minox&sort=score&limit=2&format=csv"
    assert json_href == "/api/posts?search=minox&sort=score&limit=2"
    csv_text = client.get(csv_href).text.splitlines()
    assert csv_text[0].startswith("thread_id,source,external_id") and len(csv_text) == 3
    assert client.get(csv_href).headers["content-disposition"].startswith("attachment")
    tree = page(client, "/posts?category=question&sort=new")
    assert text_of(tree, "//section[@id='results']//div[@class='post-title']") == [
        "Ketoconazole shampoo question", "Rosemary oil 100_percent natural"]


def test_sources_page(client: TestClient) -> None:
    tree = page(client, "/sources")
    heads = text_of(tree, "//section/h2")
    assert "tressless reddit · 4 threads" in heads and "oldforum phpbb · 1 threads" in heads
    runs = text_of(tree, "//section[h2/a='tressless']//tbody/tr")
    assert runs[0].split()[2:] == ["finished", "7", "123", "2", "0"]
    assert runs[1].split()[2:] == ["failed", "1", "0", "0", "3"]


@pytest.mark.parametrize("params", [
    [],
    ["--treatment", "minoxidil", "--sort", "score"],
    ["--study", S1],
    ["--study", S1, "--sort", "new", "--limit", "2"],
    ["--search", "minox"],
    ["--source", "tressless", "--since", "2026-01-01", "--min-score", "1"],
    ["--category", "Progress Pictures", "--until", "2026-10-01"],
])
def test_api_posts_answers_what_the_cli_prints(client: TestClient, params: list[str]) -> None:
    query = [(params[i].lstrip("-").replace("-", "_"), params[i + 1])
             for i in range(0, len(params), 2)]
    answer = client.get("/api/posts", params=query).json()
    printed = cli_json("posts", "--format", "json", *params)
    assert answer["posts"] == printed and answer["offset"] == 0
    assert answer["limit"] == int(dict(query).get("limit", 50))
    assert answer["total"] == len(printed) or "limit" in dict(query)


def test_api_studies_treatments_threads_mirror_the_cli(client: TestClient, corpus: Corpus,
                                                       tmp_path: Path) -> None:
    assert client.get("/api/studies").json() == cli_json("studies", "--format", "json")
    assert client.get("/api/studies?treatment=minoxidil").json() == cli_json(
        "studies", "--format", "json", "--treatment", "minoxidil")
    digest = client.get(f"/api/studies/{S1}").json()
    runner.invoke(cli_app, ["digest", S1, "--format", "json", "--out", str(tmp_path / "d")])
    written = json.loads((tmp_path / "d" / "doi-10.1001_jamadermatol.2024.0284.json").read_text())
    assert digest == written and digest["related_total"] == 5
    treatments = client.get("/api/treatments").json()
    assert treatments == cli_json("treatments", "--format", "json")
    assert treatments[0]["treatment"] == "minoxidil" and treatments[0]["threads"] == 4
    assert client.get("/api/treatments?treatment=finasteride").json() == cli_json(
        "treatments", "finasteride", "--format", "json")
    oral = corpus.threads["oral"]
    shown = client.get(f"/api/threads/{oral}").json()
    assert shown == cli_json("thread", str(oral), "--format", "json")
    assert [s["score"] for s in shown["score_history"]] == [5, 80, 257]
    assert [r["external_id"] for r in shown["replies"]] == ["c1", "c2"]


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/posts?since=yesterday", 400, "bad parameter since"),
    ("/api/posts?until=2026-13-01", 400, "bad parameter until"),
    ("/posts?treatment=unobtainium", 400, "bad parameter treatment: unknown treatment"),
    ("/api/posts?limit=-1", 400, "bad parameter limit: must be between 1 and 500"),
    ("/api/posts?limit=abc", 400, "bad parameter limit"),
    ("/api/posts?offset=-5", 400, "bad parameter offset"),
    ("/api/posts?min_score=lots", 400, "bad parameter min_score"),
    ("/api/posts?sort=random", 400, "bad parameter sort"),
    ("/api/posts?source=nowhere", 400, "bad parameter source"),
    ("/api/posts?study=pmid:abc", 400, "bad parameter study"),
    ("/api/posts?study=pmid:999", 404, "no study with pmid:999"),
    ("/studies/pmid:999", 404, "no study with pmid:999"),
    ("/api/studies/banana", 400, "bad parameter study"),
    ("/api/threads/12345", 404, "no thread with id 12345"),
    ("/nowhere", 404, "not found"),
])
def test_bad_parameters_and_unknown_things(client: TestClient, path: str, status: int,
                                           message: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    if path.startswith("/api/"):
        error = response.json()["error"]
    else:
        error = text_of(lxml.html.fromstring(response.text), "//p[@class='error']")[0]
    assert error.startswith(message) and "\n" not in error


def test_huge_search_is_answered(client: TestClient) -> None:
    # (httpx refuses query strings over 64 KiB; the query layer is tested at 100,000)
    response = client.get("/api/posts", params={"search": "minox " + "x" * 60_000})
    assert response.status_code == 200 and response.json()["total"] == 0
    response = client.get("/api/posts", params={"search": "minox " * 10_000})
    assert response.status_code == 200 and response.json()["total"] == 4
    assert client.get("/posts", params={"search": "-x" * 30_000}).status_code == 200


def test_no_write_methods(client: TestClient, corpus: Corpus) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/", "/api/posts", f"/threads/{corpus.threads['oral']}",
                     "/static/hairlink.css"):
            assert client.request(method, path).status_code == 405, (method, path)
    assert client.head("/posts").status_code == 200


def test_static_files_and_headers(client: TestClient) -> None:
    css = client.get("/static/hairlink.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/digest.css").text.startswith(":root")
    home = client.get("/")
    assert home.headers["x-content-type-options"] == "nosniff"
    assert home.headers["referrer-policy"] == "no-referrer"
    assert not re.search(r"(?i)<script|\sstyle=|\son\w+=", home.text)


def test_pages_count_up_to_a_cap(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hairlink.web.pages.COUNT_CAP", 3)
    tree = page(client, "/posts?sort=new&limit=2")
    assert text_of(tree, "//div[@class='pager']/span") == ["1–2 of 3+"]
    assert tree.xpath("//a[@rel='next']/@href") == ["/posts?sort=new&limit=2&offset=2"]
    tree = page(client, "/posts?sort=new&limit=2&offset=4")
    assert text_of(tree, "//div[@class='pager']/span") == ["5–6 of 6+"]
    tree = page(client, "/posts?sort=new&limit=2&offset=6")
    assert text_of(tree, "//div[@class='pager']/span") == ["7–7 of 7+"]
    assert tree.xpath("//a[@rel='next']") == []
    assert client.get("/api/posts?limit=2").json()["total"] == 7  # the API counts exactly


def test_study_page_shows_the_research_sections(engine: Engine, corpus: Corpus,
                                                client: TestClient) -> None:
    from models.entities import SimilarStudy

    s1, s2 = corpus.studies["S1"], corpus.studies["S2"]
    with session_factory(engine)() as session:
        session.add(SimilarStudy(study_id=s1, similar_id=s2, rank=1, score=0.5))
        session.commit()
    tree = page(client, f"/studies/{S1}")
    assert text_of(tree, "//section[@id='similar']//li/a") == ["Finasteride 10-year follow-up "
                                                               "(2012)"]
    assert tree.xpath("//section[@id='similar']//li/a/@href") == [f"/studies/id:{s2}"]
    assert page(client, f"/studies/id:{s2}").xpath("//h1")[0].text_content() == (
        "Finasteride 10-year follow-up")
