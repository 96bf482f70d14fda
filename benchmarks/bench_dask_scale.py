"""Scale benchmark of smotekit.dask: Parquet in, SMOTE, Parquet out.

Generates (once) an imbalanced data set of ``--rows`` float32 rows with
``--features`` features and a ``--minority`` share of class 1 as a folder of
Parquet files, then runs ``smotekit resample --engine dask`` end to end on a
``distributed.LocalCluster`` of 1 and of 2 worker processes (one thread
each, ``--memory-limit`` each), and records the wall time, the peak resident
memory of every worker and of the client process, and the speed-up from 1 to
2 workers. Prints a Markdown table and the command that reproduces it.

Not part of the test suite. The full run (50M x 20 float32, 1% minority) needs
about 4 GB of input and 8 GB of output on disk::

    python benchmarks/bench_dask_scale.py --rows 50_000_000 --workdir /tmp/sk

A quick check of the script itself::

    python benchmarks/bench_dask_scale.py --rows 1_000_000 --workdir /tmp/sk1m
"""

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

import numpy as np


def _make_partition(i, rows, features, minority, seed):
    import pandas as pd

    rng = np.random.default_rng([seed, i])
    y = (rng.random(rows) < minority).astype(np.int8)
    X = rng.standard_normal((rows, features), dtype=np.float32)
    X[y == 1] += np.float32(1.5)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(features)])
    frame["label"] = y
    return frame


def make_data(folder, rows, features, minority, partition_rows, seed=0):
    """Write the input folder (skipped when it exists with the same shape)."""
    marker = folder / "_shape.txt"
    shape = f"{rows} {features} {minority} {partition_rows} {seed}"
    if marker.exists() and marker.read_text() == shape:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, start in enumerate(range(0, rows, partition_rows)):
        n = min(partition_rows, rows - start)
        frame = _make_partition(i, n, features, minority, seed)
        frame.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
        del frame
    marker.write_text(shape)


def _peak_rss_bytes():
    # Linux reports ru_maxrss in KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_once(n_workers, data, out, memory_limit, memory_budget, n_jobs=None):
    """One end-to-end run on a fresh cluster; returns the measurements."""
    import distributed

    from smotekit.cli._dask_io import resample_parquet_dask

    shutil.rmtree(out, ignore_errors=True)
    with (
        distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        start = time.perf_counter()
        before, after = resample_parquet_dask(
            data,
            out,
            "label",
            random_state=0,
            scheduler=cluster.scheduler_address,
            memory_budget=memory_budget,
            n_jobs=n_jobs,
        )
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_rss_bytes)
    return {
        "workers": n_workers,
        "seconds": seconds,
        "worker_peaks": sorted(peaks.values()),
        "n_in": sum(before.values()),
        "n_out": sum(after.values()),
    }


def _gib(n):
    return f"{n / 2**30:.2f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")),
                        default=50_000_000)  # fmt: skip
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--memory-limit", default="3GiB", help="per worker")
    parser.add_argument("--memory-budget", default="256MiB")
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="threads of each search task (default: the workers' OpenMP limit, 1)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smotekit-scale"))
    parser.add_argument("--keep-output", action="store_true")
    args = parser.parse_args(argv)

    data = args.workdir / "input"
    t0 = time.perf_counter()
    make_data(data, args.rows, args.features, args.minority, args.partition_rows)
    print(f"input ready in {time.perf_counter() - t0:.1f} s: {data}", file=sys.stderr)
    results = []
    for n_workers in args.workers:
        out = args.workdir / f"output-{n_workers}w"
        limits = args.memory_limit, args.memory_budget, args.n_jobs
        results.append(run_once(n_workers, data, out, *limits))
        if not args.keep_output:
            shutil.rmtree(out, ignore_errors=True)
        print(f"{n_workers} worker(s): {results[-1]['seconds']:.1f} s", file=sys.stderr)

    base = results[0]["seconds"]
    print(
        f"\n{args.rows:,} x {args.features} float32 rows, {args.minority:.0%} "
        f"minority, SMOTE (k=5) to balance: {results[0]['n_in']:,} -> "
        f"{results[0]['n_out']:,} rows, Parquet folder to Parquet folder; "
        f"{args.partition_rows:,} rows per partition, worker memory limit "
        f"{args.memory_limit}, memory_budget {args.memory_budget}, n_jobs "
        f"{args.n_jobs}.\n"
    )
    print("| workers | time (s) | peak RSS per worker (GiB) | speed-up |")
    print("|---:|---:|---|---:|")
    for r in results:
        peaks = ", ".join(_gib(p) for p in r["worker_peaks"])
        print(
            f"| {r['workers']} | {r['seconds']:.1f} | {peaks} | "
            f"{base / r['seconds']:.2f}x |"
        )
    print(f"\nclient peak RSS: {_gib(_peak_rss_bytes())} GiB")
    print(
        "\nReproduce: python benchmarks/bench_dask_scale.py "
        f"--rows {args.rows} --features {args.features} --minority {args.minority} "
        f"--partition-rows {args.partition_rows} --memory-limit {args.memory_limit} "
        f"--memory-budget {args.memory_budget} --workers "
        + " ".join(map(str, args.workers))
        + ("" if args.n_jobs is None else f" --n-jobs {args.n_jobs}")
    )


if __name__ == "__main__":
    main()
