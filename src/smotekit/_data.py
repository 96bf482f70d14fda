"""Input validation and output assembly: data in = data out.

``check_X`` / ``check_y`` turn the user's containers into arrays the
algorithms work on and remember how to give results back in the same form
(numpy with its dtype, list, pandas DataFrame/Series with columns, dtypes,
names and index, scipy sparse in its format, one-hot label matrices).

Index rule for pandas outputs: original rows keep their index labels.
Synthetic rows are labelled with consecutive integers after the largest
integer label when the index holds integers (so a default ``RangeIndex``
simply continues), and ``"synthetic_0"``, ``"synthetic_1"``, ... otherwise.
"""

import copy
import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Integral, Number
from pathlib import PurePath

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.multiclass import type_of_target

from . import _blocks, _pages
from ._decimals import decimal_exponent, decimal_values, is_arrow_decimal
from ._generation import (
    _past_float64_integers,
    copy_rows_into,
    round_into_range,
    rounding_bounds,
    within_segments,
)
from ._kernels import columns_into_rows, rows_into_columns
from ._strategy import class_counts, python_scalar, text_labels
from ._threads import map_threads, n_cores
from .exceptions import NonFiniteFeaturesError, NonNumericFeaturesError

__all__ = [
    "NonFiniteFeaturesError",
    "NonNumericFeaturesError",
    "XSpec",
    "YSpec",
    "check_X",
    "check_y",
    "first_synthetic_number",
    "frame_of_rows",
    "integer_labels",
    "keep_attrs",
    "missing_labels_error",
    "mixed_labels_error",
    "non_finite_summary",
    "not_2d_error",
    "numbers_only",
    "numeric_frame",
    "object_floats",
    "object_numbers",
    "select_X",
    "select_y",
    "stored_as",
    "synthetic_columns",
    "synthetic_index",
    "synthetic_labels",
]


# --------------------------------------------------------------------------- X


@dataclass
class XSpec:
    """How X came in, so the output can go back out the same way."""

    kind: str  # "numpy", "list", "sparse", "pandas", "pandas_sparse"
    dtype: object = None
    sparse_format: str = "csr"
    columns: object = None
    dtypes: object = None
    index: object = None
    frame: object = field(default=None, repr=False)
    #: the array X's row-major copy heads, when made with room (see check_X)
    buffer: object = field(default=None, repr=False)


def _column_label(columns, j):
    return repr(columns[j]) if columns is not None else str(j)


def _non_numeric_error(sampler_name, bad, hint, cause=None, columns=None):
    """The error for the columns ``bad`` (as shown: label and dtype), which
    are ``columns`` (their names, or positions in an array)."""
    shown = ", ".join(bad[:5]) + (" ..." if len(bad) > 5 else "")
    detail = f" (conversion to float failed: {cause})" if cause else ""
    return NonNumericFeaturesError(
        f"{sampler_name} needs numeric features, but column(s) {shown} are not "
        f"numeric. {hint}{detail}",
        columns=columns,
        sampler_name=sampler_name,
    )


def _complex_error(sampler_name):
    return ValueError(
        f"Complex data not supported: {sampler_name} needs real-valued "
        "features. Split complex columns into real and imaginary parts first."
    )


#: Values checked per pass of the finiteness check (bounded temporaries).
_FINITE_CHECK_VALUES = 2**22


def _all_finite(values):
    """Whether every value is finite, checked blockwise (no full-size mask)."""
    flat = values.reshape(-1) if values.flags.c_contiguous else None
    if flat is None:
        return bool(np.isfinite(values).all())
    # a NaN or an infinity makes the sum NaN or infinite: finite sums prove
    # every value finite without a mask; an overflowing sum falls through.
    # Large arrays are summed in one piece per core.
    pieces = max(min(n_cores(), flat.size // _FINITE_CHECK_VALUES), 1)
    if pieces == 1:
        with np.errstate(over="ignore", invalid="ignore"):
            total = flat.sum()
        if np.isfinite(total):
            return True
        return _all_finite_blockwise(flat)
    bounds = np.linspace(0, flat.size, pieces + 1).astype(np.int64)

    def piece_sum(i):
        with np.errstate(over="ignore", invalid="ignore"):  # per thread
            return flat[bounds[i] : bounds[i + 1]].sum()

    if np.isfinite(map_threads(piece_sum, range(pieces))).all():
        return True
    return _all_finite_blockwise(flat)


def _all_finite_blockwise(flat):
    """Whether every value of the 1-d ``flat`` is finite, by masks of
    ``_FINITE_CHECK_VALUES`` values."""
    for start in range(0, flat.size, _FINITE_CHECK_VALUES):
        if not np.isfinite(flat[start : start + _FINITE_CHECK_VALUES]).all():
            return False
    return True


def non_finite_counts(X):
    """``(n_nan, n_inf, first)``: the NaN and infinite values of ``X`` and the
    ``(row, column)`` of the first one (None for sparse matrices)."""
    values = X.data if sparse.issparse(X) else X
    finite = np.isfinite(values)
    n_nan = int(np.isnan(values).sum())
    n_inf = int((~finite).sum()) - n_nan
    first = None
    if not sparse.issparse(X):
        row, col = np.argwhere(~finite)[0]
        first = (int(row), int(col))
    return n_nan, n_inf, first


def describe_non_finite(n_nan, n_inf, first=None, columns=None):
    """``"2 NaN value(s) and 1 infinite value(s) (first at row 0, column 3)"``
    (``first``: the ``(row, column)`` of the first one, if known)."""
    parts = [f"{n_nan} NaN value(s)"] if n_nan else []
    parts += [f"{n_inf} infinite value(s)"] if n_inf else []
    where = ""
    if first is not None:
        row, col = first
        where = f" (first at row {row}, column {_column_label(columns, col)})"
    return " and ".join(parts) + where


def non_finite_summary(X, columns=None):
    """What is not finite in ``X`` and where it first is, for error messages:
    ``"2 NaN value(s) and 1 infinite value(s) (first at row 0, column 3)"``
    (no position for sparse matrices)."""
    return describe_non_finite(*non_finite_counts(X), columns)


def non_finite_error(sampler_name, what):
    """The :class:`NonFiniteFeaturesError` for missing or infinite features
    (``what``: from :func:`describe_non_finite`)."""
    return NonFiniteFeaturesError(
        f"Input X of {sampler_name} contains {what}. {sampler_name} "
        "computes with the feature values and cannot use missing or infinite "
        "values (numbers past float64's range, about 1.8e308, count as "
        "infinite: scale those down); impute or drop them first (for example "
        "with sklearn.impute.SimpleImputer in a pipeline).",
        what=what,
        sampler_name=sampler_name,
    )


def _check_finite(X, sampler_name, columns=None):
    values = X.data if sparse.issparse(X) else X
    if values.dtype.kind not in "fc":
        return
    if _all_finite(values):
        return
    raise non_finite_error(sampler_name, non_finite_summary(X, columns))


def zero_filled_sparse(frame, dtypes=None):
    """Whether every column of ``frame`` is sparse with fill value 0, all of
    numbers or all of bools.

    Such a frame is worked on as a CSR matrix; a frame with other columns
    (dense ones, sparse ones filled with NaN or another value, bools beside
    numbers) is worked on dense. ``dtypes``: the columns' dtypes, when the
    caller has read them already.

    Examples
    --------
    >>> import pandas as pd
    >>> zero_filled_sparse(pd.DataFrame({"a": pd.arrays.SparseArray([0.0, 1.0])}))
    False
    >>> zero_filled_sparse(pd.DataFrame({"a": pd.arrays.SparseArray([0, 1])}))
    True
    """
    dtypes = list(frame.dtypes) if dtypes is None else dtypes
    if not dtypes or not all(
        isinstance(dt, pd.SparseDtype)
        and not pd.isna(dt.fill_value)
        and dt.fill_value == 0
        for dt in dtypes
    ):
        return False
    # one numeric matrix holds them (pandas makes bool beside numbers object)
    kinds = {np.dtype(dt.subtype).kind for dt in dtypes}
    return kinds <= set("iuf") or kinds == {"b"}


def _densify_sparse_columns(frame):
    """The frame with its sparse columns (some, not all) made dense."""
    columns = {
        j: col.sparse.to_dense() if isinstance(col.dtype, pd.SparseDtype) else col
        for j, (_, col) in enumerate(frame.items())
    }
    dense = pd.DataFrame(columns, index=frame.index)
    dense.columns = frame.columns
    return dense


def _frame_to_matrix(frame, sampler_name, numeric, non_numeric_hint, room=0):
    """``(values, buffer)``: the frame's values as a row-major matrix, and the
    array they head when copied with ``room`` (see :func:`check_X`)."""
    if not numeric:
        values = frame.to_numpy()
        return _row_major(values, room if stored_as(frame, values.dtype) else 0)
    bad, names = [], []
    dtypes = list(frame.dtypes)  # pandas builds a Series a call
    for j, (name, dtype) in enumerate(zip(frame.columns, dtypes, strict=True)):
        if pd.api.types.is_complex_dtype(dtype):
            raise _complex_error(sampler_name)
        if pd.api.types.is_object_dtype(dtype):  # pd.DataFrame(object array)
            numeric = _column_is_numeric(frame.iloc[:, j].to_numpy())
        else:
            numeric = (
                pd.api.types.is_numeric_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)
            ) and not isinstance(dtype, pd.CategoricalDtype)
        if not numeric:
            bad.append(f"{name!r} ({dtype})")
            names.append(name)
    if bad:
        raise _non_numeric_error(sampler_name, bad, non_numeric_hint, columns=names)
    objects = [j for j, dt in enumerate(dtypes) if pd.api.types.is_object_dtype(dt)]
    if objects:
        frame = frame.copy(deep=False)
        for j in objects:
            frame.isetitem(j, object_floats(frame.iloc[:, j]))
        dtypes = list(frame.dtypes)
    # float32 only when every column is stored as float32 (a nullable Int64
    # or Float64 column needs float64 as much as a numpy one)
    stored = {_storage_dtype(dt) for dt in dtypes}
    target = np.float32 if stored == {np.dtype(np.float32)} else np.float64
    if all(_compiled_kind(dt) for dt in dtypes):  # numbers_only(frame)
        # room only where the output is built as rows of this dtype
        room = room if stored_as(frame, target) else 0
        return _rows_of(frame, np.dtype(target), room)
    return np.ascontiguousarray(frame.to_numpy(dtype=target, na_value=np.nan)), None


#: Frames of at most this many values are read with one ``to_numpy`` copy:
#: selecting each dtype's columns costs pandas 0.3 ms a dtype (a 351 x 33
#: frame of two dtypes: 0.6 ms against 0.02; 5,000 x 20: 0.75 against 0.15;
#: 20,000 x 30: 1.5 against 2.1).
SMALL_FRAME_VALUES = 2**17


def _rows_of(frame, dtype, room=0):
    """The values of a frame of numpy columns as a C-ordered ``dtype`` matrix:
    a row-major array of that dtype under the frame as it is, otherwise each
    dtype's columns turned into the rows (pandas keeps them column by column,
    and ``np.ascontiguousarray(frame.to_numpy())`` copies twice, the second
    time a cache line per value). Returns ``(values, buffer)``: a copy made
    with ``room`` heads ``buffer`` (see :func:`check_X`), else None."""
    if frame.size <= SMALL_FRAME_VALUES:  # pandas' selections cost more here
        return np.ascontiguousarray(frame.to_numpy(dtype=dtype)), None
    groups = _dtype_groups(frame)
    if len(groups) == 1:
        values = frame.to_numpy()
        if values.dtype == dtype and values.flags.c_contiguous:
            return values, None
    out, buffer = _fresh_rows(frame.shape, dtype, room)

    def write():
        for positions in groups.values():
            part = frame if len(groups) == 1 else frame.iloc[:, positions]
            columns = np.ascontiguousarray(part.to_numpy().T)  # pandas' block
            _blocks.run_blocks(columns_into_rows, len(frame), _blocks.BLOCK_ROWS,
                               out, columns, np.asarray(positions, np.int64),
                               dest=out)  # fmt: skip

    if buffer is None:
        write()
    else:
        _pages.fill(out, write)
    return out, buffer


def _fresh_rows(shape, dtype, room):
    """``(rows, buffer)``: a new array of ``shape`` for X's values, and the
    array of ``room`` more rows (from :func:`smotekit._pages.output`, for the
    output to be built in) whose head it is; ``np.empty`` and None without
    room."""
    if not room:
        return np.empty(shape, dtype), None
    buffer = _pages.output((shape[0] + room, shape[1]), dtype)
    return buffer[: shape[0]], buffer


def _row_major(values, room):
    """``(rows, buffer)``: ``np.ascontiguousarray(values)``, written into the
    head of an array of ``room`` more rows when a copy is made and ``room``
    (see :func:`check_X`; buffer None otherwise)."""
    if not room or values.ndim != 2 or values.flags.c_contiguous:
        return np.ascontiguousarray(values), None
    rows, buffer = _fresh_rows(values.shape, values.dtype, room)
    if values.flags.f_contiguous and values.dtype in (np.float32, np.float64):
        # column-major: its transpose is a block of columns, turned as a
        # DataFrame's are
        columns, positions = values.T, np.arange(values.shape[1], dtype=np.int64)

        def write():
            _blocks.run_blocks(columns_into_rows, len(rows), _blocks.BLOCK_ROWS,
                               rows, columns, positions, dest=rows)  # fmt: skip
    else:

        def write():
            copy_rows_into(rows, values)

    _pages.fill(rows, write)
    return rows, buffer


def as_array(X, sampler_name):
    """``np.asarray(X)``, with a clear error for rows of different lengths
    and for a mapping (of which numpy makes a 0-d array)."""
    if isinstance(X, Mapping):
        raise TypeError(
            f"{sampler_name} takes X as an array, a list of rows or a "
            f"DataFrame; got a {type(X).__name__}. Make it a table first: "
            "pd.DataFrame(X)."
        )
    try:
        return np.asarray(X)
    except ValueError as exc:
        raise ValueError(
            f"{sampler_name} could not read X as a 2-D array ({exc}). Pass X "
            "with shape (n_samples, n_features): every row with the same "
            "number of features."
        ) from None


def _holds_text(X):
    """Whether the 1-D ``X`` holds text (its first values, or its dtype)."""
    dtype = getattr(X, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", None) in ("U", "S"):
        return True
    try:
        first = next(iter(X), None)
    except TypeError:
        return False
    return isinstance(first, (str, bytes))


def not_2d_error(sampler_name, shape, X=None):
    """The error for an X of ``shape`` that is not 2-D, with the reshape that
    fits it (and fits ``X``'s container, when given).

    Examples
    --------
    >>> str(not_2d_error("SMOTE", (5, 2, 2))).split(". ")[-1]
    'Flatten the features of each sample with X.reshape(len(X), -1).'
    >>> import pandas as pd
    >>> str(not_2d_error("SMOTE", (3,), pd.Series([1, 2, 3]))).split(". ")[-1]
    'Make a single feature a table with X.to_frame().'
    """
    if isinstance(X, (str, bytes, PurePath)):
        fix = (
            f"X is a {type(X).__name__}, not a table: to resample a file, read "
            "it first (for example with pandas.read_csv), or use the command "
            "line's smotekit resample."
        )
    elif len(shape) == 1:
        if hasattr(X, "to_frame"):  # a pandas or polars Series
            fix = "Make a single feature a table with X.to_frame()."
        elif isinstance(X, (list, tuple)):
            fix = "Give each sample its own list: [[v] for v in X] for one feature."
        else:
            fix = "Reshape a single feature with X.reshape(-1, 1)."
        if _holds_text(X):
            fix += (
                " If the values are text documents, turn them into numeric "
                "features first (for example with scikit-learn's TfidfVectorizer)."
            )
    elif len(shape) > 2:
        fix = "Flatten the features of each sample with X.reshape(len(X), -1)."
    else:
        fix = "Pass a table of samples (rows) by features (columns)."
    return ValueError(
        f"{sampler_name} expects a 2-D X of shape (n_samples, n_features); got an "
        f"array of shape {shape}. {fix}"
    )


def check_X(
    X,
    sampler_name,
    *,
    numeric=True,
    allow_nan=False,
    non_numeric_hint="Encode them, or use SMOTENC for mixed numeric/categorical data.",
    room=0,
):
    """Validate X and remember its container.

    Parameters
    ----------
    X : array-like, sparse matrix or pandas.DataFrame
        Features.
    sampler_name : str
        Name used in error messages.
    numeric : bool, default=True
        Whether the sampler needs numeric features.
    allow_nan : bool, default=False
        Whether NaN/inf values are accepted.
    non_numeric_hint : str
        How to fix non-numeric columns, appended to the error.
    room : int, default=0
        Rows to leave after X's when its values are copied into a new
        row-major array (the columns of a DataFrame stored as the output's
        dtype, an array of another memory layout): the copy is then the head
        of an array of ``n_samples + room`` rows, ``spec.buffer``, for an
        output that starts with X's rows to be built in without copying them
        again. No copy, no buffer.

    Returns
    -------
    X_array : C-contiguous ndarray or CSR matrix
        The data the algorithm works on (sparse input of any format becomes
        CSR; the output goes back to the input's format).
    spec : XSpec
        How to rebuild the user's container.

    Examples
    --------
    >>> import numpy as np
    >>> arr, spec = check_X([[1, 2], [3, 4]], "SMOTE")
    >>> spec.kind, arr.dtype
    ('list', dtype('int64'))
    """
    if X is None:
        raise ValueError(f"{sampler_name} needs a feature matrix X; got None.")
    columns = None
    if isinstance(X, pd.DataFrame):
        dtypes = list(X.dtypes)
        if zero_filled_sparse(X, dtypes):
            arr = sparse.csr_matrix(X.sparse.to_coo())
            spec = XSpec(
                "pandas_sparse", arr.dtype, "csr", X.columns, X.dtypes, X.index, X
            )
        else:
            is_sparse = any(isinstance(dt, pd.SparseDtype) for dt in dtypes)
            dense = _densify_sparse_columns(X) if is_sparse else X
            arr, buffer = _frame_to_matrix(
                dense, sampler_name, numeric, non_numeric_hint, room
            )
            spec = XSpec("pandas", arr.dtype, None, X.columns, X.dtypes, X.index, X)
            spec.buffer = buffer
        columns = X.columns
    elif sparse.issparse(X):
        fmt = X.format
        # samplers gather rows: they always work on CSR, whatever came in
        arr = X.tocsr()
        if numeric and arr.dtype.kind == "c":
            raise _complex_error(sampler_name)
        if numeric and arr.dtype.kind not in "biuf":
            raise ValueError(
                f"{sampler_name} needs a numeric sparse matrix; got dtype {arr.dtype}."
            )
        spec = XSpec("sparse", arr.dtype, fmt)
    else:
        kind = "list" if isinstance(X, list) else "numpy"
        arr = as_array(X, sampler_name)
        if arr.ndim != 2:  # before the checks of the values, told per column
            raise not_2d_error(sampler_name, arr.shape, X)
        if not numeric and kind == "list" and arr.dtype != object and _mixed(X):
            # rows only copied: each element comes back as given, where one
            # array type would turn ints into text or bools into ints
            arr = np.array(X, dtype=object)
        if numeric and arr.dtype.kind == "c":
            raise _complex_error(sampler_name)
        if numeric and arr.dtype.kind in "mM":
            raise _non_numeric_error(
                sampler_name,
                [f"all ({arr.dtype})"],
                "Dates and durations are not interpolated: convert them to "
                "numbers (for example days since a reference date) first.",
                columns=list(range(arr.shape[1])) if arr.ndim == 2 else None,
            )
        if numeric and arr.dtype.kind not in "biuf":
            # numbers held as objects are read as float64 (as scikit-learn
            # reads them); text, numerals included, is not a number
            try:
                arr = object_floats(arr)
            except (TypeError, ValueError) as exc:
                n_columns = arr.shape[1] if arr.ndim == 2 else 0
                positions = [
                    j for j in range(n_columns) if not _column_is_numeric(arr[:, j])
                ]
                bad = [f"{j} ({arr.dtype})" for j in positions]
                raise _non_numeric_error(
                    sampler_name,
                    bad or [f"all ({arr.dtype})"],
                    non_numeric_hint,
                    exc,
                    columns=positions or list(range(n_columns)),
                ) from None
        # row-major, so results never depend on the memory layout of the input
        arr, buffer = _row_major(arr, room)
        spec = XSpec(kind, arr.dtype, buffer=buffer)
    if arr.ndim != 2:
        raise not_2d_error(sampler_name, arr.shape, X)
    if arr.shape[0] == 0:
        raise ValueError(
            f"{sampler_name} got an empty X (0 samples): found array with 0 "
            f"sample(s) (shape={arr.shape}) while a minimum of 1 is required. It "
            "needs at least one sample of each class."
        )
    if arr.shape[1] == 0:
        raise ValueError(
            f"{sampler_name} got an X with 0 features: found array with 0 "
            f"feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    if not allow_nan:
        _check_finite(arr, sampler_name, columns)
    return arr, spec


def _mixed(rows):
    """Whether the elements of a list of rows are of more than one type.

    Examples
    --------
    >>> _mixed([["a", 1]]), _mixed([[1, True]]), _mixed([[1.5, 2.0]])
    (True, True, False)
    """
    seen = None
    for row in rows:
        for value in row if isinstance(row, (list, tuple)) else (row,):
            if seen is None:
                seen = type(value)
            elif type(value) is not seen:
                return True
    return False


#: What pandas infers for an object column that holds only numbers.
_NUMBER_KINDS = {"integer", "floating", "mixed-integer-float", "boolean", "decimal"}


def _is_number(value):
    """Whether one object is a number (or missing): not text, not a date."""
    if isinstance(value, (np.datetime64, np.timedelta64, str, bytes)):
        return False
    return isinstance(value, (Number, np.bool_)) or value is None or pd.isna(value)


def object_floats(col):
    """A column of numbers held as objects, as float64 (None, NaN and pd.NA
    become NaN, for the finiteness check to name); raises ValueError for
    anything else, numbers written as text included.

    Examples
    --------
    >>> object_floats(np.array([1, 2.5, None, True], dtype=object)).tolist()
    [1.0, 2.5, nan, 1.0]
    >>> object_floats(np.array(["1.5"], dtype=object))
    Traceback (most recent call last):
    ...
    ValueError: values inferred as string, not numbers
    """
    values = np.asarray(col, dtype=object)
    kind = pd.api.types.infer_dtype(values.ravel(), skipna=True)
    if kind not in _NUMBER_KINDS | {"empty"} and not all(
        _is_number(v) for v in values.ravel()
    ):  # numbers of several kinds (bools beside floats, fractions) pass
        values.astype(np.float64)  # Python's own error for what is no number
        raise ValueError(f"values inferred as {kind}, not numbers")
    missing = pd.isna(values)
    if missing.any():
        values = np.where(missing, np.nan, values)
    return as_floats(values)


def as_floats(values):
    """``values.astype(np.float64)``, where ints past float64's range become
    infinities of their sign (for the finiteness check to name) instead of
    raising ``OverflowError``.

    Examples
    --------
    >>> as_floats(np.array([1, -10**400], dtype=object)).tolist()
    [1.0, -inf]
    """
    try:
        return values.astype(np.float64)
    except OverflowError:
        return np.vectorize(_float_or_inf, otypes=[np.float64])(values)


def _float_or_inf(value):
    """``float(value)``, or an infinity of its sign past float64's range."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _column_is_numeric(col):
    """Whether every value of a column converts to a float (missing values
    included: the finiteness check names them)."""
    try:
        object_floats(col)
    except (TypeError, ValueError):
        return False
    return True


def synthetic_index(index, n_new):
    """Index labels of ``n_new`` synthetic rows appended after ``index``.

    Examples
    --------
    >>> import pandas as pd
    >>> list(synthetic_index(pd.Index([10, 3]), 2))
    [11, 12]
    >>> list(synthetic_index(pd.Index(["a", "b"]), 2))
    ['synthetic_0', 'synthetic_1']
    >>> list(synthetic_index(pd.Index(["a", "synthetic_1"]), 1))
    ['synthetic_2']

    A MultiIndex follows the rule level by level:

    >>> list(synthetic_index(pd.MultiIndex.from_tuples([(4, "a")]), 1))
    [(5, 'synthetic_0')]
    """
    if isinstance(index, pd.MultiIndex):
        levels = [
            synthetic_index(index.get_level_values(i), n_new)
            for i in range(index.nlevels)
        ]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    if pd.api.types.is_integer_dtype(index.dtype):
        first = int(index.max()) + 1 if len(index) else 0
        labels = integer_labels(first, n_new, index.dtype)
        if labels is not None:
            return labels
    return synthetic_labels(first_synthetic_number(index), n_new)


def synthetic_labels(first, n):
    """``synthetic_<first>``, ... : ``n`` text index labels."""
    return pd.Index([f"synthetic_{i}" for i in range(first, first + n)], dtype=object)


def first_synthetic_number(index):
    """One past the largest ``<n>`` of the ``synthetic_<n>`` labels already in
    ``index`` (rows added by an earlier resampling), 0 if it has none: the
    labels of new synthetic rows then never repeat one of them.

    Examples
    --------
    >>> import pandas as pd
    >>> first_synthetic_number(pd.Index(["a", "synthetic_0", "synthetic_11"]))
    12
    >>> [first_synthetic_number(pd.Index(v)) for v in (["a", 7], [7])]
    [0, 0]
    """
    if isinstance(index.dtype, pd.CategoricalDtype):  # (unused ones too)
        return first_synthetic_number(pd.Index(index.dtype.categories))
    if pd.api.types.is_object_dtype(index.dtype):
        kind = pd.api.types.infer_dtype(index, skipna=True)
        if kind not in ("string", "mixed", "mixed-integer"):
            return 0  # no text label at all
        index = index.astype("str")  # fast string methods
    elif not pd.api.types.is_string_dtype(index.dtype):
        return 0
    labels = pd.Series(index, copy=False)
    digits = labels[labels.str.startswith("synthetic_", na=False)].str.slice(10)
    digits = digits[digits.str.fullmatch("[0-9]+", na=False)].str.lstrip("0")
    if not len(digits):
        return 0
    # digits without leading zeros: the longest, then the last in text
    # order, is the largest number (parsing them all is slow)
    lengths = digits.str.len()
    largest = digits[lengths == lengths.max()].max()
    return int(largest or 0) + 1


def integer_labels(first, n, dtype):
    """``first, first + 1, ...``: ``n`` integer index labels of the index
    dtype ``dtype`` (a RangeIndex for int64), or None when they would run
    past its largest value.

    Examples
    --------
    >>> list(integer_labels(5, 2, "int64")), integer_labels(2**63 - 1, 2, "int64")
    ([5, 6], None)
    >>> integer_labels(2**63, 1, "uint64").dtype, integer_labels(128, 1, "int8")
    (dtype('uint64'), None)
    """
    dtype = _storage_dtype(dtype)
    if first + n - 1 > np.iinfo(dtype).max:
        return None
    if dtype == np.int64:
        return pd.RangeIndex(first, first + n)
    return pd.Index(np.arange(first, first + n, dtype=dtype))


def mixed_labels_error(sampler_name, labels):
    """The error for labels of types that cannot be compared (int and str):
    a ValueError, or a TypeError for bytes labels (as imbalanced-learn's).

    Examples
    --------
    >>> str(mixed_labels_error("SMOTE", [1, "a"]))[:52]
    "The target 'y' of SMOTE mixes labels of different ty"
    >>> str(mixed_labels_error("SMOTE", [b"a", b"b"]))[:44]
    "The target 'y' of SMOTE holds bytes labels, "
    """
    kinds = sorted({type(v).__name__ for v in labels})
    if set(kinds) <= {"bytes", "bytes_"}:
        return TypeError(
            f"The target 'y' of {sampler_name} holds bytes labels, which are not "
            "supported as class labels. Decode them to strings first, for "
            "example with np.char.decode(np.asarray(y, dtype=bytes))."
        )
    return ValueError(
        f"The target 'y' of {sampler_name} mixes labels of different types "
        f"({', '.join(kinds)}), which cannot be sorted into classes. Give "
        "every label the same type, for example with y.astype(str)."
    )


def missing_labels_error(sampler_name, n_missing, first, column=None):
    """The ValueError for labels that are None or NaN (``first``: the
    position of the first one; ``column``: the label column's name)."""
    what = "The target 'y'" + ("" if column is None else f" (column {column!r})")
    return ValueError(
        f"{what} of {sampler_name} has {n_missing} missing label(s) (None or "
        f"NaN; the first at position {first}). Drop those samples, or give them "
        "a class of their own."
    )


def _join_index(index, n_new):
    """``index`` followed by the synthetic labels, keeping the index name."""
    new = synthetic_index(index, n_new)
    if isinstance(index, pd.RangeIndex) and index.step == 1:
        if isinstance(new, pd.RangeIndex) and new.start == index.stop:
            return pd.RangeIndex(index.start, new.stop, name=index.name)
    if isinstance(index, pd.MultiIndex):
        levels = [
            _join_index(index.get_level_values(i), n_new) for i in range(index.nlevels)
        ]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    return index.append(new).rename(index.name)


def _cast_column(values, dtype):
    """Cast synthetic float values to a column dtype, rounding integers.

    Integer columns are rounded half to even and kept within the range of
    their dtype (noise cannot wrap a uint8 0 around to 255); bool columns are
    rounded within [0, 1], so a value is True when it is above one half;
    float columns are kept within their finite range (a float32 column past
    its largest value is saturated there, not made infinite).
    """
    if (
        pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_integer_dtype(dtype)
        or pd.api.types.is_float_dtype(dtype)
    ):
        values = round_into_range(values, _storage_dtype(dtype))
    if isinstance(dtype, np.dtype):
        return values.astype(dtype)
    return pd.array(values, dtype=dtype)


def _storage_dtype(dtype):
    """The numpy dtype behind a pandas extension dtype (``Int8`` → int8)."""
    if isinstance(dtype, pd.SparseDtype):
        return np.dtype(dtype.subtype)
    return np.dtype(getattr(dtype, "numpy_dtype", dtype))


def object_numbers(values, original, provenance=None):
    """Synthetic values for an object column of numbers, as objects of the
    column's kind: Python ints (of any size) for a column of integers, bools
    for one of bools (True above one half), decimals for one of decimals
    (see :mod:`smotekit._decimals`), floats otherwise.

    With the ``provenance`` (and no noise), a column holding integers past
    2**53, which the float64 ``values`` were built from rounded, is built
    again from its rows in exact integer arithmetic.

    Examples
    --------
    >>> import numpy as np
    >>> object_numbers(np.array([1.6, 0.2]), [True, False]).tolist()
    [True, False]
    >>> object_numbers(np.array([2.0**70]), [2**70]).tolist() == [2**70]
    True
    >>> from smotekit._provenance import Provenance
    >>> p = Provenance(np.array([0]), np.array([1]), np.array([0.5]))
    >>> object_numbers(np.array([2.0**60]), [2**60 + 1, 2**60 + 3], p).tolist()
    [1152921504606846978]
    """
    kind = pd.api.types.infer_dtype(original, skipna=True)
    if kind == "boolean":
        return (values > 0.5).astype(object)
    if kind == "decimal":
        column = np.asarray(original, dtype=object)
        exponent = decimal_exponent(column)
        out = np.empty(len(values), dtype=object)
        out[:] = decimal_values(values, column, provenance, exponent)
        return out
    if kind != "integer":
        return values.astype(object)
    rounded = np.rint(values)
    if np.abs(rounded).max(initial=0) < 2**63:
        ints = rounded.astype(np.int64).astype(object)
    else:
        ints = np.array([int(v) for v in rounded], dtype=object)
    if provenance is None or getattr(provenance, "noise", None) is not None:
        return ints
    column = np.asarray(original, dtype=object)
    try:  # a pass in C; values of 2**53 or more may have been rounded
        exact = not len(column) or np.abs(column.astype(np.float64)).max() < 2**53
    except OverflowError:  # past float64's range
        exact = False
    return ints if exact else _object_segments(ints, column, provenance)


def _object_segments(ints, column, provenance):
    """Python ints built exactly from their rows: ``a + gap * (b - a)`` in
    integer arithmetic (``gap`` as the exact fraction its float is),
    rounded half to even as the float64 values are. ``ints``, built from
    float64 values (which round integers past 2**53), are kept only where a
    row's value is not an integer.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._provenance import Provenance
    >>> column = np.array([10**20, 10**20 + 30], dtype=object)
    >>> p = Provenance(np.array([0, 1]), np.array([1, 0]), np.array([0.5, 0.25]))
    >>> [v - 10**20 for v in _object_segments([0, 0], column, p)]
    [15, 22]
    """
    out = np.empty(len(provenance.gap), dtype=object)
    for j, (a, b, gap) in enumerate(
        zip(
            column[np.asarray(provenance.parent)],
            column[np.asarray(provenance.neighbor)],
            np.asarray(provenance.gap).tolist(),
            strict=True,
        )
    ):
        if isinstance(a, Integral) and isinstance(b, Integral):
            out[j] = int(a) + round(Fraction(gap) * (int(b) - int(a)))
        else:  # a missing value: as built
            out[j] = ints[j]
    return out


def arrow_decimals(values, original, provenance):
    """Synthetic values of a pyarrow decimal column, in its dtype, built in
    decimal arithmetic at the dtype's scale (see :mod:`smotekit._decimals`);
    values past the dtype's precision (noise near its largest value) are
    saturated there.

    Examples
    --------
    >>> import numpy as np, pandas as pd, pyarrow as pa
    >>> from decimal import Decimal
    >>> column = pd.Series([Decimal("99.99")], dtype=pd.ArrowDtype(pa.decimal128(4, 2)))
    >>> arrow_decimals(np.array([100.5, -250.0]), column, None).tolist()
    [Decimal('99.99'), Decimal('-99.99')]
    """
    dtype = original.dtype
    column = np.asarray(original.tolist(), dtype=object)
    arrow = dtype.pyarrow_dtype
    synth = decimal_values(values, column, provenance, -arrow.scale)
    # noise can reach past the dtype's digits: saturated at its largest value
    top = decimal.Decimal(10**arrow.precision - 1).scaleb(-arrow.scale)
    synth = [v if v is None else min(max(v, -top), top) for v in synth]
    return pd.array(synth, dtype=dtype)


def on_segments(values, original, provenance):
    """A column's synthetic ``values`` (cast to its dtype) kept between the
    values of their two rows, where the column holds 64-bit integers past
    2**53: the float64 matrix they were built in rounds those (two rows of
    2**53 + 1 would give 2**53). Other columns, and copies with noise,
    are returned as they are.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from smotekit._provenance import Provenance
    >>> original = pd.Series([2**53 + 1, 2**53 + 1], dtype="Int64")
    >>> p = Provenance(np.array([0]), np.array([1]), np.array([0.5]))
    >>> on_segments(pd.array([2**53], dtype="Int64"), original, p).tolist()
    [9007199254740993]
    """
    dtype = original.dtype
    if provenance is None or getattr(provenance, "noise", None) is not None:
        return values
    storage = _storage_dtype(dtype)
    if storage not in (np.int64, np.uint64):
        return values
    column = original.to_numpy(dtype=storage)
    if column.size == 0 or max(-int(column.min()), int(column.max())) <= 2**53:
        return values
    fixed = within_segments(
        np.asarray(values, dtype=storage)[:, None],
        column[:, None],
        provenance.parent,
        provenance.neighbor,
        provenance.gap,
    )[:, 0]
    return fixed if isinstance(dtype, np.dtype) else pd.array(fixed, dtype=dtype)


def synthetic_columns(frame, values, provenance=None):
    """Synthetic rows given as a float matrix, as a DataFrame of ``frame``'s
    columns and dtypes (integers rounded, in object columns of integers too;
    with the ``provenance``, 64-bit integers kept on their segments, see
    :func:`on_segments`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"n": [1, 2]}, dtype=object)
    >>> synthetic_columns(frame, np.array([[1.6]]))["n"].tolist()
    [2]
    """
    columns = {}
    for j, dtype in enumerate(frame.dtypes):
        column = values[:, j]
        if pd.api.types.is_object_dtype(dtype):
            columns[j] = object_numbers(column, frame.iloc[:, j], provenance)
        elif is_arrow_decimal(dtype):
            columns[j] = arrow_decimals(column, frame.iloc[:, j], provenance)
        else:
            cast = _cast_column(column, dtype)
            columns[j] = on_segments(cast, frame.iloc[:, j], provenance)
    synth = pd.DataFrame(columns)
    synth.columns = frame.columns
    return synth


def stored_as(frame, dtype):
    """Whether every column of ``frame`` is a numpy column of the float
    ``dtype`` (so a matrix of that dtype holds its values exactly).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"a": [1.5], "b": [2.0]})
    >>> stored_as(frame, np.dtype(np.float64)), stored_as(frame, np.float32)
    (True, False)
    >>> stored_as(frame.astype({"b": "Float64"}), np.float64)
    False
    """
    dtype = np.dtype(dtype)
    return dtype.kind == "f" and all(
        isinstance(dt, np.dtype) and dt == dtype for dt in frame.dtypes
    )


def frame_of_rows(frame, rows):
    """A DataFrame of ``frame``'s columns over ``rows`` (its own rows, then
    the synthetic ones), without a copy, indexed as :func:`concat_frames`
    indexes.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"a": [1.5, 2.5]}, index=[7, 9])
    >>> out = frame_of_rows(frame, np.array([[1.5], [2.5], [2.0]]))
    >>> out.index.tolist(), out["a"].tolist()
    ([7, 9, 10], [1.5, 2.5, 2.0])
    """
    index = _join_index(frame.index, len(rows) - len(frame))
    out = pd.DataFrame(rows, index=index, columns=frame.columns, copy=False)
    out.index.name = frame.index.name
    return out


def _dtype_groups(frame):
    """Column positions of ``frame`` by dtype, in order of first appearance."""
    groups = {}
    for j, dtype in enumerate(frame.dtypes):
        groups.setdefault(dtype, []).append(j)
    return groups


def _compiled_kind(dtype):
    """Whether the compiled steps take columns of ``dtype`` (numpy bool,
    integers in the machine's byte order, float32, float64; not float16)."""
    if not isinstance(dtype, np.dtype) or not dtype.isnative:
        return False
    return dtype.kind in "biu" or dtype in (np.float32, np.float64)


def numbers_only(frame, provenance=None, matrix=None):
    """Whether :func:`numeric_frame` builds ``frame``'s output: every column a
    numpy bool, integer, float32 or float64 column, and no 64-bit integer column that
    :func:`on_segments` would mend (values past 2**53 with ``provenance``).

    ``matrix``, the frame's values as the sampler reads them (an integer or
    float array of its shape), when given, is where the 64-bit integer
    columns' magnitudes are read: a column reaches 2**53 there exactly when
    it does in the frame (float64 rounds monotonically and holds 2**53), at
    the cost of one reduction over the matrix instead of a pandas column at
    a time.

    Examples
    --------
    >>> import pandas as pd
    >>> numbers_only(pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]}))
    True
    >>> numbers_only(pd.DataFrame({"a": ["x", "y"]}))
    False
    """
    dtypes = frame.dtypes
    if not all(_compiled_kind(dt) for dt in dtypes):
        return False
    if provenance is None or getattr(provenance, "noise", None) is not None:
        return True
    wide = [j for j, dt in enumerate(dtypes) if dt.kind in "iu" and dt.itemsize == 8]
    if not wide or len(frame) == 0:
        return True
    if matrix is None:
        return not any(
            _past_float64_integers(frame.iloc[:, j].to_numpy()) for j in wide
        )
    low, high = matrix.min(axis=0)[wide], matrix.max(axis=0)[wide]
    if matrix.dtype.kind == "f":
        return not (max(-float(low.min()), float(high.max())) >= 2.0**53)
    return not _past_float64_integers(np.concatenate([low, high]))


def numeric_frame(frame, values, provenance=None):
    """``frame``'s rows, then the synthetic rows given as a float matrix, as
    one DataFrame of its columns and dtypes, for a frame that
    :func:`numbers_only` accepts: the values of
    :func:`concat_frames` of :func:`synthetic_columns`, built a dtype at a
    time (integers rounded into their range, floats kept within theirs).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"n": [1, 2], "x": [0.5, 1.0]})
    >>> out = numeric_frame(frame, np.array([[1.6, 0.75]]))
    >>> out["n"].tolist(), out["x"].tolist(), out.index.tolist()
    ([1, 2, 2], [0.5, 1.0, 0.75], [0, 1, 2])
    """
    n, n_new = len(frame), len(values)
    groups = _dtype_groups(frame)
    columns = [None] * frame.shape[1]
    for dtype, positions in groups.items():
        # one column per row, as pandas holds them: the frame wraps the block
        block = np.empty((len(positions), n + n_new), dtype)
        block[:, :n] = _columns_of(frame, dtype, positions, len(groups)).T
        _blocks.run_blocks(rows_into_columns, n_new, _blocks.BLOCK_ROWS, block, values,
                           np.asarray(positions, np.int64), *_fitting(dtype),
                           n)  # fmt: skip
        if len(groups) == 1:
            out = pd.DataFrame(block.T, copy=False)
        for i, j in enumerate(positions):
            columns[j] = block[i]
    if len(groups) > 1:
        out = pd.DataFrame(dict(enumerate(columns)), copy=False)
    out.columns = frame.columns
    out.index = _join_index(frame.index, n_new)
    out.index.name = frame.index.name
    return out


def _columns_of(frame, dtype, positions, n_groups):
    """The ``(n, len(positions))`` values of ``frame``'s columns at
    ``positions``, all of ``dtype``: a small frame is read whole in that
    dtype (every other column cast and dropped; pandas' selection of the
    columns costs more), a larger one selects them first."""
    if n_groups == 1:
        return frame.to_numpy(dtype=dtype)
    if frame.size <= SMALL_FRAME_VALUES:
        with np.errstate(invalid="ignore", over="ignore"):  # the dropped columns
            return frame.to_numpy(dtype=dtype)[:, positions]
    return frame.iloc[:, positions].to_numpy(dtype=dtype)


def _fitting(dtype):
    """``(lo, hi, top, at_top, rounding)`` of :func:`round_into_range` for a
    numpy bool, integer or float ``dtype``, as
    :func:`~smotekit._kernels.rows_into_columns` takes them."""
    if dtype.kind == "f":
        top = float(np.finfo(dtype).max)
        return -top, top, np.inf, dtype.type(0), False
    lo, hi, top, _, at_top, _ = rounding_bounds(dtype)
    return lo, hi, top, at_top, True


def concat_frames(frame, synth):
    """Originals first, then synthetic rows, with the documented index rule."""
    synth = synth.set_axis(synthetic_index(frame.index, len(synth)), axis=0)
    out = pd.concat([frame, synth], axis=0)
    out.index = _join_index(frame.index, len(synth))
    out.index.name = frame.index.name
    return out


def assemble_sparse_frame(spec, X_out):
    """The user's sparse frame, then the synthetic rows of ``X_out`` (its rows
    after the originals), each column in its own dtype.

    Columns of ``X_out``'s dtype come from it whole (their original values
    are exact in it); the others (a float32 or integer column beside float64
    ones) take the user's original column, then the synthetic values cast to
    its dtype (integers rounded).
    """
    frame = spec.frame
    n = len(frame)
    out = pd.DataFrame.sparse.from_spmatrix(X_out)
    built = pd.SparseDtype(X_out.dtype, X_out.dtype.type(0))  # False for bools
    for j, dtype in enumerate(frame.dtypes):
        if dtype != built:
            values = out.iloc[n:, j].sparse.to_dense().to_numpy()
            added = pd.array(_cast_column(values, dtype), dtype=dtype)
            joined = pd.concat(
                [frame.iloc[:, j].reset_index(drop=True), pd.Series(added)],
                ignore_index=True,
            )
            out.isetitem(j, joined)
    out.columns = frame.columns
    out.index = _join_index(frame.index, X_out.shape[0] - n)
    return out


# --------------------------------------------------------------------------- y


@dataclass
class YSpec:
    """How y came in."""

    kind: str  # "numpy", "column", "list", "series", "frame", "onehot"
    dtype: object = None
    name: object = None
    columns: object = None
    index: object = None
    classes: object = None
    original: object = field(default=None, repr=False)
    #: The DataFrame a one-hot y came in, if it came as one.
    frame: object = field(default=None, repr=False)
    #: ``class_counts`` of the labels (sorted classes), counted once per call.
    counts: object = field(default=None, repr=False)
    #: Whether y came as a Python list (a one-hot list comes back as one).
    listed: bool = False


def _target_type(labels, distinct):
    """``type_of_target(labels)``, read from the distinct labels when they
    are text (``distinct``: :func:`~smotekit._strategy.text_labels` of
    ``labels``): it is the same (it looks at the first label and at how many
    there are), and telling them apart by hashing spares sorting every one
    of them (a second per million object labels)."""
    return type_of_target(labels if distinct is None else distinct[1])


def check_y(y, sampler_name):
    """Validate class labels and remember their container.

    Parameters
    ----------
    y : array-like, pandas Series or DataFrame
        Class labels, or a one-hot (label-binarized) matrix.
    sampler_name : str
        Name used in error messages.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    spec : YSpec

    Examples
    --------
    >>> labels, spec = check_y(["a", "b", "a"], "SMOTE")
    >>> labels.tolist(), spec.kind
    (['a', 'b', 'a'], 'list')
    """
    if y is None:
        raise ValueError(
            f"{sampler_name} requires y to be passed, but the target y is None. "
            "Pass the class labels to resample."
        )
    if sparse.issparse(y):
        kind = "one-hot " if y.ndim == 2 and y.shape[1] > 1 else ""
        raise TypeError(
            f"{sampler_name} takes y as dense class labels; got a sparse "
            f"{type(y).__name__} of shape {y.shape}. Pass y.toarray() (a "
            f"{kind}label matrix comes back dense), or the labels as a 1-D array."
        )
    if isinstance(y, pd.Series):
        spec = YSpec("series", y.dtype, y.name, index=y.index, original=y)
        labels = y.to_numpy()
    elif isinstance(y, pd.DataFrame) and y.shape[1] == 1:
        spec = YSpec(
            "frame", y.dtypes.iloc[0], columns=y.columns, index=y.index, original=y
        )
        labels = y.iloc[:, 0].to_numpy()
    else:
        kind = "list" if isinstance(y, list) else "numpy"
        arr = np.asarray(y.to_numpy() if isinstance(y, pd.DataFrame) else y)
        spec = YSpec(kind, arr.dtype, original=arr, listed=kind == "list")
        labels = arr
        if arr.ndim == 2 and arr.shape[1] == 1:
            spec.kind = "column" if kind == "numpy" else kind
            labels = arr[:, 0]
        elif arr.ndim == 2:
            labels = _one_hot_labels(arr, sampler_name)
            spec.kind, spec.classes = "onehot", np.arange(arr.shape[1])
            if isinstance(y, pd.DataFrame):
                spec.frame = y
        elif arr.ndim != 1:
            hint = ""
            if isinstance(y, (str, bytes)):
                hint = (
                    f" y is the {type(y).__name__} {y!r}: pass the labels "
                    f"themselves, such as frame[{y!r}], with X the other columns "
                    f"(frame.drop(columns={y!r}))."
                )
            raise ValueError(
                f"{sampler_name} expects y of shape (n_samples,); got shape "
                f"{arr.shape}.{hint}"
            )
    if labels.dtype.kind == "c":
        raise complex_labels_error(sampler_name)
    if labels.dtype.kind in "fcOmM":  # kinds that can hold a missing label
        missing = np.asarray(pd.isna(labels), dtype=bool)
        if missing.any():
            raise missing_labels_error(
                sampler_name, int(missing.sum()), int(missing.argmax())
            )
    # integer and bool labels are always binary or multi-class; the general
    # check reads every label several times (text ones: found once, hashed)
    distinct = text_labels(labels)
    try:
        target_type = (
            "multiclass"
            if labels.dtype.kind in "biu"
            # numpy's StringDType (kind "T"), which scikit-learn does not read
            else _target_type(
                labels.astype(object) if labels.dtype.kind == "T" else labels,
                distinct,
            )
        )
    except TypeError:  # labels that cannot be compared with each other
        raise mixed_labels_error(sampler_name, labels) from None
    refused = target_type_error(target_type, labels.dtype, sampler_name)
    if refused is not None:
        raise refused
    counts = class_counts(labels, distinct)
    if len(counts) < 2:
        raise ValueError(
            f"The target 'y' of {sampler_name} needs at least 2 classes to "
            f"resample; it has 1 class ({python_scalar(labels[0])!r}). Check that "
            "y is the label column and that the data was not filtered to one class."
        )
    spec.counts = counts
    return labels, spec


def keep_attrs(out, given):
    """``out``, a DataFrame or Series built from the user's ``given`` one,
    with a copy of its ``attrs``, as :func:`pandas.concat` of frames carrying
    the same ``attrs`` gives them (other outputs unchanged).

    Examples
    --------
    >>> import pandas as pd
    >>> given = pd.DataFrame({"a": [1]}); given.attrs["source"] = "db"
    >>> keep_attrs(pd.DataFrame({"a": [1, 2]}), given).attrs
    {'source': 'db'}
    """
    if (
        isinstance(out, (pd.DataFrame, pd.Series))
        and isinstance(given, (pd.DataFrame, pd.Series))
        and given.attrs
    ):
        out.attrs = copy.deepcopy(given.attrs)
    return out


def complex_labels_error(sampler_name):
    """The error for complex numbers given as class labels."""
    return ValueError(
        f"Complex data not supported: the target 'y' of {sampler_name} holds "
        "complex numbers; class labels are ints, strings or bools."
    )


def target_type_error(target_type, dtype, sampler_name):
    """The error for labels of scikit-learn's ``type_of_target`` kind
    ``target_type`` (of ``dtype``), or None for binary and multi-class ones.

    Examples
    --------
    >>> target_type_error("multiclass", np.dtype(int), "SMOTE") is None
    True
    >>> str(target_type_error("unknown", np.dtype(object), "SMOTE"))[:40]
    'Unknown label type: unknown. SMOTE could'
    """
    if target_type in ("binary", "multiclass"):
        return None
    if target_type in ("continuous", "continuous-multioutput"):
        return ValueError(
            f"Unknown label type: {target_type}. {sampler_name} resamples "
            "classification targets; y looks like a regression target "
            "(non-integer numbers). Pass class labels (ints, strings or bools)."
        )
    if target_type == "unknown":
        return ValueError(
            f"Unknown label type: unknown. {sampler_name} could not read y as "
            f"class labels (dtype {dtype}; labels of dtype object must all "
            "be strings). Convert y with y.astype(int) or y.astype(str)."
        )
    return ValueError(
        f"{sampler_name} supports binary and multi-class targets; got a "
        f"target of type {target_type!r}. Pass one label per sample."
    )


def _one_hot_labels(arr, sampler_name):
    is_indicator = arr.dtype.kind in "biuf" and np.isin(arr, (0, 1)).all()
    if not (is_indicator and (arr.sum(axis=1) == 1).all()):
        raise ValueError(
            f"Multilabel and multioutput targets are not supported. "
            f"{sampler_name} takes one class label per sample (a 1-D y), or a "
            "one-hot matrix with exactly one 1 per row."
        )
    return arr.argmax(axis=1)


#: Labels a block of :func:`labels_with_new` writes (2 MiB of int64).
LABEL_BLOCK = 2**18


def labels_with_new(labels, counts):
    """``labels`` followed by ``counts[c]`` copies of each class ``c``, in
    ``counts`` order, written into one new array of ``labels``' dtype.

    Blocks of the result are written on all cores (faulting in the fresh
    pages of a large result is most of the work).

    Examples
    --------
    >>> import numpy as np
    >>> labels_with_new(np.array([0, 1, 0]), {1: 2, 2: 1}).tolist()
    [0, 1, 0, 1, 1, 2]
    """
    n = labels.shape[0]
    joined = _pages.empty(n + sum(counts.values()), labels.dtype)
    runs = [(0, n, None)]  # (start, stop, class or None for the originals)
    for cls, count in counts.items():
        runs.append((runs[-1][1], runs[-1][1] + count, cls))

    def write(block):
        low, high = block
        for start, stop, cls in runs:
            s, e = max(start, low), min(stop, high)
            if s < e:
                joined[s:e] = labels[s:e] if cls is None else cls

    blocks = range(0, len(joined), LABEL_BLOCK)
    map_threads(write, [(s, min(s + LABEL_BLOCK, len(joined))) for s in blocks])
    return joined


def assemble_y(spec, labels, counts):
    """Original labels followed by the synthetic rows' labels, as they came in."""
    pandas_kind = spec.kind in ("series", "frame")
    joined = labels_with_new(labels[:0] if pandas_kind else labels, counts)
    added = joined if pandas_kind else joined[labels.shape[0] :]
    n_new = len(added)
    if spec.kind == "series":
        original = spec.original
        synth = pd.Series(
            added, index=synthetic_index(original.index, n_new), name=original.name
        )
        synth = synth.astype(original.dtype)
        out = pd.concat([original, synth])
        out.index = _join_index(original.index, n_new)
        out.index.name = original.index.name
        return out
    if spec.kind == "frame":
        original = spec.original
        synth = pd.DataFrame(
            {original.columns[0]: added}, index=synthetic_index(original.index, n_new)
        )
        synth = synth.astype(original.dtypes.to_dict())
        synth.columns = original.columns  # and their name
        out = pd.concat([original, synth])
        out.index = _join_index(original.index, n_new)
        return out
    if spec.kind == "onehot":
        onehot = np.zeros((n_new, spec.original.shape[1]), dtype=spec.original.dtype)
        onehot[np.arange(n_new), added.astype(np.int64)] = 1
        if spec.frame is None:
            out = np.vstack([spec.original, onehot])
            return out.tolist() if spec.listed else out
        original = spec.frame
        synth = pd.DataFrame(
            onehot,
            columns=original.columns,
            index=synthetic_index(original.index, n_new),
        ).astype(original.dtypes.to_dict())
        out = pd.concat([original, synth])
        out.index = _join_index(original.index, n_new)
        out.index.name = original.index.name
        return out
    if spec.kind == "column":
        return joined.reshape(-1, 1)
    if spec.kind == "list":
        if spec.original.ndim == 2:
            return joined.reshape(-1, 1).tolist()
        return joined.tolist()
    return joined


def select_X(X, X_array, spec, rows):
    """The rows ``rows`` of X, in the user's container.

    Used by samplers that keep a subset of the original rows. A DataFrame
    keeps its index labels, columns and every column dtype (the rows are
    taken from the user's frame itself, so no value is converted); a sparse
    matrix keeps its format and dtype; a list comes back as a list.

    Parameters
    ----------
    X : the user's X
    X_array : ndarray or CSR matrix
        ``X`` as returned by :func:`check_X`.
    spec : XSpec
    rows : ndarray of int
        Positions of the rows to return, in output order.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2, 3]}, index=["x", "y", "z"])
    >>> arr, spec = check_X(frame, "RandomUnderSampler")
    >>> select_X(frame, arr, spec, [0, 2]).index.tolist()
    ['x', 'z']
    """
    rows = np.asarray(rows, dtype=np.intp)
    if spec.kind in ("pandas", "pandas_sparse"):
        return X.iloc[rows]
    if isinstance(X, np.ndarray) and X.dtype != X_array.dtype:
        return np.ascontiguousarray(X[rows])  # numbers held as objects: as given
    out = X_array[rows]
    if spec.kind == "sparse":
        return out.asformat(spec.sparse_format)
    return out.tolist() if spec.kind == "list" else out


def select_y(spec, labels, rows):
    """The labels of the rows ``rows``, in the container y came in.

    Examples
    --------
    >>> labels, spec = check_y(["a", "b", "a"], "RandomUnderSampler")
    >>> select_y(spec, labels, [2, 1])
    ['a', 'b']
    """
    rows = np.asarray(rows, dtype=np.intp)
    if spec.kind in ("series", "frame"):
        return spec.original.iloc[rows]
    if spec.kind == "onehot":
        if spec.frame is not None:
            return spec.frame.iloc[rows]
        taken = spec.original[rows]
        return taken.tolist() if spec.listed else taken
    taken = labels[rows]
    if spec.kind == "column":
        return taken.reshape(-1, 1)
    if spec.kind == "list":
        if spec.original.ndim == 2:
            return taken.reshape(-1, 1).tolist()
        return taken.tolist()
    return taken


def check_lengths(X_array, labels, sampler_name):
    """Raise if X and y do not describe the same number of samples."""
    if X_array.shape[0] != len(labels):
        raise ValueError(
            f"X and y given to {sampler_name} have different lengths: X has "
            f"{X_array.shape[0]} rows and y has {len(labels)} labels. Pass one "
            "label per row of X."
        )


def is_int_like(value):
    return isinstance(value, Integral) and not isinstance(value, bool)
