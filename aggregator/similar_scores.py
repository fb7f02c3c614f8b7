"""Similar-research scores of every study pair, block by block, and each study's top k."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from aggregator.similar_citations import Edges, citation_scores, edge_array
from aggregator.similar_inputs import SimilarInput, SimilarWeights
from aggregator.similar_text import TextModel, text_vectors

BLOCK = 1024
TOP_K_GROUP = 64


def _treatment_features(studies: Sequence[SimilarInput], w: SimilarWeights,
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(query side, candidate side): dense rows whose dot product is the treatment part of
    the score: `any_treatment` x cosine of the treatment sets, `main_treatment` when the
    candidate concerns the query's main treatment, `same_main` when it is its main too."""
    names = sorted({t for s in studies for t in s.treatments})
    index = {t: i for i, t in enumerate(names)}
    width = max(1, len(names))
    has = np.zeros((len(studies), width), dtype=np.float32)
    main = np.zeros((len(studies), width), dtype=np.float32)
    for row, study in enumerate(studies):
        for t in study.treatments:
            has[row, index[t]] = 1.0
        if study.main_treatment in index:
            main[row, index[study.main_treatment]] = 1.0  # type: ignore[index]
    sizes = np.sqrt(has.sum(axis=1, keepdims=True))
    sizes[sizes == 0] = 1.0
    unit = has / sizes
    query = np.hstack([w.any_treatment * unit, w.main_treatment * main, w.same_main * main])
    candidate = np.hstack([unit, has, main])
    return query, candidate


def top_k(score: np.ndarray, k: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The `k` best columns of each row of `score` (best first, ties to the lower id) and
    their values. A lower bound of each row's k-th value is taken from maxima of column
    groups (one pass over the block), so only columns above it are sorted: several times
    cheaper than `argpartition` over whole rows."""
    rows, cols = score.shape
    group = TOP_K_GROUP
    groups = -(-cols // group)
    if groups < k + 1:
        order = np.lexsort((np.broadcast_to(ids, score.shape), -score), axis=1)[:, :k]
        return order, np.take_along_axis(score, order, axis=1)
    padded = score
    if groups * group != cols:  # compute_similar pads its blocks, so this copy is rare
        padded = np.full((rows, groups * group), -np.inf, dtype=score.dtype)
        padded[:, :cols] = score
        ids = np.concatenate([ids, np.full(groups * group - cols, ids.max(initial=0) + 1)])
    blocks = padded.reshape(rows, groups, group)
    maxima = blocks.max(axis=2)
    floor = np.partition(maxima, groups - k, axis=1)[:, groups - k]
    hit_rows, hit_groups = np.nonzero(maxima >= floor[:, None])
    values = blocks[hit_rows, hit_groups]
    keep_r, keep_c = np.nonzero(values >= floor[hit_rows, None])
    cand_rows = hit_rows[keep_r]
    cand_cols = hit_groups[keep_r] * group + keep_c
    cand_values = values[keep_r, keep_c]
    order = np.lexsort((ids[cand_cols], -cand_values, cand_rows))
    cand_rows, cand_cols, cand_values = cand_rows[order], cand_cols[order], cand_values[order]
    starts = np.searchsorted(cand_rows, np.arange(rows))
    pick = starts[:, None] + np.arange(k)[None, :]
    return cand_cols[pick], cand_values[pick]


class PhaseClock:
    """Wall and CPU seconds per phase, into two dicts."""

    def __init__(self, wall: dict[str, float], cpu: dict[str, float]) -> None:
        self.wall, self.cpu = wall, cpu
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        """Record the time since the last lap as phase `name`."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.wall[name] = wall - self._wall
        self.cpu[name] = cpu - self._cpu
        self._wall, self._cpu = wall, cpu


def compute_similar(studies: Sequence[SimilarInput],
                    edges: Edges, top: int = 6, weights: SimilarWeights | None = None,
                    timings: dict[str, float] | None = None,
                    cpu: dict[str, float] | None = None,
                    model: TextModel | None = None) -> dict[int, list[tuple[int, float]]]:
    """Each study id -> its `top` most similar other studies as (id, score), best first.

    `edges` are (citing study, cited study or None, cited outside paper or None). Only
    studies with a positive score are listed; ties go to the lower id. `model`: the text
    model to use (default: one fitted on `studies`).
    """
    w = weights or SimilarWeights()
    clock = PhaseClock(timings if timings is not None else {}, cpu if cpu is not None else {})
    studies = sorted(studies, key=lambda s: s.id)
    n = len(studies)
    if n < 2:
        return {s.id: [] for s in studies}
    ids = np.array([s.id for s in studies], dtype=np.int64)
    text = text_vectors(studies, model)
    clock.lap("text_vectors")
    query, candidate = _treatment_features(studies, w)
    citations = citation_scores(ids, edge_array(edges), w)
    dense_text = isinstance(text, np.ndarray)
    if dense_text:  # one product gives text and treatment parts together
        query = np.hstack([w.text * text, query])
        candidate = np.hstack([text, candidate])
    # Columns padded to whole groups of `top_k` (zero features; set to -inf below).
    width = -(-n // TOP_K_GROUP) * TOP_K_GROUP
    candidate_t = np.zeros((candidate.shape[1], width), dtype=np.float32)
    candidate_t[:, :n] = candidate.T
    padded_ids = np.concatenate([ids, np.full(width - n, ids[-1] + 1)])
    text_t = None if dense_text else text.T.tocsr()
    clock.lap("features")
    k = min(top, n - 1)
    result: dict[int, list[tuple[int, float]]] = {}
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        score = query[start:stop] @ candidate_t
        if text_t is not None:
            score[:, :n] += w.text * (text[start:stop] @ text_t).toarray()
        extra = citations[start:stop].tocoo()
        score[extra.row, extra.col] += extra.data
        local = np.arange(stop - start)
        score[local, local + start] = -np.inf  # never similar to itself
        score[:, n:] = -np.inf
        best, values = top_k(score, k, padded_ids)
        best_ids = padded_ids[best].tolist()
        scaled = (values / w.total).tolist()
        for r, study_id in enumerate(ids[start:stop].tolist()):
            result[study_id] = [(best_ids[r][o], scaled[r][o]) for o in range(k)
                                if scaled[r][o] > 0]
    clock.lap("scores")
    return result
