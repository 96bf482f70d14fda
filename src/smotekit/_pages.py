"""Fresh output arrays, faulted in with the page size that is fastest here.

numpy advises the kernel to back every allocation of 4 MiB or more with
transparent huge pages (2 MiB). On a virtual machine whose balloon device
reports free memory to the hypervisor ("free page reporting", common on
micro-VMs), the free 2 MiB blocks are exactly the ones handed back to the
host, so each fresh huge page costs a fault in the host as well, and the
first write of a large output runs several times slower than with 4 KiB
pages, which the guest mostly still has at hand. Where that reporting is on,
the arrays a call returns or keeps (the resampled data, labels, provenance)
are advised back to small pages before anything is written to them. Their
values do not depend on it.

The environment variable ``SMOTEKIT_OUTPUT_PAGES`` overrides the detection:
``small`` always advises small pages, ``default`` leaves numpy's advice.
"""

import ctypes
import mmap
import os
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["empty", "free_page_reporting", "small_pages_preferred"]

#: Size from which numpy advises huge pages (its own threshold).
ADVISED_BYTES = 4 * 2**20
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
    """``np.empty(shape, dtype)``, advised to small pages where they are
    faster to fault in (see the module's notes).

    Examples
    --------
    >>> from smotekit import _pages
    >>> out = _pages.empty((3, 2), "float32")
    >>> out.shape, out.dtype.name
    ((3, 2), 'float32')
    """
    out = np.empty(shape, dtype)
    if out.nbytes >= ADVISED_BYTES and small_pages_preferred():
        _advise_small_pages(out)
    return out


def small_pages_preferred():
    """Whether fresh outputs are advised to small pages in this process."""
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
