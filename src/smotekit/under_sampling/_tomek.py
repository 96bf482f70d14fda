"""TomekLinks: remove samples that form a Tomek link."""

from numbers import Integral

import numpy as np

from .._neighbors import ExactNeighbors
from ._base import BaseCleaningSampler

__all__ = ["TomekLinks", "tomek_links"]


def tomek_links(nearest, y):
    """Mark the samples that belong to a Tomek link.

    Two samples form a Tomek link when they are of different classes and
    each is the other's nearest neighbour.

    Parameters
    ----------
    nearest : ndarray of shape (n_samples,)
        Nearest neighbour of each sample (the sample itself excluded).
    y : ndarray of shape (n_samples,)
        Class labels.

    Returns
    -------
    in_link : ndarray of shape (n_samples,), bool

    Examples
    --------
    >>> import numpy as np
    >>> tomek_links(np.array([1, 0, 1]), np.array([0, 1, 1])).tolist()
    [True, True, False]
    """
    mutual = nearest[nearest] == np.arange(len(nearest))
    return mutual & (y[nearest] != y)


class TomekLinks(BaseCleaningSampler):
    """Under-sample by removing Tomek links.

    A Tomek link is a pair of samples of different classes that are each
    other's nearest neighbour (exact Euclidean search over all of X, each
    sample excluded from its own neighbours). The member of each link that
    belongs to a targeted class is removed (both members with
    ``sampling_strategy='all'``). Exact duplicates of different classes are
    each other's nearest neighbours, so they form a link.

    Parameters
    ----------
    sampling_strategy : str or list, default='auto'
        Classes to clean: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of classes.
    n_jobs : int, default=None
        Threads for the neighbour search (``-1`` for all cores). Does not
        change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The targeted classes (keys), each mapped to the minority count as in
        imbalanced-learn.
    sample_indices_ : ndarray of shape (n_kept,)
        Input position of every output row, in ascending order
        (``X_resampled == X[sample_indices_]``).
    nn_ : ExactNeighbors
        The neighbour search, fitted on X.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : remove samples that disagree with their neighbours.
    SMOTETomek : over-sample with SMOTE, then remove Tomek links.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import TomekLinks
    >>> X = np.array([[0.0], [1.0], [1.2], [3.0], [5.0], [6.0]])
    >>> y = np.array([0, 0, 1, 0, 1, 0])
    >>> tl = TomekLinks()
    >>> X_res, y_res = tl.fit_resample(X, y)
    >>> tl.sample_indices_.tolist()  # the links are (1, 2) and (4, 5)
    [0, 2, 3, 4]
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, entropy):
        self.nn_ = ExactNeighbors(n_neighbors=1, n_jobs=self.n_jobs).fit(X)
        nearest = self.nn_.kneighbors(return_distance=False)[:, 0]
        removed = tomek_links(nearest, y) & self._targeted_mask(y)
        return np.flatnonzero(~removed)
