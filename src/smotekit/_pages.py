"""Fresh output arrays, faulted in with the page size that is fastest here.

numpy advises the kernel to back every allocation of 4 MiB or more with
transparent huge pages (2 MiB). On a virtual machine whose balloon device
reports free memory to the hypervisor ("free page reporting", common on
micro-VMs), free 2 MiB blocks are handed back to the host a few seconds
after they are freed, and a huge page taken from such a block costs a fault
in the host as well: several times the cost of 4 KiB pages, which the guest
mostly still has at hand. Memory freed in the last seconds has not been
handed back yet, is reused first and faults in fastest as huge pages.

Where that reporting is on, :func:`fill` therefore writes a large output in
segments and, before each one, times the first touch of two of its huge
pages: once they come slow (handed-back memory), the rest of the output is
advised to small pages. :func:`empty` advises arrays of
:data:`SMALL_PAGES_FROM` bytes or more to small pages outright (the arrays
not written through :func:`fill`). Values never depend on the advice.
``benchmarks/bench_pages.py`` measures the choices.

The environment variable ``SMOTEKIT_OUTPUT_PAGES`` overrides the detection:
``small`` advises small pages from :data:`SMALL_PAGES_FROM` on whatever the
machine, ``default`` leaves numpy's advice.
"""

import ctypes
import mmap
import os
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["empty", "fill", "free_page_reporting", "small_pages_preferred"]

#: Arrays from this size on get small pages where they are preferred
#: (measured on a 2-core micro-VM, both advices alternating in fresh
#: processes: a 166 MB output was faster with huge pages, 0.10 against
#: 0.14 s; 393 MB and 770 MB ones with small pages, 0.24 against 0.64 s and
#: 0.36 against 0.70 s).
SMALL_PAGES_FROM = 256 * 2**20
#: Outputs from this size on are written by :func:`fill` in segments whose
#: huge pages are timed first, where free page reporting is on.
PROBE_FROM = 32 * 2**20
#: Bytes written between two looks at how fast fresh huge pages come.
SEGMENT_BYTES = 64 * 2**20
#: A huge page whose first touch costs more than this many nanoseconds a
#: byte came from memory handed back to the host (measured here: 0.1 for
#: recently freed memory, 1-2.5 for handed-back memory, 0.26-0.3 for small
#: pages whatever their origin).
COLD_NS_PER_BYTE = 0.5
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

    Examples
    --------
    >>> from smotekit import _pages
    >>> out = _pages.empty((3, 2), "float32")
    >>> out.shape, out.dtype.name
    ((3, 2), 'float32')
    """
    small = small_pages_preferred()  # checks the override on every call
    out = np.empty(shape, dtype)
    if small and out.nbytes >= SMALL_PAGES_FROM:
        _advise_small_pages(out)
    return out


def fill(out, write):
    """Have ``write(start, stop)`` write rows ``start:stop`` of the fresh
    array ``out``, over consecutive row ranges covering it, with the page
    size that is fastest here (see the module's notes).

    ``write`` must write every byte of its rows; its results must not depend
    on how the rows are split.

    Parameters
    ----------
    out : ndarray
        A freshly allocated C-contiguous array, nothing written to it yet.
    write : callable
        ``write(start, stop)`` writes ``out[start:stop]``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import _pages
    >>> out = np.empty((4, 2))
    >>> def write(start, stop):
    ...     out[start:stop] = np.arange(start, stop)[:, None]
    >>> _pages.fill(out, write)
    >>> out[:, 0].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    choice = _choice()  # checks the override on every call
    rows = out.shape[0]
    if choice == "small" and out.nbytes >= SMALL_PAGES_FROM:
        _advise_small_pages(out)
    elif choice == "auto" and _probed(out) and _auto():
        _fill_probed(out, write, rows)
        return
    if rows:
        write(0, rows)


def _probed(out):
    """Whether ``out`` is large and plain enough to be written in timed
    segments."""
    return (
        out.nbytes >= PROBE_FROM and out.flags.c_contiguous and not out.dtype.hasobject
    )


def _fill_probed(out, write, rows):
    row_bytes = out.nbytes // rows
    step = max(1, SEGMENT_BYTES // row_bytes)
    flat = out.reshape(-1).view(np.uint8)
    address = out.ctypes.data
    huge = _huge_page_size()
    small = False
    for start in range(0, rows, step):
        stop = min(start + step, rows)
        if not small:
            cold_from = _cold_from(flat, address, start * row_bytes,
                                   stop * row_bytes, huge)  # fmt: skip
            if cold_from is not None:
                _advise_small_pages(flat[cold_from:])
                small = True
        write(start, stop)


def _cold_from(flat, address, low, high, huge):
    """Touch the first two whole huge pages of bytes ``low:high`` of ``flat``
    (at ``address``); return the offset after them when both came slow."""
    first = -(-(address + low) // huge) * huge - address
    if first + 2 * huge > high:
        return None
    spent = [_first_touch_ns(flat, offset) for offset in (first, first + huge)]
    if min(spent) > COLD_NS_PER_BYTE * huge:  # one slow touch is not enough
        return first + 2 * huge
    return None


def _first_touch_ns(flat, offset):
    """Nanoseconds taken by writing byte ``offset`` of ``flat`` (later
    overwritten by the caller's rows), which faults in its page."""
    begin = time.perf_counter_ns()
    flat[offset] = 0
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
