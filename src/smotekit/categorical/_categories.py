"""Categorical data as SMOTENC and SMOTEN see it: integer codes plus numbers.

:class:`MixedData` reads the user's X column by column, without converting
the whole table to one dtype: each categorical column becomes integer codes
(one per distinct value, missing values being a category of their own), the
continuous columns become one float matrix (or a CSR matrix for sparse
input). Synthetic rows are written back column by column: continuous values
are interpolated and cast to the column's dtype (integers rounded), and a
categorical value is *copied* from the input row that carries the chosen
category, so every categorical column keeps its dtype (category, object,
string, bool, ...) and only holds values that occur in the data.
"""

import numbers
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from scipy import sparse

from .. import _data
from .._decimals import is_arrow_decimal
from .._generation import interpolate_into, interpolate_sparse, work_dtype

__all__ = ["MixedData", "is_categorical_column", "is_categorical_dtype"]

#: what pandas' infer_dtype calls an object column of real numbers only
_NUMBER_KINDS = frozenset({"integer", "decimal", "floating", "mixed-integer-float"})


def is_categorical_dtype(dtype):
    """Whether ``categorical_features='auto'`` treats a column dtype as categorical.

    Pandas ``category``, ``object``, ``string`` and ``bool`` (numpy or
    nullable) columns are categorical; numbers are continuous.

    Examples
    --------
    >>> import pandas as pd
    >>> [is_categorical_dtype(pd.Series(v).dtype) for v in (["a"], [True], [1.5])]
    [True, True, False]
    """
    if isinstance(dtype, pd.SparseDtype):
        dtype = dtype.subtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        # what read_parquet(dtype_backend="pyarrow") makes of a category column
        or (
            isinstance(dtype, pd.ArrowDtype)
            and str(dtype.pyarrow_dtype).startswith("dictionary<")
        )
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def is_categorical_column(column):
    """Whether ``categorical_features='auto'`` treats a DataFrame column as
    categorical: by its dtype (:func:`is_categorical_dtype`), except that an
    object column holding only real numbers (Python ints, floats, Decimals;
    what a database driver often returns) is continuous.

    Examples
    --------
    >>> from decimal import Decimal
    >>> import pandas as pd
    >>> columns = (["a", 1], [Decimal("1.5"), 2], [True, 1], [2**70, None])
    >>> [is_categorical_column(pd.Series(v, dtype=object)) for v in columns]
    [True, False, True, False]
    """
    if not is_categorical_dtype(column.dtype):
        return False
    if not pd.api.types.is_object_dtype(column.dtype):
        return True
    return not _holds_numbers(column)


def _holds_numbers(column):
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in _NUMBER_KINDS:
        return True
    if kind not in ("mixed", "mixed-integer"):  # text, bools, dates, all missing
        return False
    return all(
        isinstance(v, (numbers.Real, Decimal)) and not isinstance(v, (bool, np.bool_))
        for v in column[column.notna()]
    )


def _factorize(values):
    """Integer codes of a 1-D array; missing values are one category."""
    if isinstance(values, np.ndarray) and not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))  # pandas wants it
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.int32, copy=False), len(uniques)


def _encode_series(column):
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int32)
        n_categories = len(dtype.categories)
        missing = codes < 0
        if missing.any():
            codes[missing] = n_categories
            n_categories += 1
        return codes, n_categories
    if isinstance(dtype, pd.SparseDtype):
        column = column.sparse.to_dense()
    return _factorize(column.array)


def _is_number_dtype(dtype):
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _check_shape(shape, sampler_name, X=None):
    if len(shape) != 2:
        raise _data.not_2d_error(sampler_name, shape, X)
    if shape[0] == 0:
        raise ValueError(
            f"{sampler_name} got an empty X (0 samples): found array with 0 "
            f"sample(s) (shape={shape}) while a minimum of 1 is required. It "
            "needs at least one sample of each class."
        )
    if shape[1] == 0:
        raise ValueError(
            f"{sampler_name} got an X with 0 features: found array with 0 "
            f"feature(s) (shape={shape}) while a minimum of 1 is required."
        )


def _not_numeric(sampler_name, labels, columns):
    """The error for the continuous columns ``labels`` (as shown: label and
    dtype), which are ``columns`` (their names, or positions in an array)."""
    shown = ", ".join(labels[:5]) + (" ..." if len(labels) > 5 else "")
    return _data.NonNumericFeaturesError(
        f"{sampler_name} interpolates its continuous columns, but column(s) "
        f"{shown} are not numeric. List them in categorical_features (with "
        "categorical_features='auto', give them a category dtype: "
        "X[col].astype('category')), or convert them to numbers.",
        columns=columns,
        sampler_name=sampler_name,
    )


@dataclass(eq=False)
class MixedData:
    """X split into integer category codes and continuous values.

    Attributes
    ----------
    shape : tuple of int
        ``(n_samples, n_features)`` of X.
    categorical, continuous : ndarray of int
        Column indices of the categorical and the continuous features
        (ascending).
    codes : ndarray of shape (n_samples, n_categorical), int32 or None
        Category code of each row in each categorical column (None until
        :meth:`factorize` or an encoder sets them).
    n_categories : ndarray of shape (n_categorical,)
        Number of codes of each categorical column.
    values : ndarray or CSR matrix of shape (n_samples, n_continuous) or None
        Continuous values: X's dtype for a numeric array, float32/float64 for
        a DataFrame, float64 for an object array.
    dtype : numpy dtype
        Dtype whose working float dtype the interpolation uses.
    kind : str
        The container of X (``'numpy'``, ``'list'``, ``'pandas'``,
        ``'sparse'``, ``'pandas_sparse'``).
    """

    shape: tuple
    categorical: np.ndarray
    continuous: np.ndarray
    kind: str
    source: object = field(repr=False)
    values: object = field(default=None, repr=False)
    dtype: np.dtype = field(default=np.dtype(np.float64))
    codes: np.ndarray | None = field(default=None, repr=False)
    n_categories: np.ndarray | None = None
    cat_values: np.ndarray | None = field(default=None, repr=False)

    # ------------------------------------------------------------- reading

    @classmethod
    def read(cls, X, sampler_name, select_categorical):
        """Read X; ``select_categorical(X, n_features)`` returns the categorical
        column indices (it may raise for a bad selection).

        Returns
        -------
        data : MixedData
        spec : XSpec
            How to give the result back in X's container.
        """
        if X is None:
            raise ValueError(f"{sampler_name} needs a feature matrix X; got None.")
        if isinstance(X, pd.DataFrame):
            if _data.zero_filled_sparse(X):
                csr = sparse.csr_matrix(X.sparse.to_coo())
                spec = _data.XSpec(
                    "pandas_sparse", csr.dtype, "csr", X.columns, X.dtypes, X.index, X
                )
                data = cls._read_sparse(csr, X, spec, sampler_name, select_categorical)
                return data, spec
            return cls._read_frame(X, sampler_name, select_categorical)
        if sparse.issparse(X):
            fmt = X.format
            csr = X.tocsr()
            if csr.dtype.kind not in "biuf":
                raise ValueError(
                    f"{sampler_name} needs a numeric sparse matrix; got dtype "
                    f"{csr.dtype}."
                )
            spec = _data.XSpec("sparse", csr.dtype, fmt)
            data = cls._read_sparse(csr, csr, spec, sampler_name, select_categorical)
            return data, spec
        return cls._read_array(X, sampler_name, select_categorical)

    @classmethod
    def _read_frame(cls, frame, sampler_name, select_categorical):
        _check_shape(frame.shape, sampler_name)
        spec = _data.XSpec(
            "pandas", None, None, frame.columns, frame.dtypes, frame.index, frame
        )
        categorical, continuous = split_features(
            select_categorical(frame, frame.shape[1]), frame.shape[1]
        )
        data = cls(frame.shape, categorical, continuous, "pandas", frame)
        if len(continuous):
            columns = [frame.iloc[:, j] for j in continuous]
            if any(pd.api.types.is_complex_dtype(col.dtype) for col in columns):
                raise _data._complex_error(sampler_name)
            # object columns may hold numbers (pd.DataFrame of an object array):
            # those of other dtypes are refused outright, object ones that do
            # not convert, all of them in one error
            failed = {
                t
                for t, col in enumerate(columns)
                if not (col.dtype == object or _is_number_dtype(col.dtype))
            }
            dtypes = {col.dtype for col in columns}
            target = np.float32 if dtypes == {np.dtype(np.float32)} else np.float64
            values = np.empty((frame.shape[0], len(columns)), dtype=target)
            for t, col in enumerate(columns):
                if t in failed:
                    continue
                if isinstance(col.dtype, pd.SparseDtype):
                    col = col.sparse.to_dense()
                try:
                    if col.dtype == object:  # ints past float64's range: inf
                        values[:, t] = _data.object_floats(col.to_numpy())
                    else:
                        values[:, t] = col.to_numpy(dtype=target, na_value=np.nan)
                except (TypeError, ValueError):
                    failed.add(t)
            if failed:
                bad = [columns[t] for t in sorted(failed)]
                raise _not_numeric(
                    sampler_name,
                    [f"{col.name!r} ({col.dtype})" for col in bad],
                    [col.name for col in bad],
                )
            _data._check_finite(values, sampler_name, frame.columns[continuous])
            data.values, data.dtype = values, np.dtype(target)
        return data, spec

    @classmethod
    def _read_array(cls, X, sampler_name, select_categorical):
        kind = "list" if isinstance(X, (list, tuple)) else "numpy"
        arr = _data.as_array(X, sampler_name)
        if kind == "list" and arr.dtype.kind in "US":
            # numbers mixed with strings must not become strings
            arr = np.asarray(X, dtype=object)
        _check_shape(arr.shape, sampler_name, X)
        if arr.dtype.kind == "c":
            raise _data._complex_error(sampler_name)
        spec = _data.XSpec(kind, arr.dtype)
        categorical, continuous = split_features(
            select_categorical(X, arr.shape[1]), arr.shape[1]
        )
        data = cls(arr.shape, categorical, continuous, kind, arr)
        if not len(continuous):
            if arr.dtype.kind in "biuf":
                data.dtype = arr.dtype
            return data, spec
        if arr.dtype.kind in "biuf":
            values = np.ascontiguousarray(arr[:, continuous])
            _data._check_finite(values, sampler_name, continuous.tolist())
            data.values, data.dtype = values, arr.dtype
        elif arr.dtype.kind == "O":
            values = np.empty((arr.shape[0], len(continuous)), dtype=np.float64)
            failed = []
            for t, j in enumerate(continuous):
                try:
                    values[:, t] = _data.object_floats(arr[:, j])
                except (TypeError, ValueError):
                    failed.append(int(j))
            if failed:
                raise _not_numeric(sampler_name, [str(j) for j in failed], failed)
            _data._check_finite(values, sampler_name, continuous.tolist())
            data.values = values
        else:
            raise ValueError(
                f"{sampler_name} got X as a numpy array of dtype {arr.dtype}, so "
                f"its continuous column(s) {continuous.tolist()} hold no numbers. "
                "Pass an object array or a DataFrame that keeps numbers as "
                "numbers, or list every column in categorical_features."
            )
        return data, spec

    @classmethod
    def _read_sparse(cls, csr, X, spec, sampler_name, select_categorical):
        _check_shape(csr.shape, sampler_name)
        categorical, continuous = split_features(
            select_categorical(X, csr.shape[1]), csr.shape[1]
        )
        csc = csr.tocsc()
        cat_values = np.empty((csr.shape[0], len(categorical)), dtype=csr.dtype)
        for t, j in enumerate(categorical):
            cat_values[:, t] = csc[:, [j]].toarray().ravel()
        data = cls(csr.shape, categorical, continuous, spec.kind, csr)
        data.cat_values, data.dtype = cat_values, csr.dtype
        if len(continuous):
            values = csc[:, continuous].tocsr()
            values.sort_indices()
            _data._check_finite(values, sampler_name)
            data.values = values
        return data

    def factorize(self, sampler_name="the sampler"):
        """Set :attr:`codes` from the categorical columns themselves."""
        n, q = self.shape[0], len(self.categorical)
        codes = np.empty((n, q), dtype=np.int32)
        n_categories = np.empty(q, dtype=np.int64)
        for t, j in enumerate(self.categorical):
            try:
                if self.kind == "pandas":
                    column = self.source.iloc[:, j]
                    codes[:, t], n_categories[t] = _encode_series(column)
                elif self.cat_values is not None:
                    codes[:, t], n_categories[t] = _factorize(self.cat_values[:, t])
                else:
                    codes[:, t], n_categories[t] = _factorize(self.source[:, j])
            except TypeError as exc:  # lists, arrays, dicts: not categories
                label = repr(self.source.columns[j]) if self.kind == "pandas" else j
                raise TypeError(
                    f"{sampler_name}: categorical column {label} holds values "
                    f"that cannot be told apart as categories ({exc}). Turn "
                    "them into strings, or drop the column."
                ) from None
        self.codes, self.n_categories = codes, n_categories
        return self

    # ---------------------------------------------------- categorical views

    def categorical_part(self, rows=None):
        """The categorical columns (of ``rows``, or every row) in X's own form.

        ``rows`` is a list of one row array per categorical column, all of
        the same length (so different columns may come from different rows).
        """
        if self.kind == "pandas":
            frame = self.source
            if rows is None:
                return frame.iloc[:, self.categorical]
            part = pd.DataFrame(
                {
                    t: frame.iloc[r, j].reset_index(drop=True)
                    for t, (j, r) in enumerate(zip(self.categorical, rows, strict=True))
                }
            )
            part.columns = frame.columns[self.categorical]
            return part
        if self.cat_values is not None:
            if rows is None:
                return self.cat_values
            return np.column_stack([self.cat_values[r, t] for t, r in enumerate(rows)])
        if rows is None:
            return self.source[:, self.categorical]
        return np.column_stack(
            [self.source[r, j] for j, r in zip(self.categorical, rows, strict=True)]
        )

    def representative_rows(self):
        """One row per observed category of each categorical column.

        Returns one row array per categorical column, all of the length of
        the largest number of observed categories (shorter ones repeat), so
        an encoder fitted on :meth:`categorical_part` of these rows learns
        the same categories as one fitted on every row.
        """
        firsts = []
        for t in range(len(self.categorical)):
            codes = self.codes[:, t]
            first = np.full(int(self.n_categories[t]), -1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
            firsts.append(first[first >= 0])
        longest = max(len(f) for f in firsts)
        return [f[np.arange(longest) % len(f)] for f in firsts]

    # -------------------------------------------------------- continuous part

    def class_values(self, rows):
        """Continuous values of ``rows`` as a dense float64 array."""
        if self.values is None:
            return np.empty((len(rows), 0), dtype=np.float64)
        part = self.values[rows]
        if sparse.issparse(part):
            part = part.toarray()
        return np.ascontiguousarray(part, dtype=np.float64)

    # -------------------------------------------------------------- output

    def assemble(self, spec, provenance):
        """Original rows, then the synthetic rows, in X's container.

        Continuous columns are ``X[parent] + gap * (X[neighbor] - X[parent])``
        (integers rounded); categorical column ``categorical[t]`` of synthetic
        row ``j`` is copied from input row ``provenance.copied_from[j, t]``.
        """
        sources = provenance.copied_from
        if self.kind == "pandas":
            return self._assemble_frame(provenance, sources)
        if self.kind in ("sparse", "pandas_sparse"):
            out = self._assemble_sparse(provenance, sources, spec.sparse_format)
            if self.kind == "pandas_sparse":
                return _data.assemble_sparse_frame(spec, out)
            return out
        arr = self.source
        n, n_new = arr.shape[0], len(provenance)
        out = np.empty((n + n_new, arr.shape[1]), dtype=arr.dtype)
        out[:n] = arr
        if len(self.continuous):
            if arr.dtype.kind == "O":
                synth = self._interpolated(provenance, np.float64)
                for t, j in enumerate(self.continuous):
                    out[n:, j] = _data.object_numbers(
                        synth[:, t], arr[:n, j], provenance
                    )
            else:
                out[n:, self.continuous] = self._interpolated(provenance, arr.dtype)
        for t, j in enumerate(self.categorical):
            out[n:, j] = arr[sources[:, t], j]
        return out.tolist() if self.kind == "list" else out

    def _interpolated(self, provenance, dtype):
        out = np.empty((len(provenance), len(self.continuous)), dtype=dtype)
        interpolate_into(
            out, self.values, provenance.parent, provenance.neighbor, provenance.gap
        )
        return out

    def _assemble_frame(self, provenance, sources):
        frame = self.source
        columns = {}
        if len(self.continuous):
            synth = self._interpolated(provenance, work_dtype(self.dtype))
            for t, j in enumerate(self.continuous):
                original = frame.iloc[:, j]
                if pd.api.types.is_object_dtype(original.dtype):
                    columns[j] = _data.object_numbers(synth[:, t], original, provenance)
                elif is_arrow_decimal(original.dtype):
                    columns[j] = _data.arrow_decimals(synth[:, t], original, provenance)
                else:
                    cast = _data._cast_column(synth[:, t], original.dtype)
                    columns[j] = _data.on_segments(cast, original, provenance)
        for t, j in enumerate(self.categorical):
            # a Series keeps its dtype and values as they are (an array would
            # be re-inferred: object strings would become str, None NaN)
            columns[j] = frame.iloc[:, j].take(sources[:, t]).reset_index(drop=True)
        synth_frame = pd.DataFrame({j: columns[j] for j in range(frame.shape[1])})
        synth_frame.columns = frame.columns
        return _data.concat_frames(frame, synth_frame)

    def _assemble_sparse(self, provenance, sources, sparse_format):
        csr = self.source
        n_new = len(provenance)
        blocks, order = [], []
        if len(self.continuous):
            blocks.append(
                interpolate_sparse(
                    self.values, provenance.parent, provenance.neighbor, provenance.gap
                ).astype(csr.dtype)
            )
            order.append(self.continuous)
        if len(self.categorical):
            cat = np.empty((n_new, len(self.categorical)), dtype=csr.dtype)
            for t in range(len(self.categorical)):
                cat[:, t] = self.cat_values[sources[:, t], t]
            blocks.append(sparse.csr_matrix(cat))
            order.append(self.categorical)
        synth = sparse.hstack(blocks, format="csr", dtype=csr.dtype)
        synth = synth[:, np.argsort(np.concatenate(order))]
        synth.sort_indices()  # the column permutation leaves rows unsorted
        synth.eliminate_zeros()
        return sparse.vstack([csr, synth], format=sparse_format)


def split_features(categorical, n_features):
    """``(categorical, continuous)`` column indices, both ascending.

    Examples
    --------
    >>> [a.tolist() for a in split_features([3, 0], 5)]
    [[0, 3], [1, 2, 4]]
    """
    categorical = np.sort(np.asarray(categorical, dtype=np.int64))
    continuous = np.setdiff1d(np.arange(n_features), categorical)
    return categorical, continuous
