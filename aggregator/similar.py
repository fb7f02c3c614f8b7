"""Similar research: for each study, the most similar catalogue studies.

The score of study j for study i is a weighted sum, divided by the sum of the weights (so it
lies in [0, 1]):

- text: cosine of TF-IDF vectors of title (twice) + abstract + MeSH terms (exact for small
  catalogues; a truncated-SVD projection of them from `LSA_FROM` studies on, so that 20k
  studies stay a few dense matrix products);
- main treatment: j concerns i's main treatment (the first of i's treatments its title names,
  else the one its text names most), and a bonus when it is j's main treatment too;
- any treatment: cosine of the two treatment sets (shared / sqrt(|A| |B|));
- bibliographic coupling: cosine of the two reference lists (shared references);
- co-citation: cosine of the sets of catalogue studies citing each;
- direct citation: one cites the other.

Computed for every study at once (one row block at a time, top-k from maxima of column
groups) and stored only where a study's list changed; skipped when nothing it reads changed
since the last run (a fingerprint in `meta`). From `LSA_FROM` studies on the text model
(vocabulary, IDF, SVD projection) is kept in `meta` between runs, so a small change leaves
the other pairs' scores as they were; it is refitted by a full run or once the catalogue
size moved by `REFIT_SHARE`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.preprocessing import normalize
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator import store
from aggregator.lexicon import normalise
from aggregator.tagger import Tagger
from models.entities import Study, StudyTreatment
from models.study_references import replace_similar
from models.study_research import reference_edges

SIMILAR_KEY = "similar_fingerprint"
TEXT_MODEL_KEY = "similar_text_model"
REFIT_SHARE = 0.1  # a kept text model is refitted once the catalogue size moved this much
LSA_FROM = 3000  # studies from which the text vectors are projected (TruncatedSVD)
LSA_DIMS = 64
BLOCK = 1024
TOP_K_GROUP = 64


@dataclass(frozen=True)
class SimilarWeights:
    """How much each signal counts (see the module docstring)."""

    text: float = 1.0
    main_treatment: float = 0.8
    same_main: float = 0.2
    any_treatment: float = 0.4
    coupling: float = 0.3
    cocitation: float = 0.3
    direct: float = 0.2

    @property
    def total(self) -> float:
        """The largest possible raw score."""
        return (self.text + self.main_treatment + self.same_main + self.any_treatment
                + self.coupling + self.cocitation + self.direct)


@dataclass
class SimilarInput:
    """What similarity reads of one study."""

    id: int
    title: str
    abstract: str = ""
    mesh_terms: Sequence[str] = ()
    treatments: frozenset[str] = frozenset()
    main_treatment: str | None = None


@dataclass
class SimilarStats:
    """What an update did."""

    studies: int = 0
    changed: int = 0
    skipped: bool = False
    refitted: bool = False  # the text model was fitted (not the kept one)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds
    cpu: dict[str, float] = field(default_factory=dict)  # phase -> CPU seconds (process)


def main_treatment(tagger: Tagger, title: str, abstract: str,
                   treatments: frozenset[str]) -> str | None:
    """The study's main treatment: the first of `treatments` its title names, else the one
    its title + abstract name most (ties: alphabetical), else the first alphabetically."""
    if not treatments:
        return None
    if len(treatments) == 1:
        return next(iter(treatments))
    for _, value in tagger.automaton.iter(f" {normalise(title)} "):
        for target in value[1] or ():  # (alias length, targets or None/() , form cue)
            if target.treatment in treatments:
                return target.treatment
    counts: Counter[str] = Counter()
    for _, value in tagger.automaton.iter(f" {normalise(title + ' ' + abstract)} "):
        for target in value[1] or ():
            if target.treatment in treatments:
                counts[target.treatment] += 1
    if counts:
        return min(counts, key=lambda t: (-counts[t], t))
    return min(treatments)


def _documents(studies: Sequence[SimilarInput]) -> list[str]:
    return [f"{s.title} {s.title} {s.abstract} {' '.join(s.mesh_terms)}" for s in studies]


def _term_counts(docs: Sequence[str],
                 vocabulary: dict[str, int] | None = None) -> tuple[sparse.csr_matrix,
                                                                  list[str]]:
    """(term counts per document, the word of each column): normalised words
    (`aggregator.lexicon.normalise`) of two letters or more, English stop words left out;
    with a `vocabulary` only its words, in its columns. Faster than a regex analyzer: words
    are numbered by a C-level `map` over a dict, unwanted ones dropped as columns."""
    if vocabulary is not None:
        rows: list[int] = []
        indptr = [0]
        for doc in docs:
            rows.extend(map(vocabulary.get, normalise(doc).split(), repeat(-1)))
            indptr.append(len(rows))
        cols = np.array(rows, dtype=np.int64)
        row_of = np.repeat(np.arange(len(docs)), np.diff(indptr))
        known = cols >= 0
        matrix = sparse.csr_matrix((np.ones(int(known.sum()), np.float32),
                                    (row_of[known], cols[known])),
                                   shape=(len(docs), max(1, len(vocabulary))))
        return matrix, sorted(vocabulary, key=vocabulary.__getitem__)
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    indices: list[int] = []
    indptr = [0]
    for doc in docs:
        indices.extend(map(vocab.__getitem__, normalise(doc).split()))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr),
                               shape=(len(docs), max(1, len(vocab))))
    matrix.sum_duplicates()
    keep = sorted((i, word) for word, i in vocab.items()
                  if len(word) > 1 and word not in ENGLISH_STOP_WORDS)
    columns = np.array([i for i, _ in keep], dtype=np.int64)
    return matrix[:, columns], [word for _, word in keep]


@dataclass
class TextModel:
    """The text side of similarity, fitted on a whole catalogue: vocabulary, IDF weights
    and (from `LSA_FROM` studies on) the SVD projection. Kept between runs, so that a
    small change does not move every other pair's score (refitted by `--full`, or once
    the catalogue size moved by `REFIT_SHARE`)."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    components: np.ndarray | None  # LSA_DIMS x vocabulary, or None: exact TF-IDF
    fitted_on: int

    def vectors(self, studies: Sequence[SimilarInput]) -> np.ndarray | sparse.csr_matrix:
        """L2-normalised vectors of `studies` (dense when projected)."""
        counts, _ = _term_counts(_documents(studies), self.vocabulary)
        counts.data = (1.0 + np.log(counts.data)).astype(np.float32)  # sublinear tf
        tfidf = normalize(counts @ sparse.diags(self.idf.astype(np.float32)))
        if self.components is None:
            return sparse.csr_matrix(tfidf, dtype=np.float32)
        return np.ascontiguousarray(normalize(tfidf @ self.components.T), dtype=np.float32)

    def dumps(self) -> str:
        """The model as JSON text (for `meta`)."""
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        comps = None if self.components is None else base64.b64encode(
            self.components.astype(np.float32).tobytes()).decode("ascii")
        return json.dumps({"words": words, "idf": self.idf.round(6).tolist(),
                           "components": comps, "fitted_on": self.fitted_on})

    @classmethod
    def loads(cls, text: str) -> TextModel:
        """The model from `dumps` text; ValueError when it is not one."""
        try:
            data = json.loads(text)
            words = data["words"]
            comps = None if data["components"] is None else np.frombuffer(
                base64.b64decode(data["components"]), dtype=np.float32).reshape(-1, len(words))
            return cls({w: i for i, w in enumerate(words)},
                       np.array(data["idf"], dtype=np.float32), comps, int(data["fitted_on"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a text model: {exc}") from exc


def fit_text_model(studies: Sequence[SimilarInput]) -> TextModel:
    """Fit the text model on `studies`: TF-IDF (sublinear tf, terms in more than half of
    the studies dropped from 20 studies on), SVD to `LSA_DIMS` from `LSA_FROM` studies on."""
    counts, words = _term_counts(_documents(studies))
    n = counts.shape[0]
    if n > 20 and words:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = np.flatnonzero(df <= 0.5 * n)
        counts, words = counts[:, keep], [words[i] for i in keep]
    vocabulary = {w: i for i, w in enumerate(words)}
    if not words:
        return TextModel(vocabulary, np.zeros(0, np.float32), None, n)
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    idf = np.asarray(transformer.idf_, dtype=np.float32)
    components = None
    if n >= LSA_FROM and len(words) > LSA_DIMS:
        tfidf = transformer.transform(counts).astype(np.float32)
        svd = TruncatedSVD(n_components=LSA_DIMS, algorithm="randomized", n_iter=2,
                           random_state=0).fit(tfidf)
        components = np.asarray(svd.components_, dtype=np.float32)
    return TextModel(vocabulary, idf, components, n)


def _text_vectors(studies: Sequence[SimilarInput], model: TextModel | None = None,
                  ) -> np.ndarray | sparse.csr_matrix:
    """L2-normalised text vectors of `studies` (a model fitted on them unless given)."""
    model = model or fit_text_model(studies)
    if not model.vocabulary:
        return sparse.csr_matrix((len(studies), 1), dtype=np.float32)
    return model.vectors(studies)


def _cosine_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


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


Edges = Sequence[tuple[int, int | None, int | None]] | np.ndarray


def _edge_array(edges: Edges) -> np.ndarray:
    """Edges as an (m, 3) int64 array: citing, cited study (-1: none), cited paper (-1)."""
    if isinstance(edges, np.ndarray):
        return edges
    array = np.array([(c, -1 if s is None else s, -1 if p is None else p)
                      for c, s, p in edges], dtype=np.int64)
    return array.reshape(-1, 3)


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Row of each wanted id in the sorted `ids` (-1 when absent)."""
    where = np.searchsorted(ids, wanted)
    where[where >= len(ids)] = 0
    return np.where(ids[where] == wanted, where, -1) if len(ids) else -np.ones_like(wanted)


def _citation_scores(ids: np.ndarray, edges: np.ndarray,
                     w: SimilarWeights) -> sparse.csr_matrix:
    """Coupling + co-citation + direct citation, weighted, as one sparse n x n matrix
    (`ids` sorted ascending)."""
    n = len(ids)
    citing = _positions(ids, edges[:, 0])
    edges = edges[citing >= 0]
    citing = citing[citing >= 0]
    is_study = edges[:, 1] >= 0
    # A reference's key: the cited study's id, or the light paper's id offset past them.
    keys = np.where(is_study, edges[:, 1], edges[:, 2] + (edges[:, 1].max(initial=0) + 1))
    uniq, ref_cols = np.unique(keys, return_inverse=True)
    refs = sparse.csr_matrix((np.ones(len(citing), np.float32), (citing, ref_cols)),
                             shape=(n, max(1, len(uniq))))
    refs.data[:] = 1.0
    cited = np.where(is_study, _positions(ids, np.where(is_study, edges[:, 1], 0)), -1)
    inside = (cited >= 0) & (cited != citing)
    citers = sparse.csr_matrix((np.ones(int(inside.sum()), np.float32),
                                (cited[inside], citing[inside])), shape=(n, n))
    citers.data[:] = 1.0
    coupling, cocited = _cosine_rows(refs), _cosine_rows(citers)
    direct = citers + citers.T
    direct.data[:] = 1.0
    total = (w.coupling * (coupling @ coupling.T) + w.cocitation * (cocited @ cocited.T)
             + w.direct * direct)
    return sparse.csr_matrix(total, dtype=np.float32)


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
    text = _text_vectors(studies, model)
    clock.lap("text_vectors")
    query, candidate = _treatment_features(studies, w)
    citations = _citation_scores(ids, _edge_array(edges), w)
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


def _fingerprint(session: Session, treatments: dict[int, set[str]], edges: np.ndarray,
                 extra: str) -> str:
    """A hash of everything similarity reads: study content hashes, treatments, edges."""
    digest = hashlib.sha1(extra.encode(), usedforsecurity=False)
    for sid, content_hash in session.connection().execute(
            select(Study.id, Study.content_hash).order_by(Study.id)):
        digest.update(f"{sid}|{content_hash}|{','.join(sorted(treatments.get(sid, ())))}\n"
                      .encode())
    array = _edge_array(edges)
    array = array[np.lexsort(array.T[::-1])] if len(array) else array
    digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def load_inputs(session: Session, tagger: Tagger,
                treatments: dict[int, set[str]]) -> list[SimilarInput]:
    """Every study as similarity reads it (main treatment found from its title/abstract)."""
    studies: list[SimilarInput] = []
    for sid, title, abstract, mesh in session.connection().execute(
            select(Study.id, Study.title, Study.abstract, Study.mesh_terms).order_by(Study.id)):
        tset = frozenset(treatments.get(sid, ()))
        studies.append(SimilarInput(
            id=sid, title=title or "", abstract=abstract or "", mesh_terms=list(mesh or []),
            treatments=tset, main_treatment=main_treatment(tagger, title or "",
                                                           abstract or "", tset)))
    return studies


def _kept_model(session: Session, studies: int) -> TextModel | None:
    """The stored text model, when there is one fit for a catalogue of this size."""
    if studies < LSA_FROM:
        return None
    raw = store.get_meta(session, TEXT_MODEL_KEY)
    try:
        model = TextModel.loads(raw) if raw else None
    except ValueError:
        return None
    if model is None or model.components is None or \
            abs(studies - model.fitted_on) > REFIT_SHARE * model.fitted_on:
        return None
    return model


def update_similar(make_session: Callable[[], Session], tagger: Tagger, full: bool = False,
                   top: int = 6, weights: SimilarWeights | None = None) -> SimilarStats:
    """Recompute similar research when any study, treatment or reference edge changed since
    the last run (always with `full`); store the lists that changed."""
    started = time.perf_counter()
    stats = SimilarStats()
    clock = PhaseClock(stats.timings, stats.cpu)
    with make_session() as session, session.begin():
        treatments: dict[int, set[str]] = {}
        for study_id, tid in session.connection().execute(
                select(StudyTreatment.study_id, StudyTreatment.treatment_id)):
            treatments.setdefault(study_id, set()).add(tid)
        edges = _edge_array(reference_edges(session))
        fingerprint = _fingerprint(session, treatments, edges,
                                   f"{top}:{weights or SimilarWeights()}:{LSA_FROM}")
        clock.lap("fingerprint")
        if not full and store.get_meta(session, SIMILAR_KEY) == fingerprint:
            stats.skipped = True
            stats.seconds = time.perf_counter() - started
            return stats
        studies = load_inputs(session, tagger, treatments)
        stats.studies = len(studies)
        model = None if full else _kept_model(session, len(studies))
        if model is None:
            model = fit_text_model(studies)
            if model.components is not None:  # small catalogues refit every time
                store.set_meta(session, TEXT_MODEL_KEY, model.dumps())
            stats.refitted = True
        clock.lap("load")
        result = compute_similar(studies, edges, top=top, weights=weights,
                                 timings=stats.timings, cpu=stats.cpu, model=model)
        clock = PhaseClock(stats.timings, stats.cpu)
        stats.changed = replace_similar(session, result)
        store.set_meta(session, SIMILAR_KEY, fingerprint)
        clock.lap("store")
    stats.seconds = time.perf_counter() - started
    return stats
