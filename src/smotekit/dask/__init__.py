"""Dask-native over-samplers: the same resampling on data larger than memory.

``smotekit.dask.SMOTE(random_state=s).fit_resample(X, y)`` takes a dask array
or a dask DataFrame (``y`` a dask array or Series with the same partitions)
and returns the same kind of collection, lazily: the original partitions
pass through untouched and the synthetic rows come as new partitions after
them. Computed, the result equals the in-memory sampler's output row for row,
whatever the partitioning, the number of workers or the scheduler: every
synthetic row is drawn from a counter-based random stream keyed by the seed,
the class and the row's number, shared with the in-memory samplers.

When ``fit_resample`` is called, the class counts (one pass over the
partitions) and, for BorderlineSMOTE and ADASYN, the per-sample danger counts
are computed, and the rows of each class to over-sample are gathered and
kept (``dask.persist``: in the workers' memory under ``distributed``), so
that the output graph holds those rows rather than the input partitions they
came from. Everything else runs when the result is computed, on the active
scheduler (threads by default, a ``distributed.Client`` when one is active).

Requires the optional dependencies: ``pip install 'smotekit[dask]'``.
"""

import importlib

__all__ = ["ADASYN", "SMOTE", "BorderlineSMOTE", "RandomOverSampler"]

_LOCATIONS = {
    "SMOTE": "._smote",
    "RandomOverSampler": "._random_over",
    "BorderlineSMOTE": "._borderline",
    "ADASYN": "._adasyn",
}


def _require_dask():
    try:
        import dask.array
        import dask.dataframe

        del dask
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "smotekit.dask needs dask with its array and dataframe parts "
            f"({exc}). Install them with: pip install 'smotekit[dask]'"
        ) from exc


def __getattr__(name):
    if name in _LOCATIONS:
        _require_dask()
        value = getattr(importlib.import_module(_LOCATIONS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'smotekit.dask' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
