"""Parallel fits: SMOTE inside joblib's worker processes, both libraries.

``GridSearchCV(n_jobs=-1)`` and ``cross_validate(n_jobs=-1)`` run their fits
in joblib's worker processes, and joblib limits the OpenMP and BLAS threads
of each worker (``OMP_NUM_THREADS``) so that the workers together do not run
more threads than there are cores. This script runs batches of
``SMOTE().fit_resample`` calls on ``--workers`` of those processes, the two
libraries alternating batch by batch, and prints for each the median time of
a batch, the ratio, each fit's CPU time over its wall time (above 1: the fit
ran on more than one thread) and the most smotekit worker threads alive in a
worker process after its fits.

``--cpus N`` first confines this process (and so the workers it starts) to
its first N CPUs, as ``taskset`` or a container's CPU set does.

Usage::

    python benchmarks/bench_parallel_fits.py                 # ~1 min
    python benchmarks/bench_parallel_fits.py --workers 1 --cpus 1
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np


def _fit(library, X, y, seed):
    """One fit in a worker: (wall s, CPU s, smotekit pool threads alive)."""
    import threading

    if library == "imblearn":
        from imblearn.over_sampling import SMOTE
    else:
        from smotekit import SMOTE
    wall, cpu = time.perf_counter(), time.process_time()
    SMOTE(random_state=seed).fit_resample(X, y)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pool = sum(t.name.startswith("smotekit") for t in threading.enumerate())
    return wall, cpu, pool


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fits", type=int, default=16, help="fits per batch")
    parser.add_argument("--rounds", type=int, default=5, help="batches per library")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--cpus", type=int, default=None, help="confine to N CPUs")
    args = parser.parse_args(argv)
    if args.cpus is not None:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: args.cpus])

    from joblib import Parallel, delayed
    from sklearn.datasets import make_classification

    import smotekit

    X, y = make_classification(
        n_samples=args.rows, n_features=args.features, weights=[0.9], random_state=0
    )
    X = X.astype(np.float32)
    libraries = ("imblearn", "smotekit")
    times = {lib: [] for lib in libraries}
    ratios = {lib: [] for lib in libraries}
    pools = {lib: 0 for lib in libraries}
    with Parallel(n_jobs=args.workers) as parallel:
        for lib in libraries:  # warm the workers up: imports, compiled loops
            parallel(delayed(_fit)(lib, X[:5000], y[:5000], s) for s in range(8))
        for _ in range(args.rounds):
            for lib in libraries:
                start = time.perf_counter()
                fits = parallel(delayed(_fit)(lib, X, y, s) for s in range(args.fits))
                times[lib].append(time.perf_counter() - start)
                ratios[lib] += [cpu / wall for wall, cpu, _ in fits]
                pools[lib] = max(pools[lib], *(p for *_, p in fits))

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    print(
        f"{args.fits} fits of SMOTE a batch on {args.workers} joblib worker "
        f"process(es), {args.rows:,} x {args.features} float32 rows, 10% "
        f"minority; CPUs usable: {cpus}; smotekit at {smotekit.__file__}; "
        f"medians of {args.rounds} batches\n"
    )
    print("| library | batch s (runs) | fit CPU / wall | smotekit threads per worker |")
    print("|---|---|---:|---:|")
    for lib in libraries:
        runs = ", ".join(f"{t:.2f}" for t in sorted(times[lib]))
        print(
            f"| {lib} | {statistics.median(times[lib]):.2f} ({runs}) | "
            f"{statistics.median(ratios[lib]):.2f} | {pools[lib]} |"
        )
    ratio = statistics.median(times["imblearn"]) / statistics.median(times["smotekit"])
    print(f"\nratio imblearn / smotekit: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
