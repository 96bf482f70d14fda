"""SMOTE on the inputs users hold: DataFrames and integer arrays, at scale.

The grid (``bench_smote.py``) hands both libraries float ndarrays. Tables
usually come as DataFrames, often with integer columns (counts, codes,
one-hot indicators), and integer arrays are common too; each takes its own
path through a sampler (reading the frame into rows, building the output
frame column by column, rounding integer rows). This script times SMOTE on
such inputs, 1% minority, for imbalanced-learn and smotekit: each run in a
fresh process (so that peaks do not mix), the two libraries alternating,
``--repeats`` runs each; it prints the median seconds of ``fit_resample``,
their ratio, and the median peak resident memory above the loaded input.

Usage::

    python benchmarks/bench_frames.py                 # 1M x 50, 3 runs each
    python benchmarks/bench_frames.py --rows 200000 --repeats 5
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

#: input kind → what it is, in the table
KINDS = {
    "float-frame": "DataFrame, float64 columns",
    "mixed-frame": "DataFrame, int64 and float64 columns alternating",
    "int-frame": "DataFrame, int64 columns",
    "int-array": "ndarray, int64",
    "float-array": "ndarray, float64 (the grid's kind)",
    "float-array-f": "ndarray, float64, column-major (as `frame.to_numpy()` gives)",
}


def make_input(kind, n, d, seed=0):
    """``(X, y)`` of ``kind``: Gaussian columns (times 20 and rounded where
    integer), 1% minority."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    values = rng.standard_normal((n, d))
    y = (rng.random(n) < 0.01).astype(np.int64)
    names = [f"c{j}" for j in range(d)]
    if kind == "float-array":
        return values, y
    if kind == "float-array-f":
        return np.asfortranarray(values), y
    if kind == "int-array":
        return np.rint(values * 20).astype(np.int64), y
    if kind == "float-frame":
        return pd.DataFrame(values, columns=names), pd.Series(y, name="y")
    integer = {"int-frame": range(d), "mixed-frame": range(0, d, 2)}[kind]
    columns = {name: values[:, j] for j, name in enumerate(names)}
    for j in integer:
        columns[names[j]] = np.rint(values[:, j] * 20).astype(np.int64)
    return pd.DataFrame(columns), pd.Series(y, name="y")


def _status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(library, kind, n, d):
    """One timed call in this process; prints a JSON line."""
    warnings.simplefilter("ignore")
    if library == "smotekit":
        from smotekit import SMOTE
    else:
        from imblearn.over_sampling import SMOTE
    small_X, small_y = make_input(kind, 20_000, d, seed=1)
    SMOTE(random_state=0).fit_resample(small_X, small_y)  # imports, kernels
    X, y = make_input(kind, n, d)
    base = _status("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the peak (Linux)
    except OSError:
        pass
    start = time.perf_counter()
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    seconds = time.perf_counter() - start
    peak = _status("VmHWM") - base
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "rows": len(X_res)}))


def run(library, kind, n, d):
    out = subprocess.run(
        [sys.executable, __file__, "--child", library, kind, str(n), str(d)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        library, kind, n, d = args.child
        child(library, kind, int(n), int(d))
        return
    n, d = args.rows, args.features
    print(f"SMOTE, {n} rows x {d} features, 1% minority, median of {args.repeats}")
    print(
        "| input | imblearn s | smotekit s | ratio | imblearn peak MiB above "
        "input | smotekit peak MiB above input |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind in args.kinds.split(","):
        runs = {"imblearn": [], "smotekit": []}
        for _ in range(args.repeats):
            for library in runs:
                runs[library].append(run(library, kind, n, d))
        med = {
            lib: {
                key: statistics.median(r[key] for r in rs)
                for key in ("seconds", "peak_mib")
            }
            for lib, rs in runs.items()
        }
        imb, smk = med["imblearn"], med["smotekit"]
        print(
            f"| {KINDS[kind]} | {imb['seconds']:.3f} | {smk['seconds']:.3f} | "
            f"{imb['seconds'] / smk['seconds']:.2f} | {imb['peak_mib']:.0f} | "
            f"{smk['peak_mib']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
