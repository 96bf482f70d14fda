"""ADASYN: more synthetic samples where the class is harder to learn."""

from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import HasMethods, Interval

from .._neighbors import (
    check_neighbors_object,
    fit_on_all_samples,
    neighbors_of_rows,
)
from .._provenance import Provenance, draw_into
from .._random import stream_key, to_index, to_unit_float, uniform_words
from ..base import BaseOverSampler
from ..exceptions import UnweightedClassError
from ._smote import class_neighbor_table

__all__ = [
    "ADASYN",
    "UnweightedClassError",
    "allocate_largest_remainder",
    "draw_adasyn",
]

#: Stream purpose tag for the (neighbour, gap) draws.
PAIRS = 0


def allocate_largest_remainder(weights, total):
    """Split ``total`` into integer parts proportional to ``weights``, exactly.

    Each part gets the floor of its exact quota ``total * w_i / sum(w)``; the
    units left over go, one each, to the largest remainders (ties to the
    lower index). The parts always sum to ``total``, and a larger weight
    never gets a smaller part. The arithmetic is in integers, so there is no
    rounding drift.

    Parameters
    ----------
    weights : array-like of shape (n,), non-negative int
        Weights, not all zero.
    total : int
        Number to split.

    Returns
    -------
    parts : ndarray of shape (n,), int64

    Examples
    --------
    >>> allocate_largest_remainder([1, 1, 1], 10).tolist()
    [4, 3, 3]
    >>> allocate_largest_remainder([0, 2, 5], 4).tolist()
    [0, 1, 3]
    """
    weights = np.asarray(weights, dtype=np.int64)
    total = int(total)
    weight_sum = int(weights.sum())
    if weight_sum <= 0 or (weights < 0).any():
        raise ValueError("weights must be non-negative and not all zero.")
    if weights.size and int(weights.max()) * total >= 2**62:
        weights = weights.astype(object)  # exact Python integers
    scaled = weights * total
    parts = scaled // weight_sum
    remainder = scaled % weight_sum
    left = total - int(parts.sum())
    order = np.argsort(-remainder, kind="stable")
    parts = np.asarray(parts, dtype=np.int64)
    parts[order[:left]] += 1
    return parts


def draw_adasyn(key, start, stop, ends, seeds, table, gap_dtype):
    """Draw (seed, neighbour, gap) for synthetic rows ``start`` to ``stop``.

    Row ``j`` belongs to the seed whose cumulative range contains it (seed
    ``i`` owns rows ``ends[i-1]`` to ``ends[i]``); its neighbour column
    (word 0) and gap (word 1) are read from the stream at ``j``.

    Parameters
    ----------
    key : StreamKey
        The class's stream key.
    start, stop : int
        Synthetic row range within the class.
    ends : ndarray of shape (n_seeds,)
        Cumulative number of samples per seed.
    seeds : ndarray of shape (n_seeds,)
        Input row index of each seed.
    table : ndarray of shape (n_seeds, k)
        Input row indices of each seed's neighbours.
    gap_dtype : dtype
        Dtype of the returned gaps.

    Returns
    -------
    provenance : Provenance

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> ends = np.cumsum([2, 0, 3])
    >>> p = draw_adasyn(key, 0, 5, ends, np.array([7, 8, 9]),
    ...                 np.array([[8], [9], [7]]), np.float64)
    >>> p.parent.tolist(), p.neighbor.tolist()
    ([7, 7, 9, 9, 9], [8, 8, 7, 7, 7])
    """
    words = uniform_words(key, start, stop)
    seed_pos = np.searchsorted(ends, np.arange(start, stop), side="right")
    column = to_index(words[:, 0], table.shape[1])
    gap_dtype = np.dtype(gap_dtype)
    gap = to_unit_float(words[:, 1]).astype(gap_dtype)
    # a float64 draw just below 1 can round up to 1 in float32
    gap = np.minimum(gap, np.nextafter(gap_dtype.type(1), gap_dtype.type(0)))
    return Provenance(seeds[seed_pos], table[seed_pos, column], gap)


def unweighted_class_error(name, cls, n_samples, n_neighbors, copies=0):
    """The error for a class none of whose samples has a sample of another
    class among its ``n_neighbors`` nearest, so that every ADASYN weight is
    zero; ``copies``: the most copies of one of its rows, when every such
    neighbour is an exact copy of its sample (0: not known, or not so).

    Examples
    --------
    >>> str(unweighted_class_error("ADASYN", 1, 8, 2, copies=4)).split(": ")[0]
    'ADASYN cannot weight class 1'
    """
    if copies >= n_samples:
        why = (
            "every sample of the class is the same row, so any synthetic sample "
            "would repeat it). Use RandomOverSampler for this class."
        )
    elif copies:
        why = (
            "each of those neighbours is an exact copy of its sample: the class "
            f"repeats rows, one of them {copies} times). Raise n_neighbors to "
            f"{copies} or more to look past the copies, drop the repeated rows, "
            "or use SMOTE."
        )
    else:
        why = (
            "the class is separated from the others at this scale). Use SMOTE "
            "for this data, or raise n_neighbors."
        )
    return UnweightedClassError(
        f"{name} cannot weight class {cls!r}: none of its {n_samples} samples "
        f"has a sample of another class among its {n_neighbors} nearest "
        f"neighbours, so every ADASYN weight is zero ({why}",
        cls=cls,
        n_samples=n_samples,
        n_neighbors=n_neighbors,
    )


def copies_around(X, rows, around, block_rows=4096):
    """The most copies of one of ``rows`` among themselves when every
    neighbour ``around[i]`` of ``rows[i]`` equals it exactly (dense ``X``);
    0 otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.0], [0.0], [5.0]])
    >>> int(copies_around(X, np.array([0, 1, 2]), np.array([[1], [0], [0]])))
    3
    >>> int(copies_around(X, np.array([0, 3]), np.array([[1], [0]])))
    0
    """
    if sparse.issparse(X):
        return 0
    for start in range(0, len(rows), block_rows):
        part = rows[start : start + block_rows]
        if not (X[around[start : start + block_rows]] == X[part][:, None, :]).all():
            return 0
    return int(np.unique(X[rows], axis=0, return_counts=True)[1].max())


class ADASYN(BaseOverSampler):
    """Adaptive Synthetic sampling (ADASYN).

    Like SMOTE, each synthetic sample lies on the segment between a sample
    of the class and one of its ``n_neighbors`` nearest neighbours of the
    same class, with a gap uniform on [0, 1). Unlike SMOTE, the number of
    samples grown from each sample is proportional to how many of its
    ``n_neighbors`` nearest neighbours among all the samples (itself
    excluded) belong to other classes: more samples where the class is
    harder to learn, none from samples surrounded by their own class.

    The per-sample numbers are the exact quotas split by the **largest
    remainder** rule, so the class gets exactly the requested number of
    samples (imbalanced-learn rounds each quota and misses the total). A
    larger weight never gets fewer samples. As in imbalanced-learn, the same
    ``n_neighbors`` is used for the weights and for the interpolation.

    **No sample with other-class neighbours.** When no sample of a class has
    a neighbour of another class, every ADASYN weight is zero and the
    algorithm is undefined; a ``RuntimeError`` naming the class is raised
    (the same exception type as imbalanced-learn), rather than silently
    running another algorithm. Use :class:`~smotekit.SMOTE` for such data, or
    raise ``n_neighbors``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE` (a float ratio,
        a class-selection string, a dict of final counts or a callable).
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
    n_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours used for the weights and the
        interpolation, or a neighbours estimator (cloned; its ``n_neighbors``
        counts the sample itself, as in imbalanced-learn).
    n_jobs : int, default=None
        Threads for the neighbour searches (``-1`` for all cores). Does not
        change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    nn_ : estimator
        The neighbours estimator, fitted on the last over-sampled class.
    provenance_ : Provenance
        For synthetic row ``j`` (output row ``n_samples + j``): the input rows
        ``parent[j]`` and ``neighbor[j]`` and the ``gap[j]`` it was built from.
        ``numpy.bincount(provenance_.parent)`` gives the number of samples
        grown from each input row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : the same number of samples from every sample (on average).
    BorderlineSMOTE : samples only from the samples near the class border.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: Adaptive synthetic
       sampling approach for imbalanced learning", IJCNN 2008, pp. 1322-1328.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import ADASYN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> sampler = ADASYN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> Counter(y_res.tolist())
    Counter({0: 898, 1: 898})
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, n_jobs=None
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, entropy):
        name = type(self).__name__
        targets = list(self._class_targets(y))
        self.nn_ = check_neighbors_object(
            "n_neighbors",
            self.n_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        if not targets:
            return self._provenance_out(X).build()
        nn_all = fit_on_all_samples(self.nn_, X, name, "n_neighbors")
        gap_dtype = self._gap_dtype(X)
        out = self._provenance_out(X)
        for cls, position, rows, n_new in targets:
            around = neighbors_of_rows(nn_all, X, rows, name, "n_neighbors")
            n_other = (y[around] != cls).sum(axis=1)
            if not n_other.any():
                copies = copies_around(X, rows, around)
                raise unweighted_class_error(
                    name, cls, len(rows), around.shape[1], copies
                )
            counts = allocate_largest_remainder(n_other, n_new)
            nn = check_neighbors_object(
                "n_neighbors",
                self.n_neighbors,
                self.n_jobs,
                sampler_name=type(self).__name__,
            )
            class_table = class_neighbor_table(nn, X[rows], name, "n_neighbors", cls)
            self.nn_ = nn
            used = counts > 0
            seeds = rows[used]
            table = rows[class_table[used]]
            ends = np.cumsum(counts[used])
            key = stream_key(entropy, PAIRS, position)
            draw_into(out, draw_adasyn, key, 0, n_new, ends, seeds, table, gap_dtype)
        return out.build()
