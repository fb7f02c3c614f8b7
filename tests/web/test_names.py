"""The web view names treatments by their display names and side effects by their labels;
links, query parameters, option values, classes and the JSON API keep the ids. A hostile
lexicon name is escaped."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
from sqlalchemy import Engine

from hairlink.web import create_app
from models.db import session_factory
from tests.query.seed_posts import HOSTILE_NAME, Corpus, rename_treatments
from tests.web.pages import S1, TestClient, page, text_of

HOSTILE = HOSTILE_NAME
IDS = ("rosemary_oil", "body_hair")




@pytest.fixture
def named(engine: Engine, corpus: Corpus) -> Iterator[TestClient]:
    with session_factory(engine)() as session:
        rename_treatments(session, corpus)
    with TestClient(create_app(engine)) as client:
        yield client


def visible(tree: lxml.html.HtmlElement) -> str:
    return " ".join(tree.xpath("//body")[0].text_content().split())


def test_study_page(named: TestClient) -> None:
    tree = page(named, f"/studies/{S1}?limit=50")
    text = visible(tree)
    for word in IDS:
        assert word not in text
    assert "Of 1 thread on rosemary oil: 1 report improvement; side effects: body hair 1" in (
        text_of(tree, "//section[@id='community']//li"))
    assert tree.xpath("//section[@id='community']//li[@class='report treatment-rosemary_oil']")
    header = tree.xpath("//header//ul[@class='chips']//a")
    assert [(a.get("href"), a.text_content()) for a in header] == [
        ("/treatments/minoxidil", "Minoxidil"), ("/treatments/rosemary_oil", "Rosemary oil")]
    card = tree.xpath("//article[.//a[@href='https://forum.example/t/r4']]")[0]
    assert text_of(card, ".//ul[@class='chips outcomes']/li") == [
        "Minoxidil: mixed · skin", "Rosemary oil: improved · body hair"]
    assert [(a.get("href"), a.text_content()) for a in card.xpath(".//ul[@class='chips']//a")
            ] == [("/treatments/minoxidil", "Minoxidil"),
                  ("/treatments/rosemary_oil", "Rosemary oil")]
    options = tree.xpath("//select[@name='treatment']/option")
    assert ("rosemary_oil", "Rosemary oil") in [(o.get("value"), o.text) for o in options]
    tree = page(named, f"/studies/{S1}?treatment=rosemary_oil")  # the id filters
    assert text_of(tree, "//section[@id='related']//div[@class='post-title']") == [
        "Rosemary oil 100_percent natural"]
    assert tree.xpath("//option[@value='rosemary_oil'][@selected]")


def test_treatment_posts_and_home_pages(named: TestClient) -> None:
    tree = page(named, "/treatments/rosemary_oil")
    text = visible(tree)
    for word in IDS:
        assert word not in text
    assert text_of(tree, "//section[@id='outcomes']/p[not(@class)]") == [
        "Of 1 threads on rosemary oil, 1 report an effect on hair."]
    assert text_of(tree, "//table[@class='data side-effects']/tbody/tr") == ["body hair 1"]
    tree = page(named, "/treatments/minoxidil")
    together = tree.xpath("//section[@id='stats']//a[starts-with(@href, '/treatments/')]")
    assert ("/treatments/rosemary_oil", "Rosemary oil") in [
        (a.get("href"), a.text_content()) for a in together]
    for path in ("/posts", "/"):
        tree = page(named, path)
        assert "rosemary_oil" not in visible(tree), path
    options = page(named, "/posts").xpath("//select[@name='treatment']/option")
    assert [(o.get("value"), o.text) for o in options][-2:] == [
        ("minoxidil", "Minoxidil"), ("rosemary_oil", "Rosemary oil")]  # by name


def test_hostile_names_are_escaped(named: TestClient) -> None:
    for path in (f"/studies/{S1}", "/posts", "/treatments/ketoconazole", "/"):
        html = named.get(path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;Nizoral" in html, path


def test_the_api_keeps_ids(named: TestClient) -> None:
    data = named.get(f"/api/studies/{S1}").json()
    report = next(c for c in data["community"] if c["treatment"] == "rosemary_oil")
    assert report["side_effects"] == {"body_hair": 1}
    post = next(p for p in data["posts"] if p["external_id"] == "r4")
    assert post["outcomes"]["rosemary_oil"]["side_effects"] == ["body_hair"]
    rows = named.get("/api/posts?format=csv&treatment=rosemary_oil").text
    assert "rosemary_oil=improved(body_hair)" in rows
