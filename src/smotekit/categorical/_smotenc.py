"""SMOTE-NC: SMOTE for data with continuous and categorical features."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils._param_validation import StrOptions

from .._approximate import ApproximateNeighbors
from .._neighbors import _scale_exponent
from ._base import CategoricalOverSampler, onehot_codes
from ._categories import MixedData, is_categorical_column
from ._search import MixedMetric, Points, neighbor_table, scaled_onehot

__all__ = ["SMOTENC"]


class SMOTENC(CategoricalOverSampler):
    """SMOTE for Nominal and Continuous features (Chawla et al., 2002).

    Continuous features are interpolated as in :class:`~smotekit.SMOTE`;
    each categorical feature of a synthetic row takes the most frequent
    category among the ``k_neighbors`` nearest neighbours of its seed (a tie
    is broken at random). Neighbours are searched within the class with the
    paper's distance: Euclidean on the continuous features plus ``Med**2``
    for every categorical feature that differs, ``Med`` being the median of
    the standard deviations of the continuous features of the class.

    The search and the vote work on integer category codes, one block of
    synthetic rows at a time: memory grows with the output, not with the
    number of categories (imbalanced-learn builds a dense array of shape
    (n_new, k, n_categories)), and high-cardinality columns are cheap.

    Parameters
    ----------
    categorical_features : "auto" or array-like
        Which features are categorical: column indices (ints), column names
        (strings, for a DataFrame), a boolean mask of length ``n_features``,
        or ``"auto"`` for a DataFrame: its ``category``, ``object``,
        ``string`` and ``bool`` columns, except object columns holding only
        numbers (ints, floats, Decimals), which are continuous
        (imbalanced-learn's ``"auto"`` takes only ``category`` columns).
    categorical_encoder : estimator, default=None
        A one-hot encoder with one column per category (e.g.
        ``OneHotEncoder(handle_unknown="ignore")``); it then defines the
        categories. ``None`` uses smotekit's own codes (one per distinct
        value; a missing value is a category of its own) and fits
        ``OneHotEncoder(handle_unknown="ignore")`` for
        ``categorical_encoder_``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Target class sizes, as for :class:`~smotekit.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed. The same int gives byte-identical output, whatever ``n_jobs``.
    k_neighbors : int or estimator with ``kneighbors``, default=5
        Number of nearest neighbours. An :class:`~smotekit.ExactNeighbors`
        gives its ``n_neighbors`` (which counts the sample itself) and
        ``n_jobs`` to smotekit's exact mixed-metric search; any other
        estimator is cloned and fitted, as in imbalanced-learn, on the
        class's continuous columns next to its one-hot columns scaled to
        ``Med / sqrt(2)`` (a sparse matrix; made dense for
        :class:`~smotekit.ApproximateNeighbors`, which needs dense points).
    n_jobs : int, default=None
        Threads for the neighbour search. Does not change the result.

    Attributes
    ----------
    categorical_features_ : ndarray of int
        Indices of the categorical features (ascending).
    continuous_features_ : ndarray of int
        Indices of the continuous features (ascending).
    categorical_encoder_ : estimator or None
        The fitted encoder (see ``categorical_encoder``).
    median_std_ : dict
        ``Med`` of each over-sampled class.
    n_features_ : int
        Number of features.
    nn_k_ : estimator
        The neighbours estimator: a given one fitted on the last over-sampled
        class in the space it searched (continuous columns as they are,
        one-hot categories scaled by the class's median standard deviation);
        for an int ``k_neighbors`` (or an :class:`ExactNeighbors`), the
        unfitted estimator naming the search: the exact mixed-metric engine
        searches the columns as they are, without that encoding, and fitting
        it only for this attribute would cost a good part of the call.
    sampling_strategy_ : OrderedDict
        Number of samples generated per class.
    provenance_ : Provenance
        ``parent``, ``neighbor`` and ``gap`` give the continuous values
        (``X[parent] + gap * (X[neighbor] - X[parent])``, integers rounded);
        ``copied_columns`` are the categorical features and
        ``copied_from[j, t]`` is the input row (one of the parent's
        neighbours) whose category synthetic row ``j`` carries in feature
        ``copied_columns[t]``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : continuous features only.
    SMOTEN : categorical features only.

    Notes
    -----
    Differences from imbalanced-learn 0.14: ``"auto"`` also detects object
    (unless they hold only numbers), string and bool columns; categorical
    values are copied from an input row of the class, so their dtype is kept
    exactly and only categories observed in the class appear; NaN in a
    categorical column is a category (so is an infinite code: categories are
    compared as values, never computed with); sparse input is accepted (the
    continuous part stays sparse in the output); a continuous column of text
    is refused, numbers written as text (``"1.5"``) included, as by
    :class:`~smotekit.SMOTE` (imbalanced-learn converts those, and the
    original rows would keep their text beside synthetic floats).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from smotekit import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({
    ...     "amount": rng.normal(size=100),
    ...     "city": pd.Categorical(rng.choice(["Oslo", "Lima", "Pune"], 100)),
    ... })
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> sampler = SMOTENC(categorical_features="auto", random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [80, 80]
    >>> sampler.categorical_features_.tolist(), X_res["city"].dtype == X["city"].dtype
    ([1], True)

    Each synthetic category is copied from one of the seed's neighbours:

    >>> copied = X["city"].to_numpy()[sampler.provenance_.copied_from[:, 0]]
    >>> bool((X_res["city"].iloc[100:].to_numpy() == copied).all())
    True
    """

    _parameter_constraints: dict = {
        **CategoricalOverSampler._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"})],
    }

    def __init__(
        self,
        categorical_features,
        *,
        categorical_encoder=None,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
    ):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    # ----------------------------------------------------------------- input

    def _check_X(self, X):
        data, spec = MixedData.read(X, "SMOTENC", self._select_categorical)
        self.n_features_ = data.shape[1]
        self.categorical_features_ = data.categorical.copy()
        self.continuous_features_ = data.continuous.copy()
        dtype = data.values.dtype if data.values is not None else np.float64
        default = OneHotEncoder(handle_unknown="ignore", dtype=dtype)
        return self._fit_encoder(data, default), spec

    def _codes_from_encoding(self, encoder, encoded, part):
        sizes = [len(c) for c in encoder.categories_]
        return onehot_codes(encoded, sizes, "SMOTENC", part)

    def _select_categorical(self, X, n_features):
        selection = self.categorical_features
        is_frame = isinstance(X, pd.DataFrame)
        if isinstance(selection, str):  # "auto" (the constraints allow no other)
            if not is_frame:
                raise ValueError(
                    "When `categorical_features='auto'`, the input data should be "
                    f"a pandas.DataFrame. Got {type(X)} instead. SMOTENC detects "
                    "categorical columns from the DataFrame's dtypes (category, "
                    "object, string, bool); for other inputs pass their indices or "
                    "a boolean mask."
                )
            indices = [
                j for j in range(X.shape[1]) if is_categorical_column(X.iloc[:, j])
            ]
        else:
            indices = _column_indices(selection, X, n_features, is_frame)
        if len(indices) == n_features:
            raise ValueError(
                "SMOTE-NC is not designed to work only with categorical features. "
                f"It requires some numerical features: all {n_features} features "
                "are categorical here. Use SMOTEN for purely categorical data."
            )
        if len(indices) == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with numerical features. It "
                "requires some categorical features: categorical_features selected "
                "none. Use SMOTE for purely numerical data, or list the categorical "
                "columns."
            )
        return indices

    # -------------------------------------------------------------- resampling

    def _fit_resample(self, X, y, entropy):
        k, estimator, n_jobs = self._neighbors()
        self.median_std_ = {}
        out = self._provenance_out(X, copied_columns=X.categorical)
        for cls, position, rows, n_new in self._class_targets(y):
            self._check_class(len(rows), k, cls)
            cont = X.class_values(rows)
            # squares of extreme magnitudes overflow (the search would never
            # certify a row): measure and search them scaled by a power of
            # two, exactly, and report the median in the data's units
            exp = _scale_exponent(cont)  # cont is float64
            search = np.ldexp(cont, -exp) if exp else cont
            med_search = float(np.median(search.std(axis=0)))
            med = float(np.ldexp(med_search, exp))
            self.median_std_[cls] = med
            codes = X.codes[rows]
            if estimator is None:
                keys = np.hstack([cont.view(np.int64), codes.astype(np.int64)])
                points = Points(keys)
                metric = MixedMetric(search[points.first], codes[points.first],
                                     med_search)  # fmt: skip
                table = neighbor_table(points, metric, k, n_jobs)
            else:
                encoded = scaled_onehot(cont, codes, med)
                if isinstance(estimator, ApproximateNeighbors):
                    encoded = encoded.toarray()
                table = self._custom_table(estimator, encoded, cls)
            self._generate(
                out, X, rows, table, n_new, position, entropy,
                with_seed=False, interpolate=True,
            )  # fmt: skip
        return out.build()


def _column_indices(selection, X, n_features, is_frame):
    """Validated column indices from ints, names or a boolean mask."""
    if isinstance(selection, set | frozenset | Mapping):
        what = "a mapping" if isinstance(selection, Mapping) else "unordered"
        raise TypeError(
            "The 'categorical_features' parameter of SMOTENC must be a list of "
            "column indices, names or a boolean mask; got a "
            f"{type(selection).__name__} ({what}). Pass a list of the columns, "
            f"such as {sorted(selection, key=str)[:5]!r}."
        )
    if is_frame and _tuple_names(selection):  # of MultiIndex columns
        return _no_repeats(_named_indices(list(selection), X), selection)
    if _bools_among_others(selection):  # np.asarray would make True a 1
        raise ValueError(
            "The 'categorical_features' parameter of SMOTENC must hold column "
            "indices (ints), column names (strings) or a boolean mask, not a "
            f"mix of bools and other values; got {list(selection)[:5]}. Give "
            "each column's index, or one bool per feature."
        )
    values = _typed(np.asarray(selection))
    if values.ndim != 1:
        raise ValueError(
            "The 'categorical_features' parameter of SMOTENC must be a 1-D list of "
            f"column indices, names or a boolean mask; got shape {values.shape}."
        )
    if values.dtype.kind == "b":
        if len(values) != n_features:
            raise ValueError(
                "The boolean mask 'categorical_features' of SMOTENC must have one "
                f"entry per feature ({n_features}); got {len(values)}."
            )
        return np.flatnonzero(values).tolist()
    if len(values) == 0:
        return []
    if values.dtype.kind in "iu":
        bad = [int(v) for v in values if not -n_features <= v < n_features]
        if bad:
            raise ValueError(
                f"The 'categorical_features' parameter of SMOTENC holds column "
                f"indices out of range for X with {n_features} features: {bad}. "
                f"Use indices in [0, {n_features - 1}]."
            )
        indices = [int(v) % n_features for v in values]
    elif all(isinstance(v, str) for v in selection):
        if not is_frame:
            raise ValueError(
                "The 'categorical_features' parameter of SMOTENC holds column names "
                f"({list(selection)[:3]}), which need X to be a pandas.DataFrame; "
                f"got {type(X).__name__}. Pass column indices instead."
            )
        indices = _named_indices(list(selection), X)
    else:
        raise ValueError(
            "The 'categorical_features' parameter of SMOTENC must hold column "
            "indices (ints), column names (strings) or a boolean mask; got "
            f"{list(selection)[:5]}."
        )
    return _no_repeats(indices, selection)


def _bools_among_others(selection):
    """Whether the list or tuple ``selection`` holds bools beside values
    that are not bools."""
    if not isinstance(selection, list | tuple):
        return False
    bools = [isinstance(v, bool | np.bool_) for v in selection]
    return any(bools) and not all(bools)


def _tuple_names(selection):
    """Whether ``selection`` is a non-empty list of tuples (the names of
    MultiIndex columns, which ``np.asarray`` would turn into a 2-D array)."""
    return (
        isinstance(selection, list | tuple)
        and len(selection) > 0
        and all(isinstance(v, tuple) for v in selection)
    )


def _named_indices(names, X):
    """Positions of the columns ``names`` of the DataFrame ``X``."""
    columns = list(X.columns)
    missing = [name for name in names if name not in columns]
    if missing:
        raise ValueError(
            f"The 'categorical_features' parameter of SMOTENC names columns "
            f"that X does not have: {missing}. X's columns are "
            f"{columns[:10]}{' ...' if len(columns) > 10 else ''}."
        )
    shared = [name for name in names if columns.count(name) > 1]
    if shared:
        raise ValueError(
            "The 'categorical_features' parameter of SMOTENC names columns "
            f"that X has more than once: {shared} (X's columns are "
            f"{columns[:10]}{' ...' if len(columns) > 10 else ''}), so the "
            "name does not tell which column is meant. Give the columns "
            "unique names, or select them by position."
        )
    return [columns.index(name) for name in names]


def _no_repeats(indices, selection):
    if len(set(indices)) != len(indices):
        raise ValueError(
            "The 'categorical_features' parameter of SMOTENC lists the same "
            f"column more than once: {list(selection)}. List each column once."
        )
    return indices


def _typed(values):
    """An object array of Python ints (or bools) as an int (or bool) array;
    other arrays as they are."""
    if values.dtype != object or values.ndim != 1 or not len(values):
        return values
    if all(isinstance(v, bool | np.bool_) for v in values):
        return values.astype(bool)
    if all(
        isinstance(v, Integral) and not isinstance(v, bool | np.bool_) for v in values
    ):
        return values.astype(np.int64)
    return values
