"""Reader-facing digests name treatments by their display names and side effects by their
labels ("Rosemary oil", "body hair"); JSON, CSV, links and classes keep the ids
(`rosemary_oil`, `body_hair`). Lexicon names are untrusted text: escaped everywhere."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from aggregator.digest.charts import chart_data
from aggregator.digest.export import export_digests
from aggregator.digest.views import OutcomeChip, community_view
from aggregator.outcome_types import READER_NOTE, SIDE_EFFECTS, side_effect_label
from hairlink.app import app
from models.digest_queries import CommunityReport
from models.treatment_names import in_sentence, treatment_name
from tests.query.seed_posts import HOSTILE_NAME, NOW, Corpus, rename_treatments, seed

HOSTILE = HOSTILE_NAME
IDS = ("rosemary_oil", "body_hair")


def name_corpus(session: Session) -> Corpus:
    """The query corpus with the display names of `rename_treatments`."""
    corpus = seed(session)
    rename_treatments(session, corpus)
    return corpus


def export(session: Session, corpus: Corpus, fmt: str, out: Path, charts: str = "none"
           ) -> tuple[str, Path]:
    report = export_digests(session, [corpus.studies["S1"]], fmt, out, now=NOW, charts=charts)
    path = next(p for p in report.files if p.name != "index.html")
    return path.read_text(encoding="utf-8"), path


def visible(html: str) -> str:
    """The text a reader sees (no attributes, no tags)."""
    return " ".join(lxml.html.fromstring(html).xpath("//body")[0].text_content().split())


def test_html_shows_names_and_keeps_ids_in_attributes(session: Session,
                                                      tmp_path: Path) -> None:
    corpus = name_corpus(session)
    page, path = export(session, corpus, "html", tmp_path, charts="svg")
    text = visible(page)
    for word in IDS:
        assert word not in text
    assert "Of 1 thread on rosemary oil: 1 report improvement; side effects: body hair 1" in text
    tree = lxml.html.fromstring(page)
    assert "Rosemary oil" in [li.text_content() for li in tree.xpath("//header//li")]
    rosemary = tree.xpath("//article[.//a[@href='https://forum.example/t/r4']]")[0]
    assert [li.text_content() for li in rosemary.xpath(".//ul[@class='chips']/li")] == [
        "Minoxidil", "Rosemary oil"]
    assert [li.text_content() for li in rosemary.xpath(".//ul[@class='chips outcomes']/li")
            ] == ["Rosemary oil: improved · body hair"]
    assert tree.xpath("//li[@class='report treatment-rosemary_oil']")  # ids in classes
    chart = base64.b64decode(tree.xpath("//img[@class='chart']/@src")[0].split(",", 1)[1])
    assert b">Rosemary oil<" in chart and b"rosemary_oil" not in chart
    # the lexicon name is text, never markup
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;Nizoral" in page
    index = (path.parent / "index.html").read_text(encoding="utf-8")
    assert "Rosemary oil" in visible(index) and "rosemary_oil" not in visible(index)
    manifest = json.loads((path.parent / ".hairlink-index.json").read_text(encoding="utf-8"))
    assert manifest[0]["treatments"] == ["minoxidil", "rosemary_oil"]


def test_markdown_and_atom_show_names(session: Session, tmp_path: Path) -> None:
    corpus = name_corpus(session)
    md, _ = export(session, corpus, "md", tmp_path)
    flat = md.replace("\\_", "_")
    for word in IDS:
        assert word not in flat
    assert "- Of 1 thread on rosemary oil: 1 report improvement; side effects: body hair 1" in md
    assert "Reported: Rosemary oil: improved · body hair" in md
    assert "\n\nTreatments: Minoxidil, Rosemary oil\n" in md  # the study's
    assert "   Treatments: Minoxidil, Rosemary oil" in md
    assert "\\<script\\>alert" in md and "<script>" not in md
    atom, _ = export(session, corpus, "atom", tmp_path)
    assert 'term="rosemary_oil" label="Rosemary oil"' in atom
    assert "Rosemary oil: improved · body hair" in atom
    assert "<script>" not in atom


def test_json_and_csv_keep_ids(session: Session, tmp_path: Path) -> None:
    corpus = name_corpus(session)
    data = json.loads(export(session, corpus, "json", tmp_path)[0])
    assert data["study"]["treatments"] == ["minoxidil", "rosemary_oil"]
    report = next(c for c in data["community"] if c["treatment"] == "rosemary_oil")
    assert report["side_effects"] == {"body_hair": 1}
    post = next(p for p in data["posts"] if p["external_id"] == "r4")
    assert post["treatments"] == ["minoxidil", "rosemary_oil"]
    assert post["outcomes"]["rosemary_oil"] == {"effect": "improved",
                                                "side_effects": ["body_hair"]}
    rows = list(csv.DictReader(io.StringIO(export(session, corpus, "csv", tmp_path)[0])))
    row = next(r for r in rows if r["external_id"] == "r4")
    assert "rosemary_oil=improved(body_hair)" in row["outcomes"]
    assert "rosemary_oil" in row["treatments"].split(";")


def test_show_prints_names(session: Session, db_url: str,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = name_corpus(session)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["show", str(corpus.studies["S1"]), "--limit", "20"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for word in IDS:
        assert word not in out
    assert "Of 1 thread on rosemary oil: 1 report improvement; side effects: body hair 1" in out
    assert "[Rosemary oil: improved · body hair]" in out
    assert HOSTILE in out  # printed as it is, never read as Rich markup


def test_a_treatment_missing_from_the_table_reads_as_its_spaced_id() -> None:
    assert treatment_name("pumpkin_seed_oil", {}) == "pumpkin seed oil"
    assert treatment_name("pumpkin_seed_oil", {"pumpkin_seed_oil": " "}) == "pumpkin seed oil"
    assert treatment_name("vitamin_d", {"vitamin_d": "Vitamin D"}) == "Vitamin D"
    report = CommunityReport("pumpkin_seed_oil", threads=2, effects=Counter(no_effect=2),
                             side_effects=Counter(body_hair=1))
    view = community_view(report, {})
    assert view.line == "Of 2 threads on pumpkin seed oil: 2 no effect; side effects: body hair 1"
    assert view.treatment == "pumpkin_seed_oil" and view.side_effects == [("body_hair", 1)]
    chip = OutcomeChip("hair_transplant", "mixed", ["body_hair", "shedding"])
    assert chip.label == "hair transplant: mixed · body hair · shedding"
    mix = Counter(vitamin_d=3, hair_transplant=1)
    assert chart_data(Counter(), mix, {"vitamin_d": "Vitamin D"}).treatments == [
        ("Vitamin D", 3), ("hair transplant", 1)]


@pytest.mark.parametrize(("name", "inside"), [
    ("Rosemary oil", "rosemary oil"), ("Vitamin D", "vitamin D"), ("Minoxidil", "minoxidil"),
    ("Low-level light therapy", "low-level light therapy"), ("RU58841", "RU58841"),
    ("PRP", "PRP"), ("GT20029", "GT20029"), ("pumpkin seed oil", "pumpkin seed oil"),
    ("", "")])
def test_names_inside_a_sentence(name: str, inside: str) -> None:
    assert in_sentence(name) == inside


def test_side_effect_labels() -> None:
    assert side_effect_label("body_hair") == "body hair"
    assert {s: side_effect_label(s) for s in SIDE_EFFECTS if s != "body_hair"} == {
        s: s for s in SIDE_EFFECTS if s != "body_hair"}
    assert all(re.fullmatch(r"[a-z ]+", side_effect_label(s)) for s in SIDE_EFFECTS)


def test_treatments_table_prints_names(session: Session, db_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    name_corpus(session)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["treatments"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "Rosemary oil" in line)
    assert "body hair 1" in row
    assert READER_NOTE in " ".join(result.output.split())  # the table's caption
    for word in IDS:
        assert word not in result.output
    result = CliRunner().invoke(app, ["treatments", "--format", "csv"])
    assert "rosemary_oil,Rosemary oil," in result.output and "body_hair=1" in result.output
