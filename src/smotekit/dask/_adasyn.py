"""ADASYN on Dask: weights from a distributed minority-vs-all search."""

import numpy as np

from .. import over_sampling
from ..over_sampling._adasyn import (
    PAIRS,
    allocate_largest_remainder,
    draw_adasyn,
    unweighted_class_error,
)
from . import _tasks
from ._base import DaskOverSampler, _delayed
from ._borderline import check_enough_samples
from ._smote import check_class_size

__all__ = ["ADASYN"]


class ADASYN(DaskOverSampler):
    """ADASYN for dask arrays and dask DataFrames.

    The same algorithm, parameters and draws as :class:`smotekit.ADASYN`
    (largest-remainder allocation, so exact totals). The weights come from
    each sample's ``n_neighbors`` nearest neighbours among all the samples:
    the class's rows (in blocks) are sent to every partition, each partition
    answers with its exact top-k, and the lists are merged in a tree. This
    search runs when ``fit_resample`` is called (so the error for a class
    without any other-class neighbour comes then); the synthetic rows are
    built lazily.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes; see :class:`smotekit.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed; the same int gives the same rows as in memory.
    n_neighbors : int, default=5
        Neighbours for the weights and the interpolation.
    n_jobs : int, default=None
        Threads of each neighbour-search task. ``None`` follows the worker's
        OpenMP limit (``distributed``'s workers set ``OMP_NUM_THREADS=1``:
        the tasks make the parallelism); ``-1`` uses every CPU of the
        worker's machine. Does not change the result.
    memory_budget : int or str, default='256MiB'
        Largest size of the rows of one class held by one task.
    partition_rows : int, default=None
        Rows per partition of synthetic rows (``None``: the largest input
        partition).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    class_counts_ : OrderedDict
        Number of samples per class in the input.
    n_synthetic_per_sample_ : dict
        For each over-sampled class, ``(rows, counts)``: input row indices of
        its samples and the number of synthetic samples grown from each.
    memory_budget_ : int
        The budget in bytes.
    provenance_ : dask.dataframe.DataFrame
        Lazy: for every synthetic row (indexed by its number, 0 for the first
        synthetic row), the input positions of its ``parent`` and
        ``neighbor`` and its ``gap``; computed, it equals the in-memory
        sampler's ``provenance_.to_frame()``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a dask DataFrame with string column names.

    Examples
    --------
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> import smotekit
    >>> from smotekit.dask import ADASYN
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> dX, dy = da.from_array(X, chunks=200), da.from_array(y, chunks=200)
    >>> X_res, _ = ADASYN(random_state=0).fit_resample(dX, dy)
    >>> X_mem, _ = smotekit.ADASYN(random_state=0).fit_resample(X, y)
    >>> bool((X_res.compute() == X_mem).all())
    True
    """

    _memory_class = over_sampling.ADASYN
    _neighbor_params = ("n_neighbors",)
    _purpose = PAIRS
    _fitted_dicts = ("n_synthetic_per_sample_",)

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        n_neighbors=5,
        n_jobs=None,
        memory_budget="256MiB",
        partition_rows=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs
        self.memory_budget = memory_budget
        self.partition_rows = partition_rows

    def _plan_class(self, data, twin, target, entropy):
        name = type(self).__name__
        k = self._check_int_neighbors("n_neighbors")
        check_enough_samples(data, k, name, "n_neighbors")
        cls = target.cls
        rows, around, labels = self._neighbors_among_all(data, target.blocks, k)
        n_other = (labels != cls).sum(axis=1)
        if not n_other.any():
            raise unweighted_class_error(name, cls, len(rows), around.shape[1])
        counts = allocate_largest_remainder(n_other, target.n_new)
        self.n_synthetic_per_sample_[cls] = (rows, counts)
        check_class_size(target, k, name, "n_neighbors")
        class_table = self._class_table(target, k, self.n_jobs)
        used = counts > 0
        table = _delayed()(_tasks.seed_table, pure=True)(rows, class_table, used)
        args = (np.cumsum(counts[used]), rows[used], table, data.work_dtype)
        return draw_adasyn, args, target.blocks
