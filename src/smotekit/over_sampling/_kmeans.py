"""K-Means SMOTE: SMOTE inside the k-means clusters where a class is frequent."""

import math
from numbers import Integral, Real

import numpy as np
from numba import njit
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._draws import draw_pairs
from .._neighbors import (
    _fits_on_X_alone,
    _scaled,
    check_neighbors_object,
    fewer_neighbors_hint,
    n_neighbors_of,
    top_exponent,
)
from .._provenance import draw_into
from .._random import stream_key, uniform_words
from .._sparse_search import canonical_csr, with_int32_indices
from .._threads import map_threads
from ..base import BaseOverSampler
from ..exceptions import NoClusterError
from ._smote import class_neighbor_table

__all__ = [
    "KMeansSMOTE",
    "NoClusterError",
    "allocate_by_weight",
    "auto_density_exponent",
    "cluster_log_sparsity",
    "mean_pairwise_distance",
]

#: Stream purpose tags: (seed, neighbour, gap) draws (SMOTE's tag, so that
#: one cluster gives SMOTE's rows) and the seed of the k-means estimator.
PAIRS, ESTIMATOR_SEED = 0, 1
#: Target size in bytes of one block of dot products (sparse or wide data).
DISTANCE_BLOCK_BYTES = 32 * 2**20
#: Up to this many features, distances are computed pair by pair directly.
DIRECT_MAX_FEATURES = 32
#: Row chunks of the direct computation (fixed: the sum does not depend on
#: the number of cores).
DIRECT_CHUNKS = 64
#: Data whose largest magnitude is past ``2**±WEIGHT_EXPONENT_LIMIT`` is
#: scaled by a power of two before the cluster weights (squares stay finite).
WEIGHT_EXPONENT_LIMIT = 256


def mean_pairwise_distance(X, block_bytes=None):
    """Mean Euclidean distance over all pairs of distinct rows of ``X``.

    Every pair is computed once and no ``n x n`` matrix is built. Dense
    data with few features goes through a compiled loop over the pairs
    (differences, no cancellation), split into a fixed number of row chunks
    run on all cores and summed in chunk order, so the result does not
    depend on the number of cores. Sparse data, or dense data with many
    features, goes through blocks of dot products (memory bounded by
    ``block_bytes``). Rows that are all identical give exactly 0.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n, n_features)
        The rows; fewer than two rows give 0.
    block_bytes : int, default=None
        Size of one block of dot products (``None``:
        ``DISTANCE_BLOCK_BYTES``). The result does not depend on it beyond
        rounding.

    Returns
    -------
    mean : float

    Examples
    --------
    >>> import numpy as np
    >>> mean_pairwise_distance(np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]]))
    3.3333333333333335
    >>> mean_pairwise_distance(np.ones((4, 3)))
    0.0
    """
    n = X.shape[0]
    if n < 2 or _all_rows_equal(X):
        return 0.0
    n_pairs = n * (n - 1) / 2
    if not sparse.issparse(X) and X.shape[1] <= DIRECT_MAX_FEATURES:
        return _direct_distance_sum(np.asarray(X, dtype=np.float64)) / n_pairs
    if sparse.issparse(X):
        X = sparse.csr_matrix(X, dtype=np.float64)
        sq = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        X = np.asarray(X, dtype=np.float64)
        X = X - X.mean(axis=0)
        sq = np.einsum("ij,ij->i", X, X)
    block_bytes = block_bytes or DISTANCE_BLOCK_BYTES
    block = max(1, block_bytes // (8 * n))
    total = 0.0
    for start in range(0, n, block):
        stop = min(start + block, n)
        # dot products of the block's rows with themselves and every later row
        gram = X[start:stop] @ X[start:].T
        if sparse.issparse(gram):
            gram = gram.toarray()
        gram = np.ascontiguousarray(gram, dtype=np.float64)
        total += _upper_distance_sum(gram, sq[start:stop], sq[start:])
    return total / n_pairs


def _direct_distance_sum(X):
    """Sum of the distances over all pairs, by row chunks on all cores."""
    X = np.ascontiguousarray(X)
    n = X.shape[0]
    # row i has n - 1 - i pairs: chunk bounds that balance the pairs
    cuts = n - np.sqrt(np.linspace(1.0, 0.0, DIRECT_CHUNKS + 1)) * n
    bounds = np.unique(np.clip(np.rint(cuts).astype(np.int64), 0, n))
    chunks = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    sums = map_threads(lambda ab: _pair_distance_sum(X, *ab), chunks)
    return float(math.fsum(sums))


@njit(nogil=True, cache=True)
def _pair_distance_sum(X, start, stop):
    """Sum of ``||X[i] - X[j]||`` over ``start <= i < stop`` and ``j > i``."""
    n, d = X.shape
    total = 0.0
    for i in range(start, stop):
        row = 0.0
        for j in range(i + 1, n):
            sq = 0.0
            for k in range(d):
                t = X[i, k] - X[j, k]
                sq += t * t
            row += np.sqrt(sq)
        total += row
    return total


@njit(nogil=True, cache=True)
def _upper_distance_sum(gram, sq_rows, sq_cols):
    """Sum of the distances ``sqrt(sq_i + sq_j - 2 gram_ij)`` over ``j > i``.

    Row ``i`` of ``gram`` is the ``i``-th point of a block and column ``j``
    the ``j``-th point from the block's start, so ``j > i`` is each pair of
    distinct points once. Negative squared distances (rounding) count as 0.
    """
    b, m = gram.shape
    total = 0.0
    for i in range(b):
        row = 0.0
        for j in range(i + 1, m):
            d2 = sq_rows[i] + sq_cols[j] - 2.0 * gram[i, j]
            if d2 > 0.0:
                row += np.sqrt(d2)
        total += row
    return total


def _all_rows_equal(X):
    if sparse.issparse(X):
        X = sparse.csr_matrix(X, copy=True)
        X.sum_duplicates()
        X.eliminate_zeros()
        X.sort_indices()
        nnz = np.diff(X.indptr)
        if (nnz != nnz[0]).any():
            return False
        if nnz[0] == 0:
            return True
        shape = (X.shape[0], nnz[0])
        indices, data = X.indices.reshape(shape), X.data.reshape(shape)
        return bool((indices == indices[0]).all() and (data == data[0]).all())
    X = np.asarray(X)
    return bool((X == X[0]).all())


def auto_density_exponent(n_features):
    """The ``density_exponent='auto'`` value: ``log_1.6(n_features)**1.8 * 0.16``.

    Examples
    --------
    >>> round(auto_density_exponent(10), 3), auto_density_exponent(1)
    (2.795, 0.0)
    """
    return math.log(n_features, 1.6) ** 1.8 * 0.16 if n_features > 1 else 0.0


def cluster_log_sparsity(mean_distance, n_class, exponent):
    """Natural log of a cluster's sparsity ``mean_distance**exponent / n_class``.

    A cluster whose samples of the class are all identical (mean distance
    0) has no room to grow into: its sparsity is 0 (log ``-inf``) whatever
    the exponent.

    Examples
    --------
    >>> import math
    >>> math.exp(cluster_log_sparsity(2.0, 4, 2.0))
    1.0
    >>> cluster_log_sparsity(0.0, 4, 0.0)
    -inf
    """
    if mean_distance <= 0:
        return -math.inf
    return exponent * math.log(mean_distance) - math.log(n_class)


def allocate_by_weight(weights, total):
    """Split ``total`` into integer parts proportional to ``weights``, exactly.

    Each part gets the floor of its quota ``total * w_i / sum(w)``; the units
    left over go, one each, to the largest remainders (ties to the lower
    index), so the parts always sum to ``total`` (a ceiling per part would
    overshoot it).

    Parameters
    ----------
    weights : array-like of shape (n,), non-negative float
        Weights, not all zero.
    total : int
        Number to split.

    Returns
    -------
    parts : ndarray of shape (n,), int64

    Examples
    --------
    >>> allocate_by_weight([0.5, 0.25, 0.25], 901).tolist()
    [451, 225, 225]
    >>> allocate_by_weight([1.0, 1.0, 1.0], 10).tolist()
    [4, 3, 3]
    """
    weights = np.asarray(weights, dtype=np.float64)
    quotas = weights / weights.sum() * int(total)
    parts = np.floor(quotas).astype(np.int64)
    left = int(total) - int(parts.sum())
    order = np.argsort(-(quotas - parts), kind="stable")
    parts[order[:left]] += 1
    return parts


class KMeansSMOTE(BaseOverSampler):
    """K-Means SMOTE: SMOTE inside the clusters where the class is frequent.

    The samples are clustered by k-means (all classes together, once per
    call). For each class to over-sample, a cluster is kept when the class
    makes up at least ``cluster_balance_threshold`` of its samples and holds
    at least ``k_neighbors + 1`` samples of the class (SMOTE needs a sample
    and its neighbours). The samples to generate are shared among the kept
    clusters in proportion to their *sparsity*, ``mean_distance **
    density_exponent / n``, where ``n`` is the number of samples of the class
    in the cluster and ``mean_distance`` their mean pairwise Euclidean
    distance, so sparse clusters get more. Inside each cluster, SMOTE
    interpolates between a sample of the class and one of its
    ``k_neighbors`` nearest neighbours of the class in the same cluster.

    Differences from imbalanced-learn, all documented choices:

    * **'auto' threshold.** imbalanced-learn's 'auto' is ``n_new / n_total /
      2``, which is 0.5 for any binary problem: a cluster must hold more of
      the minority than of the majority, and ordinary data (5% minority, 10
      features) has no such cluster, so it raises an error. Here 'auto' keeps
      the clusters where the class is at least as frequent as in the whole
      data set: the paper's filter (the cluster's imbalance ratio below a
      threshold) with the threshold set to the data set's imbalance ratio.
      Some cluster always passes that share test.
    * **'auto' density exponent.** imbalanced-learn documents it as based on
      the number of features but computes it from the number of samples in
      the cluster; here it is ``log_1.6(n_features)**1.8 * 0.16``, the same
      exponent for every cluster, as documented.
    * **Exact counts.** The total is shared among clusters with the
      largest-remainder rule, so the class gets exactly the requested number
      of samples (imbalanced-learn's per-cluster ceiling gives, say, 901 for
      900).
    * **Identical samples.** A cluster whose samples of the class are all
      identical has sparsity 0 (imbalanced-learn divides 0 by 0 and fails,
      its issue #1186); when every kept cluster is like that, they share the
      samples in proportion to their number of samples of the class.
    * **No cluster kept.** A ``RuntimeError`` names the class, the threshold,
      the clusters' counts, and what to change.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE` (a float ratio,
        a class-selection string, a dict of final counts or a callable).
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
        The k-means estimator, when its own ``random_state`` is None, gets a
        seed derived from it.
    k_neighbors : int or estimator with ``kneighbors``, default=2
        Number of nearest neighbours to interpolate towards, or a neighbours
        estimator (cloned; its ``n_neighbors`` counts the sample itself, as in
        imbalanced-learn).
    n_jobs : int, default=None
        Threads for the neighbour search (``-1`` for all cores). Does not
        change the result.
    kmeans_estimator : int or estimator with ``fit`` and ``predict``, default=None
        The clustering: ``None`` is ``sklearn.cluster.MiniBatchKMeans()``
        (8 clusters), an int the number of clusters of a
        ``MiniBatchKMeans``, an estimator is cloned.
    cluster_balance_threshold : 'auto' or float, default='auto'
        Smallest share of the class among a cluster's samples for the cluster
        to be over-sampled. 'auto' is the class's share of the whole data set
        (see above). Ignored when ``kmeans_estimator`` asks for a single
        cluster (``n_clusters=1``), as in imbalanced-learn; a clustering
        asked for more that finds fewer (identical rows) keeps it.
    density_exponent : 'auto' or float, default='auto'
        Exponent of the mean distance in the sparsity (see above).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    kmeans_estimator_ : estimator
        The fitted clustering. Data whose largest magnitude is past
        ``2**256`` (or below ``2**-256``) is clustered scaled by a power of
        two that brings it near 1, where k-means's squared distances stay in
        float64's range: its ``cluster_centers_`` are then in those units.
    nn_k_ : estimator
        The neighbours estimator, fitted on the last cluster over-sampled.
    cluster_balance_threshold_ : float or dict
        The threshold used: the given float, ``-inf`` when a single cluster is
        asked for,
        or for 'auto' a dict mapping each over-sampled class to its share of
        the data set.
    provenance_ : Provenance
        For synthetic row ``j`` (output row ``n_samples + j``): the input rows
        ``parent[j]`` and ``neighbor[j]`` (same class, same cluster) and the
        ``gap[j]`` it was built from.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    Raises
    ------
    RuntimeError
        When no cluster can be over-sampled for a class.

    See Also
    --------
    SMOTE : the same interpolation, over the whole class.

    References
    ----------
    .. [1] G. Douzas, F. Bacao, F. Last, "Improving imbalanced learning
       through a heuristic oversampling method based on k-means and SMOTE",
       Information Sciences 465, pp. 1-20, 2018.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import KMeansSMOTE
    >>> X, y = make_classification(n_samples=2000, n_features=10,
    ...                            weights=[0.95], random_state=0)
    >>> sampler = KMeansSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 1892), (1, 1892)]

    Both parents of a synthetic row lie in the same cluster:

    >>> labels = sampler.kmeans_estimator_.labels_
    >>> p = sampler.provenance_
    >>> bool((labels[p.parent] == labels[p.neighbor]).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "n_jobs": [Integral, None],
        "kmeans_estimator": [
            HasMethods(["fit", "predict"]),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "cluster_balance_threshold": [StrOptions({"auto"}), Real],
        "density_exponent": [StrOptions({"auto"}), Real],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=2,
        n_jobs=None,
        kmeans_estimator=None,
        cluster_balance_threshold="auto",
        density_exponent="auto",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _fit_resample(self, X, y, entropy):
        name = type(self).__name__
        targets = list(self._class_targets(y))
        self.nn_k_ = check_neighbors_object(
            "k_neighbors",
            self.k_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.kmeans_estimator_ = self._make_kmeans(entropy)
        n_clusters = getattr(self.kmeans_estimator_, "n_clusters", None)
        thresholds = self._thresholds(y, targets, n_clusters)
        if not targets:
            return self._provenance_out(X).build()
        labels = self._cluster(X, n_clusters)
        _, cluster_of, cluster_sizes = np.unique(
            labels, return_inverse=True, return_counts=True
        )
        cluster_of = cluster_of.ravel()
        gap_dtype = self._gap_dtype(X)
        out = self._provenance_out(X)
        for cls, position, rows, n_new in targets:
            groups = self._kept_clusters(
                cls, rows, cluster_of, cluster_sizes, thresholds[cls]
            )
            counts = allocate_by_weight(self._weights(X, groups), n_new)
            key = stream_key(entropy, PAIRS, position)
            first = 0
            for cluster_rows, n_cluster in zip(groups, counts, strict=True):
                if n_cluster == 0:
                    continue
                nn = check_neighbors_object(
                    "k_neighbors",
                    self.k_neighbors,
                    self.n_jobs,
                    sampler_name=type(self).__name__,
                )
                table = class_neighbor_table(
                    nn, X[cluster_rows], name, "k_neighbors", cls
                )
                self.nn_k_ = nn
                last = first + int(n_cluster)
                draw_into(
                    out, draw_pairs, key, first, last, table, cluster_rows, gap_dtype
                )
                first = last
        return out.build()

    # ------------------------------------------------------------ clustering

    def _make_kmeans(self, entropy):
        if self.kmeans_estimator is None:
            kmeans = MiniBatchKMeans()
        elif isinstance(self.kmeans_estimator, Integral):
            kmeans = MiniBatchKMeans(n_clusters=int(self.kmeans_estimator))
        else:
            if not _fits_on_X_alone(self.kmeans_estimator):
                raise TypeError(
                    f"The 'kmeans_estimator' parameter of {type(self).__name__} "
                    "must be a clustering estimator fitted on the samples alone, "
                    f"fit(X), such as MiniBatchKMeans; "
                    f"{type(self.kmeans_estimator).__name__} has a fit that needs "
                    "more arguments (a classifier or regressor needs y). Pass "
                    "MiniBatchKMeans(n_clusters=...) or an int number of clusters."
                )
            kmeans = clone(self.kmeans_estimator)
        params = kmeans.get_params()
        if "random_state" in params and params["random_state"] is None:
            words = uniform_words(stream_key(entropy, ESTIMATOR_SEED, 0), 0, 1)
            kmeans.set_params(random_state=int(words[0, 0] % np.uint64(2**31)))
        return kmeans

    def _cluster(self, X, n_clusters):
        if isinstance(n_clusters, Integral) and X.shape[0] < n_clusters:
            raise ValueError(
                f"The 'kmeans_estimator' of {type(self).__name__} asks for "
                f"{n_clusters} clusters, but X has only {X.shape[0]} samples. "
                f"Pass kmeans_estimator=<an int of at most {X.shape[0]}>."
            )
        kmeans = self.kmeans_estimator_
        if sparse.issparse(X) and not _plain_csr(X):
            # scikit-learn's k-means reads stored entries one by one (repeated
            # ones would count apart in the row norms) and writes to buffers
            X = canonical_csr(X, X.dtype)
        X = with_int32_indices(X)  # scikit-learn's sparse k-means takes no other
        # far from 1, k-means's squared distances overflow or underflow (every
        # point in one cluster): clustered at a power of two nearer 1 (exact)
        exp = top_exponent(X.data if sparse.issparse(X) else X)
        if exp is not None and abs(exp) > WEIGHT_EXPONENT_LIMIT:
            X = _scaled(X, exp)
        if hasattr(kmeans, "fit_predict"):
            labels = np.asarray(kmeans.fit_predict(X))
        else:
            labels = np.asarray(kmeans.fit(X).predict(X))
        if labels.shape != (X.shape[0],):
            raise ValueError(
                f"The 'kmeans_estimator' of {type(self).__name__} "
                f"({type(kmeans).__name__}) gave cluster labels of shape "
                f"{labels.shape} for {X.shape[0]} samples; its fit_predict(X) "
                "must return one label per sample, as scikit-learn's KMeans does."
            )
        return labels

    def _thresholds(self, y, targets, n_clusters):
        """Set ``cluster_balance_threshold_``; return the threshold per class."""
        if n_clusters == 1:
            self.cluster_balance_threshold_ = -np.inf
            return {cls: -np.inf for cls, *_ in targets}
        if self.cluster_balance_threshold == "auto":
            shares = {cls: rows.size / y.shape[0] for cls, _, rows, _ in targets}
            self.cluster_balance_threshold_ = shares
            return shares
        threshold = float(self.cluster_balance_threshold)
        self.cluster_balance_threshold_ = threshold
        return {cls: threshold for cls, *_ in targets}

    def _kept_clusters(self, cls, rows, cluster_of, cluster_sizes, threshold):
        """Rows of the class in each cluster that can be over-sampled."""
        class_cluster = cluster_of[rows]
        class_counts = np.bincount(class_cluster, minlength=cluster_sizes.size)
        order = np.argsort(class_cluster, kind="stable")
        by_cluster = np.split(rows[order], np.cumsum(class_counts)[:-1])
        share_ok = class_counts / cluster_sizes >= threshold
        n_needed = n_neighbors_of(self.nn_k_)
        kept = share_ok & (class_counts >= n_needed)
        if not kept.any():
            raise NoClusterError(
                self._no_cluster_message(
                    cls, threshold, share_ok, class_counts, n_needed
                ),
                cls=cls,
                threshold=float(threshold),
                n_needed=int(n_needed),
            )
        return [by_cluster[c] for c in np.flatnonzero(kept)]

    def _no_cluster_message(self, cls, threshold, share_ok, class_counts, n_needed):
        head = (
            f"No clusters found with sufficient samples of class {cls!r}: "
            f"{type(self).__name__} over-samples a class only inside clusters "
        )
        size_rule = (
            f"hold at least {n_needed} of its samples (a sample and its "
            f"{n_needed - 1} k_neighbors)"
        )
        if share_ok.all():  # only the class's size stands in the way
            total = int(class_counts.sum())
            if total < n_needed:
                fix = (
                    f"{fewer_neighbors_hint('k_neighbors', total)}, or use "
                    "RandomOverSampler for this class."
                    if total >= 2
                    else "Use RandomOverSampler for this class, or leave it out of "
                    "sampling_strategy."
                )
            else:
                fix = (
                    "Use fewer clusters (kmeans_estimator=<int>) or lower k_neighbors."
                )
            return (
                f"{head}that {size_rule}; class {cls!r} has {total} samples, at "
                f"most {int(class_counts.max())} in one of the {share_ok.size} "
                f"clusters. {fix}"
            )
        source = (
            "cluster_balance_threshold='auto': the class's share of the whole data set"
            if self.cluster_balance_threshold == "auto"
            else "cluster_balance_threshold"
        )
        most = int(class_counts[share_ok].max()) if share_ok.any() else 0
        return (
            f"{head}where it makes up a share of at least {threshold:.4g} of the "
            f"cluster's samples ({source}) and that {size_rule}. "
            f"{int(share_ok.sum())} of the {share_ok.size} clusters pass the share "
            f"test, holding at most {most} samples of the class. Use fewer "
            "clusters (kmeans_estimator=<int>), lower cluster_balance_threshold, "
            "or lower k_neighbors."
        )

    def _weights(self, X, groups):
        """Sampling weight of each kept cluster (unnormalised)."""
        if len(groups) == 1:
            return np.ones(1)
        exponent = (
            auto_density_exponent(X.shape[1])
            if self.density_exponent == "auto"
            else float(self.density_exponent)
        )
        # the weights do not change when X is scaled by a power of two (exact);
        # far from 1, the squares in the distances would overflow or underflow
        exp = top_exponent(X.data if sparse.issparse(X) else X)
        if exp is not None and abs(exp) > WEIGHT_EXPONENT_LIMIT:
            X = _scaled(X, exp)
        log_sparsity = np.array(
            [
                cluster_log_sparsity(
                    mean_pairwise_distance(X[rows]), rows.size, exponent
                )
                for rows in groups
            ]
        )
        if np.isneginf(log_sparsity).all():
            return np.array([rows.size for rows in groups], dtype=np.float64)
        return np.exp(log_sparsity - log_sparsity.max())


def _plain_csr(X):
    """Whether sparse ``X`` is a writable CSR matrix without repeated entries."""
    return (
        X.format == "csr"
        and X.has_canonical_format
        and all(a.flags.writeable for a in (X.data, X.indices, X.indptr))
    )
