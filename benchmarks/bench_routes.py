"""Which exact search ``'auto'`` takes, against both routes and scikit-learn.

The search SMOTE runs on one class (each row's 5 nearest other rows) on
float32 classes whose shape decides the route: rows gathered in tight
clusters, a count column beside floats, columns that follow a few
underlying ones (a rotated low-dimensional set), ``make_classification``'s
points and Gaussian ones. For each class smotekit's ``ExactNeighbors`` is
timed with ``algorithm='auto'`` (its decision included), ``'kd_tree'`` and
``'brute'``, and imbalanced-learn's search (scikit-learn's
``NearestNeighbors``, its default method, 6 neighbours), alternating in
this process on the same data. The table gives medians, the route
``'auto'`` took, ``'auto'`` against the faster of the two routes, and
scikit-learn against ``'auto'``; ``'auto'``'s lists are checked equal to
the brute force's. A route more than ``--give-up`` times slower than the
fastest search in the first round is not run again (its one time is
marked ``*``). The last column is the decision alone, in milliseconds: the
median time of ``'auto'``'s choice on the points a fitted
``ExactNeighbors`` holds, without building the tree it may choose.

Usage::

    python benchmarks/bench_routes.py                    # ~4 minutes
    python benchmarks/bench_routes.py --rows 16384 --features 9,12,20,50
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.datasets import make_blobs, make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import ExactNeighbors
from smotekit._neighbors import _kd_tree_pays

K = 5


def make(kind, n, d, seed=0):
    """A float32 class of ``n`` rows and ``d`` features of the given kind."""
    rng = np.random.default_rng(seed)
    if kind == "200 clusters":
        X = make_blobs(n, d, centers=200, cluster_std=0.5, random_state=seed)[0]
    elif kind == "count column":
        X = rng.normal(size=(n, d))
        X[:, 0] = rng.poisson(200, n) * 50.0
    elif kind.endswith("underlying"):
        m = int(kind.split()[0])
        X = rng.normal(size=(n, m)) @ rng.normal(size=(m, d))
        X += 0.01 * rng.normal(size=(n, d))
    elif kind == "make_classification":
        X = make_classification(n, d, n_informative=5, random_state=seed)[0]
    elif kind == "Gaussian":
        X = rng.normal(size=(n, d))
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return X.astype(np.float32)


KINDS = [
    "200 clusters",
    "count column",
    "3 underlying",
    "6 underlying",
    "make_classification",
    "Gaussian",
]


def smotekit_search(algorithm):
    def search(X):
        nn = ExactNeighbors(n_neighbors=K, algorithm=algorithm).fit(X)
        ind = nn.kneighbors(return_distance=False)
        return ind, nn.algorithm_

    return search


def sklearn_search(X):
    nn = NearestNeighbors(n_neighbors=K + 1).fit(X)
    return nn.kneighbors(X, return_distance=False), None


SEARCHES = {
    "auto": smotekit_search("auto"),
    "kd_tree": smotekit_search("kd_tree"),
    "brute": smotekit_search("brute"),
    "sklearn": sklearn_search,
}


def measure(X, repeats, give_up):
    times = {name: [] for name in SEARCHES}
    answers = {}
    dropped = set()
    for round_ in range(repeats):
        for name, search in SEARCHES.items():
            if name in dropped:
                continue
            start = time.perf_counter()
            answers[name] = search(X)
            times[name].append(time.perf_counter() - start)
        if round_ == 0:
            fastest = min(t[0] for t in times.values())
            slow = {name for name, t in times.items() if t[0] > give_up * fastest}
            dropped = slow - {"auto"}
    return times, answers


def decision_ms(X, repeats):
    """Median milliseconds of ``'auto'``'s decision alone, on the points a
    fitted estimator holds (without building the tree it may choose)."""
    points = ExactNeighbors(n_neighbors=K).fit(X)._fit_X
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        _kd_tree_pays(points)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="16384,100000")
    parser.add_argument("--features", default="9,20")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=4.0)
    args = parser.parse_args(argv)
    rows = [int(v) for v in args.rows.split(",")]
    features = [int(v) for v in args.features.split(",")]
    for search in SEARCHES.values():  # warm-up: compiled kernels, thread pools
        search(make("Gaussian", 3000, 10))
        search(make("count column", 20_000, 10))
    repeats = args.repeats
    print(f"self-search, {K} neighbours of every row, float32, medians of {repeats}")
    print(
        "| class | rows | features | auto's route | auto s | kd_tree s | brute s "
        "| auto / faster route | scikit-learn s | scikit-learn / auto "
        "| decision ms |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in args.kinds.split(","):
        for n in rows:
            for d in features:
                X = make(kind, n, d)
                times, answers = measure(X, args.repeats, args.give_up)
                ind, route = answers["auto"]
                if not np.array_equal(ind, answers["brute"][0]):
                    raise AssertionError(f"{kind} {n}x{d}: auto's lists differ")
                med = {k: statistics.median(v) for k, v in times.items()}
                cell = {
                    k: f"{med[k]:.3f}" + ("*" if len(v) < args.repeats else "")
                    for k, v in times.items()
                }
                faster = min(med["kd_tree"], med["brute"])
                print(
                    f"| {kind} | {n} | {d} | {route} | {cell['auto']} | "
                    f"{cell['kd_tree']} | {cell['brute']} | "
                    f"{med['auto'] / faster:.2f} | {cell['sklearn']} | "
                    f"{med['sklearn'] / med['auto']:.1f}× | "
                    f"{decision_ms(X, max(args.repeats, 5)):.2f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
