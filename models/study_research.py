"""Reading a study's research: the papers it cites, the catalogue studies citing it, its
similar studies, as named records (`models.study_references` stores them). Each reader
takes the caller's session and many study ids at once; the single-study forms wrap them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from models.entities import ReferencePaper, SimilarStudy, Study, StudyReference
from models.identifiers import identifier_url, study_key
from models.post_rows import chunked


@dataclass(frozen=True, kw_only=True)
class PaperRecord:
    """A paper as a research section shows it: a catalogue study (`study_id`, `key`: its
    own page) or an outside paper (both None)."""

    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str
    year: int | None
    url: str | None
    study_id: int | None
    key: str | None


@dataclass(frozen=True, kw_only=True)
class ReferenceRecord(PaperRecord):
    """A paper a study cites, at `position` in its reference list."""

    in_catalogue: bool
    position: int

    def as_dict(self) -> dict[str, object]:
        """The keys `hairlink studies --format json` prints."""
        return {"pmid": self.pmid, "doi": self.doi, "pmcid": self.pmcid, "title": self.title,
                "year": self.year, "in_catalogue": self.in_catalogue}


@dataclass(frozen=True, kw_only=True)
class StudyLinkRecord(PaperRecord):
    """Another catalogue study shown next to a study (citing it, or similar to it)."""

    study_id: int
    key: str
    score: float | None = None

    def as_dict(self) -> dict[str, object]:
        """`{pmid, doi, pmcid, title, score}` (the `similar` entries of the study JSON)."""
        return {"pmid": self.pmid, "doi": self.doi, "pmcid": self.pmcid, "title": self.title,
                "score": None if self.score is None else round(self.score, 4)}


@dataclass
class StudyResearch:
    """The three research sections of one study page."""

    references: list[ReferenceRecord] = field(default_factory=list)
    references_total: int = 0
    references_in_catalogue: int = 0
    cited_by: list[StudyLinkRecord] = field(default_factory=list)
    cited_by_total: int = 0
    similar: list[StudyLinkRecord] = field(default_factory=list)


def reference_edges(session: Session) -> list[tuple[int, int | None, int | None]]:
    """Every edge as (citing study, cited study or None, cited light paper or None)."""
    rows = session.connection().execute(  # Core rows, fetched at once: many edges
        select(StudyReference.citing_study_id, StudyReference.cited_study_id,
               StudyReference.cited_paper_id)).all()
    return [(citing, cited, paper) for citing, cited, paper in rows]


def _paper_fields(record: PaperRecord) -> dict[str, Any]:
    """The `PaperRecord` fields of `record`, by name."""
    return {f.name: getattr(record, f.name) for f in fields(PaperRecord)}


def _link_record(row: Sequence[Any], score: float | None = None) -> StudyLinkRecord:
    study_id, pmid, doi, pmcid, title, year, url = row
    return StudyLinkRecord(study_id=study_id, key=study_key(pmid, doi, pmcid, study_id),
                           pmid=pmid, doi=doi, pmcid=pmcid, title=" ".join((title or "").split()),
                           year=year, url=url or identifier_url(doi, pmid, pmcid), score=score)


_STUDY_COLUMNS = (Study.id, Study.pmid, Study.doi, Study.pmcid, Study.title, Study.pub_year,
                  Study.url)


@cache
def _research_statements() -> dict[str, Select[Any]]:
    """The research readers' selects over the studies in `:ids`, built once (a study page
    then only executes them, as Core rows: no statement building or ORM row handling)."""
    ids = bindparam("ids", expanding=True)
    ref = StudyReference
    return {
        "inside": select(ref.citing_study_id, ref.position, *_STUDY_COLUMNS)
        .join(Study, Study.id == ref.cited_study_id)
        .where(ref.citing_study_id.in_(ids))
        .order_by(ref.citing_study_id, ref.position),
        "outside": select(ref.citing_study_id, ref.position, ReferencePaper.pmid,
                          ReferencePaper.doi, ReferencePaper.pmcid, ReferencePaper.title,
                          ReferencePaper.pub_year)
        .join(ReferencePaper, ReferencePaper.id == ref.cited_paper_id)
        .where(ref.citing_study_id.in_(ids))
        .order_by(ref.citing_study_id, ref.position),
        "counts": select(ref.citing_study_id, func.count(), func.count(ref.cited_study_id))
        .where(ref.citing_study_id.in_(ids)).group_by(ref.citing_study_id),
        "cited_by": select(ref.cited_study_id, func.count())
        .where(ref.cited_study_id.in_(ids)).group_by(ref.cited_study_id),
        "citing": select(ref.cited_study_id, *_STUDY_COLUMNS)
        .join(Study, Study.id == ref.citing_study_id)
        .where(ref.cited_study_id.in_(ids))
        .order_by(ref.cited_study_id, Study.pub_year.desc().nulls_last(), Study.id),
        "similar": select(SimilarStudy.study_id, SimilarStudy.score, *_STUDY_COLUMNS)
        .join(Study, Study.id == SimilarStudy.similar_id)
        .where(SimilarStudy.study_id.in_(ids))
        .order_by(SimilarStudy.study_id, SimilarStudy.rank),
    }


def _research_rows(session: Session, name: str, study_ids: Sequence[int]) -> Iterator[Any]:
    """The rows of research statement `name` for `study_ids` (one query per 900)."""
    statement = _research_statements()[name]
    if session.autoflush:  # as an ORM query would: pending rows are seen
        session.flush()
    conn = session.connection()
    for chunk in chunked(list(dict.fromkeys(study_ids))):
        yield from conn.execute(statement, {"ids": list(chunk)})


def references_by_study(session: Session, study_ids: Sequence[int],
                        limit: int | None = None) -> dict[int, list[ReferenceRecord]]:
    """Each study's references: catalogue studies first, then outside papers, each in list
    order; at most `limit` per study (None: all)."""
    out: dict[int, list[ReferenceRecord]] = defaultdict(list)
    for citing, position, *study in _research_rows(session, "inside", study_ids):
        link = _link_record(study)
        out[citing].append(ReferenceRecord(**_paper_fields(link), in_catalogue=True,
                                           position=position))
    for citing, position, pmid, doi, pmcid, title, year in _research_rows(
            session, "outside", study_ids):
        out[citing].append(ReferenceRecord(
            pmid=pmid, doi=doi, pmcid=pmcid, title=title or "", year=year,
            in_catalogue=False, study_id=None, key=None,
            url=identifier_url(doi, pmid, pmcid), position=position))
    for refs in out.values():
        refs.sort(key=lambda r: (not r.in_catalogue, r.position))
        if limit is not None:
            del refs[limit:]
    return dict(out)


def references_of(session: Session, study_id: int,
                  limit: int | None = None) -> list[ReferenceRecord]:
    """The papers study `study_id` cites (catalogue studies first), at most `limit`."""
    return references_by_study(session, [study_id], limit).get(study_id, [])


def reference_counts(session: Session, study_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(references stored, of which in the catalogue) per study id."""
    return {citing: (total, inside)
            for citing, total, inside in _research_rows(session, "counts", study_ids)}


def cited_by_counts(session: Session, study_ids: Sequence[int]) -> dict[int, int]:
    """How many catalogue studies cite each study (studies nobody cites are left out)."""
    return dict(_research_rows(session, "cited_by", study_ids))


def cited_by_count(session: Session, study_id: int) -> int:
    """How many catalogue studies cite study `study_id` ("Cited by N studies here")."""
    return cited_by_counts(session, [study_id]).get(study_id, 0)


def citing_studies_by_study(session: Session, study_ids: Sequence[int],
                            limit: int | None = None) -> dict[int, list[StudyLinkRecord]]:
    """The catalogue studies citing each study, newest first, at most `limit` each."""
    out: dict[int, list[StudyLinkRecord]] = defaultdict(list)
    for cited, *study in _research_rows(session, "citing", study_ids):
        if limit is None or len(out[cited]) < limit:
            out[cited].append(_link_record(study))
    return dict(out)


def citing_studies(session: Session, study_id: int,
                   limit: int | None = None) -> list[StudyLinkRecord]:
    """The catalogue studies that cite study `study_id` (newest first)."""
    return citing_studies_by_study(session, [study_id], limit).get(study_id, [])


def similar_by_study(session: Session,
                     study_ids: Sequence[int]) -> dict[int, list[StudyLinkRecord]]:
    """Each study's stored similar studies, most similar first (with their scores)."""
    out: dict[int, list[StudyLinkRecord]] = defaultdict(list)
    for study_id, score, *study in _research_rows(session, "similar", study_ids):
        out[study_id].append(_link_record(study, score))
    return dict(out)


def similar_to(session: Session, study_id: int) -> list[StudyLinkRecord]:
    """Study `study_id`'s most similar catalogue studies (≤ 6, best first)."""
    return similar_by_study(session, [study_id]).get(study_id, [])


def research_by_study(session: Session, study_ids: Sequence[int],
                      shown: int | None = 20) -> dict[int, StudyResearch]:
    """The research sections of many studies: references (first `shown`, catalogue first)
    with totals, the citing catalogue studies (first `shown`) with a total, similar ones."""
    ids = list(dict.fromkeys(study_ids))
    counts = reference_counts(session, ids)
    cited = cited_by_counts(session, ids)
    # The rows are read only for the studies the counts found some for (a study page of a
    # study that cites and is cited by nothing: three queries instead of six).
    refs = references_by_study(session, [i for i in ids if i in counts], shown)
    citing = citing_studies_by_study(session, [i for i in ids if i in cited], shown)
    similar = similar_by_study(session, ids)
    return {i: StudyResearch(references=refs.get(i, []),
                             references_total=counts.get(i, (0, 0))[0],
                             references_in_catalogue=counts.get(i, (0, 0))[1],
                             cited_by=citing.get(i, []), cited_by_total=cited.get(i, 0),
                             similar=similar.get(i, [])) for i in ids}


def study_research(session: Session, study_id: int, shown: int | None = 20) -> StudyResearch:
    """The research sections of one study page (see `research_by_study`)."""
    return research_by_study(session, [study_id], shown)[study_id]


def ids_citing(study_id: int) -> Select[tuple[int]]:
    """A SELECT of the ids of studies that cite `study_id` (for `--cites KEY`)."""
    return select(StudyReference.citing_study_id).where(
        StudyReference.cited_study_id == study_id)


def ids_cited_by(study_id: int) -> Select[tuple[int | None]]:
    """A SELECT of the ids of catalogue studies `study_id` cites (for `--cited-by KEY`)."""
    return select(StudyReference.cited_study_id).where(
        StudyReference.citing_study_id == study_id, StudyReference.cited_study_id.is_not(None))
