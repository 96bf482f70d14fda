"""What the benchmark measures: cells of the grid and the samplers compared.

A *cell* is one data set (rows, features, minority share, dtype) paired with
one sampler. A sampler is one entry of :data:`SAMPLERS`: a name mapped to
three factories, each taking the :class:`Cell`:

* ``imblearn(cell)`` returns a configured imbalanced-learn sampler;
* ``smotekit(cell)`` returns the matching smotekit sampler;
* ``data(cell, seed)`` returns ``(X, y)`` as numpy arrays (cached on disk by
  :mod:`_bench_data`, so it may be slow-ish but must be deterministic).

Factories import their library lazily, so a measurement process loads only
the library it measures. Adding a variant is one entry, e.g.::

    "borderline": SamplerSpec(
        imblearn=lambda cell: _imblearn().BorderlineSMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().BorderlineSMOTE(**_SMOTE_PARAMS),
    ),

and a variant that needs other data (SMOTENC, SMOTEN) also gives its own
``data`` factory, whose ``__name__`` becomes part of the cache file name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

__all__ = ["SAMPLERS", "Cell", "SamplerSpec", "gaussian_blobs", "text_like"]

#: Parameters shared by every SMOTE-family entry.
_SMOTE_PARAMS = {"sampling_strategy": "auto", "k_neighbors": 5, "random_state": 0}
#: Parameters of the ADASYN entry (its neighbour parameter is n_neighbors).
_ADASYN_PARAMS = {"sampling_strategy": "auto", "n_neighbors": 5, "random_state": 0}
#: Parameters of the random over-sampling entry.
_RANDOM_PARAMS = {"sampling_strategy": "auto", "random_state": 0}
#: Number of features that carry the class signal (the rest is noise).
_INFORMATIVE = 5
#: Gaussian clusters per class.
_CLUSTERS_PER_CLASS = 2


@dataclass(frozen=True)
class Cell:
    """One measurement cell: a data set and a sampler."""

    sampler: str
    n: int
    d: int
    minority: float
    dtype: str

    @property
    def data_key(self):
        """The fields that define the data set (shared by every sampler)."""
        return (self.n, self.d, self.minority, self.dtype)

    def label(self):
        """Short human-readable name, e.g. ``smote n=100k d=50 10% float32``."""
        return (
            f"{self.sampler} n={format_count(self.n)} d={self.d} "
            f"{format_share(self.minority)} {self.dtype}"
        )


def format_count(n):
    """``10000`` → ``'10k'``, ``1000000`` → ``'1M'``, other numbers unchanged."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size and n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)


def format_share(share):
    """``0.01`` → ``'1%'``."""
    return f"{share * 100:g}%"


def gaussian_blobs(cell, seed=0):
    """Two-class Gaussian clusters, like ``make_classification`` but cheap.

    Every feature is standard normal noise; the first few features are
    shifted by the centre of the row's cluster (vertices of a hypercube, two
    clusters per class), so the classes overlap as in
    ``make_classification(class_sep=1)``. Exactly ``round(n * minority)``
    rows, spread at random, belong to the minority class ``1``. The values
    are drawn in float64 and cast, so the float32 and float64 data sets hold
    the same points.

    Parameters
    ----------
    cell : Cell
        Gives ``n``, ``d``, ``minority`` and ``dtype``.
    seed : int, default=0
        Seed of the generator.

    Returns
    -------
    X : ndarray of shape (n, d), dtype ``cell.dtype``
    y : ndarray of shape (n,), int64
    """
    rng = np.random.default_rng(seed)
    n, d = cell.n, cell.d
    n_minority = round(n * cell.minority)
    y = np.zeros(n, dtype=np.int64)
    y[rng.permutation(n)[:n_minority]] = 1
    n_inf = min(d, _INFORMATIVE)
    vertices = rng.choice([-1.0, 1.0], size=(2, _CLUSTERS_PER_CLASS, n_inf))
    cluster = rng.integers(0, _CLUSTERS_PER_CLASS, size=n)
    X = rng.standard_normal((n, d))
    X[:, :n_inf] += vertices[y, cluster]
    return X.astype(cell.dtype, copy=False), y


def units_table(cell, seed=0):
    """:func:`gaussian_blobs` as a raw table holds it, columns in their own
    units: the last column a count up to a million (an amount in cents, a
    duration in seconds), the one before it a count up to a hundred (an age),
    both whole numbers; the other columns as they are. Near each other the
    rows then spread in about one dimension, where the large column decides,
    so a kd-tree finds neighbours fast at any number of features."""
    X, y = gaussian_blobs(cell, seed)
    rng = np.random.default_rng(seed + 1)
    n = cell.n
    if cell.d >= 2:
        X[:, -1] = rng.integers(0, 10**6, n)
        X[:, -2] = rng.integers(0, 100, n)
    return X, y


def flag_table(cell, seed=0):
    """:func:`gaussian_blobs` with its last column a 0/1 flag coded 0 or a
    million (a yes/no field stored in large units): each class is two far
    clusters whose rows spread in all the other dimensions, where float32
    products lose the digits that tell neighbours apart."""
    X, y = gaussian_blobs(cell, seed)
    rng = np.random.default_rng(seed + 1)
    if cell.d >= 2:
        X[:, -1] = rng.integers(0, 2, cell.n) * 1e6
    return X, y


#: Categories per column of the mixed and categorical data sets.
_CATEGORIES = 8
#: Categories of the high-cardinality column (imbalanced-learn's SMOTENC
#: densifies (n_new, k, n_categories): 1.7 GB at 20k rows, issue #768).
_MANY_CATEGORIES = 2_500


def categorical_columns(d):
    """Columns holding category codes in the mixed data sets: the last
    ``max(1, d // 5)`` (2 of 10, 10 of 50, 40 of 200)."""
    return list(range(d - max(1, d // 5), d))


def mixed_blobs(cell, seed=0):
    """:func:`gaussian_blobs` whose :func:`categorical_columns` hold integer
    category codes (8 values, cut from the Gaussian values)."""
    X, y = gaussian_blobs(cell, seed)
    cat = categorical_columns(cell.d)
    X[:, cat] = np.clip(np.floor(X[:, cat] * 2 + _CATEGORIES / 2), 0, _CATEGORIES - 1)
    return X, y


def mixed_high_cardinality(cell, seed=0):
    """:func:`mixed_blobs` whose last column holds 2,500 categories."""
    X, y = mixed_blobs(cell, seed)
    rng = np.random.default_rng(seed + 1)
    X[:, -1] = rng.integers(0, _MANY_CATEGORIES, size=len(y))
    return X, y


def categorical_codes(cell, seed=0):
    """Purely categorical data: :func:`gaussian_blobs` cut into 6 categories
    per column (the informative columns' categories depend on the class)."""
    X, y = gaussian_blobs(cell, seed)
    return np.clip(np.floor(X * 1.5 + 3), 0, 5).astype(X.dtype), y


def binary_features(cell, seed=0):
    """:func:`gaussian_blobs` cut at 0 into 0/1 features (like one-hot or
    flag columns): distances take few values, so neighbours tie often."""
    X, y = gaussian_blobs(cell, seed)
    return (X > 0).astype(X.dtype), y


#: Words (nonzero columns) drawn per row of the text-like data set.
_WORDS_PER_ROW = 20
#: The minority class's own columns, and the share of its words drawn there.
_CLASS_WORDS, _CLASS_WORD_SHARE = 50, 0.25


def text_like(cell, seed=0):
    """Sparse TF-IDF-like rows (CSR): ``cell.d`` columns (the vocabulary),
    20 words a row drawn with Zipf-like popularity (a few columns in many
    rows, most in few; a word drawn twice counts twice), positive weights,
    rows of unit length. A quarter of a minority row's words come from 50
    columns of its own. Values are drawn in float64 and cast.
    """
    from scipy import sparse

    rng = np.random.default_rng(seed)
    n, d = cell.n, cell.d
    y = np.zeros(n, dtype=np.int64)
    y[rng.permutation(n)[: round(n * cell.minority)]] = 1
    popularity = 1.0 / (np.arange(d) + 10.0)
    cols = rng.choice(d, size=(n, _WORDS_PER_ROW), p=popularity / popularity.sum())
    own = (y[:, None] == 1) & (rng.random((n, _WORDS_PER_ROW)) < _CLASS_WORD_SHARE)
    cols[own] = d - 1 - rng.integers(0, _CLASS_WORDS, size=int(own.sum()))
    weights = rng.exponential(size=(n, _WORDS_PER_ROW))
    indptr = np.arange(0, n * _WORDS_PER_ROW + 1, _WORDS_PER_ROW)
    X = sparse.csr_matrix((weights.ravel(), cols.ravel(), indptr), shape=(n, d))
    X.sum_duplicates()
    X = sparse.csr_matrix(X.multiply(1.0 / np.sqrt(X.multiply(X).sum(axis=1))))
    return X.astype(cell.dtype), y


def _imblearn():
    import imblearn.over_sampling

    return imblearn.over_sampling


def _imblearn_under():
    import imblearn.under_sampling

    return imblearn.under_sampling


def _imblearn_combine():
    import imblearn.combine

    return imblearn.combine


def _smotekit():
    import smotekit

    return smotekit


@dataclass(frozen=True)
class SamplerSpec:
    """Factories for one sampler: imbalanced-learn's, smotekit's, and its data."""

    imblearn: Callable[[Cell], Any]
    smotekit: Callable[[Cell], Any]
    data: Callable[..., tuple] = field(default=gaussian_blobs)
    #: Whether the sampler searches neighbours (what the larger warm-up
    #: sets of ``_bench_child.py`` are for).
    searches: bool = True

    def factory(self, library):
        """The sampler factory of ``library`` (``'imblearn'`` or ``'smotekit'``)."""
        if library not in ("imblearn", "smotekit"):
            raise ValueError(f"Unknown library {library!r}.")
        return getattr(self, library)


#: name → factories. Names are what ``--samplers`` accepts.
SAMPLERS = {
    "smote": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTE(**_SMOTE_PARAMS),
    ),
    "borderline1": SamplerSpec(
        imblearn=lambda cell: _imblearn().BorderlineSMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().BorderlineSMOTE(**_SMOTE_PARAMS),
    ),
    "borderline2": SamplerSpec(
        imblearn=lambda cell: _imblearn().BorderlineSMOTE(
            kind="borderline-2", **_SMOTE_PARAMS
        ),
        smotekit=lambda cell: _smotekit().BorderlineSMOTE(
            kind="borderline-2", **_SMOTE_PARAMS
        ),
    ),
    "adasyn": SamplerSpec(
        imblearn=lambda cell: _imblearn().ADASYN(**_ADASYN_PARAMS),
        smotekit=lambda cell: _smotekit().ADASYN(**_ADASYN_PARAMS),
    ),
    "svm": SamplerSpec(
        imblearn=lambda cell: _imblearn().SVMSMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SVMSMOTE(**_SMOTE_PARAMS),
    ),
    # imbalanced-learn's 'auto' threshold (0.5 for two classes) finds no
    # cluster on this data: both libraries get the minority share, which is
    # the threshold smotekit's 'auto' computes here
    "kmeans": SamplerSpec(
        imblearn=lambda cell: _imblearn().KMeansSMOTE(
            cluster_balance_threshold=cell.minority, **_RANDOM_PARAMS
        ),
        smotekit=lambda cell: _smotekit().KMeansSMOTE(
            cluster_balance_threshold=cell.minority, **_RANDOM_PARAMS
        ),
    ),
    "random": SamplerSpec(
        imblearn=lambda cell: _imblearn().RandomOverSampler(**_RANDOM_PARAMS),
        smotekit=lambda cell: _smotekit().RandomOverSampler(**_RANDOM_PARAMS),
        searches=False,
    ),
    "random-under": SamplerSpec(
        imblearn=lambda cell: _imblearn_under().RandomUnderSampler(**_RANDOM_PARAMS),
        smotekit=lambda cell: _smotekit().RandomUnderSampler(**_RANDOM_PARAMS),
        searches=False,
    ),
    "tomek": SamplerSpec(
        imblearn=lambda cell: _imblearn_under().TomekLinks(),
        smotekit=lambda cell: _smotekit().TomekLinks(),
    ),
    "enn": SamplerSpec(
        imblearn=lambda cell: _imblearn_under().EditedNearestNeighbours(),
        smotekit=lambda cell: _smotekit().EditedNearestNeighbours(),
    ),
    "smote-enn": SamplerSpec(
        imblearn=lambda cell: _imblearn_combine().SMOTEENN(**_RANDOM_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTEENN(**_RANDOM_PARAMS),
    ),
    "smote-tomek": SamplerSpec(
        imblearn=lambda cell: _imblearn_combine().SMOTETomek(**_RANDOM_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTETomek(**_RANDOM_PARAMS),
    ),
    # SMOTENC and SMOTEN get their own data (category codes as numbers)
    "smotenc": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTENC(
            categorical_columns(cell.d), **_SMOTE_PARAMS
        ),
        smotekit=lambda cell: _smotekit().SMOTENC(
            categorical_columns(cell.d), **_SMOTE_PARAMS
        ),
        data=mixed_blobs,
    ),
    "smotenc-highcard": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTENC(
            categorical_columns(cell.d), **_SMOTE_PARAMS
        ),
        smotekit=lambda cell: _smotekit().SMOTENC(
            categorical_columns(cell.d), **_SMOTE_PARAMS
        ),
        data=mixed_high_cardinality,
    ),
    "smoten": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTEN(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTEN(**_SMOTE_PARAMS),
        data=categorical_codes,
    ),
    # SMOTE on 0/1 features: exact ties between neighbours everywhere
    "smote-binary": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTE(**_SMOTE_PARAMS),
        data=binary_features,
    ),
    # SMOTE on a table whose columns keep their own units (no scaling)
    "smote-units": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTE(**_SMOTE_PARAMS),
        data=units_table,
    ),
    # SMOTE on a table with a 0/1 flag in large units (float32 cannot rank)
    "smote-flag": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTE(**_SMOTE_PARAMS),
        data=flag_table,
    ),
    # SMOTE with smotekit's opt-in approximate neighbours (faiss IVF) against
    # imbalanced-learn's exact SMOTE; recall: benchmarks/bench_approximate.py
    "smote-approx": SamplerSpec(
        imblearn=lambda cell: _imblearn().SMOTE(**_SMOTE_PARAMS),
        smotekit=lambda cell: _smotekit().SMOTE(
            **{**_SMOTE_PARAMS, "k_neighbors": _smotekit().ApproximateNeighbors(6)}
        ),
    ),
}
#: Every sampler of the Gaussian data again on sparse text-like rows (CSR in,
#: CSR out), as ``<name>-sparse``; the approximate mode takes dense rows only.
SAMPLERS.update(
    {
        f"{name}-sparse": replace(spec, data=text_like)
        for name, spec in list(SAMPLERS.items())
        if spec.data is gaussian_blobs and name != "smote-approx"
    }
)
