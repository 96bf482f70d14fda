"""Exact neighbour search of few-feature classes: smotekit against scikit-learn.

The search SMOTE runs on one class (each row's 5 nearest other rows) on data
with at most 8 features, where smotekit's engine uses its kd-tree route:
imbalanced-learn's SMOTE asks scikit-learn's ``NearestNeighbors`` (its
default method, one thread) for 6 neighbours of every row, smotekit's
``ExactNeighbors`` for 5 others (all cores). Both are timed in this process,
alternating, on the same data; the table gives medians, the ratio, and how
many of 200 sampled rows have a neighbour list other than the exact one (all
distances in float64, ties by row index) for each library: on integer-valued
data scikit-learn returns whichever tied points its tree meets first.

Usage::

    python benchmarks/bench_lowd.py              # 100k rows, 3 repetitions
    python benchmarks/bench_lowd.py --rows 20000 --repeats 5
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.neighbors import NearestNeighbors

from smotekit import ExactNeighbors

K = 5
#: Rows checked against a full float64 computation.
SAMPLE = 200


def datasets(n, seed=0):
    """name → data: Gaussian points, and integer-valued ones full of ties."""
    rng = np.random.default_rng(seed)
    return {
        "gaussian d=3": rng.standard_normal((n, 3)),
        "gaussian d=5": rng.standard_normal((n, 5)),
        "gaussian d=8, float32": rng.standard_normal((n, 8)).astype(np.float32),
        "integers 0-49, d=4": rng.integers(0, 50, (n, 4)).astype(np.float64),
        "4 levels, d=8": rng.integers(0, 4, (n, 8)).astype(np.float64),
        "5 levels, d=5": rng.integers(0, 5, (n, 5)).astype(np.float64),
    }


def sklearn_search(X):
    nn = NearestNeighbors(n_neighbors=K + 1).fit(X)
    ind = nn.kneighbors(X, return_distance=False)
    # drop each row itself (or the last column when a copy pushed it out)
    keep = ind != np.arange(len(X))[:, None]
    keep[keep.all(axis=1), -1] = False
    return ind[keep].reshape(len(X), K)


def smotekit_search(X):
    return ExactNeighbors(n_neighbors=K).fit(X).kneighbors(return_distance=False)


SEARCHES = {"sklearn": sklearn_search, "smotekit": smotekit_search}


def exact_lists(X, rows):
    """Reference lists of ``rows``: every distance in float64, summed in
    feature order, ordered by distance then row index, the row excluded."""
    X64 = X.astype(np.float64)
    sq = np.zeros((len(rows), len(X)))
    for f in range(X.shape[1]):
        sq += (X64[rows, f, None] - X64[None, :, f]) ** 2
    sq[np.arange(len(rows)), rows] = np.inf
    index = np.broadcast_to(np.arange(len(X)), sq.shape)
    return np.lexsort((index, sq), axis=1)[:, :K]


def rows_off_exact_order(ind, rows, reference):
    """How many of the sampled rows have another list than the reference
    (the same distances but other tied rows count as different)."""
    return int((ind[rows] != reference).any(axis=1).sum())


def measure(X, repeats):
    times = {"sklearn": [], "smotekit": []}
    answers = {}
    for _ in range(repeats):
        for name, search in SEARCHES.items():
            start = time.perf_counter()
            answers[name] = search(X)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}, answers


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    smotekit_search(np.random.default_rng(1).standard_normal((2000, 3)))  # warm-up
    print(f"{args.rows} rows, {K} neighbours of every row, median of {args.repeats}")
    print(
        f"| data | scikit-learn s | smotekit s | ratio | of {SAMPLE} rows, lists "
        "off the exact order (scikit-learn / smotekit) |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, X in datasets(args.rows).items():
        medians, answers = measure(X, args.repeats)
        rows = np.random.default_rng(2).choice(len(X), SAMPLE, replace=False)
        reference = exact_lists(X, rows)
        off = [rows_off_exact_order(answers[n], rows, reference) for n in answers]
        print(
            f"| {label} | {medians['sklearn']:.3f} | {medians['smotekit']:.3f} | "
            f"{medians['sklearn'] / medians['smotekit']:.1f}× | "
            f"{off[0]} / {off[1]} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
