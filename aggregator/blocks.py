"""Blocks of threads, processed here or in forked workers: tag, find citations, score.

A run hands each block of threads to `BlockWorker.submit`; the result (`Block`) holds the
tag rows to write, the citation links and the block's best topic candidates per study.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from aggregator.evidence import EvidenceText
from aggregator.link_types import LinkSettings, ThreadText
from aggregator.linker import (
    CITATION_BONUS,
    StudyModel,
    ThreadAnalysis,
    analyse_thread,
    top_per_study,
)
from aggregator.outcomes import OutcomeCues, ThreadInput, extract_outcomes_of
from aggregator.summaries import summarise
from aggregator.tagger import Tagger
from aggregator.topic_pool import SCORE_DIGITS


@dataclass
class RunState:
    """What every block of a run needs (inherited by forked workers)."""

    tagger: Tagger
    model: StudyModel
    settings: LinkSettings
    changed_cols: np.ndarray
    changed_ids: set[int]
    redo: bool
    cues: OutcomeCues
    outcomes: bool = True  # False: skip outcomes and summaries (benchmarks measure them)


@dataclass
class Block:
    """The result of one block of threads: tags to write, citations (evidence as JSON text),
    topic candidates."""

    tag_rows: list[dict[str, Any]]
    tagged_ids: list[int]
    citation_rows: list[dict[str, Any]]
    s: np.ndarray
    t: np.ndarray
    v: np.ndarray
    info: dict[int, tuple[frozenset[str], frozenset[int]]]
    summaries: dict[int, str | None]  # every tagged thread (None: not computed)

    @classmethod
    def merge(cls, parts: list[Block]) -> Block:
        """One block from the results of its parts (in order)."""
        return cls([r for p in parts for r in p.tag_rows],
                   [i for p in parts for i in p.tagged_ids],
                   [r for p in parts for r in p.citation_rows],
                   np.concatenate([p.s for p in parts]), np.concatenate([p.t for p in parts]),
                   np.concatenate([p.v for p in parts]),
                   {k: v for p in parts for k, v in p.info.items()},
                   {k: v for p in parts for k, v in p.summaries.items()})


def process_block(run: RunState, texts: list[ThreadText], floor: np.ndarray) -> Block:
    """Tag, find citations and score one block of threads (here or in a worker)."""
    analyses = [analyse_thread(run.tagger, t) for t in texts]
    is_changed = np.array([run.redo or a.id in run.changed_ids for a in analyses], dtype=bool)
    tag_rows: list[dict[str, Any]] = []
    summaries: dict[int, str | None] = {}
    changed_texts = [(t, a) for t, a, c in zip(texts, analyses, is_changed, strict=True) if c]
    # (the block's outcomes first, then its rows and summaries: 0.92 of the worker CPU of
    # reading and summarising thread by thread, benchmarks/blocks_pair.py, and an effect
    # model scores the block's pairs together)
    read = extract_outcomes_of(run.cues, [
        ([text.title, text.body, *text.replies], a.mentions, (a.lowered, a.norm))
        for text, a in changed_texts]) if run.outcomes else [{}] * len(changed_texts)
    for (text, a), outcomes in zip(changed_texts, read, strict=True):
        for tag in a.tags.values():
            outcome = outcomes.get(tag.treatment)
            tag_rows.append({"thread_id": a.id, **tag.as_row(),
                             "effect": outcome.effect if outcome else "none",
                             "side_effects": list(outcome.side_effects) if outcome else []})
        summaries[a.id] = None
        if run.outcomes:  # the words are counted once, for the summary and the scores
            words = Counter(a.norm.split())
            a.terms = run.model.terms_of_words(words)
            summaries[a.id] = summarise(text.title, text.body, text.replies, words, a.tags,
                                     run.tagger.tag)
    tagged_ids = [a.id for a, c in zip(analyses, is_changed, strict=True) if c]
    citation_rows: list[dict[str, Any]] = []
    info: dict[int, tuple[frozenset[str], frozenset[int]]] = {}
    empty = np.zeros(0, dtype=np.int64)
    s, t, v = empty, empty, np.zeros(0, dtype=np.float64)
    if len(run.model.studies) and analyses:
        s, t, v = _link_block(run.model, run.settings, analyses, is_changed, run.changed_cols,
                              floor, citation_rows, info)
    return Block(tag_rows, tagged_ids, citation_rows, s, t, v, info, summaries)


_WORKER_RUN: RunState | None = None


def _init_worker() -> None:
    """One BLAS thread; what the worker inherited is frozen out of the garbage collector
    (fewer full collections, and its pages stay shared with the main process)."""
    threadpool_limits(limits=1)
    gc.freeze()


# A thread as sent to a worker: (id, title, body, replies). Plain tuples pickle in C; a
# dataclass instance is rebuilt through Python on unpickling (0.8 CPU-s per 100k threads).
_Sent = tuple[int, str, str, Sequence[str]]


def _process_in_worker(args: tuple[list[_Sent], np.ndarray]) -> Block:
    assert _WORKER_RUN is not None
    rows, floor = args
    return process_block(_WORKER_RUN, [ThreadText(*row) for row in rows], floor)


# A thread's outcomes as re-read alone: (thread id, {treatment: (effect, side effects)})
Reread = tuple[int, dict[str, tuple[str, list[str]]]]


def reread_outcomes(run: RunState, texts: Sequence[ThreadText]) -> list[Reread]:
    """The outcomes of threads whose text and tags are unchanged (a cue-file change): each
    is tagged again only for the mentions the reader needs; nothing else is computed."""
    inputs: list[ThreadInput] = []
    for text in texts:
        _, lowered, norm, mentions = run.tagger.tag_text(text.title, text.body, text.replies)
        inputs.append(([text.title, text.body, *text.replies], mentions, (lowered, norm)))
    return [(text.id, {t: (o.effect, list(o.side_effects)) for t, o in found.items()})
            for text, found in zip(texts, extract_outcomes_of(run.cues, inputs), strict=True)]


def _reread_in_worker(rows: list[_Sent]) -> list[Reread]:
    assert _WORKER_RUN is not None
    return reread_outcomes(_WORKER_RUN, [ThreadText(*row) for row in rows])


class BlockWorker:
    """Process blocks here, or split over forked worker processes."""

    def __init__(self, run: RunState, workers: int) -> None:
        self.run = run
        self.workers = workers if "fork" in multiprocessing.get_all_start_methods() else 1
        self.pool: Any = None
        self.blas: threadpool_limits | None = None

    def __enter__(self) -> BlockWorker:
        global _WORKER_RUN
        # One BLAS thread per process: the workers already use every core, and BLAS threads
        # on top of them only contend (2 cores: 30 instead of 37-50 CPU-s); in-process
        # blocks are small (an incremental run), where extra threads cost more than they give.
        self.blas = threadpool_limits(limits=1)
        if self.workers > 1:
            _WORKER_RUN = self.run
            self.pool = multiprocessing.get_context("fork").Pool(
                self.workers, initializer=_init_worker)
        return self

    def __exit__(self, *exc: object) -> None:
        global _WORKER_RUN
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
        if self.blas is not None:
            self.blas.restore_original_limits()
        _WORKER_RUN = None

    def submit(self, texts: list[ThreadText], floor: np.ndarray) -> Callable[[], Block]:
        """Start processing a block; the returned callable waits for its result."""
        if self.pool is None or len(texts) < 2 * self.workers:
            block = process_block(self.run, texts, floor)
            return lambda: block
        size = -(-len(texts) // self.workers)
        sent = [(t.id, t.title, t.body, t.replies) for t in texts]
        floor = floor.copy()  # pickled later, by the pool's thread: the pool's may change
        chunks = [(sent[i:i + size], floor) for i in range(0, len(sent), size)]
        result = self.pool.map_async(_process_in_worker, chunks)
        return lambda: Block.merge(result.get())

    def submit_reread(self, texts: list[ThreadText]) -> Callable[[], list[Reread]]:
        """Start re-reading the outcomes of a block (`reread_outcomes`); the returned
        callable waits for them."""
        if self.pool is None or len(texts) < 2 * self.workers:
            done = reread_outcomes(self.run, texts)
            return lambda: done
        size = -(-len(texts) // self.workers)
        sent = [(t.id, t.title, t.body, t.replies) for t in texts]
        result = self.pool.map_async(_reread_in_worker,
                                     [sent[i:i + size] for i in range(0, len(sent), size)])
        return lambda: [r for part in result.get() for r in part]


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
                "score": round(CITATION_BONUS + float(score[r, index]), SCORE_DIGITS),
                "evidence": json.dumps({"identifier": identifier,
                                        "treatments": sorted(set(analysis.tags)
                                                             & model.study_treatments(index))})})
    candidates = top_per_study(score, eligible, settings.max_topic_links, thread_ids)
    keep_info = set(candidates[1].tolist())
    terms_of = dict(zip(thread_ids.tolist(), feats.terms_of, strict=True))
    for analysis in analyses:
        if analysis.id in keep_info:
            info[analysis.id] = (frozenset(analysis.tags), frozenset(terms_of[analysis.id]))
    return candidates


def topic_rows(model: StudyModel, info: dict[int, tuple[frozenset[str], frozenset[int]]],
               entries: list[tuple[int, int, float]],
               kind: str | None = "topic") -> list[dict[str, Any]]:
    """Topic link rows of (study index, thread id, score) entries (or, with `kind` None,
    topic candidate rows): the shared treatments and keywords as evidence (JSON text)."""
    study_ids = model.ids.tolist()
    evidence = EvidenceText(model)
    nothing: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset())
    rows: list[dict[str, Any]] = []
    for index, thread_id, score in entries:
        tags, terms = info.get(thread_id, nothing)
        row: dict[str, Any] = {
            "thread_id": thread_id, "study_id": study_ids[index],
            "score": round(score, SCORE_DIGITS), "evidence": evidence(tags, terms, index)}
        if kind:
            row["kind"] = kind
        rows.append(row)
    return rows
