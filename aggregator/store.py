"""The aggregator's reads and writes: treatments, tags, links, meta state. Caller's session.

`get_meta`/`set_meta` (`models.meta`) and `tagger_added` (`models.study_tags`, which keeps
the treatments the aggregator added) are used from here as `store.*`.

Bulk statements only (`models.bulk` inserts, IN-list deletes in batches); the same code runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Table,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from aggregator.lexicon import Lexicon
from aggregator.link_types import StudyText, ThreadText
from models.bulk import (
    restrict_to,
    secondary_indexes_deferred,
    update_records,
    write_records,
)
from models.entities import (
    Reply,
    Study,
    StudyTreatment,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    TopicCandidate,
    Treatment,
)
from models.link_lock import existing_studies, lock_links
from models.meta import get_meta, set_meta
from models.store import batched, dialect_insert
from models.study_store import study_content_hash
from models.study_tags import store_tagger_added, tagger_added

IN_BATCH = 500  # ids per IN list (well under SQLite's parameter limit)
LEXICON_HASH_KEY = "aggregator.lexicon_hash"
LEXICON_KEY = "aggregator.lexicon"  # the lexicon data last used (to see what a change touched)
CUES_HASH_KEY = "aggregator.outcome_cues_hash"  # the outcome cue file the outcomes came from
SUMMARY_VERSION_KEY = "aggregator.summary_version"  # the summariser the summaries came from


def stored_lexicon(session: Session) -> dict[str, Any] | None:
    """The lexicon data the aggregator last ran with (None: unknown)."""
    raw = get_meta(session, LEXICON_KEY)
    return json.loads(raw) if raw else None


def store_lexicon(session: Session, data: dict[str, Any]) -> None:
    """Remember the lexicon data this run used."""
    set_meta(session, LEXICON_KEY, json.dumps(data, sort_keys=True, ensure_ascii=False))


def sync_treatments(session: Session, lexicon: Lexicon) -> int:
    """Make the `treatment` rows match the lexicon (rows it no longer has are kept)."""
    rows = [{"id": t.id, "name": t.name, "category": t.category}
            for t in lexicon.treatments.values()]
    if rows:
        stmt = dialect_insert(session, Treatment)
        session.execute(stmt.on_conflict_do_update(
            index_elements=[Treatment.id],
            set_={"name": stmt.excluded.name, "category": stmt.excluded.category}), rows)
    return len(rows)


def load_studies(session: Session) -> tuple[list[StudyText], dict[int, str], dict[int, str]]:
    """Every study as the linker reads it, its current and its last aggregated hash.

    Treatments an importer set stay as `preset_treatments`; those the aggregator added
    itself (remembered in meta) are recomputed from the text.
    """
    added = tagger_added(session)
    stored: dict[int, set[str]] = {}
    for study_id, tid in session.execute(select(StudyTreatment.study_id,
                                                StudyTreatment.treatment_id)):
        stored.setdefault(study_id, set()).add(tid)
    studies: list[StudyText] = []
    current: dict[int, str] = {}
    aggregated: dict[int, str] = {}
    for study in session.scalars(select(Study).order_by(Study.id)):
        preset = sorted(stored.get(study.id, set()) - added.get(study.id, set()))
        studies.append(StudyText(study.id, study.title or "", study.abstract, study.tldr,
                                 list(study.mesh_terms or []), study.doi, study.pmid,
                                 study.pmcid, preset))
        current[study.id] = study.content_hash or study_content_hash(study)
        if study.aggregated_hash:
            aggregated[study.id] = study.aggregated_hash
    return studies, current, aggregated


def write_study_treatments(session: Session, tagged: dict[int, set[str]],
                           preset: dict[int, set[str]]) -> int:
    """Store the tagger's treatments of the given studies, keeping importer-set ones
    (studies merged away since the pass read them are left out)."""
    stored = existing_studies(session, tagged)
    tagged = {i: tids for i, tids in tagged.items() if i in stored}
    added = tagger_added(session)
    rows: list[dict[str, Any]] = []
    stale: list[tuple[int, str]] = []
    for study_id, tids in tagged.items():
        new = tids - preset.get(study_id, set())
        stale.extend((study_id, t) for t in added.get(study_id, set()) - new)
        rows.extend({"study_id": study_id, "treatment_id": t} for t in sorted(new))
        if new:
            added[study_id] = new
        else:
            added.pop(study_id, None)
    for chunk in batched(stale, IN_BATCH):
        session.execute(delete(StudyTreatment).where(
            tuple_(StudyTreatment.study_id, StudyTreatment.treatment_id).in_(chunk)))
    if rows:
        session.execute(dialect_insert(session, StudyTreatment).on_conflict_do_nothing(), rows)
    store_tagger_added(session, added)  # (studies merged away are dropped)
    return len(rows)


def changed_thread_ids(session: Session) -> list[int]:
    """Threads whose text changed since they were last aggregated (or never were)."""
    return list(session.scalars(select(Thread.id).where(or_(
        Thread.aggregated_hash.is_(None), Thread.aggregated_hash != Thread.content_hash))
        .order_by(Thread.id)))


def threads_tagged_with(session: Session, treatments: Iterable[str]) -> list[int]:
    """Threads tagged with any of the given treatments."""
    ids: set[int] = set()
    for chunk in batched(sorted(treatments), IN_BATCH):
        ids.update(session.scalars(select(ThreadTreatment.thread_id)
                                   .where(ThreadTreatment.treatment_id.in_(chunk))))
    return sorted(ids)


def thread_count(session: Session) -> int:
    """How many threads are stored."""
    return session.scalar(select(func.count(Thread.id))) or 0


def _with_replies(session: Session, rows: Sequence[Any],
                  every_id_between: bool = False) -> list[tuple[ThreadText, str]]:
    """The rows as ThreadTexts with their replies. `every_id_between`: the rows are every
    thread from the first id to the last, so a range selects their replies."""
    replies: dict[int, list[str]] = {}
    if rows:
        stmt = (select(Reply.thread_id, Reply.body)
                .order_by(Reply.thread_id, Reply.position, Reply.id))
        stmt = (stmt.where(Reply.thread_id.between(rows[0].id, rows[-1].id))
                if every_id_between else
                restrict_to(session, stmt, Reply.thread_id, [row.id for row in rows]))
        for thread_id, body in session.execute(stmt):
            replies.setdefault(thread_id, []).append(body or "")
    return [(ThreadText(row.id, row.title or "", row.body or "", replies.get(row.id, [])),
             row.content_hash) for row in rows]


_THREAD_COLUMNS = (Thread.id, Thread.title, Thread.body, Thread.content_hash)


def iter_all_threads(session: Session, batch_size: int) -> Iterator[list[tuple[ThreadText, str]]]:
    """Every thread with its replies and content hash, in id order, batch by batch."""
    last = 0
    while True:
        rows = session.execute(select(*_THREAD_COLUMNS).where(Thread.id > last)
                               .order_by(Thread.id).limit(batch_size)).all()
        if not rows:
            return
        last = rows[-1].id
        yield _with_replies(session, rows, every_id_between=True)


def iter_threads(session: Session, ids: Sequence[int],
                 batch_size: int) -> Iterator[list[tuple[ThreadText, str]]]:
    """The given threads with their replies and content hash, batch by batch."""
    for chunk in batched(ids, min(batch_size, IN_BATCH)):
        rows = session.execute(restrict_to(session, select(*_THREAD_COLUMNS), Thread.id,
                                           chunk).order_by(Thread.id)).all()
        yield _with_replies(session, rows)


def delete_all_thread_treatments(session: Session) -> None:
    """Delete every thread tag (a full run writes them all again)."""
    session.execute(delete(ThreadTreatment))


def replace_thread_treatments(session: Session, thread_ids: Sequence[int],
                              rows: Sequence[dict[str, Any]]) -> None:
    """Replace the tags of `thread_ids` with `rows`."""
    for chunk in batched(thread_ids, IN_BATCH):
        session.execute(delete(ThreadTreatment).where(ThreadTreatment.thread_id.in_(chunk)))
    insert_rows(session, ThreadTreatment.__table__, rows)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]],
                json_text: Sequence[str] = ()) -> None:
    """Insert rows (dicts with the same keys) through the fast bulk path; `json_text`: JSON
    columns the rows bring as JSON text already (`models.bulk.write_records`)."""
    if rows:
        write_records(session, table, [c.name for c in table.columns if c.name in rows[0]],
                      rows, json_text=json_text)


def topic_entries(session: Session) -> list[tuple[int, int, float, bool]]:
    """Every stored topic link and candidate as (study id, thread id, score, is a link)."""
    links = session.execute(
        select(ThreadStudyLink.study_id, ThreadStudyLink.thread_id, ThreadStudyLink.score)
        .where(ThreadStudyLink.kind == "topic"))
    candidates = session.execute(
        select(TopicCandidate.study_id, TopicCandidate.thread_id, TopicCandidate.score))
    return ([(s, t, float(v), True) for s, t, v in links]
            + [(s, t, float(v), False) for s, t, v in candidates])


def topic_floors(session: Session) -> dict[int, float]:
    """Studies with a topic floor: the best score of a thread not kept for them."""
    return {i: float(f) for i, f in session.execute(
        select(Study.id, Study.topic_floor).where(Study.topic_floor.is_not(None)))}


def set_topic_floors(session: Session, floors: dict[int, float | None]) -> None:
    """Store each given study's topic floor (None: every thread above threshold kept)."""
    stored = existing_studies(session, floors)
    if stored:
        session.execute(update(Study), [{"id": i, "topic_floor": f} for i, f in floors.items()
                                        if i in stored])


def delete_links(session: Session, thread_ids: Iterable[int] = (),
                 study_ids: Iterable[int] = (), everything: bool = False) -> None:
    """Delete links and topic candidates of the given threads and studies (or all).

    The first write of a pass's links: it takes the links lock (`models.link_lock`), held
    until the transaction ends, so a study merge waits for the links or they for it.
    """
    lock_links(session)
    for table in (ThreadStudyLink, TopicCandidate):
        if everything:
            session.execute(delete(table))
            continue
        for chunk in batched(list(thread_ids), IN_BATCH):
            session.execute(delete(table).where(table.thread_id.in_(chunk)))
        for chunk in batched(list(study_ids), IN_BATCH):
            session.execute(delete(table).where(table.study_id.in_(chunk)))


def delete_link_pairs(session: Session, pairs: Sequence[tuple[int, int]],
                      candidates: bool = False) -> None:
    """Delete links (or topic candidates) by (thread id, study id)."""
    table = TopicCandidate if candidates else ThreadStudyLink
    for chunk in batched(pairs, IN_BATCH):
        session.execute(delete(table).where(tuple_(table.thread_id, table.study_id).in_(chunk)))


def move_topic_pairs(session: Session, pairs: Sequence[tuple[int, int]],
                     to_links: bool) -> None:
    """Move (thread id, study id) pairs from the candidates to the topic links, or back.

    The rows are copied inside the database, evidence included.
    """
    src, dst = (TopicCandidate, ThreadStudyLink) if to_links else \
        (ThreadStudyLink, TopicCandidate)
    columns = [src.thread_id, src.study_id, src.score, src.evidence]
    names = ["thread_id", "study_id", "score", "evidence"]
    if to_links:
        columns.append(literal("topic"))
        names.append("kind")
    for chunk in batched(pairs, IN_BATCH):
        where = tuple_(src.thread_id, src.study_id).in_(chunk)
        session.execute(insert(dst).from_select(names, select(*columns).where(where)))
        session.execute(delete(src).where(where))


def unmark_studies(session: Session, study_ids: Iterable[int]) -> None:
    """Forget the hash the given studies were aggregated at (they are redone next)."""
    for chunk in batched(list(study_ids), IN_BATCH):
        session.execute(update(Study).where(Study.id.in_(chunk)).values(aggregated_hash=None))


def replace_all_links(session: Session, links: Sequence[dict[str, Any]],
                      candidates: Sequence[dict[str, Any]]) -> None:
    """A full run's write of the links: every stored link and topic candidate replaced by
    `links` and `candidates` (rows as `insert_links` and `insert_candidates` take them).

    The same rows, in the same order, as `delete_links(everything=True)` then the two
    inserts, written faster: on SQLite the two tables' secondary indexes are dropped for
    the delete and the inserts and built again once at the end
    (`models.bulk.secondary_indexes_deferred`). (The rows are not sorted by primary key:
    inserted as they come, a study's topic links sit together in the table, which the
    per-study reads of `models.study_stats` and the web pages profit from; in thread
    order those reads took a third longer.)
    """
    tables = (ThreadStudyLink.__table__, TopicCandidate.__table__)
    with secondary_indexes_deferred(session, tables):  # (nothing on PostgreSQL)
        delete_links(session, everything=True)  # (takes the links lock first)
        insert_links(session, links)
        insert_candidates(session, candidates)


def insert_links(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert link rows (thread_id, study_id, kind, score, evidence as JSON text); rows of
    studies merged away since the pass read them are left out."""
    insert_rows(session, ThreadStudyLink.__table__, _of_stored_studies(session, rows),
                json_text=["evidence"])


def insert_candidates(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert topic candidate rows (thread_id, study_id, score, evidence as JSON text);
    rows of studies merged away since the pass read them are left out."""
    insert_rows(session, TopicCandidate.__table__, _of_stored_studies(session, rows),
                json_text=["evidence"])


def _of_stored_studies(session: Session, rows: Sequence[dict[str, Any]]
                       ) -> Sequence[dict[str, Any]]:
    """The rows whose `study_id` is still stored (a study merge deletes the one it absorbs;
    `models.link_lock`)."""
    named = {row["study_id"] for row in rows}
    stored = existing_studies(session, named)
    return rows if stored == named else [row for row in rows if row["study_id"] in stored]


def mark_threads(session: Session, hashes: Sequence[tuple[int, str]]) -> None:
    """Remember the content hash each thread was aggregated at."""
    for chunk in batched(hashes, 20_000):
        update_records(session, Thread.__table__, "id", ["aggregated_hash"],
                       [{"id": i, "aggregated_hash": h} for i, h in chunk])


def write_summaries(session: Session, summaries: dict[int, str | None]) -> None:
    """Store the summaries of re-tagged threads (None entries: not computed, left alone)."""
    rows = [{"id": i, "summary": s} for i, s in summaries.items() if s is not None]
    for chunk in batched(rows, 20_000):
        update_records(session, Thread.__table__, "id", ["summary"], chunk)


def tagged_thread_ids(session: Session) -> list[int]:
    """Threads with at least one treatment tag."""
    return list(session.scalars(select(ThreadTreatment.thread_id).distinct()
                                .order_by(ThreadTreatment.thread_id)))


def mark_studies(session: Session, hashes: dict[int, str]) -> None:
    """Remember the content hash each study was aggregated at (studies still stored)."""
    stored = existing_studies(session, hashes)
    if stored:
        session.execute(update(Study), [{"id": i, "aggregated_hash": h}
                                        for i, h in hashes.items() if i in stored])
