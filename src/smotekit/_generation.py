"""Pure functions that build synthetic rows into a preallocated output.

A synthetic row's value is ``X[a] + g * (X[b] - X[a])`` for its provenance
(:mod:`smotekit._provenance`), computed in the working float dtype
(``X``'s own float dtype, float64 for integer data, then rounded half to
even for integer outputs); where the difference overflows (values beyond
half the dtype's largest), ``(1 - g) * X[a] + g * X[b]``, which stays
finite for a gap in [0, 1]. Values past the output dtype's range (an
extrapolating gap, smoothing noise) are saturated at its ends: finite input
never gives an infinite value. Integers beyond 2**53, which float64 cannot
all hold, are kept between the two rows' values. Random over-sampling is
the case ``b = a``, ``g = 0``. Rows are written straight into the output,
one block of rows at a time on every core (:mod:`smotekit._blocks`), so
no temporary larger than one block is created.
"""

import numpy as np
from scipy import sparse

from . import _blocks
from ._kernels import gather_rows, interpolate_rows, interpolate_rows_rounded
from ._provenance import build_from_draws, pending_replay
from ._sparse_kernels import drop_zeros_from, interpolate_csr_rows, union_sizes
from ._sparse_search import canonical_csr

__all__ = [
    "copy_rows_into",
    "interpolate_into",
    "interpolate_provenance_into",
    "interpolate_sparse",
    "round_into_range",
    "rounding_bounds",
    "take_into",
    "take_provenance_into",
    "within_segments",
    "work_dtype",
]


def work_dtype(dtype):
    """Floating dtype in which rows of ``dtype`` are interpolated.

    Examples
    --------
    >>> import numpy as np
    >>> work_dtype(np.float32), work_dtype(np.int16), work_dtype(">f4")
    (dtype('float32'), dtype('float64'), dtype('float32'))
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":  # numpy's new-style dtypes (text) have no byte order
        return np.dtype(np.float64)
    dtype = dtype.newbyteorder("=")  # the same for either byte order
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def round_into_range(values, dtype):
    """Fit float values into the range of a numeric ``dtype``.

    For an integer or bool ``dtype``, values are rounded half to even,
    clipped to the dtype's range (bool to [0, 1]) and cast to ``dtype``, so
    noise can never wrap a uint8 0 round to 255, nor a value at the top of
    int64 (2**63 once in float64) round to its bottom. For a float ``dtype``
    they are clipped to its finite range (an infinity from an overflow
    becomes the largest finite value of its sign; NaN stays), and keep
    their own dtype. Other dtypes are returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> round_into_range(np.array([-0.7, 2.5, 300.2]), np.uint8).tolist()
    [0, 2, 255]
    >>> int(round_into_range(np.array([2.0**63]), np.int64)[0]) == 2**63 - 1
    True
    >>> round_into_range(np.array([-np.inf, 7e4]), np.float16).tolist()
    [-65504.0, 65504.0]
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.rint(np.clip(values, 0, 1)).astype(dtype)
    if dtype.kind == "f":
        top = float(np.finfo(dtype).max)
        return np.clip(values, -top, top)
    if dtype.kind not in "iu":
        return values
    info = np.iinfo(dtype)
    rounded = np.rint(values)
    top = float(info.max)
    if top <= info.max:  # the top is a float: clip and cast
        return np.clip(rounded, info.min, top).astype(dtype)
    # 64-bit types: float(info.max) rounds up past the range, where a cast
    # wraps; clip below it, cast, then put the top back where it was reached
    result = np.clip(rounded, info.min, np.nextafter(top, 0)).astype(dtype)
    result[rounded >= top] = info.max
    return result


def take_into(out, X, parent, noise=None, block_rows=None):
    """Write ``X[parent]`` (plus ``noise`` when given) into ``out``, blockwise.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0], [250]], dtype=np.uint8)
    >>> out = np.empty((2, 1), dtype=np.uint8)
    >>> take_into(out, X, np.array([0, 1]), noise=np.array([[-3.0], [9.0]]))
    >>> out.ravel().tolist()
    [0, 255]
    """
    block_rows = block_rows or _blocks.BLOCK_ROWS
    if noise is None:
        words = _row_words(out, X)
        if words is not None:
            _blocks.run_blocks(gather_rows, len(parent), block_rows, *words, parent,
                        dest=out)  # fmt: skip
            return
    for start in range(0, len(parent), block_rows):
        stop = min(start + block_rows, len(parent))
        rows = X[parent[start:stop]]
        if noise is not None:
            with np.errstate(over="ignore"):  # saturated just below
                rows = rows.astype(work_dtype(X.dtype)) + noise[start:stop]
            rows = round_into_range(rows, out.dtype)
        out[start:stop] = rows


def copy_rows_into(out, X, block_rows=None):
    """``out[:] = X``, in blocks of rows shared by the cores (large copies).

    Examples
    --------
    >>> import numpy as np
    >>> out = np.empty((3, 2))
    >>> copy_rows_into(out, np.arange(6.0).reshape(3, 2))
    >>> out[2].tolist()
    [4.0, 5.0]
    """
    block_rows = block_rows or _blocks.BLOCK_ROWS

    def copy(start, stop):
        out[start:stop] = X[start:stop]

    _blocks.run_blocks(copy, len(X), block_rows, dest=out)


def _row_words(*arrays):
    """The arrays as 2-D views of the widest unsigned words that tile a row,
    when they all share one plain dtype and are C-contiguous and aligned."""
    first = arrays[0]
    if any(
        a.ndim != 2
        or a.dtype != first.dtype
        or a.dtype.hasobject
        or not a.flags.c_contiguous
        or a.shape[1] != first.shape[1]
        for a in arrays
    ):
        return None
    row_bytes = first.shape[1] * first.dtype.itemsize
    if row_bytes == 0:
        return None
    for word in (np.uint64, np.uint32, np.uint16, np.uint8):
        size = np.dtype(word).itemsize
        if row_bytes % size == 0 and all(a.ctypes.data % size == 0 for a in arrays):
            # through bytes: a wider word need not divide the item (<U3 is 12)
            return tuple(
                a.view(np.uint8).view(word).reshape(a.shape[0], row_bytes // size)
                for a in arrays
            )
    return None  # pragma: no cover - uint8 always qualifies


def interpolate_into(out, X, parent, neighbor, gap, block_rows=None):
    """Write ``X[parent] + gap * (X[neighbor] - X[parent])`` into ``out``.

    Parameters
    ----------
    out : ndarray of shape (n_synthetic, n_features)
        Destination (any numeric dtype); integer and bool destinations
        receive values rounded half to even, clipped to their range.
    X : ndarray of shape (n_samples, n_features)
        Source rows.
    parent, neighbor : ndarray of shape (n_synthetic,)
        Row indices into ``X``.
    gap : ndarray of shape (n_synthetic,)
        Gaps, in the working dtype of ``X``.
    block_rows : int, default=None
        Rows built per block (``None``: ``smotekit._blocks.BLOCK_ROWS``); the
        result does not depend on it.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0]])
    >>> out = np.empty((1, 2))
    >>> interpolate_into(out, X, np.array([0]), np.array([1]), np.array([0.25]))
    >>> out.tolist()
    [[0.5, 1.0]]
    """
    block_rows = block_rows or _blocks.BLOCK_ROWS
    wdt = work_dtype(X.dtype)
    fitting = out.dtype.kind in "biuf"
    gap = np.asarray(gap, dtype=wdt)
    compiled = (
        out.dtype == X.dtype
        and X.dtype.isnative
        and out.flags.c_contiguous
        and X.flags.c_contiguous
    )
    if compiled and X.dtype == wdt:
        _blocks.run_blocks(interpolate_rows, len(parent), block_rows, out, X, parent,
                    neighbor, gap, dest=out)  # fmt: skip
        return
    if compiled and X.dtype.kind in "biu":
        _blocks.run_blocks(interpolate_rows_rounded, len(parent), block_rows, out, X,
                           parent, neighbor, gap, *rounding_bounds(X.dtype),
                           dest=out)  # fmt: skip
        return
    wide_integers = (
        X.dtype in (np.int64, np.uint64)
        and out.dtype == X.dtype
        and _past_float64_integers(X)
    )
    for start in range(0, len(parent), block_rows):
        stop = min(start + block_rows, len(parent))
        a = X[parent[start:stop]].astype(wdt, copy=False)
        b = X[neighbor[start:stop]].astype(wdt, copy=False)
        g = gap[start:stop, None]
        with np.errstate(over="ignore", invalid="ignore"):
            step = b - a
            step *= g
            step += a
        overflow = ~np.isfinite(step)
        if overflow.any():  # as the compiled kernel (bounded_value) there
            g = np.broadcast_to(g, step.shape)[overflow]
            step[overflow] = _bounded_values(a[overflow], b[overflow], g)
        if fitting:
            # extrapolating samplers (SVMSMOTE) can leave the dtype's range
            step = round_into_range(step, out.dtype)
        if wide_integers:
            step = within_segments(step, X, parent[start:stop],
                                    neighbor[start:stop], gap[start:stop])  # fmt: skip
        out[start:stop] = step


def rounding_bounds(dtype):
    """``(lo, hi, top, at_bottom, at_top, segments)`` of
    :func:`round_into_range` and :func:`within_segments` for an integer or
    bool ``dtype``, as :func:`~smotekit._kernels.interpolate_rows_rounded`
    takes them.

    Examples
    --------
    >>> import numpy as np
    >>> rounding_bounds(np.dtype(np.uint8))[:3]
    (0.0, 255.0, inf)
    >>> lo, hi, top, bottom, at_top, segments = rounding_bounds(np.dtype(np.int64))
    >>> hi < 2.0**63 == top, int(bottom) == -(2**63), int(at_top) == 2**63 - 1, segments
    (True, True, True, True)
    """
    if dtype.kind == "b":
        return 0.0, 1.0, np.inf, dtype.type(False), dtype.type(True), False
    info = np.iinfo(dtype)
    top = float(info.max)
    bottom, at_top = dtype.type(info.min), dtype.type(info.max)
    if top <= info.max:  # the top is a float: no 64-bit rounding
        return float(info.min), top, np.inf, bottom, at_top, False
    return float(info.min), float(np.nextafter(top, 0)), top, bottom, at_top, True


def _bounded_values(a, b, g):
    """:func:`smotekit._kernels.bounded_value` on arrays, step for step in
    their dtype (saturation is left to :func:`round_into_range`)."""
    with np.errstate(over="ignore", invalid="ignore"):
        values = (1 - g) * a + g * b
        again = ~np.isfinite(values)
        if again.any():
            a, b, g = a[again], b[again], g[again]
            quarter = a.dtype.type(0.25)
            values[again] = (a * quarter + g * (b * quarter - a * quarter)) * 4
    return values


def within_segments(values, X, parent, neighbor, gap):
    """Integer ``values`` kept on their rows' segments, in ``X``'s dtype.

    Float64 rounds integers beyond 2**53, so a value built from two such
    rows can land outside the segment between them (two rows of 2**53 + 1
    give 2**53). A value from a gap in [0, 1] is clipped between its two
    rows' values; one from a negative gap (extrapolating away from the
    neighbour) to the parent's side of the line.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[2**53 + 1], [2**53 + 3]])
    >>> built = np.array([[2**53], [2**53 + 4]])  # as float64 rounds them
    >>> within_segments(built, X, np.array([0, 0]), np.array([0, 1]),
    ...                 np.array([0.5, 0.9])).ravel().tolist() == [2**53 + 1, 2**53 + 3]
    True
    """
    back = (np.asarray(gap) < 0).reshape(-1, 1)
    return _clip_to_segments(values, X[parent], X[neighbor], back)


def _clip_to_segments(values, a, b, back):
    """Integer ``values`` clipped between ``a`` and ``b`` (same shape), or,
    where ``back`` (a negative gap), to ``a``'s side away from ``b`` (``a``
    itself when ``b`` equals it)."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if back.any():
        info = np.iinfo(a.dtype)
        lo = np.where(back, np.where(b <= a, a, info.min), lo)
        hi = np.where(back, np.where(b < a, info.max, a), hi)
    return np.clip(values, lo, hi)


def interpolate_provenance_into(out, X, provenance, block_rows=None):
    """Write the synthetic rows of ``provenance`` (dense ``X``) into ``out``.

    As :func:`interpolate_into` with the provenance's arrays. When the
    provenance is not drawn yet (a deferred
    :class:`~smotekit._provenance.ProvenanceBuilder`) and the rows take the
    compiled path, each run of rows is drawn into a small scratch part and
    built at once (:func:`~smotekit._provenance.build_from_draws`): the
    provenance is then never written whole, and stays to be drawn when
    first read.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> from smotekit._draws import draw_pairs
    >>> from smotekit._provenance import ProvenanceBuilder, draw_into
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> X, nn = np.array([[0.0], [4.0]]), np.array([[1], [0]])
    >>> builder = ProvenanceBuilder(3, 2, np.float64, deferred=True)
    >>> draw_into(builder, draw_pairs, key, 0, 3, nn, np.arange(2))
    >>> p = builder.build()
    >>> out = np.empty((3, 1))
    >>> interpolate_provenance_into(out, X, p)
    >>> expected = np.empty((3, 1))
    >>> interpolate_into(expected, X, p.parent, p.neighbor, p.gap)
    >>> bool((out == expected).all())
    True
    """
    replay = pending_replay(provenance)
    wdt = work_dtype(X.dtype)
    same = (
        out.dtype == X.dtype
        and X.dtype.isnative
        and out.flags.c_contiguous
        and X.flags.c_contiguous
    )
    if replay is not None and same and X.dtype == wdt:

        def build(dest, part):
            gap = part.gap.astype(wdt, copy=False)
            interpolate_rows(dest, X, part.parent, part.neighbor, gap, 0, len(part))

        build_from_draws(out, replay, build, block_rows)
        return
    if replay is not None and same and X.dtype.kind in "biu":
        bounds = rounding_bounds(X.dtype)

        def build(dest, part):
            gap = part.gap.astype(wdt, copy=False)
            interpolate_rows_rounded(dest, X, part.parent, part.neighbor, gap,
                                     *bounds, 0, len(part))  # fmt: skip

        build_from_draws(out, replay, build, block_rows)
        return
    interpolate_into(out, X, provenance.parent, provenance.neighbor,
                     provenance.gap, block_rows)  # fmt: skip


def take_provenance_into(out, X, provenance, block_rows=None):
    """Write the copies of ``provenance`` (with their noise) into ``out``.

    As :func:`take_into`; a provenance not drawn yet, without noise, of
    rows that copy as whole words, is drawn and copied block by block as
    in :func:`interpolate_provenance_into`.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> from smotekit._draws import draw_bootstrap
    >>> from smotekit._provenance import ProvenanceBuilder, draw_into
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> X = np.array([[1, 2], [3, 4], [5, 6]])
    >>> builder = ProvenanceBuilder(4, 3, np.float64, copies=True, deferred=True)
    >>> draw_into(builder, draw_bootstrap, key, 0, 4, np.array([0, 2]))
    >>> p = builder.build()
    >>> out = np.empty((4, 2), dtype=X.dtype)
    >>> take_provenance_into(out, X, p)
    >>> bool((out == X[p.parent]).all())
    True
    """
    replay = pending_replay(provenance)
    words = _row_words(out, X) if replay is not None else None
    if words is not None:
        out_words, X_words = words

        def build(dest, part):
            gather_rows(dest, X_words, part.parent, 0, len(part))

        build_from_draws(out_words, replay, build, block_rows)
        return
    take_into(out, X, provenance.parent, provenance.noise, block_rows)


#: Stored entries of the original rows copied per block by
#: :func:`interpolate_sparse` (``head=True``), on every core.
HEAD_COPY_ENTRIES = 1 << 20


def interpolate_sparse(X, parent, neighbor, gap, block_rows=None, head=False):
    """Sparse counterpart of :func:`interpolate_into`; returns a CSR matrix.

    Compiled kernels, on every core: one counts the columns stored in either
    row of each synthetic row, one walks the two rows together and writes
    the values, those of the dense kernel bit for bit; no intermediate
    matrix is built. Zeros are not stored.

    Parameters
    ----------
    X : sparse matrix or array of shape (n_samples, n_features)
        The rows to interpolate between (any dtype; floats are kept,
        integers and bools are rounded into their range).
    parent, neighbor : array-like of shape (n_new,)
        The two rows of each synthetic row.
    gap : array-like of shape (n_new,)
        Position of each synthetic row from its parent towards its neighbour.
    block_rows : int, default=None
        Synthetic rows per block of work (``BLOCK_ROWS`` when None). Does not
        change the result.
    head : bool, default=False
        Whether the rows of ``X`` come first, as they are stored (explicit
        zeros and column order included), the synthetic rows being written
        after them into the same arrays: the resampled matrix, with no
        stacking copy.

    Returns
    -------
    rows : CSR matrix (CSR array for a sparse-array ``X``), ``X``'s dtype
        Of shape (n_new, n_features), or (n_samples + n_new, n_features)
        with ``head``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix(np.array([[0.0, 0.0], [2.0, 4.0]]))
    >>> interpolate_sparse(X, np.array([0]), np.array([1]), np.array([0.5])).toarray()
    array([[1., 2.]])
    >>> interpolate_sparse(X, [0], [1], [0.5], head=True).toarray().tolist()
    [[0.0, 0.0], [2.0, 4.0], [1.0, 2.0]]
    """
    if isinstance(X, sparse.sparray):  # scipy's sparse arrays stay arrays
        out = interpolate_sparse(sparse.csr_matrix(X), parent, neighbor, gap,
                                 block_rows, head)  # fmt: skip
        return sparse.csr_array(out)
    X = sparse.csr_matrix(X)
    wdt = work_dtype(X.dtype)
    if head and wdt != X.dtype:  # integers: built in float64, then rounded
        synth = interpolate_sparse(X, parent, neighbor, gap, block_rows)
        return sparse.vstack([X, synth], format="csr")
    rows = X if X.has_canonical_format else canonical_csr(X, X.dtype)
    data = rows.data.astype(wdt, copy=False)
    parent, neighbor = np.asarray(parent), np.asarray(neighbor)
    gap = np.asarray(gap, dtype=wdt)
    n, n_head = len(parent), X.shape[0] if head else 0
    ptr = np.zeros(n_head + n + 1, dtype=np.int64)
    tail_ptr = ptr[n_head:]  # the synthetic rows' offsets
    block_rows = block_rows or _blocks.BLOCK_ROWS

    def count(start, stop):
        mark = np.zeros(X.shape[1], dtype=np.int64)
        union_sizes(rows.indptr, rows.indices, parent, neighbor, start, stop, mark,
                    tail_ptr)  # fmt: skip

    def write(out_ind, out_dat, start, stop):
        interpolate_csr_rows(rows.indptr, rows.indices, data, parent, neighbor, gap,
                             start, stop, tail_ptr, out_ind, out_dat)  # fmt: skip

    _blocks.run_blocks(count, n, block_rows)
    np.cumsum(tail_ptr, out=tail_ptr)
    if head:
        ptr[:n_head] = X.indptr[:-1]
        tail_ptr += X.indptr[-1]
    nnz = int(ptr[-1])
    index_dtype = np.int32 if max(nnz, X.shape[1]) < 2**31 else np.int64
    out_ind, out_dat = np.empty(nnz, index_dtype), np.empty(nnz, wdt)

    def copy_head(start, stop):  # numpy copies release the GIL
        out_ind[start:stop] = X.indices[start:stop]
        out_dat[start:stop] = X.data[start:stop]

    _blocks.run_blocks(copy_head, int(ptr[n_head]), HEAD_COPY_ENTRIES)
    _blocks.run_blocks(write, n, block_rows, out_ind, out_dat)
    result = sparse.csr_matrix(
        (out_dat, out_ind, ptr.astype(index_dtype, copy=False)),
        shape=(n_head + n, X.shape[1]),
    )
    if X.dtype.kind in "biu":  # floats: kept finite by the kernel already
        result.data = round_into_range(result.data, X.dtype)
    result = result.astype(X.dtype, copy=False)
    if X.dtype in (np.int64, np.uint64) and _past_float64_integers(X.data):
        # (integers are built without the head: n_head is 0 here)
        result = _sparse_within_segments(result, X, parent, neighbor, gap)
    return _without_new_zeros(result, n_head)


def _past_float64_integers(values):
    """Whether integer ``values`` hold a magnitude float64 may not hold
    exactly (past 2**53)."""
    if values.size == 0:
        return False
    return max(-int(values.min()), int(values.max())) > 2**53


def _sparse_within_segments(result, X, parent, neighbor, gap):
    """:func:`within_segments` for CSR rows: each stored value (every column
    of either row is stored) clipped by the same rule, against the two rows'
    values in its column."""
    if not result.nnz:  # no stored value (scipy gives no array for no index)
        return result
    rows = np.repeat(np.arange(result.shape[0]), np.diff(result.indptr))
    cols = result.indices
    parent, neighbor = np.asarray(parent), np.asarray(neighbor)
    a = np.asarray(X[parent[rows], cols]).ravel()
    b = np.asarray(X[neighbor[rows], cols]).ravel()
    back = np.asarray(gap)[rows] < 0
    result.data = _clip_to_segments(result.data, a, b, back).astype(X.dtype)
    return result


def _without_new_zeros(result, n_head):
    """``result`` without the zeros stored in its rows from ``n_head`` on
    (values that came out 0, or were rounded or cast to 0), removed in place;
    the rows before are left as they are."""
    if not (result.data[result.indptr[n_head] :] == 0).any():
        return result
    nnz = drop_zeros_from(result.indptr, result.indices, result.data, n_head)
    return sparse.csr_matrix(
        (result.data[:nnz], result.indices[:nnz], result.indptr), shape=result.shape
    )
