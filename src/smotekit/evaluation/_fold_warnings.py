"""The warnings of each cross-validation fit, kept apart when folds run on
threads at once.

``warnings.catch_warnings`` swaps process-wide state (the filters and
``showwarning``) on entering and puts back what it saw on leaving: entered
in several threads at once (joblib's threading backend), one thread can put
back the state another installed, leaving an ``"always"`` filter behind for
the rest of the process. Here the caller of the folds installs the state
once (:func:`folds_running`, counted, so that overlapping callers share it
and the last to leave restores it), and each fold keeps the warnings raised
in its thread in a list of its own (:func:`fold_warnings`).
"""

import contextlib
import threading
import warnings

__all__ = ["fold_warnings", "folds_running"]

_lock = threading.Lock()
_local = threading.local()
#: ``users``: callers running folds; ``context``: the ``catch_warnings`` the
#: first of them entered (the last leaves it); ``shown``: ``showwarning``
#: before.
_state = {"users": 0, "context": None, "shown": None}


def _route(message, category, filename, lineno, file=None, line=None):
    """``warnings.showwarning`` while folds run: a warning raised in a fold's
    thread goes to that fold's list; others are shown as before."""
    records = getattr(_local, "records", None)
    if records is None:
        return _state["shown"](message, category, filename, lineno, file, line)
    records.append(f"{category.__name__}: {message}")
    return None


@contextlib.contextmanager
def folds_running():
    """Around the run of the folds, in the caller: every warning is issued
    (filter ``"always"``, so that each fold sees its own) and routed to the
    fold whose thread raised it."""
    with _lock:
        if _state["users"] == 0:
            context = warnings.catch_warnings()
            context.__enter__()
            _state.update(context=context, shown=warnings.showwarning)
            warnings.simplefilter("always")
            warnings.showwarning = _route
        _state["users"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["users"] -= 1
            if _state["users"] == 0:
                _state["context"].__exit__(None, None, None)
                _state.update(context=None, shown=None)


@contextlib.contextmanager
def fold_warnings():
    """Collect the warnings raised in this thread within the block, as
    ``"Category: message"`` texts, into the list it yields.

    In a process whose caller runs :func:`folds_running` (the fold's own, or
    a forked one) the routing is in place; in another (joblib's worker
    processes) the process runs one fold at a time, and a plain
    ``catch_warnings`` records them.

    Examples
    --------
    >>> import warnings
    >>> with folds_running(), fold_warnings() as caught:
    ...     warnings.warn("slow", RuntimeWarning, stacklevel=1)
    >>> caught
    ['RuntimeWarning: slow']
    """
    if _state["users"]:
        caught = []
        _local.records = caught
        try:
            yield caught
        finally:
            _local.records = None
        return
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        caught = []
        try:
            yield caught
        finally:
            caught.extend(f"{r.category.__name__}: {r.message}" for r in records)
