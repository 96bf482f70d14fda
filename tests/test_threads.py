"""The shared worker threads: order, concurrency limits, nesting, errors,
fork, and how many threads a step uses."""

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from unittest import mock

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

from smotekit import SMOTE, _threads
from smotekit._threads import map_threads


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(st.integers(-1000, 1000), max_size=40),
    n_threads=st.one_of(st.none(), st.integers(-2, 9)),
)
def test_results_are_those_of_a_plain_loop(items, n_threads):
    assert map_threads(lambda x: (x, x * x), items, n_threads) == [
        (x, x * x) for x in items
    ]


def test_items_run_on_several_threads_at_once():
    # two items that can only finish together: a serial loop would time out
    meet = threading.Barrier(2, timeout=10)
    assert map_threads(lambda _: meet.wait() >= 0, range(2), 2) == [True, True]


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_no_more_threads_than_asked_work_at_once(n_threads):
    lock = threading.Lock()
    running, most = [0], [0]

    def item(_):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002)
        with lock:
            running[0] -= 1

    map_threads(item, range(30), n_threads)
    assert most[0] <= n_threads
    assert running[0] == 0


def test_the_caller_does_not_wait_for_a_helper_that_started_no_item(monkeypatch):
    # a helper thread is picked up but held back before it claims an item:
    # the caller runs every item itself and returns without waiting for it
    picked_up, released, finished = (threading.Event() for _ in range(3))
    released_in_time = []
    caller = threading.get_ident()
    as_worker = _threads._as_worker

    def held_back(fn, *args):
        if threading.get_ident() == caller:
            return as_worker(fn, *args)
        picked_up.set()
        # a caller waiting for this helper would only let it go at the timeout
        released_in_time.append(released.wait(timeout=5))
        try:
            return as_worker(fn, *args)
        finally:
            finished.set()

    monkeypatch.setattr(_threads, "_as_worker", held_back)
    results = map_threads(lambda i: picked_up.wait(timeout=30) and i * 10, range(5), 2)
    released.set()
    assert results == [0, 10, 20, 30, 40]
    assert finished.wait(timeout=30)
    assert released_in_time == [True]


def test_the_caller_waits_for_the_items_a_helper_started():
    # the helper's item outlasts the caller's: its result is still returned
    started = threading.Event()

    def item(i):
        if i == 0:
            return "caller"
        started.set()
        time.sleep(0.05)
        return "helper"

    def first_waits(i):
        if i == 0:
            started.wait(timeout=30)  # item 1 is running on the helper
        return item(i)

    assert map_threads(first_waits, range(2), 2) == ["caller", "helper"]


def test_a_nested_call_runs_on_the_thread_of_its_item():
    def outer(i):
        me = threading.get_ident()

        def inner_item(j):
            time.sleep(0.002)  # long enough for a free thread to take some
            return j, threading.get_ident()

        inner = map_threads(inner_item, range(6))
        assert [j for j, _ in inner] == list(range(6))
        return {ident for _, ident in inner} == {me}

    assert map_threads(outer, range(8), 2) == [True] * 8


def test_the_first_failing_item_in_order_is_raised_after_all_stop():
    lock = threading.Lock()
    running = [0]

    def item(i):
        with lock:
            running[0] += 1
        try:
            if i == 1:
                time.sleep(0.05)  # fails after item 2 has failed
                raise ValueError("item 1")
            if i == 2:
                raise ValueError("item 2")
            time.sleep(0.001)
            return i
        finally:
            with lock:
                running[0] -= 1

    with pytest.raises(ValueError, match="item 1"):
        map_threads(item, range(200), 2)
    assert running[0] == 0


def test_an_interrupt_in_an_item_reaches_the_caller():
    def item(i):
        if i == 3:
            raise KeyboardInterrupt
        return i

    with pytest.raises(KeyboardInterrupt):
        map_threads(item, range(10), 2)
    assert map_threads(lambda x: x + 1, range(4), 2) == [1, 2, 3, 4]


def _square_all(conn):
    conn.send(map_threads(lambda x: x * x, range(50), 2))
    conn.close()


def _in_forked_child(target, hang):
    """What ``target(conn)`` sends from a forked child (``hang``: the message
    when the child does not finish in a minute)."""
    ctx = multiprocessing.get_context("fork")
    parent_end, child_end = ctx.Pipe()
    child = ctx.Process(target=target, args=(child_end,))
    child.start()
    child.join(timeout=60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive, hang
    assert child.exitcode == 0
    return parent_end.recv()


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
@pytest.mark.filterwarnings("ignore:This process .* multi-threaded:DeprecationWarning")
def test_a_forked_child_gets_threads_of_its_own():
    map_threads(lambda x: x, range(4), 2)  # the parent's pool exists now
    assert _threads._pool is not None
    got = _in_forked_child(_square_all, "the forked child hung on the parent's pool")
    assert got == [x * x for x in range(50)]


_HELD_SEARCH = {}


def _search_in_child(conn):
    search, X = _HELD_SEARCH["search"], _HELD_SEARCH["X"]
    conn.send((search.algorithm_, search.kneighbors(X[:5])[1].tolist()))


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
@pytest.mark.filterwarnings("ignore:This process .* multi-threaded:DeprecationWarning")
def test_a_forked_child_chooses_a_route_another_thread_was_choosing():
    from smotekit import ExactNeighbors

    X = np.random.default_rng(0).normal(size=(3000, 3))
    assert ExactNeighbors(n_neighbors=6).fit(X).algorithm_  # compiled here first
    search = ExactNeighbors(n_neighbors=6).fit(X)
    _HELD_SEARCH.update(search=search, X=X)
    # another thread of the parent is building the tree when the fork comes
    with search._route_lock:
        got = _in_forked_child(
            _search_in_child, "the forked child hung on the parent's route lock"
        )
    reference = ExactNeighbors(n_neighbors=6).fit(X)
    assert got == (reference.algorithm_, reference.kneighbors(X[:5])[1].tolist())


# ------------------------------------------------------------ how many threads


@pytest.mark.parametrize(("allowed", "cpus"), [(1, 1), (1, 4), (2, 2), (5, 8)])
def test_n_jobs_counts_as_scikit_learn_and_joblib_do(monkeypatch, allowed, cpus):
    """``None``: the threads the OpenMP limit allows; negative: back from
    every usable CPU, whatever that limit; positive: as given."""
    monkeypatch.setattr(_threads, "n_cores", lambda: allowed)
    monkeypatch.setattr(_threads, "n_cpus", lambda: cpus)
    assert _threads.resolve_n_jobs(None) == allowed
    assert _threads.resolve_n_jobs(-1) == cpus
    assert _threads.resolve_n_jobs(-2) == max(cpus - 1, 1)
    assert _threads.resolve_n_jobs(-cpus - 5) == 1
    assert _threads.resolve_n_jobs(3) == 3
    with pytest.raises(ValueError, match="n_jobs=0 asks for no thread at all"):
        _threads.resolve_n_jobs(0)


def test_without_openmp_the_usable_cpus_count(monkeypatch):
    """A scikit-learn built without OpenMP counts one thread; smotekit's own
    threads then follow ``OMP_NUM_THREADS``, else the CPUs the process may
    use."""
    monkeypatch.setattr(_threads, "_openmp_parallelism_enabled", lambda: False)
    monkeypatch.setattr(_threads, "n_cpus", lambda: 3)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert _threads.n_cores() == 3
    # joblib's workers set OMP_NUM_THREADS: it still holds
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _threads.n_cores() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "0")  # not a thread count
    assert _threads.n_cores() == 3


def test_an_openmp_limit_keeps_every_step_on_the_calling_thread(monkeypatch):
    """Under ``threadpool_limits(1)`` (what joblib's workers and users set
    to stop oversubscription), no step hands work to the pool, and the
    output is the same as with two threads."""
    X, y = make_classification(
        n_samples=20_000, n_features=20, weights=[0.85], random_state=0
    )
    two = mock.patch.object(_threads, "n_cores", return_value=2)
    with two:  # whatever this machine's limit: the pool takes part
        X_two, _ = SMOTE(random_state=0).fit_resample(X, y)

    def no_pool():
        raise AssertionError("a step used the thread pool under a limit of 1")

    monkeypatch.setattr(_threads, "_shared_pool", no_pool)
    with threadpool_limits(limits=1, user_api="openmp"):
        assert _threads.n_cores() == 1
        X_one, _ = SMOTE(random_state=0).fit_resample(X, y)
    assert np.array_equal(X_one, X_two)
    with two, pytest.raises(AssertionError, match="used the thread pool"):
        SMOTE(random_state=0).fit_resample(X, y)  # the check itself can fail


_COUNT_POOL_THREADS = """
import os, sys, threading
if sys.argv[1] == "affinity":
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from sklearn.datasets import make_classification
from smotekit import SMOTE
from smotekit._threads import n_cores, resolve_n_jobs
X, y = make_classification(n_samples=20000, n_features=20, weights=[0.85],
                           random_state=0)
SMOTE(random_state=0).fit_resample(X, y)
pool = [t for t in threading.enumerate() if t.name.startswith("smotekit")]
print(n_cores(), len(pool), resolve_n_jobs(-1))
"""


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or joblib.cpu_count() < 2,
    reason="needs CPU affinity and two CPUs",
)
@pytest.mark.parametrize("limit", ["none", "OMP_NUM_THREADS", "affinity"])
def test_a_process_limited_to_one_cpu_starts_no_worker_thread(limit):
    """A process confined to one CPU (by its affinity, as ``taskset`` or a
    container does, or by ``OMP_NUM_THREADS=1``, as joblib's workers are)
    runs everything on its own thread; an unconfined one uses the pool."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    if limit == "OMP_NUM_THREADS":
        env["OMP_NUM_THREADS"] = "1"
    run = subprocess.run(
        [sys.executable, "-c", _COUNT_POOL_THREADS, limit],
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    cores, pool, all_cpus = map(int, run.stdout.split())
    if limit == "none":
        assert cores >= 2 and pool >= 1
    else:
        assert (cores, pool) == (1, 0)
    # n_jobs=-1 asks for every CPU the process may use, whatever OpenMP's limit
    assert all_cpus == (1 if limit == "affinity" else joblib.cpu_count())


def _kd_tree_sum(conn):
    from smotekit import ExactNeighbors

    X = np.random.default_rng(0).standard_normal((60_000, 4))
    nn = ExactNeighbors(n_neighbors=5, algorithm="kd_tree").fit(X)
    conn.send(int(nn.kneighbors(return_distance=False).sum()))
    conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
@pytest.mark.filterwarnings("ignore:This process .* multi-threaded:DeprecationWarning")
def test_a_forked_child_searches_a_kd_tree_after_its_parent_did():
    """GNU OpenMP's threads do not survive fork: a forked child of a process
    that searched a kd-tree on several OpenMP threads must not wait for them."""
    from smotekit import ExactNeighbors

    X = np.random.default_rng(0).standard_normal((60_000, 4))
    nn = ExactNeighbors(n_neighbors=5, algorithm="kd_tree").fit(X)
    expected = int(nn.kneighbors(return_distance=False).sum())  # parent's threads
    got = _in_forked_child(_kd_tree_sum, "the forked child hung in the kd-tree")
    assert got == expected


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_n_jobs_1_keeps_every_pass_of_a_search_on_the_calling_thread(
    monkeypatch, algorithm
):
    """``ExactNeighbors(n_jobs=1)``: its input checks and point layout run
    on one thread too, not only the search; two threads use the pool."""
    from smotekit import ExactNeighbors

    d = 30 if algorithm == "brute" else 4
    X = np.random.default_rng(0).standard_normal((40_000, d))

    def search(n_jobs):
        nn = ExactNeighbors(n_neighbors=5, algorithm=algorithm, n_jobs=n_jobs)
        return nn.fit(X).kneighbors(return_distance=False)

    expected = search(2)

    def no_pool():
        raise AssertionError("a pass used the thread pool with n_jobs=1")

    monkeypatch.setattr(_threads, "_shared_pool", no_pool)
    np.testing.assert_array_equal(search(1), expected)
    with pytest.raises(AssertionError, match="used the thread pool"):
        search(2)  # the check itself can fail


def test_a_tree_search_leaves_blas_threads_as_another_search_left_them(monkeypatch):
    # a tree search limits OpenMP; leaving, it once set every library back
    # to what it saw on entering, BLAS included: if a tiled search in another
    # thread had BLAS on one thread then, BLAS stayed on one thread for good
    from threadpoolctl import threadpool_info

    from smotekit import ExactNeighbors, _brute, _neighbors

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    X = np.random.default_rng(0).normal(size=(3000, 3))
    nn = ExactNeighbors(n_neighbors=6).fit(X)
    assert nn.algorithm_ == "kd_tree"
    held, release, released = (threading.Event() for _ in range(3))

    def other_search():  # a tiled search in another thread
        with _brute.single_threaded_blas():
            held.set()
            release.wait()
        released.set()

    tree_search = _neighbors.kdtree_kneighbors

    def search_while_the_other_ends(*args, **kwargs):
        release.set()
        released.wait()
        return tree_search(*args, **kwargs)

    monkeypatch.setattr(_neighbors, "kdtree_kneighbors", search_while_the_other_ends)
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        assert before and min(before) == 2
        other = threading.Thread(target=other_search)
        other.start()
        held.wait()
        nn.kneighbors(X[:2000])
        other.join()
        assert blas_threads() == before
