"""The sampler base: ``fit_resample`` → ``_fit_resample``.

:class:`BaseSampler` does what is the same for every sampler: parameter
validation, input checks (X, y and their containers), resolving the sampling
target, seeding, forgetting a previous fit, feature names and tags.

:class:`BaseOverSampler` adds the over-sampling contract: a variant
implements ``_fit_resample``, which only decides where each synthetic row
comes from (its :class:`~smotekit.Provenance`); the base then builds the rows
and assembles the output in the user's container with the original rows
first, unchanged and in order. The under-samplers
(:mod:`smotekit.under_sampling`) and the combinations
(:mod:`smotekit.combine`) build on :class:`BaseSampler` the same way.
"""

from abc import ABCMeta, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._tags import InputTags, Tags, TargetTags

from . import _data, _pages
from ._generation import (
    copy_rows_into,
    interpolate_provenance_into,
    interpolate_sparse,
    work_dtype,
)
from ._pandas_in import accepts_any_pandas
from ._params import CachedParamNames
from ._polars import accepts_polars
from ._provenance import ProvenanceBuilder, index_dtype
from ._random import make_root_entropy
from ._strategy import STRING_STRATEGIES, resolve_sampling_strategy
from ._threads import check_n_jobs

__all__ = [
    "BaseOverSampler",
    "BaseSampler",
    "SamplerTags",
    "SmotekitInputTags",
    "SmotekitTags",
]


@dataclass(slots=True)
class SamplerTags:
    """Sampler-specific tags (read by imbalanced-learn's common checks)."""

    sample_indices: bool = False


@dataclass(slots=True)
class SmotekitInputTags(InputTags):
    """Input tags, with the ``dataframe`` flag imbalanced-learn reads."""

    dataframe: bool = True


@dataclass(slots=True)
class SmotekitTags(Tags):
    """scikit-learn tags plus ``sampler_tags``."""

    sampler_tags: SamplerTags = field(default_factory=SamplerTags)


class BaseSampler(
    CachedParamNames, OneToOneFeatureMixin, BaseEstimator, metaclass=ABCMeta
):
    """Base class of every sampler.

    It validates the parameters (``_parameter_constraints``, merged by each
    subclass with its parent's), X and y, resolves ``sampling_strategy``
    with the rules of ``_sampling_type`` (``'over-sampling'``,
    ``'under-sampling'`` or ``'clean-sampling'``, as in imbalanced-learn),
    forgets what a previous call learnt, records ``n_features_in_`` and
    ``feature_names_in_``, and declares the tags. Each family defines
    ``fit_resample``.
    """

    #: How ``sampling_strategy`` is read (see :mod:`smotekit._strategy`).
    _sampling_type = "over-sampling"

    _parameter_constraints: dict = {}

    #: Whether X must be numeric (False lets strings and objects through).
    _requires_numeric = True
    #: Whether NaN/inf values in X are accepted.
    _allows_nan = False

    @accepts_polars
    @accepts_any_pandas
    def fit(self, X, y):
        """Check the inputs and resolve the sampling target, without resampling.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The sampler, with ``sampling_strategy_`` set.
        """
        self._check_inputs(X, y)
        return self

    @abstractmethod
    def fit_resample(self, X, y):
        """Resample the data set; each family of samplers defines it."""

    def _root_entropy(self):
        """Root entropy of one call, from ``random_state``."""
        return make_root_entropy(self.random_state)

    # --------------------------------------------------------------- validation

    def _reset_fitted_state(self):
        """Forget what a previous call learnt (``provenance_``, ``nn_k_``, ...)."""
        for attr in [a for a in vars(self) if a.endswith("_") and a[0] != "_"]:
            delattr(self, attr)

    #: Whether the output may be built in the array that holds the row-major
    #: copy of X the input checks make (a DataFrame's columns, an array of
    #: another layout; see :func:`smotekit._data.check_X`'s ``room``): X's
    #: rows are then copied once, not twice. Only for samplers that keep
    #: nothing reading X after the call (an estimator fitted on X itself
    #: would read the output's rows).
    _output_in_input_copy = False

    def _check_inputs(self, X, y, *, output_room=False):
        """Validate the inputs and resolve ``sampling_strategy_``; with
        ``output_room`` (``fit_resample``), leave room for the output after
        a row-major copy of X (``_output_in_input_copy``)."""
        self._validate_params()
        check_n_jobs(self)
        self._reset_fitted_state()
        name = type(self).__name__
        early = self._targets_before_X(X, y) if output_room else None
        if early is None:
            X_array, x_spec = self._check_X(X)
            labels, y_spec = _data.check_y(y, name)
        else:
            labels, y_spec, strategy = early
            X_array, x_spec = self._check_X(X, room=sum(strategy.values()))
        _data.check_lengths(X_array, labels, name)
        self.n_features_in_ = X_array.shape[1]
        if x_spec.columns is not None and all(
            isinstance(c, str) for c in x_spec.columns
        ):
            self.feature_names_in_ = np.asarray(list(x_spec.columns), dtype=object)
        # every class of y in sorted order: a class's position keys its streams
        self._classes = list(y_spec.counts)
        if early is None:
            strategy = self._resolve_sampling_strategy(labels, y_spec.counts)
        self.sampling_strategy_ = strategy
        return X_array, x_spec, labels, y_spec

    def _targets_before_X(self, X, y):
        """``(labels, y_spec, strategy)``, resolved before X is read so that
        its row-major copy can leave room for the output: for samplers with
        ``_output_in_input_copy``, when X is a DataFrame or a 2-D array not
        row-major. None otherwise, and when y or the strategy is refused:
        then refused after X is checked, in the usual order."""
        if not self._output_in_input_copy:
            return None
        if not isinstance(X, pd.DataFrame) and not (
            isinstance(X, np.ndarray) and X.ndim == 2 and not X.flags.c_contiguous
        ):
            return None
        try:
            labels, y_spec = _data.check_y(y, type(self).__name__)
            strategy = self._resolve_sampling_strategy(labels, y_spec.counts)
        except Exception:  # raised again, in the usual order, below
            return None
        return labels, y_spec, strategy

    def _check_X(self, X, room=0):
        """Validate X: ``(X_array, spec)`` for ``_fit_resample`` and the output
        (``room``: see :func:`smotekit._data.check_X`).

        Samplers that read the columns themselves (SMOTENC, SMOTEN) override
        it; ``X_array`` then only needs a ``shape``.
        """
        return _data.check_X(
            X,
            type(self).__name__,
            numeric=self._requires_numeric,
            allow_nan=self._allows_nan,
            non_numeric_hint=self._non_numeric_hint(),
            room=room,
        )

    def _resolve_sampling_strategy(self, y, counts=None):
        """``sampling_strategy`` as a ``{class: count}`` dict for these labels
        (``counts``: their class counts, when known)."""
        return resolve_sampling_strategy(
            self.sampling_strategy,
            y,
            type(self).__name__,
            self._sampling_type,
            counts=counts,
        )

    def _non_numeric_hint(self):
        return (
            "Encode them (e.g. one-hot), or use SMOTENC for mixed numeric/"
            "categorical data."
        )

    def __sklearn_tags__(self):
        base = super().__sklearn_tags__()
        return SmotekitTags(
            estimator_type="sampler",
            target_tags=TargetTags(required=True),
            transformer_tags=None,
            regressor_tags=None,
            classifier_tags=None,
            input_tags=SmotekitInputTags(
                sparse=True,
                allow_nan=self._allows_nan,
                string=not self._requires_numeric,
            ),
            array_api_support=base.array_api_support,
            non_deterministic=base.non_deterministic,
            requires_fit=base.requires_fit,
            sampler_tags=SamplerTags(),
        )


class BaseOverSampler(BaseSampler):
    """Base class of every over-sampler.

    Subclasses store their parameters in ``__init__`` (keyword-only, no
    checks), declare ``_parameter_constraints`` (merged with this class's) and
    implement :meth:`_fit_resample`.
    """

    _sampling_type = "over-sampling"

    _parameter_constraints: dict = {
        "sampling_strategy": [
            Interval(Real, 0, 1, closed="right"),
            StrOptions(set(STRING_STRATEGIES)),
            Mapping,
            callable,
        ],
        "random_state": ["random_state"],
    }

    @accepts_polars
    @accepts_any_pandas
    def fit_resample(self, X, y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Features. The output has the same type (and dtype, columns,
            sparse format).
        y : array-like of shape (n_samples,)
            Class labels. The output has the same type.

        Returns
        -------
        X_resampled : same type as X, shape (n_samples + n_synthetic, n_features)
            The original rows, unchanged and in order, then the synthetic rows
            grouped by class in sorted class order.
        y_resampled : same type as y
            The matching labels.
        """
        X_array, x_spec, labels, y_spec = self._check_inputs(X, y, output_room=True)
        entropy = self._root_entropy()
        provenance = self._fit_resample(X_array, labels, entropy)
        self._check_count(provenance)
        X_out = self._assemble_X(X, X_array, x_spec, provenance)
        # drawn again when read: the arrays are freed before y is built
        self.provenance_ = provenance = provenance.released()
        y_out = _data.assemble_y(y_spec, labels, self.sampling_strategy_)
        return _data.keep_attrs(X_out, X), _data.keep_attrs(y_out, y)

    @abstractmethod
    def _fit_resample(self, X, y, entropy):
        """Decide where every synthetic row comes from.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
            Validated features.
        y : ndarray of shape (n_samples,)
            Validated labels.
        entropy : tuple of int
            Root entropy of this call, for :func:`smotekit._random.stream_key`.

        Returns
        -------
        provenance : Provenance
            One entry per synthetic row, classes in ``sampling_strategy_``
            order, exactly ``sampling_strategy_[c]`` rows for class ``c``.
        """

    # ------------------------------------------------------------ building rows

    def _synthesize(self, X, provenance, out):
        """Write the synthetic rows of a dense ``X`` into ``out``."""
        interpolate_provenance_into(out, X, provenance)

    def _synthesize_sparse(self, X, provenance):
        """Return the rows of a sparse ``X``, then the synthetic rows, as one
        CSR matrix."""
        return interpolate_sparse(
            X, provenance.parent, provenance.neighbor, provenance.gap, head=True
        )

    def _synthesize_frame(self, frame, X, provenance):
        """Return the synthetic rows of a DataFrame as a DataFrame."""
        values = self._synthetic_values(X, provenance)
        return _data.synthetic_columns(frame, values, provenance)

    def _synthetic_values(self, X, provenance):
        """The synthetic rows of a dense ``X`` in its working float dtype."""
        values = _pages.output((len(provenance), X.shape[1]), work_dtype(X.dtype))
        _pages.fill(values, lambda: self._synthesize(X, provenance, values))
        return values

    def _assemble_X(self, X, X_array, spec, provenance):
        if spec.kind == "pandas":
            if _data.stored_as(spec.frame, X_array.dtype):
                # the matrix holds the columns exactly: the rows are built as
                # for an array, and the frame wraps them without a copy
                out = self._dense_rows(X_array, provenance, spec.buffer)
                return _data.frame_of_rows(spec.frame, out)
            if _data.numbers_only(spec.frame, provenance, X_array):  # a block per dtype
                values = self._synthetic_values(X_array, provenance)
                return _data.numeric_frame(spec.frame, values, provenance)
            synth = self._synthesize_frame(spec.frame, X_array, provenance)
            return _data.concat_frames(spec.frame, synth)
        if spec.kind in ("sparse", "pandas_sparse"):
            out = self._synthesize_sparse(X_array, provenance)
            out = out.astype(X_array.dtype, copy=False).asformat(spec.sparse_format)
            if spec.kind == "pandas_sparse":
                return _data.assemble_sparse_frame(spec, out)
            return out
        out = self._dense_rows(X_array, provenance, spec.buffer)
        return out.tolist() if spec.kind == "list" else out

    def _dense_rows(self, X_array, provenance, buffer=None):
        """The rows of a dense ``X_array``, then the synthetic rows, in one
        new array of its dtype: ``buffer``, when ``X_array`` is its head and
        it has room for the synthetic rows (only those are written then)."""
        n, n_new = X_array.shape[0], len(provenance)
        shape = (n + n_new, X_array.shape[1])
        if (
            buffer is not None
            and buffer.shape == shape
            and buffer.dtype == X_array.dtype
            and buffer[:n].ctypes.data == X_array.ctypes.data
        ):
            tail = buffer[n:]
            _pages.fill(tail, lambda: self._synthesize(X_array, provenance, tail))
            return buffer
        out = _pages.output(shape, X_array.dtype)

        def write():
            copy_rows_into(out[:n], X_array)
            self._synthesize(X_array, provenance, out[n:])

        _pages.fill(out, write)
        return out

    def _check_count(self, provenance):
        expected = sum(self.sampling_strategy_.values())
        if len(provenance) != expected:  # pragma: no cover - internal invariant
            raise RuntimeError(
                f"{type(self).__name__} built {len(provenance)} synthetic rows "
                f"instead of {expected}; please report this bug."
            )

    def _class_targets(self, y):
        """Yield ``(class, class position, row indices, n_new)`` per targeted
        class; the row indices have the provenance's compact index dtype."""
        classes = self._classes
        idx = index_dtype(len(y))
        for cls, n_new in self.sampling_strategy_.items():
            if n_new <= 0:
                continue
            rows = np.flatnonzero(y == cls).astype(idx, copy=False)
            if not len(rows):  # pragma: no cover - the compiled draws need rows
                raise RuntimeError(
                    f"{type(self).__name__} found no sample of class {cls!r} to "
                    "draw from; please report this bug."
                )
            yield cls, classes.index(cls), rows, n_new

    def _gap_dtype(self, X):
        return work_dtype(X.dtype)

    def _provenance_out(self, X, **kwargs):
        """A :class:`ProvenanceBuilder` sized for every synthetic row of this
        call (``kwargs``: its ``noise`` / ``copied_columns``)."""
        n_synthetic = sum(max(n, 0) for n in self.sampling_strategy_.values())
        return ProvenanceBuilder(n_synthetic, X.shape[0], self._gap_dtype(X), **kwargs)
