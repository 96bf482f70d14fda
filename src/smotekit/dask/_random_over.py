"""RandomOverSampler on Dask: the in-memory bootstrap draws, read block-wise."""

from dataclasses import replace

import numpy as np

from .. import over_sampling
from .._draws import draw_bootstrap, draw_normal
from .._random import stream_key
from ..over_sampling._random_over import BOOTSTRAP, NOISE, smoothing_scale
from . import _tasks
from ._base import DaskOverSampler, _delayed

__all__ = ["RandomOverSampler"]


def draw_smoothed(key, start, stop, rows, gap_dtype, noise_key, scale, n_features):
    """The in-memory RandomOverSampler draws for rows ``start`` to ``stop``."""
    part = draw_bootstrap(key, start, stop, rows, gap_dtype)
    if scale is None:
        return part
    noise = draw_normal(noise_key, start, stop, n_features) * scale
    return replace(part, noise=noise.astype(gap_dtype))


def block_moments(block):
    """Count, power-of-two exponents, mean and sum of squared deviations of a
    block, in float64: each column scaled by ``2**-exps`` (its largest
    magnitude's exponent), so that no square leaves float64's range, as in
    :func:`smoothing_scale`."""
    x = np.ascontiguousarray(_tasks.numeric(block[1]), dtype=np.float64)
    exps = np.frexp(np.maximum(-x.min(axis=0), x.max(axis=0)))[1]
    x = np.ldexp(x, -exps)
    mean = x.mean(axis=0)
    return len(x), exps, mean, ((x - mean) ** 2).sum(axis=0)


def merged_scale(n_samples, shrinkage, *moments):
    """``smoothing_scale`` from per-block moments (Chan et al.'s merge), on
    the columns scaled by the largest of the blocks' exponents."""
    exps = np.max([m[1] for m in moments], axis=0)
    rescaled = [
        (n_b, np.ldexp(mean_b, exps_b - exps), np.ldexp(m2_b, 2 * (exps_b - exps)))
        for n_b, exps_b, mean_b, m2_b in moments
    ]
    n, mean, m2 = rescaled[0]
    for n_b, mean_b, m2_b in rescaled[1:]:
        delta = mean_b - mean
        total = n + n_b
        mean = mean + delta * (n_b / total)
        m2 = m2 + m2_b + delta**2 * (n * n_b / total)
        n = total
    d = len(mean)
    h = (4 / ((d + 2) * n_samples)) ** (1 / (d + 4))
    return shrinkage * h * np.ldexp(np.sqrt(m2 / n), exps)


def block_scale(block, n_samples, shrinkage):
    """``smoothing_scale`` of a class gathered in one block (as in memory)."""
    return smoothing_scale(_tasks.numeric(block[1]), n_samples, shrinkage)


class RandomOverSampler(DaskOverSampler):
    """RandomOverSampler for dask arrays and dask DataFrames.

    The same draws as :class:`smotekit.RandomOverSampler`: computed,
    ``fit_resample`` gives the in-memory output row for row, for any
    partitioning, number of workers or scheduler. Without ``shrinkage`` any
    column type goes through.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes; see :class:`smotekit.SMOTE`. A callable receives
        the labels, computed into memory.
    random_state : int, RandomState instance or None, default=None
        Seed; the same int gives the same rows as in memory.
    shrinkage : float or dict, default=None
        Smoothed-bootstrap factor; see :class:`smotekit.RandomOverSampler`.
    memory_budget : int or str, default='256MiB'
        Largest size of the rows of one class held by one task; a larger
        class is read block by block.
    partition_rows : int, default=None
        Rows per partition of synthetic rows (``None``: the largest input
        partition).

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
    With ``shrinkage``, the per-feature standard deviation of a class larger
    than ``memory_budget`` is merged from per-block moments; it can differ
    from the in-memory one in the last bits, and so can the noise.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> import smotekit
    >>> from smotekit.dask import RandomOverSampler
    >>> X = np.arange(24.0).reshape(12, 2)
    >>> y = np.array([0] * 9 + [1] * 3)
    >>> dX, dy = da.from_array(X, chunks=5), da.from_array(y, chunks=5)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(dX, dy)
    >>> X_mem, _ = smotekit.RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> bool((X_res.compute() == X_mem).all())
    True
    """

    _memory_class = over_sampling.RandomOverSampler
    _purpose = BOOTSTRAP

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        shrinkage=None,
        memory_budget="256MiB",
        partition_rows=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage
        self.memory_budget = memory_budget
        self.partition_rows = partition_rows

    def _plan_class(self, data, twin, target, entropy):
        delayed = _delayed()
        if not hasattr(self, "shrinkage_"):
            self.shrinkage_ = twin._resolve_shrinkage(None)
        scale = None
        if self.shrinkage_ is not None:
            factor = self.shrinkage_[target.cls]
            if len(target.blocks) == 1:
                scale = delayed(block_scale, pure=True)(
                    target.blocks[0], data.n_samples, factor
                )
            else:
                moments = [delayed(block_moments, pure=True)(b) for b in target.blocks]
                scale = delayed(merged_scale, pure=True)(
                    data.n_samples, factor, *moments
                )
        rows = self._class_rows(target)
        noise_key = stream_key(entropy, NOISE, target.position)
        args = (rows, data.work_dtype, noise_key, scale, data.n_features)
        return draw_smoothed, args, target.blocks
