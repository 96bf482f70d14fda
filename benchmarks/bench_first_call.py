"""One-time costs of a fresh process: import, first call, compilation.

The side-by-side grid (``bench_smote.py``) warms both libraries up before it
measures; this script measures what the warm-up takes out. Each run is a
fresh interpreter that imports the library's ``SMOTE`` and calls
``fit_resample`` three times on the same data (10k rows, 50 features, 10%
minority, float32). The table gives medians over the runs of the import, the
first call and the later calls.

smotekit's compiled loops are cached on disk by numba. The row "smotekit,
empty cache" points ``NUMBA_CACHE_DIR`` at an empty folder, so its first call
compiles every loop it uses, as the first call after installing does (the
repository's own cache is not touched).

Usage::

    python benchmarks/bench_first_call.py              # 5 runs each, ~1 min
    python benchmarks/bench_first_call.py --runs 9
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
start = time.perf_counter()
import numpy as np
if sys.argv[1] == "imblearn":
    from imblearn.over_sampling import SMOTE
else:
    from smotekit import SMOTE
imported = time.perf_counter() - start
rng = np.random.default_rng(0)
X = rng.standard_normal((10_000, 50)).astype(np.float32)
y = (np.arange(10_000) < 1_000).astype(np.int64)
calls = []
for _ in range(3):
    start = time.perf_counter()
    SMOTE(random_state=0).fit_resample(X, y)
    calls.append(time.perf_counter() - start)
print("FIRST-CALL " + json.dumps({"import": imported, "calls": calls}))
"""

PREFIX = "FIRST-CALL "


def run(library, env=None):
    """One fresh process; its import time and call times in seconds."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, library],
        capture_output=True,
        text=True,
        env=dict(os.environ, **(env or {})),
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(PREFIX):
            return json.loads(line[len(PREFIX) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    raise SystemExit(f"{library} run failed (exit {proc.returncode}): {tail}")


def summary(name, results):
    """A Markdown row: medians (and ranges) in milliseconds."""

    def cell(values):
        values = [1e3 * v for v in values]
        med = statistics.median(values)
        return f"{med:.0f} ({min(values):.0f}–{max(values):.0f})"

    first = [r["calls"][0] for r in results]
    later = [c for r in results for c in r["calls"][1:]]
    imports = [r["import"] for r in results]
    return (
        f"| {name} | {len(results)} | {cell(imports)} | {cell(first)} | {cell(later)} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per row")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    rows = {"imblearn": [], "smotekit": [], "smotekit, empty cache": []}
    for _ in range(args.runs):  # alternating, so machine noise hits all alike
        rows["imblearn"].append(run("imblearn"))
        rows["smotekit"].append(run("smotekit"))
        with tempfile.TemporaryDirectory() as cache:
            rows["smotekit, empty cache"].append(
                run("smotekit", {"NUMBA_CACHE_DIR": cache})
            )
    print("| library | runs | import ms | first call ms | later calls ms |")
    print("|---|---:|---:|---:|---:|")
    for name, results in rows.items():
        print(summary(name, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
