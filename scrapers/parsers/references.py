"""Reference-list answers: Semantic Scholar `/paper/{id}/references` pages and Europe PMC
`/{source}/{id}/references` pages, read into `CitedPaperIn` records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_references import CitedPaperIn
from scrapers.parsers.jsonbody import ServiceError, as_int, as_text, load_json

S2_REFERENCE_FIELDS = "externalIds,title,year"


@dataclass
class ReferencePage:
    """One page of a reference list: its entries, and where the next page starts (None:
    this was the last one); `total` when the service says how many there are."""

    papers: list[CitedPaperIn] = field(default_factory=list)
    next_offset: int | None = None
    total: int | None = None


def _s2_paper(data: dict[str, Any]) -> CitedPaperIn:
    ids = data.get("externalIds")
    ids = ids if isinstance(ids, dict) else {}
    pmid, pmcid = ids.get("PubMed"), ids.get("PubMedCentral")
    return CitedPaperIn(pmid=normalise_pmid(pmid) if isinstance(pmid, str | int) else None,
                        doi=normalise_doi(as_text(ids.get("DOI"))),
                        pmcid=normalise_pmcid(str(pmcid)) if isinstance(pmcid, str | int)
                        else None,
                        title=as_text(data.get("title")), year=as_int(data.get("year")))


def parse_s2_references(body: bytes | str | Any) -> ReferencePage:
    """A Semantic Scholar references page: `{"offset", "next"?, "data": [{"citedPaper":
    {...}}]}`; no `next` on the last page. Entries that are not objects are skipped;
    ServiceError for an error document or another shape."""
    data = load_json(body)
    if not isinstance(data, dict):
        raise ServiceError("unexpected Semantic Scholar references answer")
    if "error" in data or ("message" in data and "data" not in data):
        raise ServiceError(str(data.get("error") or data.get("message")))
    entries = data.get("data")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise ServiceError("Semantic Scholar references answer: `data` is not a list")
    page = ReferencePage(next_offset=as_int(data.get("next")))
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        cited = entry.get("citedPaper")
        if isinstance(cited, dict):
            page.papers.append(_s2_paper(cited))
    return page


def _epmc_reference(data: dict[str, Any]) -> CitedPaperIn:
    source = (as_text(data.get("source")) or "").upper()
    ident = as_text(str(data["id"])) if data.get("id") is not None else None
    pmid = normalise_pmid(ident) if source == "MED" else None
    pmcid = normalise_pmcid(ident) if source == "PMC" else None
    return CitedPaperIn(pmid=pmid or normalise_pmid(as_text(data.get("pmid"))),
                        doi=normalise_doi(as_text(data.get("doi"))),
                        pmcid=pmcid or normalise_pmcid(as_text(data.get("pmcid"))),
                        title=as_text(data.get("title")), year=as_int(data.get("pubYear")))


def parse_epmc_references(body: bytes | str | Any) -> ReferencePage:
    """A Europe PMC references page: `{"hitCount", "referenceList": {"reference": [...]}}`
    (`id` + `source` MED/PMC give the PMID/PMCID). `total` is `hitCount`."""
    data = load_json(body)
    if not isinstance(data, dict):
        raise ServiceError("unexpected Europe PMC references answer")
    if "errCode" in data or ("error" in data and "referenceList" not in data):
        raise ServiceError(str(data.get("errMsg") or data.get("error")))
    ref_list = data.get("referenceList") or {}
    entries = ref_list.get("reference") if isinstance(ref_list, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise ServiceError("Europe PMC references answer: `reference` is not a list")
    return ReferencePage(papers=[_epmc_reference(e) for e in entries if isinstance(e, dict)],
                         total=as_int(data.get("hitCount")))
