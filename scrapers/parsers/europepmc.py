"""Europe PMC REST `search` answers (lite and core result types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_store import StudyIn
from scrapers.parsers.jsonbody import ServiceError, as_int, as_text, load_json


@dataclass
class EpmcRecord:
    """One Europe PMC search result."""

    source: str | None
    pmid: str | None
    pmcid: str | None
    doi: str | None
    title: str | None
    journal: str | None
    year: int | None
    cited_by_count: int | None
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None

    def enrichment(self) -> StudyIn:
        """Identifiers and the citation count, for enrichment."""
        record: StudyIn = {"pmid": self.pmid, "doi": self.doi, "pmcid": self.pmcid}
        if self.cited_by_count is not None:
            record["citation_count"] = self.cited_by_count
        return record


@dataclass
class EpmcSearch:
    """A search page: the total hit count, its records and the next cursor (if any)."""

    hit_count: int
    records: list[EpmcRecord]
    next_cursor: str | None = None


def _record(data: dict[str, Any]) -> EpmcRecord:
    journal = as_text(data.get("journalTitle"))
    info = data.get("journalInfo")
    if journal is None and isinstance(info, dict) and isinstance(info.get("journal"), dict):
        journal = as_text(info["journal"].get("title"))
    author_list = data.get("authorList")
    authors: list[str] = []
    if isinstance(author_list, dict):
        for author in author_list.get("author") or []:
            if isinstance(author, dict):
                name = as_text(author.get("fullName")) or as_text(author.get("collectiveName"))
                if name:
                    authors.append(name)
    if not authors and as_text(data.get("authorString")):
        authors = [a.strip() for a in str(data["authorString"]).rstrip(".").split(",")
                   if a.strip()]
    return EpmcRecord(
        source=as_text(data.get("source")),
        pmid=normalise_pmid(data.get("pmid")),
        pmcid=normalise_pmcid(data.get("pmcid")),
        doi=normalise_doi(data.get("doi")),
        title=as_text(data.get("title")),
        journal=journal,
        year=as_int(data.get("pubYear")),
        cited_by_count=as_int(data.get("citedByCount")),
        authors=authors,
        abstract=as_text(data.get("abstractText")),
    )


def parse_search(body: bytes | str | Any) -> EpmcSearch:
    """Parse a search answer; ServiceError for an error document or another shape."""
    data = load_json(body)
    if not isinstance(data, dict):
        raise ServiceError("unexpected Europe PMC answer")
    if "errCode" in data or ("error" in data and "resultList" not in data):
        raise ServiceError(str(data.get("errMsg") or data.get("error")))
    result_list = data.get("resultList")
    if not isinstance(result_list, dict):
        raise ServiceError("Europe PMC answer without resultList")
    records = [_record(r) for r in result_list.get("result") or [] if isinstance(r, dict)]
    return EpmcSearch(hit_count=as_int(data.get("hitCount")) or 0, records=records,
                      next_cursor=as_text(data.get("nextCursorMark")))


def search_query(study: StudyIn) -> str | None:
    """The query that finds a study: `EXT_ID:<pmid> OR DOI:"<doi>" OR PMCID:<pmcid>`."""
    parts = []
    pmid = normalise_pmid(study.get("pmid"))
    doi = normalise_doi(study.get("doi"))
    pmcid = normalise_pmcid(study.get("pmcid"))
    if pmid:
        parts.append(f"EXT_ID:{pmid}")
    if doi:
        parts.append(f'DOI:"{doi}"')
    if pmcid:
        parts.append(f"PMCID:{pmcid}")
    return " OR ".join(parts) or None


def match(records: list[EpmcRecord], study: StudyIn) -> EpmcRecord | None:
    """The record that shares an identifier with `study` (never just the first hit)."""
    want = {("pmid", normalise_pmid(study.get("pmid"))), ("doi", normalise_doi(study.get("doi"))),
            ("pmcid", normalise_pmcid(study.get("pmcid")))}
    want = {pair for pair in want if pair[1]}
    for record in records:
        have = {("pmid", record.pmid), ("doi", record.doi), ("pmcid", record.pmcid)}
        if want & have:
            return record
    return None
