"""Read-side study queries for listings and exports. Each takes the caller's session."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from models.entities import Study, StudyTreatment
from models.identifiers import NORMALISERS, identifier_url, study_key
from models.post_rows import chunked
from models.study_keys import StudyKeyError, parse_study_key
from models.study_research import (
    cited_by_counts,
    ids_cited_by,
    ids_citing,
    references_by_study,
    similar_by_study,
)

# The keys every listed study carries (JSON and CSV output), in this order; `key` is the one
# `show`, `--study` and the web view take.
STUDY_FIELDS = ("key", "pmid", "doi", "pmcid", "title", "journal", "year", "month", "authors",
                "tldr", "citation_count", "url", "treatments", "abstract", "mesh_terms",
                "publication_types", "enriched_at", "references", "cited_by", "similar")


def _search_clause(text: str) -> Any:
    text = text.strip()
    clauses = [Study.title.icontains(text, autoescape=True),
               Study.abstract.icontains(text, autoescape=True),
               Study.tldr.icontains(text, autoescape=True),
               Study.journal.icontains(text, autoescape=True)]
    try:  # any key `--study` takes: `pmcid:PMC42`, `doi:10.1/x`, `id:7`, `PMC42`, `42`
        kind, value = parse_study_key(text)
        clauses.append((Study.id if kind == "id" else getattr(Study, kind)) == value)
    except StudyKeyError:
        pass
    # Forms a study key does not take (`PMID 123`, `doi.org/10.1/x`); a bare number is a PMID
    # too. A bare number is not read as a PMCID (`PMC42` is one, and parsed above).
    for kind in ("pmid", "doi"):
        value = NORMALISERS[kind](text)
        if value:
            clauses.append(getattr(Study, kind) == value)
    return or_(*clauses)


# A study search is one substring: longer than this it matches nothing anyway, and SQLite
# refuses LIKE patterns over 50,000 bytes.
MAX_STUDY_SEARCH = 500


def study_select(treatment: str | None = None, search: str | None = None,
                 cites: int | None = None, cited_by: int | None = None,
                 ) -> Select[tuple[Study]]:
    """The SELECT behind `list_studies` (newest publication first)."""
    stmt = select(Study)
    if cites is not None:
        stmt = stmt.where(Study.id.in_(ids_citing(cites)))
    if cited_by is not None:
        stmt = stmt.where(Study.id.in_(ids_cited_by(cited_by)))
    if treatment:
        stmt = stmt.where(Study.id.in_(
            select(StudyTreatment.study_id).where(StudyTreatment.treatment_id == treatment)))
    if search and search.strip():
        stmt = stmt.where(_search_clause(search.strip()[:MAX_STUDY_SEARCH]))
    return stmt.order_by(Study.pub_year.desc().nulls_last(), Study.pub_month.desc().nulls_last(),
                         Study.id)


@cache
def _treatments_statement() -> Select[Any]:
    """The (study id, treatment id) rows of the studies in `:ids`, by treatment id (built
    once: a study page then only executes it, as Core rows)."""
    return (select(StudyTreatment.study_id, StudyTreatment.treatment_id)
            .where(StudyTreatment.study_id.in_(bindparam("ids", expanding=True)))
            .order_by(StudyTreatment.treatment_id))


def treatments_of(session: Session, study_ids: list[int]) -> dict[int, list[str]]:
    """Treatment ids per study id (sorted), for the given studies."""
    found: dict[int, list[str]] = defaultdict(list)
    if session.autoflush:  # as an ORM query would: pending rows are seen
        session.flush()
    conn = session.connection()
    for chunk in chunked(study_ids):
        for study_id, treatment_id in conn.execute(_treatments_statement(),
                                                   {"ids": list(chunk)}).all():
            found[study_id].append(treatment_id)
    return found


def study_dict(study: Study, treatments: list[str]) -> dict[str, Any]:
    """A study as a plain dict with the keys of STUDY_FIELDS (but the research ones,
    which `list_studies` adds)."""
    return {
        "key": study_key(study.pmid, study.doi, study.pmcid, study.id),
        "pmid": study.pmid,
        "doi": study.doi,
        "pmcid": study.pmcid,
        "title": study.title,
        "journal": study.journal,
        "year": study.pub_year,
        "month": study.pub_month,
        "authors": list(study.authors or []),
        "tldr": study.tldr,
        "citation_count": study.citation_count,
        "url": web_url(study.url) or default_url(study),
        "treatments": treatments,
        "abstract": study.abstract,
        "mesh_terms": list(study.mesh_terms or []),
        "publication_types": list(study.publication_types or []),
        "enriched_at": study.enriched_at.isoformat(timespec="seconds")
        if study.enriched_at else None,
    }


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) URL, else None (a stored `javascript:` or `data:` URL is
    never handed out)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def default_url(study: Study) -> str | None:
    """A link to the paper from its identifiers: DOI, else PubMed, else PMC."""
    return identifier_url(study.doi, study.pmid, study.pmcid)


def list_studies(session: Session, treatment: str | None = None, search: str | None = None,
                 limit: int | None = None, cites: int | None = None,
                 cited_by: int | None = None) -> list[dict[str, Any]]:
    """Stored studies as dicts, filtered by treatment id and/or a search text, and/or to
    the studies citing study id `cites` or cited by study id `cited_by`.

    The search matches title, abstract, TLDR and journal (case-insensitive substring) and
    any identifier written in any accepted form (`doi:10.1/X`, `PMID 123`, `pmc42`).
    Each dict also carries `references` (every stored reference, catalogue studies first,
    as `{pmid, doi, pmcid, title, year, in_catalogue}`), `cited_by` (how many catalogue
    studies cite it) and `similar` (≤ 6 `{pmid, doi, pmcid, title, score}`).
    """
    stmt = study_select(treatment, search, cites=cites, cited_by=cited_by)
    if limit:
        stmt = stmt.limit(limit)
    studies = list(session.scalars(stmt))
    ids = [s.id for s in studies]
    treatments = treatments_of(session, ids)
    references = references_by_study(session, ids)
    citing = cited_by_counts(session, ids)
    similar = similar_by_study(session, ids)
    rows = []
    for study in studies:
        row = study_dict(study, treatments.get(study.id, []))
        row["references"] = [r.as_dict() for r in references.get(study.id, [])]
        row["cited_by"] = citing.get(study.id, 0)
        row["similar"] = [r.as_dict() for r in similar.get(study.id, [])]
        rows.append(row)
    return rows


def studies_to_enrich(session: Session, everything: bool = False,
                      limit: int | None = None) -> list[Study]:
    """Studies enrichment should ask about: never enriched ones, or all with `everything`."""
    stmt = select(Study).order_by(Study.id)
    if not everything:
        stmt = stmt.where(Study.enriched_at.is_(None))
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))
