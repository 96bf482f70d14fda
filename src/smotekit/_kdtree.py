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

The answer is therefore the same as the brute-force search's: the same
neighbour sets, the same order, ties broken by index, for any thread count.
"""

import numpy as np

from ._brute import (
    drop_own,
    exact_rerank_rows,
    grouped_self_search,
    sample_repeats,
    single_threaded_blas,
    sq_kneighbors,
)

__all__ = ["kdtree_candidates", "kdtree_kneighbors"]

#: Longest candidate list of the tree queries of uncertain rows (each asks
#: for twice the last list; tie groups of integer-valued data are often a
#: few dozen points); rows still uncertain go to the tiled engine.
MAX_WIDTH = 256


def _rounding_factor(n_features):
    """Relative bound of the disagreement of two float64 squared distances
    summed over ``n_features`` (the tree's, the exact one), with slack for
    the tree's square root and box bounds."""
    return (2 * n_features + 16) * np.finfo(np.float64).eps


def _query(tree, queries, width):
    """pykdtree's ``width`` nearest points of each query (float64 distances,
    int64 indices, always two-dimensional), ties in the tree's order."""
    dist, cand = tree.query(np.ascontiguousarray(queries, dtype=np.float64), k=width)
    dist = np.asarray(dist, dtype=np.float64).reshape(len(queries), width)
    cand = np.asarray(cand, dtype=np.int64).reshape(len(queries), width)
    # "not found" is the index type's largest value (-1 once made int64)
    lost = np.flatnonzero(((cand < 0) | (cand >= tree.n)).any(axis=1))
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
    if query_raw is not None:
        return _query(tree, query_raw, k)
    fit = tree.data.reshape(tree.n, tree.ndim)
    dist, ind = _query(tree, fit, k + 1)
    ind, dist = drop_own(ind, dist, np.arange(tree.n))
    return dist, ind


def _tree_pass(tree, fit_raw, queries, rows, n_ask, width, n_threads):
    """Query ``queries[rows]`` for ``width`` tree candidates; the exact best
    ``n_ask`` of the first ``width - 1`` (all ``width`` when they are every
    fitted point), and which rows are not certified."""
    picked = queries if rows is None else queries[rows]
    # float64 holds float32 values exactly: one layout for the tree and the
    # compiled re-ranking, whatever the caller's
    picked = np.ascontiguousarray(picked, dtype=np.float64)
    dist, cand = _query(tree, picked, width)
    complete = width == len(fit_raw)
    listed = cand if complete else np.ascontiguousarray(cand[:, :-1])
    ind, sq = exact_rerank_rows(fit_raw, picked, listed, n_ask, n_threads)
    if complete:
        return ind, sq, np.zeros(len(picked), dtype=bool)
    outside_sq = dist[:, -1] * dist[:, -1]
    slack = 1.0 - _rounding_factor(fit_raw.shape[1])
    return ind, sq, ~(outside_sq * slack > sq[:, -1])


def kdtree_kneighbors(tree, query_raw, k, *, n_threads=1):
    """Exact k nearest neighbours with a kd-tree.

    Parameters
    ----------
    tree : pykdtree.kdtree.KDTree
        Tree of the fitted points, built on a float64 array (its copy of
        the points serves every exact step).
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
    >>> from pykdtree.kdtree import KDTree
    >>> X = np.array([[0.0], [1.0], [-1.0], [3.0]])
    >>> kdtree_kneighbors(KDTree(X), None, 1)[1].ravel().tolist()
    [1, 0, 0, 1]
    """
    with single_threaded_blas():  # the grouped search runs threads of products
        return _distances(_search(tree, query_raw, k, n_threads))


def _search(tree, query_raw, k, n_threads):
    """(indices, exact squared distances) of :func:`kdtree_kneighbors`."""
    fit_raw = tree.data.reshape(tree.n, tree.ndim)  # float64, C order
    self_query = query_raw is None
    if self_query and sample_repeats(fit_raw):
        grouped = grouped_self_search(fit_raw, k, n_threads)
        if grouped is not None:
            return grouped
    n_fit = len(fit_raw)
    queries = fit_raw if self_query else query_raw
    n_ask = k + self_query  # a self-query lists the point itself
    width = min(n_ask + 1, n_fit)
    ind, sq, uncertain = _tree_pass(tree, fit_raw, queries, None, n_ask, width,
                                    n_threads)  # fmt: skip
    rows = np.flatnonzero(uncertain)
    while rows.size and width < min(MAX_WIDTH, n_fit):
        width = min(2 * width, MAX_WIDTH, n_fit)
        ind[rows], sq[rows], still = _tree_pass(tree, fit_raw, queries, rows, n_ask,
                                                width, n_threads)  # fmt: skip
        rows = rows[still]
    if rows.size:
        ind[rows], sq[rows] = sq_kneighbors(
            fit_raw, queries[rows], n_ask, n_threads=n_threads
        )
    return drop_own(ind, sq, np.arange(n_fit)) if self_query else (ind, sq)


def _distances(result):
    ind, sq = result
    return np.sqrt(np.maximum(sq, 0.0)), ind
