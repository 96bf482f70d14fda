"""RandomOverSampler: duplicate samples, optionally with smoothing noise."""

import math
from collections.abc import Mapping
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval

from .._draws import draw_bootstrap, draw_normal
from .._generation import round_into_range, take_provenance_into, work_dtype
from .._provenance import draw_into
from .._random import stream_key
from .._strategy import keyed_by_class
from ..base import BaseOverSampler, SamplerTags

__all__ = ["RandomOverSampler", "smoothing_scale"]

#: Stream purpose tags.
BOOTSTRAP, NOISE = 0, 1


def smoothing_scale(X_class, n_samples, shrinkage):
    """Per-feature standard deviation of the smoothed-bootstrap noise.

    ``shrinkage * h * std(X_class)`` with the rule-of-thumb bandwidth
    ``h = (4 / ((d + 2) * n)) ** (1 / (d + 4))``, ``n`` the total number of
    samples (as in imbalanced-learn).

    Examples
    --------
    >>> import numpy as np
    >>> smoothing_scale(np.array([[0.0], [2.0]]), 2, 0.0).tolist()
    [0.0]
    >>> X = np.array([[1e200, 1e-170], [1e200, 3e-170]])  # each column its own
    >>> (smoothing_scale(X, 2, 1.0) > 0).tolist()
    [False, True]
    """
    d = X_class.shape[1]
    h = (4 / ((d + 2) * n_samples)) ** (1 / (d + 4))
    if sparse.issparse(X_class):
        X_class = X_class.toarray()
    values = np.ascontiguousarray(X_class, dtype=np.float64)
    if not values.size:
        return shrinkage * h * np.zeros(d)
    # each column's own power of two, so that no column's squares leave
    # float64's range, whatever the others' magnitudes
    peaks = np.maximum(-values.min(axis=0), values.max(axis=0))
    exps = np.frexp(peaks)[1]
    if np.abs(exps).max() <= 256:
        std = np.std(values, axis=0)
    else:  # on values scaled by 2**-exp, column by column (exact)
        std = np.ldexp(np.std(np.ldexp(values, -exps), axis=0), exps)
    return shrinkage * h * std


def _draw_rows(key, start, stop, rows, gap_dtype, noise_key, scale, *, out):
    """Bootstrap rows ``start:stop`` into ``out``, with their smoothing noise
    when ``scale`` (per-feature noise scale) is given."""
    draw_bootstrap(key, start, stop, rows, gap_dtype, out=out)
    if scale is not None:
        np.multiply(draw_normal(noise_key, start, stop, len(scale)), scale,
                    out=out.noise, casting="same_kind")  # fmt: skip


class RandomOverSampler(BaseOverSampler):
    """Over-sample by drawing samples of the class at random, with replacement.

    With ``shrinkage`` it draws a smoothed bootstrap instead (ROSE): each copy
    gets Gaussian noise of standard deviation ``shrinkage * h * std`` per
    feature, ``std`` being the class's standard deviation and ``h`` a
    rule-of-thumb bandwidth.

    Without ``shrinkage`` any data goes through: strings, objects, NaN,
    datetimes, categorical pandas columns.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes; see :class:`~smotekit.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output.
    shrinkage : float or dict, default=None
        Noise factor (``>= 0``), one for all classes or ``{class: factor}``
        for every over-sampled class. ``None`` (or 0) gives plain copies.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    sample_indices_ : ndarray of shape (n_samples + n_synthetic,)
        Input row of every output row (``arange(n_samples)`` then the copies'
        sources), as in imbalanced-learn; built from ``provenance_`` when first
        read, in its index dtype (int32 below 2**31 input rows).
    shrinkage_ : dict or None
        Shrinkage factor per over-sampled class.
    provenance_ : Provenance
        Source row of each synthetic row and, with shrinkage, the noise added
        to it. A copy moves towards itself: ``neighbor`` is the ``parent``
        array itself (one array, not two equal ones) and ``gap`` is zero.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from smotekit import RandomOverSampler
    >>> X = np.arange(12).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> ros = RandomOverSampler(random_state=0)
    >>> X_res, y_res = ros.fit_resample(X, y)
    >>> Counter(y_res.tolist())
    Counter({0: 4, 1: 4})
    >>> bool(set(ros.sample_indices_[6:].tolist()) <= {4, 5})
    True
    """

    #: keeps nothing that reads X
    _output_in_input_copy = True

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "shrinkage": [Interval(Real, 0, None, closed="left"), Mapping, None],
    }

    @property
    def _requires_numeric(self):
        # plain copies take any data; the smoothed bootstrap adds numeric noise
        return self.shrinkage is not None

    @property
    def _allows_nan(self):
        return self.shrinkage is None

    def _non_numeric_hint(self):
        return (
            "RandomOverSampler with 'shrinkage' adds numeric noise: encode them, "
            "or set shrinkage=None to copy rows of any type."
        )

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _resolve_shrinkage(self, X):
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, Mapping):
            shrinkage = keyed_by_class(self.shrinkage, self.sampling_strategy_)
            missing = [c for c in self.sampling_strategy_ if c not in shrinkage]
            if missing:
                raise ValueError(
                    "The 'shrinkage' parameter of RandomOverSampler must give a "
                    "factor for every class that is over-sampled; missing: "
                    f"{', '.join(repr(c) for c in missing)}. Add them to the dict "
                    "or pass one float for all classes."
                )
            for cls, factor in shrinkage.items():
                if not isinstance(factor, Real) or not 0 <= factor < math.inf:
                    raise ValueError(
                        "The 'shrinkage' parameter of RandomOverSampler must hold "
                        f"finite factors >= 0; got {factor!r} for class {cls!r}."
                    )
        else:  # a finite float: checked with the other parameters
            shrinkage = dict.fromkeys(self.sampling_strategy_, float(self.shrinkage))
        return shrinkage

    def _fit_resample(self, X, y, entropy):
        self.shrinkage_ = self._resolve_shrinkage(X)
        gap_dtype = self._gap_dtype(X)
        noise = None if self.shrinkage_ is None else (X.shape[1], gap_dtype)
        out = self._provenance_out(X, noise=noise, copies=True, deferred=True)
        for cls, position, rows, n_new in self._class_targets(y):
            key = stream_key(entropy, BOOTSTRAP, position)
            noise_key = stream_key(entropy, NOISE, position)
            scale = None
            if self.shrinkage_ is not None:
                scale = smoothing_scale(X[rows], X.shape[0], self.shrinkage_[cls])
            draw_into(out, _draw_rows, key, 0, n_new, rows, gap_dtype, noise_key, scale)
        self._n_input_rows = X.shape[0]
        self._sample_indices = None
        return out.build()

    @property
    def sample_indices_(self):
        """Input row of every output row: ``arange(n_samples)``, then the
        source of each copy (``provenance_.parent``); built on first use."""
        parent = self.provenance_.parent  # AttributeError until fitted
        if self._sample_indices is None:
            own = np.arange(self._n_input_rows, dtype=parent.dtype)
            self._sample_indices = np.concatenate([own, parent])
        return self._sample_indices

    def _synthesize(self, X, provenance, out):
        take_provenance_into(out, X, provenance)

    def _synthesize_sparse(self, X, provenance):
        X = X.tocsr()  # a sparse array stays an array
        if provenance.noise is None:  # the originals and the copies in one take
            own = np.arange(X.shape[0], dtype=provenance.parent.dtype)
            return X[np.concatenate([own, provenance.parent])]
        rows = X[provenance.parent]
        dense = rows.toarray().astype(work_dtype(X.dtype)) + provenance.noise
        synth = sparse.csr_matrix(round_into_range(dense, X.dtype).astype(X.dtype))
        return sparse.vstack([X, synth], format="csr")

    def _synthesize_frame(self, frame, X, provenance):
        if provenance.noise is None:
            return frame.iloc[provenance.parent]
        return super()._synthesize_frame(frame, X.astype(np.float64), provenance)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags = SamplerTags(sample_indices=True)
        return tags
