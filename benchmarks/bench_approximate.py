"""Neighbour recall and speed of smotekit's approximate mode.

For each data set of the benchmark grid (same cached Gaussian-cluster data as
``bench_smote.py``), the minority class is searched three ways in one process:
imbalanced-learn's default (``NearestNeighbors(n_neighbors=6)``, exact),
``smotekit.ExactNeighbors`` and ``smotekit.ApproximateNeighbors``. The
report gives median times, ratios against imbalanced-learn, and the recall of
the approximate neighbour sets (share of the exact k neighbours found), with
``ApproximateNeighbors.estimate_recall`` (1,000 sampled rows) and its time
beside it.

Run from the repository root::

    python benchmarks/bench_approximate.py                    # n=1M, 10% minority
    python benchmarks/bench_approximate.py --n 100000 --d 10 50 --repeats 3
    python benchmarks/bench_approximate.py --n-probe 32       # trade speed for recall

Whole ``fit_resample`` timings of the approximate mode, one process per run,
come from ``bench_smote.py --full --samplers smote-approx``.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_data import load_cached
from _bench_registry import Cell, gaussian_blobs

K = 5
#: Rows of the warm-up searches.
WARMUP_ROWS = 2000
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent / ".cache"


def recall(found, truth):
    """Share of the exact neighbours present in the approximate lists."""
    hits = sum(
        len(set(a) & set(b))
        for a, b in zip(found.tolist(), truth.tolist(), strict=True)
    )
    return hits / truth.size


def median_time(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_cell(cell, repeats, n_probe, cache_dir):
    from sklearn.neighbors import NearestNeighbors

    from smotekit import ApproximateNeighbors, ExactNeighbors

    X, y = load_cached(cache_dir, cell, gaussian_blobs)
    minority = np.ascontiguousarray(X[y == 1])
    # one-time costs (compiled kernels, thread pools) out of the timings
    warm = minority[:WARMUP_ROWS]
    NearestNeighbors(n_neighbors=K + 1).fit(warm).kneighbors(warm)
    ExactNeighbors(n_neighbors=K).fit(warm).kneighbors()
    ApproximateNeighbors(n_neighbors=K).fit(warm).estimate_recall(100)
    t_sk, _ = median_time(
        lambda: NearestNeighbors(n_neighbors=K + 1).fit(minority).kneighbors(minority),
        repeats,
    )
    t_exact, exact = median_time(
        lambda: (
            ExactNeighbors(n_neighbors=K)
            .fit(minority)
            .kneighbors(return_distance=False)
        ),
        repeats,
    )
    index = ApproximateNeighbors(n_neighbors=K, n_probe=n_probe)
    t_approx, approx = median_time(
        lambda: index.fit(minority).kneighbors(return_distance=False), repeats
    )
    t_estimate, estimate = median_time(lambda: index.estimate_recall(), repeats)
    return {
        "cell": cell,
        "n_minority": len(minority),
        "sklearn": t_sk,
        "exact": t_exact,
        "approx": t_approx,
        "recall": recall(approx, exact),
        "estimate": estimate,
        "estimate_s": t_estimate,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--d", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--minority", type=float, default=0.1)
    parser.add_argument("--dtype", default="float32")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-probe", type=int, default=None)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    args = parser.parse_args(argv)
    rows = []
    for n in args.n:
        for d in args.d:
            cell = Cell("smote", n, d, args.minority, args.dtype)
            rows.append(run_cell(cell, args.repeats, args.n_probe, args.cache_dir))
            r = rows[-1]
            print(f"{cell.label()}: sklearn {r['sklearn']:.2f}s exact "
                  f"{r['exact']:.2f}s approx {r['approx']:.2f}s recall "
                  f"{r['recall']:.3f} (estimated {r['estimate']:.3f} in "
                  f"{r['estimate_s']:.2f}s)", flush=True)  # fmt: skip
    print(f"\n## minority-class neighbour search, k={K}, median of {args.repeats}\n")
    print(
        "| data | minority rows | sklearn (imblearn default) s | exact s | "
        "approximate s | sklearn/exact | sklearn/approximate | recall | "
        "estimate_recall() | its s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['cell'].label().removeprefix('smote ')} | {r['n_minority']} | "
            f"{r['sklearn']:.2f} | {r['exact']:.2f} | {r['approx']:.2f} | "
            f"{r['sklearn'] / r['exact']:.1f} | {r['sklearn'] / r['approx']:.1f} | "
            f"{r['recall']:.3f} | {r['estimate']:.3f} | {r['estimate_s']:.2f} |"
        )


if __name__ == "__main__":
    main()
