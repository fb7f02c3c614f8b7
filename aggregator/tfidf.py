"""TF-IDF pieces with numpy and scipy.sparse only, computing exactly what scikit-learn's
`CountVectorizer` (documents given as token lists), `TfidfTransformer` (smooth IDF) and
`normalize` (sparse rows, L2) compute, float operation for float operation.

Importing scikit-learn costs a run's main process 1-2 CPU-seconds (it loads `scipy.stats`,
which parses docstrings at import); linking and similar research need only these three
steps, so every run would pay that for nothing. `tests/aggregator/test_tfidf.py` checks the
results bit for bit against scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class TermCounts:
    """A document-term count matrix and its vocabulary (terms in alphabetical order)."""

    counts: sp.csr_matrix  # int64 counts, documents x terms
    terms: list[str]  # column -> term
    vocabulary: dict[str, int]  # term -> column


def count_terms(docs: Sequence[Sequence[str]], max_df: float = 1.0) -> TermCounts | None:
    """`CountVectorizer(analyzer=<tokens as given>, max_df=max_df).fit_transform(docs)`:
    terms found in more than `max_df` of the documents (a share) are dropped; None where
    scikit-learn raises ValueError (no term at all, or none left after the cut)."""
    vocab: dict[str, int] = {}
    indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for doc in docs:
        counter: dict[int, int] = {}
        for token in doc:
            j = vocab.setdefault(token, len(vocab))
            counter[j] = counter.get(j, 0) + 1
        indices.extend(counter)
        values.extend(counter.values())
        indptr.append(len(indices))
    if not vocab:
        return None
    n = len(docs)
    # columns in alphabetical term order (scikit-learn sorts the vocabulary the same way)
    ordered = sorted(vocab)
    remap = np.empty(len(vocab), dtype=np.int64)
    for new, term in enumerate(ordered):
        remap[vocab[term]] = new
    cols = remap[np.asarray(indices, dtype=np.int64)]
    counts = sp.csr_matrix((np.asarray(values, dtype=np.int64), cols,
                            np.asarray(indptr, dtype=np.int64)), shape=(n, len(ordered)))
    df = np.bincount(cols, minlength=len(ordered))
    keep = np.flatnonzero(df <= max_df * n)
    if len(keep) == 0:
        return None
    terms = [ordered[j] for j in keep.tolist()]
    return TermCounts(counts[:, keep].tocsr(), terms, {t: j for j, t in enumerate(terms)})


def smooth_idf(counts: sp.csr_matrix) -> np.ndarray:
    """`TfidfTransformer(smooth_idf=True).fit(counts).idf_`: log((1 + n) / (1 + df)) + 1,
    in the counts' float type (float64 for integer counts)."""
    dtype = counts.dtype if counts.dtype in (np.float64, np.float32) else np.float64
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(dtype, copy=False)
    df += 1.0
    idf = np.full_like(df, fill_value=counts.shape[0] + 1, dtype=dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """`TfidfTransformer(sublinear_tf=True, norm=None).transform(counts)` with the fitted
    `idf`: (1 + log(count)) * idf of each stored count (a float copy; integer counts
    become float64 with their columns sorted within rows, as scikit-learn's conversion
    leaves them)."""
    if counts.dtype in (np.float64, np.float32):
        matrix = sp.csr_matrix(counts, copy=True)
    else:
        matrix = sp.csr_matrix(counts, dtype=np.float64, copy=True)
        matrix.sort_indices()
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return matrix


def l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """`sklearn.preprocessing.normalize(matrix)` of a float CSR matrix: each row divided by
    its L2 norm (empty rows left as they are). The squares are summed in stored order in
    double precision, as scikit-learn's loop does, so the result is identical to the bit."""
    out = sp.csr_matrix(matrix, copy=True)
    data = out.data
    lengths = np.diff(out.indptr)
    if data.size == 0:
        return out
    starts = out.indptr[:-1].astype(np.int64)
    squares = (data * data).astype(np.float64)  # product in the data's type, as in C
    sums = np.zeros(out.shape[0], dtype=np.float64)
    rows = np.arange(out.shape[0])
    # one pass per position within the rows, so each row's sum runs in stored order
    for k in range(int(lengths.max())):
        rows = rows[lengths[rows] > k]
        sums[rows] += squares[starts[rows] + k]
    norms = np.sqrt(sums)
    norms[sums == 0.0] = 1.0  # (scikit-learn skips these rows)
    divided = data.astype(np.float64) / np.repeat(norms, lengths)
    out.data = divided.astype(data.dtype, copy=False)
    return out
