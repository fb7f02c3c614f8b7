"""The text side of similar research: TF-IDF vectors of each study (title twice, abstract,
MeSH terms), projected by a truncated SVD from `LSA_FROM` studies on; the fitted model is
kept in `meta` between runs (`kept_model`)."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Final

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.preprocessing import normalize
from sqlalchemy.orm import Session

from aggregator import store
from aggregator.lexicon import normalise
from aggregator.similar_inputs import SimilarInput

TEXT_MODEL_KEY: Final = "similar_text_model"
REFIT_SHARE: Final = 0.1  # a kept text model is refitted once the catalogue size moved this much
LSA_FROM = 3000  # studies from which the text vectors are projected (TruncatedSVD)
LSA_DIMS = 64


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


def text_vectors(studies: Sequence[SimilarInput], model: TextModel | None = None,
                 ) -> np.ndarray | sparse.csr_matrix:
    """L2-normalised text vectors of `studies` (a model fitted on them unless given)."""
    model = model or fit_text_model(studies)
    if not model.vocabulary:
        return sparse.csr_matrix((len(studies), 1), dtype=np.float32)
    return model.vectors(studies)


def kept_model(session: Session, studies: int) -> TextModel | None:
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
