"""`aggregate()`: tag and link what is new or changed since the last run (or everything).

What is redone:
- threads whose `content_hash` differs from their `aggregated_hash` (new or edited text):
  re-tagged, their links recomputed against every study;
- studies whose `content_hash` differs from their `aggregated_hash`: re-tagged (importer-set
  treatments kept), their links recomputed against every thread;
- everything when the lexicon's hash differs from the one stored in `meta`, or with `full`.

Per study the topic links above `LinkSettings.topic_threshold` are kept, at most
`max_topic_links` of them (the best); a citation link is kept for every cited study.
Thread tags are committed batch by batch; links, hashes and the lexicon hash are written in
one final transaction, so an interrupted run is simply redone by the next one.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator import store
from aggregator.lexicon import Lexicon, load_lexicon
from aggregator.linker import (
    CITATION_BONUS,
    LinkSettings,
    StudyModel,
    ThreadAnalysis,
    ThreadText,
    analyse_thread,
    top_per_study,
)
from aggregator.tagger import Tagger
from models.entities import ThreadStudyLink

DEFAULT_BATCH_SIZE = 2000
PARALLEL_FROM = 20_000  # threads to scan before worker processes pay off
Progress = Callable[[int, int], None]  # (threads done, threads to do)


@dataclass
class AggregateStats:
    """What a run did."""

    full: bool = False
    lexicon_changed: bool = False
    lexicon_hash: str = ""
    studies: int = 0
    studies_changed: int = 0
    threads_scanned: int = 0
    threads_tagged: int = 0
    thread_treatments: int = 0
    citation_links: int = 0
    topic_links_added: int = 0
    topic_links_removed: int = 0
    topic_links_total: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The stats as a plain dict (for JSON output)."""
        return asdict(self)


def _trim(s: np.ndarray, t: np.ndarray, v: np.ndarray,
          limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the `limit` best (score desc, thread id asc) entries per study index."""
    if s.size == 0:
        return s, t, v
    order = np.lexsort((t, -v, s))
    s, t, v = s[order], t[order], v[order]
    starts = np.r_[0, np.flatnonzero(np.diff(s)) + 1]
    rank = np.arange(s.size) - np.repeat(starts, np.diff(np.r_[starts, s.size]))
    keep = rank < limit
    return s[keep], t[keep], v[keep]


class _Pool:
    """The best topic candidates per study, merged block by block."""

    def __init__(self, limit: int, n_studies: int) -> None:
        self.limit = limit
        self.s = np.zeros(0, dtype=np.int64)
        self.t = np.zeros(0, dtype=np.int64)
        self.v = np.zeros(0, dtype=np.float64)
        # The score a new candidate must beat per study (the pool's worst once full).
        self.floor = np.full(n_studies, -np.inf)

    def add(self, s: np.ndarray, t: np.ndarray, v: np.ndarray) -> None:
        if s.size == 0:
            return
        self.s, self.t, self.v = _trim(np.r_[self.s, s], np.r_[self.t, t], np.r_[self.v, v],
                                       self.limit)
        if self.limit and self.s.size:
            counts = np.bincount(self.s, minlength=self.floor.size)
            full = np.flatnonzero(counts >= self.limit)
            if full.size:
                # _trim sorted by study then score desc: the last of each study is its worst
                last = np.r_[np.flatnonzero(np.diff(self.s)), self.s.size - 1]
                worst = np.full(self.floor.size, -np.inf)
                worst[self.s[last]] = self.v[last]
                self.floor[full] = worst[full]

    def entries(self) -> list[tuple[int, int, float]]:
        return [(int(a), int(b), float(c)) for a, b, c in
                zip(self.s, self.t, self.v, strict=True)]


def aggregate(make_session: Callable[[], Session], *, full: bool = False,
              lexicon: Lexicon | None = None, settings: LinkSettings | None = None,
              progress: Progress | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
              workers: int | None = None) -> AggregateStats:
    """Tag threads and studies and link them; only what changed unless `full`.

    On runs of `PARALLEL_FROM` threads or more, `workers` forked processes tag, find
    citations and score blocks of threads in parallel (default: the CPU count, at most 4;
    1 = everything in this process).
    """
    workers = workers or min(4, os.cpu_count() or 1)
    started = time.perf_counter()
    lexicon = lexicon or load_lexicon()
    settings = settings or LinkSettings()
    tagger = Tagger(lexicon)
    stats = AggregateStats(full=full, lexicon_hash=lexicon.version_hash)

    with make_session() as session, session.begin():
        store.sync_treatments(session, lexicon)
        stats.lexicon_changed = store.get_meta(session, store.LEXICON_HASH_KEY) != \
            lexicon.version_hash
        redo = full or stats.lexicon_changed
        studies, current, aggregated = store.load_studies(session)
        changed_studies = {s.id for s in studies if redo or aggregated.get(s.id) != current[s.id]}
        changed_ids: list[int] = [] if redo else store.changed_thread_ids(session)
        scan_all = redo or bool(changed_studies)
        total = store.thread_count(session) if scan_all else len(changed_ids)
        seeded = [] if redo else store.topic_links(session)
    stats.studies, stats.studies_changed = len(studies), len(changed_studies)

    model = StudyModel(studies, tagger)
    changed_set = set(changed_ids)
    changed_cols = np.array([s.id in changed_studies for s in studies], dtype=bool)
    pool = _Pool(settings.max_topic_links, len(studies))
    seeded_keep = [(model.index_of[s], t, v) for s, t, v in seeded
                   if t not in changed_set and s not in changed_studies and s in model.index_of]
    if seeded_keep:
        pool.add(*(np.array(x) for x in zip(*seeded_keep, strict=True)))
    citation_rows: list[dict[str, Any]] = []
    hashes: list[tuple[int, str]] = []
    info: dict[int, tuple[frozenset[str], frozenset[int]]] = {}
    done = 0

    if progress:
        progress(0, total)
    run = _RunState(tagger, model, settings, changed_cols, changed_set, redo)
    with _Worker(run, workers if total >= PARALLEL_FROM else 1) as work, \
            make_session() as session:
        batches = (store.iter_all_threads(session, batch_size) if scan_all
                   else store.iter_threads(session, changed_ids, batch_size))
        if redo:
            store.delete_all_thread_treatments(session)

        def finish(batch: list[tuple[ThreadText, str]], block: _Block) -> None:
            nonlocal done
            store.replace_thread_treatments(session, [] if redo else block.tagged_ids,
                                            block.tag_rows)
            session.commit()
            tagged = set(block.tagged_ids)
            hashes.extend((text.id, h) for text, h in batch if text.id in tagged)
            stats.threads_tagged += len(block.tagged_ids)
            stats.thread_treatments += len(block.tag_rows)
            citation_rows.extend(block.citation_rows)
            pool.add(block.s, block.t, block.v)
            info.update(block.info)
            done += len(batch)
            stats.threads_scanned += len(batch)
            if progress:
                progress(done, total)

        # Pipelined: while the workers process one block, the previous one is written and
        # the next one read.
        pending: tuple[list[tuple[ThreadText, str]], Callable[[], _Block]] | None = None
        for batch in batches:
            handle = work.submit([text for text, _ in batch], pool.floor)
            if pending is not None:
                finish(pending[0], pending[1]())
            pending = (batch, handle)
        if pending is not None:
            finish(pending[0], pending[1]())

    cited_pairs = {(r["thread_id"], r["study_id"]) for r in citation_rows}
    seeded_pairs = {(t, int(model.ids[s])) for s, t, _ in seeded_keep}
    final = [(s, t, v) for s, t, v in pool.entries()
             if (t, int(model.ids[s])) not in cited_pairs]
    final_pairs = {(t, int(model.ids[s])) for s, t, _ in final}
    removed = [pair for pair in seeded_pairs if pair not in final_pairs]
    topic_rows = [_topic_row(model, info, s, t, v) for s, t, v in final
                  if (t, int(model.ids[s])) not in seeded_pairs]

    with make_session() as session, session.begin():
        if redo:
            store.delete_links(session, everything=True)
        else:
            store.delete_links(session, thread_ids=changed_ids, study_ids=changed_studies)
            store.delete_link_pairs(session, [(t, int(s)) for t, s in removed])
        store.insert_links(session, citation_rows + topic_rows)
        if changed_studies:
            store.write_study_treatments(
                session,
                {s.id: set(model.tags[i]) for i, s in enumerate(studies)
                 if s.id in changed_studies},
                {s.id: set(s.preset_treatments) for s in studies if s.id in changed_studies})
        store.mark_threads(session, hashes)
        store.mark_studies(session, {sid: current[sid] for sid in changed_studies})
        store.set_meta(session, store.LEXICON_HASH_KEY, lexicon.version_hash)
        stats.topic_links_total = session.scalar(
            select(func.count()).select_from(ThreadStudyLink)
            .where(ThreadStudyLink.kind == "topic")) or 0
    stats.citation_links = len(citation_rows)
    stats.topic_links_added = len(topic_rows)
    stats.topic_links_removed = len(removed)
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass
class _RunState:
    """What every block of a run needs (inherited by forked workers)."""

    tagger: Tagger
    model: StudyModel
    settings: LinkSettings
    changed_cols: np.ndarray
    changed_ids: set[int]
    redo: bool


@dataclass
class _Block:
    """The result of one block of threads: tags to write, citations, topic candidates."""

    tag_rows: list[dict[str, Any]]
    tagged_ids: list[int]
    citation_rows: list[dict[str, Any]]
    s: np.ndarray
    t: np.ndarray
    v: np.ndarray
    info: dict[int, tuple[frozenset[str], frozenset[int]]]

    @classmethod
    def merge(cls, parts: list[_Block]) -> _Block:
        return cls([r for p in parts for r in p.tag_rows],
                   [i for p in parts for i in p.tagged_ids],
                   [r for p in parts for r in p.citation_rows],
                   np.concatenate([p.s for p in parts]), np.concatenate([p.t for p in parts]),
                   np.concatenate([p.v for p in parts]),
                   {k: v for p in parts for k, v in p.info.items()})


def _process(run: _RunState, texts: list[ThreadText], floor: np.ndarray) -> _Block:
    """Tag, find citations and score one block of threads (here or in a worker)."""
    analyses = [analyse_thread(run.tagger, t) for t in texts]
    is_changed = np.array([run.redo or a.id in run.changed_ids for a in analyses], dtype=bool)
    tag_rows = [{"thread_id": a.id, **tag.as_row()}
                for a, changed in zip(analyses, is_changed, strict=True) if changed
                for tag in a.tags.values()]
    tagged_ids = [a.id for a, c in zip(analyses, is_changed, strict=True) if c]
    citation_rows: list[dict[str, Any]] = []
    info: dict[int, tuple[frozenset[str], frozenset[int]]] = {}
    empty = np.zeros(0, dtype=np.int64)
    s, t, v = empty, empty, np.zeros(0, dtype=np.float64)
    if len(run.model.studies) and analyses:
        s, t, v = _link_block(run.model, run.settings, analyses, is_changed, run.changed_cols,
                              floor, citation_rows, info)
    return _Block(tag_rows, tagged_ids, citation_rows, s, t, v, info)


_WORKER_RUN: _RunState | None = None


def _process_in_worker(args: tuple[list[ThreadText], np.ndarray]) -> _Block:
    assert _WORKER_RUN is not None
    return _process(_WORKER_RUN, *args)


class _Worker:
    """Process blocks here, or split over forked worker processes."""

    def __init__(self, run: _RunState, workers: int) -> None:
        self.run = run
        self.workers = workers if "fork" in multiprocessing.get_all_start_methods() else 1
        self.pool: Any = None

    def __enter__(self) -> _Worker:
        global _WORKER_RUN
        if self.workers > 1:
            _WORKER_RUN = self.run
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        global _WORKER_RUN
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
        _WORKER_RUN = None

    def submit(self, texts: list[ThreadText], floor: np.ndarray) -> Callable[[], _Block]:
        """Start processing a block; the returned callable waits for its result."""
        if self.pool is None or len(texts) < 2 * self.workers:
            block = _process(self.run, texts, floor)
            return lambda: block
        size = -(-len(texts) // self.workers)
        chunks = [(texts[i:i + size], floor.copy()) for i in range(0, len(texts), size)]
        result = self.pool.map_async(_process_in_worker, chunks)
        return lambda: _Block.merge(result.get())


def _link_block(model: StudyModel, settings: LinkSettings, analyses: list[ThreadAnalysis],
                is_changed: np.ndarray, changed_cols: np.ndarray, floor: np.ndarray,
                citation_rows: list[dict[str, Any]],
                info: dict[int, tuple[frozenset[str], frozenset[int]]],
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score a block of threads against the studies; collect citations and candidates."""
    feats = model.features(analyses)
    score, main = model.scores(feats)
    eligible = main & (score >= settings.topic_threshold) & (score > floor[None, :])
    if not is_changed.all():
        eligible &= is_changed[:, None] | changed_cols[None, :]
    thread_ids = np.array([a.id for a in analyses], dtype=np.int64)
    for r, analysis in enumerate(analyses):
        if not analysis.identifiers:
            continue
        for index, identifier in model.cited(analysis.identifiers).items():
            eligible[r, index] = False  # a cited pair is a citation link, not a topic one
            if not (is_changed[r] or changed_cols[index]):
                continue
            citation_rows.append({
                "thread_id": analysis.id, "study_id": int(model.ids[index]), "kind": "citation",
                "score": round(CITATION_BONUS + float(score[r, index]), 6),
                "evidence": {"identifier": identifier,
                             "treatments": sorted(set(analysis.tags)
                                                  & model.study_treatments(index))}})
    candidates = top_per_study(score, eligible, settings.max_topic_links, thread_ids)
    keep_info = set(candidates[1].tolist())
    terms_of = dict(zip(thread_ids.tolist(), feats.terms_of, strict=True))
    for analysis in analyses:
        if analysis.id in keep_info:
            info[analysis.id] = (frozenset(analysis.tags), frozenset(terms_of[analysis.id]))
    return candidates


def _topic_row(model: StudyModel, info: dict[int, tuple[frozenset[str], frozenset[int]]],
               index: int, thread_id: int, score: float) -> dict[str, Any]:
    tags, terms = info.get(thread_id, (frozenset(), frozenset()))
    return {"thread_id": thread_id, "study_id": int(model.ids[index]), "kind": "topic",
            "score": round(score, 6),
            "evidence": {"treatments": sorted(tags & model.study_treatments(index)),
                         "terms": model.shared_terms(terms, index)}}
