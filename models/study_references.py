"""Study reference lists and similar research: storing edges (`models.study_research` reads them).

An edge is (citing study, position) -> a catalogue study or a light `reference_paper` row.
Cited papers are matched on normalised PMID/DOI/PMCID (`models.identifiers`); a light row is
adopted by `upsert_study` when its paper is stored as a study, so one paper never has two
rows. Functions take the caller's session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from models.entities import (
    ReferenceFetch,
    ReferencePaper,
    SimilarStudy,
    Study,
    StudyReference,
)
from models.identifiers import NORMALISERS
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
