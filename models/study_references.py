"""Study reference lists, "cited by" and similar research: storing edges and reading them.

An edge is (citing study, position) -> a catalogue study or a light `reference_paper` row.
Cited papers are matched on normalised PMID/DOI/PMCID (`models.identifiers`); a light row is
adopted by `upsert_study` when its paper is stored as a study, so one paper never has two
rows. Read functions return named records and take the caller's session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from models.entities import (
    ReferenceFetch,
    ReferencePaper,
    SimilarStudy,
    Study,
    StudyReference,
)
from models.identifiers import NORMALISERS, identifier_url, study_key
from models.post_rows import chunked

IDENTIFIER_KINDS = ("pmid", "doi", "pmcid")
_MAX_TITLE = 2000
# A similar-research list is rewritten when its studies change or a score moves this much.
SCORE_TOLERANCE = 0.005


@dataclass
class CitedPaperIn:
    """One entry of a reference list as a citation service reports it."""

    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    title: str | None = None
    year: int | None = None


@dataclass
class ReferenceStoreStats:
    """What storing one reference list did."""

    received: int = 0
    stored: int = 0
    in_catalogue: int = 0
    outside: int = 0
    without_identifier: int = 0
    self_references: int = 0
    duplicates: int = 0
    empty: int = 0  # neither an identifier nor a title: nothing to keep


@dataclass(frozen=True)
class ReferenceRecord:
    """A paper a study cites: a catalogue study (`study_id`, `key`) or an outside paper."""

    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str
    year: int | None
    in_catalogue: bool
    study_id: int | None
    key: str | None
    url: str | None
    position: int

    def as_dict(self) -> dict[str, object]:
        """The keys `hairlink studies --format json` prints."""
        return {"pmid": self.pmid, "doi": self.doi, "pmcid": self.pmcid, "title": self.title,
                "year": self.year, "in_catalogue": self.in_catalogue}


@dataclass(frozen=True)
class StudyLinkRecord:
    """Another catalogue study shown next to a study (citing it, or similar to it)."""

    study_id: int
    key: str
    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str
    year: int | None
    url: str | None
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


# ------------------------------------------------------------------------------ storing


def normalised_paper(paper: CitedPaperIn) -> dict[str, str]:
    """The paper's identifiers that normalise, by kind."""
    ids: dict[str, str] = {}
    for kind in IDENTIFIER_KINDS:
        value = NORMALISERS[kind](getattr(paper, kind))
        if value:
            ids[kind] = value
    return ids


def _lookup(session: Session, entity: type[Study] | type[ReferencePaper],
            wanted: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """(kind, value) -> row id for the rows of `entity` holding any wanted identifier."""
    found: dict[tuple[str, str], int] = {}
    for kind, values in wanted.items():
        column = getattr(entity, kind)
        for chunk in chunked(sorted(values)):
            for row in session.execute(select(entity.id, column.label("value"))
                                       .where(column.in_(chunk))):
                found[(kind, row.value)] = row.id
    return found


@dataclass
class _Edges:
    """The reference edges of one citing study as they are built, skipping repeats."""

    study_id: int
    stats: ReferenceStoreStats
    rows: list[dict[str, int | None]] = field(default_factory=list)
    seen_studies: set[int] = field(default_factory=set)
    seen_papers: set[int] = field(default_factory=set)

    def cite_study(self, cited: int) -> None:
        """An edge to catalogue study `cited` (not to itself, not twice)."""
        if cited == self.study_id:
            self.stats.self_references += 1
        elif cited in self.seen_studies:
            self.stats.duplicates += 1
        else:
            self.seen_studies.add(cited)
            self.rows.append({"cited_study_id": cited, "cited_paper_id": None})
            self.stats.in_catalogue += 1

    def cite_paper(self, paper_id: int, identified: bool) -> None:
        """An edge to light row `paper_id` (not twice)."""
        if paper_id in self.seen_papers:
            self.stats.duplicates += 1
            return
        self.seen_papers.add(paper_id)
        self.rows.append({"cited_study_id": None, "cited_paper_id": paper_id})
        self.stats.outside += 1
        self.stats.without_identifier += not identified


def _light_paper(session: Session, paper: CitedPaperIn, ids: dict[str, str], title: str,
                 now: datetime, light: dict[tuple[str, str], int]) -> int:
    """The id of the light row of `paper`: an existing one (filled in), else a new one."""
    paper_id = next((light[(k, v)] for k, v in ids.items() if (k, v) in light), None)
    if paper_id is not None:
        _fill_light_row(session, paper_id, ids, title, paper.year, light)
        return paper_id
    row = ReferencePaper(title=title, pub_year=paper.year, created_at=now, **ids)
    session.add(row)
    session.flush()
    for kind, value in ids.items():
        light[(kind, value)] = row.id
    return row.id


def _record_fetch(session: Session, study_id: int, source: str, now: datetime,
                  stats: ReferenceStoreStats) -> None:
    """Note in `reference_fetch` when and from where the list came, and what was kept."""
    fetch = session.get(ReferenceFetch, study_id)
    if fetch is None:
        fetch = ReferenceFetch(study_id=study_id, fetched_at=now, source=source)
        session.add(fetch)
    fetch.fetched_at, fetch.source = now, source
    fetch.received, fetch.stored = stats.received, stats.stored
    session.flush()


def store_references(session: Session, study_id: int, papers: Sequence[CitedPaperIn],
                     source: str, now: datetime) -> ReferenceStoreStats:
    """Replace study `study_id`'s reference list with `papers` (in the caller's transaction).

    Catalogue studies are linked by identifier, other papers become (or reuse) light rows;
    a reference to the study itself, a paper listed twice and an entry with neither an
    identifier nor a title are counted and skipped. Records the fetch in `reference_fetch`.
    """
    stats = ReferenceStoreStats(received=len(papers))
    old_papers = set(session.scalars(select(StudyReference.cited_paper_id).where(
        StudyReference.citing_study_id == study_id, StudyReference.cited_paper_id.is_not(None))))
    session.execute(delete(StudyReference).where(StudyReference.citing_study_id == study_id))
    entries = [(paper, normalised_paper(paper)) for paper in papers]
    wanted: dict[str, set[str]] = defaultdict(set)
    for _, ids in entries:
        for kind, value in ids.items():
            wanted[kind].add(value)
    studies = _lookup(session, Study, wanted)
    light = _lookup(session, ReferencePaper, wanted)
    edges = _Edges(study_id, stats)
    for paper, ids in entries:
        title = " ".join((paper.title or "").split())[:_MAX_TITLE]
        if not ids and not title:
            stats.empty += 1
            continue
        cited_study = next((studies[(k, v)] for k, v in ids.items() if (k, v) in studies), None)
        if cited_study is not None:
            edges.cite_study(cited_study)
        else:
            edges.cite_paper(_light_paper(session, paper, ids, title, now, light), bool(ids))
    if edges.rows:
        session.execute(StudyReference.__table__.insert(), [
            {"citing_study_id": study_id, "position": position, **row}
            for position, row in enumerate(edges.rows)])
    stats.stored = len(edges.rows)
    _drop_orphans(session, old_papers - edges.seen_papers)
    _record_fetch(session, study_id, source, now, stats)
    return stats


def _fill_light_row(session: Session, paper_id: int, ids: dict[str, str], title: str,
                    year: int | None, light: dict[tuple[str, str], int]) -> None:
    """Give a light row the identifiers, title and year it lacks (unused identifiers only)."""
    row = session.get(ReferencePaper, paper_id)
    if row is None:
        return
    for kind, value in ids.items():
        if getattr(row, kind) is None and (kind, value) not in light:
            taken = session.scalar(select(Study.id).where(getattr(Study, kind) == value))
            if taken is None:
                setattr(row, kind, value)
                light[(kind, value)] = paper_id
    if not row.title and title:
        row.title = title
    if row.pub_year is None and year is not None:
        row.pub_year = year


def _drop_orphans(session: Session, paper_ids: set[int]) -> None:
    """Delete light rows no edge points to any more."""
    for chunk in chunked(sorted(paper_ids)):
        used = set(session.scalars(select(StudyReference.cited_paper_id)
                                   .where(StudyReference.cited_paper_id.in_(chunk))))
        gone = [i for i in chunk if i not in used]
        if gone:
            session.execute(delete(ReferencePaper).where(ReferencePaper.id.in_(gone)))


def adopt_reference_papers(session: Session, study: Study) -> int:
    """Turn the light rows of `study`'s paper into edges to the study itself.

    Called by `upsert_study` after every write: edges to a light row sharing an identifier
    with the study now point at the study (an edge from the study to itself is dropped, as
    is a second edge from one citing study to it); the light rows are deleted. Returns how
    many light rows were adopted.
    """
    clauses = [getattr(ReferencePaper, kind) == getattr(study, kind)
               for kind in IDENTIFIER_KINDS if getattr(study, kind)]
    if not clauses:
        return 0
    papers = list(session.scalars(select(ReferencePaper).where(or_(*clauses))))
    if not papers:
        return 0
    paper_ids = [p.id for p in papers]
    citing_already = set(session.scalars(select(StudyReference.citing_study_id)
                                         .where(StudyReference.cited_study_id == study.id)))
    edges = session.execute(select(StudyReference.citing_study_id, StudyReference.position)
                            .where(StudyReference.cited_paper_id.in_(paper_ids))
                            .order_by(StudyReference.citing_study_id,
                                      StudyReference.position)).all()
    for citing, position in edges:
        where = ((StudyReference.citing_study_id == citing)
                 & (StudyReference.position == position))
        if citing == study.id or citing in citing_already:
            session.execute(delete(StudyReference).where(where))
        else:
            citing_already.add(citing)
            session.execute(update(StudyReference).where(where).values(
                cited_study_id=study.id, cited_paper_id=None))
    for paper in papers:
        if not study.title and paper.title:
            study.title = paper.title
        if study.pub_year is None and paper.pub_year is not None:
            study.pub_year = paper.pub_year
        session.delete(paper)
    session.flush()
    return len(papers)


def move_references(session: Session, keep_id: int, other_id: int) -> None:
    """Before study `other_id` is merged into `keep_id`: edges to it point at `keep_id`
    (duplicates and self-references dropped); its own list moves over when `keep_id` has
    none; its fetch record likewise."""
    keep_has_list = session.get(ReferenceFetch, keep_id) is not None
    citing_keep = set(session.scalars(select(StudyReference.citing_study_id)
                                      .where(StudyReference.cited_study_id == keep_id)))
    for citing, position in session.execute(
            select(StudyReference.citing_study_id, StudyReference.position)
            .where(StudyReference.cited_study_id == other_id)).all():
        where = ((StudyReference.citing_study_id == citing)
                 & (StudyReference.position == position))
        if citing in (keep_id, other_id) or citing in citing_keep:
            session.execute(delete(StudyReference).where(where))
        else:
            citing_keep.add(citing)
            session.execute(update(StudyReference).where(where).values(cited_study_id=keep_id))
    if keep_has_list:
        session.execute(delete(StudyReference)
                        .where(StudyReference.citing_study_id == other_id))
        session.execute(delete(ReferenceFetch).where(ReferenceFetch.study_id == other_id))
    else:
        session.execute(delete(StudyReference).where(
            StudyReference.citing_study_id == other_id,
            StudyReference.cited_study_id == keep_id))
        session.execute(update(StudyReference).where(StudyReference.citing_study_id == other_id)
                        .values(citing_study_id=keep_id))
        session.execute(update(ReferenceFetch).where(ReferenceFetch.study_id == other_id)
                        .values(study_id=keep_id))
    session.execute(delete(SimilarStudy).where(or_(SimilarStudy.study_id == other_id,
                                                   SimilarStudy.similar_id == other_id)))
    session.flush()


def replace_similar(session: Session, rows: dict[int, list[tuple[int, float]]]) -> int:
    """Store each given study's similar studies (best first), replacing what it had. A list
    with the same studies and every score within SCORE_TOLERANCE is left alone (so a
    near-tie that flipped does not rewrite it). Returns how many studies changed."""
    changed = 0
    ids = list(rows)
    stored: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for chunk in chunked(ids):
        for study_id, similar_id, score in session.execute(
                select(SimilarStudy.study_id, SimilarStudy.similar_id, SimilarStudy.score)
                .where(SimilarStudy.study_id.in_(chunk))
                .order_by(SimilarStudy.study_id, SimilarStudy.rank)):
            stored[study_id].append((similar_id, score))
    stale: list[int] = []
    inserts: list[dict[str, object]] = []
    for study_id, wanted in rows.items():
        have = dict(stored.get(study_id, []))
        if len(have) == len(wanted) and all(
                other in have and abs(have[other] - score) < SCORE_TOLERANCE
                for other, score in wanted):
            continue  # same studies, scores within the tolerance (near-ties keep their order)
        changed += 1
        stale.append(study_id)
        inserts.extend({"study_id": study_id, "similar_id": other, "rank": rank,
                        "score": float(score)} for rank, (other, score) in enumerate(wanted))
    for chunk in chunked(stale):
        session.execute(delete(SimilarStudy).where(SimilarStudy.study_id.in_(chunk)))
    if inserts:
        session.execute(SimilarStudy.__table__.insert(), inserts)
    return changed


# ------------------------------------------------------------------------------ reading


def reference_edges(session: Session) -> list[tuple[int, int | None, int | None]]:
    """Every edge as (citing study, cited study or None, cited light paper or None)."""
    rows = session.connection().execute(  # Core rows, fetched at once: many edges
        select(StudyReference.citing_study_id, StudyReference.cited_study_id,
               StudyReference.cited_paper_id)).all()
    return [(citing, cited, paper) for citing, cited, paper in rows]


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
        out[citing].append(ReferenceRecord(
            pmid=link.pmid, doi=link.doi, pmcid=link.pmcid, title=link.title,
            year=link.year, in_catalogue=True, study_id=link.study_id, key=link.key,
            url=link.url, position=position))
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
    refs = references_by_study(session, ids, shown)
    counts = reference_counts(session, ids)
    citing = citing_studies_by_study(session, ids, shown)
    cited = cited_by_counts(session, ids)
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
