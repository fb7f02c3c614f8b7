"""Identifiers and fields that would not fit the study columns are refused or fitted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import Study
from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_store import upsert_study


def test_identifier_bounds() -> None:
    assert normalise_doi("10.5555/" + "x" * 292) == "10.5555/" + "x" * 292  # 300 characters
    assert normalise_doi("10.5555/" + "x" * 293) is None
    assert normalise_pmid("9" * 12) == "9" * 12
    assert normalise_pmid("9" * 13) is None
    assert normalise_pmid("١٢٣") is None  # Arabic-Indic digits are not a PMID
    assert normalise_pmid("12²") is None
    assert normalise_pmcid("PMC١٢٣") is None
    assert normalise_doi("10.١٢٣٤/x") is None


def test_oversized_fields_are_fitted_not_fatal(session: Session) -> None:
    upsert_study(session, {"pmid": "99000900", "journal": "J" * 800,
                           "url": "https://example.org/" + "p" * 1200,
                           "title": "T" * 5000})
    session.commit()
    stored = session.scalars(select(Study)).one()
    assert len(stored.journal) == 500 and stored.journal.endswith("…")
    assert stored.url is None
    assert len(stored.title) == 5000


def test_only_web_urls_are_stored_or_handed_out(session: Session) -> None:
    from models.study_queries import list_studies

    upsert_study(session, {"pmid": "99000901", "url": "javascript:alert(1)", "title": "A"})
    upsert_study(session, {"pmid": "99000902", "url": "https://example.org/p", "title": "B"})
    session.commit()
    # A row written by an older version (or by hand) is not handed out either.
    study = session.scalars(select(Study).where(Study.pmid == "99000902")).one()
    study.url = " JavaScript:alert(2)"
    session.commit()
    urls = {s["pmid"]: s["url"] for s in list_studies(session)}
    assert urls == {"99000901": "https://pubmed.ncbi.nlm.nih.gov/99000901/",
                    "99000902": "https://pubmed.ncbi.nlm.nih.gov/99000902/"}
    assert list_studies(session, search="q" * 100_000) == []
