"""The worker threads that every parallel step of smotekit shares.

The compiled kernels (generation, the tiled neighbour search, KMeansSMOTE's
distance sums) release the GIL and run on Python threads. Starting a team of
threads for every step costs a fraction of a millisecond each time, which
shows on small inputs, so one pool of threads is made on first use and kept
for the life of the process (a forked child makes its own, as the parent's
threads do not exist there).

How many threads a step uses unless told otherwise (:func:`n_cores`) is
counted as scikit-learn counts its OpenMP threads: the CPUs this process may
run on (its CPU affinity and cgroup quota, not the machine's count), or the
OpenMP limit when one is set (``OMP_NUM_THREADS``, threadpoolctl's
``threadpool_limits``, and joblib's worker processes, which set it so that
parallel fits, as in ``GridSearchCV(n_jobs=-1)``, do not each start a thread
per core). ``n_jobs=-1`` asks for every CPU the process may use whatever
that limit, as in joblib (:func:`resolve_n_jobs`).

:func:`map_threads` is the only entry point. Its callers hand it independent
items, so the result never depends on how many threads ran them. A call made
from inside an item (a parallel step nested in another) runs its items in
order on the calling thread: the cores are already busy, and waiting for the
pool from inside it could wait forever.
"""

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import joblib
from sklearn.utils._openmp_helpers import (
    _openmp_effective_n_threads,
    _openmp_parallelism_enabled,
)

__all__ = [
    "check_n_jobs",
    "map_threads",
    "n_cores",
    "n_cpus",
    "openmp_threads",
    "resolve_n_jobs",
    "thread_budget",
]

_state = threading.local()
_lock = threading.Lock()
_pool = None


def n_cores():
    """Threads a parallel step runs on unless told otherwise (at least 1).

    Counted as scikit-learn counts its OpenMP threads: the OpenMP setting
    when there is one (``OMP_NUM_THREADS``, even above the CPU count;
    ``threadpoolctl.threadpool_limits`` on the calling thread), else the
    CPUs this process may use (affinity, cgroup quota, logical cores; read
    once per process). With a scikit-learn built without OpenMP (which
    counts one thread), ``OMP_NUM_THREADS`` if set, else those CPUs. Inside
    :func:`thread_budget` on this thread, its count.

    Examples
    --------
    >>> from threadpoolctl import threadpool_limits
    >>> with threadpool_limits(limits=1, user_api="openmp"):
    ...     n_cores()
    1
    """
    budget = getattr(_state, "budget", None)
    if budget is not None:
        return budget
    if not _openmp_parallelism_enabled():
        setting = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
        return int(setting) if setting.isdigit() and int(setting) > 0 else n_cpus()
    return max(_openmp_effective_n_threads(only_physical_cores=False), 1)


def n_cpus():
    """CPUs this process may run on (at least 1): its CPU affinity and
    cgroup quota, as joblib counts them, whatever the OpenMP limit."""
    return max(joblib.cpu_count(), 1)


def resolve_n_jobs(n_jobs):
    """Threads for an ``n_jobs`` parameter.

    ``None`` lets the environment decide (:func:`n_cores`: the usable CPUs,
    within the OpenMP limit); a negative value counts back from every CPU
    the process may use, whatever the OpenMP limit, as joblib's ``n_jobs``
    does (``-1``: all of them, ``-2``: all but one, never fewer than one);
    a positive value is taken as given.

    Parameters
    ----------
    n_jobs : int or None
        The parameter's value.

    Returns
    -------
    n_threads : int

    Raises
    ------
    ValueError
        For ``n_jobs=0``.

    Examples
    --------
    >>> resolve_n_jobs(3), resolve_n_jobs(-1) == n_cpus()
    (3, True)
    """
    if n_jobs is None:
        return n_cores()
    if n_jobs == 0:
        raise ValueError(
            "n_jobs=0 asks for no thread at all. Use None (as the environment "
            "allows), -1 (every core) or a positive number of threads."
        )
    if n_jobs < 0:
        return max(n_cpus() + 1 + int(n_jobs), 1)
    return int(n_jobs)


def check_n_jobs(estimator):
    """Refuse ``n_jobs=0`` on ``estimator`` before any work, naming its class
    (estimators without ``n_jobs`` pass)."""
    n_jobs = getattr(estimator, "n_jobs", None)
    if n_jobs is not None and not isinstance(n_jobs, bool) and n_jobs == 0:
        try:
            resolve_n_jobs(n_jobs)
        except ValueError as exc:
            raise ValueError(
                f"The 'n_jobs' parameter of {type(estimator).__name__}: {exc}"
            ) from None


@contextlib.contextmanager
def thread_budget(n_threads):
    """Within this block, :func:`n_cores` is ``n_threads`` on the calling
    thread (``None``: no change), so every step it starts uses that many
    threads (an estimator's ``n_jobs`` for all of its passes).

    Examples
    --------
    >>> with thread_budget(1):
    ...     n_cores()
    1
    """
    before = getattr(_state, "budget", None)
    _state.budget = before if n_threads is None else max(int(n_threads), 1)
    try:
        yield
    finally:
        _state.budget = before


def map_threads(fn, items, n_threads=None):
    """``[fn(item) for item in items]``, on up to ``n_threads`` threads.

    The calling thread takes part, and each thread takes the next item not
    yet started, so a slow item does not hold up the others. Results come
    back in the order of ``items``, once every item is done; a helper
    thread that wakes up after the last item was taken is not waited for
    (on a virtual machine waking an idle core takes about 0.1 ms, more than
    many small steps).

    Parameters
    ----------
    fn : callable
        Called once per item. Items run concurrently: ``fn`` must not rely on
        another item having run (write disjoint outputs) and should release
        the GIL for the threads to help.
    items : iterable
        The work items.
    n_threads : int, default=None
        Most threads working at once, the calling one included; ``None``
        means one per core.

    Returns
    -------
    results : list
        ``fn(item)`` for each item, in order.

    Raises
    ------
    Exception
        The error of the first failing item, in the order of ``items``,
        once every started item has finished (no item is left running).

    Examples
    --------
    >>> map_threads(lambda x: x * x, range(5))
    [0, 1, 4, 9, 16]
    """
    items = list(items)
    n_threads = n_cores() if n_threads is None else int(n_threads)
    n_threads = min(n_threads, len(items))
    if n_threads <= 1 or getattr(_state, "inside", False):
        return [fn(item) for item in items]
    results = [None] * len(items)
    errors = {}
    claims = _Claims(len(items))

    def lane(helper):
        while not errors:
            i = claims.next(helper)
            if i is None:
                return
            try:
                results[i] = fn(items[i])
            except BaseException as error:  # re-raised in the calling thread
                errors[i] = error
            finally:
                if helper:
                    claims.done()

    helpers = [
        _shared_pool().submit(_as_worker, lane, True) for _ in range(n_threads - 1)
    ]
    try:
        _as_worker(lane, False)
    finally:
        for helper in helpers:
            helper.cancel()  # those still queued behind other work: not needed now
        # no item starts from here on; a helper that wakes up later finds
        # none left. Wait only for the items other threads have started
        # (waking a thread only to hear that it has nothing to do costs
        # more than a small item on a virtual machine)
        claims.close_and_wait()
    if errors:
        raise errors[min(errors)]
    return results


def _as_worker(fn, *args):
    """Run ``fn(*args)`` with this thread marked as working for
    :func:`map_threads`."""
    was = getattr(_state, "inside", False)
    _state.inside = True
    try:
        fn(*args)
    finally:
        _state.inside = was


class _Claims:
    """Hands out the items ``0, 1, ..., n - 1`` once each, to any number of
    threads, until closed; counts the items the helper threads start and
    finish, so the calling thread can wait for those alone. (The calling
    thread's own items are not counted: an interrupt, which only the main
    thread receives, could fall between a claim and its count.)"""

    def __init__(self, n):
        self._done_changed = threading.Condition(threading.Lock())
        self._n = n
        self._next = 0
        self._started = 0
        self._done = 0

    def next(self, helper):
        """The next item to run, or None when none is left (or closed);
        ``helper``: claimed by a helper thread, which calls :meth:`done`
        once it is finished."""
        with self._done_changed:
            if self._next >= self._n:
                return None
            value = self._next
            self._next += 1
            self._started += helper
        return value

    def done(self):
        """An item a helper started has finished (returned or raised)."""
        with self._done_changed:
            self._done += 1
            if self._next >= self._n and self._done == self._started:
                self._done_changed.notify_all()

    def close_and_wait(self):
        """Start no more items; return once every started one is done."""
        with self._done_changed:
            self._next = self._n
            self._done_changed.wait_for(lambda: self._done == self._started)


def _shared_pool():
    global _pool
    with _lock:
        if _pool is None:
            # threads start as work asks for them: this only bounds them
            size = max(os.cpu_count() or 1, n_cores())
            _pool = ThreadPoolExecutor(size, thread_name_prefix="smotekit")
        return _pool


_forked = False


def openmp_threads(n_threads):
    """Threads for a compiled library's OpenMP region (pykdtree, faiss): one
    in a forked child, where GNU OpenMP's threads of the parent do not exist
    and a region on several of them waits for them forever."""
    return 1 if _forked else n_threads


def _forget_pool():
    # a forked child has the parent's pool object but none of its threads
    global _pool, _lock, _forked
    _pool = None
    _lock = threading.Lock()
    _forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
