"""The SMOTENC and SMOTEN metrics for the grouped exact search.

Neither metric is searched on a dense one-hot encoding or a full distance
matrix: the grouped search (:func:`smotekit._grouped.neighbor_table`) takes
identical rows as one point, filters candidates with the exact Euclidean
engine on a small *embedding* of each metric, whose squared distance ``E``
never exceeds the true squared distance ``D`` (plus a known ``bonus`` for
the points not otherwise listed; SMOTENC adds the points that share a
high-cardinality category), then refines them with the exact ``D`` and
certifies each answer. The result is the exact neighbour table, ties broken
by row index, whatever the engine's method, tile size or thread count.
"""

import numpy as np
from scipy import sparse

from .._grouped import NoSharedLists, Points, neighbor_table
from ._kernels import mixed_sq_distances, vdm_distances

__all__ = ["MixedMetric", "Points", "VDMMetric", "neighbor_table"]

#: A categorical column goes to the shared-category lists (rather than the
#: dense embedding) when its points share categories with at most this many
#: other points on average.
SHARED_PAIRS_PER_POINT = 64
#: Largest number of categories a column may bring into the dense embedding.
DENSE_MAX_CATEGORIES = 64
#: Memory cap of the one-hot part of the dense embedding (columns beyond it,
#: largest cardinality first, go to the shared-category lists).
DENSE_MAX_BYTES = 256 * 2**20


class MixedMetric:
    """SMOTENC's distance between points: Euclidean on the continuous
    features, plus ``med**2`` per categorical feature that differs.

    Low-cardinality columns are one-hot encoded into the embedding with
    ``med / sqrt(2)`` (so two different categories are ``med**2`` apart, as
    in imbalanced-learn); for high-cardinality columns (or when the one-hot
    part would exceed :data:`DENSE_MAX_BYTES`) the embedding leaves them out
    (``bonus``: ``med**2`` each) and the points sharing a category are listed
    as candidates instead.
    """

    tol_rel = 1e-9
    tol_abs = 0.0

    def __init__(self, cont, codes, med):
        self.cont = np.ascontiguousarray(cont, dtype=np.float64)
        self.codes = np.ascontiguousarray(codes, dtype=np.int64)
        self.med2 = float(med) * float(med)
        n_points = len(self.cont)
        blocks = [self.cont]
        shared = []
        if self.med2 > 0:
            columns = []
            for f in range(self.codes.shape[1]):
                _, local = np.unique(self.codes[:, f], return_inverse=True)
                local = local.ravel()
                columns.append((local, np.bincount(local)))
            width = DENSE_MAX_BYTES // (8 * n_points)
            for local, sizes in sorted(columns, key=lambda c: len(c[1])):
                cheap = float((sizes.astype(np.float64) ** 2).sum()) <= (
                    SHARED_PAIRS_PER_POINT * n_points
                )
                if cheap or len(sizes) > min(DENSE_MAX_CATEGORIES, width):
                    shared.append((local, sizes))
                    continue
                width -= len(sizes)
                onehot = np.zeros((n_points, len(sizes)), dtype=np.float64)
                onehot[np.arange(n_points), local] = float(med) / np.sqrt(2.0)
                blocks.append(onehot)
        self.embedding = np.ascontiguousarray(np.hstack(blocks))
        self.bonus = self.med2 * len(shared)
        self._shared = shared

    def shared_structure(self, n_points):
        h = len(self._shared)
        longest = max((len(sizes) for _, sizes in self._shared), default=0)
        codes = np.zeros((n_points, h), dtype=np.int64)
        orders = np.zeros((h, n_points), dtype=np.int64)
        bounds = np.zeros((h, longest + 1), dtype=np.int64)
        for t, (local, sizes) in enumerate(self._shared):
            codes[:, t] = local
            orders[t] = np.argsort(local, kind="stable")
            np.cumsum(sizes, out=bounds[t, 1 : len(sizes) + 1])
            bounds[t, len(sizes) + 1 :] = n_points
        return codes, orders, bounds

    def shared_counts(self, queries):
        counts = np.zeros(len(queries), dtype=np.int64)
        for local, sizes in self._shared:
            counts += sizes[local[queries]]
        return counts

    def distances(self, queries, ptr, cand):
        out = np.empty(len(cand), dtype=np.float64)
        mixed_sq_distances(self.cont, self.codes, self.med2, queries, ptr, cand, out)
        return out


class VDMMetric(NoSharedLists):
    """SMOTEN's Value Difference Metric between points (imbalanced-learn's
    ``ValueDifferenceMetric(k=1, r=2)``): the sum over features of the squared
    L1 distance between the class-probability vectors of the two values.

    The embedding is ``sqrt(2) * p(class | value)`` per feature, whose squared
    distance never exceeds the VDM (for a zero-sum vector ``x``,
    ``(sum |x|)**2 >= 2 * sum x**2``); with two classes it is exactly the VDM
    (written as one coordinate ``2 * p(class 0 | value)`` per feature).

    Parameters
    ----------
    codes : ndarray of shape (n_points, n_features)
        Row of ``proba`` of each point's value in each feature.
    proba : ndarray of shape (n_values, n_classes)
        ``p(class | value)`` of every value of every feature.
    """

    tol_rel = 1e-9

    def __init__(self, codes, proba):
        self.codes = np.ascontiguousarray(codes, dtype=np.int64)
        self.proba = np.ascontiguousarray(proba, dtype=np.float64)
        n_points, n_features = self.codes.shape
        # per-feature squares (<= 4) rounded to 2**-shift: integer sums stay exact
        shift = min(40, 50 - int(np.ceil(np.log2(n_features + 1))))
        self.scale = float(2.0**shift)
        self.tol_abs = n_features / self.scale
        if self.proba.shape[1] == 2:
            self.embedding = 2.0 * self.proba[self.codes, 0]
        else:
            self.embedding = np.sqrt(2.0) * self.proba[self.codes].reshape(n_points, -1)
        self.embedding = np.ascontiguousarray(self.embedding)

    def distances(self, queries, ptr, cand):
        out = np.empty(len(cand), dtype=np.float64)
        vdm_distances(self.codes, self.proba, self.scale, queries, ptr, cand, out)
        return out


def scaled_onehot(cont, codes, med):
    """The class as imbalanced-learn encodes it for its neighbour search.

    Continuous columns followed by one-hot columns of value
    ``med / sqrt(2)`` (CSR), for a neighbours estimator given by the user.
    """
    blocks = [sparse.csr_matrix(cont)]
    n = len(codes)
    for f in range(codes.shape[1]):
        _, local = np.unique(codes[:, f], return_inverse=True)
        local = local.ravel()
        data = np.full(n, float(med) / np.sqrt(2.0))
        blocks.append(
            sparse.csr_matrix(
                (data, (np.arange(n), local)), shape=(n, int(local.max()) + 1)
            )
        )
    return sparse.hstack(blocks, format="csr")


def vdm_matrix(metric):
    """Full VDM distance matrix of the points (for a user's estimator)."""
    n = len(metric.codes)
    queries = np.arange(n, dtype=np.int64)
    ptr = np.arange(0, n * n + 1, n, dtype=np.int64)
    cand = np.tile(queries, n)
    return metric.distances(queries, ptr, cand).reshape(n, n)
