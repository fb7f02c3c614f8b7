"""Every CSV hairlink writes keeps one rule for text from the web or a lexicon: a cell that
starts with `=`, `+`, `-` or `@` gets a leading `'` (`models.post_output.csv_safe`), so a
spreadsheet shows it instead of running it. Numbers stay numbers."""

from __future__ import annotations

import csv
import io

from aggregator.digest.research import ResearchItem, ResearchView, research_csv_rows
from hairlink.commands.studies import render_csv
from hairlink.commands.treatments import csv_row
from models.study_queries import STUDY_FIELDS
from models.treatment_stats import StudyCount, TreatmentStats

FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def test_research_csv_rows_quote_formulas() -> None:
    view = ResearchView(references=[ResearchItem(title=FORMULA, year=2020, url=None),
                                    ResearchItem(title="@SUM(A1:A9)", year=None, url=None,
                                                 key="pmid:1"),
                                    ResearchItem(title="Plain title", year=None,
                                                 url="https://doi.org/10.1/x")],
                        similar=[ResearchItem(title="-2+3", year=None, url=None, score=0.5)])
    rows = research_csv_rows(view)
    assert [r["title"] for r in rows] == ["'" + FORMULA, "'@SUM(A1:A9)", "Plain title",
                                          "'-2+3"]
    assert [r["key"] for r in rows] == ["", "pmid:1", "", ""]
    assert rows[2]["url"] == "https://doi.org/10.1/x" and rows[0]["year"] == 2020


def test_studies_csv_quotes_formulas_not_numbers() -> None:
    row: dict[str, object] = {name: None for name in STUDY_FIELDS}
    row.update(key="pmid:7", title=FORMULA, journal="+1 Journal", authors=["@admin", "B"],
               tldr="-1 month", abstract="fine", citation_count=-3, year=2024)
    (out,) = csv.DictReader(io.StringIO(render_csv([row])))
    assert out["title"] == "'" + FORMULA and out["journal"] == "'+1 Journal"
    assert out["authors"] == "'@admin; B" and out["tldr"] == "'-1 month"
    assert out["abstract"] == "fine" and out["key"] == "pmid:7"
    assert out["citation_count"] == "-3" and out["year"] == "2024"


def test_treatments_csv_quotes_lexicon_names() -> None:
    item = TreatmentStats(treatment="minoxidil", name="=cmd|' /C calc'!A0", threads=2,
                          side_effects={"shedding": 1},
                          top_studies=[StudyCount(id=1, key="pmid:1", title="t", threads=2)])
    row = csv_row(item)
    assert row["name"] == "'=cmd|' /C calc'!A0" and row["treatment"] == "minoxidil"
    assert row["side_effects"] == "shedding=1" and row["top_studies"] == "pmid:1=2"
    assert row["threads"] == 2
