"""Exact k nearest neighbours of low-dimensional data with a kd-tree.

pykdtree lists each query's nearest fitted points, one more than asked. The
listed candidates are re-ranked with the exact float64 distance every exact
step of the package uses (:func:`smotekit._kernels.exact_rerank`), ties
broken by index, and each row is certified: the extra, first excluded
candidate is farther than the last kept one by more than the rounding of the
two distance computations, so no unlisted point can come before it. Rows that
are not certified (distance ties, common on integer-valued data) are
searched again with lists twice as long, up to ``MAX_WIDTH``, and any still
uncertain by the tiled engine (:mod:`smotekit._brute`), which settles ties
exactly. A self-search of a class whose rows repeat goes to the grouped
search first, as in the tiled engine.

The tree is built on the points in a spatial order
(:func:`smotekit._layout.spatial_order`) when there are many of them, and
large query sets are searched in such an order too: nearby queries then
walk the same branches of the tree one after another, in memory the cache
still holds. The re-ranking names each candidate by its index in the fitted
points as given, so the order changes the time only.

The answer is therefore the same as the brute-force search's: the same
neighbour sets, the same order, ties broken by index, for any thread count.
"""

import numpy as np
from pykdtree.kdtree import KDTree

from ._brute import (
    drop_own,
    exact_rerank_rows,
    grouped_self_search,
    sample_repeats,
    single_threaded_blas,
    sq_kneighbors,
)
from ._layout import spatial_order

__all__ = ["OrderedTree", "kdtree_candidates", "kdtree_kneighbors"]

#: Longest candidate list of the tree queries of uncertain rows (each asks
#: for twice the last list; tie groups of integer-valued data are often a
#: few dozen points); rows still uncertain go to the tiled engine.
MAX_WIDTH = 256
#: Fitted points (and query rows) from which on they are put in a spatial
#: order first: it costs about 1.5 ms per 16k rows and saved a third of the
#: search of 16k Gaussian points in 5 dimensions, and two thirds or more at
#: 1M; below a few thousand rows it saved nothing.
ORDER_MIN_ROWS = 16_384
#: Rows per box of that order (its leaves; the tree's own are smaller).
ORDER_LEAF = 256


def _spatial_rows(points):
    """A :func:`~smotekit._layout.spatial_order` of ``points``, or None for
    fewer than ``ORDER_MIN_ROWS`` rows."""
    if len(points) < ORDER_MIN_ROWS:
        return None
    return spatial_order(np.ascontiguousarray(points), ORDER_LEAF)


def _float64_rows(points, order):
    """``points`` (the rows in ``order`` when given) as float64, C order."""
    picked = points if order is None else points[order]
    return np.ascontiguousarray(picked, dtype=np.float64)


def _ordered_queries(query_raw):
    """The query rows to search (float64 in a spatial order from
    ``ORDER_MIN_ROWS`` rows, else as given) and that order (or None)."""
    order = _spatial_rows(query_raw)
    return (query_raw if order is None else _float64_rows(query_raw, order)), order


def _in_given_order(values, order):
    """Rows of ``values``, searched in ``order``, put back in the order the
    points were given (``values`` itself when there was no order)."""
    if order is None:
        return values
    out = np.empty_like(values)
    out[order] = values
    return out


class OrderedTree:
    """pykdtree's kd-tree of the fitted points, built on a float64 copy in a
    spatial order (from ``ORDER_MIN_ROWS`` points).

    Parameters
    ----------
    points : ndarray of shape (n_points, n_features), float32 or float64
        The fitted points; every answer names them by their row here.

    Attributes
    ----------
    points : ndarray
        ``points``, as given.
    order : ndarray of shape (n_points,), int64, or None
        The row of ``points`` of each row of the tree's copy (None: the same
        order).
    data : ndarray of shape (n_points, n_features), float64
        The tree's copy of the points (``points`` itself when it is float64
        in C order and not reordered).
    tree : pykdtree.kdtree.KDTree
        The tree of ``data``; rebuilt after unpickling.

    Examples
    --------
    >>> import numpy as np
    >>> tree = OrderedTree(np.array([[0.0], [1.0], [3.0]]))
    >>> tree.n, tree.order is None
    (3, True)
    """

    def __init__(self, points):
        self.points = points
        self.order = _spatial_rows(points)
        self.data = _float64_rows(points, self.order)
        self.tree = KDTree(self.data)

    @property
    def n(self):
        """Number of fitted points."""
        return len(self.data)

    @property
    def labels(self):
        """The row of ``points`` of each row of ``data``."""
        return np.arange(self.n) if self.order is None else self.order

    def points64(self):
        """The fitted points as float64, in their own order (a copy unless
        they are float64 in C order already)."""
        return _float64_rows(self.points, None)

    def __getstate__(self):
        # the compiled tree is not picklable: it is rebuilt on load
        state = dict(self.__dict__)
        state.pop("tree")
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.tree = KDTree(self.data)


def _rounding_factor(n_features):
    """Relative bound of the disagreement of two float64 squared distances
    summed over ``n_features`` (the tree's, the exact one), with slack for
    the tree's square root and box bounds."""
    return (2 * n_features + 16) * np.finfo(np.float64).eps


def _query(tree, queries, width):
    """pykdtree's ``width`` nearest points of each query (float64 distances,
    int64 indices into the tree's copy, always two-dimensional), ties in the
    tree's order."""
    kd = tree.tree
    dist, cand = kd.query(np.ascontiguousarray(queries, dtype=np.float64), k=width)
    dist = np.asarray(dist, dtype=np.float64).reshape(len(queries), width)
    cand = np.asarray(cand, dtype=np.int64).reshape(len(queries), width)
    # "not found" is the index type's largest value (-1 once made int64)
    lost = np.flatnonzero(((cand < 0) | (cand >= kd.n)).any(axis=1))
    if lost.size:
        # the tree finds nothing where squared distances overflow (a query
        # far beyond the points): every point is then at an infinite float64
        # distance, any of them a candidate, and the row is not certified
        cand[lost] = np.arange(width)
        dist[lost] = np.inf
    return dist, cand


def kdtree_candidates(tree, query_raw, k):
    """The tree's own k nearest points (self excluded for a self-query,
    ``query_raw`` None): exact distances up to rounding, but among points at
    one distance the order, and which of those tied with the last are
    listed, are the tree's. For filters that settle ties themselves."""
    if query_raw is None:
        dist, ind = _query(tree, tree.data, k + 1)
        ind, dist = drop_own(ind, dist, np.arange(tree.n))
        order = tree.order
    else:
        queries, order = _ordered_queries(query_raw)
        dist, ind = _query(tree, queries, k)
    return _in_given_order(dist, order), _in_given_order(tree.labels[ind], order)


def _tree_pass(tree, queries, rows, n_ask, width, n_threads):
    """Query ``queries[rows]`` for ``width`` tree candidates; the exact best
    ``n_ask`` of the first ``width - 1`` (all ``width`` when they are every
    fitted point), named by their rows of ``tree.points``, and which rows
    are not certified."""
    picked = queries if rows is None else queries[rows]
    # float64 holds float32 values exactly: one layout for the tree and the
    # compiled re-ranking, whatever the caller's
    picked = np.ascontiguousarray(picked, dtype=np.float64)
    dist, cand = _query(tree, picked, width)
    complete = width == tree.n
    listed = cand if complete else np.ascontiguousarray(cand[:, :-1])
    ind, sq = exact_rerank_rows(tree.data, picked, listed, n_ask, n_threads,
                                labels=tree.order)  # fmt: skip
    if complete:
        return ind, sq, np.zeros(len(picked), dtype=bool)
    outside_sq = dist[:, -1] * dist[:, -1]
    slack = 1.0 - _rounding_factor(tree.data.shape[1])
    return ind, sq, ~(outside_sq * slack > sq[:, -1])


def kdtree_kneighbors(tree, query_raw, k, *, n_threads=1):
    """Exact k nearest neighbours with a kd-tree.

    Parameters
    ----------
    tree : OrderedTree
        Tree of the fitted points.
    query_raw : ndarray of shape (n_query, n_features) or None
        Query points; ``None`` queries the fitted points against each other,
        each point excluded from its own neighbours.
    k : int
        Number of neighbours (at most the number of candidates).
    n_threads : int, default=1
        Threads of the exact steps (the tree query uses the OpenMP limit
        set by the caller). Does not change the result.

    Returns
    -------
    distances : ndarray of shape (n_query, k), float64
    indices : ndarray of shape (n_query, k), int64

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [-1.0], [3.0]])
    >>> kdtree_kneighbors(OrderedTree(X), None, 1)[1].ravel().tolist()
    [1, 0, 0, 1]
    """
    with single_threaded_blas():  # the grouped search runs threads of products
        return _distances(_search(tree, query_raw, k, n_threads))


def _search(tree, query_raw, k, n_threads):
    """(indices, exact squared distances) of :func:`kdtree_kneighbors`."""
    self_query = query_raw is None
    if self_query and sample_repeats(tree.points):
        grouped = grouped_self_search(tree.points64(), k, n_threads)
        if grouped is not None:
            return grouped
    if self_query:
        queries, order = tree.data, tree.order
    else:
        queries, order = _ordered_queries(query_raw)
    n_fit = tree.n
    n_ask = k + self_query  # a self-query lists the point itself
    width = min(n_ask + 1, n_fit)
    ind, sq, uncertain = _tree_pass(tree, queries, None, n_ask, width, n_threads)
    rows = np.flatnonzero(uncertain)
    while rows.size and width < min(MAX_WIDTH, n_fit):
        width = min(2 * width, MAX_WIDTH, n_fit)
        ind[rows], sq[rows], still = _tree_pass(tree, queries, rows, n_ask, width,
                                                n_threads)  # fmt: skip
        rows = rows[still]
    if rows.size:
        ind[rows], sq[rows] = sq_kneighbors(
            tree.points64(), queries[rows], n_ask, n_threads=n_threads
        )
    if self_query:
        ind, sq = drop_own(ind, sq, tree.labels)
    return _in_given_order(ind, order), _in_given_order(sq, order)


def _distances(result):
    ind, sq = result
    return np.sqrt(np.maximum(sq, 0.0)), ind
