"""Exact neighbour search: the candidate engines side by side, by shape.

The search SMOTE runs on the class it over-samples: each row's 5 nearest
other rows, for every row of the class. For each shape (class rows,
features, dtype) every engine below runs in its own fresh process (so the
BLAS and OpenMP pools of one library never share a process with
another's), warms up on 2,000 rows, then searches the whole class; the table
gives the median time, and how many of 1,000 sampled rows have another
neighbour set than a float64 brute force (ties aside: a row counts as right
when its neighbours' float64 distances are the reference's).

Engines:

``sklearn auto``
    ``NearestNeighbors(n_neighbors=6)``: scikit-learn's own choice, one
    thread, what imbalanced-learn's SMOTE runs.
``sklearn kd_tree``, ``sklearn ball_tree``, ``sklearn brute``
    Each method forced, ``n_jobs=-1`` (all cores).
``pykdtree``
    ``pykdtree.kdtree.KDTree`` in the data's dtype (OpenMP, all cores).
``faiss flat``
    ``faiss.IndexFlatL2`` (float32; float64 data is cast), faiss's own
    OpenBLAS and OpenMP. ``--faiss-coretype NAME`` adds the same run with
    ``OPENBLAS_CORETYPE=NAME`` (for a CPU that faiss's OpenBLAS does not
    recognise: the report ends with the kernel each loaded OpenBLAS chose).
``smotekit``
    ``ExactNeighbors(n_neighbors=5)`` with its default method (the column
    ``chosen`` says which), and each method forced (``smotekit kd_tree``
    only up to 8 features).

The data are the minority classes of the grid's data sets
(``bench_smote.py``; 10% minority, so a 100k-row class is the class of the
1M-row cells, a 10k-row class that of the 100k-row cells or of the 1M-row
cells at 1%).

Usage (from the repository root, ``pip install -e '.[bench]'`` and
``faiss-cpu``)::

    python benchmarks/bench_engines.py --quick      # 10k-row classes, ~5 min
    python benchmarks/bench_engines.py              # 10k and 100k rows, ~45 min
    python benchmarks/bench_engines.py --only 'rows=100k,d=50' \\
        --engines 'smotekit,faiss flat'

A run that passes ``--timeout`` seconds (default 240) is reported as
``> timeout``; runs of more than 10 s are not repeated; "–" marks an engine
that does not take the shape.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from _bench_data import DEFAULT_CACHE_DIR, ensure_cached, load_cached
from _bench_machine import machine_info, machine_markdown
from _bench_registry import Cell, format_count, gaussian_blobs

K = 5
#: Rows checked against the float64 brute force.
SAMPLE = 1000
#: Rows of the warm-up search in each process.
WARMUP_ROWS = 2000
#: A run longer than this is not repeated.
LONG_RUN_S = 10.0
#: Relative tolerance under which two distances are the same (ties).
TIE_RTOL = 1e-9
#: Minority share of the data sets whose classes are searched.
MINORITY = 0.1
#: Most features of smotekit's kd-tree route.
KD_TREE_LIMIT = 8
#: Most features pykdtree takes.
PYKDTREE_LIMIT = 127
RESULT_PREFIX = "ENGINE-RESULT "

ENGINES = (
    "sklearn auto",
    "sklearn kd_tree",
    "sklearn ball_tree",
    "sklearn brute",
    "pykdtree",
    "faiss flat",
    "smotekit",
    "smotekit kd_tree",
    "smotekit brute",
)

SHAPES = {
    "quick": [(10_000, 5), (10_000, 10), (10_000, 50), (10_000, 200)],
    "full": [
        (10_000, 5),
        (10_000, 10),
        (10_000, 50),
        (10_000, 200),
        (100_000, 5),
        (100_000, 10),
        (100_000, 50),
    ],
}
DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class Shape:
    rows: int
    d: int
    dtype: str

    def cell(self):
        """The grid data set whose minority class has ``rows`` rows."""
        return Cell("smote", round(self.rows / MINORITY), self.d, MINORITY, self.dtype)

    def label(self):
        return f"{format_count(self.rows)} × {self.d}, {self.dtype}"


# -------------------------------------------------------------- the engines


def _drop_self(ind):
    """``k + 1`` neighbours with the row itself → the ``k`` others (the last
    column goes when a duplicate pushed the row out of its own list)."""
    keep = ind != np.arange(len(ind))[:, None]
    keep[keep.all(axis=1), -1] = False
    return ind[keep].reshape(len(ind), ind.shape[1] - 1)


def _sklearn(algorithm, n_jobs):
    def search(X):
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=K + 1, algorithm=algorithm, n_jobs=n_jobs)
        return _drop_self(nn.fit(X).kneighbors(X, return_distance=False)), algorithm

    return search


def _pykdtree(X):
    from pykdtree.kdtree import KDTree

    return _drop_self(KDTree(X).query(X, k=K + 1)[1].astype(np.int64)), "kd_tree"


def _faiss(X):
    import faiss

    X32 = np.ascontiguousarray(X, dtype=np.float32)
    index = faiss.IndexFlatL2(X.shape[1])
    index.add(X32)
    return _drop_self(index.search(X32, K + 1)[1]), "flat"


def _smotekit(algorithm):
    def search(X):
        from smotekit import ExactNeighbors

        nn = ExactNeighbors(n_neighbors=K, algorithm=algorithm).fit(X)
        return nn.kneighbors(return_distance=False), nn.algorithm_

    return search


SEARCHES = {
    "sklearn auto": _sklearn("auto", None),
    "sklearn kd_tree": _sklearn("kd_tree", -1),
    "sklearn ball_tree": _sklearn("ball_tree", -1),
    "sklearn brute": _sklearn("brute", -1),
    "pykdtree": _pykdtree,
    "faiss flat": _faiss,
    "smotekit": _smotekit("auto"),
    "smotekit kd_tree": _smotekit("kd_tree"),
    "smotekit brute": _smotekit("brute"),
}


def applies(engine, shape):
    """Whether ``engine`` can search ``shape`` at all (pykdtree takes at most
    127 features, smotekit's kd-tree route at most 8)."""
    if engine == "pykdtree":
        return shape.d <= PYKDTREE_LIMIT
    return not (engine == "smotekit kd_tree" and shape.d > KD_TREE_LIMIT)


# -------------------------------------------------------- one measurement


def _blas_pools():
    from threadpoolctl import threadpool_info

    return [
        {
            "library": os.path.basename(info.get("filepath", "")),
            "api": info.get("internal_api"),
            "version": info.get("version"),
            "threads": info.get("num_threads"),
            "architecture": info.get("architecture"),
        }
        for info in threadpool_info()
    ]


def child(spec):
    """Time one engine on one class; write its neighbours to ``spec['out']``."""
    shape = Shape(**spec["shape"])
    X, y = load_cached(spec["cache_dir"], shape.cell(), gaussian_blobs)
    Xm = np.ascontiguousarray(X[y == 1])
    del X, y
    search = SEARCHES[spec["engine"]]
    search(Xm[:WARMUP_ROWS])
    times = []
    while len(times) < spec["repeats"]:
        t0 = time.perf_counter()
        ind, chosen = search(Xm)
        times.append(time.perf_counter() - t0)
        if times[-1] > LONG_RUN_S:
            break
    np.save(spec["out"], ind.astype(np.int64))
    result = {"times": times, "chosen": chosen, "pools": _blas_pools()}
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_child(engine, shape, args, out, env_extra=None):
    spec = {
        "engine": engine,
        "shape": asdict(shape),
        "cache_dir": str(args.cache_dir),
        "repeats": args.repeats,
        "out": str(out),
    }
    env = dict(os.environ, **(env_extra or {}))
    cmd = [sys.executable, __file__, "--child", json.dumps(spec)]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=args.timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"> {args.timeout:g} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}


# --------------------------------------------------------------- checking


def reference_distances(X, rows):
    """The float64 distances of each sampled row's ``K`` nearest other rows,
    summed in feature order (a brute force independent of every engine)."""
    X64 = X.astype(np.float64)
    out = np.empty((len(rows), K))
    for start in range(0, len(rows), 100):
        part = rows[start : start + 100]
        sq = np.zeros((len(part), len(X)))
        for f in range(X.shape[1]):
            sq += (X64[part, f, None] - X64[None, :, f]) ** 2
        sq[np.arange(len(part)), part] = np.inf
        out[start : start + len(part)] = np.partition(sq, K - 1, axis=1)[:, :K]
    return np.sort(out, axis=1)


def wrong_rows(X, ind, rows, reference):
    """How many sampled rows have neighbours whose float64 distances are not
    the reference's (other points at the same distance count as right)."""
    X64 = X.astype(np.float64)
    diff = X64[ind[rows]] - X64[rows, None, :]
    got = np.sort(np.einsum("rkd,rkd->rk", diff, diff), axis=1)
    same = np.isclose(got, reference, rtol=TIE_RTOL, atol=0.0).all(axis=1)
    valid = ((ind[rows] >= 0) & (ind[rows] != rows[:, None])).all(axis=1)
    return int((~(same & valid)).sum())


# ----------------------------------------------------------------- driver


def matches(shape, spec):
    """Whether ``shape`` fits ``rows=100k,d=50,dtype=float32`` (any subset)."""
    have = {"rows": shape.rows, "d": shape.d, "dtype": shape.dtype}
    for part in filter(None, spec.split(",")):
        key, _, value = (t.strip() for t in part.partition("="))
        if key not in have:
            raise SystemExit(f"--only: unknown key {key!r}; use rows, d or dtype")
        if key == "rows":
            value = value.lower().replace("k", "000").replace("m", "000000")
        if str(have[key]) != value:
            return False
    return True


def measure_all(shapes, engines, args):
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            ensure_cached(args.cache_dir, shape.cell(), gaussian_blobs)
            X, y = load_cached(args.cache_dir, shape.cell(), gaussian_blobs)
            Xm = np.ascontiguousarray(X[y == 1])
            del X, y
            rng = np.random.default_rng(0)
            rows = np.sort(rng.choice(len(Xm), min(SAMPLE, len(Xm)), replace=False))
            reference = reference_distances(Xm, rows)
            runs = [(e, None) for e in engines if applies(e, shape)]
            if args.faiss_coretype and "faiss flat" in engines:
                runs.append(("faiss flat", {"OPENBLAS_CORETYPE": args.faiss_coretype}))
            for engine, env in runs:
                name = engine + (f" ({env['OPENBLAS_CORETYPE']})" if env else "")
                out = Path(tmp) / "ind.npy"
                result = run_child(engine, shape, args, out, env)
                result |= {"engine": name, "shape": asdict(shape)}
                if "error" not in result:
                    result["median_s"] = statistics.median(result["times"])
                    result["wrong"] = wrong_rows(Xm, np.load(out), rows, reference)
                    result["checked"] = len(rows)
                    out.unlink()
                results.append(result)
                log(f"{shape.label()} {name}: " + _status(result))
    return results


def _status(result):
    if "error" in result:
        return "ERROR " + result["error"]
    return (
        f"{result['median_s']:.3f} s ({len(result['times'])} runs, "
        f"{result['chosen']}), wrong {result['wrong']}/{result['checked']}"
    )


def markdown(results):
    """One row per class, one column per engine; the fastest engine whose
    sampled rows were all right is in bold."""
    names = list(dict.fromkeys(r["engine"] for r in results))
    by_shape = {}
    for r in results:
        by_shape.setdefault(Shape(**r["shape"]), {})[r["engine"]] = r
    head = ["class", *names, "smotekit chose", "fastest"]
    lines = [
        "| " + " | ".join(head) + " |",
        "|---" + "|---:" * len(names) + "|---|---|",
    ]
    for shape, runs in by_shape.items():
        ok = {n: r for n, r in runs.items() if "median_s" in r and not r["wrong"]}
        best = min(ok, key=lambda n: ok[n]["median_s"]) if ok else "–"
        cells = []
        for name in names:
            r = runs.get(name)
            if r is None:
                cells.append("–")
            elif "error" in r:
                cells.append(r["error"].split(":")[0])
            else:
                text = f"{r['median_s']:.3f}"
                if r["wrong"]:
                    text += f" ({r['wrong']} wrong)"
                cells.append(f"**{text}**" if name == best else text)
        chosen = runs.get("smotekit", {}).get("chosen", "–")
        lines.append("| " + " | ".join([shape.label(), *cells, chosen, best]) + " |")
    return "\n".join(lines)


def pools_markdown(results):
    """The OpenBLAS libraries loaded in each engine's processes, with the
    kernel each chose (an engine multiplies with its own library's, the others
    are only loaded)."""
    seen = {}
    for r in results:
        for pool in r.get("pools", []):
            if pool["api"] == "openblas":
                seen.setdefault((r["engine"], pool["library"]), pool)
    return "\n".join(
        f"- {engine}: {pool['library']} (OpenBLAS {pool['version']}, "
        f"{pool['threads']} threads, kernel {pool['architecture']})"
        for (engine, _), pool in seen.items()
    )


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="10k-row classes only")
    size.add_argument("--full", action="store_true", help="10k and 100k (default)")
    parser.add_argument("--only", action="append", default=[], metavar="SPEC")
    parser.add_argument(
        "--engines", help=f"comma-separated subset of: {', '.join(ENGINES)}"
    )
    parser.add_argument("--dtypes", default=",".join(DTYPES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--faiss-coretype", metavar="NAME")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--json", type=Path, help="also write every run here")
    args = parser.parse_args(argv)
    engines = ENGINES
    if args.engines:
        engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
        unknown = [e for e in engines if e not in SEARCHES]
        if unknown:
            parser.error(f"unknown engine(s) {unknown}; known: {', '.join(ENGINES)}")
    args.engine_list = engines
    dtypes = [t.strip() for t in args.dtypes.split(",") if t.strip()]
    if not dtypes or any(t not in DTYPES for t in dtypes):
        parser.error(f"--dtypes takes {' and/or '.join(DTYPES)}; got {args.dtypes!r}")
    args.dtype_list = dtypes
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        child(json.loads(args.child))
        return 0
    grid = "quick" if args.quick else "full"
    shapes = [
        Shape(rows, d, dtype)
        for rows, d in SHAPES[grid]
        for dtype in args.dtype_list
        if not args.only or any(matches(Shape(rows, d, dtype), s) for s in args.only)
    ]
    if not shapes:
        log("no shape matches the selection")
        return 2
    info = machine_info()
    print("## Machine\n")
    print(machine_markdown(info))
    results = measure_all(shapes, args.engine_list, args)
    print(f"\n## Exact search of one class, k={K}, seconds (median of up to "
          f"{args.repeats}; runs over {LONG_RUN_S:g} s once)\n")  # fmt: skip
    print(markdown(results))
    print("\nOpenBLAS libraries loaded in each engine's processes:\n")
    print(pools_markdown(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.json.with_name(f".{args.json.name}.tmp")
        tmp.write_text(json.dumps({"machine": info, "runs": results}, indent=1))
        os.replace(tmp, args.json)
    failed = any("error" in r and not r["error"].startswith(">") for r in results)
    wrong = any(r.get("wrong") and r["engine"].startswith("smotekit") for r in results)
    if wrong:
        log("smotekit returned other neighbours than the float64 brute force")
    return 1 if failed or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
