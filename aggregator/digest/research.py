"""The research sections of a study page: "Research cited in this study (N / M)", "Cited by"
and "Similar research", as display-ready values and in each digest format.

Titles are untrusted text (services and files): every format escapes them its own way, and
links are kept only when they are plain http(s) (`present.safe_url`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aggregator.digest.present import safe_url
from models.post_output import csv_safe
from models.study_research import PaperRecord, StudyLinkRecord, StudyResearch

REFERENCES_HEADING = "Research cited in this study"
CITED_BY_HEADING = "Cited by"
SIMILAR_HEADING = "Similar research"


@dataclass
class ResearchItem:
    """One paper in a research section."""

    title: str
    year: int | None
    url: str | None  # the paper (doi.org, PubMed, PMC), http(s) only
    study_id: int | None = None  # a catalogue study (its own digest page)
    key: str | None = None
    score: float | None = None

    @property
    def label(self) -> str:
        """The title with its year, or a placeholder for an untitled paper."""
        title = self.title or self.key or "(untitled paper)"
        return f"{title} ({self.year})" if self.year else title

    def as_dict(self) -> dict[str, Any]:
        """For JSON digests."""
        return {"title": self.title, "year": self.year, "url": self.url, "key": self.key,
                "in_catalogue": self.study_id is not None,
                **({"score": round(self.score, 4)} if self.score is not None else {})}


@dataclass
class ResearchView:
    """The three sections of one study page."""

    references: list[ResearchItem] = field(default_factory=list)
    references_total: int = 0
    references_in_catalogue: int = 0
    cited_by: list[ResearchItem] = field(default_factory=list)
    cited_by_total: int = 0
    similar: list[ResearchItem] = field(default_factory=list)

    @property
    def references_heading(self) -> str:
        """"Research cited in this study (N / M)": shown / stored."""
        return f"{REFERENCES_HEADING} ({len(self.references)} / {self.references_total})"

    @property
    def cited_by_heading(self) -> str:
        """"Cited by N studies here"."""
        noun = "study" if self.cited_by_total == 1 else "studies"
        return f"{CITED_BY_HEADING} {self.cited_by_total} {noun} here"

    @property
    def similar_heading(self) -> str:
        """"Similar research (N)"."""
        return f"{SIMILAR_HEADING} ({len(self.similar)})"


def _item(record: PaperRecord) -> ResearchItem:
    """A reference, citing or similar study for display (titles on one line; links
    http(s) only)."""
    return ResearchItem(title=" ".join(record.title.split()), year=record.year,
                        url=safe_url(record.url), study_id=record.study_id, key=record.key,
                        score=record.score if isinstance(record, StudyLinkRecord) else None)


def research_view(research: StudyResearch) -> ResearchView:
    """Display-ready research sections (catalogue references first, as stored)."""
    return ResearchView(
        references=[_item(r) for r in research.references],
        references_total=research.references_total,
        references_in_catalogue=research.references_in_catalogue,
        cited_by=[_item(r) for r in research.cited_by],
        cited_by_total=research.cited_by_total,
        similar=[_item(r) for r in research.similar])


def research_json(view: ResearchView) -> dict[str, Any]:
    """The research keys of a JSON digest."""
    return {"references": [i.as_dict() for i in view.references],
            "references_total": view.references_total,
            "references_in_catalogue": view.references_in_catalogue,
            "cited_by": [i.as_dict() for i in view.cited_by],
            "cited_by_total": view.cited_by_total,
            "similar": [i.as_dict() for i in view.similar]}


RESEARCH_CSV_FIELDS = ("section", "rank", "key", "title", "year", "in_catalogue", "score", "url")


def research_csv_rows(view: ResearchView) -> list[dict[str, Any]]:
    """Rows of the `<stem>.refs.csv` companion of a CSV digest (text cells `csv_safe`)."""
    rows = []
    for section, items in (("references", view.references), ("cited_by", view.cited_by),
                           ("similar", view.similar)):
        for rank, item in enumerate(items, 1):
            rows.append({"section": section, "rank": rank, "key": csv_safe(item.key),
                         "title": csv_safe(item.title), "year": item.year or "",
                         "in_catalogue": "yes" if item.study_id is not None else "no",
                         "score": "" if item.score is None else f"{item.score:.4f}",
                         "url": csv_safe(item.url)})
    return rows
