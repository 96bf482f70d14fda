"""CSV in, CSV out: the command line against imbalanced-learn with pandas.

Two measurements on the same table (12 Gaussian float64 columns and a text
label with 10% ``fraud`` rows):

1. **Writing**: pandas' ``DataFrame.to_csv`` and smotekit's CSV writer on the
   same resampled frame, in this process, alternating; medians, the ratio,
   and whether the files are byte for byte the same.
2. **The whole job**: ``smotekit resample in.csv -o out.csv --target label``
   against the same job done with pandas and imbalanced-learn
   (``read_csv``, ``SMOTE().fit_resample``, ``to_csv``), each run in its own
   process; medians of wall time and of peak resident memory.

Usage::

    python benchmarks/bench_cli_csv.py                  # 1M rows, 3 repetitions
    python benchmarks/bench_cli_csv.py --rows 200000 --repeats 5
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from smotekit.cli._csv import read_csv
from smotekit.cli._csv_writer import write_csv

FEATURES = 12

IMBLEARN_JOB = """
import sys
import pandas as pd
from imblearn.over_sampling import SMOTE
frame = pd.read_csv(sys.argv[1])
X, y = frame.drop(columns="label"), frame["label"]
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
X_res.assign(label=y_res).to_csv(sys.argv[2], index=False)
"""


def make_table(path, n_rows, seed=0):
    """Write the benchmark's input CSV to ``path``."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        rng.standard_normal((n_rows, FEATURES)),
        columns=[f"x{i}" for i in range(FEATURES)],
    )
    frame["label"] = np.where(rng.random(n_rows) < 0.1, "fraud", "ok")
    frame.to_csv(path, index=False)


def run_child(argv):
    """Wall seconds and peak resident MiB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{argv[:3]} failed with exit code {child.returncode}")
    return seconds, usage.ru_maxrss / 1024


def time_writers(frame, folder, repeats):
    """Median seconds of pandas and smotekit writing ``frame``; same bytes?"""
    ours, theirs = folder / "ours.csv", folder / "pandas.csv"
    times = {"pandas": [], "smotekit": []}
    for _ in range(repeats):
        start = time.perf_counter()
        frame.to_csv(theirs, index=False)
        times["pandas"].append(time.perf_counter() - start)
        start = time.perf_counter()
        write_csv(frame, ours)
        times["smotekit"].append(time.perf_counter() - start)
    same = ours.read_bytes() == theirs.read_bytes()
    return {k: statistics.median(v) for k, v in times.items()}, same


def time_jobs(source, folder, repeats):
    """Median seconds and peak MiB of the whole job in each library."""
    jobs = {
        "imblearn": [sys.executable, "-c", IMBLEARN_JOB, str(source),
                     str(folder / "imblearn_out.csv")],
        "smotekit": [sys.executable, "-m", "smotekit", "resample", str(source),
                     "-o", str(folder / "smotekit_out.csv"), "--target", "label",
                     "--random-state", "0", "-q"],
    }  # fmt: skip
    runs = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, argv in jobs.items():
            runs[name].append(run_child(argv))
    return {
        name: (statistics.median(s for s, _ in r), statistics.median(m for _, m in r))
        for name, r in runs.items()
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "in.csv"
        make_table(source, args.rows)
        jobs = time_jobs(source, folder, args.repeats)
        resampled = read_csv(folder / "smotekit_out.csv")
        writers, same = time_writers(resampled, folder, args.repeats)
    print(f"{args.rows:,} rows x {FEATURES} floats + a text label, "
          f"{args.repeats} repetitions, medians")  # fmt: skip
    print(f"\nwriting {len(resampled):,} rows: pandas {writers['pandas']:.2f} s, "
          f"smotekit {writers['smotekit']:.2f} s, "
          f"ratio {writers['pandas'] / writers['smotekit']:.2f}, "
          f"same bytes: {same}")  # fmt: skip
    print(
        "\n| job | imblearn s | smotekit s | ratio | imblearn peak MiB "
        "| smotekit peak MiB |\n|---|---:|---:|---:|---:|---:|"
    )
    (i_s, i_m), (s_s, s_m) = jobs["imblearn"], jobs["smotekit"]
    print(f"| CSV -> SMOTE -> CSV | {i_s:.2f} | {s_s:.2f} | {i_s / s_s:.2f} "
          f"| {i_m:.0f} | {s_m:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
