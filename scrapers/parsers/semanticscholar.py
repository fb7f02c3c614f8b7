"""Semantic Scholar Graph API v1 answers: paper batch, single paper, search and edge pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_store import StudyIn
from scrapers.parsers.jsonbody import ServiceError, as_int, as_text, load_json

BATCH_FIELDS = "tldr,citationCount,externalIds"


@dataclass
class S2Paper:
    """What hairlink reads from one Semantic Scholar paper object."""

    paper_id: str | None
    title: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    tldr: str | None = None
    citation_count: int | None = None
    year: int | None = None
    journal: str | None = None
    authors: list[str] = field(default_factory=list)

    def enrichment(self) -> StudyIn:
        """The fields enrichment writes: identifiers, TLDR and citation count."""
        record: StudyIn = {"pmid": self.pmid, "doi": self.doi, "pmcid": self.pmcid}
        if self.tldr:
            record["tldr"] = self.tldr
        if self.citation_count is not None:
            record["citation_count"] = self.citation_count
        return record


def parse_paper(data: dict[str, Any]) -> S2Paper:
    """One paper object (any subset of fields)."""
    ids = data.get("externalIds") or {}
    if not isinstance(ids, dict):
        ids = {}
    tldr = data.get("tldr")
    tldr_text = as_text(tldr.get("text")) if isinstance(tldr, dict) else None
    journal = data.get("journal")
    journal_name = as_text(journal.get("name")) if isinstance(journal, dict) else None
    authors = [name for name in (as_text(a.get("name")) for a in data.get("authors") or []
                                 if isinstance(a, dict)) if name]
    return S2Paper(
        paper_id=as_text(data.get("paperId")),
        title=as_text(data.get("title")),
        doi=normalise_doi(ids.get("DOI")),
        pmid=normalise_pmid(ids.get("PubMed")),
        pmcid=normalise_pmcid(ids.get("PubMedCentral")),
        tldr=tldr_text,
        citation_count=as_int(data.get("citationCount")),
        year=as_int(data.get("year")),
        journal=journal_name or as_text(data.get("venue")),
        authors=authors,
    )


def parse_papers(body: bytes | str | Any) -> list[S2Paper | None]:
    """Papers of any Graph API answer, in order.

    A batch answer keeps its `null` entries (unknown ids) as None so results line up with
    the requested ids; a search or edge page (`data`, also `citedPaper`/`citingPaper`
    wrappers) gives its papers, an empty search (no `data` key) none. An error document
    (`{"error": ...}`, `{"message": ...}`) raises ServiceError.
    """
    data = load_json(body)
    if isinstance(data, list):
        return [parse_paper(entry) if isinstance(entry, dict) else None for entry in data]
    if not isinstance(data, dict):
        raise ServiceError(f"unexpected Semantic Scholar answer: {type(data).__name__}")
    if "error" in data or ("message" in data and "paperId" not in data):
        raise ServiceError(str(data.get("error") or data.get("message")))
    if "paperId" in data:
        return [parse_paper(data)]
    papers: list[S2Paper | None] = []
    for entry in data.get("data") or []:
        if not isinstance(entry, dict):
            papers.append(None)
            continue
        inner = entry.get("citedPaper") or entry.get("citingPaper")
        papers.append(parse_paper(inner if isinstance(inner, dict) else entry))
    return papers


def batch_id(study: StudyIn) -> str | None:
    """The id to ask the batch endpoint for: `PMID:<pmid>`, else `DOI:<doi>`."""
    pmid = normalise_pmid(study.get("pmid"))
    if pmid:
        return f"PMID:{pmid}"
    doi = normalise_doi(study.get("doi"))
    if doi:
        return f"DOI:{doi}"
    pmcid = normalise_pmcid(study.get("pmcid"))
    return f"PMCID:{pmcid[3:]}" if pmcid else None
