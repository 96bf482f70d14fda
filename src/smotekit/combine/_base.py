"""The base of the combinations: over-sample, then clean.

A combination runs an over-sampler (``smote``, any smotekit over-sampler)
and then a cleaning sampler on its output, exactly as if the user had called
one after the other: ``combo.fit_resample(X, y)`` returns
``cleaner.fit_resample(*over_sampler.fit_resample(X, y))``. It records
where every output row comes from.
"""

from abc import abstractmethod
from dataclasses import fields, replace
from numbers import Integral

import numpy as np
from sklearn.base import clone

from .._pandas_in import accepts_any_pandas
from .._polars import accepts_polars
from .._provenance import Provenance
from ..base import BaseOverSampler, BaseSampler, SamplerTags
from ..over_sampling._smote import SMOTE

__all__ = ["BaseCombinedSampler", "take_provenance"]


def take_provenance(provenance, rows):
    """The provenance of the synthetic rows ``rows`` only, in that order.

    Every per-row field (``parent``, ``neighbor``, ``gap``, ``noise``, ...)
    is subset; fields that are ``None`` stay ``None``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import Provenance
    >>> p = Provenance(np.array([4, 5, 6]), np.array([7, 8, 9]), np.zeros(3))
    >>> take_provenance(p, np.array([2, 0])).parent.tolist()
    [6, 4]
    """
    subset = {
        f.name: getattr(provenance, f.name)[rows]
        for f in fields(provenance)
        # copied_columns (SMOTENC, SMOTEN) describes columns, not rows
        if getattr(provenance, f.name) is not None and f.name != "copied_columns"
    }
    return replace(provenance, **subset)


class _Subset:
    """The subset :func:`take_provenance` of a provenance, taken when first
    read (see :meth:`~smotekit.Provenance.pending`)."""

    def __init__(self, provenance, rows):
        self.n = len(rows)
        self._provenance = provenance
        self._rows = rows

    def __call__(self):
        return take_provenance(self._provenance, self._rows)


class BaseCombinedSampler(BaseSampler):
    """Base class of the over-sample-then-clean combinations.

    ``sampling_strategy_`` is the over-sampler's resolved target, a dict
    ``{class: number of samples generated}`` like every over-sampler's (the
    cleaning step then removes samples, so the final counts are at most the
    over-sampled ones).

    Subclasses declare the cleaner's parameter name (``_cleaner_param``) and
    build the default cleaner in :meth:`_default_cleaner`.
    """

    _sampling_type = "over-sampling"

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "smote": [BaseOverSampler, None],
        "n_jobs": [Integral, None],
    }

    #: Name of the cleaner's parameter (``'enn'``, ``'tomek'``); the fitted
    #: cleaner is stored under the same name with a trailing underscore.
    _cleaner_param = None

    @abstractmethod
    def _default_cleaner(self):
        """The cleaner used when its parameter is None."""

    def _over_sampler(self):
        """The over-sampler to run: ``smote`` (cloned) or a default SMOTE.

        A given over-sampler keeps its own ``sampling_strategy`` (as in
        imbalanced-learn); when its ``random_state`` is None it gets the
        combination's, so that a seeded combination is reproducible.
        """
        if self.smote is None:
            return SMOTE(
                sampling_strategy=self.sampling_strategy,
                random_state=self.random_state,
                n_jobs=self.n_jobs,
            )
        smote = clone(self.smote)
        if smote.get_params().get("random_state", 0) is None:
            smote.set_params(random_state=self.random_state)
        return smote

    def _cleaner(self):
        given = getattr(self, self._cleaner_param)
        return self._default_cleaner() if given is None else clone(given)

    def _resolve_sampling_strategy(self, y, counts=None):
        self.smote_ = self._over_sampler()
        setattr(self, f"{self._cleaner_param}_", self._cleaner())
        own = super()._resolve_sampling_strategy(y, counts)
        if self.smote is None:
            return own
        # the given over-sampler's target is the one used; the combination's
        # own is still checked against y (a wrong one is an error, as in
        # imbalanced-learn, not silently ignored)
        self.smote_._validate_params()
        return self.smote_._resolve_sampling_strategy(y, counts)

    def _non_numeric_hint(self):
        cleaner = type(self._cleaner()).__name__
        return (
            f"{type(self).__name__} cleans with {cleaner}, which measures "
            "distances between samples, whatever the over-sampler: encode them "
            "first (e.g. one-hot), or for mixed or categorical data use SMOTENC "
            "or SMOTEN on their own."
        )

    @accepts_polars
    @accepts_any_pandas
    def fit_resample(self, X, y):
        """Over-sample, then clean the over-sampled data.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Features. The output has the same type (and dtype, columns,
            sparse format; a DataFrame keeps the index labels of the original
            rows and gives the synthetic rows the labels the over-sampler
            gave them).
        y : array-like of shape (n_samples,)
            Class labels. The output has the same type.

        Returns
        -------
        X_resampled : same type as X
            The original rows that survive the cleaning, unchanged and in
            order, then the synthetic rows that survive it, in the
            over-sampler's order.
        y_resampled : same type as y
            The matching labels.
        """
        X_array, _, _, _ = self._check_inputs(X, y)
        cleaner = getattr(self, f"{self._cleaner_param}_")
        X_over, y_over = self.smote_.fit_resample(X, y)
        X_out, y_out = cleaner.fit_resample(X_over, y_over)
        n = X_array.shape[0]
        kept = cleaner.sample_indices_
        self.sample_indices_ = np.where(kept < n, kept, -1)
        # taken when read: the over-sampler's provenance is drawn only then
        self.provenance_ = Provenance.pending(
            _Subset(self.smote_.provenance_, kept[kept >= n] - n)
        )
        return X_out, y_out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags = SamplerTags(sample_indices=True)
        return tags
