"""Output page advice: both libraries with huge pages and with small ones.

Output-bound cells spend most of their time having the kernel fault in the
output's fresh pages. numpy advises transparent huge pages for arrays of
4 MiB or more; where the virtual machine's balloon reports free memory to
the host, smotekit times the first huge pages of each segment of its output
and advises the rest to 4 KiB pages once they come slow
(``smotekit/_pages.py``). To show what that choice is worth, and what it
would be worth to imbalanced-learn, each cell is measured in fresh
processes, the five variants alternating:

- ``smotekit``: as shipped (``SMOTEKIT_OUTPUT_PAGES`` unset: the output's
  huge pages timed as it is written);
- ``smotekit, small pages``: ``SMOTEKIT_OUTPUT_PAGES=small`` (outputs of
  256 MiB or more on small pages outright);
- ``smotekit, numpy advice``: ``SMOTEKIT_OUTPUT_PAGES=default``;
- ``imblearn``: as shipped (numpy's advice);
- ``imblearn, no huge pages``: ``NUMPY_MADVISE_HUGEPAGE=0``, numpy's own
  switch, so none of its arrays is advised to huge pages.

Every process runs the same warm-up as the grid (``_bench_child.py``) and
times one ``fit_resample``. With ``--calls N`` each process then repeats the
call ``N - 1`` more times on the same data, the output of the previous call
freed first (a cross-validation loop), and the later calls are reported apart.

Usage::

    python benchmarks/bench_pages.py                    # 1M x 50, 1%, float64
    python benchmarks/bench_pages.py --repeats 9 --calls 4 \\
        --only 'sampler=random,n=100k,d=200,minority=1%,dtype=float32'
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench_data import DEFAULT_CACHE_DIR
from _bench_registry import SAMPLERS, Cell
from bench_smote import parse_filter, prepare_data

BENCH_DIR = Path(__file__).resolve().parent
RESULT_PREFIX = "PAGES-RESULT "
#: name → (library, extra environment).
VARIANTS = {
    "smotekit": ("smotekit", {}),
    "smotekit, small pages": ("smotekit", {"SMOTEKIT_OUTPUT_PAGES": "small"}),
    "smotekit, numpy advice": ("smotekit", {"SMOTEKIT_OUTPUT_PAGES": "default"}),
    "imblearn": ("imblearn", {}),
    "imblearn, no huge pages": ("imblearn", {"NUMPY_MADVISE_HUGEPAGE": "0"}),
}
#: Cells measured unless ``--only`` says otherwise.
DEFAULT_CELLS = (
    Cell("smote", 1_000_000, 50, 0.01, "float64"),
    Cell("random", 1_000_000, 50, 0.01, "float64"),
)


def child(library, cell, cache_dir, calls):
    """Seconds of ``calls`` successive ``fit_resample`` calls in this process."""
    from _bench_child import measure

    first = measure(library, cell, cache_dir)
    times = [first["wall_s"]]
    if calls > 1:
        from _bench_data import load_cached

        spec = SAMPLERS[cell.sampler]
        X, y = load_cached(cache_dir, cell, spec.data)
        for _ in range(calls - 1):
            sampler = spec.factory(library)(cell)
            t0 = time.perf_counter()
            out = sampler.fit_resample(X, y)
            times.append(time.perf_counter() - t0)
            del out, sampler
    return times


def run_variant(name, cell, cache_dir, calls):
    library, extra_env = VARIANTS[name]
    spec = json.dumps(
        {
            "library": library,
            "cell": cell.__dict__,
            "cache_dir": str(cache_dir),
            "calls": calls,
        }
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SMOTEKIT_OUTPUT_PAGES", "NUMPY_MADVISE_HUGEPAGE")
    }
    env.update(extra_env)
    proc = subprocess.run(
        [sys.executable, __file__, "--child", spec],
        capture_output=True,
        text=True,
        cwd=BENCH_DIR,
        env=env,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"{name} on {cell.label()} failed:\n{proc.stderr[-2000:]}")


def summary(runs):
    return f"{statistics.median(runs):.3f} ({min(runs):.3f}–{max(runs):.3f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        type=parse_filter,
        action="append",
        default=[],
        help="cells as key=value,... (n, d, minority, dtype, "
        "sampler); default: SMOTE and RandomOverSampler at "
        "1M x 50, 1%%, float64",
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--calls",
        type=int,
        default=1,
        help="calls per process (later ones reported apart)",
    )
    parser.add_argument(
        "--variants",
        type=lambda text: [name.strip() for name in text.split(";")],
        default=list(VARIANTS),
        help="variants to run, separated by ';' (default: all of "
        + "; ".join(VARIANTS)
        + ")",
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.variants) - set(VARIANTS))
    if unknown:
        parser.error(f"--variants: unknown {unknown}; choose among {list(VARIANTS)}")
    if args.child:
        spec = json.loads(args.child)
        times = child(
            spec["library"], Cell(**spec["cell"]), spec["cache_dir"], spec["calls"]
        )
        print(RESULT_PREFIX + json.dumps(times), flush=True)
        return
    cells = (
        [Cell(s, n, d, m, t) for s, n, d, m, t in _expand(args.only)]
        if args.only
        else list(DEFAULT_CELLS)
    )
    prepare_data(cells, args.cache_dir)
    header = "| cell | variant | first call, s: median (range) |"
    if args.calls > 1:
        header += " later calls, s |"
    print(header)
    print("|---|---|---:|" + ("---:|" if args.calls > 1 else ""))
    for cell in cells:
        first = {name: [] for name in args.variants}
        later = {name: [] for name in args.variants}
        for _ in range(args.repeats):
            for name in args.variants:
                times = run_variant(name, cell, args.cache_dir, args.calls)
                first[name].append(times[0])
                later[name].extend(times[1:])
        for name in args.variants:
            row = f"| {cell.label()} | {name} | {summary(first[name])} |"
            if args.calls > 1:
                row += f" {summary(later[name])} |"
            print(row, flush=True)


def _expand(filters):
    """Cells named completely by ``--only`` filters (every key given)."""
    for conditions in filters:
        missing = {"n", "d", "minority", "dtype", "sampler"} - set(conditions)
        if missing:
            raise SystemExit(
                f"--only must name every key here; missing {sorted(missing)}"
            )
        yield (
            conditions["sampler"],
            conditions["n"],
            conditions["d"],
            conditions["minority"],
            conditions["dtype"],
        )


if __name__ == "__main__":
    main()
