"""`import_study_files`: every format, malformed rows located, one row per paper in any order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import Study, StudyTreatment, Treatment
from scrapers.importers.studies import import_study_files
from scrapers.parsers.studyfiles import UnknownFormat, detect_format
from tests.conftest import EVAL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studies"
TREATMENTS = ("minoxidil", "finasteride", "ketoconazole", "microneedling", "prp")


@pytest.fixture
def with_treatments(session: Session) -> Session:
    session.add_all(Treatment(id=t, name=t.title(), category="drug") for t in TREATMENTS)
    session.commit()
    return session


def problems_of(report: object) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in report.errors]  # type: ignore[attr-defined]


def by_pmid(session: Session, pmid: str) -> Study:
    return session.scalars(select(Study).where(Study.pmid == pmid)).one()


def treatments(session: Session, study: Study) -> list[str]:
    return sorted(session.scalars(select(StudyTreatment.treatment_id)
                                  .where(StudyTreatment.study_id == study.id)))


def test_csv_rows_and_malformed_rows_with_line_numbers(with_treatments: Session) -> None:
    session = with_treatments
    report = import_study_files(session, [FIXTURES / "studies.csv"])
    assert report.read == 3 and report.inserted == 3
    assert problems_of(report) == [
        (4, "no PMID, DOI or PMCID"),
        (5, "pub_year: not a whole number: 'twenty'"),
        (8, "expected 10 columns, got 11"),
    ]
    registry = session.scalars(select(Study).where(Study.doi == "10.5555/scalp.2019.0102")).one()
    assert registry.authors == ["Claire Moreau", "Jonas Berg"]
    assert (registry.pub_year, registry.tldr, registry.citation_count) == (
        2019, "Few men reported lasting effects.", 14)
    assert treatments(session, registry) == ["finasteride"]
    needling = by_pmid(session, "99000104")
    assert treatments(session, needling) == ["microneedling", "minoxidil"]
    prp = by_pmid(session, "99000106")
    assert prp.title == "Platelet-rich plasma, a multi-line title cell"  # quoted newline


def test_jsonl_eval_shape_and_malformed_lines(with_treatments: Session) -> None:
    session = with_treatments
    report = import_study_files(session, [FIXTURES / "studies.jsonl"])
    assert report.read == 2
    assert [line for line, _ in problems_of(report)] == [2, 5, 6, 7]
    assert problems_of(report)[0][1].startswith("not JSON")
    oral = session.scalars(select(Study).where(Study.doi == "10.5555/oralmin.2021.0090")).one()
    assert (oral.citation_count, oral.pub_year, oral.tldr) == (
        42, 2021, "Low-dose oral minoxidil helped women.")
    assert oral.url == "https://doi.org/10.5555/ORALMIN.2021.0090"
    keto = by_pmid(session, "99000192")
    assert (keto.pmcid, keto.authors) == ("PMC9900192", ["Kenji Sato", "Mei Lin"])
    assert treatments(session, keto) == ["ketoconazole"]


def test_ris_records(session: Session) -> None:
    report = import_study_files(session, [FIXTURES / "studies.ris"])
    assert report.read == 2
    assert problems_of(report) == [(22, "no PMID, DOI or PMCID"),
                                   (28, "RIS record is not closed by an 'ER  -' line")]
    laser = session.scalars(select(Study).where(Study.doi == "10.5555/lllt.2017.0301")).one()
    assert laser.authors == ["Thi Mai Nguyen", "Lukas Fischer"]
    assert (laser.journal, laser.pub_year) == ("Synth Photomed", 2017)
    assert laser.abstract == "Laser caps increased hair counts versus sham devices."
    accession = by_pmid(session, "99000302")
    assert accession.pmcid == "PMC9900302"
    assert accession.journal == "Hair Therapeutics Reports (synthetic)"


def test_pubmed_xml_with_dropped_articles(session: Session) -> None:
    report = import_study_files(session, [FIXTURES / "efetch_hairloss.xml"])
    assert report.read == 3
    assert [message for _, message in problems_of(report)] == ["no PMID", "bad PMID"]
    assert all(line and line > 70 for line, _ in problems_of(report))
    first = by_pmid(session, "99000101")
    assert first.abstract.startswith("BACKGROUND: Androgenetic alopecia")
    assert first.mesh_terms == ["Alopecia", "Minoxidil"]


def test_unknown_treatments_are_a_warning_not_a_lost_row(session: Session) -> None:
    report = import_study_files(session, [FIXTURES / "studies.jsonl"])
    assert report.read == 2
    warnings = [p for p in report.problems if p.warning]
    assert len(warnings) == 2 and "minoxidil" in warnings[0].message
    assert session.scalar(select(func.count()).select_from(StudyTreatment)) == 0


def test_format_option_and_unreadable_inputs(session: Session, tmp_path: Path) -> None:
    odd = tmp_path / "list.txt"
    odd.write_text("doi,title\n10.5555/TXT.1,From a txt file\n")
    report = import_study_files(session, [odd, tmp_path / "missing.csv"])
    assert report.read == 0
    assert [p.message for p in report.errors][1] == "no such file"
    assert "cannot tell the format" in report.errors[0].message
    report = import_study_files(session, [odd], fmt="csv")
    assert report.read == 1
    headerless = tmp_path / "h.csv"
    headerless.write_text("title,journal\nx,y\n")
    report = import_study_files(session, [headerless])
    assert report.read == 0
    assert report.errors[0].message.startswith("the header row names no identifier")
    with pytest.raises(UnknownFormat):
        detect_format(odd, "bibtex")


PUBMED_XML = """<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>
<PMID>99000500</PMID><Article><Journal><Title>Synth J</Title><JournalIssue><PubDate>
<Year>2018</Year></PubDate></JournalIssue></Journal><ArticleTitle>Finasteride, the PubMed
title</ArticleTitle></Article></MedlineCitation><PubmedData><ArticleIdList>
<ArticleId IdType="pubmed">99000500</ArticleId><ArticleId IdType="doi">10.5555/MERGE.500</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>"""
CSV_DOI_ONLY = "doi,title,tldr,citations\nhttps://doi.org/10.5555/merge.500,CSV title,CSV tldr,3\n"
JSONL_PMCID = ('{"pmid": "PMID: 99000500", "pmcid": "PMC9900500", "citations": 9, '
               '"treatments": ["finasteride"]}\n')
RIS_DOI = "TY  - JOUR\nTI  - RIS title\nDO  - doi:10.5555/Merge.500\nPY  - 2018\nER  - \n"
FILES = {"a.xml": PUBMED_XML, "b.csv": CSV_DOI_ONLY, "c.jsonl": JSONL_PMCID, "d.ris": RIS_DOI}


@pytest.mark.parametrize("order", list(itertools.permutations(FILES)))
def test_one_row_per_paper_under_every_import_order(with_treatments: Session, tmp_path: Path,
                                                    order: tuple[str, ...]) -> None:
    session = with_treatments
    for name in order:
        (tmp_path / name).write_text(FILES[name])
    for name in order:  # one command per file, as a user adding lists over time would
        report = import_study_files(session, [tmp_path / name])
        assert report.read == 1 and not report.errors
    study = session.scalars(select(Study)).one()
    assert (study.pmid, study.doi, study.pmcid) == ("99000500", "10.5555/merge.500",
                                                    "PMC9900500")
    assert study.title == {"a.xml": "Finasteride, the PubMed title", "b.csv": "CSV title",
                           "d.ris": "RIS title"}[next(n for n in order if n != "c.jsonl")]
    assert study.tldr == "CSV tldr"
    assert study.pub_year == 2018
    # Both files carrying a count reached the row; which count survives a merge of two
    # partial rows follows their update times (see docs/studies.md), never None.
    assert study.citation_count in (3, 9)
    if order.index("c.jsonl") > max(order.index("b.csv"), order.index("a.xml")):
        assert study.citation_count == 9  # written to the merged row itself: newest wins
    assert treatments(session, study) == ["finasteride"]


def test_all_files_in_one_command_merge_too(with_treatments: Session, tmp_path: Path) -> None:
    session = with_treatments
    paths = []
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    report = import_study_files(session, list(reversed(paths)))
    assert report.read == 4 and report.merged == 1
    assert session.scalar(select(func.count()).select_from(Study)) == 1


def test_two_partial_rows_are_joined_by_a_later_file(session: Session, tmp_path: Path) -> None:
    (tmp_path / "doi.csv").write_text("doi,title\n10.5555/JOIN.1,From DOI\n")
    (tmp_path / "pmcid.csv").write_text("pmcid,journal\nPMC424242,From PMCID\n")
    (tmp_path / "both.jsonl").write_text('{"doi": "10.5555/join.1", "pmcid": "pmc424242"}\n')
    import_study_files(session, [tmp_path / "doi.csv", tmp_path / "pmcid.csv"])
    assert session.scalar(select(func.count()).select_from(Study)) == 2
    report = import_study_files(session, [tmp_path / "both.jsonl"])
    assert report.merged == 1
    study = session.scalars(select(Study)).one()
    assert (study.title, study.journal) == ("From DOI", "From PMCID")


def test_eval_studies_jsonl_imports_whole(session: Session) -> None:
    path = EVAL / "studies.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval is not present")
    report = import_study_files(session, [path])
    with_ids = sum(1 for line in path.read_text().splitlines() if '"doi": "' in line
                   or '"pmid": "' in line or '"pmcid": "' in line)
    assert report.read == with_ids == 24
    assert not report.errors
    assert session.scalar(select(func.count()).select_from(Study)) == 24
    assert session.scalar(select(func.count()).select_from(Study)
                          .where(Study.citation_count.is_not(None))) == 24


def test_json_array_file(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('[{"doi": "10.5555/ARR.1", "title": "One"}, {"title": "no id"}, 7,\n'
                    ' {"pmid": "99000700", "year": 2001}]')
    report = import_study_files(session, [path])
    assert report.read == 2
    assert [p.message for p in report.errors] == ["item 2: no PMID, DOI or PMCID",
                                                  "item 3: not a JSON object"]
    assert by_pmid(session, "99000700").pub_year == 2001


def test_a_refused_record_loses_only_itself(session: Session, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import DataError

    import scrapers.importers.studies as importer

    real = importer.upsert_study

    def picky(sess: Session, record: dict) -> object:
        if record.get("title") == "BOOM":
            raise DataError("INSERT", {}, Exception("value too long"))
        return real(sess, record)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "upsert_study", picky)
    rows = [f"10.5555/REF.{n},{'BOOM' if n == 3 else f'Title {n}'}" for n in range(250)]
    path = tmp_path / "many.csv"
    path.write_text("doi,title\n" + "\n".join(rows) + "\n")
    report = import_study_files(session, [path])
    assert report.read == 249 and report.inserted == 249
    assert [(p.line, p.message.split(":")[0]) for p in report.errors] == [(5, "not stored")]
    assert session.scalar(select(func.count()).select_from(Study)) == 249
