"""Quantized scans against the exact search, on one grid class.

Product-quantized codes scanned with SIMD lookup tables (faiss's
``IndexPQFastScan``, and its inverted-file form ``IndexIVFPQFastScan``), their
candidates re-ranked by exact distances (``IndexRefineFlat``), on the minority
class of one grid data set. For each setting the report gives the time to
build, the time to search every row of the class, and the neighbour recall
against ``smotekit.ExactNeighbors`` (share of the exact k neighbours found),
beside the exact search and the float32 products of all pairs alone (tiled
matrix products of the class against itself, the arithmetic floor of any
search that looks at every pair).

Run from the repository root (needs ``pip install -e ".[bench,ann]"``)::

    python benchmarks/bench_quantized_scan.py                 # 1M x 50, 10%
    python benchmarks/bench_quantized_scan.py --d 10
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_data import load_cached
from _bench_registry import Cell, gaussian_blobs
from bench_approximate import recall

K = 5
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent / ".cache"
#: (cells, probed cells, sub-quantizers, re-ranked candidates per neighbour);
#: cells 0 means one scan of every code.
SETTINGS = [
    (0, 0, 25, 8),
    (0, 0, 25, 16),
    (0, 0, 50, 4),
    (200, 60, 50, 4),
    (316, 64, 50, 4),
    (316, 96, 50, 4),
]


def without_self(ids):
    """Each row's first ``K`` ids other than its own."""
    return np.array(
        [[j for j in row if j != i][:K] for i, row in enumerate(ids.tolist())]
    )


def pair_products_seconds(points, rows=1024, cols=2048):
    """Seconds for the float32 products of every pair, in cache-sized tiles."""
    out = np.empty((rows, cols), dtype=np.float32)
    start = time.perf_counter()
    for r in range(0, len(points), rows):
        a = points[r : r + rows]
        for c in range(0, len(points), cols):
            b = points[c : c + cols]
            np.matmul(a, b.T, out=out[: len(a), : len(b)])
    return time.perf_counter() - start


def build(d, n_cells, n_probe, m, k_factor):
    import faiss

    if n_cells:
        base = faiss.IndexIVFPQFastScan(faiss.IndexFlatL2(d), d, n_cells, m, 4)
        base.nprobe = n_probe
    else:
        base = faiss.IndexPQFastScan(d, m, 4)
    index = faiss.IndexRefineFlat(base)
    index.k_factor = k_factor
    return index


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=50)
    parser.add_argument("--minority", type=float, default=0.1)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    args = parser.parse_args(argv)
    import faiss

    from smotekit import ExactNeighbors

    cell = Cell("smote", args.n, args.d, args.minority, "float32")
    X, y = load_cached(args.cache_dir, cell, gaussian_blobs)
    points = np.ascontiguousarray(X[y == 1], dtype=np.float32)
    ExactNeighbors(n_neighbors=K).fit(points[:2000]).kneighbors()
    start = time.perf_counter()
    truth = ExactNeighbors(n_neighbors=K).fit(points).kneighbors(return_distance=False)
    exact_s = time.perf_counter() - start
    products_s = pair_products_seconds(points)
    print(f"## {cell.label().removeprefix('smote ')}: {len(points)} rows, k={K}\n")
    print(f"faiss {faiss.__version__} ({faiss.get_compile_options().strip()})\n")
    print(f"- smotekit exact search: {exact_s:.2f} s")
    print(f"- float32 products of all ordered pairs alone: {products_s:.2f} s\n")
    print("| cells | probed | sub-quantizers (4 bits) | re-ranked per neighbour "
          "| build s | search s | recall |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n_cells, n_probe, m, k_factor in SETTINGS:
        start = time.perf_counter()
        index = build(points.shape[1], n_cells, n_probe, m, k_factor)
        index.train(points)
        index.add(points)
        built = time.perf_counter()
        _, ids = index.search(points, K + 1)
        searched = time.perf_counter()
        print(
            f"| {n_cells or 'all'} | {n_probe or '-'} | {m} | {k_factor} | "
            f"{built - start:.2f} | {searched - built:.2f} | "
            f"{recall(without_self(ids), truth):.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
