"""How rows are cut into blocks and shared by the cores.

The generation kernels and the draws work on blocks of rows: each block
writes rows of its own, so the blocks run on every core at once and the
result does not depend on the thread count or on the block size.
"""

from . import _pages
from ._threads import map_threads, n_cores

__all__ = ["BLOCK_ROWS", "even_blocks", "map_blocks", "run_blocks"]

#: Rows built (or drawn) per block by the generation kernels.
BLOCK_ROWS = 65_536


def run_blocks(work, n_rows, block_rows, *args, dest=None):
    """Run ``work(*args, start, stop)`` over blocks of rows on every core.

    ``work`` must release the GIL (compiled kernels, numpy copies) and write
    disjoint rows, so the result does not depend on the thread count.
    ``dest``: the array whose rows ``start:stop`` a block writes, when the
    page size of a fresh output is being watched (:func:`_pages.fill`).

    Examples
    --------
    >>> import numpy as np
    >>> values, out = np.arange(10), np.zeros(10, dtype=np.int64)
    >>> def double(source, start, stop):
    ...     out[start:stop] = 2 * source[start:stop]
    >>> run_blocks(double, 10, 4, values)
    >>> out.tolist()
    [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    """
    block_rows, before = _pages.watched_blocks(dest, n_rows, block_rows)
    block_rows = even_blocks(n_rows, block_rows, n_cores())

    def call(start, stop):
        if before is not None:
            before(start, stop)
        work(*args, start, stop)

    map_blocks(call, 0, n_rows, block_rows)


def even_blocks(n_rows, block_rows, n_threads):
    """Rows per block, at most ``block_rows``, so that the blocks of
    ``n_rows`` rows, when there are several, come in a multiple of
    ``n_threads`` of nearly equal size (no core left idle for the last one).

    Examples
    --------
    >>> even_blocks(100, 40, 2), even_blocks(100, 60, 2), even_blocks(10, 60, 2)
    (25, 50, 60)
    """
    block_rows = max(block_rows, 1)
    blocks = -(-n_rows // block_rows)
    if blocks <= 1:
        return block_rows
    blocks = -(-blocks // n_threads) * n_threads
    return -(-n_rows // blocks)


def map_blocks(call, first, last, block_rows):
    """``[call(start, stop)]`` over blocks of rows ``first:last``, in order,
    the blocks shared by the cores.

    Examples
    --------
    >>> map_blocks(lambda start, stop: (start, stop), 2, 9, 3)
    [(2, 5), (5, 8), (8, 9)]
    """
    bounds = [(s, min(s + block_rows, last)) for s in range(first, last, block_rows)]
    return map_threads(lambda bound: call(*bound), bounds)
