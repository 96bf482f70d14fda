"""Fresh output arrays, faulted in with the page size that is fastest here.

numpy advises the kernel to back every allocation of 4 MiB or more with
transparent huge pages (2 MiB). On a virtual machine whose balloon device
reports free memory to the hypervisor ("free page reporting", common on
micro-VMs), free 2 MiB blocks are handed back to the host a few seconds
after they are freed, and a huge page taken from such a block costs a fault
in the host as well: several times the cost of 4 KiB pages, which the guest
mostly still has at hand. Memory freed in the last seconds has not been
handed back yet, is reused first and faults in fastest as huge pages.

Where that reporting is on, :func:`fill` therefore has a large output written
in blocks of a few MiB, each timing the first touch of two of its huge pages
before it writes: once three in a row come slow (handed-back memory), the
rest of the output is advised to small pages. :func:`empty` advises arrays of
:data:`SMALL_PAGES_FROM` bytes or more to small pages outright (the arrays
not written through :func:`fill`). For :data:`COLD_MEMORY_SECONDS` after a
slow first touch, the arrays of :data:`HEAP_MAPPED_FROM` bytes or more that
are not watched (larger labels, smaller outputs; transient arrays from
:data:`NUMPY_HUGE_FROM` on) get small pages outright too: the huge pages
that follow a slow one are mostly slow as well. Smaller ones keep the C
heap, whose freed memory may still be resident. Values never
depend on the advice. Advice is only ever given to memory the array holds
alone: a mapping of its own, or one of glibc's (every block above its
largest heap threshold, 32 MiB, is mapped alone); advice given to the C heap
would outlive the array.
``benchmarks/bench_pages.py`` measures the choices.

The environment variable ``SMOTEKIT_OUTPUT_PAGES`` overrides the detection:
``small`` advises small pages from :data:`SMALL_PAGES_FROM` on whatever the
machine, ``default`` leaves numpy's advice.
"""

import contextvars
import ctypes
import math
import mmap
import os
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "empty",
    "fill",
    "free_page_reporting",
    "kept_bytes",
    "kept_copy",
    "output",
    "small_pages_preferred",
    "transient",
    "watched_blocks",
]

#: Arrays from this size on get small pages outright from :func:`empty`
#: where the balloon reports free pages, and from both functions under
#: ``SMOTEKIT_OUTPUT_PAGES=small`` (measured on a 2-core micro-VM, both
#: advices alternating in fresh processes: a 166 MB output was faster with
#: huge pages, 0.10 against 0.14 s; 393 MB and 770 MB ones with small pages,
#: 0.24 against 0.64 s and 0.36 against 0.70 s).
SMALL_PAGES_FROM = 256 * 2**20
#: Arrays from this size on get a mapping of their own from
#: :func:`transient` (glibc serves smaller ones from the heap anyway).
OWN_MAPPING_FROM = 2**20
#: Outputs from this size on have the first touch of their huge pages timed
#: by :func:`fill`, where free page reporting is on (medians of 9 fresh
#: processes: outputs of 34-38 MiB were 1-5 ms slower watched than with
#: numpy's advice; outputs of 66-75 MiB within 1 ms or faster, with shorter
#: tails).
PROBE_FROM = 64 * 2**20
#: Bytes a block writes into such an output; each block looks at how fast
#: its fresh huge pages come.
BLOCK_BYTES = 8 * 2**20
#: A huge page whose first touch costs more than this many nanoseconds a
#: byte came from memory handed back to the host (measured here: 0.1 for
#: recently freed memory, 1-2.5 for handed-back memory, 0.26-0.3 for small
#: pages whatever their origin).
COLD_NS_PER_BYTE = 0.5
#: Slow first touches in a row that turn the rest of an output to small
#: pages (single slow pages, and pairs, turn up among fast ones).
SLOW_RUN = 3
#: numpy advises huge pages from this size on (``NUMPY_MADVISE_HUGEPAGE``).
NUMPY_HUGE_FROM = 4 * 2**20
#: Seconds for which a slow first touch (see :class:`_Watch`) is taken to
#: tell the state of the machine's free memory: arrays from
#: :data:`NUMPY_HUGE_FROM` bytes on that are not watched themselves (the
#: labels, smaller outputs) then get small pages outright. The balloon hands
#: free memory back a few seconds after it was freed, and huge pages are
#: taken from memory not yet handed back first: once one comes slow, the
#: next ones mostly do too.
COLD_MEMORY_SECONDS = 1.0
#: glibc's largest heap threshold: it maps every larger block alone, and
#: may serve a smaller one from heap memory freed earlier in the call and
#: still resident (no fault at all, and no new memory). Arrays of
#: :func:`empty` and :func:`output` below it therefore keep the heap after
#: a slow touch too: a mapping of their own would add fresh pages beside
#: that memory (SMOTE 1M x 50, 10%, float32: the 14 MiB labels raised the
#: peak from 405 to 418 MiB above the input, past its allowance of 413).
HEAP_MAPPED_FROM = 32 * 2**20
#: Size of a transparent huge page where it cannot be read.
_HUGE_PAGE = 2 * 2**20
#: Environment variable overriding the detection.
ENV_VAR = "SMOTEKIT_OUTPUT_PAGES"
#: Its accepted values.
ENV_CHOICES = ("auto", "small", "default")
#: ``MADV_NOHUGEPAGE`` (Linux).
_MADV_NOHUGEPAGE = 15
#: Virtio device id of the memory balloon and its feature bit
#: ``VIRTIO_BALLOON_F_REPORTING``.
_BALLOON_DEVICE = 0x0005
_REPORTING_BIT = 5


def empty(shape, dtype):
    """``np.empty(shape, dtype)``, advised to small pages when it is large
    and they are faster to fault in here (see the module's notes).

    An array so advised gets a memory mapping of its own (POSIX), unmapped
    with it: advice given to memory of the C heap would outlive the array
    and reach whatever the allocator puts there next.

    Examples
    --------
    >>> from smotekit import _pages
    >>> out = _pages.empty((3, 2), "float32")
    >>> out.shape, out.dtype.name
    ((3, 2), 'float32')
    """
    return _allocated(shape, dtype, SMALL_PAGES_FROM)


def output(shape, dtype):
    """A fresh array for :func:`fill` to have written: ``np.empty(shape,
    dtype)``, or, when it is of :data:`HEAP_MAPPED_FROM` bytes or more and
    below :data:`PROBE_FROM` while free memory was recently seen handed back
    (see :func:`recently_cold`), an array advised to small pages in a memory
    mapping of its own. Larger outputs are advised by :func:`fill`.

    Examples
    --------
    >>> from smotekit import _pages
    >>> out = _pages.output((4, 2), "float64")
    >>> _pages.fill(out, lambda: out.fill(1.0))
    >>> float(out.sum())
    8.0
    """
    return _allocated(shape, dtype, PROBE_FROM, watched=True)


def _allocated(shape, dtype, large, watched=False):
    """``np.empty(shape, dtype)``, or an array in a mapping of its own
    advised to small pages when :func:`_small_pages_for` says so and it is
    not one glibc may serve from resident heap memory (below
    :data:`HEAP_MAPPED_FROM` and ``large``)."""
    dtype = np.dtype(dtype)
    nbytes = _count(shape) * dtype.itemsize
    alone = nbytes >= min(large, HEAP_MAPPED_FROM)
    if _small_pages_for(nbytes, large, watched) and alone:  # the override checked
        return _own_mapping(shape, dtype, advise=True)
    return np.empty(shape, dtype)


def _small_pages_for(nbytes, large, watched=False):
    """Whether a fresh array of ``nbytes`` gets small pages outright: under
    ``SMOTEKIT_OUTPUT_PAGES=small`` from :data:`SMALL_PAGES_FROM` bytes on;
    under the automatic choice, where free page reporting is on, from
    ``large`` bytes on always (unless ``watched``: :func:`fill` watches
    those), and from :data:`NUMPY_HUGE_FROM` on while free memory was seen
    handed back. The override is read on every call."""
    choice = _choice()
    if choice == "small":
        return nbytes >= SMALL_PAGES_FROM
    if choice != "auto" or nbytes < NUMPY_HUGE_FROM or not _auto():
        return False
    if nbytes >= large:
        return not watched
    return recently_cold()


def _count(shape):
    return math.prod(shape) if isinstance(shape, tuple) else int(shape)


def _own_mapping(shape, dtype, advise):
    """An uninitialised array in an anonymous private mapping of its own,
    unmapped once the array is freed (POSIX; ``np.empty`` elsewhere, and for
    arrays holding Python objects, which numpy cannot place in a buffer)."""
    count = _count(shape)
    if os.name != "posix" or count * dtype.itemsize == 0 or dtype.hasobject:
        return np.empty(shape, dtype)
    region = mmap.mmap(-1, count * dtype.itemsize, flags=mmap.MAP_PRIVATE)
    out = np.frombuffer(region, dtype, count).reshape(shape)
    if advise:
        _advise_small_pages(out)
    return out


def recently_cold():
    """Whether a first touch came slow (memory handed back to the host) in
    the last :data:`COLD_MEMORY_SECONDS` seconds, in this process.

    Examples
    --------
    >>> from smotekit import _pages
    >>> isinstance(_pages.recently_cold(), bool)
    True
    """
    return time.monotonic() - _last_cold[0] < COLD_MEMORY_SECONDS


#: ``time.monotonic()`` of the last slow first touch (one-item list: written
#: from the writing threads).
_last_cold = [-math.inf]


def transient(shape, dtype):
    """``np.empty(shape, dtype)`` whose memory goes back to the system as
    soon as the array is freed.

    Large arrays freed in the middle of a call (the drawn provenance, once
    the rows are built) leave holes in the C heap that the allocator may
    keep; from ``OWN_MAPPING_FROM`` bytes on (POSIX) the array gets a memory
    mapping of its own instead, unmapped with the array. Page advice is as
    for :func:`empty`.

    Examples
    --------
    >>> from smotekit import _pages
    >>> parent = _pages.transient(1_000_000, "int32")
    >>> parent.shape, parent.dtype.name, parent.flags.writeable
    ((1000000,), 'int32', True)
    """
    return _transient(shape, dtype, OWN_MAPPING_FROM)


def kept_copy(array):
    """A copy of ``array`` in a mapping of its own, whatever its size.

    For arrays kept after a call whose temporaries were freed: one left in
    the C heap above them would keep their memory resident.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import _pages
    >>> _pages.kept_copy(np.arange(3)).tolist()
    [0, 1, 2]
    """
    out = _transient(array.shape, array.dtype, 1)
    out[...] = array
    return out


def kept_bytes(array):
    """Memory that :func:`kept_copy` of ``array`` takes: its bytes rounded up
    to whole pages (POSIX), or its bytes.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import _pages
    >>> _pages.kept_bytes(np.arange(3)) in (24, mmap.PAGESIZE)
    True
    """
    if os.name != "posix" or array.nbytes == 0:
        return array.nbytes
    return -(-array.nbytes // mmap.PAGESIZE) * mmap.PAGESIZE


def _transient(shape, dtype, own_from):
    dtype = np.dtype(dtype)
    nbytes = _count(shape) * dtype.itemsize
    if os.name != "posix" or nbytes < max(own_from, 1):
        return empty(shape, dtype)
    return _own_mapping(shape, dtype, _small_pages_for(nbytes, SMALL_PAGES_FROM))


def fill(out, write):
    """Call ``write()``, which writes every byte of the fresh array ``out``,
    with the page size that is fastest here (see the module's notes).

    Where free page reporting is on and ``out`` is large, the blocks that
    :mod:`smotekit._generation` writes into ``out`` during the call time the
    first touch of their huge pages (see :func:`watched_blocks`).

    Parameters
    ----------
    out : ndarray
        A freshly allocated array, nothing written to it yet.
    write : callable
        Called once without arguments; writes ``out``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import _pages
    >>> out = np.empty((4, 2))
    >>> _pages.fill(out, lambda: out.fill(1.0))
    >>> out.sum()
    np.float64(8.0)
    """
    choice = _choice()  # checks the override on every call
    if choice == "small" and out.nbytes >= SMALL_PAGES_FROM:
        _advise_small_pages(out)
    elif choice == "auto" and out.nbytes >= PROBE_FROM and _auto():
        token = _watch.set(_Watch(out))
        try:
            write()
        finally:
            _watch.reset(token)
        return
    write()


def watched_blocks(dest, n_rows, block_rows):
    """Rows per block for writing rows of ``dest`` and a function to call
    with ``(start, stop)`` before writing each block, or ``None``.

    Inside :func:`fill` with a watched output that ``dest`` lies in, blocks
    are of about :data:`BLOCK_BYTES` and each one first times the first
    touch of two of its huge pages; once :data:`SLOW_RUN` touches in a row
    come slow (memory handed back to the host) the rest of the output is
    advised to small pages. Elsewhere ``(block_rows, None)``.
    """
    watch = _watch.get()
    if watch is None or dest is None or watch.cold or dest.ndim == 0:
        return block_rows, None
    address = dest.ctypes.data
    row_bytes = dest.strides[0]
    if not (watch.low <= address < watch.high) or row_bytes <= 0:
        return block_rows, None
    rows = max(1, BLOCK_BYTES // row_bytes)

    def before(start, stop):
        watch.look(address + start * row_bytes, (stop - start) * row_bytes)

    return rows, before


class _Watch:
    """First-touch timings of one output being written."""

    def __init__(self, out):
        self.low = out.ctypes.data
        self.high = self.low + out.nbytes
        self.huge = _huge_page_size()
        self.cold = False
        self._out = out
        self._slow_run = 0
        self._lock = threading.Lock()

    def look(self, address, nbytes):
        """Time the first touch of the first two whole huge pages of bytes
        ``address:address + nbytes``; advise small pages once
        :data:`SLOW_RUN` touches in a row were slow."""
        huge = self.huge
        first = -(-address // huge) * huge
        for page in (first, first + huge):
            if self.cold or page + huge > min(address + nbytes, self.high):
                return
            slow = _first_touch_ns(page) > COLD_NS_PER_BYTE * huge
            if slow:
                _last_cold[0] = time.monotonic()
            with self._lock:
                self._slow_run = self._slow_run + 1 if slow else 0
                if self._slow_run >= SLOW_RUN and not self.cold:
                    self.cold = True
                    _advise_small_pages(self._out)


#: The output :func:`fill` is writing in this thread, if watched.
_watch = contextvars.ContextVar("smotekit_pages_watch", default=None)


def _first_touch_ns(address):
    """Nanoseconds taken by writing a zero byte at ``address`` (inside the
    output, later overwritten), which faults in its page. ``ctypes.memset``
    lets go of the GIL meanwhile."""
    begin = time.perf_counter_ns()
    ctypes.memset(address, 0, 1)
    return time.perf_counter_ns() - begin


@lru_cache(maxsize=1)
def _huge_page_size(path="/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"):
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return _HUGE_PAGE


def _choice():
    choice = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
    if choice not in ENV_CHOICES:
        raise ValueError(
            f"The environment variable {ENV_VAR} must be one of "
            f"{', '.join(map(repr, ENV_CHOICES))}; got {choice!r}. Unset it to "
            "let smotekit decide."
        )
    return choice


def small_pages_preferred():
    """Whether large fresh outputs are advised to small pages in this process."""
    choice = _choice()
    if choice == "auto":
        return _auto()
    return choice == "small"


@lru_cache(maxsize=1)
def _auto():
    return _madvise() is not None and free_page_reporting() and _thp_advised()


def free_page_reporting(root="/sys/bus/virtio/devices"):
    """Whether a virtio balloon device under ``root`` reports free pages to
    the hypervisor (Linux sysfs; ``False`` wherever it cannot be read).

    Examples
    --------
    >>> from smotekit._pages import free_page_reporting
    >>> free_page_reporting("/nonexistent")
    False
    """
    try:
        devices = sorted(Path(root).iterdir())
    except OSError:
        return False
    for device in devices:
        try:
            kind = int((device / "device").read_text().strip(), 16)
            features = (device / "features").read_text().strip()
        except (OSError, ValueError):
            continue
        reporting = features[_REPORTING_BIT : _REPORTING_BIT + 1] == "1"
        if kind == _BALLOON_DEVICE and reporting:
            return True
    return False


def _thp_advised(path="/sys/kernel/mm/transparent_hugepage/enabled"):
    """Whether the kernel gives huge pages to advised memory at all."""
    try:
        text = Path(path).read_text()
    except OSError:
        return False
    return "[never]" not in text


@lru_cache(maxsize=1)
def _madvise():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):  # pragma: no cover - libc without madvise
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise


def _advise_small_pages(array):
    """Advise the whole pages inside ``array``'s buffer to small pages;
    a refusal by the kernel leaves numpy's advice (the values are the same)."""
    madvise = _madvise()
    if madvise is None:
        return
    page = mmap.PAGESIZE
    address = array.ctypes.data
    start = -(-address // page) * page
    stop = (address + array.nbytes) // page * page
    if stop > start:
        madvise(start, stop - start, _MADV_NOHUGEPAGE)
