"""Borderline-SMOTE on Dask: danger from a distributed minority-vs-all search."""

import numpy as np

from .. import over_sampling
from .._danger import danger_noise_masks
from .._neighbors import ExactNeighbors, fit_on_all_samples
from .._provenance import index_dtype
from ..over_sampling._borderline import PAIRS, draw_borderline
from . import _tasks
from ._base import DaskOverSampler, _delayed
from ._smote import check_class_size

__all__ = ["BorderlineSMOTE", "check_enough_samples"]


def check_enough_samples(data, k, sampler_name, param_name):
    """Raise the in-memory error when X has too few samples for ``k`` neighbours."""
    if data.n_samples < k + 1:
        fit_on_all_samples(
            ExactNeighbors(k + 1),
            np.empty((data.n_samples, 1)),
            sampler_name,
            param_name,
        )


class BorderlineSMOTE(DaskOverSampler):
    """Borderline-SMOTE for dask arrays and dask DataFrames.

    The same algorithm, parameters and draws as
    :class:`smotekit.BorderlineSMOTE` (kinds 1 and 2, the no-danger
    fallback and its :class:`~smotekit.NoDangerSamplesWarning`). The danger
    test looks at each sample's ``m_neighbors`` nearest neighbours among all
    the samples: the class's rows (in blocks) are sent to every partition,
    each partition answers with its exact top-k, and the lists are merged in
    a tree. This search runs when ``fit_resample`` is called (so the warning
    comes then, and ``in_danger_indices_`` is set); the synthetic rows are
    built lazily.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes; see :class:`smotekit.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed; the same int gives the same rows as in memory.
    k_neighbors : int, default=5
        Neighbours to interpolate towards.
    m_neighbors : int, default=10
        Neighbours (among all samples) of the danger test.
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Where the neighbours come from; see :class:`smotekit.BorderlineSMOTE`.
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
    in_danger_indices_ : dict
        Input row indices of each over-sampled class's samples in danger.
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
    With ``kind='borderline-2'`` the seeds' neighbours of other classes are
    read from their partitions into one block (at most ``k_neighbors`` rows
    per seed). Ties: see :class:`smotekit.dask.SMOTE`.

    Examples
    --------
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> import smotekit
    >>> from smotekit.dask import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> dX, dy = da.from_array(X, chunks=200), da.from_array(y, chunks=200)
    >>> X_res, _ = BorderlineSMOTE(random_state=0).fit_resample(dX, dy)
    >>> X_mem, _ = smotekit.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> bool((X_res.compute() == X_mem).all())
    True
    """

    _memory_class = over_sampling.BorderlineSMOTE
    _neighbor_params = ("k_neighbors", "m_neighbors")
    _purpose = PAIRS
    _fitted_dicts = ("in_danger_indices_",)

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        kind="borderline-1",
        n_jobs=None,
        memory_budget="256MiB",
        partition_rows=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs
        self.memory_budget = memory_budget
        self.partition_rows = partition_rows

    @property
    def in_danger_indices(self):
        """imbalanced-learn's name of :attr:`in_danger_indices_` (read-only)."""
        return self.in_danger_indices_

    def _plan_class(self, data, twin, target, entropy):
        name = type(self).__name__
        delayed = _delayed()
        k = self._check_int_neighbors("k_neighbors")
        m = self._check_int_neighbors("m_neighbors")
        whole = self.kind == "borderline-2"
        check_enough_samples(data, m, name, "m_neighbors")
        if whole:
            check_enough_samples(data, k, name, "k_neighbors")
        else:
            check_class_size(target, k, name, "k_neighbors")
        cls = target.cls
        rows, table, labels = self._neighbors_among_all(data, target.blocks, m)
        danger, _ = danger_noise_masks((labels != cls).sum(axis=1), table.shape[1])
        # the in-memory sampler's compact index dtype
        self.in_danger_indices_[cls] = rows[danger].astype(index_dtype(data.n_samples))
        if not danger.any():
            twin.nn_m_ = ExactNeighbors(m + 1)
            twin._warn_no_danger(cls, target.n_new)
            danger[:] = True
        seeds = rows[danger]
        if not whole:
            class_table = self._class_table(target, k, self.n_jobs)
            table = delayed(_tasks.seed_table, pure=True)(rows, class_table, danger)
            args = (seeds, table, data.work_dtype, None)
            return draw_borderline, args, target.blocks
        query = []
        ends = [*target.block_starts[1:], target.n_class]
        for block, start, end in zip(
            target.blocks, target.block_starts, ends, strict=True
        ):
            mask = danger[start:end]
            if mask.any():
                query.append(delayed(_tasks.filter_block, pure=True)(block, mask))
        seed_rows, table, labels = self._neighbors_among_all(data, query, k)
        other = labels != cls
        outside = np.unique(table[other])
        sources = list(target.blocks)
        if outside.size:
            sources.append(self._support_block(data, outside))
        args = (seed_rows, table, data.work_dtype, other)
        return draw_borderline, args, sources
