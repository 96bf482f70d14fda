"""First write of fresh memory, from one thread or two, in fresh processes.

Output-bound cells of the grid spend most of their time having the kernel
map the output's pages on first write. This measures that cost alone: each
measurement is a new process that copies an already-touched array into a
fresh one of the same size, from one thread (one numpy copy) or from two
(each copies half, numpy releasing the GIL), and the two ways alternate.

Usage::

    python benchmarks/bench_first_touch.py                 # 150 and 770 MB, 10 each
    python benchmarks/bench_first_touch.py --sizes 150 --repeats 20
"""

import argparse
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def write_once(megabytes, threads):
    """Seconds to copy a touched array into a fresh one from ``threads``."""
    src = np.ones(megabytes * 2**20 // 8)
    out = np.empty_like(src)
    bounds = np.linspace(0, len(src), threads + 1).astype(int)

    def copy(part):
        out[bounds[part] : bounds[part + 1]] = src[bounds[part] : bounds[part + 1]]

    start = time.perf_counter()
    if threads == 1:
        copy(0)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(copy, range(threads)))
    return time.perf_counter() - start


def in_fresh_process(megabytes, threads):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_first_touch as b; "
        "print(b.write_once(int(sys.argv[2]), int(sys.argv[3])))"
    )
    here = __file__.rsplit("/", 1)[0] or "."
    result = subprocess.run(
        [sys.executable, "-c", code, here, str(megabytes), str(threads)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout)


def probe(megabytes=150, repeats=5, threads=2):
    """Milliseconds of ``repeats`` first writes of ``megabytes``, each in a
    fresh process: the state of the machine's memory at one moment.

    The grid driver (``bench_smote.py``) takes one before and one after its
    cells, so a grid's output-bound cells can be read against it.
    """
    runs = [1e3 * in_fresh_process(megabytes, threads) for _ in range(repeats)]
    return {"megabytes": megabytes, "threads": threads, "runs_ms": runs}


def probe_markdown(result, when):
    """One Markdown list line describing a :func:`probe` result."""
    runs = result["runs_ms"]
    return (
        f"- First write of fresh memory {when} ({result['megabytes']} MB, "
        f"{result['threads']} threads, {len(runs)} fresh processes): median "
        f"{statistics.median(runs):.1f} ms, runs {min(runs):.1f}–{max(runs):.1f} ms"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 770])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    print("| MB | threads | median ms | runs ms |")
    print("|---:|---:|---:|---|")
    for megabytes in args.sizes:
        times = {1: [], 2: []}
        for _ in range(args.repeats):
            for threads in times:
                times[threads].append(1e3 * in_fresh_process(megabytes, threads))
        for threads, runs in times.items():
            print(
                f"| {megabytes} | {threads} | {statistics.median(runs):.1f} | "
                f"{min(runs):.1f}–{max(runs):.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
