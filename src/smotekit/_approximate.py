"""Approximate nearest neighbours for very large classes (opt-in).

:class:`ApproximateNeighbors` has the same ``fit`` / ``kneighbors`` interface
as :class:`~smotekit.ExactNeighbors`, so it plugs into any sampler's
``k_neighbors``. It is an inverted-file index: the points are split into
``n_lists`` cells around k-means centroids (trained by faiss) and a query
compares itself only with the points of the ``n_probe`` cells nearest to it.
The cost falls by about ``n_lists / n_probe`` against an exact scan; the
neighbour recall depends on the data (high on data with structure, low on
high-dimensional noise, where no index helps). faiss is an optional
dependency: ``pip install "smotekit[ann]"``.

The scan goes cell by cell rather than query by query
(:mod:`smotekit._cell_scan`): each cell meets all the queries that probe it
in one matrix product. It compares the same pairs as faiss's own scan of an
``IndexIVFFlat`` with the same cells, so it finds the same candidates, at
the speed of BLAS (``BENCHMARKS.md``). The candidates found are ranked by
their exact float64 distances.

The points are first scaled by a power of two and centred (in float64), so
values near float32's limits, float64 values beyond them and large common
offsets (timestamps, say) keep their neighbours.

Results are deterministic: faiss trains its k-means with a fixed seed, and
each query's candidates are kept in the order of their value, ties by
index, whatever thread scanned which cell.
"""

from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._brute import exact_rerank_rows, single_threaded_blas, sq_kneighbors
from ._cell_scan import CellIndex, scan_cells
from ._neighbors import (
    check_feature_names,
    check_query_k,
    check_search_input,
    feature_names_of,
    kneighbors_graph,
    magnitude_exponent,
    neighbors_excluding_self,
    remember_features,
    too_few_candidates_error,
)
from ._params import CachedParamNames
from ._threads import openmp_threads, resolve_n_jobs

__all__ = ["ApproximateNeighbors"]

#: Rows per block of the float64 scaling pass (bounded temporaries).
SCALE_ROWS = 8192
#: Scaled coordinates are clipped to this magnitude (fitted points are below
#: 2): float32 squared distances stay finite up to 2**26 features.
QUERY_LIMIT = 2.0**50
#: The cells' k-means is trained on at most this many points per cell, a
#: sample faiss draws with its fixed seed (faiss's own default is 256; its
#: guidance, 30 to 256). A 100k-row class of 10-feature Gaussian clusters,
#: 632 cells, 16 probed: training 0.138 → 0.060 s, recall 0.968 → 0.964,
#: the search unchanged (1.0 s).
TRAIN_POINTS_PER_LIST = 64


def _import_faiss():
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "ApproximateNeighbors needs the faiss library, an optional dependency "
            'of smotekit: pip install "smotekit[ann]" (or pip install faiss-cpu).'
        ) from exc
    return faiss


class ApproximateNeighbors(CachedParamNames, BaseEstimator):
    """Approximate Euclidean k-nearest neighbours with an inverted-file index.

    Parameters
    ----------
    n_neighbors : int, default=6
        Number of neighbours returned by :meth:`kneighbors` (as for
        :class:`~smotekit.ExactNeighbors`, a sampler's ``k_neighbors`` object
        counts the sample itself).
    n_lists : int, default=None
        Number of cells. ``None``: about ``2 * sqrt(n_samples)``, at least 1.
        Either way at most ``n_samples // 39`` (faiss's k-means needs about
        39 points a cell); ``n_lists_`` holds the number used.
    n_probe : int, default=None
        Cells scanned per query. ``None``: ``max(8, ceil(n_lists / 40))``,
        which found 96% of the exact neighbours of a 100k-row class of
        10-feature Gaussian clusters in under a third of the exact search's
        time, but 42% of those of a class with 50 features of mostly noise
        (``benchmarks/bench_approximate.py``). Raising it raises recall and
        cost: :meth:`estimate_recall` measures the recall on your data. On
        the 50-feature class measured, probing more than about a quarter of
        the cells took as long as the exact search
        (:class:`~smotekit.ExactNeighbors`, the samplers' default).
        ``n_probe >= n_lists`` compares every pair (exact, but for points
        whose distances differ by less than float32's rounding).
    n_jobs : int, default=None
        Threads, counted as for :class:`ExactNeighbors` (``None``: the OpenMP
        setting, else the CPUs this process may use; ``-1``: those CPUs
        whatever the OpenMP setting). Does not change the result.

    Attributes
    ----------
    n_samples_fit_ : int
        Number of indexed samples.
    n_lists_, n_probe_ : int
        The cell count and probe count used.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE, ApproximateNeighbors
    >>> rng = np.random.RandomState(0)
    >>> X = rng.standard_normal((2000, 4))
    >>> y = np.array([0] * 1500 + [1] * 500)
    >>> smote = SMOTE(k_neighbors=ApproximateNeighbors(n_neighbors=6), random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [1500, 1500]
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_lists": [Interval(Integral, 1, None, closed="left"), None],
        "n_probe": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, n_neighbors=6, *, n_lists=None, n_probe=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.n_lists = n_lists
        self.n_probe = n_probe
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        """Build the index over ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Points to index (dense).
        y : ignored

        Returns
        -------
        self : ApproximateNeighbors
        """
        self._validate_params()
        check_query_k(self.n_neighbors, None, "ApproximateNeighbors")  # refuses bools
        resolve_n_jobs(self.n_jobs)  # refuses n_jobs=0 before any work
        _import_faiss()
        names = feature_names_of(X)
        X = _dense(check_search_input(X, "ApproximateNeighbors"))
        self._center, self._scale = _centre_and_scale(X)
        self._points = _scaled(X, self._center, self._scale)
        self.n_samples_fit_ = len(X)
        self._build()
        remember_features(self, X.shape[1], names)
        return self

    def _build(self):
        """The faiss index over the scaled points."""
        faiss = _import_faiss()
        n, d = self._points.shape
        self.n_lists_ = self.n_lists or max(1, int(2 * np.sqrt(n)))
        self.n_lists_ = min(self.n_lists_, max(1, n // 39))  # faiss wants ~39/cell
        default_probe = max(8, -(-self.n_lists_ // 40))
        self.n_probe_ = min(self.n_probe or default_probe, self.n_lists_)
        with _faiss_threads(faiss, self.n_jobs):
            quantizer = faiss.IndexFlatL2(d)
            if self.n_lists_ == 1:  # one cell holds every point: no k-means
                # (faiss warns on stderr when it clusters fewer than 39 points)
                quantizer.add(self._points.mean(axis=0, keepdims=True))
                cells = np.zeros(n, dtype=np.int64)
            else:
                index = faiss.IndexIVFFlat(quantizer, d, self.n_lists_)
                index.cp.max_points_per_centroid = TRAIN_POINTS_PER_LIST
                index.train(self._points)  # the cells' k-means, into the quantizer
                _, cells = quantizer.search(self._points, 1)
        self._index(quantizer.reconstruct_n(0, self.n_lists_), cells.ravel())

    def _index(self, centroids, cells):
        """The quantizer and the cells of the trained ``centroids``, each
        point in its cell ``cells``."""
        faiss = _import_faiss()
        self._quantizer = faiss.IndexFlatL2(centroids.shape[1])
        self._quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
        self._cells = CellIndex(self._points, cells, self.n_lists_, centroids)

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Approximate k nearest fitted samples of each query row.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Queries; ``None`` queries the fitted samples, each excluded from
            its own neighbours.
        n_neighbors : int, default=None
            Defaults to ``self.n_neighbors``.
        return_distance : bool, default=True
            Whether to return distances too.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Euclidean distances in the data's units, computed from the
            index's float32 copy of the points: close to float32 precision
            (integer points 1 apart may come back 0.99999998).
        indices : ndarray of shape (n_queries, n_neighbors)
        """
        check_is_fitted(self, "n_samples_fit_")
        _import_faiss()
        k = check_query_k(n_neighbors, self.n_neighbors, "ApproximateNeighbors")
        exclude_self = X is None
        query = exact = self._points
        if not exclude_self:
            check_feature_names(self, X)
            d = self._points.shape[1]
            raw = _dense(check_search_input(X, "ApproximateNeighbors", n_features=d))
            query = exact = _scaled(raw, self._center, self._scale)
            if len(query) and np.abs(query).max() >= QUERY_LIMIT:
                # far-off rows were clipped for the index: rank the candidates
                # by their distances to the rows themselves
                exact = raw.astype(np.float64) * self._scale - self._center
        n_ask = k + 1 if exclude_self else k
        if n_ask > self.n_samples_fit_:
            raise too_few_candidates_error(
                "ApproximateNeighbors", k, self.n_samples_fit_ - exclude_self
            )
        ind = self._candidates(query, k, exclude_self)
        # exact float64 distances of the scaled points, sorted, ties by index
        ind, sq = exact_rerank_rows(self._points, exact, ind, k,
                                    resolve_n_jobs(self.n_jobs))  # fmt: skip
        dist = np.sqrt(np.maximum(sq, 0.0))
        over = np.flatnonzero(np.isinf(sq).any(axis=1))
        if over.size:  # rows so far off that their squares overflow
            ind[over], dist[over] = _far_rerank(self._points, exact[over], ind[over])
        with np.errstate(over="ignore"):
            dist /= self._scale
        return (dist, ind) if return_distance else ind

    def _candidates(self, query, k, exclude_self):
        """The ``k`` candidates the index finds for each scaled ``query`` row,
        every index valid, in the order of the scan's float32 values (rows
        the probed cells could not fill: faiss's exact float32 order)."""
        faiss = _import_faiss()
        n_ask = k + 1 if exclude_self else k
        with _faiss_threads(faiss, self.n_jobs):
            _, probes = self._quantizer.search(query, self.n_probe_)
        with single_threaded_blas():
            _, ind = scan_cells(self._cells, query, probes, k, exclude_self,
                                resolve_n_jobs(self.n_jobs))  # fmt: skip
        missing = np.flatnonzero((ind < 0).any(axis=1))
        if missing.size:
            # the probed cells held too few points: scan those rows exactly
            with _faiss_threads(faiss, self.n_jobs):
                flat = faiss.IndexFlatL2(query.shape[1])
                flat.add(self._points)
                _, found = flat.search(query[missing], n_ask)
            found = found.astype(np.int64)
            if exclude_self:
                found, _ = neighbors_excluding_self(found, own=missing)
            ind[missing] = found[:, :k]
        return ind

    def estimate_recall(self, n_samples=1000, *, n_neighbors=None, random_state=0):
        """Estimate the share of the exact neighbours :meth:`kneighbors` finds.

        A random sample of the fitted samples is searched twice, each sample
        excluded from its own neighbours as ``kneighbors()`` does: with the
        index, and exactly against every fitted sample. A neighbour found
        counts when it is no farther than the exact ``n_neighbors``-th
        (points tied with it count too). Distances are those the index ranks
        by: exact float64 distances of the indexed (centred, scaled,
        float32) points, where distances tied in the data may differ by the
        rounding of those points; such near-ties count as ties. So the
        estimate cannot see what that rounding loses: distances below about
        1e-7 of the data's extent (a tight cluster far from the others, say)
        are lost to the index and to this estimate alike; there, use
        :class:`ExactNeighbors`. The exact search of the sample costs about
        ``n_samples`` rows against all fitted rows, a small part of a whole
        search.

        Parameters
        ----------
        n_samples : int, default=1000
            Fitted samples checked (all of them if there are fewer).
        n_neighbors : int, default=None
            Neighbours of each sample, itself not counted; defaults to
            ``self.n_neighbors``.
        random_state : int, RandomState instance or None, default=0
            Picks the sample.

        Returns
        -------
        recall : float
            Between 0 and 1; 1 means every neighbour of every checked sample
            was found.

        Examples
        --------
        >>> import numpy as np
        >>> from smotekit import ApproximateNeighbors
        >>> X = np.random.RandomState(0).standard_normal((5000, 4))
        >>> nn = ApproximateNeighbors(n_neighbors=5).fit(X)
        >>> 0.9 < nn.estimate_recall(500) <= 1.0
        True
        >>> ApproximateNeighbors(n_neighbors=5, n_probe=10**6).fit(X).estimate_recall()
        1.0

        A sampler's fitted ``nn_k_`` is the estimator of its last class; its
        ``n_neighbors`` counts each sample itself, so SMOTE interpolates
        towards ``n_neighbors - 1`` others:

        >>> from smotekit import SMOTE
        >>> y = np.array([0] * 4000 + [1] * 1000)
        >>> smote = SMOTE(k_neighbors=ApproximateNeighbors(6), random_state=0)
        >>> _ = smote.fit_resample(X, y)
        >>> 0.9 < smote.nn_k_.estimate_recall(n_neighbors=5) <= 1.0
        True
        """
        check_is_fitted(self, "n_samples_fit_")
        owner = "ApproximateNeighbors.estimate_recall"
        if (
            not isinstance(n_samples, Integral)
            or isinstance(n_samples, bool)
            or n_samples < 1
        ):
            raise ValueError(
                f"{owner}: n_samples must be a positive integer; got {n_samples!r}."
            )
        k = check_query_k(n_neighbors, self.n_neighbors, owner)
        n = self.n_samples_fit_
        if k >= n:
            raise too_few_candidates_error(owner, k, n - 1, takes_queries=False)
        picked = check_random_state(random_state).choice(
            n, min(n_samples, n), replace=False
        )
        rows = np.sort(picked)
        query = np.ascontiguousarray(self._points[rows])
        n_threads = resolve_n_jobs(self.n_jobs)
        # the sample as queries, its members' own indices dropped afterwards
        found, _ = neighbors_excluding_self(
            self._candidates(query, k + 1, False), own=rows
        )
        _, found_sq = exact_rerank_rows(self._points, query, found, k, n_threads)
        exact, exact_sq = sq_kneighbors(self._points, query, k + 1,
                                        n_threads=n_threads)  # fmt: skip
        _, exact_sq = neighbors_excluding_self(exact, exact_sq, own=rows)
        # points tied in the data may differ by the rounding of their float32
        # copies: a squared distance moves by at most about 2**-22 sqrt(d) times
        # the distance (coordinates below 1), for each of the two compared
        last = exact_sq[:, -1:]
        tied = 2.0**-20 * np.sqrt(query.shape[1] * last)
        return float((found_sq <= last + tied).mean())

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """The approximate neighbours of each query row as a sparse graph.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Queries; ``None`` queries the fitted samples, each excluded from
            its own neighbours.
        n_neighbors : int, default=None
            Defaults to ``self.n_neighbors``.
        mode : {'connectivity', 'distance'}, default='connectivity'
            Entries of 1, or the distances of :meth:`kneighbors`.

        Returns
        -------
        graph : sparse matrix of shape (n_queries, n_samples_fit_), CSR
        """
        return kneighbors_graph(self, X, n_neighbors, mode)

    def __getstate__(self):
        # the faiss index is rebuilt on load from the trained centroids and
        # each point's cell: the copy finds what the original finds, whatever
        # the parameters were set to since the fit
        state = dict(super().__getstate__())
        cells = state.pop("_cells", None)
        state.pop("_quantizer", None)
        if cells is not None:
            state["_centroids"] = cells.centroids
            n_cells = len(cells.bounds) - 1
            small = np.int16 if n_cells <= np.iinfo(np.int16).max else np.int32
            of_point = np.empty(len(cells.order), dtype=small)
            of_point[cells.order] = np.repeat(
                np.arange(n_cells, dtype=small), np.diff(cells.bounds)
            )
            state["_cell_of"] = of_point
        return state

    def __setstate__(self, state):
        state = dict(state)
        centroids = state.pop("_centroids", None)
        cell_of = state.pop("_cell_of", None)
        super().__setstate__(state)
        if centroids is not None:
            self._index(centroids, cell_of.astype(np.int64))
        elif "_points" in state:  # saved without them: trained again
            self._build()


def _far_rerank(points, rows, cand):
    """``(indices, distances)`` of the candidates ``cand`` of query ``rows``
    whose squared distances overflow float64: each row's differences scaled
    by its own power of two (exact), sorted by distance, ties by index.

    Examples
    --------
    >>> import numpy as np
    >>> points = np.array([[0.0], [1.0]], dtype=np.float32)
    >>> ind, dist = _far_rerank(points, np.array([[1e200]]), np.array([[1, 0]]))
    >>> ind.tolist(), dist.tolist()  # 1e200 - 1 is 1e200: tied, by index
    ([[0, 1]], [[1e+200, 1e+200]])
    """
    diff = rows[:, None, :] - points[cand].astype(np.float64)
    exp = np.frexp(np.abs(diff).max(axis=(1, 2)))[1][:, None, None]
    scaled = np.ldexp(diff, -exp)
    sq = np.einsum("mkd,mkd->mk", scaled, scaled)
    order = np.lexsort((cand, sq))
    dist = np.ldexp(np.sqrt(np.take_along_axis(sq, order, axis=1)), exp[:, :, 0])
    return np.take_along_axis(cand, order, axis=1), dist


def _dense(X):
    """Validated points, refused if sparse (faiss indexes dense rows)."""
    if sparse.issparse(X):
        raise ValueError(
            "ApproximateNeighbors needs dense data; got a sparse matrix. Use "
            "ExactNeighbors (sparse products) or densify the data first."
        )
    return X


def _centre_and_scale(X):
    """A power of two ``scale`` bringing every ``|x|`` below 1, and the mean
    ``center`` of the scaled points.

    faiss computes in float32: unscaled, coordinates beyond about 1e19 make
    squared distances overflow and float64 data can exceed float32's range;
    uncentred, a large common offset (timestamps, say) swallows the spread.
    The scaled, centred points have coordinates below 2 in magnitude, and
    distances between them are the original ones times ``scale``.

    Examples
    --------
    >>> import numpy as np
    >>> center, scale = _centre_and_scale(np.array([[1e6, 3.0], [1e6 + 2, 5.0]]))
    >>> float(scale) == 2.0**-20, (center / scale).tolist()
    (True, [1000001.0, 4.0])
    """
    # the floor keeps 2**-e finite for subnormal data
    scale = np.ldexp(1.0, -max(magnitude_exponent(X), -1000))
    total = np.zeros(X.shape[1])
    for start in range(0, len(X), SCALE_ROWS):
        total += (X[start : start + SCALE_ROWS] * scale).sum(axis=0, dtype=np.float64)
    return total / max(len(X), 1), scale


def _scaled(X, center, scale):
    """``X * scale - center`` as faiss takes it (C-ordered float32), computed
    in float64 a block of rows at a time; far-off queries are clipped where
    their float32 squared distances would overflow."""
    out = np.empty(X.shape, dtype=np.float32)
    for start in range(0, len(X), SCALE_ROWS):
        block = X[start : start + SCALE_ROWS].astype(np.float64) * scale - center
        np.clip(block, -QUERY_LIMIT, QUERY_LIMIT, out=block)
        out[start : start + SCALE_ROWS] = block
    return out


class _faiss_threads:
    """Set faiss's OpenMP thread count for a block, then restore it."""

    def __init__(self, faiss, n_jobs):
        self.faiss = faiss
        self.n = openmp_threads(resolve_n_jobs(n_jobs))

    def __enter__(self):
        self.before = self.faiss.omp_get_max_threads()
        self.faiss.omp_set_num_threads(self.n)

    def __exit__(self, *exc):
        self.faiss.omp_set_num_threads(self.before)
