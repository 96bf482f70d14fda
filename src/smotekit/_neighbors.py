"""Exact k-nearest-neighbour search, and the ``k_neighbors`` parameter.

:class:`ExactNeighbors` is a small scikit-learn compatible estimator
(``fit`` / ``kneighbors``) that returns the exact k nearest neighbours in
Euclidean distance. It picks its method from the data's shape:

* ``'kd_tree'`` (few features): SciPy's ``cKDTree``, queried on all cores;
* ``'brute'`` (many features, or sparse data): blocked matrix products with a
  top-k selection per block, followed by an exact re-ranking of the
  candidates in float64 so that rounding in the product never changes the
  result. Memory is bounded by the block size, not by ``n_query * n_fit``.

Samplers accept for ``k_neighbors`` either an int (``k`` neighbours, the
point itself excluded) or any object with a ``kneighbors`` method, which is
cloned and fitted on each class; :func:`neighbors_excluding_self` turns its
answer into a self-free neighbour table.
"""

import os
from numbers import Integral

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree
from sklearn.base import BaseEstimator, clone
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = [
    "ExactNeighbors",
    "check_neighbors_object",
    "neighbors_excluding_self",
]

#: Above this many features the blocked matrix-product search wins over a tree.
KD_TREE_MAX_FEATURES = 15
#: Target size in bytes of one block of the distance matrix.
BLOCK_BYTES = 64 * 2**20
#: Extra candidates kept from the product before the exact float64 re-ranking.
RERANK_MARGIN = 8


def _effective_n_jobs(n_jobs):
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(os.cpu_count() + 1 + n_jobs, 1)
    return int(n_jobs)


class ExactNeighbors(BaseEstimator):
    """Exact Euclidean k-nearest neighbours, fastest method for the data.

    Parameters
    ----------
    n_neighbors : int, default=6
        Number of neighbours returned by :meth:`kneighbors`.
    algorithm : {'auto', 'kd_tree', 'brute'}, default='auto'
        Search method. ``'auto'`` uses a kd-tree for dense data with at most
        15 features and the blocked brute force otherwise.
    n_jobs : int, default=None
        Threads for the search; ``None`` means 1, ``-1`` all cores.
    block_size : int, default=None
        Query rows per block in the brute-force search. ``None`` sizes blocks
        so that one block of distances takes about 64 MiB. The result does not
        depend on it.

    Attributes
    ----------
    n_samples_fit_ : int
        Number of samples in the fitted data.
    algorithm_ : str
        The method chosen at fit time.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> nn = ExactNeighbors(n_neighbors=2).fit(X)
    >>> nn.kneighbors([[2.9]], return_distance=False).tolist()
    [[2, 1]]
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "algorithm": [StrOptions({"auto", "kd_tree", "brute"})],
        "n_jobs": [Integral, None],
        "block_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self, n_neighbors=6, *, algorithm="auto", n_jobs=None, block_size=None
    ):
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.n_jobs = n_jobs
        self.block_size = block_size

    def fit(self, X, y=None):
        """Index the samples ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to search.
        y : ignored

        Returns
        -------
        self : ExactNeighbors
        """
        self._validate_params()
        X = _as_search_array(X)
        self.n_samples_fit_ = X.shape[0]
        self.algorithm_ = self.algorithm
        if self.algorithm == "auto":
            small_d = X.shape[1] <= KD_TREE_MAX_FEATURES
            self.algorithm_ = (
                "kd_tree" if small_d and not sparse.issparse(X) else "brute"
            )
        if self.algorithm_ == "kd_tree":
            if sparse.issparse(X):
                raise ValueError(
                    "ExactNeighbors(algorithm='kd_tree') needs dense data; got a "
                    "sparse matrix. Use algorithm='brute' or 'auto'."
                )
            self._tree = cKDTree(np.asarray(X, dtype=np.float64))
        self._fit_X = X
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the k nearest fitted samples of each query row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_queries, n_features)
            Query rows. ``None`` queries the fitted samples against
            themselves, each sample excluded from its own neighbours.
        n_neighbors : int, default=None
            Number of neighbours; defaults to ``self.n_neighbors``.
        return_distance : bool, default=True
            Whether to return the distances too.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors), float64
            Euclidean distances, ascending (only if ``return_distance``).
        indices : ndarray of shape (n_queries, n_neighbors), int64
            Row indices into the fitted samples.
        """
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        exclude_self = X is None
        query = self._fit_X if exclude_self else _as_search_array(X)
        n_ask = k + 1 if exclude_self else k
        if n_ask > self.n_samples_fit_:
            raise ValueError(
                f"ExactNeighbors cannot return {k} neighbours: only "
                f"{self.n_samples_fit_ - exclude_self} candidate samples are "
                "available. Lower n_neighbors."
            )
        if self.algorithm_ == "kd_tree":
            dist, ind = self._tree.query(
                np.asarray(query, dtype=np.float64),
                k=n_ask,
                workers=_effective_n_jobs(self.n_jobs),
            )
            dist = dist.reshape(len(query), n_ask)
            ind = ind.reshape(len(query), n_ask).astype(np.int64, copy=False)
        else:
            dist, ind = _brute_kneighbors(self._fit_X, query, n_ask, self.block_size)
        if exclude_self:
            ind, dist = neighbors_excluding_self(ind, dist)
        return (dist, ind) if return_distance else ind


def _as_search_array(X):
    if sparse.issparse(X):
        X = X.tocsr()
        return X if X.dtype in (np.float32, np.float64) else X.astype(np.float64)
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return X


def _row_sq_norms(X):
    if sparse.issparse(X):
        return np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()
    X64 = X.astype(np.float64, copy=False)
    return np.einsum("ij,ij->i", X64, X64)


def _exact_sq_dist(fit, query_rows, cand):
    """Exact float64 squared distances between each query row and its candidates."""
    diff = fit[cand].astype(np.float64) - query_rows.astype(np.float64)[:, None, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def _smallest_k(sq_dist, cand, k):
    """Columns of the k smallest distances per row, ties broken by index."""
    order = np.lexsort((cand, sq_dist), axis=1)[:, :k]
    rows = np.arange(sq_dist.shape[0])[:, None]
    return cand[rows, order], np.sqrt(np.maximum(sq_dist[rows, order], 0.0))


def _dot_error_factor(dtype, n_features):
    """Bound factor gamma_d of a length-d dot product in ``dtype`` (with slack)."""
    u = np.finfo(dtype).eps / 2
    nu = (n_features + 8) * u  # product, centring and conversion rounding
    return 2.0 * nu / (1 - nu)


def _full_scan(fit, q_row, k):
    """Exact neighbours of one query row by a float64 scan of every fitted row."""
    diff = fit.astype(np.float64) - q_row.astype(np.float64)
    sq = np.einsum("ij,ij->i", diff, diff)
    cand = np.arange(len(fit))
    ind, dist = _smallest_k(sq[None, :], cand[None, :], k)
    return ind[0], dist[0]


class _DenseBlockSearch:
    """Top-k by a matrix product, with a certificate of exactness per row.

    The product ranks all fitted rows approximately; the best ``k + margin``
    are re-ranked with exact float64 distances. A row's answer is certified
    exact when no excluded row can be closer once the product's worst-case
    rounding error is accounted for; uncertain rows are recomputed in
    float64, and, if still uncertain, by a full exact scan.
    """

    def __init__(self, fit, k):
        self.fit, self.k = fit, k
        self.n_fit = fit.shape[0]
        self.center = fit.mean(axis=0, dtype=np.float64)
        self.n_cand = min(k + RERANK_MARGIN, self.n_fit)
        self.layouts = {}

    def _layout(self, dtype):
        if dtype not in self.layouts:
            fit_c = (self.fit.astype(np.float64) - self.center).astype(dtype)
            fit_sq = np.einsum("ij,ij->i", fit_c.astype(np.float64), fit_c)
            self.layouts[dtype] = (fit_c.T.copy(order="C"), fit_sq)
        return self.layouts[dtype]

    def search(self, query, dtype):
        """Return (dist, ind, uncertain_mask) for a block of query rows."""
        fit_t, fit_sq = self._layout(dtype)
        q_c = (query.astype(np.float64) - self.center).astype(dtype)
        approx = fit_sq[None, :] - 2.0 * (q_c @ fit_t).astype(np.float64)
        n_cand, k = self.n_cand, self.k
        if n_cand < self.n_fit:
            part = np.argpartition(approx, n_cand, axis=1)
            cand = part[:, :n_cand]
            boundary = np.take_along_axis(approx, part[:, n_cand : n_cand + 1], 1)
        else:
            cand = np.broadcast_to(np.arange(self.n_fit), approx.shape).copy()
            boundary = np.full((len(query), 1), np.inf)
        sq = _exact_sq_dist(self.fit, query, cand)
        ind, dist = _smallest_k(sq, cand, k)
        # certificate: |approx - exact + q_sq| <= err for every fitted row
        q_sq = np.einsum("ij,ij->i", q_c.astype(np.float64), q_c.astype(np.float64))
        err = _dot_error_factor(dtype, self.fit.shape[1]) * (q_sq + fit_sq.max())
        kth = dist[:, -1] ** 2 - q_sq
        uncertain = boundary[:, 0] - err <= kth + err
        return dist, ind, uncertain


def _brute_kneighbors(fit, query, k, block_size=None):
    n_fit = fit.shape[0]
    n_query = query.shape[0]
    if block_size is None:
        block_size = max(1, min(n_query, BLOCK_BYTES // max(n_fit * 8, 1)))
    if sparse.issparse(fit):
        return _sparse_brute_kneighbors(fit, query, k, block_size)
    engine = _DenseBlockSearch(fit, k)
    dist = np.empty((n_query, k), dtype=np.float64)
    ind = np.empty((n_query, k), dtype=np.int64)
    for start in range(0, n_query, block_size):
        stop = min(start + block_size, n_query)
        q = query[start:stop]
        d, i, uncertain = engine.search(q, fit.dtype)
        if uncertain.any() and fit.dtype != np.float64:
            rows = np.flatnonzero(uncertain)
            d64, i64, still = engine.search(q[rows], np.dtype(np.float64))
            d[rows], i[rows] = d64, i64
            uncertain[:] = False
            uncertain[rows] = still
        for r in np.flatnonzero(uncertain):
            i[r], d[r] = _full_scan(fit, q[r], k)
        ind[start:stop], dist[start:stop] = i, d
    return dist, ind


def _sparse_brute_kneighbors(fit, query, k, block_size):
    """Sparse top-k in float64 by the norm expansion (sparse products are exact
    sums of few terms)."""
    fit = fit.astype(np.float64)
    query = sparse.csr_matrix(query, dtype=np.float64)
    fit_sq = _row_sq_norms(fit)
    fit_t = fit.T.tocsr()
    n_query = query.shape[0]
    dist = np.empty((n_query, k), dtype=np.float64)
    ind = np.empty((n_query, k), dtype=np.int64)
    for start in range(0, n_query, block_size):
        stop = min(start + block_size, n_query)
        q = query[start:stop]
        sq = fit_sq[None, :] - 2.0 * (q @ fit_t).toarray()
        sq += _row_sq_norms(q)[:, None]
        if k < fit.shape[0]:
            cand = np.argpartition(sq, k - 1, axis=1)[:, :k]
        else:
            cand = np.broadcast_to(np.arange(fit.shape[0]), sq.shape).copy()
        ind[start:stop], dist[start:stop] = _smallest_k(
            np.take_along_axis(sq, cand, axis=1), cand, k
        )
    return dist, ind


def neighbors_excluding_self(ind, dist=None):
    """Drop each query's own index from a self-query neighbour table.

    When the fitted samples are queried against themselves, row ``i`` of
    ``ind`` normally contains ``i``; with duplicated points it may not (a
    duplicate can take its place). Each row loses ``i`` where present and its
    last column otherwise, so exactly one column is removed.

    Parameters
    ----------
    ind : ndarray of shape (n, m)
        Neighbour indices of fitted sample ``i`` in row ``i``.
    dist : ndarray of shape (n, m), default=None
        Matching distances.

    Returns
    -------
    ind : ndarray of shape (n, m - 1)
    dist : ndarray of shape (n, m - 1) or None

    Examples
    --------
    >>> import numpy as np
    >>> neighbors_excluding_self(np.array([[0, 1], [0, 1], [0, 2]]))[0].tolist()
    [[1], [0], [0]]
    """
    ind = np.asarray(ind)
    n, m = ind.shape
    drop = ind == np.arange(n)[:, None]
    has_self = drop.any(axis=1)
    first = np.argmax(drop, axis=1)
    drop[:] = False
    drop[np.arange(n), np.where(has_self, first, m - 1)] = True
    keep = ~drop
    ind = ind[keep].reshape(n, m - 1)
    if dist is not None:
        dist = np.asarray(dist)[keep].reshape(n, m - 1)
    return ind, dist


def check_neighbors_object(param_name, value, n_jobs=None, additional=1):
    """Turn an int or a neighbours estimator into an unfitted estimator.

    Parameters
    ----------
    param_name : str
        Parameter name, for error messages.
    value : int or estimator with ``kneighbors``
        The user's parameter. An int ``k`` becomes
        ``ExactNeighbors(n_neighbors=k + additional)``; an object is cloned.
    n_jobs : int, default=None
        Threads for the int case.
    additional : int, default=1
        Extra neighbours asked for an int (1 accounts for the point itself).

    Returns
    -------
    estimator : estimator
        A fresh, unfitted estimator.

    Examples
    --------
    >>> check_neighbors_object("k_neighbors", 5).n_neighbors
    6
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        return ExactNeighbors(n_neighbors=int(value) + additional, n_jobs=n_jobs)
    if not hasattr(value, "kneighbors"):
        raise TypeError(
            f"The '{param_name}' parameter must be an int or an object with a "
            f"'kneighbors' method; got {type(value).__name__}."
        )
    return clone(value)


def n_neighbors_of(estimator):
    """Number of neighbours an estimator returns (``n_neighbors`` attribute)."""
    n = getattr(estimator, "n_neighbors", None)
    if n is None:
        raise TypeError(
            f"The neighbours estimator {type(estimator).__name__} must expose an "
            "'n_neighbors' attribute so the number of neighbours is known."
        )
    return int(n)
