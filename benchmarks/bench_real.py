"""Every shipped real data set, both libraries, side by side.

The 109 binary KEEL data sets of ``smotekit.datasets`` (92 to 5,472 rows, 3
to 85 features; ``pip install "smotekit[datasets]"``) are small: on them a
sampler's fixed costs (input checks, the set-up of its neighbour search,
thread pools, building the output) weigh more than its arithmetic. This
script runs each sampler of both libraries on every data set, as users hold
it (``load_dataset``'s DataFrame and Series, or ndarrays with ``--arrays``),
in this one process: both libraries are warmed up first, then for each data
set the two calls alternate, ``--repeats`` times each. It prints, for each
sampler, the ratio of the median times (imbalanced-learn / smotekit, above 1:
smotekit faster) over the data sets: the lowest, with its data set, the
median, the geometric mean, and how many data sets smotekit is slower on;
with ``--details`` also one row per data set. Memory is the peak of Python
and numpy allocations during one more call of each (``tracemalloc``), since
on inputs this small the resident set is the libraries' own code.

A data set on which imbalanced-learn's sampler raises (a class too small for
its neighbours...) is skipped for that sampler and counted; one on which only
smotekit raises is listed as a difference.

Usage::

    python benchmarks/bench_real.py                          # SMOTE, ~1 minute
    python benchmarks/bench_real.py --samplers all --repeats 9
    python benchmarks/bench_real.py --samplers smote,adasyn --details --json r.json
"""

import argparse
import json
import math
import statistics
import time
import tracemalloc
import warnings

from smotekit.datasets import list_datasets, load_dataset

#: name → (module of imbalanced-learn, class, keyword arguments); smotekit's
#: class of the same name gets the same arguments.
SAMPLERS = {
    "smote": ("over_sampling", "SMOTE", {"random_state": 0}),
    "borderline1": ("over_sampling", "BorderlineSMOTE", {"random_state": 0}),
    "adasyn": ("over_sampling", "ADASYN", {"random_state": 0}),
    "svm": ("over_sampling", "SVMSMOTE", {"random_state": 0}),
    "random": ("over_sampling", "RandomOverSampler", {"random_state": 0}),
    "tomek": ("under_sampling", "TomekLinks", {}),
    "enn": ("under_sampling", "EditedNearestNeighbours", {}),
    "smote-tomek": ("combine", "SMOTETomek", {"random_state": 0}),
    "smote-enn": ("combine", "SMOTEENN", {"random_state": 0}),
}
DEFAULT_SAMPLERS = "smote"


def make(library, name):
    """A new sampler ``name`` of ``library`` ('imblearn' or 'smotekit')."""
    module, cls, params = SAMPLERS[name]
    if library == "imblearn":
        import importlib

        owner = importlib.import_module(f"imblearn.{module}")
    else:
        import smotekit as owner
    return getattr(owner, cls)(**params)


def timed_call(library, name, X, y):
    sampler = make(library, name)
    start = time.perf_counter()
    out = sampler.fit_resample(X, y)
    return time.perf_counter() - start, out


def traced_peak(library, name, X, y):
    """Peak bytes allocated (Python and numpy) during one call."""
    sampler = make(library, name)
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        sampler.fit_resample(X, y)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def warm_up(samplers):
    """Run every sampler of both libraries once on a small real data set
    (lazy imports, thread pools, compiled kernels)."""
    X, y = load_dataset("ecoli1")
    for name in samplers:
        for library in ("imblearn", "smotekit"):
            try:
                timed_call(library, name, X, y)
            except Exception:  # warm-up only: a sampler may refuse this set
                pass


def measure(name, X, y, repeats):
    """Median seconds and traced peak of each library on one data set,
    or the reason imbalanced-learn gave up."""
    times = {"imblearn": [], "smotekit": []}
    rows = {}
    for _ in range(repeats):
        for library in times:
            try:
                seconds, (X_res, _) = timed_call(library, name, X, y)
            except Exception as exc:  # recorded, not hidden
                if library == "imblearn":
                    return {"skipped": f"{type(exc).__name__}: {exc}"[:160]}
                return {"difference": f"smotekit raised {type(exc).__name__}: {exc}"}
            times[library].append(seconds)
            rows[library] = X_res.shape[0]
    medians = {lib: statistics.median(t) for lib, t in times.items()}
    peaks = {lib: traced_peak(lib, name, X, y) for lib in times}
    return {
        "imblearn_s": medians["imblearn"],
        "smotekit_s": medians["smotekit"],
        "ratio": medians["imblearn"] / medians["smotekit"],
        "imblearn_peak_kib": peaks["imblearn"] / 1024,
        "smotekit_peak_kib": peaks["smotekit"] / 1024,
        "imblearn_rows": rows["imblearn"],
        "smotekit_rows": rows["smotekit"],
    }


def summary_row(name, results):
    measured = {d: r for d, r in results.items() if "ratio" in r}
    ratios = {d: r["ratio"] for d, r in measured.items()}
    lowest = min(ratios, key=ratios.get)
    geo = math.exp(statistics.fmean(math.log(r) for r in ratios.values()))
    slower = sum(r < 1 for r in ratios.values())
    skipped = sum("skipped" in r for r in results.values())
    differences = sum("difference" in r for r in results.values())
    imb = sum(r["imblearn_s"] for r in measured.values())
    smk = sum(r["smotekit_s"] for r in measured.values())
    peak = statistics.median(
        r["imblearn_peak_kib"] / r["smotekit_peak_kib"] for r in measured.values()
    )
    return (
        f"| {name} | {len(ratios)} | {ratios[lowest]:.2f} ({lowest}) | "
        f"{statistics.median(ratios.values()):.2f} | {geo:.2f} | {slower} | "
        f"{imb:.3f} / {smk:.3f} | {peak:.2f} | {skipped} | {differences} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samplers",
        default=DEFAULT_SAMPLERS,
        help=f"comma-separated names of {sorted(SAMPLERS)}, or 'all'",
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--arrays", action="store_true", help="ndarrays, not frames")
    parser.add_argument("--details", action="store_true", help="one row a data set")
    parser.add_argument("--json", help="write every measurement to this file")
    args = parser.parse_args(argv)
    names = list(SAMPLERS) if args.samplers == "all" else args.samplers.split(",")
    unknown = sorted(set(names) - set(SAMPLERS))
    if unknown:
        parser.error(f"unknown sampler(s) {unknown}; choose from {sorted(SAMPLERS)}")

    datasets = {d: load_dataset(d, as_frame=not args.arrays) for d in list_datasets()}
    warnings.simplefilter("ignore")  # both libraries warn on some tiny classes
    warm_up(names)
    everything = {}
    print(
        f"{len(datasets)} data sets as {'ndarrays' if args.arrays else 'DataFrames'}"
        f", median of {args.repeats} alternating calls; ratio = imbalanced-learn /"
        " smotekit time"
    )
    print()
    print(
        "| sampler | data sets | lowest ratio | median ratio | geometric mean | "
        "slower on | total s (imblearn / smotekit) | median peak ratio | "
        "skipped | differences |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        results = {
            d: measure(name, X, y, args.repeats) for d, (X, y) in datasets.items()
        }
        everything[name] = results
        print(summary_row(name, results), flush=True)
    if args.details:
        for name, results in everything.items():
            print(f"\n{name}\n")
            print("| data set | rows | features | imblearn ms | smotekit ms | ratio |")
            print("|---|---:|---:|---:|---:|---:|")
            for d, r in sorted(results.items(), key=lambda kv: kv[1].get("ratio", 0)):
                X = datasets[d][0]
                if "ratio" in r:
                    print(
                        f"| {d} | {X.shape[0]} | {X.shape[1]} | "
                        f"{r['imblearn_s'] * 1e3:.2f} | {r['smotekit_s'] * 1e3:.2f} | "
                        f"{r['ratio']:.2f} |"
                    )
    differences = [
        (name, d, r["difference"])
        for name, results in everything.items()
        for d, r in results.items()
        if "difference" in r
    ]
    for name, d, text in differences:
        print(f"difference: {name} on {d}: {text}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(everything, fh, indent=1)
    return int(len(differences) > 0)


if __name__ == "__main__":
    raise SystemExit(main())
