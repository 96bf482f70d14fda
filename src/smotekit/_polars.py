"""polars in, polars out.

A sampler given a polars ``DataFrame`` or ``Series`` works on its pandas
copy (columns, dtypes and names carried over by polars itself, through
pyarrow) and hands back polars data of the original schema: the same column
names, order and dtypes (an ``Enum`` stays an ``Enum``, ``Float32`` stays
``Float32``). polars frames have no index, so the pandas index rule for
synthetic rows does not apply: rows are in order, originals first.

polars is never imported unless the data is polars.
"""

import functools

__all__ = ["accepts_polars", "is_polars", "to_pandas"]

_PYARROW_HINT = (
    "polars data is exchanged with pandas through pyarrow; install it "
    '(pip install "smotekit[polars]").'
)


def is_polars(obj):
    """Whether ``obj`` is a polars object (polars itself is not imported).

    Examples
    --------
    >>> import numpy as np
    >>> is_polars(np.zeros(3))
    False
    """
    module = type(obj).__module__
    return module == "polars" or module.startswith("polars.")


def _frame_to_pandas(frame):
    """The pandas copy of a polars DataFrame, values kept exactly.

    Columns with nulls and Decimal columns become pyarrow-backed pandas
    columns (a numpy copy would turn a null integer column into float64,
    rounding values past 2**53, mix up NaN and null, and make Decimal and
    null Boolean columns object ones); the others numpy-backed ones.
    """
    out = frame.to_pandas()
    for name, dtype in frame.schema.items():
        column = frame.get_column(name)
        if dtype.is_decimal() or column.null_count():
            out[name] = column.to_pandas(use_pyarrow_extension_array=True)
    return out


def _unsupported_columns(frame):
    """Names of the columns pyarrow cannot hand to pandas (Int128, Object…)."""
    bad = []
    for name in frame.columns:
        try:
            frame.get_column(name).head(1).to_pandas()
        except Exception:  # pyarrow's own errors, whatever their class
            bad.append(name)
    return bad


def _to_pandas(obj, param, sampler_name):
    import polars as pl

    if isinstance(obj, pl.LazyFrame):
        raise TypeError(
            f"{sampler_name}: {param} is a polars LazyFrame; resampling needs "
            f"the rows in memory. Pass {param}.collect()."
        )
    if not isinstance(obj, (pl.DataFrame, pl.Series)):
        return obj
    frame = obj if isinstance(obj, pl.DataFrame) else obj.to_frame()
    try:
        out = _frame_to_pandas(frame)
    except ModuleNotFoundError as exc:
        raise ImportError(f"{sampler_name}: {_PYARROW_HINT}") from exc
    except Exception as exc:
        bad = _unsupported_columns(frame)
        if not bad:
            raise
        shown = ", ".join(f"{name!r} ({frame.schema[name]})" for name in bad)
        raise TypeError(
            f"{sampler_name}: column(s) {shown} of the polars {param} have no "
            "pandas equivalent, so they cannot be resampled. Cast them to a "
            "standard type first (for example pl.Int64 or pl.Float64)."
        ) from exc
    return out if isinstance(obj, pl.DataFrame) else out.iloc[:, 0]


def to_pandas(obj, param, name):
    """``obj`` itself, or the pandas copy of polars data (``param`` and
    ``name``: the argument and the function, for error messages)."""
    return _to_pandas(obj, param, name) if is_polars(obj) else obj


def _to_polars(result, original):
    """``result`` (pandas) as polars data with ``original``'s schema; NaN
    stays NaN (polars tells it from null)."""
    import polars as pl

    if isinstance(original, pl.DataFrame):
        out = pl.from_pandas(result, nan_to_null=False)
        return out.cast(dict(original.schema))
    if isinstance(original, pl.Series):
        out = pl.from_pandas(result, nan_to_null=False)
        return out.cast(original.dtype).alias(original.name)
    return result


def accepts_polars(method):
    """Let ``method(self, X, y)`` take polars data and give polars back.

    Each of ``X`` and ``y`` that is polars is handed to ``method`` as its
    pandas copy; what ``method`` returns for it (a ``(X, y)`` pair) comes
    back as polars with the original schema. Other inputs pass untouched,
    and a method that returns ``self`` (``fit``) returns it unchanged.
    """

    @functools.wraps(method)
    def wrapper(self, X, y, *args, **kwargs):
        if not (is_polars(X) or is_polars(y)):
            return method(self, X, y, *args, **kwargs)
        name = type(self).__name__
        X_in, y_in = _to_pandas(X, "X", name), _to_pandas(y, "y", name)
        result = method(self, X_in, y_in, *args, **kwargs)
        if result is self:
            return result
        X_out, y_out = result
        return _to_polars(X_out, X), _to_polars(y_out, y)

    return wrapper
