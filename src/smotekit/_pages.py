"""Fresh output arrays, faulted in with the page size that is fastest here.

numpy advises the kernel to back every allocation of 4 MiB or more with
transparent huge pages (2 MiB). On a virtual machine whose balloon device
reports free memory to the hypervisor ("free page reporting", common on
micro-VMs), free 2 MiB blocks are handed back to the host a few seconds
after they are freed, and a huge page taken from such a block costs a fault
in the host as well: several times the cost of 4 KiB pages, which the guest
mostly still has at hand. Memory freed in the last seconds has not been
handed back yet and is reused first, so outputs up to a few hundred MB
usually land there and fault in fastest as huge pages; larger ones run out
of it. Where that reporting is on, arrays of :data:`SMALL_PAGES_FROM` bytes
or more (the resampled data of large calls) are therefore advised back to
small pages before anything is written to them. Their values do not depend
on it. ``benchmarks/bench_pages.py`` measures both choices.

The environment variable ``SMOTEKIT_OUTPUT_PAGES`` overrides the detection:
``small`` advises small pages from that size on whatever the machine,
``default`` leaves numpy's advice.
"""

import ctypes
import mmap
import os
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["empty", "free_page_reporting", "small_pages_preferred"]

#: Arrays from this size on get small pages where they are preferred
#: (measured on a 2-core micro-VM, both advices alternating in fresh
#: processes: a 166 MB output was faster with huge pages, 0.10 against
#: 0.14 s; 393 MB and 770 MB ones with small pages, 0.24 against 0.64 s and
#: 0.36 against 0.70 s).
SMALL_PAGES_FROM = 256 * 2**20
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


def small_pages_preferred():
    """Whether large fresh outputs are advised to small pages in this process."""
    choice = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
    if choice not in ENV_CHOICES:
        raise ValueError(
            f"The environment variable {ENV_VAR} must be one of "
            f"{', '.join(map(repr, ENV_CHOICES))}; got {choice!r}. Unset it to "
            "let smotekit decide."
        )
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
