"""Exact k-nearest-neighbour search, and the ``k_neighbors`` parameter.

:class:`ExactNeighbors` is a small scikit-learn compatible estimator
(``fit`` / ``kneighbors``) that returns the exact k nearest neighbours in
Euclidean distance. It picks its method from the data's shape:

* ``'kd_tree'`` (few features): pykdtree's kd-tree in float64, queried on
  all cores, its candidates re-ranked and certified exactly (see
  :mod:`smotekit._kdtree`);
* ``'brute'`` (many features): tiled matrix products with a compiled top-k
  pass and an exact float64 re-ranking with a certificate of exactness (see
  :mod:`smotekit._brute`); sparse data uses blocked sparse products.
  Memory is bounded by the tile size, not by ``n_query * n_fit``.

Samplers accept for ``k_neighbors`` either an int (``k`` neighbours, the
point itself excluded) or any object with a ``kneighbors`` method, which is
cloned and fitted on each class; :func:`neighbors_excluding_self` turns its
answer into a self-free neighbour table.
"""

import functools
import inspect
import math
import os
import threading
import weakref
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples, check_is_fitted
from threadpoolctl import ThreadpoolController

from ._brute import (
    brute_kneighbors,
    drop_own,
    every_pair_kneighbors,
    sample_repeats,
    single_threaded_blas,
    sq_kneighbors,
)
from ._certificate import unequal_spread
from ._data import _all_finite, non_finite_summary
from ._intrinsic import intrinsic_dimension, off_axis_ratio, spread_columns
from ._kdtree import OrderedTree, kdtree_candidates, kdtree_kneighbors
from ._params import CachedParamNames
from ._sparse_search import canonical_values, dense_pays, sparse_sq_kneighbors
from ._threads import openmp_threads, resolve_n_jobs, thread_budget
from ._tree_probe import neighbour_contrast, tree_visit_share
from .exceptions import ClassTooSmallError, TooFewSamplesError

__all__ = [
    "ClassTooSmallError",
    "ExactNeighbors",
    "TooFewSamplesError",
    "check_class_size",
    "check_feature_names",
    "check_neighbors_object",
    "check_query_k",
    "check_search_input",
    "checked_neighbor_table",
    "checked_self_excluded",
    "feature_names_of",
    "fewer_neighbors_hint",
    "fit_on_all_samples",
    "kneighbors_graph",
    "magnitude_exponent",
    "neighbors_excluding_self",
    "neighbors_of_rows",
    "remember_features",
]

#: Above this many features the tiled matrix-product search beats a kd-tree
#: (measured on 100k Gaussian points on an Intel Xeon: at 8 features they
#: are even; on an AMD EPYC, the tree in its spatial order, the products
#: are 2.4 times faster at 8 features and 1.3 at 7, at 300k rows 1.8
#: times faster at 8 and 2 times slower at 7; points with any structure
#: favour the tree).
KD_TREE_MAX_FEATURES = 8
#: Points spread in at most this many dimensions near each other (estimated)
#: are searched with a kd-tree whatever their number of features (100k
#: points; estimate, kd-tree / brute-force seconds: 1.2, 0.3 / 11.0 for a
#: table with a count column beside floats; 4.2, 1.3 / 7.4 for 50 features of
#: which 4 are in larger units; 7.0, 1.3 / 3.9 for 6 of 12; Gaussian points:
#: 8.5, 6.7 / 2.8 for 9 features, 11.1, 30 / 4.0 for 12).
KD_TREE_MAX_DIMENSION = 7.5
#: ...unless a small tree on a sample of them reads more than this share of
#: it per query (:func:`~smotekit._tree_probe.tree_visit_share`) at
#: ``DIMENSION_SHARE_ROWS`` rows, ``DIMENSION_SHARE_PER_DOUBLING`` more for
#: each doubling of the rows (the tree's looks grow more slowly than the
#: products' with the points). The estimate averages the points' own
#: dimensions so that the fewest weigh most: a mixture of points in a few
#: dimensions and points spread in all, as a SMOTE output is (synthetic rows
#: on segments beside the original rows), is estimated low while the tree
#: loses on its spread part. SMOTE outputs of Gaussian classes (estimate
#: 2.9-6.4; rows, share, tree / tiled seconds for 3 neighbours each): 10
#: features, 180k-198k rows, 0.39-0.48, 7.2-7.9 / 5.2-6.4; 270k, 0.43,
#: 12.8 / 11.8; 540k, 0.50, 36 / 47; 12 features, 180k-198k, 0.51-0.59,
#: 20-21 / 5.6-6.9; 14, 0.63-0.73, 43 / 6.1-7.2; 20, 0.83-0.95, 169 / 6.4.
#: Gaussian points in 8 dimensions, 100k rows: 0.39-0.40, the tree 1.2-1.9
#: times slower; in 7: 0.24-0.26, even or faster. Clusters, count columns,
#: rotated sets of 3 dimensions: 0.02-0.03.
DIMENSION_MAX_SHARE = 0.45
DIMENSION_SHARE_ROWS = 2**18
DIMENSION_SHARE_PER_DOUBLING = 0.055
#: From this many points on, classes of many features whose columns spread
#: unequally are searched by the estimate alone...
DIMENSION_MIN_ROWS = 8192
#: ...below, only when at most this many columns hold the spread
#: (:func:`~smotekit._intrinsic.spread_columns`), as where columns keep
#: their own units: there the tiled products lose their float32 precision
#: and the tree cuts along the wide columns (self-searches, tree against
#: tiled products: the shipped page_blocks0, 5,472 rows of 10 features, 1.5
#: columns wide, 18 against 47 ms; crx, 653 rows of 37, 3.5 against 10 ms;
#: 2-3 columns 20-500 times wider than 13-124 others, 2,000-8,000 rows,
#: 0.6-2.2 times the time, queries of a tenth of the rows 0.5-1.0). Wider
#: spreads go to the products (Gaussian points: the tree 3-30 times slower;
#: vehicle0, 4.6 columns wide, 1.8 times). One wide column beside 15 or more
#: others leaves the rows spreading in many dimensions near each other, as
#: the estimate tells (11 to 36; the tree 3-6 times slower). The estimate
#: costs 1-3 ms on 2,000 rows, 6-13 ms on 8,000.
SMALL_MAX_SPREAD_COLUMNS = 4.0
#: Classes this small are searched by their number of features alone.
SMALL_MIN_ROWS = 256
#: ``'auto'`` computes searches of at most this many pairs (dense, of at
#: least ``FEW_PAIRS_MIN_FEATURES`` features) from every pair's product at
#: once, without choosing a route or looking at the table. Those checks and
#: a tree or the tiled passes cost more than such a search: self-searches of
#: 1,000 rows (1M pairs), every pair against the chosen route, 1.2-2.1 times
#: faster at 10-500 features, 2.2-6.5 at 5-8 (where a tree prunes little);
#: at 2-4M pairs the two are even at 10-50 features (0.86-1.3)...
FEW_PAIRS = 2**20
#: ...and so are larger searches of at most this many pairs x features,
#: where the route chosen would be a tree that prunes little (Gaussian
#: self-searches of 2,000 rows: every pair 6.5, 8.2, 5.7 ms at 5, 6, 8
#: features against 15, 24, 36; at 10-12 features even with the tiled
#: passes; at 4,000 rows of 5 features, 80M, even with the tree).
FEW_PAIRS_WORK = 2**25
#: ...the latter only for fits of at most this many values: every pair
#: reads all the fitted points each call, so a few rows searched again and
#: again among many more points are left to the route, whose tree answers
#: each later call at once (one row among 2M points of 5 features: 66 ms a
#: call by every pair, 0.3 ms once the tree is built).
FEW_PAIRS_FIT_VALUES = 2**22
#: A fit of more values than this, whose route is the tree, answers a
#: search of few rows (at most one per ``FEW_PAIRS_TREE_SHARE`` fitted
#: points) by the tree once the fit has been searched ``FEW_PAIRS_CALLS``
#: times from every pair for so few rows (or its route was decided by a
#: larger search): each such call reads every fitted point, the
#: tree's build costs a few such calls, and the tree then answers at once
#: (Gaussian points, one row among 16,000 of 5 features: every pair 0.49
#: ms a call, the tree 0.20; among 64,000 of 8: 1.7 and 0.31 ms; among
#: 1M of 6: 42 and 0.2 ms; 16 rows among 16,000 of 8: 1.4 and 1.2 ms,
#: but 128 rows: 3.7 and 6.5 ms).
FEW_PAIRS_TREE_VALUES = 2**16
FEW_PAIRS_TREE_SHARE = 256
FEW_PAIRS_CALLS = 8
#: Points of fewer features keep their tree, which prunes well there (at 3
#: features every pair is 0.6-0.9 times as fast from 250k pairs on; at 4,
#: 0.8-1.6)...
FEW_PAIRS_MIN_FEATURES = 5
#: ...past these many pairs, by their number of features (1 to 4): below,
#: the tree's build and passes cost more than every pair. Gaussian points
#: and points of 20 integer levels, k=6, every pair against the tree: a
#: class searched against itself, 200 rows of 1 feature 0.28 against 0.33 ms
#: (400 rows: 0.74 against 0.44), 200 of 2 0.24 against 0.34, 400 of 3 even,
#: 1,000 of 4 1.5 against 2.7 (2,000: 4.2 against 4.8); integer points 1.3-4
#: times faster up to 400 rows whatever the features. Queries of a quarter
#: as many rows as the fit are even at 2**15 pairs of 1 feature (2**16: 0.33
#: against 0.24 ms), 2**16 of 3 and 2**17 of 4.
FEW_PAIRS_LOW_D_SELF = (2**15, 2**16, 2**18, 2**20)
FEW_PAIRS_LOW_D = (2**15, 2**15, 2**16, 2**17)
#: From this many points on, the estimate (5-20 ms) is always made; below,
#: only for columns of unequal spread, where the tiled products also lose
#: their float32 precision (10k rows, a count column beside 9 others: tree
#: 11 ms, tiled products 147 ms; the same rows as Gaussian points: products
#: 35 ms, of which the estimate would be a sixth).
DIMENSION_ALWAYS_ROWS = 65_536


#: Points whose columns' variances spread over at least this many times
#: more columns than the covariance's over its principal axes
#: (:func:`~smotekit._intrinsic.off_axis_ratio`) lie near a few directions
#: that are not axes (columns that follow a few underlying ones): a
#: kd-tree splits along the axes and prunes little there. Measured on
#: 100k-row classes of 9-50 features: 3 or 6 underlying columns 1.9-10.7,
#: ``make_classification``'s 1.5-1.7; Gaussian points, 200 or 1,000
#: clusters, tables with count columns or columns in larger units
#: 1.00-1.26.
ROTATED_MIN_RATIO = 1.4
#: Such points take the tree only when they spread in at most this many
#: dimensions near each other, and have at most ``GROUPS_MAX_FEATURES``
#: features (100k rows, tree / tiled seconds: 3 underlying columns, estimate
#: 3.1-3.2, 0.36 / 1.47 at 9 features, 0.96 / 1.90 at 20, 4.06 / 3.14 at 50;
#: 6 underlying, 5.7-6.1, 1.48 / 1.61 at 9, 3.02 / 1.73 at 12, 40 / 3.2 at
#: 50; ``make_classification``'s 5 informative of 9, 6.4, 1.84 / 1.56).
ROTATED_MAX_DIMENSION = 4.5
#: Classes of this many rows up to ``DIMENSION_ALWAYS_ROWS``, of at most
#: ``FEW_DIRECTIONS_MAX_FEATURES`` features, whose columns spread alike but
#: clearly follow a few directions (an off-axis ratio of at least
#: ``FEW_DIRECTIONS_MIN_RATIO``; ``make_classification``'s 1.6-1.8) are
#: estimated too, and take the tree at ``ROTATED_MAX_DIMENSION`` or fewer
#: (the estimate 4-9 ms): the kd-tree, its points in a spatial order, gains
#: from there on (tree / tiled seconds, float32 self-searches: 3 underlying
#: columns of 9-12, estimate 2.9-3.3, 0.14-0.17 / 0.36-0.40 at 32k rows,
#: 0.24-0.37 / 0.99-1.19 at 60k; 4 underlying, 4.1-4.3, 0.23-0.35 /
#: 0.35-0.41 at 32k; at 16k rows 0.06-0.15 / 0.09-0.13, too little for the
#: estimate; at 16-20 features 4 underlying columns cost the tree 1.2-1.3
#: times the products at 32k rows).
FEW_DIRECTIONS_MIN_ROWS = 32_768
FEW_DIRECTIONS_MAX_FEATURES = 12
FEW_DIRECTIONS_MIN_RATIO = 2.0
#: Classes of at least this many rows and at most ``GROUPS_MAX_FEATURES``
#: features whose rows gather in tight groups take the tree, whatever the
#: dimension they spread in: a small tree on a sample of them reads at most
#: this share of it per query (:func:`~smotekit._tree_probe.tree_visit_share`,
#: 3-8 ms) and the tree skips whole groups. Float32 self-searches, tree /
#: tiled seconds: 200 clusters of width 0.5 (share 0.016-0.031) at 16k-100k
#: rows, 0.03 / 0.06 to 1.06 / 1.84 at 9-20 features, 2.52 / 2.82 at 50; a
#: count column beside floats (0.026-0.031), 0.03 / 0.16 to 3.12 / 3.82 at
#: 9-20, 7.4 / 5.8 at 50. Gaussian points read 0.47-1.0 of the sample,
#: ``make_classification``'s 0.14-0.96, 20 clusters of width 5 0.32-1.0,
#: and the tree loses there (1.2-64 times slower).
GROUPS_MAX_SHARE = 0.05
GROUPS_MAX_FEATURES = 20
#: The share is only probed where a point's 6th nearest sampled point lies
#: at most this fraction of its median distance away
#: (:func:`~smotekit._tree_probe.neighbour_contrast`, 0.7 ms): 0.005-0.16
#: on every class of 9-20 features measured with a share of 0.05 or less
#: (clusters of 20-1,000 centres and widths 0.05-5, count columns, rotated
#: sets; 16k and 60k rows), 0.41-0.61 on Gaussian points, which then skip
#: the probe.
GROUPS_MAX_CONTRAST = 0.3
#: Below this many rows the share is not measured: it would cost 5-15% of
#: the search of a Gaussian class, and the tree gains 10-30 ms at most.
GROUPS_MIN_ROWS = 16_384


def _rotated(X):
    """Whether the points lie near a few directions that are not axes."""
    with single_threaded_blas():
        return off_axis_ratio(X) >= ROTATED_MIN_RATIO


def _groups_pay(X):
    """Whether the rows gather in groups a kd-tree skips whole
    (``GROUPS_MAX_SHARE``). Not groups of repeated rows: the tiled passes
    search those once per distinct row (200 rows, each 100 times: 6 ms,
    the tree 12). The probe of the share (3-8 ms) comes last: rotated
    sets (``make_classification``'s) are told apart in 0.2 ms, points
    spread evenly in 0.7 (``GROUPS_MAX_CONTRAST``)."""
    n, d = X.shape
    if n < GROUPS_MIN_ROWS or d > GROUPS_MAX_FEATURES or sample_repeats(X):
        return False
    if _rotated(X):
        return False
    with single_threaded_blas():
        if neighbour_contrast(X) > GROUPS_MAX_CONTRAST:
            return False
    return tree_visit_share(X) <= GROUPS_MAX_SHARE


def _few_directions(X):
    """Whether a class below ``DIMENSION_ALWAYS_ROWS`` rows lies near few
    enough directions for the tree (``FEW_DIRECTIONS_MIN_ROWS``). Classes
    whose rows repeat are left to the grouped search of either route."""
    n, d = X.shape
    if n < FEW_DIRECTIONS_MIN_ROWS or d > FEW_DIRECTIONS_MAX_FEATURES:
        return False
    if sample_repeats(X):
        return False
    with single_threaded_blas():
        if off_axis_ratio(X) < FEW_DIRECTIONS_MIN_RATIO:
            return False
        return intrinsic_dimension(X) <= ROTATED_MAX_DIMENSION


def _kd_tree_pays(X):
    """Whether ``'auto'`` searches ``X`` (the scaled points) with a kd-tree."""
    if sparse.issparse(X):
        return False
    n, d = X.shape
    if d <= KD_TREE_MAX_FEATURES:
        return True
    if d > KD_TREE_LIMIT_FEATURES or n < SMALL_MIN_ROWS:
        return False
    if n < DIMENSION_MIN_ROWS:
        if spread_columns(X) > SMALL_MAX_SPREAD_COLUMNS:
            return False
        if sample_repeats(X):
            # the estimate cannot tell (its points repeat) or is low on
            # every such shipped class (the kddcup and winequality sets:
            # 1.1-3.2; the tree 1.1-2 times faster than the products)
            return True
    elif n < DIMENSION_ALWAYS_ROWS and not unequal_spread(X):
        return _few_directions(X) or _groups_pay(X)
    with single_threaded_blas():  # no BLAS threads left spinning for the search
        dimension = intrinsic_dimension(X)
        if dimension > KD_TREE_MAX_DIMENSION:
            return _groups_pay(X)
        if _rotated(X) and (
            dimension > ROTATED_MAX_DIMENSION or d > GROUPS_MAX_FEATURES
        ):
            return False
    return _not_mixed(X)


def _not_mixed(X):
    """Whether a class of low estimated dimension is not a mixture whose
    other points spread in many (``DIMENSION_MAX_SHARE``): probed from
    ``DIMENSION_ALWAYS_ROWS`` rows, where its 3-8 ms are a few hundredths
    of the search."""
    n = X.shape[0]
    if n < DIMENSION_ALWAYS_ROWS:
        return True
    doublings = math.log2(n / DIMENSION_SHARE_ROWS)
    limit = DIMENSION_MAX_SHARE + DIMENSION_SHARE_PER_DOUBLING * doublings
    return tree_visit_share(X) <= limit


@functools.cache
def _openmp_controller():
    """Controller of the OpenMP thread pools only, inspected once (inspection
    reads the process maps). Only those: a limit restores every library its
    controller holds on leaving, and BLAS's count, process-wide, may have
    been lowered meanwhile by a search in another thread (see
    :class:`~smotekit._brute._SingleThreadedBlas`), which would then stay
    lowered for good."""
    return ThreadpoolController().select(user_api="openmp")


def _within_n_jobs(method):
    """Run ``method`` with ``self.n_jobs`` threads for all of its passes
    (input checks and layout included, not only the search); a bad
    ``n_jobs`` is left to the method's own checks."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            n_threads = resolve_n_jobs(self.n_jobs)
        except (TypeError, ValueError):
            n_threads = None
        with thread_budget(n_threads):
            return method(self, *args, **kwargs)

    return wrapper


#: Fitted searches holding a route lock, whose locks a forked child renews.
_LOCKED_SEARCHES = weakref.WeakSet()


def _give_route_lock(search):
    """A new lock guarding the choice of ``search``'s route (see
    :attr:`ExactNeighbors.algorithm_`)."""
    search._route_lock = threading.Lock()
    _LOCKED_SEARCHES.add(search)


def _renew_route_locks():
    """In a forked child: a lock another thread of the parent held (building
    a tree) would never be released there."""
    for search in list(_LOCKED_SEARCHES):
        search._route_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_route_locks)


class ExactNeighbors(CachedParamNames, BaseEstimator):
    """Exact Euclidean k-nearest neighbours, fastest method for the data.

    Every method returns the same neighbours in the same order: by distance,
    ties broken by index (so duplicated rows and points on a grid give the
    same table for dense, sparse and any ``algorithm``). float64 points of
    extreme magnitude (large enough for their squared distances to overflow,
    about ``2**505``, or below ``2**-400``) are searched scaled by a power
    of two, which is exact: their neighbours are those of the same points at
    a moderate scale. The distance is the float64 sum of squared
    differences: differences whose squares fall below float64's range (tiny
    differences between much larger values) count as zero, and the points
    they separate tie.

    Parameters
    ----------
    n_neighbors : int, default=6
        Number of neighbours returned by :meth:`kneighbors`.
    algorithm : {'auto', 'kd_tree', 'brute'}, default='auto'
        Search method. ``'auto'`` uses a kd-tree for dense data with at most
        8 features, or up to 127 whose points spread in about 7 dimensions
        or fewer near each other (a few columns in much larger units than
        the others, or columns that follow a few underlying ones; estimated
        from a fixed sample of rows by
        :func:`smotekit._intrinsic.intrinsic_dimension`; below 8,192 points
        only when at most 4 columns hold their spread,
        :func:`smotekit._intrinsic.spread_columns`); points near a few
        directions that are not axes (columns that follow a few underlying
        ones, :func:`smotekit._intrinsic.off_axis_ratio`) only up to 20
        features and about 4.5 dimensions (between 32,768 and 65,535
        points, where columns spread alike, only those up to 12 features
        and clearly off the axes are estimated); from 65,536 points only
        when a small tree on a sample of them reads at most 34% (at 65,536
        points) to 56% (at 1M) of it per query
        (:func:`smotekit._tree_probe.tree_visit_share`: not a mixture
        of points in a few dimensions and points spread in many, such as a
        SMOTE output, rows on segments beside the original rows, which the
        estimate puts low). It also uses the tree for
        classes of at least 16,384 rows and at most 20 features gathered
        in tight groups (a small tree on a sample of them reads at most 5%
        of it per query, :func:`smotekit._tree_probe.tree_visit_share`,
        measured only where a point's neighbours lie much nearer than the
        other points, :func:`smotekit._tree_probe.neighbour_contrast`),
        and the tiled brute force otherwise. A search of at most ``2**20``
        pairs (queries times fitted points) of dense points of 5 features
        or more is computed from every pair at once instead, without
        choosing either (the answer is the same; see ``FEW_PAIRS``); so is
        one of more pairs up to ``2**25`` pairs times features, among at
        most ``2**22`` fitted values. A fit whose route is the tree, searched
        that way ``FEW_PAIRS_CALLS`` times for a few rows each (or whose
        route a larger search decided), answers such searches with its tree.
    n_jobs : int, default=None
        Threads for the search. ``None`` counts them as scikit-learn's own
        parallel code does: the OpenMP setting when there is one
        (``OMP_NUM_THREADS``, which joblib's and dask's worker processes
        set, or ``threadpoolctl.threadpool_limits`` on the calling thread),
        else the CPUs this process may run on (affinity and container
        quota, read once per process). ``-1`` uses every CPU the process may
        run on whatever the OpenMP setting, ``-2`` all but one...; a
        positive number is used as given. It holds for every pass of
        :meth:`fit` and :meth:`kneighbors` (input checks and the layout of
        the points included). The result does not depend on it.
    block_size : int, default=None
        Tile side of the dense brute-force search (query rows per block for
        sparse data). ``None`` picks a cache-friendly size. The result does
        not depend on it.

    Attributes
    ----------
    n_samples_fit_ : int
        Number of samples in the fitted data.
    algorithm_ : str
        The method for the fitted samples: ``algorithm``, or what ``'auto'``
        chose for them (decided when first needed, as a sampler that computes
        its small tables' distances itself never searches).

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

    @_within_n_jobs
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
        names = feature_names_of(X)
        self._fit_at_scale(X, None)
        remember_features(self, self._fit_X.shape[1], names)
        return self

    def _fit_at_scale(self, X, exp):
        """:meth:`fit`, the points scaled by ``2**-exp`` (None: the power of
        two of :func:`_scale_exponent`; a caller searching parts of a larger
        set passes the set's and its parts already scaled, with 0)."""
        self._validate_params()
        check_query_k(self.n_neighbors, None, "ExactNeighbors")  # refuses bools
        resolve_n_jobs(self.n_jobs)  # refuses n_jobs=0 before any work
        X = check_search_input(X, "ExactNeighbors")
        if self.algorithm == "kd_tree":
            if sparse.issparse(X):
                raise ValueError(
                    "ExactNeighbors(algorithm='kd_tree') needs dense data; got a "
                    "sparse matrix. Use algorithm='brute' or 'auto'."
                )
            if X.shape[1] > KD_TREE_LIMIT_FEATURES:
                raise ValueError(
                    "ExactNeighbors(algorithm='kd_tree') handles at most "
                    f"{KD_TREE_LIMIT_FEATURES} features; got {X.shape[1]}. Use "
                    "algorithm='brute' or 'auto' (same neighbours)."
                )
        # checked: a refused fit leaves the previous one whole
        scale_exp = _scale_exponent(X) if exp is None else int(exp)
        X = _scaled(X, scale_exp)
        # the fit's top exponent (see _fit_top), route and tree go with it
        for name in ("_top", "_route", "_tree", "_few_calls"):
            self.__dict__.pop(name, None)
        self._scale_exp = scale_exp
        self._own_scale = exp is None  # see _scale_groups
        _give_route_lock(self)  # one tree, whatever the threads
        self.n_samples_fit_ = X.shape[0]
        self._fit_X = X
        self._fit_algorithm = self.algorithm  # set_params before a refit: not yet
        if self.algorithm != "auto":
            self._take_route(self.algorithm)
        return self

    @property
    def algorithm_(self):
        """The search method for the fitted points (see Attributes)."""
        route = self.__dict__.get("_route")
        if route is None:
            check_is_fitted(self, "n_samples_fit_")
            with self._route_lock:
                route = self.__dict__.get("_route")  # another thread's
                if route is None:
                    tree = _kd_tree_pays(self._fit_X)
                    route = self._take_route("kd_tree" if tree else "brute")
        return route

    def _take_route(self, route):
        """Build what the search ``route`` needs (a tree), then record it."""
        if route == "kd_tree":
            self._tree = OrderedTree(self._fit_X)
        self._route = route
        return route

    def __getstate__(self):
        # a lock is not picklable (the tree rebuilds itself on load)
        state = dict(super().__getstate__())
        state.pop("_route_lock", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "n_samples_fit_" in state:
            _give_route_lock(self)

    @_within_n_jobs
    def candidates(self, X=None, n_neighbors=None):
        """Nearest fitted samples, ties in the method's own order.

        The same as :meth:`kneighbors` (distances and indices) except among
        samples at one distance: their order, and which of those tied with
        the last one are listed, are the method's. Cheaper than
        :meth:`kneighbors` on tied data with a kd-tree; for filters that
        settle ties themselves (the grouped search).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query rows; ``None`` queries the fitted samples against
            themselves, each excluded from its own neighbours.
        n_neighbors : int, default=None
            Number of neighbours; defaults to ``self.n_neighbors``.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors), float64
        indices : ndarray of shape (n_queries, n_neighbors), int64

        Examples
        --------
        >>> import numpy as np
        >>> nn = ExactNeighbors(n_neighbors=1).fit([[0.0], [1.0], [2.0]])
        >>> nn.candidates()[0].tolist()
        [[1.0], [1.0], [1.0]]
        """
        check_is_fitted(self, "n_samples_fit_")
        query = None if X is None else self._check_query(X)
        n_queries = self.n_samples_fit_ if X is None else query.shape[0]
        if not self._uses_tree(n_queries, self_search=X is None):
            return self.kneighbors(query, n_neighbors)
        k = check_query_k(n_neighbors, self.n_neighbors, "ExactNeighbors")
        self._check_candidates(k + (X is None), X is None)
        exp = self._scale_exp
        if X is not None:
            groups = self._scale_groups(query)
            if groups != [(None, self._scale_exp)]:  # not all at the tree's scale
                return self.kneighbors(X, n_neighbors)
            query = _scaled(query, exp)
        threads = self._tree_threads(self.n_samples_fit_ if X is None else len(query))
        with _openmp_controller().limit(
            limits=openmp_threads(threads), user_api="openmp"
        ):
            dist, ind = kdtree_candidates(self._tree, query, k)
        return _unscaled(dist, exp), ind

    def _few_pairs(self, n_queries, own_scale=True, self_search=False):
        """Whether ``'auto'`` computes a search of ``n_queries`` rows from
        every pair at once (``FEW_PAIRS``, ``FEW_PAIRS_WORK``,
        ``FEW_PAIRS_FIT_VALUES``; the answer is the same). For points of
        fewer than ``FEW_PAIRS_MIN_FEATURES`` features, only up to
        ``FEW_PAIRS_LOW_D_SELF`` pairs (the fit against itself:
        ``self_search``) or ``FEW_PAIRS_LOW_D``: past them their tree costs
        less than the products. Not, at the fit's own scale (``own_scale``:
        the tree's), for a few rows the tree answers
        (:meth:`_tree_answers_few`)."""
        if self._fit_algorithm != "auto" or sparse.issparse(self._fit_X):
            return False
        n_fit, d = self._fit_X.shape
        pairs = n_queries * n_fit
        if d < FEW_PAIRS_MIN_FEATURES:
            limits = FEW_PAIRS_LOW_D_SELF if self_search else FEW_PAIRS_LOW_D
            if pairs > limits[max(d, 1) - 1]:
                return False
        elif pairs > FEW_PAIRS and (
            pairs * d > FEW_PAIRS_WORK or n_fit * d > FEW_PAIRS_FIT_VALUES
        ):
            return False
        return not (own_scale and self._tree_answers_few(n_queries))

    def _few_rows(self, n_queries):
        """Whether ``n_queries`` rows are few enough for the fit's tree to
        answer instead of every pair (``FEW_PAIRS_TREE_VALUES``)."""
        n_fit, d = self._fit_X.shape
        return (
            n_fit * d > FEW_PAIRS_TREE_VALUES
            and n_queries * FEW_PAIRS_TREE_SHARE <= n_fit
        )

    def _tree_answers_few(self, n_queries):
        """Whether a search of ``n_queries`` rows that every pair could
        answer is left to the fit's tree: few rows (:meth:`_few_rows`), and
        the route decided (by a larger search, or after ``FEW_PAIRS_CALLS``
        such searches from every pair) and a tree."""
        if not self._few_rows(n_queries):
            return False
        route = self.__dict__.get("_route")
        if route is None and self.__dict__.get("_few_calls", 0) < FEW_PAIRS_CALLS:
            return False
        return self.algorithm_ == "kd_tree"

    def _uses_tree(self, n_queries, self_search=False):
        """Whether a search of ``n_queries`` rows takes the tree."""
        return (
            not self._few_pairs(n_queries, self_search=self_search)
            and self.algorithm_ == "kd_tree"
        )

    def _tree_threads(self, n_queries):
        """Threads of a tree search: waking a thread team costs more than a
        small search."""
        return 1 if n_queries < 4096 else resolve_n_jobs(self.n_jobs)

    def _check_query(self, X):
        """The validated query, in the fitted points' format (unscaled)."""
        X = check_search_input(X, "ExactNeighbors", n_features=self._fit_X.shape[1])
        if sparse.issparse(X) != sparse.issparse(self._fit_X):
            X = sparse.csr_matrix(X) if sparse.issparse(self._fit_X) else X.toarray()
        return X

    def _scale_groups(self, query):
        """``[(rows, exp), ...]``: the query rows (None: all) to search at
        each power of two. Rows too large for the fit's own scale (their
        squared distances would overflow there; a tiny fit is scaled up) are
        searched at the scale of their magnitude and the fit's together.
        Against a fit of zeros that chose its own scale (:meth:`fit`), tiny
        rows (below ``2**-SCALE_LIMIT_EXP``) are searched scaled up at
        theirs: their distances are their norms, whose squares would
        underflow. (A caller that scales the parts of a larger set itself
        keeps its own scale for every row.)"""
        values = query.data if sparse.issparse(query) else query
        q_top = top_exponent(values)
        d = query.shape[1]
        zero_fit = self.__dict__.get("_own_scale", False) and self._fit_top() is None
        fits = q_top is None or q_top - self._scale_exp <= _overflow_exponent(d)
        if fits and not (zero_fit and q_top is not None):
            return [(None, self._scale_exp)]
        if sparse.issparse(query):
            row_max = abs(query).max(axis=1).toarray().ravel()
        else:
            row_max = np.abs(values).max(axis=1)
        row_top = np.frexp(row_max)[1]
        big = (row_max > 0) & (row_top - self._scale_exp > _overflow_exponent(d))
        tiny = zero_fit & (row_max > 0) & (row_top < -SCALE_LIMIT_EXP)
        groups = [(~(big | tiny), self._scale_exp)]
        if big.any():
            fit_top = self._fit_top()
            top = int(row_top[big].max())
            top = top if fit_top is None else max(top, fit_top)
            groups.append((big, scale_exponent_for(top, d)))
        if tiny.any():
            groups.append((tiny, scale_exponent_for(int(row_top[tiny].max()), d)))
        groups = [(rows, exp) for rows, exp in groups if rows.any()]
        if len(groups) == 1:
            return [(None, groups[0][1])]
        return [(np.flatnonzero(rows), exp) for rows, exp in groups]

    def _fit_top(self):
        """:func:`top_exponent` of the fitted points (in the caller's units),
        looked at once when first needed."""
        if not hasattr(self, "_top"):
            fit = self._fit_X.data if sparse.issparse(self._fit_X) else self._fit_X
            top = top_exponent(fit)
            self._top = None if top is None else top + self._scale_exp
        return self._top

    def _fit_at(self, exp):
        """The fitted points scaled by ``2**-exp`` instead of the fit's own
        power of two (query rows of other magnitudes)."""
        if exp == self._scale_exp:
            return self._fit_X
        return _scaled(self._fit_X, exp - self._scale_exp)

    def _check_candidates(self, n_ask, exclude_self):
        if n_ask > self.n_samples_fit_:
            raise too_few_candidates_error(
                "ExactNeighbors",
                n_ask - exclude_self,
                self.n_samples_fit_ - exclude_self,
            )

    @_within_n_jobs
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
        check_is_fitted(self, "n_samples_fit_")
        k = check_query_k(n_neighbors, self.n_neighbors, "ExactNeighbors")
        self._check_candidates(k + (X is None), X is None)
        if X is None:
            dist, ind = self._search(None, self._scale_exp, k)
            return (dist, ind) if return_distance else ind
        check_feature_names(self, X)
        query = self._check_query(X)
        groups = self._scale_groups(query)
        if len(groups) == 1:
            dist, ind = self._search(_scaled(query, groups[0][1]), groups[0][1], k)
        else:  # rows of other magnitudes, searched at their own scale
            dist = np.empty((query.shape[0], k))
            ind = np.empty((query.shape[0], k), dtype=np.int64)
            for rows, exp in groups:
                dist[rows], ind[rows] = self._search(_scaled(query[rows], exp), exp, k)
        return (dist, ind) if return_distance else ind

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """The k nearest neighbours of each query row as a sparse graph.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_queries, n_features)
            Query rows; ``None`` queries the fitted samples, each excluded
            from its own neighbours.
        n_neighbors : int, default=None
            Defaults to ``self.n_neighbors``.
        mode : {'connectivity', 'distance'}, default='connectivity'
            Entries of 1, or the Euclidean distances.

        Returns
        -------
        graph : sparse matrix of shape (n_queries, n_samples_fit_), CSR

        Examples
        --------
        >>> import numpy as np
        >>> nn = ExactNeighbors(n_neighbors=1).fit(np.array([[0.0], [1.0], [3.0]]))
        >>> nn.kneighbors_graph(mode="distance").toarray()
        array([[0., 1., 0.],
               [1., 0., 0.],
               [0., 2., 0.]])
        """
        return kneighbors_graph(self, X, n_neighbors, mode)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @_within_n_jobs
    def _unsettled_kneighbors(self, X, k):
        """:meth:`kneighbors` of the tiled search's first pass alone:
        ``(distances, indices, unsettled)``, the rows marked ``unsettled``
        left without an answer (see :func:`~smotekit._brute.sq_kneighbors`),
        for callers that settle such rows themselves; None when the search
        is not the tiled one (every pair at once, a kd-tree, sparse points,
        query rows at other scales)."""
        check_is_fitted(self, "n_samples_fit_")
        n_queries = self.n_samples_fit_ if X is None else _num_samples(X)
        if self._few_pairs(n_queries, self_search=X is None) or sparse.issparse(
            self._fit_X
        ):
            return None
        if self.algorithm_ != "brute":  # decided only past the cases above
            return None
        self._check_candidates(k + (X is None), X is None)
        query, exp = None, self._scale_exp
        if X is not None:
            query = self._check_query(X)
            groups = self._scale_groups(query)
            if len(groups) != 1:
                return None
            exp = groups[0][1]
            query = _scaled(query, exp)
        ind, sq, unsettled = sq_kneighbors(
            self._fit_at(exp), query, k, n_threads=resolve_n_jobs(self.n_jobs),
            tile=self.block_size, settle=False,
        )  # fmt: skip
        return _unscaled(np.sqrt(np.maximum(sq, 0.0)), exp), ind, unsettled

    def _search(self, query, exp, k):
        """Distances (in the caller's units) and indices of the ``k`` nearest
        fitted points of ``query``, scaled by ``2**-exp`` (None: the fitted
        points themselves, each excluded from its own neighbours)."""
        exclude_self = query is None
        n_queries = self.n_samples_fit_ if exclude_self else query.shape[0]
        own_scale = exp == self._scale_exp
        # a dense fit (sparse ones never take every pair), so a dense query
        if self._few_pairs(n_queries, own_scale, exclude_self):
            if own_scale and self._few_rows(n_queries):
                # counted for the tree's turn (a race only delays it)
                self._few_calls = self.__dict__.get("_few_calls", 0) + 1
            fit = self._fit_at(exp)
            n_threads = resolve_n_jobs(self.n_jobs)
            dist, ind = every_pair_kneighbors(fit, query, k, n_threads=n_threads)
            return _unscaled(dist, exp), ind
        if own_scale and self._uses_tree(n_queries, exclude_self):
            threads = self._tree_threads(n_queries)
            with _openmp_controller().limit(
                limits=openmp_threads(threads), user_api="openmp"
            ):
                dist, ind = kdtree_kneighbors(self._tree, query, k, n_threads=threads)
            return _unscaled(dist, exp), ind
        fit = self._fit_at(exp)
        n_threads = resolve_n_jobs(self.n_jobs)
        if sparse.issparse(fit) and not dense_pays(fit, query):
            ind, sq = sparse_sq_kneighbors(
                fit, query, k + exclude_self, n_threads=n_threads,
                block_rows=self.block_size,
            )  # fmt: skip
            dist = np.sqrt(sq)
            if exclude_self:
                ind, dist = neighbors_excluding_self(ind, dist)
            return _unscaled(dist, exp), ind
        if sparse.issparse(fit):  # dense data stored sparse: dense copies
            fit = fit.toarray()
            query = None if query is None else query.toarray()
        dist, ind = brute_kneighbors(
            fit, query, k, n_threads=n_threads, tile=self.block_size
        )  # the tiled search excludes each point itself
        return _unscaled(dist, exp), ind


#: Most features pykdtree's tree handles.
KD_TREE_LIMIT_FEATURES = 127
#: float64 points of magnitude below 2**-SCALE_LIMIT_EXP, or large enough
#: for their squared distances to overflow, are searched scaled by a power
#: of two (see ``scale_exponent_for``).
SCALE_LIMIT_EXP = 400


def feature_names_of(X):
    """The column names of a DataFrame whose names are all strings, as an
    object array (scikit-learn's ``feature_names_in_``), else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not all(isinstance(c, str) for c in columns):
        return None
    return np.asarray(list(columns), dtype=object)


def remember_features(estimator, n_features, names):
    """Set ``n_features_in_`` and, for named columns, ``feature_names_in_``
    (dropping that of an earlier fit)."""
    estimator.n_features_in_ = int(n_features)
    if names is None:
        estimator.__dict__.pop("feature_names_in_", None)
    else:
        estimator.feature_names_in_ = names


def check_feature_names(estimator, X):
    """Refuse query columns named otherwise, or in another order, than the
    fitted ones (their values would be compared column by column).

    Examples
    --------
    >>> import pandas as pd
    >>> fitted = pd.DataFrame({"a": [0.0], "b": [1.0]})
    >>> nn = ExactNeighbors(n_neighbors=1).fit(fitted)
    >>> check_feature_names(nn, fitted[["b", "a"]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The feature names should match those that were passed during fit...
    """
    fitted = getattr(estimator, "feature_names_in_", None)
    names = feature_names_of(X)
    if fitted is None or names is None or list(names) == list(fitted):
        return
    raise ValueError(
        "The feature names should match those that were passed during fit, in "
        f"the same order: {type(estimator).__name__} was fitted on "
        f"{list(fitted)[:10]}, the query has {list(names)[:10]}. Select the "
        "query's columns in the fitted order, e.g. X[nn.feature_names_in_]."
    )


def kneighbors_graph(estimator, X, n_neighbors, mode):
    """The sparse graph of ``estimator.kneighbors`` (scikit-learn's
    ``kneighbors_graph``): row i holds its neighbours' columns, valued 1
    (``mode='connectivity'``) or by distance (``'distance'``)."""
    if mode not in ("connectivity", "distance"):
        raise ValueError(
            "The 'mode' parameter of kneighbors_graph must be 'connectivity' "
            f"or 'distance'; got {mode!r}."
        )
    dist, ind = estimator.kneighbors(X, n_neighbors)
    n_queries, k = ind.shape
    values = np.ones(ind.size) if mode == "connectivity" else dist.ravel()
    indptr = np.arange(0, n_queries * k + 1, k)
    return sparse.csr_matrix(
        (values, ind.ravel(), indptr), shape=(n_queries, estimator.n_samples_fit_)
    )


def _holds_missing(X):
    """Whether an object array holds pandas' missing values (pd.NA, None)."""
    import pandas as pd

    return bool(np.asarray(pd.isna(X)).any())


def _missing_as_nan(X, owner, role, exc):
    """An object array with its missing values as NaN, in float64 (the
    finiteness check then names them); the numeric error if other values
    are not numbers either."""
    import pandas as pd

    try:
        return np.where(pd.isna(X), np.nan, X).astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"{owner} needs numeric values in {role}; got dtype {X.dtype} "
            f"({exc}). Encode non-numeric columns first."
        ) from None


def check_search_input(X, owner, *, n_features=None):
    """``X`` validated for a neighbour search: a non-empty 2-D real array
    (or sparse matrix) of finite values, in float32 or float64.

    Parameters
    ----------
    X : {array-like, sparse matrix}
        Points to index (``n_features`` None) or query rows.
    owner : str
        The estimator named in the error messages.
    n_features : int, default=None
        Features of the fitted points: queries must have as many.

    Returns
    -------
    X : ndarray or CSR matrix, float32 or float64

    Examples
    --------
    >>> check_search_input([[1, 2], [3, 4]], "ExactNeighbors").dtype.name
    'float64'
    >>> check_search_input([[1.0, None]], "ExactNeighbors")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: ExactNeighbors needs finite values in X; got 1 NaN value(s) ...
    """
    role = "X" if n_features is None else "the query X"
    if sparse.issparse(X) and X.format not in ("csr", "csc", "coo", "bsr"):
        X = X.tocsr()  # lil, dok, dia: the searches read compressed rows
    if not sparse.issparse(X):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(
                f"{owner} expects {role} as a 2-D array of shape (n_samples, "
                f"n_features); got {X.ndim}-D data of shape {X.shape}. Reshape "
                "one feature with X.reshape(-1, 1), one sample with "
                "X.reshape(1, -1)."
            )
    if X.dtype.kind == "c":
        raise ValueError(
            f"{owner} needs real values in {role}; got complex dtype {X.dtype}. "
            "Split complex columns into real and imaginary parts first."
        )
    if X.dtype.kind not in "fiub":
        try:
            X = X.astype(np.float64)
        except (TypeError, ValueError, OverflowError) as exc:
            missing = X.dtype.kind == "O" and _holds_missing(X)
            if not missing:
                raise ValueError(
                    f"{owner} needs numeric values in {role}; got dtype {X.dtype} "
                    f"({exc}). Encode non-numeric columns first."
                ) from None
            # pd.NA and None: missing values, refused as NaN below
            X = _missing_as_nan(X, owner, role, exc)
    # repeated entries summed once, in X's own dtype (as X.toarray() sums
    # them), so that the dense and the sparse routes search the same values
    X = _as_search_array(canonical_values(X))
    n_rows, n_cols = X.shape
    if n_features is None and n_rows == 0:
        raise ValueError(f"{owner} needs at least one sample to fit; got X of shape "
                         f"{X.shape}.")  # fmt: skip
    if n_features is None and n_cols == 0:
        raise ValueError(f"{owner} needs at least one feature; got X of shape "
                         f"{X.shape}.")  # fmt: skip
    if n_features is not None and n_cols != n_features:
        raise ValueError(
            f"The query X has {n_cols} features, but {owner} was fitted on "
            f"{n_features}: query with the fitted columns."
        )
    if not _all_finite(X.data if sparse.issparse(X) else X):
        raise ValueError(
            f"{owner} needs finite values in {role}; got {non_finite_summary(X)}. "
            "Impute or drop them first."
        )
    return X


def _scale_exponent(X):
    """``e`` such that ``X * 2**-e`` has magnitudes below 1, when squared
    float64 distances of ``X`` could overflow or underflow; else 0 (see
    :func:`scale_exponent_for`).

    Scaling by a power of two is exact, and one power serves the whole
    matrix: the neighbours are those of the float64 distances wherever the
    squared differences stay normal once scaled. Data spread over both ends
    of the float64 range still has squared differences below the smallest
    float64, which count as ties: 1 next to 1e-170 with values large enough
    to need scaling, or differences of 1 beside a column near 1e200 (a
    constant one included), whose scale takes them to 1e-200.

    Examples
    --------
    >>> import numpy as np
    >>> _scale_exponent(np.array([[1e300, -3.0]])), _scale_exponent(np.ones((2, 2)))
    (997, 0)
    """
    values = X.data if sparse.issparse(X) else X
    if values.dtype != np.float64:
        return 0  # float32 values square to normal float64 numbers
    return scale_exponent_for(top_exponent(values), X.shape[1])


def scale_exponent_for(top, n_features):
    """The power of two float64 data of :func:`top_exponent` ``top`` is
    searched at: ``top`` itself when its squared distances (with the norm
    expansion's sums of ``n_features`` squares) could overflow, or when it
    is below ``2**-SCALE_LIMIT_EXP`` (scaled up: nothing is lost); else 0.
    Data is scaled down only when it must be, since that can take the
    squares of its small differences below float64's range.

    Examples
    --------
    >>> scale_exponent_for(401, 50), scale_exponent_for(700, 50)
    (0, 700)
    >>> scale_exponent_for(-401, 3), scale_exponent_for(None, 3)
    (-401, 0)
    """
    if top is None:
        return 0
    return top if top > _overflow_exponent(n_features) or top < -SCALE_LIMIT_EXP else 0


def _overflow_exponent(n_features):
    """Largest top exponent ``e`` whose squared distances stay finite:
    ``4 * n_features * 2**(2 * e)`` (two sums of squares and twice a
    product) below ``2**1018``."""
    return (1016 - int(n_features).bit_length()) // 2


def magnitude_exponent(values):
    """``e`` with every ``|value| < 2**e`` and the largest at least
    ``2**(e - 1)`` (0 for no value or only zeros), found without a copy.

    Examples
    --------
    >>> import numpy as np
    >>> magnitude_exponent(np.array([[3.0, -0.5]])), magnitude_exponent(np.zeros(2))
    (2, 0)
    """
    return top_exponent(values) or 0


def top_exponent(values):
    """``e`` with every ``|value| < 2**e`` and the largest at least
    ``2**(e - 1)``; None when there is no nonzero value.

    Examples
    --------
    >>> import numpy as np
    >>> top_exponent(np.array([[3.0, -0.5]])), top_exponent(np.zeros(2))
    (2, None)
    """
    if values.size == 0:
        return None
    top = max(-float(values.min()), float(values.max()))
    return int(np.frexp(top)[1]) if top else None


def check_query_k(n_neighbors, default, owner):
    """The neighbour count of a query: ``default`` when None, else a
    positive integer (a clear error otherwise)."""
    if n_neighbors is None:
        return default
    bad = isinstance(n_neighbors, bool) or not isinstance(n_neighbors, Integral)
    if bad or n_neighbors < 1:
        raise ValueError(
            f"{owner}: n_neighbors must be a positive integer; got {n_neighbors!r}."
        )
    return int(n_neighbors)


def _scaled(X, exp):
    """``X * 2**-exp`` in float64 (``X`` itself when ``exp`` is 0): exact
    wherever the result is a normal number, whatever ``X``'s dtype."""
    if not exp:
        return X
    values = X.data if sparse.issparse(X) else X
    scaled = np.ldexp(np.asarray(values, dtype=np.float64), -exp)
    if not sparse.issparse(X):
        return scaled
    out = X.copy()
    out.data = scaled
    return out


def _unscaled(dist, exp):
    """Distances in the caller's units (the search may run scaled); those
    beyond the float64 range are infinite."""
    if not exp:
        return dist
    with np.errstate(over="ignore"):
        return np.ldexp(dist, exp)


def _as_search_array(X):
    if sparse.issparse(X):
        X = X.tocsr()
        return X if X.dtype in (np.float32, np.float64) else X.astype(np.float64)
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return X


def neighbors_excluding_self(ind, dist=None, own=None):
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
    own : ndarray of shape (n,), default=None
        Index of each query among the fitted samples, when the queries are a
        subset of them (row ``i`` drops ``own[i]``); ``None`` means
        ``arange(n)``.

    Returns
    -------
    ind : ndarray of shape (n, m - 1)
    dist : ndarray of shape (n, m - 1) or None

    Examples
    --------
    >>> import numpy as np
    >>> neighbors_excluding_self(np.array([[0, 1], [0, 1], [0, 2]]))[0].tolist()
    [[1], [0], [0]]
    >>> neighbors_excluding_self(np.array([[4, 2], [2, 4]]), own=[4, 7])[0].tolist()
    [[2], [2]]
    """
    ind = np.asarray(ind)
    own = np.arange(len(ind)) if own is None else np.asarray(own)
    values = ind if dist is None else np.asarray(dist)
    ind, values = drop_own(ind, values, own)
    return ind, None if dist is None else values


def _own_estimator(nn_estimator):
    """Whether ``nn_estimator`` is one of smotekit's, whose answers need no
    checking."""
    from ._approximate import ApproximateNeighbors

    return isinstance(nn_estimator, (ExactNeighbors, ApproximateNeighbors))


def checked_neighbor_table(ind, n_queries, n_fit, n_columns, sampler_name,
                           param_name, own=None):  # fmt: skip
    """The indices a user's ``kneighbors`` returned, checked before they
    index anything: integers (integral floats are taken), shape
    ``(n_queries, n_columns)``, each a row of the ``n_fit`` fitted samples,
    and none equal to the query's own row ``own[i]`` (when given, for tables
    that already exclude it).

    Raises a ValueError or TypeError naming ``param_name`` and ``sampler_name``
    otherwise: the compiled steps that use the table do not check bounds.

    Examples
    --------
    >>> checked_neighbor_table([[1], [0]], 2, 2, 1, "SMOTE", "k_neighbors").tolist()
    [[1], [0]]
    >>> checked_neighbor_table([[1], [5]], 2, 2, 1, "SMOTE", "k_neighbors")
    Traceback (most recent call last):
    ...
    ValueError: The 'k_neighbors' estimator of SMOTE returned the neighbour index 5, ...
    """
    what, fix = _what_and_fix(sampler_name, param_name)
    try:
        table = np.asarray(ind)
    except (TypeError, ValueError):
        raise TypeError(f"{what} returned neighbour indices that are not an "
                        f"array ({type(ind).__name__}); {fix}") from None  # fmt: skip
    if table.dtype.kind == "f" and np.isfinite(table).all():
        if (table == np.round(table)).all():
            table = table.astype(np.int64)
    if table.dtype.kind not in "iu":
        raise TypeError(
            f"{what} returned neighbour indices of dtype {table.dtype} (not "
            f"integers); {fix}"
        )
    if table.shape != (n_queries, n_columns):
        raise ValueError(
            f"{what} returned neighbour indices of shape {table.shape} for "
            f"{n_queries} queries; expected ({n_queries}, {n_columns}). {fix}"
        )
    if table.size:
        low, high = table.min(), table.max()
        if low < 0 or high >= n_fit:
            bad = low if low < 0 else high
            raise ValueError(
                f"{what} returned the neighbour index {bad}, outside the {n_fit} "
                f"samples it was fitted on (0 to {n_fit - 1}). {fix}"
            )
    if table.shape[1] > 1:
        ordered = np.sort(table, axis=1)
        repeated = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
        if len(repeated):
            raise ValueError(
                f"{what} returned the neighbours {table[repeated[0]].tolist()} for "
                f"query {int(repeated[0])}: an index repeated in one row. {fix}"
            )
    if own is not None:
        _refuse_own(table, own, sampler_name, param_name)
    return table


def _what_and_fix(sampler_name, param_name):
    return f"The '{param_name}' estimator of {sampler_name}", (
        "kneighbors(X, return_distance=False) must return an integer array of "
        "the fitted samples' row indices, one row per query and n_neighbors "
        "columns, as scikit-learn's NearestNeighbors does."
    )


def _refuse_own(table, own, sampler_name, param_name):
    """Raise if row ``i`` of a self-free ``table`` still lists ``own[i]``."""
    own = np.asarray(own)
    hits = np.flatnonzero((table == own[:, None]).any(axis=1)) if table.size else []
    if len(hits):
        what, fix = _what_and_fix(sampler_name, param_name)
        raise ValueError(
            f"{what} listed the sample {int(own[hits[0]])} among its own "
            "neighbours (kneighbors() without X must leave each sample out of "
            f"its own list). {fix}"
        )


def checked_self_excluded(ind, own, n_fit, n_asked, sampler_name, param_name,
                          dist=None):  # fmt: skip
    """A user's self-query answer (``n_asked`` columns, each query ``own[i]``
    among the fitted rows) checked by :func:`checked_neighbor_table`, then
    without each query's own index (:func:`neighbors_excluding_self`):
    ``(ind, dist)``, ``n_asked - 1`` columns, none the query itself."""
    ind = checked_neighbor_table(ind, len(own), n_fit, n_asked, sampler_name,
                                 param_name)  # fmt: skip
    ind, dist = neighbors_excluding_self(ind, dist, own=own)
    _refuse_own(ind, own, sampler_name, param_name)
    return ind, dist


def neighbors_of_rows(nn_estimator, X, rows, sampler_name=None, param_name=None):
    """Neighbours of the rows ``X[rows]`` among all of ``X``, each row excluded.

    ``nn_estimator`` must already be fitted on ``X``. Each queried row is
    removed from its own neighbours (see :func:`neighbors_excluding_self`,
    which also handles duplicated points), so the table has one column fewer
    than the estimator's ``n_neighbors``. Used to look at a class's samples
    among all the samples (Borderline-SMOTE's danger test, ADASYN's weights).

    Parameters
    ----------
    nn_estimator : fitted estimator with ``kneighbors``
        Fitted on ``X``; its ``n_neighbors`` counts the row itself.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The fitted samples.
    rows : ndarray of shape (n_queries,)
        Row indices (into ``X``) to query.
    sampler_name, param_name : str, default=None
        Named by the error raised when a user's estimator returns a table
        that is not one of neighbour indices (see
        :func:`checked_neighbor_table`).

    Returns
    -------
    table : ndarray of shape (n_queries, n_neighbors - 1)
        Row indices into ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> nn = ExactNeighbors(n_neighbors=2).fit(X)
    >>> neighbors_of_rows(nn, X, np.array([2, 3])).tolist()
    [[1], [2]]
    """
    rows = np.asarray(rows)
    ind = nn_estimator.kneighbors(X[rows], return_distance=False)
    if _own_estimator(nn_estimator):
        return neighbors_excluding_self(np.asarray(ind), own=rows)[0]
    return checked_self_excluded(
        ind, rows, X.shape[0], n_neighbors_of(nn_estimator),
        sampler_name or "the sampler", param_name or "n_neighbors",
    )[0]  # fmt: skip


def check_class_size(n_class, k, sampler_name, param_name, cls):
    """Raise the clear too-few-samples error of a class to over-sample with
    ``k`` neighbours (the sample itself not counted).

    Examples
    --------
    >>> check_class_size(1, 5, "SMOTE", "k_neighbors", 2)
    Traceback (most recent call last):
    ...
    smotekit.exceptions.ClassTooSmallError: The 'k_neighbors' parameter of SMOTE ...
    """
    if n_class >= k + 1:
        return
    if n_class < 2:
        fix = (
            "A class of one sample has no neighbour to interpolate towards: use "
            "RandomOverSampler for it, or leave it out of sampling_strategy."
        )
    else:
        fix = (
            f"{fewer_neighbors_hint(param_name, n_class)}, or use RandomOverSampler "
            "for this class."
        )
    raise ClassTooSmallError(
        f"The '{param_name}' parameter of {sampler_name} asks for {k} "
        f"neighbours, so every class to over-sample needs at least {k + 1} "
        f"samples (the sample and its {k} neighbours); class {cls!r} has "
        f"{n_class}. {fix}",
        n_class=n_class,
        k=k,
        cls=cls,
    )


def fewer_neighbors_hint(param_name, n_samples):
    """How to ask for the neighbours ``n_samples`` samples (2 or more) have."""
    return (
        f"Lower {param_name} to at most {n_samples - 1} (an estimator's "
        f"n_neighbors to at most {n_samples}: it counts the sample itself)"
    )


def fit_on_all_samples(nn_estimator, X, sampler_name, param_name):
    """Fit ``nn_estimator`` on all of ``X``, after checking ``X`` is large enough.

    Parameters
    ----------
    nn_estimator : estimator with ``fit`` and ``kneighbors``
        Unfitted; its ``n_neighbors`` counts the queried row itself.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        All the samples.
    sampler_name, param_name : str
        For the error message.

    Returns
    -------
    nn_estimator : the fitted estimator

    Examples
    --------
    >>> import numpy as np
    >>> fit_on_all_samples(ExactNeighbors(4), np.zeros((3, 1)), "BorderlineSMOTE",
    ...                    "m_neighbors")
    Traceback (most recent call last):
    ...
    smotekit.exceptions.TooFewSamplesError: The 'm_neighbors' parameter of ...
    """
    n_asked = n_neighbors_of(nn_estimator)
    n_samples = X.shape[0]
    if n_samples < n_asked:
        k = n_asked - 1
        fix = (
            f"{fewer_neighbors_hint(param_name, n_samples)}."
            if n_samples >= 2
            else "Pass at least two samples."
        )
        raise TooFewSamplesError(
            f"The '{param_name}' parameter of {sampler_name} asks for {k} "
            f"neighbours among all samples, so X needs at least {k + 1} samples "
            f"(a sample and its {k} neighbours); it has {n_samples}. {fix}",
            n_samples=n_samples,
            k=k,
            param_name=param_name,
        )
    nn_estimator.fit(X)
    return nn_estimator


def check_neighbors_object(
    param_name, value, n_jobs=None, additional=1, sampler_name=None
):
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
    sampler_name : str, default=None
        The sampler whose parameter it is, for error messages.

    Returns
    -------
    estimator : estimator
        A fresh, unfitted estimator.

    Examples
    --------
    >>> check_neighbors_object("k_neighbors", 5).n_neighbors
    6
    >>> check_neighbors_object("k_neighbors", ExactNeighbors(n_neighbors=1))
    Traceback (most recent call last):
    ...
    ValueError: The 'k_neighbors' parameter is ExactNeighbors(n_neighbors=1); ...
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        return ExactNeighbors(n_neighbors=int(value) + additional, n_jobs=n_jobs)
    of = f" of {sampler_name}" if sampler_name else ""
    if not hasattr(value, "kneighbors"):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise TypeError(
            f"The '{param_name}' parameter{of} must be an int (the number of "
            "neighbours) or an estimator with a 'kneighbors' method such as "
            f"sklearn's NearestNeighbors; got {shown} of type "
            f"{type(value).__name__}."
        )
    if not _fits_on_X_alone(value):
        raise TypeError(
            f"The '{param_name}' parameter{of} must be a neighbours estimator "
            "fitted on the samples alone, fit(X), such as sklearn's "
            f"NearestNeighbors; {type(value).__name__} has "
            + (
                "a fit that needs more arguments (a classifier or regressor needs y)."
                if hasattr(value, "fit")
                else "no fit method."
            )
            + f" Use NearestNeighbors(n_neighbors=k + 1), or pass {param_name} "
            "as an int k."
        )
    n = getattr(value, "n_neighbors", None)
    if n is None:
        raise TypeError(
            f"The '{param_name}' parameter{of} is a {type(value).__name__}, which "
            "has no 'n_neighbors' attribute: the number of neighbours it returns "
            "(the sample itself included) is read from it before the search. "
            "Give it an n_neighbors attribute (k + 1 for k neighbours), or pass "
            f"{param_name} as an int k."
        )
    if isinstance(n, Integral) and not isinstance(n, bool) and n < 2:
        raise ValueError(
            f"The '{param_name}' parameter{of} is {type(value).__name__}(n_neighbors="
            f"{n}); an estimator's n_neighbors counts the sample itself, so it "
            "must be at least 2 (the sample and one neighbour). Give it "
            f"n_neighbors=k + 1 for k neighbours, or pass {param_name} as an int k."
        )
    return clone(value)


def too_few_candidates_error(owner, k, n_candidates, takes_queries=True):
    """The error for ``k`` neighbours asked of ``n_candidates`` samples
    (``takes_queries``: whether ``owner`` can be given query rows X).

    Examples
    --------
    >>> str(too_few_candidates_error("ExactNeighbors", 3, 2)).split(". ")[-1]
    'Lower n_neighbors to at most 2.'
    """
    if n_candidates < 1:  # one fitted sample, excluded from its own
        fix = "A sample is never its own neighbour: fit on at least 2 samples"
        fix += ", or pass the query rows X." if takes_queries else "."
    else:
        fix = f"Lower n_neighbors to at most {n_candidates}."
    return ValueError(
        f"{owner} cannot return {k} neighbour{'s' if k != 1 else ''}: only "
        f"{n_candidates} candidate sample{'s are' if n_candidates != 1 else ' is'} "
        f"available. {fix}"
    )


def _fits_on_X_alone(estimator):
    """Whether ``estimator.fit`` can be called with the samples alone (True
    when its signature cannot be read)."""
    fit = getattr(estimator, "fit", None)
    if not callable(fit):
        return False
    try:
        signature = inspect.signature(fit)
    except (TypeError, ValueError):  # a builtin or an extension's method
        return True
    try:
        signature.bind(None)
    except TypeError:
        return False
    return True


def n_neighbors_of(estimator):
    """Number of neighbours an estimator returns (``n_neighbors`` attribute)."""
    n = getattr(estimator, "n_neighbors", None)
    if n is None:
        raise TypeError(
            f"The neighbours estimator {type(estimator).__name__} must expose an "
            "'n_neighbors' attribute so the number of neighbours is known."
        )
    return int(n)
