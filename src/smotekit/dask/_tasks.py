"""Pure task functions of the Dask samplers (run on the workers).

Every function takes and returns plain numpy / pandas objects, so the same
code runs on the threaded scheduler and on ``distributed`` workers. A *block*
is ``(rows, data)``: the sorted input row indices of some rows of one class
and those rows (an ndarray, or a pandas DataFrame for dask DataFrames).
"""

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.multiclass import type_of_target

from .. import _data
from .._neighbors import ExactNeighbors, _scaled, scale_exponent_for, top_exponent
from .._strategy import python_scalar

__all__ = [
    "block_rows",
    "build_chunk",
    "class_block",
    "concat_blocks",
    "drop_column",
    "filter_block",
    "first_item",
    "get_column",
    "insert_column",
    "merge_topk",
    "numeric",
    "pair_topk",
    "partition_stats",
    "partition_topk",
    "pick",
    "plain_index",
    "provenance_frame",
    "search_exponent",
    "seed_table",
    "take_rows",
]


def _labels(y):
    return y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else np.asarray(y)


def _index_max(part):
    """The largest label of an integer index of a non-empty pandas object."""
    if (
        isinstance(part, (pd.Series, pd.DataFrame))
        and len(part)
        and pd.api.types.is_integer_dtype(part.index.dtype)
    ):
        return int(part.index.max())
    return None


def _synthetic_next(part):
    """:func:`smotekit._data.first_synthetic_number` of a pandas object's
    index (0 for arrays)."""
    if isinstance(part, (pd.Series, pd.DataFrame)):
        return _data.first_synthetic_number(part.index)
    return 0


def partition_stats(x, y, sampler_name, numeric_x, allow_nan, hint):
    """Length, class counts, largest index labels, label type and magnitude
    (``top``: :func:`smotekit._neighbors.top_exponent` of float64 values) of
    a partition.

    The partition's features are checked as the in-memory sampler checks them
    (numeric); their missing and infinite values are counted
    (``non_finite``: :func:`smotekit._data.non_finite_counts`, rows counted
    within the partition) for the caller to refuse them, naming the first
    one's row in the whole input. ``categories`` are those of categorical
    labels, ``x_categories`` those of categorical feature columns.
    """
    labels = _labels(y)
    if labels.ndim != 1:
        labels = labels.reshape(len(labels), -1)[:, 0]
    n = len(labels)
    n_x = x.shape[0]
    non_finite = top = None
    if n and n_x:
        array = _data.check_X(
            x,
            sampler_name,
            numeric=numeric_x,
            allow_nan=True,
            non_numeric_hint=hint,
        )[0]
        values = array.data if sparse.issparse(array) else array
        # one finiteness pass, where the check or the magnitude needs it
        finite = values.dtype.kind not in "fc" or (
            (not allow_nan or values.dtype == np.float64) and _data._all_finite(values)
        )
        if not allow_nan and not finite:
            non_finite = _data.non_finite_counts(array)
        if values.dtype == np.float64 and finite:
            top = top_exponent(values)
    if labels.dtype.kind == "c":
        raise _data.complex_labels_error(sampler_name)
    missing = np.zeros(n, dtype=bool)
    if labels.dtype.kind in "fcOmM":  # kinds that can hold a missing label
        missing = np.asarray(pd.isna(labels), dtype=bool)
    if missing.any():  # refused by the caller, which names the first
        labels = labels[~missing]
    try:
        classes, counts = (
            np.unique(labels, return_counts=True) if len(labels) else ([], [])
        )
    except TypeError:  # labels that cannot be compared with each other
        raise _data.mixed_labels_error(sampler_name, labels) from None
    try:
        target_type = type_of_target(labels) if len(labels) else None
    except TypeError:  # bytes labels, which sort but are refused
        raise _data.mixed_labels_error(sampler_name, classes) from None
    categories = None
    if isinstance(getattr(y, "dtype", None), pd.CategoricalDtype):
        categories = y.dtype.categories
    return {
        "n": n,
        "n_x": n_x,
        "counts": {
            python_scalar(c): int(k) for c, k in zip(classes, counts, strict=True)
        },
        "index_max": _index_max(x),
        "y_index_max": _index_max(y),
        "synthetic_next": _synthetic_next(x),
        "y_synthetic_next": _synthetic_next(y),
        "non_finite": non_finite,
        "categories": categories,
        "x_categories": (
            {
                c: d.categories
                for c, d in x.dtypes.items()
                if isinstance(d, pd.CategoricalDtype)
            }
            if isinstance(x, pd.DataFrame)
            else {}
        ),
        "missing": int(missing.sum()),
        "first_missing": int(missing.argmax()) if missing.any() else None,
        "target_type": target_type,
        "dtype": labels.dtype,
        "top": top,
    }


def block_rows(*rows):
    """Input row indices (sorted) of a class from its blocks' row indices (in
    block order)."""
    return np.concatenate(rows) if len(rows) > 1 else rows[0]


def class_block(cls, offsets, *xys):
    """The rows of class ``cls`` in some partitions, as a block."""
    rows, data = [], []
    for off, (x, y) in zip(offsets, zip(xys[::2], xys[1::2], strict=True), strict=True):
        mask = _labels(y) == cls
        rows.append(np.flatnonzero(mask).astype(np.int64) + off)
        data.append(x[mask])
    return np.concatenate(rows), _concat(data)


def _concat(data):
    if isinstance(data[0], pd.DataFrame):
        return pd.concat(data, axis=0) if len(data) > 1 else data[0]
    return np.concatenate(data, axis=0) if len(data) > 1 else np.asarray(data[0])


def concat_blocks(*blocks):
    """One block from several (rows kept sorted)."""
    rows = np.concatenate([b[0] for b in blocks])
    data = _concat([b[1] for b in blocks])
    order = np.argsort(rows, kind="stable")
    if (order != np.arange(len(order))).any():
        rows = rows[order]
        data = data.iloc[order] if isinstance(data, pd.DataFrame) else data[order]
    return rows, data


def filter_block(block, mask):
    """The rows of a block where ``mask`` is true."""
    rows, data = block
    data = data[mask] if not isinstance(data, pd.DataFrame) else data.iloc[mask]
    return rows[mask], data


def numeric(data, sampler_name="the sampler"):
    """The matrix the algorithms work on, exactly as the in-memory sampler sees it."""
    if isinstance(data, pd.DataFrame):
        return _data.check_X(data, sampler_name, allow_nan=True)[0]
    array = np.ascontiguousarray(data)
    if array.dtype.kind not in "biuf":  # numbers held as strings or objects
        array = array.astype(np.float64)
    return array


# ----------------------------------------------------------------- neighbours


def search_exponent(*parts):
    """The power of two the in-memory search scales the union of ``parts``
    (blocks ``(rows, data)`` or partitions) by, so that every block is
    searched, and its distances merged, in the same units as there (0 for
    data of ordinary magnitude)."""
    arrays = [numeric(p[1] if isinstance(p, tuple) else p) for p in parts]
    if any(a.dtype != np.float64 for a in arrays):
        return 0  # as in memory: only float64 data is scaled
    tops = [top_exponent(a) for a in arrays]
    tops = [t for t in tops if t is not None]
    return scale_exponent_for(max(tops), arrays[0].shape[1]) if tops else 0


def pair_topk(block_a, block_b, start_b, k, same, n_jobs=None, exp=0):
    """Up to ``k`` nearest rows of block b for every row of block a.

    Returns ``(distances, positions)`` with positions counted from ``start_b``
    (class positions); ``same`` means b is a, each row excluded from its own
    neighbours. The blocks are searched scaled by ``2**-exp`` (see
    :func:`search_exponent`) and at that scale only (a block of small values
    is not scaled up again: in memory it is searched at the scale of the
    whole set), the distances left in those units.
    """
    xa = _scaled(numeric(block_a[1]), exp)
    if same:
        n_k = min(k, xa.shape[0] - 1)
        if n_k <= 0:
            return np.empty((len(xa), 0)), np.empty((len(xa), 0), dtype=np.int64)
        nn = ExactNeighbors(n_neighbors=n_k + 1, n_jobs=n_jobs)._fit_at_scale(xa, 0)
        dist, ind = nn.kneighbors(n_neighbors=n_k)
    else:
        xb = _scaled(numeric(block_b[1]), exp)
        n_k = min(k, xb.shape[0])
        nn = ExactNeighbors(n_neighbors=n_k, n_jobs=n_jobs)._fit_at_scale(xb, 0)
        dist, ind = nn.kneighbors(xa)
    return np.asarray(dist, dtype=np.float64), np.asarray(ind, np.int64) + start_b


def partition_topk(block, x, y, offset, k, n_jobs=None, exp=0):
    """Up to ``k`` nearest rows of one partition for every row of a block.

    Returns ``(distances, input row indices, labels of those rows)``, the
    distances in the units of the data scaled by ``2**-exp``.
    """
    xq = _scaled(numeric(block[1]), exp)
    xp = _scaled(numeric(x), exp)
    n_k = min(k, xp.shape[0])
    nn = ExactNeighbors(n_neighbors=n_k, n_jobs=n_jobs)._fit_at_scale(xp, 0)
    dist, ind = nn.kneighbors(xq)
    ind = np.asarray(ind, dtype=np.int64)
    return np.asarray(dist, dtype=np.float64), ind + offset, _labels(y)[ind]


def merge_topk(k, *candidates):
    """The ``k`` nearest of several candidate lists, ties by lower index.

    Each candidate is ``(distances, indices, *extra)`` with one row per query;
    extra arrays (labels) follow the same selection.
    """
    n_arrays = len(candidates[0])
    joined = [
        np.concatenate([c[i] for c in candidates], axis=1) for i in range(n_arrays)
    ]
    dist, ind = joined[0], joined[1]
    order = np.lexsort((ind, dist), axis=1)[:, :k]
    return tuple(np.take_along_axis(a, order, axis=1) for a in joined)


def concat_rows(*arrays):
    """Row-wise concatenation (the per-block tables of one class)."""
    return np.concatenate(arrays, axis=0)


def indices(candidates):
    """The index array of a ``(distances, indices, ...)`` candidate list."""
    return candidates[1]


# ------------------------------------------------------------ building rows


def take_rows(x, offset, wanted):
    """The rows of one partition whose input indices are in ``wanted`` (sorted)."""
    lo = np.searchsorted(wanted, offset)
    hi = np.searchsorted(wanted, offset + x.shape[0])
    local = wanted[lo:hi] - offset
    data = x.iloc[local] if isinstance(x, pd.DataFrame) else np.asarray(x)[local]
    return wanted[lo:hi], data


def provenance_frame(provenance, first, positions):
    """A chunk's provenance as ``provenance_.to_frame()`` rows ``first`` on."""
    frame = provenance.to_frame()
    frame.index = pd.RangeIndex(first, first + len(frame))
    return frame.astype({"parent": positions, "neighbor": positions})


def pick(block, provenance):
    """The rows of a block that a chunk's provenance reads."""
    rows, data = block
    needed = np.union1d(provenance.parent, provenance.neighbor)
    keep = np.isin(rows, needed, assume_unique=True)
    data = data.iloc[keep] if isinstance(data, pd.DataFrame) else data[keep]
    return rows[keep], data


def build_chunk(sampler, provenance, index, sampler_name, *sources):
    """Build one partition of synthetic rows with the in-memory sampler's hooks.

    ``sources`` are blocks holding (at least) every row the provenance reads;
    the rows are built by ``sampler._synthesize`` (arrays) or
    ``sampler._synthesize_frame`` (DataFrames), so exactly as in memory.
    """
    rows, data = concat_blocks(*sources) if len(sources) > 1 else sources[0]
    local = replace(
        provenance,
        parent=np.searchsorted(rows, provenance.parent),
        neighbor=np.searchsorted(rows, provenance.neighbor),
    )
    if isinstance(data, pd.DataFrame):
        array = _data.check_X(
            data,
            sampler_name,
            numeric=sampler._requires_numeric,
            allow_nan=True,
        )[0]
        out = sampler._synthesize_frame(data, array, local)
        return out.set_axis(index, axis=0)
    data = numeric(data) if sampler._requires_numeric else np.ascontiguousarray(data)
    out = np.empty((len(provenance), data.shape[1]), dtype=data.dtype)
    sampler._synthesize(data, local, out)
    return out


def label_chunk(cls, n, dtype, index=None, name=None):
    """Labels of one partition of synthetic rows (a Series when ``index``)."""
    values = np.empty(n, dtype=dtype if isinstance(dtype, np.dtype) else object)
    values[:] = cls
    if index is None:
        return values
    return pd.Series(values, index=index, name=name).astype(dtype)


def seed_table(rows, class_table, selected):
    """Input row indices of the selected seeds' in-class neighbours."""
    return rows[class_table[selected]]


def first_item(block):
    """The input row indices of a block."""
    return block[0]


def plain_index(part):
    """``part`` with its categorical index as plain labels: text categories
    as text, others as Python objects, as the index of the in-memory
    sampler's output holds them once synthetic labels join them."""
    index = part.index
    text = pd.api.types.is_string_dtype(index.categories.dtype)
    return part.set_axis(index.astype(index.categories.dtype if text else object))


def drop_column(frame, column):
    """The partition without the label column (the features)."""
    return frame.drop(columns=[column])


def get_column(frame, column):
    """The label column of a partition."""
    return frame[column]


def insert_column(frame, labels, column, position):
    """Put the label column back at its place."""
    frame = frame.copy()
    frame.insert(position, column, labels)
    return frame
