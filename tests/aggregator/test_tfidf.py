"""aggregator.tfidf computes what scikit-learn computes, to the bit."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from aggregator.stop_words import ENGLISH_STOP_WORDS as COPIED_STOP_WORDS
from aggregator.tfidf import count_terms, l2_rows, smooth_idf, sublinear_tfidf


def _docs(seed: int, n: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)] + ["common"] * 20
    return [[rng.choice(words) for _ in range(rng.randint(0, 30))] for _ in range(n)]


def _same(a: sp.spmatrix, b: sp.spmatrix) -> None:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # exact, not approximately


@pytest.mark.parametrize(("seed", "max_df"), [(1, 0.5), (2, 1.0), (3, 0.2)])
def test_counts_idf_and_weights_match_scikit_learn(seed: int, max_df: float) -> None:
    docs = _docs(seed, 40)
    vectorizer = CountVectorizer(analyzer=lambda d: d, max_df=max_df)
    expected = vectorizer.fit_transform(docs)
    counted = count_terms(docs, max_df)
    assert counted is not None
    assert counted.terms == [str(t) for t in vectorizer.get_feature_names_out()]
    assert counted.vocabulary == {t: int(j) for t, j in vectorizer.vocabulary_.items()}
    assert (counted.counts != sp.csr_matrix(expected)).nnz == 0
    transformer = TfidfTransformer(sublinear_tf=True, norm=None).fit(expected)
    idf = smooth_idf(counted.counts)
    assert np.array_equal(idf, transformer.idf_)
    ours = sublinear_tfidf(counted.counts, idf)
    theirs = sp.csr_matrix(transformer.transform(counted.counts))
    _same(ours, theirs)
    _same(l2_rows(ours), normalize(theirs))


def test_nothing_to_count_is_none_where_scikit_learn_raises() -> None:
    assert count_terms([[], []]) is None
    # every term in every document: none left under a 0.5 share
    assert count_terms([["a", "b"], ["a", "b"], ["b", "a"], ["a", "b"]], 0.5) is None
    with pytest.raises(ValueError):
        CountVectorizer(analyzer=lambda d: d, max_df=0.5).fit_transform(
            [["a", "b"], ["a", "b"], ["b", "a"], ["a", "b"]])


def test_float32_rows_in_stored_order_match_scikit_learn() -> None:
    rng = np.random.default_rng(5)
    dense = rng.random((50, 80), dtype=np.float32) * (rng.random((50, 80)) < 0.3)
    dense[7] = 0.0  # an empty row is left as it is
    matrix = sp.csr_matrix(dense)
    # rows whose entries are not in column order (as a product can leave them)
    shuffled = matrix.copy()
    for i in range(shuffled.shape[0]):
        lo, hi = shuffled.indptr[i], shuffled.indptr[i + 1]
        order = rng.permutation(hi - lo) + lo
        shuffled.indices[lo:hi] = shuffled.indices[order]
        shuffled.data[lo:hi] = shuffled.data[order]
    shuffled.has_sorted_indices = False
    for m in (matrix, shuffled):
        _same(l2_rows(m), normalize(m.copy()))
        fitted = TfidfTransformer(sublinear_tf=True, norm=None).fit(m)
        _same(sublinear_tfidf(m, smooth_idf(m)), fitted.transform(m))
    float_counts = sp.csr_matrix((dense > 0).astype(np.float32) * 3)
    assert smooth_idf(float_counts).dtype == np.float32
    assert np.array_equal(smooth_idf(float_counts),
                          TfidfTransformer(sublinear_tf=True).fit(float_counts).idf_)


def test_copied_stop_words_are_scikit_learns() -> None:
    assert COPIED_STOP_WORDS == ENGLISH_STOP_WORDS


def test_a_run_does_not_import_scikit_learn() -> None:
    import subprocess
    import sys
    code = "import sys, aggregator.run; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
