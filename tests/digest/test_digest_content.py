"""Digest content on SQLite and PostgreSQL: counts, order, ages (injected now), all formats."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aggregator.digest import export_all, export_digests
from aggregator.digest.views import digest_view
from models.digest_queries import all_study_ids, load_digests
from models.entities import Study, Thread
from tests.query.seed_posts import NOW, Corpus, seed

ATOM = "{http://www.w3.org/2005/Atom}"
S1_FILE = "doi-10.1001_jamadermatol.2024.0284"


@pytest.fixture
def corpus(session: Session) -> Corpus:
    return seed(session)


def export(session: Session, fmt: str, out: Path, **kwargs: object) -> list[Path]:
    report = export_digests(session, all_study_ids(session), fmt, out, now=NOW,
                            **kwargs)  # type: ignore[arg-type]
    return report.files


def test_digest_data_counts_and_order(session: Session, corpus: Corpus) -> None:
    s1, s2, s3 = (corpus.studies[k] for k in ("S1", "S2", "S3"))
    d1, d2, d3 = load_digests(session, [s1, s2, s3])
    assert (d1.related_total, d1.citing_total, d1.topical_total) == (5, 1, 4)
    assert [p.external_id for p in d1.posts] == ["r1", "d1", "p1", "r2", "r4"]
    assert [p.external_id for p in d2.posts] == ["r2", "d1"]
    assert (d3.related_total, d3.posts) == (0, [])
    assert d1.treatment_mix["minoxidil"] == 4 and d1.treatment_mix["finasteride"] == 2
    assert d1.months == {"2025-06": 1, "2026-01": 1, "2026-07": 1, "2026-09": 1, "2026-10": 1}
    # the page is cut, the counts are not
    (short,) = load_digests(session, [s1], limit=2)
    assert [p.external_id for p in short.posts] == ["r1", "d1"]
    assert short.related_total == 5
    view = digest_view(short, NOW)
    assert (view.shown, len(view.citing), len(view.topical)) == (2, 1, 1)


def test_post_views_label_scores_ages_and_communities(session: Session, corpus: Corpus) -> None:
    (data,) = load_digests(session, [corpus.studies["S1"]])
    view = digest_view(data, NOW)
    oral = view.citing[0]
    assert (oral.score_label, oral.age, oral.community) == (
        "257 upvotes", "10 months ago", "tressless in Progress Pictures")
    by_title = {p.post.external_id: p for p in view.topical}
    assert by_title["p1"].score_label == "no votes"  # phpBB: no score, not 0
    assert by_title["r4"].score_label == "0 upvotes"
    assert by_title["d1"].score_label == "15 likes"
    assert by_title["r2"].age == "3 days ago"
    assert by_title["d1"].treatments == ["finasteride", "ketoconazole", "minoxidil"]
    assert view.study.published == "March 2024"
    assert view.study.url == "https://doi.org/10.1001/jamadermatol.2024.0284"


def test_html_pages_and_index(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    files = export(session, "html", tmp_path, charts="svg")
    names = sorted(p.name for p in files)
    assert names == [f"{S1_FILE}.html", "index.html", "pmcid-PMC777.html",
                     "pmid-12345678.html"]
    page = (tmp_path / f"{S1_FILE}.html").read_text()
    assert re.search(r"Related Community Posts <span class=\"count\">5 / 5</span>", page)
    assert "Threads citing this study <span class=\"count\">1 / 1</span>" in page
    assert "Threads on the same topic <span class=\"count\">4 / 4</span>" in page
    assert page.index("Threads citing this study") < page.index("Threads on the same topic")
    order = [page.index(t) for t in ("Oral vs topical minoxidil after 6 months",
                                     "Big 3 update: month 14", "Microneedling with minox?",
                                     "Finasteride 10 year follow-up is out",
                                     "Rosemary oil 100_percent natural")]
    assert order == sorted(order)
    for text in ("257 upvotes", "10 months ago", "tressless in Progress Pictures",
                 "no votes", "JAMA Dermatology", "March 2024", "M. Penha, H. Miot",
                 "Oral was not clearly better.", "A randomized trial of 90 men.",
                 "cited by 90", 'href="https://doi.org/10.1001/jamadermatol.2024.0284"',
                 'href="https://forum.example/t/r1"', '<li class="chip">Minoxidil</li>',
                 "Switched from the foam to 2.5mg tablets.",
                 'src="data:image/svg+xml;base64,'):
        assert text in page, text
    assert "0 upvotes" not in page.split("Microneedling with minox?")[1].split("</article>")[0]
    empty = (tmp_path / "pmcid-PMC777.html").read_text()
    assert "0 / 0" in empty and "No community threads" in empty
    index = (tmp_path / "index.html").read_text()
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert rows[0] == (f"{S1_FILE}.html", "Oral Minoxidil vs Topical Minoxidil for Male "
                                         "Androgenetic Alopecia")
    assert [r[0] for r in rows] == [f"{S1_FILE}.html", "pmid-12345678.html",
                                    "pmcid-PMC777.html"]
    assert '<span class="count">5</span> <span class="muted">(1 citing)</span>' in index
    assert '<li class="chip">Finasteride</li>' in index


def test_html_limit_shows_shown_over_total(session: Session, corpus: Corpus,
                                           tmp_path: Path) -> None:
    export(session, "html", tmp_path, limit=2, charts="none")
    page = (tmp_path / f"{S1_FILE}.html").read_text()
    assert '<span class="count">2 / 5</span>' in page
    assert '<span class="count">1 / 4</span>' in page
    assert "data:image/svg+xml" not in page


def test_json_digest(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    export(session, "json", tmp_path)
    doc = json.loads((tmp_path / f"{S1_FILE}.json").read_text())
    assert doc["related_total"] == 5
    assert doc["study"]["doi"] == "10.1001/jamadermatol.2024.0284"
    assert doc["study"]["title"].startswith("Oral Minoxidil")
    assert doc["study"]["year"] == 2024 and doc["study"]["citation_count"] == 90
    assert [p["external_id"] for p in doc["posts"]] == ["r1", "d1", "p1", "r2", "r4"]
    assert [p["relevance"] for p in doc["posts"]] == [0.9, 0.7, 0.5, 0.2, 0.1]
    first = doc["posts"][0]
    assert first["created_at"] == "2026-01-05T12:00:00+00:00"
    assert first["links"] == [{"study": {"pmid": None, "doi": "10.1001/jamadermatol.2024.0284",
                                         "pmcid": None, "title": doc["study"]["title"]},
                               "kind": "citation", "score": 0.9}]
    assert {"source", "url", "title", "category", "score", "num_comments",
            "treatments"} <= set(first)


def test_csv_digest(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    export(session, "csv", tmp_path)
    with (tmp_path / "pmid-12345678.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["external_id"] for r in rows] == ["r2", "d1"]
    assert rows[0]["relevance"] == "1.0" and rows[0]["links"].startswith("pmid:12345678")
    assert rows[1]["treatments"] == "finasteride;ketoconazole;minoxidil"


def test_markdown_digest(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    export(session, "md", tmp_path)
    text = (tmp_path / f"{S1_FILE}.md").read_text()
    assert text.startswith("# Oral Minoxidil vs Topical Minoxidil")
    assert "## Related Community Posts (5 / 5)" in text
    assert "### Threads citing this study (1 / 1)" in text
    assert ("1. **[Oral vs topical minoxidil after 6 months](https://forum.example/t/r1)** — "
            "257 upvotes · 40 comments · 10 months ago · tressless in Progress Pictures") in text
    assert "no votes" in text and "Rosemary oil 100\\_percent natural" in text


def test_atom_feed_newest_first(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    export(session, "atom", tmp_path)
    root = ElementTree.parse(tmp_path / f"{S1_FILE}.atom").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["Finasteride 10 year follow-up is out", "Big 3 update: month 14",
                      "Microneedling with minox?", "Oral vs topical minoxidil after 6 months",
                      "Rosemary oil 100_percent natural"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://forum.example/t/r2"
    assert root.findtext(f"{ATOM}updated") == "2026-10-29T12:00:00+00:00"


def test_file_names_come_from_identifiers_only(session: Session, corpus: Corpus,
                                               tmp_path: Path) -> None:
    session.add_all([
        Study(doi="10.1000/../../etc/passwd", title="../../../escape.html", authors=[],
              created_at=NOW, updated_at=NOW),
        Study(doi="10.1000/a/b", title="one", authors=[], created_at=NOW, updated_at=NOW),
        Study(doi="10.1000/a_b", title="two", authors=[], created_at=NOW, updated_at=NOW),
        Study(doi="10.1000/" + "x" * 250, title="long", authors=[], created_at=NOW,
              updated_at=NOW),
    ])
    session.commit()
    out = tmp_path / "out"
    for fmt in ("html", "md", "json", "csv", "atom"):
        files = export(session, fmt, out)
        assert len({p.name for p in files}) == len(files)
        for path in files:
            assert path.parent == out
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", path.name), path.name
            assert len(path.name) <= 130
    names = {p.name for p in out.iterdir()}
    assert "doi-10.1000_.._.._etc_passwd.html" in names
    assert "doi-10.1000_a_b.html" in names
    assert not any("escape" in n for n in names)
    assert not (tmp_path / "etc").exists()


def test_unsafe_urls_are_not_links(session: Session, corpus: Corpus, tmp_path: Path) -> None:
    thread = session.get(Thread, corpus.threads["oral"])
    assert thread is not None
    thread.url = "javascript:alert(1)"
    session.get(Study, corpus.studies["S1"]).url = "data:text/html,hi"  # type: ignore[union-attr]
    session.commit()
    export(session, "html", tmp_path, charts="none")
    page = (tmp_path / f"{S1_FILE}.html").read_text()
    assert "javascript:" not in page and "data:text/html" not in page
    assert '<span class="unlinked">Oral vs topical minoxidil after 6 months</span>' in page
    # the paper link falls back to its DOI
    assert 'href="https://doi.org/10.1001/jamadermatol.2024.0284"' in page
    export(session, "md", tmp_path)
    assert "javascript:" not in (tmp_path / f"{S1_FILE}.md").read_text()
    export(session, "atom", tmp_path)
    root = ElementTree.parse(tmp_path / f"{S1_FILE}.atom").getroot()
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert "https://forum.example/t/r2" in hrefs
    assert all(h.startswith("https://") for h in hrefs)
    oral = [e for e in root.findall(f"{ATOM}entry")
            if e.findtext(f"{ATOM}title") == "Oral vs topical minoxidil after 6 months"]
    assert len(oral) == 1 and oral[0].find(f"{ATOM}link") is None


def test_export_all_writes_every_study(engine: Engine, session: Session, corpus: Corpus,
                                       tmp_path: Path) -> None:
    report = export_all(engine, str(tmp_path / "feeds"), "atom", now=NOW)
    assert report.studies == 3 and len(report.files) == 3
    assert str(report).startswith("atom: 3 studies, 3 files")


def test_index_links_only_study_page_names(session: Session, corpus: Corpus,
                                           tmp_path: Path) -> None:
    """A file or manifest row named like a script URL never becomes an index link."""
    export(session, "html", tmp_path, charts="none")
    hostile = "javascript:alert(1).html"  # a relative name no more: a script URL
    (tmp_path / hostile).write_text("<p>dropped here</p>")
    (tmp_path / "notes page.html").write_text("<p>a page of the user's</p>")
    manifest = tmp_path / ".hairlink-index.json"
    rows = json.loads(manifest.read_text())
    rows.append({**rows[0], "href": hostile, "title": "from the manifest"})
    manifest.write_text(json.dumps(rows))
    export(session, "html", tmp_path, charts="none")
    index = (tmp_path / "index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert f"{S1_FILE}.html" in hrefs and len(hrefs) == 3  # the three study pages
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", h) for h in hrefs), hrefs
    assert "javascript:" not in index and "from the manifest" not in index
