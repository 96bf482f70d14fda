"""SMOTE-N: SMOTE for data with categorical features only."""

import numpy as np
from sklearn.preprocessing import OrdinalEncoder

from ._base import CategoricalOverSampler, ordinal_codes
from ._categories import MixedData
from ._search import Points, VDMMetric, neighbor_table, vdm_matrix

__all__ = ["SMOTEN", "value_probabilities"]


def value_probabilities(codes, n_categories, y):
    """``p(class | value)`` of every value of every feature.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_features)
        Category codes.
    n_categories : ndarray of shape (n_features,)
        Number of codes per feature.
    y : ndarray of shape (n_samples,)
        Labels.

    Returns
    -------
    proba : ndarray of shape (sum(n_categories), n_classes)
        Row ``offsets[f] + code`` holds the class distribution of the rows
        with that code in feature ``f`` (zeros for a code no row has).
    offsets : ndarray of shape (n_features,)

    Examples
    --------
    >>> import numpy as np
    >>> proba, _ = value_probabilities(np.array([[0], [0], [1]]), np.array([2]),
    ...                                np.array(["a", "b", "b"]))
    >>> proba.tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    _, y_codes = np.unique(y, return_inverse=True)
    y_codes = y_codes.ravel()
    n_classes = int(y_codes.max()) + 1
    offsets = np.concatenate([[0], np.cumsum(n_categories)[:-1]]).astype(np.int64)
    counts = np.zeros((int(np.sum(n_categories)), n_classes), dtype=np.float64)
    for f in range(codes.shape[1]):
        np.add.at(counts, (offsets[f] + codes[:, f], y_codes), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    proba = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return proba, offsets


def _on_precomputed(estimator):
    """``estimator`` set to search the class's precomputed VDM distances,
    or a TypeError naming ``k_neighbors`` when it cannot: without a
    ``metric`` parameter it would take each row of distances for a point."""
    params = estimator.get_params() if hasattr(estimator, "get_params") else {}
    name = type(estimator).__name__
    if "metric" not in params:
        raise TypeError(
            "The 'k_neighbors' parameter of SMOTEN must search precomputed "
            "distances (SMOTEN's neighbours are those of its Value Difference "
            f"Metric), with a 'metric' parameter set to 'precomputed'; {name} "
            "has none. Pass k_neighbors as an int k (smotekit's exact search), "
            "or a NearestNeighbors."
        )
    if params.get("algorithm") in ("kd_tree", "ball_tree"):
        raise TypeError(
            "The 'k_neighbors' parameter of SMOTEN searches precomputed VDM "
            f"distances, which {name}(algorithm={params['algorithm']!r}) cannot "
            "take; use algorithm='brute' or 'auto', or pass k_neighbors as an "
            "int k."
        )
    return estimator.set_params(metric="precomputed")


class SMOTEN(CategoricalOverSampler):
    """SMOTE for Nominal features (Chawla et al., 2002).

    For purely categorical data. A synthetic row starts from a seed sample of
    the class; each of its features takes the most frequent category among
    the seed and its ``k_neighbors`` nearest neighbours of the same class
    (a tie is broken at random). Distances are the Value Difference Metric
    of imbalanced-learn (``k=1, r=2``): the sum over features of the squared
    L1 distance between the class distributions of the two values, learnt
    from all of X and y.

    No n × n distance matrix is built (imbalanced-learn does, within each
    class): identical rows are searched once, and the search runs on the
    exact Euclidean engine over a small embedding of the class probabilities
    (exact for two classes, a certified lower bound otherwise), refined with
    the exact metric. Memory grows with the data and the output only.

    Parameters
    ----------
    categorical_encoder : estimator, default=None
        An ordinal encoder (e.g. ``OrdinalEncoder``) giving one column of
        non-negative integer codes per feature; it then defines the
        categories (a one-hot encoder, or negative codes such as
        ``encoded_missing_value=-1``, is refused). ``None`` uses smotekit's
        own codes (one per distinct value; a missing value is a category of
        its own) and fits
        ``OrdinalEncoder(dtype=np.int32)`` for ``categorical_encoder_``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
    k_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours. An :class:`~smotekit.ExactNeighbors`
        gives its ``n_neighbors`` (which counts the sample itself) and
        ``n_jobs`` to smotekit's exact search; any other estimator is cloned,
        set to ``metric="precomputed"`` and fitted, as in imbalanced-learn, on
        the class's full VDM matrix (memory quadratic in the class size). It
        must have a ``metric`` parameter that takes ``"precomputed"`` (a
        TypeError says so otherwise).
    n_jobs : int, default=None
        Threads for the neighbour search. Does not change the result.

    Attributes
    ----------
    categorical_encoder_ : estimator or None
        The fitted encoder (see ``categorical_encoder``).
    nn_k_ : estimator
        The neighbours estimator: a given one fitted on the last over-sampled
        class's Value Difference Metric distances (``metric='precomputed'``);
        for an int ``k_neighbors``, the unfitted :class:`ExactNeighbors`
        naming the search (the exact engine computes the distances it needs
        without building that matrix, which grows with the square of the
        class).
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    provenance_ : Provenance
        ``parent`` is the seed and ``neighbor`` one of its neighbours (drawn
        uniformly, as SMOTE draws its pairs); ``gap`` is 0, as nothing is
        interpolated. Every column is copied: ``copied_from[j, f]`` is the
        input row (the seed or one of its neighbours) whose value synthetic
        row ``j`` carries in feature ``f``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTENC : continuous and categorical features.

    Notes
    -----
    Differences from imbalanced-learn 0.14: a tie among the most frequent
    categories is broken at random (imbalanced-learn takes the first in the
    encoder's sorted order); neighbour ties are broken by row order; missing
    values are a category; sparse input is read column by column, without a
    warning; each value is copied from an input row, so dtypes are kept
    exactly.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> sampler = SMOTEN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [40, 40]
    >>> sorted(set(X_res[60:, 0])) <= sorted(set(X[y == 0, 0]))
    True
    """

    _allows_nan = True

    def __init__(
        self,
        categorical_encoder=None,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
    ):
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _check_X(self, X):
        data, spec = MixedData.read(X, "SMOTEN", lambda _, n: np.arange(n))
        default = OrdinalEncoder(dtype=np.int32)
        return self._fit_encoder(data, default), spec

    def _codes_from_encoding(self, encoder, encoded, part):
        return ordinal_codes(encoded, "SMOTEN")

    def _fit_resample(self, X, y, entropy):
        k, estimator, n_jobs = self._neighbors()
        if estimator is not None:
            estimator = _on_precomputed(estimator)
        proba, offsets = value_probabilities(X.codes, X.n_categories, y)
        out = self._provenance_out(X, copied_columns=X.categorical)
        for cls, position, rows, n_new in self._class_targets(y):
            self._check_class(len(rows), k, cls)
            codes = X.codes[rows]
            points = Points(codes)
            metric = VDMMetric(codes[points.first] + offsets, proba)
            if estimator is None:
                table = neighbor_table(points, metric, k, n_jobs)
            else:
                matrix = vdm_matrix(VDMMetric(codes + offsets, proba))
                table = self._custom_table(estimator, matrix, cls)
            self._generate(
                out, X, rows, table, n_new, position, entropy,
                with_seed=True, interpolate=False,
            )  # fmt: skip
        return out.build()
