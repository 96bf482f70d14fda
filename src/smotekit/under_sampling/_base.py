"""The under-sampler base: ``fit_resample`` → ``_fit_resample`` → kept rows.

An under-sampler never builds rows: it chooses which original rows to keep.
A variant implements ``_fit_resample``, which returns the positions of the
kept rows in ascending order; the base records them as ``sample_indices_``
and returns those rows, unchanged and in their original order, in the user's
container (a DataFrame keeps its index labels and column dtypes, a sparse
matrix its format).
"""

from abc import abstractmethod
from collections.abc import Mapping
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .. import _data
from .._pandas_in import accepts_any_pandas
from .._polars import accepts_polars
from .._strategy import UNDER_STRING_STRATEGIES, python_scalar
from ..base import BaseSampler, SamplerTags

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]


class BaseUnderSampler(BaseSampler):
    """Base class of every under-sampler (a sampler that only removes rows).

    ``sampling_strategy`` follows imbalanced-learn's under-sampling rules:
    ``sampling_strategy_`` maps each targeted class to the number of its
    samples that are kept (see :mod:`smotekit._strategy`).

    Subclasses store their parameters in ``__init__`` (keyword-only, no
    checks), declare ``_parameter_constraints`` (merged with this class's) and
    implement :meth:`_fit_resample`.
    """

    _sampling_type = "under-sampling"

    _parameter_constraints: dict = {
        "sampling_strategy": [
            Interval(Real, 0, 1, closed="right"),
            StrOptions(set(UNDER_STRING_STRATEGIES)),
            Mapping,
            callable,
        ],
    }

    @accepts_polars
    @accepts_any_pandas
    def fit_resample(self, X, y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Features. The output has the same type (and dtype, columns,
            sparse format; a DataFrame keeps the index labels of its rows).
        y : array-like of shape (n_samples,)
            Class labels. The output has the same type.

        Returns
        -------
        X_resampled : same type as X, shape (n_kept, n_features)
            The kept rows, unchanged, in their original order.
        y_resampled : same type as y
            The matching labels.
        """
        X_array, x_spec, labels, y_spec = self._check_inputs(X, y)
        kept = self._fit_resample(X_array, labels, self._root_entropy())
        kept = np.asarray(kept, dtype=np.int64)
        self._check_kept(kept, len(labels))
        self.sample_indices_ = kept
        X_out = _data.select_X(X, X_array, x_spec, kept)
        y_out = _data.select_y(y_spec, labels, kept)
        return X_out, y_out

    @abstractmethod
    def _fit_resample(self, X, y, entropy):
        """Choose the rows to keep.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
            Validated features.
        y : ndarray of shape (n_samples,)
            Validated labels.
        entropy : tuple of int or None
            Root entropy of this call, for :func:`smotekit._random.stream_key`
            (``None`` for samplers without ``random_state``).

        Returns
        -------
        kept : ndarray of int
            Positions of the kept rows, in ascending order (a position may
            repeat when a row is drawn more than once).
        """

    def _check_kept(self, kept, n_samples):
        if kept.ndim != 1 or (
            len(kept)
            and (kept[0] < 0 or kept[-1] >= n_samples or (np.diff(kept) < 0).any())
        ):  # pragma: no cover - internal invariant
            raise RuntimeError(
                f"{type(self).__name__} returned kept rows that are not sorted "
                f"positions below {n_samples}; please report this bug."
            )

    def _class_positions(self, y):
        """``{class: position among the sorted classes}`` of the labels ``y``."""
        return {python_scalar(c): i for i, c in enumerate(np.unique(y))}

    def _targeted_mask(self, y):
        """Whether each sample belongs to a class of ``sampling_strategy_``."""
        return np.isin(y, np.asarray(list(self.sampling_strategy_), dtype=y.dtype))

    def _non_numeric_hint(self):
        return (
            f"{type(self).__name__} measures distances between samples: encode "
            "them first (e.g. one-hot), or use RandomUnderSampler, which takes "
            "any data."
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags = SamplerTags(sample_indices=True)
        return tags


class BaseCleaningSampler(BaseUnderSampler):
    """Base class of the cleaning samplers (TomekLinks, EditedNearestNeighbours).

    A cleaning sampler removes the samples its rule selects, from the
    targeted classes only; it takes no ratio or target count and no
    ``random_state`` (its result is deterministic). ``sampling_strategy``
    names the targeted classes: ``'auto'`` (= ``'not minority'``),
    ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, or a
    list of classes. As in imbalanced-learn, ``sampling_strategy_`` maps each
    targeted class to the minority count (only its keys matter).
    """

    _sampling_type = "clean-sampling"

    _parameter_constraints: dict = {
        "sampling_strategy": [StrOptions(set(UNDER_STRING_STRATEGIES)), list],
    }

    def _root_entropy(self):
        return None
