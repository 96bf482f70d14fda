"""SMOTEENN: over-sample with SMOTE, then clean with Edited Nearest Neighbours."""

from ..under_sampling import EditedNearestNeighbours
from ._base import BaseCombinedSampler

__all__ = ["SMOTEENN"]


class SMOTEENN(BaseCombinedSampler):
    """Over-sample with SMOTE, then clean with Edited Nearest Neighbours.

    The over-sampler (``smote``) raises the classes to their target; then
    :class:`~smotekit.EditedNearestNeighbours` (by default with
    ``sampling_strategy='all'``, as in imbalanced-learn) removes the
    samples, original or synthetic, that their neighbours disagree with. The
    result equals ``enn.fit_resample(*smote.fit_resample(X, y))``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target of the default SMOTE; see :class:`~smotekit.SMOTE`. When
        ``smote`` is given its own ``sampling_strategy`` applies, and this one
        is only checked against ``y`` (as in imbalanced-learn).
    random_state : int, RandomState instance or None, default=None
        Seed of the default SMOTE, and of a given ``smote`` whose own
        ``random_state`` is None.
    smote : smotekit over-sampler, default=None
        Any smotekit over-sampler (``SMOTE``, ``BorderlineSMOTE``,
        ``RandomOverSampler``, ...), cloned. ``None`` means
        ``SMOTE(sampling_strategy=sampling_strategy,
        random_state=random_state, n_jobs=n_jobs)``.
    enn : EditedNearestNeighbours, default=None
        The cleaner, cloned. ``None`` means
        ``EditedNearestNeighbours(sampling_strategy='all', n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Threads for the neighbour searches of the default SMOTE and ENN.
        Does not change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples the over-sampler generated per class (a dict, like
        every over-sampler's; imbalanced-learn stores the raw parameter here).
    smote_ : over-sampler
        The fitted over-sampler.
    enn_ : EditedNearestNeighbours
        The fitted cleaner; its ``sample_indices_`` are positions in the
        over-sampled data (originals first, then the synthetic rows).
    sample_indices_ : ndarray of shape (n_output,)
        For each output row, its position in the input X if it is an original
        row, and -1 if it is a synthetic row.
    provenance_ : Provenance
        Provenance of the synthetic rows that survive the cleaning, in output
        order: synthetic row ``j`` is output row ``n_originals_kept + j``,
        ``n_originals_kept = (sample_indices_ >= 0).sum()``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTETomek : over-sample with SMOTE, then remove Tomek links.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import SMOTEENN
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> sme = SMOTEENN(random_state=0)
    >>> X_res, y_res = sme.fit_resample(X, y)
    >>> dict(sme.sampling_strategy_)
    {1: 400}
    >>> originals = sme.sample_indices_ >= 0
    >>> bool((X_res[originals] == X[sme.sample_indices_[originals]]).all())
    True
    >>> p = sme.provenance_
    >>> rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    >>> bool((X_res[~originals] == rebuilt).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseCombinedSampler._parameter_constraints,
        "enn": [EditedNearestNeighbours, None],
    }

    _cleaner_param = "enn"

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        smote=None,
        enn=None,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _default_cleaner(self):
        return EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)
