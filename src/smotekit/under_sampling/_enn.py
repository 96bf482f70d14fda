"""EditedNearestNeighbours: remove samples their neighbours disagree with."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._neighbors import check_neighbors_object, n_neighbors_of
from ._base import BaseCleaningSampler
from ._neighborhood import row_neighbors

__all__ = ["EditedNearestNeighbours", "neighbours_agree"]

#: Size (cells) of the per-block class-count table of the 'mode' rule.
_MODE_BLOCK_CELLS = 2**22


def neighbours_agree(own, neighbours, n_classes, kind_sel):
    """Whether each sample's neighbours agree with its class.

    Parameters
    ----------
    own : ndarray of shape (n_queries,)
        Class code (position among the sorted classes) of each sample.
    neighbours : ndarray of shape (n_queries, k)
        Class codes of its ``k`` nearest neighbours.
    n_classes : int
        Number of classes.
    kind_sel : {'all', 'mode'}
        ``'all'``: every neighbour is of the sample's class. ``'mode'``: the
        most frequent class among the neighbours is the sample's (a tie goes
        to the first class in sorted order, as ``scipy.stats.mode`` does).

    Returns
    -------
    agree : ndarray of shape (n_queries,), bool

    Examples
    --------
    >>> import numpy as np
    >>> nn = np.array([[0, 0, 1], [1, 0, 1], [0, 1, 2]])
    >>> neighbours_agree(np.array([0, 0, 1]), nn, 3, "mode").tolist()
    [True, False, False]
    >>> neighbours_agree(np.array([0, 0, 1]), nn, 3, "all").tolist()
    [False, False, False]
    """
    if kind_sel == "all":
        return (neighbours == own[:, None]).all(axis=1)
    agree = np.empty(len(own), dtype=bool)
    block = max(1, _MODE_BLOCK_CELLS // n_classes)
    for start in range(0, len(own), block):
        stop = min(start + block, len(own))
        votes = np.zeros((stop - start, n_classes), dtype=np.int32)
        at = np.arange(stop - start)
        for column in neighbours[start:stop].T:
            votes[at, column] += 1
        agree[start:stop] = votes.argmax(axis=1) == own[start:stop]
    return agree


class EditedNearestNeighbours(BaseCleaningSampler):
    """Under-sample by removing samples that their neighbours disagree with.

    For each sample of a targeted class, its ``n_neighbors`` nearest
    neighbours are searched among all samples (the sample itself excluded;
    its exact duplicates, at distance 0, come first). With
    ``kind_sel='all'`` the sample is removed unless all of them are of its
    class; with ``kind_sel='mode'`` it is removed unless its class is the
    most frequent among them.

    Samples at the same distance are taken in row order, so the result does
    not depend on the search method or the container (imbalanced-learn
    drops the first column of a self-query, which with duplicates may be a
    duplicate instead of the sample itself).

    The kept rows come out in their original order (imbalanced-learn
    returns them grouped by class).

    Parameters
    ----------
    sampling_strategy : str or list, default='auto'
        Classes to clean: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of classes.
    n_neighbors : int or estimator with ``kneighbors``, default=3
        Number of neighbours looked at, or a neighbours estimator (cloned;
        its ``n_neighbors`` counts the sample itself, as in imbalanced-learn).
    kind_sel : {'all', 'mode'}, default='all'
        Rule deciding which samples are removed (see above).
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
    nn_ : estimator
        The neighbours estimator, fitted on the distinct samples of X.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    TomekLinks : remove pairs of nearest neighbours of different classes.
    SMOTEENN : over-sample with SMOTE, then clean with this rule.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import EditedNearestNeighbours
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [0.25], [5.0], [5.1], [5.2]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=2)
    >>> X_res, y_res = enn.fit_resample(X, y)
    >>> enn.sample_indices_.tolist()  # the samples around 0.25 disagree
    [0, 1, 5, 6, 7]
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None
    ):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, entropy):
        template = check_neighbors_object(
            "n_neighbors",
            self.n_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        k = n_neighbors_of(template) - 1
        if X.shape[0] < k + 1:
            raise ValueError(
                f"The 'n_neighbors' parameter of {type(self).__name__} asks for {k} "
                f"neighbours among all samples, so X needs at least {k + 1} "
                f"samples (a sample and its {k} neighbours); it has {X.shape[0]}. "
                f"Use between 1 and {max(X.shape[0] - 1, 1)} neighbours (an "
                "estimator's n_neighbors counts the sample itself)."
            )
        rows = np.flatnonzero(self._targeted_mask(y))
        table, self.nn_ = row_neighbors(template, X, rows, k)
        classes, codes = np.unique(y, return_inverse=True)
        agree = neighbours_agree(codes[rows], codes[table], len(classes), self.kind_sel)
        keep = np.ones(len(y), dtype=bool)
        keep[rows[~agree]] = False
        return np.flatnonzero(keep)
