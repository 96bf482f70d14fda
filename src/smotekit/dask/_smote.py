"""SMOTE on Dask: the in-memory draws, block-wise exact neighbours."""

from .. import over_sampling
from .._draws import draw_pairs
from .._neighbors import check_class_size as _check_class_size
from ..over_sampling._smote import PAIRS
from ._base import DaskOverSampler

__all__ = ["SMOTE"]


def check_class_size(target, k, sampler_name, param_name):
    """Raise the in-memory error when a class is too small for ``k`` neighbours."""
    _check_class_size(target.n_class, k, sampler_name, param_name, target.cls)


class SMOTE(DaskOverSampler):
    """SMOTE for dask arrays and dask DataFrames.

    The same algorithm, parameters and draws as :class:`smotekit.SMOTE`:
    computed, ``fit_resample`` gives the in-memory output row for row, for
    any partitioning, number of workers or scheduler. Each synthetic row
    ``i`` of a class is drawn from the counter-based stream of the seed, the
    class and ``i``; each class's neighbour table comes from the exact engine,
    on the class gathered once when it fits ``memory_budget``, otherwise
    block against block with a tree merge of the top-k lists.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes; see :class:`smotekit.SMOTE`. A callable receives
        the labels, computed into memory.
    random_state : int, RandomState instance or None, default=None
        Seed; the same int gives the same rows as the in-memory SMOTE.
    k_neighbors : int, default=5
        Number of nearest neighbours of the same class to interpolate
        towards (an int: the search is the distributed exact engine).
    n_jobs : int, default=None
        Threads of each neighbour-search task. ``None`` follows the worker's
        OpenMP limit (``distributed``'s workers set ``OMP_NUM_THREADS=1``:
        the tasks make the parallelism); ``-1`` uses every CPU of the
        worker's machine. Does not change the result.
    memory_budget : int or str, default='256MiB'
        Largest size (bytes, or a string such as ``'1GiB'``) of the rows of
        one class gathered in one task. A class that fits is gathered once;
        a larger one is searched block against block, each block within the
        budget. Does not change the result (see the note on ties).
    partition_rows : int, default=None
        Rows per partition of synthetic rows; ``None`` uses the largest input
        partition, so memory stays bounded by the partition size.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    class_counts_ : OrderedDict
        Number of samples per class in the input.
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

    Notes
    -----
    **Ties.** The neighbour table equals the in-memory one, exact ties
    (duplicated rows, points on a grid) included: with one block it is the
    in-memory engine's own table; across blocks, each block's exact top-k
    (distance, then row) is merged by (distance, lower row index). Only two
    distances within one rounding unit of each other, which the merge sees
    after the square root, could be ordered differently.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> import smotekit
    >>> from smotekit.dask import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(dX, dy)
    >>> X_res.shape, X_res.numblocks[0]
    ((1796, 20), 7)
    >>> X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(X, y)
    >>> bool((X_res.compute() == X_mem).all() and (y_res.compute() == y_mem).all())
    True
    """

    _memory_class = over_sampling.SMOTE
    _neighbor_params = ("k_neighbors",)
    _purpose = PAIRS

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
        memory_budget="256MiB",
        partition_rows=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.memory_budget = memory_budget
        self.partition_rows = partition_rows

    def _plan_class(self, data, twin, target, entropy):
        k = self._check_int_neighbors("k_neighbors")
        check_class_size(target, k, type(self).__name__, "k_neighbors")
        table = self._class_table(target, k, self.n_jobs)
        rows = self._class_rows(target)
        return draw_pairs, (table, rows, data.work_dtype), target.blocks
