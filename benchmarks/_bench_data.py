"""Benchmark data sets, generated once and cached as ``.npy`` files.

Each data set is written to ``benchmarks/.cache/`` (or ``--cache-dir``) by the
driver before any measurement, so a measurement process only pays for
``np.load``. The file name holds every parameter of the data (generator name,
rows, features, minority share, dtype, seed and :data:`DATA_VERSION`), so a
change of any of them makes a new file instead of reusing a stale one.
"""

import os
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = ["DATA_VERSION", "DEFAULT_CACHE_DIR", "ensure_cached", "load_cached"]

#: Bump when a data factory changes the values it draws.
DATA_VERSION = 1
#: Where generated arrays are kept (ignored by git).
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent / ".cache"
#: Seed of every generated data set.
DATA_SEED = 0


def cache_paths(cache_dir, cell, data_factory):
    """Paths of the cached ``X`` and ``y`` files of ``cell``'s data set."""
    stem = (
        f"{data_factory.__name__}_n{cell.n}_d{cell.d}_m{cell.minority:g}_"
        f"{cell.dtype}_s{DATA_SEED}_v{DATA_VERSION}"
    )
    cache_dir = Path(cache_dir)
    return cache_dir / f"{stem}_X.npy", cache_dir / f"{stem}_y.npy"


def _sparse_path(x_path):
    """Where a sparse ``X`` is kept (scipy's ``.npz`` format)."""
    return x_path.with_suffix(".npz")


def _save_atomic(path, array):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        if sparse.issparse(array):
            sparse.save_npz(fh, array, compressed=False)
        else:
            np.save(fh, np.ascontiguousarray(array), allow_pickle=False)
    os.replace(tmp, path)


def ensure_cached(cache_dir, cell, data_factory):
    """Generate and save ``cell``'s data set unless it is already cached.

    Returns
    -------
    generated : bool
        Whether the data set had to be generated.
    """
    x_path, y_path = cache_paths(cache_dir, cell, data_factory)
    if (x_path.exists() or _sparse_path(x_path).exists()) and y_path.exists():
        return False
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    X, y = data_factory(cell, seed=DATA_SEED)
    _save_atomic(_sparse_path(x_path) if sparse.issparse(X) else x_path, X)
    _save_atomic(y_path, y)
    return True


def load_cached(cache_dir, cell, data_factory):
    """Load ``cell``'s cached data set fully into memory (no memory map);
    a sparse ``X`` comes back as a CSR matrix."""
    x_path, y_path = cache_paths(cache_dir, cell, data_factory)
    if _sparse_path(x_path).exists() and y_path.exists():
        y = np.load(y_path, allow_pickle=False)
        return sparse.load_npz(_sparse_path(x_path)).tocsr(), y
    if not (x_path.exists() and y_path.exists()):
        raise FileNotFoundError(
            f"No cached data for {cell.label()} in {cache_dir}; run the driver "
            "(bench_smote.py), which generates it before measuring."
        )
    return np.load(x_path, allow_pickle=False), np.load(y_path, allow_pickle=False)
