"""End to end: `hairlink demo` crawls the bundled samples on loopback, enriches, aggregates
and exports; the database and the digests must hold exactly what the samples hold, and a
second run must duplicate nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from hairlink.app import app
from hairlink.demo import SOURCE_NAMES
from models.db import make_engine
from models.entities import (
    ReferencePaper,
    Reply,
    ScoreSnapshot,
    SimilarStudy,
    Source,
    Study,
    StudyReference,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
)
from scrapers.samples import manifest

pytestmark = pytest.mark.slow
COUNTED = {"source": Source, "thread": Thread, "reply": Reply, "study": Study,
           "thread_treatment": ThreadTreatment, "thread_study_link": ThreadStudyLink,
           "score_snapshot": ScoreSnapshot, "study_reference": StudyReference,
           "reference_paper": ReferencePaper, "similar_study": SimilarStudy}
KNOWN_STUDY = "mn-minox"  # the microneedling + minoxidil study: cited in every community


def table_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {name: session.scalar(select(func.count()).select_from(entity)) or 0
                for name, entity in COUNTED.items()}


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run `hairlink demo --out DIR` twice through the CLI; counts after each run."""
    out = tmp_path_factory.mktemp("demo") / "hairlink-demo"
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--out", str(out)])
    assert first.exit_code == 0, first.output
    engine = make_engine(f"sqlite:///{out / 'hairlink.db'}")
    after_first = table_counts(engine)
    second = runner.invoke(app, ["demo", "--out", str(out)])
    assert second.exit_code == 0, second.output
    after_second = table_counts(engine)
    yield {"out": out, "engine": engine, "first": first.output, "second": second.output,
           "after_first": after_first, "after_second": after_second}
    engine.dispose()


def test_every_sample_thread_is_stored_once_with_score_and_time(demo_runs: dict[str, Any]
                                                                ) -> None:
    samples = manifest()["communities"]
    with Session(demo_runs["engine"]) as session:
        for platform, threads in samples.items():
            name = SOURCE_NAMES[platform]
            rows = session.execute(
                select(Thread.external_id, Thread.title, Thread.score, Thread.created_at,
                       Thread.category)
                .join(Source, Source.id == Thread.source_id).where(Source.name == name)).all()
            assert len(rows) == len(threads) == 40, platform
            by_id = {row.external_id: row for row in rows}
            assert len(by_id) == len(rows)
            for expected in threads:
                row = by_id[expected["external_id"]]
                assert row.title == expected["title"]
                assert row.score == expected["score"], (platform, expected["title"])
                created = datetime.fromisoformat(expected["created_at"])
                assert row.created_at.astimezone(UTC) == created, (platform, expected["title"])
                assert row.category == expected["category"]


def test_replies_studies_treatments_and_links_are_present(demo_runs: dict[str, Any]) -> None:
    samples = manifest()
    with Session(demo_runs["engine"]) as session:
        expected_replies = sum(t["replies"] for threads in samples["communities"].values()
                               for t in threads)
        assert session.scalar(select(func.count()).select_from(Reply)) == expected_replies
        studies = {s.pmid: s for s in session.scalars(select(Study))}
        assert set(studies) == {s["pmid"] for s in samples["studies"]}
        for expected in samples["studies"]:
            stored = studies[expected["pmid"]]
            assert stored.doi == expected["doi"]
            assert stored.tldr == expected["tldr"]
            assert stored.citation_count == expected["citation_count"]
        tagged = set(session.scalars(select(ThreadTreatment.treatment_id).distinct()))
        assert {"minoxidil", "finasteride", "dutasteride", "microneedling", "ketoconazole",
                "ru58841", "prp", "saw_palmetto", "rosemary_oil", "lllt",
                "hair_transplant"} <= tagged
        # Decoys: "flat iron" is not iron, "my final take" is not finasteride.
        for phrase, not_tagged in (("flat iron", "iron"), ("final take", "finasteride")):
            threads = session.scalars(select(Thread).where(Thread.body.contains(phrase))).all()
            assert threads, phrase
            for thread in threads:
                assert not_tagged not in {t.treatment_id for t in thread.treatments}, phrase
        citations = {tuple(row) for row in session.execute(
            select(Source.name, Thread.external_id, Study.pmid)
            .select_from(ThreadStudyLink)
            .join(Thread, Thread.id == ThreadStudyLink.thread_id)
            .join(Source, Source.id == Thread.source_id)
            .join(Study, Study.id == ThreadStudyLink.study_id)
            .where(ThreadStudyLink.kind == "citation"))}
    pmid_of = {s["key"]: s["pmid"] for s in samples["studies"]}
    expected_citations = {(SOURCE_NAMES[platform], t["external_id"], pmid_of[key])
                          for platform, threads in samples["communities"].items()
                          for t in threads for key in t["cites"]}
    assert citations == expected_citations


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_digest_lists_the_citing_threads_of_a_study_first(demo_runs: dict[str, Any]) -> None:
    samples = manifest()
    study = next(s for s in samples["studies"] if s["key"] == KNOWN_STUDY)
    citing = sorted(t["title"] for threads in samples["communities"].values()
                    for t in threads if KNOWN_STUDY in t["cites"])
    assert len(citing) >= 4
    digests = Path(demo_runs["out"]) / "digests"
    matches = [p for p in digests.glob("*.md")  # the study's own header names its PMID
               if study["pmid"] in p.read_text("utf-8").split("## Related")[0]]
    assert len(matches) == 1, sorted(p.name for p in digests.glob("*.md"))
    text = matches[0].read_text("utf-8")
    titles = [_unescape(m) for m in re.findall(r"^\d+\. \*\*\[(.+?)\]\(", text, re.M)]
    assert sorted(titles[:len(citing)]) == citing
    assert "Threads citing this study" in text
    assert text.index("Threads citing this study") < text.index("Threads on the same topic")
    index_html = Path(demo_runs["out"]) / "site" / "index.html"
    assert index_html.is_file()
    assert str(index_html) in demo_runs["first"].replace("\n", "")
    config = Path(demo_runs["out"]).resolve() / "hairlink.toml"
    assert f"browse it: hairlink --config {config} serve" in demo_runs["first"]


def test_a_second_run_duplicates_nothing(demo_runs: dict[str, Any]) -> None:
    assert demo_runs["after_first"]["thread"] == 200
    assert demo_runs["after_second"] == demo_runs["after_first"]


def test_demo_shows_summaries_chips_and_community(demo_runs: dict[str, Any]) -> None:
    output = " ".join(demo_runs["first"].split())
    assert "What the community reports" in output
    assert "Example threads (summary and what they report):" in output
    assert re.search(r"\[Minoxidil: (improved|no effect|mixed)", output)
    for word in ("body_hair", "rosemary_oil", "no_effect"):  # names and labels, not ids
        assert word not in output
    with Session(demo_runs["engine"]) as session:
        summaries = list(session.scalars(select(Thread.summary)))
        assert summaries and all(s and len(s.split()) <= 45 for s in summaries)
        effects = set(session.scalars(select(ThreadTreatment.effect)))
        assert {"improved", "none"} <= effects
    page = (demo_runs["out"] / "site").glob("*.html")
    html = "".join(p.read_text(encoding="utf-8") for p in page)
    assert "What the community reports" in html and 'class="summary"' in html
    assert "Read automatically from the text of each thread" in output
    assert 'class="muted reader-note"' in html
    assert 'class="reply"' in html
    for page in (demo_runs["out"] / "site").glob("*.html"):  # names in what readers see
        text = lxml.html.parse(str(page)).getroot().text_content()
        assert not re.search(r"body_hair|rosemary_oil|hair_transplant|_seed_oil", text), page
    assert "body hair" in html and re.search(r"Of \d+ threads on rosemary oil: ", html)


def test_exported_thread_links_to_the_sample_server_are_marked(demo_runs: dict[str, Any]
                                                               ) -> None:
    site = Path(demo_runs["out"]) / "site"
    for page in site.glob("*.html"):
        html = page.read_text("utf-8")
        loopback_links = len(re.findall(r'<a href="http://127\.0\.0\.1:\d+/', html))
        assert html.count("(sample link)") == loopback_links, page.name
    assert any("(sample link)" in p.read_text("utf-8") for p in site.glob("*.html"))


def test_references_cited_by_and_similar_research_on_every_study_page(
        demo_runs: dict[str, Any]) -> None:
    from scrapers.samples.render_studies import sample_references

    lists = sample_references()
    expected = sum(len([r for r in refs if r["externalIds"] or r["title"]])
                   for refs in lists.values())
    counts = demo_runs["after_first"]
    assert counts["study_reference"] == expected  # every entry stored once
    assert counts["reference_paper"] == len({r["externalIds"]["DOI"] if r["externalIds"]
                                             else r["title"] for refs in lists.values()
                                             for r in refs if "PubMed" not in
                                             (r["externalIds"] or {})})
    assert counts["similar_study"] >= 12 * 3
    assert "Research cited in this study" in demo_runs["first"]
    assert "Similar research (6)" in demo_runs["first"]
    site = Path(demo_runs["out"]) / "site"
    for page in site.glob("pmid-*.html"):
        html = page.read_text(encoding="utf-8")
        assert "Research cited in this study" in html and 'id="similar"' in html
        assert "Cited by" in html
        assert re.search(r'<section id="similar"[^>]*>.*?<li>', html, re.DOTALL), page.name
