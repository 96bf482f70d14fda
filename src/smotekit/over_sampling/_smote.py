"""SMOTE: interpolation between a minority sample and a minority neighbour."""

from numbers import Integral

import numpy as np
from sklearn.neighbors._base import KNeighborsMixin
from sklearn.utils._param_validation import HasMethods, Interval

from .._approximate import ApproximateNeighbors
from .._draws import draw_pairs
from .._neighbors import (
    ExactNeighbors,
    check_class_size,
    check_neighbors_object,
    checked_neighbor_table,
    checked_self_excluded,
    n_neighbors_of,
    neighbors_excluding_self,
)
from .._provenance import draw_into
from .._random import stream_key
from ..base import BaseOverSampler

__all__ = ["SMOTE", "class_neighbor_table"]

#: Stream purpose tag for the (seed, neighbour, gap) draws.
PAIRS = 0


def class_neighbor_table(nn_estimator, X_class, sampler_name, param_name, cls):
    """Fit ``nn_estimator`` on one class and return its self-free neighbour table.

    Parameters
    ----------
    nn_estimator : estimator with ``fit`` and ``kneighbors``
        Unfitted neighbours estimator; ``n_neighbors`` counts the point itself.
    X_class : ndarray or sparse matrix of shape (n_class, n_features)
        The class's samples.
    sampler_name, param_name : str
        For error messages.
    cls : object
        The class label, for error messages.

    Returns
    -------
    table : ndarray of shape (n_class, n_neighbors - 1)
        Positions (into ``X_class``) of each sample's nearest neighbours,
        the sample itself excluded.
    """
    n_class = X_class.shape[0]
    n_asked = n_neighbors_of(nn_estimator)
    check_class_size(n_class, n_asked - 1, sampler_name, param_name, cls)
    nn_estimator.fit(X_class)
    own = np.arange(n_class)
    if isinstance(nn_estimator, (ExactNeighbors, KNeighborsMixin)):
        # these exclude each sample from its own neighbours themselves (the
        # exact engine then searches each pair of samples only once)
        ind = nn_estimator.kneighbors(n_neighbors=n_asked - 1, return_distance=False)
        if isinstance(nn_estimator, ExactNeighbors):
            return np.asarray(ind)
        # the compiled drawing indexes the class by this table: checked first
        return checked_neighbor_table(
            ind, n_class, n_class, n_asked - 1, sampler_name, param_name, own=own
        )
    ind = nn_estimator.kneighbors(X_class, return_distance=False)
    if isinstance(nn_estimator, ApproximateNeighbors):
        return neighbors_excluding_self(np.asarray(ind))[0]
    return checked_self_excluded(ind, own, n_class, n_asked, sampler_name, param_name)[
        0
    ]


class SMOTE(BaseOverSampler):
    """Synthetic Minority Over-sampling Technique.

    Each synthetic sample lies on the segment between a sample of the class
    and one of its ``k_neighbors`` nearest neighbours of the same class (the
    sample itself excluded): ``x + gap * (neighbour - x)`` with ``gap`` uniform
    on [0, 1). The (sample, neighbour) pair is drawn uniformly among all pairs,
    as in imbalanced-learn. Each class is over-sampled from its own samples.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes. A float ``r`` (binary only) raises the minority
        class to ``int(r * n_majority)``; as in imbalanced-learn, a ratio
        that adds no sample is refused (so is any ratio when the two classes
        are tied: give a dict), and so is a bool. ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` raise those classes
        to the majority count (``'auto'`` = ``'not majority'``); a dict gives
        the final count per class; a callable ``f(y)`` returns such a dict.
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
    k_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours to interpolate towards, or a neighbours
        estimator (cloned; its ``n_neighbors`` counts the sample itself, as in
        imbalanced-learn).
    n_jobs : int, default=None
        Threads for the neighbour search (``-1`` for all cores). Does not
        change the result.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    nn_k_ : estimator
        The neighbours estimator, fitted on the last over-sampled class.
    provenance_ : Provenance
        For synthetic row ``j`` (output row ``n_samples + j``): the input rows
        ``parent[j]`` and ``neighbor[j]`` and the ``gap[j]`` it was built from.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : duplicate samples instead of interpolating.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> Counter(y.tolist())
    Counter({0: 898, 1: 102})
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> Counter(y_res.tolist())
    Counter({0: 898, 1: 898})
    >>> bool((X_res[:1000] == X).all())
    True

    Every synthetic row can be rebuilt from its provenance:

    >>> smote = SMOTE(random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> p = smote.provenance_
    >>> rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    >>> bool((rebuilt == X_res[1000:]).all())
    True
    """

    #: keeps only estimators fitted on copies of a class's rows
    _output_in_input_copy = True

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, entropy):
        name = type(self).__name__
        out = self._provenance_out(X, deferred=True)
        self.nn_k_ = check_neighbors_object(
            "k_neighbors",
            self.k_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        gap_dtype = self._gap_dtype(X)
        for cls, position, rows, n_new in self._class_targets(y):
            nn = check_neighbors_object(
                "k_neighbors",
                self.k_neighbors,
                self.n_jobs,
                sampler_name=type(self).__name__,
            )
            table = class_neighbor_table(nn, X[rows], name, "k_neighbors", cls)
            self.nn_k_ = nn
            key = stream_key(entropy, PAIRS, position)
            draw_into(out, draw_pairs, key, 0, n_new, table, rows, gap_dtype)
        return out.build()
