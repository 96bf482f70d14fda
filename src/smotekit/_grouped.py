"""Exact nearest neighbours of a class whose rows repeat, point by point.

Data with many identical rows (categorical codes, 0/1 flags, integer
levels) makes a row-by-row search slow: each row's neighbours are decided by
ties, which no short candidate list settles. The grouped search works on
the distinct rows instead, in three steps:

1. *Points*: identical rows are one point that stands for all its rows.
2. *Filter*: each point gets a few candidate points from the exact
   Euclidean engine (:class:`~smotekit.ExactNeighbors`) on the metric's
   *embedding*, whose squared distance never exceeds the metric's (plus a
   known ``bonus`` for points not otherwise listed).
3. *Refine and certify*: the metric's exact distance of every candidate is
   computed by a compiled kernel, the first ``k + 1`` rows are taken by
   (distance, row index), the rows of the points at one distance merged by
   index, and the answer is certified when no point left out can be as
   close. Points that are not certified ask for four times more candidates,
   up to all points.

The result is the exact neighbour table, ties broken by row index, whatever
the engine's method, tile size or thread count; memory stays bounded (the
candidates are processed in chunks of at most :data:`PAIR_BUDGET` pairs).
The metrics: :class:`EuclideanMetric` here (the tiled engine hands over a
class whose rows repeat), SMOTENC's and SMOTEN's in
:mod:`smotekit.categorical._search`.
"""

import numpy as np

from ._grouped_kernels import candidate_lists, merge_levels, pair_sq_distances
from ._neighbors import ExactNeighbors, neighbors_excluding_self

__all__ = ["EuclideanMetric", "NoSharedLists", "Points", "neighbor_table"]

#: Candidate pairs refined per chunk (bounds the temporary memory).
PAIR_BUDGET = 1 << 16
#: Filter candidates asked beyond k in the first round.
MARGIN = 4


class Points:
    """The distinct rows of one class.

    Parameters
    ----------
    keys : ndarray of shape (n_rows, w)
        Rows equal byte for byte are one point (float ``-0.0`` and ``0.0``
        differ: two points at distance 0, whose rows merge by index).

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


class NoSharedLists:
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


class EuclideanMetric(NoSharedLists):
    """Euclidean distance between points, as the exact engine defines it
    (float64, summed in feature order): its own embedding, no bonus.

    Parameters
    ----------
    points : ndarray of shape (n_points, n_features), float32 or float64
        One row per point.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])
    >>> points = Points(X)
    >>> metric = EuclideanMetric(X[points.first])
    >>> neighbor_table(points, metric, 2).tolist()
    [[1, 3], [0, 3], [3, 0], [0, 1]]
    """

    tol_rel = 1e-9
    tol_abs = 0.0

    def __init__(self, points):
        self.points = np.ascontiguousarray(points)
        self.embedding = self.points

    def distances(self, queries, ptr, cand):
        out = np.empty(len(cand), dtype=np.float64)
        pair_sq_distances(self.points, queries, ptr, cand, out)
        return out


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
    metric : EuclideanMetric, MixedMetric or VDMMetric
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
    no_shared = NoSharedLists().shared_structure(n_points)
    pending = np.arange(n_points, dtype=np.int64)
    m = min(n_points - 1, k + MARGIN)
    engine = first_round = None
    if m < n_points - 1:
        engine = ExactNeighbors(n_neighbors=m, n_jobs=n_jobs).fit(metric.embedding)
        dist, ind = engine.candidates(n_neighbors=m)
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
                    dist, ind = engine.candidates(
                        metric.embedding[queries], n_neighbors=m + 1
                    )
                    found, dist = neighbors_excluding_self(ind, dist, own=queries)
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
            raise RuntimeError("exact grouped neighbour search did not converge")
        pending = pending[~ok]
        first_round = None
        m = min(n_points - 1, 4 * m)
    table, _ = neighbors_excluding_self(nearest[points.of_row])
    return table
