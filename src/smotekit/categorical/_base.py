"""What SMOTENC and SMOTEN share: reading X, the neighbours, the vote.

A synthetic row of either sampler is drawn like a SMOTE row: a (seed,
neighbour) pair uniform over the class's neighbour table, and a gap. Each
categorical value is then chosen by a vote among the seed's neighbours
(:func:`~smotekit.categorical._kernels.vote_sources`), ties broken by a
random word of the synthetic row, and copied from the nearest voter that
carries it. The draws of synthetic row ``i`` of a class depend only on the
seed, the class and ``i``.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval

from .. import _blocks
from .._draws import draw_pairs
from .._generation import work_dtype
from .._neighbors import (
    ExactNeighbors,
    check_class_size,
    check_neighbors_object,
    n_neighbors_of,
)
from .._provenance import Provenance
from .._random import stream_key, uniform_words
from ..base import BaseOverSampler
from ..over_sampling._smote import class_neighbor_table
from ._kernels import vote_sources

__all__ = ["CategoricalOverSampler"]

#: Stream purpose tags: the (seed, neighbour, gap) draws and the tie-breaks.
PAIRS = 0
VOTES = 1


class CategoricalOverSampler(BaseOverSampler):
    """Base of SMOTENC and SMOTEN (not a public class).

    Subclasses implement ``_check_X`` (X → :class:`MixedData` with codes,
    via :meth:`_fit_encoder`), ``_codes_from_encoding`` (for a user's
    encoder) and ``_fit_resample``.
    """

    _requires_numeric = False

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "categorical_encoder": [
            HasMethods(["fit_transform", "inverse_transform"]),
            None,
        ],
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors"]),
        ],
        "n_jobs": [Integral, None],
    }

    # ----------------------------------------------------------------- input

    def _fit_encoder(self, data, default):
        """Fit the categorical encoder; return the codes of the rows.

        With no ``categorical_encoder``, the codes are smotekit's own (one per
        distinct value) and ``default`` is fitted on one row per category, so
        it learns the same categories as on the whole data at a fraction of
        the cost (``None`` when scikit-learn's encoders reject the values,
        e.g. strings mixed with numbers).
        """
        if self.categorical_encoder is None:
            data.factorize(type(self).__name__)
            try:
                default.fit(data.categorical_part(data.representative_rows()))
            except (TypeError, ValueError):
                default = None
            self.categorical_encoder_ = default
            return data
        encoder = clone(self.categorical_encoder)
        part = data.categorical_part()
        encoded = encoder.fit_transform(part)
        self.categorical_encoder_ = encoder
        codes, n_categories = self._codes_from_encoding(encoder, encoded, part)
        if codes.shape != part.shape:
            # the compiled steps index the categorical columns by these codes
            raise ValueError(
                f"{type(self).__name__} requires the `categorical_encoder` to "
                "encode each categorical feature as one column of category codes "
                f"(like OrdinalEncoder); {type(encoder).__name__} turned "
                f"{part.shape[1]} feature(s) of {part.shape[0]} rows into "
                f"{encoded.shape[1]} column(s) of {encoded.shape[0]} rows."
            )
        data.codes, data.n_categories = codes, n_categories
        return data

    # ------------------------------------------------------------- neighbours

    def _neighbors(self):
        """``(k, estimator or None, n_jobs)``; None means the exact engine."""
        nn = check_neighbors_object(
            "k_neighbors",
            self.k_neighbors,
            self.n_jobs,
            sampler_name=type(self).__name__,
        )
        self.nn_k_ = nn
        k = n_neighbors_of(nn) - 1
        if isinstance(nn, ExactNeighbors):
            return k, None, nn.n_jobs
        return k, nn, self.n_jobs

    def _custom_table(self, estimator, X_class, cls):
        """Neighbour table from the user's estimator (fitted on ``X_class``)."""
        nn = clone(estimator)
        self.nn_k_ = nn
        return class_neighbor_table(
            nn, X_class, type(self).__name__, "k_neighbors", cls
        )

    def _check_class(self, n_class, k, cls):
        check_class_size(n_class, k, type(self).__name__, "k_neighbors", cls)

    # -------------------------------------------------------------- generation

    def _generate(self, out, data, rows, table, n_new, position, entropy, *, with_seed,
                  interpolate):  # fmt: skip
        """Write the provenance of the ``n_new`` synthetic rows of one class
        into the :class:`ProvenanceBuilder` ``out``.

        ``with_seed`` adds the seed to the voters (SMOTEN), ``interpolate``
        keeps the gaps (SMOTENC; SMOTEN's rows are not interpolated: gap 0).
        """
        pairs_key = stream_key(entropy, PAIRS, position)
        votes_key = stream_key(entropy, VOTES, position)
        n_cat = len(data.categorical)
        gap_dtype = work_dtype(data.dtype)
        for start in range(0, n_new, _blocks.BLOCK_ROWS):
            stop = min(start + _blocks.BLOCK_ROWS, n_new)
            pairs = draw_pairs(pairs_key, start, stop, table, rows, gap_dtype)
            seed_pos = np.searchsorted(rows, pairs.parent)
            voters = rows[table[seed_pos]]
            if with_seed:
                voters = np.column_stack([pairs.parent, voters])
            voters = np.ascontiguousarray(voters, dtype=np.int64)
            words = uniform_words(votes_key, start, stop, words_per_row=n_cat)
            sources = np.empty((stop - start, n_cat), dtype=np.int64)
            vote_sources(data.codes, voters, words, sources)
            gap = pairs.gap if interpolate else np.zeros_like(pairs.gap)
            out.add(
                Provenance(
                    pairs.parent, pairs.neighbor, gap, None, data.categorical, sources
                )
            )

    # ------------------------------------------------------------------ output

    def _assemble_X(self, X, X_array, spec, provenance):
        return X_array.assemble(spec, provenance)


def onehot_codes(encoded, sizes, sampler_name, part=None):
    """Category codes from a one-hot encoding with ``sizes`` columns per feature
    (``part``: the encoded values, named in the error when a row has no
    category or several)."""
    encoded = sparse.csr_matrix(encoded)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    if encoded.shape[1] != offsets[-1]:
        cause = (
            "This happens when the encoder is not a one-hot encoder (an "
            "OrdinalEncoder or a TargetEncoder gives one column per feature)"
            if encoded.shape[1] == len(sizes)
            else "This happens when the encoder drops columns (e.g. "
            "`OneHotEncoder(drop=...)`) or merges infrequent categories"
        )
        raise ValueError(
            f"{sampler_name} requires a one-hot encoding with one column per "
            "category for the categorical features. The provided "
            f"`categorical_encoder` produced {encoded.shape[1]} columns for "
            f"{offsets[-1]} categories. {cause}, which is not supported. Pass "
            "an encoder that keeps all categories, such as "
            "`OneHotEncoder(handle_unknown='ignore')`."
        )
    encoded.eliminate_zeros()
    n, q = encoded.shape[0], len(sizes)
    row = np.repeat(np.arange(n), np.diff(encoded.indptr))
    feature = np.searchsorted(offsets, encoded.indices, side="right") - 1
    counts = np.zeros((n, q), dtype=np.int64)
    np.add.at(counts, (row, feature), 1)
    if not (counts == 1).all():
        r, f = np.argwhere(counts != 1)[0]
        raise ValueError(
            f"{sampler_name} requires the `categorical_encoder` to give every row "
            f"exactly one active column per categorical feature; "
            f"{_named_value(part, r, f)} was given {counts[r, f]}. An encoder with a "
            "fixed list of categories must list every value of the data (or let "
            "it learn them: `categories='auto'`), and must not merge or drop "
            "categories: `OneHotEncoder(handle_unknown='ignore')` does both."
        )
    codes = np.empty((n, q), dtype=np.int32)
    codes[row, feature] = encoded.indices - offsets[feature]
    return codes, np.asarray(sizes, dtype=np.int64)


def _named_value(part, row, feature):
    """'the value 'z' of column 'c' (row 3)', from the encoded values."""
    if part is None:
        return f"row {row} of categorical feature {feature}"
    if isinstance(part, pd.DataFrame):
        return (
            f"the value {part.iloc[row, feature]!r} of column "
            f"{part.columns[feature]!r} (row {row})"
        )
    return (
        f"the value {part[row, feature]!r} of categorical feature {feature} (row {row})"
    )


def ordinal_codes(encoded, sampler_name):
    """Category codes from an ordinal encoding (missing values get a code)."""
    encoded = encoded.toarray() if sparse.issparse(encoded) else np.asarray(encoded)
    encoded = encoded.astype(np.float64)
    codes = np.empty(encoded.shape, dtype=np.int32)
    sizes = np.empty(encoded.shape[1], dtype=np.int64)
    for f in range(encoded.shape[1]):
        column = encoded[:, f]
        missing = np.isnan(column)
        valid = column[~missing]
        bad = ~np.isfinite(valid) | (valid < 0) | (valid != np.round(valid))
        if bad.any():
            raise ValueError(
                f"{sampler_name} requires the `categorical_encoder` to encode each "
                "category as a non-negative integer (like OrdinalEncoder); column "
                f"{f} holds other values (such as {valid[bad][0]!r})."
            )
        top = int(valid.max()) + 1 if len(valid) else 0
        if top > max(2 * len(column), 1 << 16):
            # codes index the category counts: far-apart ones are renumbered
            # in their order (a code only tells which rows share a category)
            distinct, dense = np.unique(valid, return_inverse=True)
            column = column.copy()
            column[~missing] = dense
            top = len(distinct)
        codes[:, f] = np.where(missing, top, column)
        sizes[f] = top + missing.any()
    return codes, sizes
