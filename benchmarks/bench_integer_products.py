"""Low-precision products against float32 products, on one grid class.

Any search that reaches recall 0.95 on the 100k x 50 class visits most pairs
(see ``bench_quantized_scan.py``), so its floor is the cost of the pair
products plus the pass that keeps each row's best candidates. This script
measures both parts on the minority class of one grid data set, median of
several alternating runs in one process:

- the smotekit exact search (products of each pair once, plus selection);
- the float32 products of every ordered pair (numpy's BLAS, cache-sized
  tiles);
- the int8 products of every ordered pair (ONNX Runtime's ``MatMulInteger``,
  whose kernels use this CPU's VNNI units), on the class quantized to
  8 bits, as an integer-product search would compute them;
- the bfloat16 and int8 products of every ordered pair through PyTorch
  (oneDNN, which runs them on the AMX tile units of CPUs that have them),
  bfloat16 results for the bfloat16 products: the cheapest products any
  search could select from;
- with PyTorch, the recall of a bfloat16 brute force: the share of the exact
  neighbours of 2,000 sampled rows among their few best candidates by
  bfloat16 products, re-ranked by exact distances.

Each low-precision backend is measured when its library is installed.
Run from the repository root (needs ``pip install -e ".[bench]"`` and, for
this script only, ``pip install onnx onnxruntime`` and/or ``pip install
torch``)::

    python benchmarks/bench_integer_products.py                 # 1M x 50, 10%
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_data import ensure_cached, load_cached
from _bench_registry import Cell, gaussian_blobs
from bench_quantized_scan import pair_products_seconds

K = 5
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent / ".cache"


def integer_product_session(threads):
    """An ONNX Runtime session computing ``A @ B`` for uint8 A and int8 B."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "B"], ["Y"])],
        "products",
        [
            helper.make_tensor_value_info("A", TensorProto.UINT8, [None, None]),
            helper.make_tensor_value_info("B", TensorProto.INT8, [None, None]),
        ],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, [None, None])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 9
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def quantize(points):
    """The class as uint8 rows and int8 columns (features padded to 64)."""
    width = -(-points.shape[1] // 64) * 64
    scale = 127 / np.abs(points).max()
    signed = np.zeros((len(points), width), dtype=np.int8)
    signed[:, : points.shape[1]] = np.rint(points * scale)
    unsigned = (signed.astype(np.int16) + 128).astype(np.uint8)
    return unsigned, np.ascontiguousarray(signed.T)


def integer_products_seconds(session, rows, columns, tile_rows=256, tile_cols=2048):
    """Seconds for the int8 products of every ordered pair, in tiles."""
    blocks = [
        np.ascontiguousarray(columns[:, c : c + tile_cols])
        for c in range(0, columns.shape[1], tile_cols)
    ]
    start = time.perf_counter()
    for r in range(0, len(rows), tile_rows):
        a = rows[r : r + tile_rows]
        for b in blocks:
            session.run(None, {"A": a, "B": b})
    return time.perf_counter() - start


def torch_products_seconds(points, kind, tile_rows=4096, tile_cols=512):
    """Seconds for PyTorch's ``kind`` products of every ordered pair, in tiles.

    ``kind`` is ``"bfloat16"`` (bfloat16 inputs and results, the cheapest
    oneDNN product) or ``"int8"`` (``torch._int_mm``: int8 inputs, int32
    results), features padded to 64.
    """
    import torch

    width = -(-points.shape[1] // 64) * 64
    padded = np.zeros((len(points), width), dtype=np.float32)
    padded[:, : points.shape[1]] = points
    rows = torch.from_numpy(padded)
    if kind == "bfloat16":
        rows, product = rows.to(torch.bfloat16), torch.mm
    else:
        scale = 127 / float(np.abs(points).max())
        rows, product = torch.round(rows * scale).to(torch.int8), torch._int_mm
    blocks = [
        rows[c : c + tile_cols].T.contiguous() for c in range(0, len(rows), tile_cols)
    ]
    product(rows[:tile_rows], blocks[0])  # oneDNN builds its kernel per shape
    start = time.perf_counter()
    for r in range(0, len(rows), tile_rows):
        a = rows[r : r + tile_rows]
        for b in blocks:
            product(a, b)
    return time.perf_counter() - start


def search_products_seconds(points, threads):
    """Seconds for the float32 products the exact search computes: each pair
    once, in its tiles above the diagonal (and the diagonal tiles), one
    single-threaded BLAS product per thread at a time, as the search runs
    them."""
    from smotekit._brute import TILE, single_threaded_blas
    from smotekit._threads import map_threads

    starts = range(0, len(points), TILE)
    pairs = [(a, b) for a in starts for b in starts if b >= a]
    outs = [np.empty((TILE, TILE), dtype=np.float32) for _ in range(threads)]
    free = list(range(threads))

    def product(pair):
        slot = free.pop()
        a, b = points[pair[0] : pair[0] + TILE], points[pair[1] : pair[1] + TILE]
        np.matmul(a, b.T, out=outs[slot][: len(a), : len(b)])
        free.append(slot)

    with single_threaded_blas():
        start = time.perf_counter()
        map_threads(product, pairs, threads)
        return time.perf_counter() - start


def bfloat16_recall(points, n_queries=2000, widths=(5, 8, 10), seed=0):
    """Share of the exact k neighbours of sampled rows found among their
    ``width`` best candidates by bfloat16 products, re-ranked by exact
    distances, for each width."""
    import torch

    from smotekit import ExactNeighbors

    rng = np.random.default_rng(seed)
    queries = rng.choice(len(points), n_queries, replace=False)
    exact = (
        ExactNeighbors(n_neighbors=K)
        .fit(points)
        .kneighbors(points[queries], n_neighbors=K + 1, return_distance=False)
    )
    centred = points - points.mean(axis=0)
    half_sq = 0.5 * np.einsum("ij,ij->i", centred, centred)
    rows = torch.from_numpy(np.ascontiguousarray(centred)).to(torch.bfloat16)
    values = half_sq[None, :] - (rows[queries] @ rows.T).float().numpy()
    values[np.arange(n_queries), queries] = np.inf
    recall = {}
    for width in widths:
        cand = np.argpartition(values, width, axis=1)[:, :width]
        dist = ((points[queries, None, :] - points[cand]) ** 2).sum(axis=-1)
        order = np.lexsort((cand, dist), axis=1)[:, :K]
        best = np.take_along_axis(cand, order, axis=1)
        truth = [set(row[row != q][:K]) for row, q in zip(exact, queries, strict=True)]
        recall[width] = np.mean(
            [len(t & set(b)) / K for t, b in zip(truth, best, strict=True)]
        )
    return recall


def available(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=50)
    parser.add_argument("--minority", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    args = parser.parse_args(argv)
    has_ort, has_torch = available("onnxruntime"), available("torch")
    if not (has_ort or has_torch):
        sys.exit("this benchmark needs ONNX Runtime or PyTorch: "
                 "pip install onnx onnxruntime, or pip install torch")  # fmt: skip

    from smotekit import ExactNeighbors

    cell = Cell("smote", args.n, args.d, args.minority, "float32")
    ensure_cached(args.cache_dir, cell, gaussian_blobs)
    X, y = load_cached(args.cache_dir, cell, gaussian_blobs)
    points = np.ascontiguousarray(X[y == 1], dtype=np.float32)
    ExactNeighbors(n_neighbors=K).fit(points[:2000]).kneighbors()
    measures = {
        "exact": lambda: exact_seconds(points),
        "float32": lambda: pair_products_seconds(points),
        "search": lambda: search_products_seconds(points, args.threads),
    }
    versions = [f"numpy {np.__version__}"]
    if has_ort:
        import onnxruntime as ort

        rows, columns = quantize(points)
        session = integer_product_session(args.threads)
        integer_products_seconds(session, rows[:2048], columns[:, :2048])
        measures["int8 (ONNX Runtime)"] = lambda: integer_products_seconds(
            session, rows, columns
        )
        versions.append(f"onnxruntime {ort.__version__}")
    if has_torch:
        import torch

        torch.set_num_threads(args.threads)
        for kind in ("bfloat16", "int8"):
            measures[f"{kind} (PyTorch)"] = lambda kind=kind: torch_products_seconds(
                points, kind
            )
        versions.append(f"torch {torch.__version__}")

    times = {key: [] for key in measures}
    for _ in range(args.repeats):
        for key, measure in measures.items():
            times[key].append(measure())
    med = {key: statistics.median(values) for key, values in times.items()}
    print(f"## {cell.label().removeprefix('smote ')}: {len(points)} rows, k={K}")
    print(f"{', '.join(versions)}, {args.threads} threads, "
          f"median of {args.repeats} alternating runs\n")  # fmt: skip
    print("| what | s |")
    print("|---|---:|")
    print(f"| smotekit exact search (each pair once) | {med['exact']:.2f} |")
    print(f"| its float32 products (each pair once, its tiles) | {med['search']:.2f} |")
    selection = med["exact"] - med["search"]
    print(f"| the rest of the exact search (selection, merging) | {selection:.2f} |")
    for key in measures:
        if key not in ("exact", "search"):
            print(f"| {key} products, all ordered pairs | {med[key]:.2f} |")
    print()
    if has_torch:
        for width, share in bfloat16_recall(points).items():
            print(f"recall, {width} best bfloat16 candidates re-ranked: {share:.4f}")
    for key in measures:
        if key not in ("exact", "float32", "search"):
            print(f"float32 / {key} products: {med['float32'] / med[key]:.2f}x")


def exact_seconds(points):
    from smotekit import ExactNeighbors

    start = time.perf_counter()
    ExactNeighbors(n_neighbors=K).fit(points).kneighbors(return_distance=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
