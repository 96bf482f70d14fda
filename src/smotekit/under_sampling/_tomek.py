"""TomekLinks: remove samples that form a Tomek link."""

from collections.abc import Iterable
from numbers import Integral

import numpy as np

from .._neighbors import ExactNeighbors
from ._base import BaseCleaningSampler
from ._neighborhood import fit_locations, location_neighbors

__all__ = ["TomekLinks", "tomek_link_rows"]


def tomek_link_rows(X, y, n_jobs=None):
    """Mark the samples that belong to a Tomek link.

    Samples ``a`` and ``b`` of different classes form a Tomek link when no
    sample is closer to ``a`` than ``b`` is, nor closer to ``b`` than ``a``
    is (Tomek's definition; with no ties, they are each other's nearest
    neighbour). So identical samples of different classes form links, and a
    sample with an identical twin is in no link with any other point. The
    answer does not depend on how the search breaks ties.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Samples (numeric).
    y : ndarray of shape (n_samples,)
        Class labels.
    n_jobs : int, default=None
        Threads for the neighbour search.

    Returns
    -------
    in_link : ndarray of shape (n_samples,), bool
    nn : ExactNeighbors
        The search, fitted on the distinct samples.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [1.0], [3.0], [4.0]])
    >>> tomek_link_rows(X, np.array([0, 0, 1, 0, 1]))[0].tolist()
    [False, True, True, True, True]
    """
    loc, U, nn, _ = fit_locations(ExactNeighbors(n_neighbors=1, n_jobs=n_jobs), X)
    n_loc = len(loc.leaders)
    codes = np.unique(y, return_inverse=True)[1]
    sizes = loc.sizes
    in_link = np.zeros(len(codes), dtype=bool)
    if n_loc < len(codes):
        # identical samples of several classes: all of them are in links
        pairs = np.unique(loc.of_row * np.int64(codes.max() + 1) + codes)
        n_classes_at = np.bincount(pairs // (codes.max() + 1), minlength=n_loc)
        in_link = (sizes[loc.of_row] > 1) & (n_classes_at[loc.of_row] > 1)
    if n_loc > 1:
        # distinct samples: each in the other's set of nearest locations.
        # Both conditions below hold for (b, a) when they hold for (a, b), so
        # the search for the reverse pair looks among those pairs alone
        indptr, b, _ = location_neighbors(nn, U, np.arange(n_loc), 1)
        a = np.repeat(np.arange(n_loc), np.diff(indptr))
        single = (sizes[a] == 1) & (sizes[b] == 1)
        differ = codes[loc.leaders[a]] != codes[loc.leaders[b]]
        a, b = a[single & differ], b[single & differ]
        mutual = np.isin(b * n_loc + a, a * n_loc + b)
        in_link[loc.leaders[a[mutual]]] = True
    return in_link, nn


class TomekLinks(BaseCleaningSampler):
    """Under-sample by removing Tomek links.

    A Tomek link is a pair of samples of different classes that are each
    other's nearest neighbour (exact Euclidean search over all of X, each
    sample excluded from its own neighbours). The member of each link that
    belongs to a targeted class is removed (both members with
    ``sampling_strategy='all'``).

    Ties follow Tomek's definition (no sample strictly closer), so the result
    does not depend on the search method or the container: identical
    samples of different classes form links (imbalanced-learn may miss
    them), and equidistant neighbours all count.

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
        The neighbour search, fitted on the distinct samples of X.
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

    @staticmethod
    def is_tomek(y, nn_index, class_type):
        """Mark the samples of ``class_type`` in a link, from given neighbours.

        imbalanced-learn's helper, with its meaning: sample ``i`` is marked
        when its class is one of ``class_type``, its nearest neighbour
        ``nn_index[i]`` is of another class and has ``i`` as its own nearest
        neighbour. ``fit_resample`` does not use it: it finds the links
        itself, ties included (see :func:`tomek_link_rows`).

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class labels.
        nn_index : array-like of shape (n_samples,)
            Position of each sample's nearest neighbour (itself excluded).
        class_type : class label or collection of class labels
            The classes whose samples may be marked (a dict: its keys, as
            ``sampling_strategy_``).

        Returns
        -------
        is_tomek : ndarray of shape (n_samples,), bool

        Examples
        --------
        >>> TomekLinks.is_tomek([0, 0, 1], [1, 2, 1], class_type=[0]).tolist()
        [False, True, False]
        """
        y = np.asarray(y)
        nn_index = np.asarray(nn_index, dtype=np.intp)
        if nn_index.shape != y.shape:
            raise ValueError(
                "TomekLinks.is_tomek needs one nearest neighbour per sample: "
                f"nn_index has shape {nn_index.shape}, y {y.shape}."
            )
        if isinstance(class_type, Iterable) and not isinstance(
            class_type, (str, bytes)
        ):
            classes = list(class_type)  # a dict: its keys
        else:
            classes = [class_type]
        mutual = nn_index[nn_index] == np.arange(len(y))
        return np.isin(y, classes) & (y[nn_index] != y) & mutual

    def _fit_resample(self, X, y, entropy):
        in_link, self.nn_ = tomek_link_rows(X, y, self.n_jobs)
        return np.flatnonzero(~(in_link & self._targeted_mask(y)))
