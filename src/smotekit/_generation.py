"""Pure functions that draw and build synthetic rows.

A synthetic row is fully described by its provenance: two parent rows of the
input ``a`` and ``b`` and a gap ``g``; its value is ``X[a] + g * (X[b] - X[a])``
computed in the working float dtype (``X``'s own float dtype, float64 for
integer data, then rounded half to even for integer outputs). Random
over-sampling is the case ``b = a``, ``g = 0``.

Drawing is counter based (see :mod:`smotekit._random`): the draws of
synthetic row ``i`` of a class depend only on the seed, the class and ``i``.
Building writes straight into a preallocated output, one block of rows at a
time, so no temporary larger than one block is created.
"""

import inspect
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import _pages
from ._kernels import (
    bootstrap_from_words,
    gather_rows,
    interpolate_rows,
    pairs_from_words,
)
from ._random import uniform_words
from ._threads import map_threads, n_cores

__all__ = [
    "BLOCK_ROWS",
    "Provenance",
    "ProvenanceBuilder",
    "copy_rows_into",
    "danger_noise_masks",
    "draw_bootstrap",
    "draw_into",
    "draw_normal",
    "draw_pairs",
    "index_dtype",
    "interpolate_into",
    "interpolate_provenance_into",
    "interpolate_sparse",
    "round_into_range",
    "take_into",
    "take_provenance_into",
    "work_dtype",
]

#: Rows built per block by the generation kernels.
BLOCK_ROWS = 65_536
#: Rows whose random words are drawn at once within a block (128 KiB for two
#: words a row): worker threads then leave no large freed scratch behind in
#: their allocator arenas, which stay resident.
WORD_ROWS = 8192


def work_dtype(dtype):
    """Floating dtype in which rows of ``dtype`` are interpolated.

    Examples
    --------
    >>> import numpy as np
    >>> work_dtype(np.float32), work_dtype(np.int16)
    (dtype('float32'), dtype('float64'))
    """
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def index_dtype(n_rows):
    """Smallest of int32/int64 that holds row indices below ``n_rows``."""
    return np.dtype(np.int32) if n_rows < 2**31 else np.dtype(np.int64)


@dataclass(frozen=True)
class Provenance:
    """Where every synthetic row comes from.

    Synthetic row ``j`` (output row ``n_samples_in + j``) equals
    ``X[parent[j]] + gap[j] * (X[neighbor[j]] - X[parent[j]])``, computed in
    the working float dtype and rounded for integer columns. Indices refer to
    rows of the input ``X`` (0-based positions, not pandas labels).

    Attributes
    ----------
    parent : ndarray of shape (n_synthetic,)
        Input row the synthetic row starts from (the seed sample).
    neighbor : ndarray of shape (n_synthetic,)
        Input row it moves towards (equal to ``parent`` for a copy).
    gap : ndarray of shape (n_synthetic,)
        Position on the segment, in [0, 1) for interpolation.
    noise : ndarray of shape (n_synthetic, n_features) or None
        Noise added to the row (smoothed bootstrap of RandomOverSampler with
        ``shrinkage``), else None.
    copied_columns : ndarray of shape (n_copied,) or None
        Columns whose synthetic values are not interpolated but copied from
        an input row (the categorical columns of SMOTENC, every column of
        SMOTEN), else None.
    copied_from : ndarray of shape (n_synthetic, n_copied) or None
        For synthetic row ``j``, the value in column ``copied_columns[t]`` is
        ``X[copied_from[j, t], copied_columns[t]]``; the formula above gives
        the other columns.

    Notes
    -----
    The ``provenance_`` of a fitted sampler is usually not held in memory:
    its rows are drawn again from the seed when an attribute is first read
    (a few milliseconds per million rows), then kept. The values are the
    ones the rows were built from. Provenance that would cost less to hold
    than what drawing it again needs (the neighbour tables) is held.
    """

    parent: np.ndarray
    neighbor: np.ndarray
    gap: np.ndarray
    noise: np.ndarray | None = None
    copied_columns: np.ndarray | None = None
    copied_from: np.ndarray | None = None

    def __len__(self):
        replay = self.__dict__.get("_replay")
        if replay is not None and "parent" not in self.__dict__:
            return replay.n
        return len(self.parent)

    def __getattr__(self, name):
        # reached only for a missing attribute: the fields of a provenance
        # not yet drawn again (see ``released``)
        fields = self.__dict__
        if name in _PROVENANCE_FIELDS:
            replay = fields.get("_replay")
            if replay is not None:
                drawn = replay()
                for field in _PROVENANCE_FIELDS:
                    fields.setdefault(field, getattr(drawn, field))
                fields.pop("_replay", None)  # drawn once: the arrays are kept
            if name in fields:  # drawn here or, meanwhile, by another thread
                return fields[name]
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}"
        )

    def released(self):
        """The same provenance, drawn again when first read instead of held.

        Returns itself when it was not written by :func:`draw_into` alone, or
        when its arrays take less memory than what drawing them again keeps
        alive (see :meth:`ProvenanceBuilder.build`).
        """
        replay = self.__dict__.get("_replay")
        if replay is None:
            return self
        return type(self).pending(replay)

    @classmethod
    def pending(cls, replay):
        """A provenance not drawn yet: ``replay()`` returns its fields when
        one is first read, and ``replay.n`` is its length.

        Examples
        --------
        >>> import numpy as np
        >>> class Three:
        ...     n = 3
        ...     def __call__(self):
        ...         return Provenance(np.arange(3), np.arange(3), np.zeros(3))
        >>> p = Provenance.pending(Three())
        >>> len(p), "parent" in vars(p), p.parent.tolist(), "parent" in vars(p)
        (3, False, [0, 1, 2], True)
        """
        lazy = object.__new__(cls)
        lazy.__dict__["_replay"] = replay
        return lazy

    def to_frame(self):
        """Return the provenance as a pandas DataFrame.

        Returns
        -------
        frame : pandas.DataFrame
            Columns ``parent``, ``neighbor`` and ``gap``, one row per
            synthetic sample.
        """
        import pandas as pd

        return pd.DataFrame(
            {"parent": self.parent, "neighbor": self.neighbor, "gap": self.gap}
        )


_PROVENANCE_FIELDS = (
    "parent", "neighbor", "gap", "noise", "copied_columns", "copied_from",
)  # fmt: skip
# The defaults live on in ``__init__``; as class attributes they would hide
# the fields of a provenance not yet drawn again from ``__getattr__``.
for _name in _PROVENANCE_FIELDS[3:]:
    delattr(Provenance, _name)


class _Replay:
    """The :func:`draw_into` calls that wrote a provenance, to run again.

    Every draw reads only its own counters of its random stream, so running
    the same calls again in the same order gives the same arrays.
    """

    def __init__(self, n, n_rows, gap_dtype, options, calls):
        self.n = n
        self._n_rows = n_rows
        self._gap_dtype = gap_dtype
        self._options = options
        self._calls = calls

    def scratch(self, n):
        """A new part of ``n`` rows to draw into."""
        idx = index_dtype(self._n_rows)
        if self._options["copies"]:
            parent = _pages.transient(n, idx)
            return Provenance(parent, parent, np.zeros(n, self._gap_dtype))
        return Provenance(
            _pages.transient(n, idx),
            _pages.transient(n, idx),
            _pages.transient(n, self._gap_dtype),
        )

    def __call__(self):
        out = ProvenanceBuilder(self.n, self._n_rows, self._gap_dtype, **self._options)
        out._calls = None  # drawing again: nothing to record
        for draw, key, first, last, args in self._calls:
            draw_into(out, draw, key, first, last, *args)
        return out.build()


class ProvenanceBuilder:
    """Preallocated provenance of all the synthetic rows of one call.

    Draw blocks write their rows straight into the final arrays (compact
    index dtype, working gap dtype), so the provenance exists once in memory
    instead of as parts plus their concatenation.

    Parameters
    ----------
    n_synthetic : int
        Number of synthetic rows that will be written.
    n_rows : int
        Number of input rows (decides the index dtype).
    gap_dtype : dtype
        Dtype of the gaps.
    noise : tuple of (int, dtype), default=None
        ``(n_features, dtype)`` of per-row noise to hold, if any.
    copied_columns : ndarray, default=None
        Columns copied rather than interpolated (SMOTENC, SMOTEN), if any.
    copies : bool, default=False
        Every row is a copy of its parent (RandomOverSampler): ``neighbor`` is
        then the ``parent`` array itself and ``gap`` an array of zeros that
        nothing writes (numpy's zeroed allocation, so its pages cost nothing
        until read); only the parents are written.

    Examples
    --------
    >>> import numpy as np
    >>> out = ProvenanceBuilder(3, 10, np.float64)
    >>> out.add(Provenance(np.array([1, 2]), np.array([2, 1]), np.array([0.5, 0.25])))
    >>> out.add(Provenance(np.array([4]), np.array([5]), np.array([0.75])))
    >>> p = out.build()
    >>> p.parent.tolist(), p.parent.dtype
    ([1, 2, 4], dtype('int32'))
    """

    def __init__(self, n_synthetic, n_rows, gap_dtype, *, noise=None,
                 copied_columns=None, copies=False, deferred=False):  # fmt: skip
        self._n = int(n_synthetic)
        self._n_rows = n_rows
        self._gap_dtype = np.dtype(gap_dtype)
        self._noise = noise
        self._copies = copies
        self.copied_columns = copied_columns
        self._reserved = 0
        self._options = {
            "noise": noise, "copied_columns": copied_columns, "copies": copies,
        }  # fmt: skip
        # the draw_into calls so far, or None once rows came another way
        self._calls = []
        self.deferred = deferred and noise is None and copied_columns is None
        if not self.deferred:
            self._allocate()

    def _allocate(self):
        idx = index_dtype(self._n_rows)
        self.parent = _pages.transient(self._n, idx)
        if self._copies:
            self.neighbor = self.parent
            self.gap = np.zeros(self._n, dtype=self._gap_dtype)
        else:
            self.neighbor = _pages.transient(self._n, idx)
            self.gap = _pages.transient(self._n, self._gap_dtype)
        self.noise = None
        if self._noise is not None:
            n_features, noise_dtype = self._noise
            self.noise = _pages.transient((self._n, n_features), noise_dtype)
        self.copied_from = None
        if self.copied_columns is not None:
            shape = (self._n, len(self.copied_columns))
            self.copied_from = _pages.transient(shape, idx)

    def _draw_deferred(self):
        """Stop deferring: allocate the arrays and draw the calls recorded
        so far into them."""
        if not self.deferred:
            return
        self.deferred = False
        self._allocate()
        offset = 0
        for draw, key, first, last, args in self._calls:
            _draw_blocks(self, offset - first, draw, key, first, last, args, None)
            offset += last - first

    @property
    def copies(self):
        """Whether every row is a copy (``neighbor`` is ``parent``)."""
        return self._copies

    def reserve(self, n):
        """Claim the next ``n`` rows; return the offset of the first."""
        self._draw_deferred()
        self._calls = None  # rows not written by draw_into: held, not replayed
        return self._claim(n)

    def _claim(self, n, call=None):
        """Claim the next ``n`` rows for the :func:`draw_into` ``call``
        ``(draw, key, first, last, args)``, recorded to be drawn again.

        The call's array arguments are copied now (:func:`_pages.kept_copy`:
        the caller may reuse them), unless the copies would take at least as
        much memory as the provenance of its ``n`` rows: then the whole
        provenance is held instead.
        """
        if call is not None and self._calls is not None and n > 0:
            draw, key, first, last, args = call
            arrays = [a for a in args if isinstance(a, np.ndarray)]
            if sum(map(_pages.kept_bytes, arrays)) < n * self._row_bytes():
                args = tuple(
                    _pages.kept_copy(a) if isinstance(a, np.ndarray) else a
                    for a in args
                )
                self._calls.append((draw, key, first, last, args))
            else:
                self._draw_deferred()
                self._calls = None
        offset = self._reserved
        if offset + n > self._n:  # pragma: no cover - internal invariant
            raise RuntimeError(
                f"provenance overflow: {offset + n} synthetic rows written into "
                f"room for {self._n}; please report this bug."
            )
        self._reserved = offset + n
        return offset

    def view(self, offset, n):
        """The rows ``offset:offset + n`` as a :class:`Provenance` of views,
        for a draw function to write into directly."""
        rows = slice(offset, offset + n)
        parent = self.parent[rows]
        return Provenance(
            parent,
            parent if self.copies else self.neighbor[rows],
            self.gap[rows],
            None if self.noise is None else self.noise[rows],
            self.copied_columns,
            None if self.copied_from is None else self.copied_from[rows],
        )

    def add(self, part):
        """Append a :class:`Provenance` part after the rows claimed so far."""
        self.put(self.reserve(len(part)), part)

    def put(self, offset, part):
        """Write a :class:`Provenance` part at rows ``offset:offset + len(part)``.

        Parts given to distinct offsets may be written from several threads.
        """
        rows = slice(offset, offset + len(part))
        self.parent[rows] = part.parent
        if not self.copies:
            self.neighbor[rows] = part.neighbor
            self.gap[rows] = part.gap
        for name in ("noise", "copied_from"):
            mine, theirs = getattr(self, name), getattr(part, name)
            if (mine is None) != (theirs is None):  # pragma: no cover - invariant
                raise RuntimeError(
                    f"provenance part {'lacks' if theirs is None else 'has'} "
                    f"{name!r}, unlike the rest; please report this bug."
                )
            if mine is not None:
                mine[rows] = theirs

    def build(self):
        """The finished :class:`Provenance`, checking every row was written.

        A deferred builder whose rows all come from recorded draws returns
        the provenance not drawn yet (as :meth:`Provenance.released`): the
        rows are built straight from the draws (:func:`interpolate_provenance_into`,
        :func:`take_provenance_into`) and the arrays drawn when first read.
        """
        if self._reserved != self._n:  # pragma: no cover - internal invariant
            raise RuntimeError(
                f"provenance has {self._reserved} synthetic rows written out of "
                f"{self._n}; please report this bug."
            )
        replay = None
        if self._calls:
            replay = _Replay(
                self._n, self._n_rows, self._gap_dtype, self._options, self._calls
            )
        if self.deferred and replay is not None:
            return Provenance.pending(replay)
        self._draw_deferred()
        built = Provenance(
            self.parent,
            self.neighbor,
            self.gap,
            self.noise,
            self.copied_columns,
            self.copied_from,
        )
        if replay is not None:
            built.__dict__["_replay"] = replay
        return built

    def _row_bytes(self):
        """Bytes of provenance held per synthetic row."""
        idx = index_dtype(self._n_rows).itemsize
        row_bytes = idx
        if not self._copies:
            row_bytes += idx + self._gap_dtype.itemsize
        if self._noise is not None:
            n_features, noise_dtype = self._noise
            row_bytes += n_features * np.dtype(noise_dtype).itemsize
        if self.copied_columns is not None:
            row_bytes += idx * len(self.copied_columns)
        return row_bytes


def danger_noise_masks(n_other, m):
    """Borderline status of samples from their other-class neighbour counts.

    A sample whose ``m`` nearest neighbours (in all the data) include ``m'``
    samples of other classes is *in danger* when ``m / 2 <= m' < m`` and
    *noise* when ``m' = m`` (Han et al., 2005); otherwise it is *safe*.

    Parameters
    ----------
    n_other : ndarray of shape (n_samples,)
        Number of other-class samples among each sample's neighbours.
    m : int
        Number of neighbours looked at.

    Returns
    -------
    danger, noise : ndarray of shape (n_samples,), bool

    Examples
    --------
    >>> import numpy as np
    >>> danger, noise = danger_noise_masks(np.array([0, 4, 5, 9, 10]), 10)
    >>> danger.tolist(), noise.tolist()
    ([False, False, True, True, False], [False, False, False, False, True])
    """
    n_other = np.asarray(n_other)
    danger = (2 * n_other >= m) & (n_other < m)
    return danger, n_other == m


def draw_into(out, draw, key, first, last, *args, block_rows=None):
    """Draw synthetic rows ``first`` to ``last`` of a class into ``out``.

    ``draw(key, start, stop, *args)`` returns the :class:`Provenance` of rows
    ``start:stop``; it reads only its own counters of the random stream, so
    the blocks are independent and run on every core, and the result does
    not depend on the thread count. The rows take the next ``last - first``
    rows of the :class:`ProvenanceBuilder` ``out``; a block's part is written
    and dropped as soon as it is drawn, so no more than one block per core is
    alive besides the final arrays. A ``draw`` with an ``out`` keyword
    receives the block's rows of the builder (:meth:`ProvenanceBuilder.view`)
    and writes them in place, with no part at all.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> out = ProvenanceBuilder(10, 5, np.float64)
    >>> draw_into(out, draw_bootstrap, key, 0, 10, np.arange(5), block_rows=4)
    >>> whole = draw_bootstrap(key, 0, 10, np.arange(5))
    >>> bool((out.build().parent == whole.parent).all())
    True
    """
    offset = out._claim(last - first, (draw, key, first, last, args)) - first
    if out.deferred:
        return  # drawn when the rows are built, or when first read
    _draw_blocks(out, offset, draw, key, first, last, args, block_rows)


def _draw_blocks(out, offset, draw, key, first, last, args, block_rows):
    """Draw rows ``first:last`` into rows ``offset + first:`` of ``out``."""
    in_place = "out" in inspect.signature(draw).parameters

    def block(start, stop):
        if in_place:
            draw(key, start, stop, *args, out=out.view(offset + start, stop - start))
        else:
            out.put(offset + start, draw(key, start, stop, *args))

    _map_blocks(block, first, last, block_rows or BLOCK_ROWS)


def draw_pairs(key, start, stop, neighbors, rows, gap_dtype=np.float64, *, out=None):
    """Draw (seed, neighbour, gap) for synthetic rows ``start`` to ``stop``.

    The (seed, neighbour) pair is uniform over all ``n_seeds * k`` pairs of the
    neighbour table, and the gap uniform on [0, 1).

    Parameters
    ----------
    key : StreamKey
        The class's stream key.
    start, stop : int
        Synthetic row range within the class.
    neighbors : ndarray of shape (n_seeds, k)
        Neighbour table, as row positions into ``rows``.
    rows : ndarray of shape (n_candidates,)
        Input row index of each position; seeds are ``rows[:n_seeds]``.
    gap_dtype : dtype, default=float64
        Dtype of the returned gaps.
    out : Provenance, default=None
        Arrays of ``stop - start`` rows to write into (their own dtypes)
        instead of new ones.

    Returns
    -------
    provenance : Provenance
        ``out`` when given.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> nn = np.array([[1], [0]])
    >>> p = draw_pairs(key, 0, 4, nn, np.array([10, 20]))
    >>> sorted(set(zip(p.parent.tolist(), p.neighbor.tolist())))
    [(10, 20), (20, 10)]
    """
    out = out if out is not None else _new_part(stop - start, rows.dtype, gap_dtype)
    below_one = np.nextafter(out.gap.dtype.type(1), out.gap.dtype.type(0))
    for s, e, mine in _word_chunks(start, stop):
        words = uniform_words(key, s, e)
        pairs_from_words(words, neighbors, rows, below_one, out.parent[mine],
                         out.neighbor[mine], out.gap[mine])  # fmt: skip
    return out


def draw_bootstrap(key, start, stop, rows, gap_dtype=np.float64, *, out=None):
    """Draw source rows, uniformly with replacement, for rows ``start`` to ``stop``.

    Row ``r``'s source is ``rows[words[r] % len(rows)]``, one word per row;
    ``out`` (as in :func:`draw_pairs`) receives the rows when given. A new
    part, like a copies :class:`ProvenanceBuilder`'s view, has ``neighbor``
    the ``parent`` array itself and zero gaps; an ``out`` of that kind is
    taken to hold zero gaps already, and only its parents are written.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> p = draw_bootstrap(key, 0, 5, np.array([3, 8]))
    >>> set(p.parent.tolist()) <= {3, 8}, bool((p.gap == 0).all())
    (True, True)
    >>> p.neighbor is p.parent
    True
    """
    if out is None:
        parent = np.empty(stop - start, dtype=rows.dtype)
        out = Provenance(parent, parent, np.zeros(stop - start, dtype=gap_dtype))
    for s, e, mine in _word_chunks(start, stop):
        words = uniform_words(key, s, e, words_per_row=1)
        bootstrap_from_words(words[:, 0], rows, out.parent[mine])
    if out.neighbor is not out.parent:
        out.neighbor[:] = out.parent
        out.gap[:] = 0
    return out


def _new_part(n, index_dtype, gap_dtype):
    return Provenance(
        np.empty(n, dtype=index_dtype),
        np.empty(n, dtype=index_dtype),
        np.empty(n, dtype=gap_dtype),
    )


def _word_chunks(start, stop):
    """``(s, e, slice of s:e within start:stop)`` in runs of ``WORD_ROWS``."""
    for s in range(start, stop, WORD_ROWS):
        e = min(s + WORD_ROWS, stop)
        yield s, e, slice(s - start, e - start)


def draw_normal(key, start, stop, n_features):
    """Standard normal noise for rows ``start`` to ``stop`` (counter based).

    Examples
    --------
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 1, 0)
    >>> draw_normal(key, 0, 3, 5).shape
    (3, 5)
    """
    from scipy.special import ndtri

    words = uniform_words(key, start, stop, words_per_row=n_features)[:, :n_features]
    # centre each 53-bit cell so that u lies strictly inside (0, 1)
    u = ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return ndtri(u)


def round_into_range(values, dtype):
    """Round float values for an integer or bool ``dtype``, within its range.

    Values are rounded half to even and clipped to the dtype's range (bool to
    [0, 1]), so noise can never wrap a uint8 0 round to 255. Other dtypes are
    returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> round_into_range(np.array([-0.7, 2.5, 300.2]), np.uint8).tolist()
    [0.0, 2.0, 255.0]
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.rint(np.clip(values, 0, 1))
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max)
    return values


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
    block_rows = block_rows or BLOCK_ROWS
    if noise is None:
        words = _row_words(out, X)
        if words is not None:
            _run_blocks(gather_rows, len(parent), block_rows, *words, parent,
                        dest=out)  # fmt: skip
            return
    for start in range(0, len(parent), block_rows):
        stop = min(start + block_rows, len(parent))
        rows = X[parent[start:stop]]
        if noise is not None:
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
    block_rows = block_rows or BLOCK_ROWS

    def copy(start, stop):
        out[start:stop] = X[start:stop]

    _run_blocks(copy, len(X), block_rows, dest=out)


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
            return tuple(
                a.view(word).reshape(a.shape[0], row_bytes // size) for a in arrays
            )
    return None  # pragma: no cover - uint8 always qualifies


def _run_blocks(work, n_rows, block_rows, *args, dest=None):
    """Run ``work(*args, start, stop)`` over blocks of rows on every core.

    ``work`` must release the GIL (compiled kernels, numpy copies) and write
    disjoint rows, so the result does not depend on the thread count.
    ``dest``: the array whose rows ``start:stop`` a block writes, when the
    page size of a fresh output is being watched (:func:`_pages.fill`).
    """
    block_rows, before = _pages.watched_blocks(dest, n_rows, block_rows)
    block_rows = _even_blocks(n_rows, block_rows, n_cores())

    def call(start, stop):
        if before is not None:
            before(start, stop)
        work(*args, start, stop)

    _map_blocks(call, 0, n_rows, block_rows)


def _even_blocks(n_rows, block_rows, n_threads):
    """Rows per block, at most ``block_rows``, so that the blocks of
    ``n_rows`` rows, when there are several, come in a multiple of
    ``n_threads`` of nearly equal size (no core left idle for the last one).

    Examples
    --------
    >>> _even_blocks(100, 40, 2), _even_blocks(100, 60, 2), _even_blocks(10, 60, 2)
    (25, 50, 60)
    """
    block_rows = max(block_rows, 1)
    blocks = -(-n_rows // block_rows)
    if blocks <= 1:
        return block_rows
    blocks = -(-blocks // n_threads) * n_threads
    return -(-n_rows // blocks)


def _map_blocks(call, first, last, block_rows):
    """``[call(start, stop)]`` over blocks of rows ``first:last``, in order,
    the blocks shared by the cores."""
    bounds = [(s, min(s + block_rows, last)) for s in range(first, last, block_rows)]
    return map_threads(lambda bound: call(*bound), bounds)


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
        Rows built per block (``None``: the module's ``BLOCK_ROWS``); the
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
    block_rows = block_rows or BLOCK_ROWS
    wdt = work_dtype(X.dtype)
    rounding = out.dtype.kind in "biu"
    gap = np.asarray(gap, dtype=wdt)
    if out.dtype == X.dtype == wdt and out.flags.c_contiguous and X.flags.c_contiguous:
        _run_blocks(interpolate_rows, len(parent), block_rows, out, X, parent,
                    neighbor, gap, dest=out)  # fmt: skip
        return
    for start in range(0, len(parent), block_rows):
        stop = min(start + block_rows, len(parent))
        a = X[parent[start:stop]].astype(wdt, copy=False)
        step = X[neighbor[start:stop]].astype(wdt, copy=False)
        step -= a
        step *= gap[start:stop, None]
        step += a
        if rounding:
            # extrapolating samplers (SVMSMOTE) can leave the dtype's range
            step = round_into_range(step, out.dtype)
        out[start:stop] = step


def interpolate_provenance_into(out, X, provenance, block_rows=None):
    """Write the synthetic rows of ``provenance`` (dense ``X``) into ``out``.

    As :func:`interpolate_into` with the provenance's arrays. When the
    provenance is not drawn yet (a deferred :class:`ProvenanceBuilder`) and
    the rows take the compiled path, each run of rows is drawn into a small
    scratch part and built at once (:func:`_build_from_draws`): the
    provenance is then never written whole, and stays to be drawn when
    first read.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._random import make_root_entropy, stream_key
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
    replay = _pending(provenance)
    wdt = work_dtype(X.dtype)
    fast = out.dtype == X.dtype == wdt and out.flags.c_contiguous
    if replay is not None and fast and X.flags.c_contiguous:

        def build(dest, part):
            gap = part.gap.astype(wdt, copy=False)
            interpolate_rows(dest, X, part.parent, part.neighbor, gap, 0, len(part))

        _build_from_draws(out, replay, build, block_rows)
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
    replay = _pending(provenance)
    words = _row_words(out, X) if replay is not None else None
    if words is not None:
        out_words, X_words = words

        def build(dest, part):
            gather_rows(dest, X_words, part.parent, 0, len(part))

        _build_from_draws(out_words, replay, build, block_rows)
        return
    take_into(out, X, provenance.parent, provenance.noise, block_rows)


def _pending(provenance):
    """The :class:`_Replay` of a provenance whose arrays are not drawn yet
    (``None`` when they are, or cannot be drawn again)."""
    fields = provenance.__dict__
    return None if "parent" in fields else fields.get("_replay")


def _build_from_draws(out, replay, build, block_rows):
    """Run ``replay``'s draws block by block, each block's provenance drawn
    into a scratch part and handed to ``build(out[a:b], part)``.

    The blocks follow the output rows (shared by the cores as in
    :func:`_run_blocks`); a block spanning two classes draws a piece of each.
    Within a block the rows are drawn and built ``BLOCK_ROWS`` at a time, so
    a scratch part (768 KiB, 12 bytes a row) stays in the core's cache
    between the drawing and the building. The parts, one per core, are
    allocated here by the calling thread: memory freed by the worker
    threads would stay resident in their allocator arenas.
    Every draw reads only its own counters of the random stream, so the rows
    equal those built from the whole provenance, whatever the blocks.
    """
    segments, offset = [], 0
    for draw, key, first, last, args in replay._calls:
        in_place = "out" in inspect.signature(draw).parameters
        segments.append((offset, offset + last - first, draw, key, first, args,
                         in_place))  # fmt: skip
        offset += last - first
    step = max(min(BLOCK_ROWS, replay.n), 1)
    free = [replay.scratch(step) for _ in range(n_cores())]

    def work(start, stop):
        # one block per core runs at a time; a part for any other, to be safe
        part = free.pop() if free else replay.scratch(step)
        try:
            for lo, hi, draw, key, first, args, in_place in segments:
                for a in range(max(start, lo), min(stop, hi), step):
                    b = min(a + step, stop, hi)
                    s, e = first + a - lo, first + b - lo
                    if in_place:
                        rows = _head(part, b - a)
                        draw(key, s, e, *args, out=rows)
                    else:
                        rows = draw(key, s, e, *args)
                    build(out[a:b], rows)
        finally:
            free.append(part)

    _run_blocks(work, replay.n, block_rows or BLOCK_ROWS, dest=out)


def _head(part, n):
    """The first ``n`` rows of a :class:`Provenance` part, as views."""
    parent = part.parent[:n]
    neighbor = parent if part.neighbor is part.parent else part.neighbor[:n]
    return Provenance(parent, neighbor, part.gap[:n])


def interpolate_sparse(X, parent, neighbor, gap):
    """Sparse counterpart of :func:`interpolate_into`; returns a CSR matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> X = sparse.csr_matrix(np.array([[0.0, 0.0], [2.0, 4.0]]))
    >>> interpolate_sparse(X, np.array([0]), np.array([1]), np.array([0.5])).toarray()
    array([[1., 2.]])
    """
    X = sparse.csr_matrix(X)
    wdt = work_dtype(X.dtype)
    a = X[parent].astype(wdt)
    step = X[neighbor].astype(wdt) - a
    step = sparse.diags(np.asarray(gap, dtype=wdt)) @ step
    result = sparse.csr_matrix(a + step)
    if X.dtype.kind in "biu":
        result.data = round_into_range(result.data, X.dtype)
    result = result.astype(X.dtype)
    result.eliminate_zeros()
    return result
