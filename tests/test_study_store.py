from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import Study
from models.study_store import StudyIn, StudyWithoutIdentifier, upsert_study

PUBMED: StudyIn = {"pmid": "31234567", "doi": "10.1111/JDV.1234", "title": "Oral minoxidil",
                   "journal": "J Eur Acad Dermatol", "pub_year": 2020, "authors": ["A B"]}
CSV_DOI_ONLY: StudyIn = {"doi": "https://doi.org/10.1111/jdv.1234", "tldr": "It works."}
EPMC: StudyIn = {"pmcid": "pmc7654321", "pmid": "PMID: 31234567", "citation_count": 12}


@pytest.mark.parametrize("order", list(itertools.permutations([PUBMED, CSV_DOI_ONLY, EPMC])))
def test_one_row_per_paper_in_any_order(session: Session, order: tuple[StudyIn, ...]) -> None:
    for item in order:
        upsert_study(session, item)
    session.commit()
    rows = session.scalars(select(Study)).all()
    assert len(rows) == 1
    study = rows[0]
    assert (study.pmid, study.doi, study.pmcid) == ("31234567", "10.1111/jdv.1234", "PMC7654321")
    assert study.title == "Oral minoxidil"
    assert study.tldr == "It works."
    assert study.citation_count == 12


def test_two_partial_rows_merge_when_a_record_joins_them(session: Session) -> None:
    upsert_study(session, {"doi": "10.1000/abc", "title": "A"})
    upsert_study(session, {"pmid": "42", "journal": "J"})
    session.commit()
    assert session.scalar(select(func.count()).select_from(Study)) == 2
    _, outcome = upsert_study(session, {"doi": "doi:10.1000/ABC", "pmid": "42"})
    session.commit()
    assert outcome == "merged"
    study = session.scalars(select(Study)).one()
    assert (study.doi, study.pmid, study.title, study.journal) == ("10.1000/abc", "42", "A", "J")


def test_record_without_identifier_is_refused(session: Session) -> None:
    with pytest.raises(StudyWithoutIdentifier):
        upsert_study(session, {"doi": "not a doi", "title": "x"})
