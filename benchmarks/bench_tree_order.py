"""The kd-tree route with and without its spatial order, beside scikit-learn.

From ``ORDER_MIN_ROWS`` points on, smotekit's kd-tree route builds the tree
on the points in a spatial order and searches a self-search in that order
(:mod:`smotekit._kdtree`). This benchmark times SMOTE's search on one class
(each row's 5 nearest other rows, ``ExactNeighbors(algorithm='kd_tree')``,
fit included) with the order and with the points as given, and
imbalanced-learn's search (scikit-learn's ``NearestNeighbors``, its default
method, 6 neighbours), alternating in this process on the same float32
data. It prints medians, the ratio of the given order to the spatial one,
and scikit-learn's time against the spatial order's; both smotekit answers
are checked equal.

Usage::

    python benchmarks/bench_tree_order.py                   # ~3 minutes
    python benchmarks/bench_tree_order.py --full            # ~13 minutes
    python benchmarks/bench_tree_order.py --cases "Gaussian:1000000:2,5"
"""

import argparse
import statistics
import time

import numpy as np

from bench_routes import make, sklearn_search
from smotekit import ExactNeighbors, _kdtree

K = 5

#: kind:rows:features[,features...] (kinds of ``bench_routes.make``).
CASES = (
    "Gaussian:4096,16384:5;Gaussian:100000:2,5;count column:100000:9,20;"
    "200 clusters:100000:20;3 underlying:100000:9;Gaussian:1000000:2"
)
#: ``--full`` adds the cases where scikit-learn takes a minute.
FULL = CASES + ";Gaussian:100000:8;Gaussian:1000000:5"


def parse_cases(text):
    for case in text.split(";"):
        kind, rows, features = case.split(":")
        for n in rows.split(","):
            for d in features.split(","):
                yield kind, int(n), int(d)


def tree_search(ordered):
    def search(X):
        saved = _kdtree.ORDER_MIN_ROWS
        if not ordered:
            _kdtree.ORDER_MIN_ROWS = np.iinfo(np.int64).max
        try:
            nn = ExactNeighbors(n_neighbors=K, algorithm="kd_tree").fit(X)
            return nn.kneighbors(return_distance=False)
        finally:
            _kdtree.ORDER_MIN_ROWS = saved

    return search


SEARCHES = {
    "spatial": tree_search(True),
    "given": tree_search(False),
    "sklearn": lambda X: sklearn_search(X)[0],
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=None)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-sklearn", action="store_true")
    args = parser.parse_args(argv)
    searches = dict(SEARCHES)
    if args.no_sklearn:
        del searches["sklearn"]
    warm = make("Gaussian", 20_000, 4)
    for search in searches.values():  # compiled kernels, thread pools
        search(warm)
    print(f"self-search, {K} neighbours of every row, float32, medians of "
          f"{args.repeats}")  # fmt: skip
    print("| class | rows | features | spatial order s | given order s "
          "| given / spatial | scikit-learn s | scikit-learn / spatial |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    cases = args.cases or (FULL if args.full else CASES)
    for kind, n, d in parse_cases(cases):
        X = make(kind, n, d)
        times = {name: [] for name in searches}
        answers = {}
        for _ in range(args.repeats):
            for name, search in searches.items():
                start = time.perf_counter()
                answers[name] = search(X)
                times[name].append(time.perf_counter() - start)
        if not np.array_equal(answers["spatial"], answers["given"]):
            raise AssertionError(f"{kind} {n}x{d}: the two orders' lists differ")
        med = {name: statistics.median(t) for name, t in times.items()}
        sk = (f"{med['sklearn']:.3f} | {med['sklearn'] / med['spatial']:.1f}×"
              if "sklearn" in med else "- | -")  # fmt: skip
        print(
            f"| {kind} | {n} | {d} | {med['spatial']:.3f} | {med['given']:.3f} | "
            f"{med['given'] / med['spatial']:.2f} | {sk} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
