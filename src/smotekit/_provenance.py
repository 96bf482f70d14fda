"""Provenance of synthetic rows: where each comes from, and how it is drawn.

A synthetic row is fully described by two parent rows of the input ``a`` and
``b`` and a gap ``g`` (:class:`Provenance`). A :class:`ProvenanceBuilder`
collects the provenance of one call: :func:`draw_into` runs a counter-based
draw (:mod:`smotekit._draws`) into it block by block, on every core. The
calls are recorded, so a provenance can be drawn again from the seed instead
of being held (``Provenance.pending``), and the rows built straight from the
draws without the whole arrays ever being written (:func:`build_from_draws`).
"""

import functools
import inspect
from dataclasses import dataclass

import numpy as np

from . import _blocks, _pages
from ._threads import n_cores

__all__ = [
    "Provenance",
    "ProvenanceBuilder",
    "build_from_draws",
    "draw_into",
    "index_dtype",
    "pending_replay",
]


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
    >>> from smotekit._draws import draw_bootstrap
    >>> draw_into(out, draw_bootstrap, key, 0, 10, np.arange(5), block_rows=4)
    >>> whole = draw_bootstrap(key, 0, 10, np.arange(5))
    >>> bool((out.build().parent == whole.parent).all())
    True
    """
    offset = out._claim(last - first, (draw, key, first, last, args)) - first
    if out.deferred:
        return  # drawn when the rows are built, or when first read
    _draw_blocks(out, offset, draw, key, first, last, args, block_rows)


@functools.lru_cache(maxsize=64)
def _writes_in_place(draw):
    """Whether ``draw`` takes an ``out`` array (its signature read once)."""
    return "out" in inspect.signature(draw).parameters


def _draw_blocks(out, offset, draw, key, first, last, args, block_rows):
    """Draw rows ``first:last`` into rows ``offset + first:`` of ``out``."""
    in_place = _writes_in_place(draw)

    def block(start, stop):
        if in_place:
            draw(key, start, stop, *args, out=out.view(offset + start, stop - start))
        else:
            out.put(offset + start, draw(key, start, stop, *args))

    _blocks.map_blocks(block, first, last, block_rows or _blocks.BLOCK_ROWS)


def pending_replay(provenance):
    """The :class:`_Replay` of a provenance whose arrays are not drawn yet
    (``None`` when they are, or cannot be drawn again); see
    :func:`build_from_draws` for an example."""
    fields = provenance.__dict__
    return None if "parent" in fields else fields.get("_replay")


def build_from_draws(out, replay, build, block_rows=None):
    """Run ``replay``'s draws block by block, each block's provenance drawn
    into a scratch part and handed to ``build(out[a:b], part)``.

    The blocks follow the output rows (shared by the cores as in
    :func:`smotekit._blocks.run_blocks`); a block spanning two classes draws
    a piece of each. Within a block the rows are drawn and built
    ``_blocks.BLOCK_ROWS`` at a time, so a scratch part (768 KiB, 12 bytes a
    row) stays in the core's cache between the drawing and the building. The
    parts, one per core, are allocated here by the calling thread: memory
    freed by the worker threads would stay resident in their allocator
    arenas. Every draw reads only its own counters of the random stream, so
    the rows equal those built from the whole provenance, whatever the
    blocks.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._draws import draw_bootstrap
    >>> from smotekit._random import make_root_entropy, stream_key
    >>> key = stream_key(make_root_entropy(0), 0, 0)
    >>> builder = ProvenanceBuilder(2000, 3, np.float64, copies=True, deferred=True)
    >>> draw_into(builder, draw_bootstrap, key, 0, 2000, np.array([0, 2]))
    >>> p = builder.build()
    >>> out = np.empty(2000, dtype=np.int64)
    >>> def build(dest, part):
    ...     dest[:] = part.parent
    >>> build_from_draws(out, pending_replay(p), build, block_rows=512)
    >>> bool((out == p.parent).all())
    True
    """
    segments, offset = [], 0
    for draw, key, first, last, args in replay._calls:
        in_place = _writes_in_place(draw)
        segments.append((offset, offset + last - first, draw, key, first, args,
                         in_place))  # fmt: skip
        offset += last - first
    step = max(min(_blocks.BLOCK_ROWS, replay.n), 1)
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

    _blocks.run_blocks(work, replay.n, block_rows or _blocks.BLOCK_ROWS, dest=out)


def _head(part, n):
    """The first ``n`` rows of a :class:`Provenance` part, as views."""
    parent = part.parent[:n]
    neighbor = parent if part.neighbor is part.parent else part.neighbor[:n]
    return Provenance(parent, neighbor, part.gap[:n])
