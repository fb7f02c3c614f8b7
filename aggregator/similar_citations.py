"""The citation side of similar research: bibliographic coupling, co-citation and direct
citation from the reference edges, as one sparse study x study matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from aggregator.similar_inputs import SimilarWeights

Edges = Sequence[tuple[int, int | None, int | None]] | np.ndarray


def edge_array(edges: Edges) -> np.ndarray:
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


def _cosine_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


def citation_scores(ids: np.ndarray, edges: np.ndarray,
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
