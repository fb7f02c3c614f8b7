"""`aggregate()`: tag and link what is new or changed since the last run (or everything).

What is redone:
- threads whose `content_hash` differs from their `aggregated_hash` (new or edited text):
  re-tagged, their links recomputed against every study;
- studies whose `content_hash` differs from their `aggregated_hash`: re-tagged (importer-set
  treatments kept), their links recomputed against every thread;
- after a lexicon change, the threads it can affect (`aggregator.lexicon_delta`); everything
  when it changed the form cues, or with `full`.

Per study the topic links above `LinkSettings.topic_threshold` are kept, at most
`max_topic_links` of them (the best); a citation link is kept for every cited study.
Thread tags are committed batch by batch; links, hashes and the lexicon hash are written in
one final transaction, so an interrupted run is simply redone by the next one. Last, each
study's similar research is recomputed when anything it reads changed (`aggregator.similar`).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from aggregator import store, summaries
from aggregator.blocks import Block, BlockWorker, RunState, topic_rows
from aggregator.lexicon import Lexicon, load_lexicon
from aggregator.lexicon_delta import LexiconDelta, PhraseScanner, lexicon_delta
from aggregator.link_types import LinkSettings, StudyText, ThreadText
from aggregator.linker import StudyModel
from aggregator.outcome_config import default_cues
from aggregator.outcome_refresh import refresh_outcomes
from aggregator.outcomes import OutcomeCues
from aggregator.run_stats import AggregateStats
from aggregator.similar import update_similar
from aggregator.tagger import Tagger
from aggregator.thread_marks import ThreadMarks
from aggregator.topic_pool import CandidatePool, TopicPlan, plan_topics
from models.bulk import bulk_page_cache
from models.entities import ThreadStudyLink
from models.study_stats import refresh_study_stats, studies_linked_to

DEFAULT_BATCH_SIZE = 2000
PARALLEL_FROM = 20_000  # threads to scan before worker processes pay off
Progress = Callable[[int, int], None]  # (threads done, threads to do)


def aggregate(make_session: Callable[[], Session], *, full: bool = False,
              lexicon: Lexicon | None = None, settings: LinkSettings | None = None,
              progress: Progress | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
              workers: int | None = None, cues: OutcomeCues | None = None,
              outcomes: bool = True) -> AggregateStats:
    """Tag threads and studies and link them; only what changed unless `full`.

    On runs of `PARALLEL_FROM` threads or more, `workers` forked processes tag, find
    citations and score blocks of threads in parallel (default: the CPU count, at most 4;
    1 = everything in this process). A study whose kept topic candidates ran out (changed
    threads dropped out of its links and nothing kept can replace them) is relinked
    against every thread in a second pass, so the links always match a full run's.

    Each re-tagged thread also gets its outcomes per treatment (`cues`, default: the
    packaged cue file and side-effect filter, `outcome_config.default_cues`) and its
    summary; `outcomes=False` skips both (stored as `none` / NULL; for measuring their
    cost). A changed cue file re-reads the outcomes of every
    other tagged thread alone (`aggregator.outcome_refresh`: its tags, summary and links
    are left as they are).
    """
    with _fewer_collections():
        return _aggregate(make_session, full=full, lexicon=lexicon, settings=settings,
                          progress=progress, batch_size=batch_size, workers=workers,
                          cues=cues, outcomes=outcomes)


# Garbage collector thresholds during a run (default 700, 10, 10). A run allocates millions
# of short-lived objects and keeps hundreds of thousands (rows, link evidence): with the
# default thresholds full collections walk what it keeps again and again (2-3 CPU-s of
# 9 in the main process at 20k threads). Cycles are still collected, just less often.
_RUN_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run with `_RUN_GC_THRESHOLDS` (forked workers inherit them), then restore."""
    before = gc.get_threshold()
    gc.set_threshold(*_RUN_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _aggregate(make_session: Callable[[], Session], *, full: bool, lexicon: Lexicon | None,
               settings: LinkSettings | None, progress: Progress | None, batch_size: int,
               workers: int | None, cues: OutcomeCues | None,
               outcomes: bool) -> AggregateStats:
    started = time.perf_counter()
    lexicon = lexicon or load_lexicon()
    cues = cues or default_cues()
    settings = settings or LinkSettings()
    tagger = Tagger(lexicon)
    workers = workers or min(4, os.cpu_count() or 1)
    stats = AggregateStats(full=full, lexicon_hash=lexicon.version_hash)
    refill = _aggregate_pass(make_session, tagger, cues, settings, stats, full=full,
                             progress=progress, batch_size=batch_size, workers=workers,
                             outcomes=outcomes)
    if refill:
        again = AggregateStats(lexicon_hash=lexicon.version_hash)
        _aggregate_pass(make_session, tagger, cues, settings, again, full=False,
                        progress=progress, batch_size=batch_size, workers=workers,
                        refilling=True, outcomes=outcomes)
        stats.add_refill(again, len(refill))
    with threadpool_limits(limits=1):  # one BLAS thread, as in the blocks (see blocks.py)
        similar = update_similar(make_session, tagger, full=full)
    stats.similar_updated, stats.similar_skipped = similar.changed, similar.skipped
    stats.seconds = time.perf_counter() - started
    return stats


def candidates_kept(settings: LinkSettings) -> int:
    """How many topic candidates are kept per study below its links."""
    return settings.max_topic_links // 2


@dataclass
class _Changes:
    """What a pass redoes, read in its first transaction."""

    redo: bool  # everything (a full run, or a lexicon change no delta can narrow)
    delta: LexiconDelta | None  # the lexicon change, when only some threads are affected
    studies: list[StudyText]
    current: dict[int, str]  # study id -> its content hash
    added: dict[int, set[str]]  # study id -> the treatments the tagger added to it
    changed_studies: set[int]
    changed_ids: list[int]  # threads to re-tag (unused when `redo`)
    reread_ids: list[int]  # other tagged threads whose outcomes alone are re-read (new cues)
    seeded: list[tuple[int, int, float, bool]]  # stored topic entries (study, thread, ...)
    floors: dict[int, float]
    total_threads: int


def _aggregate_pass(make_session: Callable[[], Session], tagger: Tagger,
                    cues: OutcomeCues, settings: LinkSettings, stats: AggregateStats, *, full: bool,
                    progress: Progress | None, batch_size: int, workers: int,
                    refilling: bool = False, outcomes: bool = True) -> set[int]:
    """One pass of `aggregate`; returns the studies that need relinking from scratch."""
    with make_session() as session, session.begin():
        changes = _read_changes(session, tagger, cues, stats, full, batch_size)
    model = StudyModel(changes.studies, tagger)
    _add_relexed_studies(changes, model, stats)
    scan = _Scan(changes, model, settings, stats, progress)
    run = RunState(tagger, model, replace(settings, max_topic_links=scan.pool.limit),
                   scan.changed_cols, set(changes.changed_ids), changes.redo, cues, outcomes)
    _scan_threads(make_session, run, changes, scan, workers, batch_size)
    reread = changes.reread_ids if outcomes else []
    moved = refresh_outcomes(make_session, run, reread, workers if len(reread) >= PARALLEL_FROM
                             else 1, batch_size) if reread else []
    stats.outcomes_reread, stats.outcomes_changed = len(reread), len(moved)
    # No cited pair is in the pool: blocks make them ineligible, and a seeded entry is never
    # one of a changed thread or study (the only pairs whose citations are found again).
    plan = plan_topics(scan.pool.arrays(), scan.seeded, scan.seeded_link, model.ids,
                       settings.max_topic_links, scan.pool.limit, changes.floors,
                       changes.changed_studies)
    refill = set() if refilling else plan.short
    with make_session() as session, session.begin(), bulk_page_cache(session):
        # (the studies of a thread whose outcomes moved are recounted: its links stay)
        linked_before = set() if changes.redo else studies_linked_to(
            session, [*changes.changed_ids, *moved])
        _write_links(session, changes, model, scan, plan)
        _write_marks(session, changes, model, scan.hashes, plan, refill)
        stats.study_stats = refresh_study_stats(
            session, None if changes.redo else _counted_studies(changes, scan, plan, linked_before))
        store.set_meta(session, store.LEXICON_HASH_KEY, tagger.lexicon.version_hash)
        if outcomes:  # (a run without them leaves outcomes and summaries to the next one)
            store.set_meta(session, store.CUES_HASH_KEY, cues.version_hash)
            store.set_meta(session, store.SUMMARY_VERSION_KEY, summaries.VERSION)
        store.store_lexicon(session, tagger.lexicon.raw)
        stats.topic_links_total = session.scalar(
            select(func.count()).select_from(ThreadStudyLink)
            .where(ThreadStudyLink.kind == "topic")) or 0
    stats.citation_links = len(scan.citation_rows)
    stats.topic_links_added = len(plan.new_links) + len(plan.promoted)
    stats.topic_links_removed = len(plan.dropped_links) + len(plan.demoted)
    return refill


def _read_changes(session: Session, tagger: Tagger, cues: OutcomeCues, stats: AggregateStats,
                  full: bool, batch_size: int) -> _Changes:
    """Which studies and threads changed since the last run (and the stored topic state)."""
    lexicon = tagger.lexicon
    store.sync_treatments(session, lexicon)
    stats.lexicon_changed = store.get_meta(session, store.LEXICON_HASH_KEY) != \
        lexicon.version_hash
    delta = None
    if stats.lexicon_changed and not full:
        delta = lexicon_delta(store.stored_lexicon(session), lexicon.raw)
    # a summariser that writes differently for the same text: summaries stored by the old
    # one are redone with everything else (a code upgrade, not a content change)
    stats.summaries_changed = store.get_meta(session, store.SUMMARY_VERSION_KEY) != \
        summaries.VERSION
    redo = full or (stats.lexicon_changed and delta is None) or stats.summaries_changed
    studies, current, aggregated = store.load_studies(session)
    changed_studies = {s.id for s in studies if redo or aggregated.get(s.id) != current[s.id]}
    changed_ids: list[int] = [] if redo else store.changed_thread_ids(session)
    if delta is not None:
        changed_ids = sorted({*changed_ids, *store.threads_tagged_with(
            session, delta.treatments), *_threads_with(session, delta, batch_size)})
        stats.lexicon_partial, stats.lexicon_threads = True, len(changed_ids)
    stats.cues_changed = store.get_meta(session, store.CUES_HASH_KEY) != cues.version_hash
    retagged = set(changed_ids)  # (a new cue file: the outcomes of the other tagged threads)
    reread_ids = [i for i in store.tagged_thread_ids(session) if i not in retagged] \
        if stats.cues_changed and not redo else []
    return _Changes(redo, delta, studies, current, store.tagger_added(session),
                    changed_studies, changed_ids, reread_ids,
                    [] if redo else store.topic_entries(session),
                    {} if redo else store.topic_floors(session), store.thread_count(session))


def _add_relexed_studies(changes: _Changes, model: StudyModel, stats: AggregateStats) -> None:
    """After a lexicon change, the studies the new lexicon tags differently are relinked."""
    if changes.delta is not None:
        changes.changed_studies |= {
            s.id for i, s in enumerate(changes.studies)
            if set(model.tags[i]) - set(s.preset_treatments) != changes.added.get(s.id, set())}
    stats.studies, stats.studies_changed = len(changes.studies), len(changes.changed_studies)


class _Scan:
    """What the thread scan gathers block by block: the candidate pool (seeded with the
    stored entries still valid), citation links, content hashes, link evidence."""

    def __init__(self, changes: _Changes, model: StudyModel, settings: LinkSettings,
                 stats: AggregateStats, progress: Progress | None) -> None:
        self.stats, self.progress, self.model = stats, progress, model
        self.scan_all = changes.redo or bool(changes.changed_studies)
        self.total = changes.total_threads if self.scan_all else len(changes.changed_ids)
        changed, studies = set(changes.changed_ids), changes.changed_studies
        self.changed_cols = np.array([s.id in studies for s in changes.studies], dtype=bool)
        self.pool = CandidatePool(settings.max_topic_links + candidates_kept(settings),
                                  len(changes.studies))
        seeded = [(model.index_of[s], t, v, is_link) for s, t, v, is_link in changes.seeded
                  if t not in changed and s not in studies and s in model.index_of]
        s_, t_, v_, link = (np.array(column, dtype=dtype) for column, dtype in
                            zip(zip(*seeded, strict=True) if seeded else ([], [], [], []),
                                (np.int64, np.int64, np.float64, bool), strict=True))
        self.seeded, self.seeded_link = (s_, t_, v_), link
        self.pool.add(s_, t_, v_)
        self.citation_rows: list[dict[str, Any]] = []
        self.hashes = ThreadMarks()
        self.info: dict[int, tuple[frozenset[str], frozenset[int]]] = {}
        self.info_limit = 20_000  # pruned to the pool's threads when it grows past this
        self.done = 0

    def add(self, batch: list[tuple[ThreadText, str]], block: Block) -> None:
        """Take in one processed block (its tags are already written)."""
        stats = self.stats
        self.hashes.extend((text.id, h) for text, h in batch if text.id in block.summaries)
        stats.threads_tagged += len(block.tagged_ids)
        stats.thread_treatments += len(block.tag_rows)
        self.citation_rows.extend(block.citation_rows)
        self.pool.add(block.s, block.t, block.v)
        self.info.update(block.info)
        if len(self.info) > self.info_limit:  # keep only what a link or candidate can use
            kept = self.pool.thread_ids()
            for thread_id in [t for t in self.info if t not in kept]:
                del self.info[thread_id]
            self.info_limit = 2 * len(self.info) + 20_000
        self.done += len(batch)
        stats.threads_scanned += len(batch)
        if self.progress:
            self.progress(self.done, self.total)


def _scan_threads(make_session: Callable[[], Session], run: RunState, changes: _Changes,
                  scan: _Scan, workers: int, batch_size: int) -> None:
    """Tag, find citations and score every thread to scan, block by block; each block's
    tags and summaries are committed as it is done.

    Pipelined: while the workers process one block, the previous one is written and the
    next one read.
    """
    if scan.progress:
        scan.progress(0, scan.total)
    with BlockWorker(run, workers if scan.total >= PARALLEL_FROM else 1) as work, \
            make_session() as session:
        batches = (store.iter_all_threads(session, batch_size) if scan.scan_all
                   else store.iter_threads(session, changes.changed_ids, batch_size))
        if changes.redo:
            store.delete_all_thread_treatments(session)

        def finish(batch: list[tuple[ThreadText, str]], block: Block) -> None:
            store.replace_thread_treatments(session, [] if changes.redo else block.tagged_ids,
                                            block.tag_rows)
            store.write_summaries(session, block.summaries)
            session.commit()
            scan.add(batch, block)

        pending: tuple[list[tuple[ThreadText, str]], Callable[[], Block]] | None = None
        for batch in batches:
            handle = work.submit([text for text, _ in batch], scan.pool.floor)
            if pending is not None:
                finish(pending[0], pending[1]())
            pending = (batch, handle)
        if pending is not None:
            finish(pending[0], pending[1]())


def _counted_studies(changes: _Changes, scan: _Scan, plan: TopicPlan,
                     linked_before: set[int]) -> set[int]:
    """The studies whose stored counts (`models.study_stats`) the pass changed: relinked
    studies, those linked to a re-tagged thread before the pass, and those a link was added
    to, moved from or dropped from. (A re-tagged thread's links after the pass are all among
    the added ones: `_write_links` deletes them first, so they need no query of their own.)"""
    study_ids = scan.model.ids.tolist()
    return (changes.changed_studies | linked_before
            | {row["study_id"] for row in scan.citation_rows}
            | {study_ids[index] for index, _, _ in plan.new_links}
            | {s for _, s in (*plan.dropped_links, *plan.promoted, *plan.demoted)})


def _write_links(session: Session, changes: _Changes, model: StudyModel, scan: _Scan,
                 plan: TopicPlan) -> None:
    """Replace the links and topic candidates the pass recomputed."""
    info = scan.info
    if changes.redo:
        store.replace_all_links(session,
                                scan.citation_rows + topic_rows(model, info, plan.new_links),
                                topic_rows(model, info, plan.new_candidates, kind=None))
        return
    store.delete_links(session, thread_ids=changes.changed_ids,
                       study_ids=changes.changed_studies)
    store.delete_link_pairs(session, plan.dropped_links)
    store.delete_link_pairs(session, plan.dropped_candidates, candidates=True)
    store.move_topic_pairs(session, plan.promoted, to_links=True)
    store.move_topic_pairs(session, plan.demoted, to_links=False)
    store.insert_links(session, scan.citation_rows + topic_rows(model, info, plan.new_links))
    store.insert_candidates(session, topic_rows(model, info, plan.new_candidates, kind=None))


def _write_marks(session: Session, changes: _Changes, model: StudyModel, hashes: ThreadMarks,
                 plan: TopicPlan, refill: set[int]) -> None:
    """Store the changed studies' tags, the hashes the pass aggregated, the topic floors."""
    changed = changes.changed_studies
    if changed:
        studies = changes.studies
        store.write_study_treatments(
            session, {s.id: set(model.tags[i]) for i, s in enumerate(studies) if s.id in changed},
            {s.id: set(s.preset_treatments) for s in studies if s.id in changed})
    store.mark_threads(session, hashes)
    store.mark_studies(session, {sid: changes.current[sid] for sid in changed})
    store.set_topic_floors(session, plan.floors)
    store.unmark_studies(session, refill)


def _threads_with(session: Session, delta: LexiconDelta, batch_size: int) -> list[int]:
    """Threads whose text contains a phrase the lexicon change touched."""
    scanner = PhraseScanner(delta.phrases)
    if scanner.empty:
        return []
    return [text.id for batch in store.iter_all_threads(session, batch_size)
            for text, _ in batch if scanner.matches(text)]
