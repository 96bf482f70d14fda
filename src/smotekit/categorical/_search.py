"""Exact nearest neighbours under the SMOTENC and SMOTEN metrics.

Neither metric is searched on a dense one-hot encoding or a full distance
matrix. The search works in three steps, for the rows of one class:

1. *Points*: identical rows (categorical data has many) are one point that
   stands for all its rows.
2. *Filter*: each point gets a few candidates from the exact Euclidean
   engine (:class:`~smotekit.ExactNeighbors`) on a small *embedding* whose
   squared distance ``E`` never exceeds the true squared distance ``D``
   (plus a known ``bonus`` for the points not otherwise listed), and SMOTENC
   adds the points that share a high-cardinality category.
3. *Refine and certify*: the exact ``D`` of every candidate is computed by a
   compiled kernel, the first ``k + 1`` rows are taken by (distance, row
   index), and the answer is certified when no point left out can be as
   close: its distance is at least the filter's last distance plus the
   bonus. Points that are not certified ask for four times more candidates,
   up to all points.

The result is the exact neighbour table, ties broken by row index, whatever
the engine's method, tile size or thread count. Memory stays bounded: the
candidates are processed in chunks of at most :data:`PAIR_BUDGET` pairs.
"""

import numpy as np
from scipy import sparse

from .._neighbors import ExactNeighbors, neighbors_excluding_self
from ._kernels import candidate_lists, merge_levels, mixed_sq_distances, vdm_distances

__all__ = ["MixedMetric", "Points", "VDMMetric", "check_class_size", "neighbor_table"]

#: Candidate pairs refined per chunk (bounds the temporary memory).
PAIR_BUDGET = 1 << 16
#: Filter candidates asked beyond k in the first round.
MARGIN = 4
#: A categorical column goes to the shared-category lists (rather than the
#: dense embedding) when its points share categories with at most this many
#: other points on average.
SHARED_PAIRS_PER_POINT = 64
#: Largest number of categories a column may bring into the dense embedding.
DENSE_MAX_CATEGORIES = 64
#: Memory cap of the one-hot part of the dense embedding (columns beyond it,
#: largest cardinality first, go to the shared-category lists).
DENSE_MAX_BYTES = 256 * 2**20


def check_class_size(n_class, k, sampler_name, cls):
    """Raise the clear too-few-samples error (as SMOTE's)."""
    if n_class < k + 1:
        raise ValueError(
            f"The 'k_neighbors' parameter of {sampler_name} asks for {k} "
            f"neighbours, so every class to over-sample needs at least {k + 1} "
            f"samples (the sample and its {k} neighbours); class {cls!r} has "
            f"{n_class}. Lower k_neighbors to at most {max(n_class - 1, 0)}, or "
            "use RandomOverSampler for this class."
        )


class Points:
    """The distinct rows of one class.

    Parameters
    ----------
    keys : ndarray of shape (n_rows, w)
        Equal rows are one point.

    Attributes
    ----------
    n_points : int
    first : ndarray of shape (n_points,)
        First row of each point (points are numbered in order of appearance).
    of_row : ndarray of shape (n_rows,)
        Point of each row.
    member_ptr, members : ndarray
        ``members[member_ptr[v]:member_ptr[v + 1]]`` are the rows of point v,
        ascending.
    """

    def __init__(self, keys):
        keys = np.ascontiguousarray(keys)
        width = keys.dtype.itemsize * keys.shape[1]
        as_bytes = keys.view(np.dtype((np.void, width))).ravel()
        _, first, inverse = np.unique(as_bytes, return_index=True, return_inverse=True)
        rank = np.empty(len(first), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(first))
        self.n_points = len(first)
        self.first = np.sort(first)
        self.of_row = rank[inverse.ravel()]
        self.members = np.argsort(self.of_row, kind="stable").astype(np.int64)
        self.member_ptr = np.zeros(self.n_points + 1, dtype=np.int64)
        np.cumsum(
            np.bincount(self.of_row, minlength=self.n_points), out=self.member_ptr[1:]
        )


class _NoSharedLists:
    """Metrics without shared-category candidates."""

    bonus = 0.0

    def shared_structure(self, n_points):
        return (
            np.zeros((n_points, 0), dtype=np.int64),
            np.zeros((0, n_points), dtype=np.int64),
            np.zeros((0, 1), dtype=np.int64),
        )

    def shared_counts(self, queries):
        return np.zeros(len(queries), dtype=np.int64)


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


class VDMMetric(_NoSharedLists):
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


def _drop_queries(dist, ind, queries):
    """Remove each query point from its own external-query answer (or the
    last column when a duplicate pushed it out)."""
    is_self = ind == queries[:, None]
    drop = is_self & (np.cumsum(is_self, axis=1) == 1)
    drop[~is_self.any(axis=1), -1] = True
    keep = ~drop
    n, m = ind.shape
    return dist[keep].reshape(n, m - 1), ind[keep].reshape(n, m - 1)


def _chunks(counts):
    """Consecutive slices whose counts sum to at most PAIR_BUDGET (or one)."""
    start, total = 0, 0
    for i, c in enumerate(counts.tolist()):
        if i > start and total + c > PAIR_BUDGET:
            yield slice(start, i)
            start, total = i, 0
        total += c
    if start < len(counts):
        yield slice(start, len(counts))


def neighbor_table(points, metric, k, n_jobs=None):
    """Exact ``k`` nearest rows of every row of a class (itself excluded).

    Parameters
    ----------
    points : Points
    metric : MixedMetric or VDMMetric
        Defined on the points.
    k : int
        Neighbours per row; the class has at least ``k + 1`` rows.
    n_jobs : int, default=None
        Threads of the embedding search.

    Returns
    -------
    table : ndarray of shape (n_rows, k)
        Row positions of each row's neighbours, nearest first, ties broken by
        row position.
    """
    n_points = points.n_points
    k1 = k + 1
    nearest = np.empty((n_points, k1), dtype=np.int64)
    shared = metric.shared_structure(n_points)
    no_shared = _NoSharedLists().shared_structure(n_points)
    pending = np.arange(n_points, dtype=np.int64)
    m = min(n_points - 1, k + MARGIN)
    engine = first_round = None
    if m < n_points - 1:
        engine = ExactNeighbors(n_neighbors=m, n_jobs=n_jobs).fit(metric.embedding)
        dist, ind = engine.kneighbors(n_neighbors=m)
        first_round = (dist[:, -1] ** 2, ind)
    while len(pending):
        complete = m >= n_points - 1
        if complete:
            counts = np.full(len(pending), n_points, dtype=np.int64)
        else:
            counts = 1 + m + metric.shared_counts(pending)
        ok = np.empty(len(pending), dtype=bool)
        for part in _chunks(counts):
            queries = pending[part]
            if complete:
                # every other point (the query itself is always listed first)
                others = np.arange(n_points - 1, dtype=np.int64)[None, :]
                found = others + (others >= queries[:, None])
                bound = np.full(len(queries), np.inf)
                structure = no_shared
                counts_part = counts[part]
            else:
                if first_round is not None:
                    sq, found = first_round[0][queries], first_round[1][queries]
                else:
                    dist, ind = engine.kneighbors(
                        metric.embedding[queries], n_neighbors=m + 1
                    )
                    dist, found = _drop_queries(dist, ind, queries)
                    sq = dist[:, -1] ** 2
                bound = sq + metric.bonus
                structure = shared
                counts_part = counts[part]
            ptr = np.empty(len(queries) + 1, dtype=np.int64)
            cand = np.empty(int(counts_part.sum()), dtype=np.int64)
            candidate_lists(
                queries, np.ascontiguousarray(found, dtype=np.int64), counts_part,
                *structure, ptr, cand,
            )  # fmt: skip
            dist = metric.distances(queries, ptr, cand)
            rows = np.empty((len(queries), k1), dtype=np.int64)
            merge_levels(
                ptr, cand, dist, points.member_ptr, points.members, bound,
                metric.tol_rel, metric.tol_abs, rows, ok[part],
            )  # fmt: skip
            nearest[queries] = rows
        if complete and not ok.all():  # pragma: no cover - internal invariant
            raise RuntimeError("exact categorical neighbour search did not converge")
        pending = pending[~ok]
        first_round = None
        m = min(n_points - 1, 4 * m)
    table, _ = neighbors_excluding_self(nearest[points.of_row])
    return table


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
