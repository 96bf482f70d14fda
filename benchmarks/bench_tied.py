"""The cleaning samplers on larger tables whose distances tie, side by side.

One-hot tables (8 categorical columns of 5 levels, 40 features) tie at
almost every row's k-th distance; "mixed" tables shift half their rows by a
random fraction of a unit along the diagonal, as SMOTE's synthetic rows sit
between one-hot ones. Both libraries run TomekLinks and
EditedNearestNeighbours on the same table in this one process, warmed up,
calls alternating (``bench_real.measure``: medians, ratio imbalanced-learn /
smotekit, ``tracemalloc`` peaks).

Usage::

    python benchmarks/bench_tied.py                      # 10k and 40k rows
    python benchmarks/bench_tied.py --rows 20000 --repeats 5
"""

import argparse

import numpy as np

from bench_real import measure, timed_call


def tied_table(n, kind, seed=0):
    """``(X, y)``: ``n`` one-hot rows (``kind='one-hot'``), or half of them
    shifted off the grid (``'mixed'``), a fifth of the labels 1."""
    rng = np.random.default_rng(seed)
    X = np.eye(5)[rng.integers(0, 5, (n, 8))].reshape(n, 40)
    if kind == "mixed":
        half = rng.random(n) < 0.5
        X[half] += 0.5 * rng.random((int(half.sum()), 1))
    return X, (rng.random(n) < 0.2).astype(np.int64)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 40_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    for kind in ("one-hot", "mixed"):  # imports, compiled kernels of each
        X, y = tied_table(2000, kind)
        for library in ("imblearn", "smotekit"):
            for name in ("tomek", "enn"):
                timed_call(library, name, X, y)
    print("| sampler | table | rows | imblearn s | smotekit s | ratio "
          "| imblearn peak MiB | smotekit peak MiB |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for n in args.rows:
        for kind in ("one-hot", "mixed"):
            X, y = tied_table(n, kind)
            for name in ("tomek", "enn"):
                r = measure(name, X, y, args.repeats)
                peaks = r["imblearn_peak_kib"] / 1024, r["smotekit_peak_kib"] / 1024
                print(f"| {name} | {kind} | {n} | {r['imblearn_s']:.4g} "
                      f"| {r['smotekit_s']:.4g} | {r['ratio']:.3g} "
                      f"| {peaks[0]:.4g} | {peaks[1]:.4g} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
