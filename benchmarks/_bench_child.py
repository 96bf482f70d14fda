"""One measurement, run in a fresh process by ``bench_smote.py``.

The driver starts each measurement process from its fork server, which
has already imported what both libraries import (see ``FORK_PRELOAD`` in
``bench_smote.py``), and calls :func:`measure_forked` in it; with
``--fresh-interpreter`` each one is a new interpreter running this file::

    python benchmarks/_bench_child.py '{"library": "smotekit", "cell": {...},
                                        "cache_dir": "..."}'

Either way the process imports the library it measures (and nothing of the
other), warms it up on small data sets of the same shape (lazy imports,
thread pools, compiled kernels of the one- and multi-threaded paths; see
``WARMUP_SETS``), loads the cached data, records the resident set size
(RSS) as the *baseline*, resets the peak-RSS counter where the OS allows
it, runs ``fit_resample`` once, and reports a dict (a fresh interpreter
prints it as one line ``BENCH-RESULT {json}``) with:

``wall_s``, ``cpu_s``
    Wall-clock and CPU time (all threads) of ``fit_resample`` alone.
``baseline_mib``, ``peak_mib``, ``peak_above_baseline_mib``
    RSS after loading the data; highest RSS during ``fit_resample``; their
    difference (the memory the call itself needed, output included).
``peak_method``
    ``'vmhwm-reset'`` when the peak counter was reset right before the call
    (Linux), so the peak is the call's own; ``'ru_maxrss'`` otherwise, where
    the peak covers the whole process (``peak_before_mib`` tells whether
    that matters).
``in_bytes``, ``out_bytes``, ``n_out``, ``out_dtype``
    Sizes of the input and of the resampled ``X`` plus ``y``.
``neighbour_method``
    The fitted neighbour search's method (``kd_tree``, ``brute``, ...), if any.
``blas_threads_restarted``
    In a forked process only: the OpenBLAS worker threads that
    :func:`restart_blas_pools` started (None where the OS does not list a
    process's threads).
"""

import gc
import json
import os
import sys
import time
from dataclasses import replace

import numpy as np

from _bench_data import load_cached
from _bench_registry import SAMPLERS, Cell

RESULT_PREFIX = "BENCH-RESULT "
MIB = 2**20
#: Warm-up data sets: (rows, least minority share, least minority rows of
#: the cell), one for each route of smotekit's neighbour search that a
#: cell's class may take, so that the measured call loads none of its
#: compiled kernels (about 10 ms each from numba's cache, once per
#: process): a class of 40 rows and one of 900 (every pair at once, up to
#: 2**20 pairs), and, for cells of a sampler that searches neighbours and
#: whose minority class has 8,192 rows or more, one of 9,000 rows (the
#: tiled products on several threads, after the checks such a class gets).
#: Without the third, the grid's SMOTE cells at 100k rows and 10% minority
#: took 0.09-0.17 s where 0.05-0.08 was their time after it (100k x 10);
#: the smaller cells' classes take the routes of the first two.
WARMUP_SETS = ((400, 0.1, 0), (2_000, 0.45, 0), (20_000, 0.45, 8_192))


def current_rss():
    """Resident set size of this process in bytes."""
    try:
        import psutil
    except ImportError:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return psutil.Process().memory_info().rss


def reset_peak_rss():
    """Reset the kernel's peak-RSS counter (Linux ≥ 4.0); True if it worked."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return read_vmhwm() is not None


def read_vmhwm():
    """Peak RSS in bytes from ``/proc/self/status`` (``VmHWM``), or None."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def ru_maxrss_bytes():
    """Process-lifetime peak RSS from ``getrusage`` in bytes."""
    import resource  # not on Windows, where the driver must still import this

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def thread_summary():
    """Compact ``threadpoolctl`` report: one dict per loaded thread pool."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("user_api", "internal_api", "num_threads", "version", "architecture")
    return [
        {k: info.get(k) for k in keys}
        | {"library": os.path.basename(info.get("filepath", ""))}
        for info in threadpool_info()
    ]


def _nbytes(a):
    if hasattr(a, "nbytes"):
        return int(a.nbytes)
    if hasattr(a, "data") and hasattr(a.data, "nbytes"):  # scipy sparse
        return int(a.data.nbytes + a.indices.nbytes + a.indptr.nbytes)
    return int(np.asarray(a).nbytes)


def neighbour_method(sampler):
    """The search method the sampler's fitted neighbours estimator used, if any."""
    nn = getattr(sampler, "nn_k_", None)
    # smotekit's ExactNeighbors decides its route on first use: a search of
    # few pairs computes every pair without one (reading it would decide)
    if type(nn).__name__ == "ExactNeighbors" and "_route" not in vars(nn):
        return "every pair"
    # smotekit's ExactNeighbors / scikit-learn's NearestNeighbors
    return getattr(nn, "algorithm_", None) or getattr(nn, "_fit_method", None)


def measure(library, cell, cache_dir, warmup=True):
    """Run one ``fit_resample`` and return the measurement as a dict."""
    spec = SAMPLERS[cell.sampler]
    make_sampler = spec.factory(library)
    if warmup:
        for rows, share, least in WARMUP_SETS:
            if least and (not spec.searches or cell.n * cell.minority < least):
                continue
            small = replace(cell, n=rows, minority=max(cell.minority, share))
            Xw, yw = spec.data(small, seed=1)
            make_sampler(small).fit_resample(Xw, yw)
            del Xw, yw
    X, y = load_cached(cache_dir, cell, spec.data)
    sampler = make_sampler(cell)
    gc.collect()
    baseline = current_rss()
    peak_before = ru_maxrss_bytes()
    vmhwm = reset_peak_rss()

    cpu0, t0 = time.process_time(), time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0

    peak = read_vmhwm() if vmhwm else ru_maxrss_bytes()
    rss_after = current_rss()
    return {
        "library": library,
        "cell": cell.__dict__,
        "wall_s": wall,
        "cpu_s": cpu,
        "baseline_mib": baseline / MIB,
        "peak_mib": peak / MIB,
        "peak_above_baseline_mib": (peak - baseline) / MIB,
        "peak_before_mib": peak_before / MIB,
        "rss_after_mib": rss_after / MIB,
        "peak_method": "vmhwm-reset" if vmhwm else "ru_maxrss",
        "in_bytes": _nbytes(X) + _nbytes(y),
        "out_bytes": _nbytes(X_res) + _nbytes(y_res),
        "n_out": int(X_res.shape[0]),
        "out_dtype": str(X_res.dtype),
        "neighbour_method": neighbour_method(sampler),
        "threads": thread_summary(),
        "pid": os.getpid(),
    }


def restart_blas_pools():
    """Give every loaded OpenBLAS its thread pool back as a fresh
    interpreter has it.

    A forked process starts with its main thread alone: OpenBLAS stops its
    workers before a fork, and in the child only some pools start them
    again, lazily. Measured calls of a few milliseconds (10k rows) then took
    3-4 ms more, with involuntary context switches that a fresh interpreter
    does not have. Setting each pool's thread count to its own value starts
    its workers at once and removes the difference.
    """
    from threadpoolctl import ThreadpoolController

    pools = ThreadpoolController().select(internal_api="openblas")
    for pool in pools.lib_controllers:
        pool.set_num_threads(pool.num_threads)


def measure_forked(conn, library, cell_fields, cache_dir):
    """Entry point of a measurement process started by the driver's fork
    server: :func:`measure` once, its result (or the error it raised) sent
    through ``conn``.

    Anything the libraries print (from Python or from compiled code) goes
    to standard error, so that the driver's report on standard output holds
    only the report.
    """
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    try:
        threads = os_threads()
        restart_blas_pools()
        restarted = None if threads is None else os_threads() - threads
        result = measure(library, Cell(**cell_fields), cache_dir)
        result["blas_threads_restarted"] = restarted
    except Exception as exc:  # reported in the table, the grid goes on
        result = {"error": f"{type(exc).__name__}: {exc}"}
    conn.send(result)
    conn.close()


def os_threads():
    """Number of threads of this process, or None where the OS won't say."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def report_preloaded(conn, names):
    """Send which of the modules ``names`` this process has imported (run
    in a process forked from the driver's fork server, before any
    measurement: what the server has imported)."""
    conn.send([name for name in names if name in sys.modules])
    conn.close()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit(f"usage: {sys.argv[0]} JSON-SPEC")
    spec = json.loads(argv[0])
    result = measure(
        spec["library"],
        Cell(**spec["cell"]),
        spec["cache_dir"],
        warmup=spec.get("warmup", True),
    )
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
