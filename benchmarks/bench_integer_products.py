"""Integer products against float32 products, on one grid class.

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
  8 bits, as an integer-product search would compute them.

Run from the repository root (needs ``pip install -e ".[bench]"`` and, for
this script only, ``pip install onnx onnxruntime``)::

    python benchmarks/bench_integer_products.py                 # 1M x 50, 10%
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_data import load_cached
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=50)
    parser.add_argument("--minority", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    args = parser.parse_args(argv)
    try:
        import onnxruntime as ort
    except ImportError:
        sys.exit("this benchmark needs ONNX Runtime: pip install onnx onnxruntime")

    from smotekit import ExactNeighbors

    cell = Cell("smote", args.n, args.d, args.minority, "float32")
    X, y = load_cached(args.cache_dir, cell, gaussian_blobs)
    points = np.ascontiguousarray(X[y == 1], dtype=np.float32)
    rows, columns = quantize(points)
    session = integer_product_session(args.threads)
    ExactNeighbors(n_neighbors=K).fit(points[:2000]).kneighbors()
    integer_products_seconds(session, rows[:2048], columns[:, :2048])

    times = {"exact": [], "float32": [], "int8": []}
    for _ in range(args.repeats):
        start = time.perf_counter()
        ExactNeighbors(n_neighbors=K).fit(points).kneighbors(return_distance=False)
        times["exact"].append(time.perf_counter() - start)
        times["float32"].append(pair_products_seconds(points))
        times["int8"].append(integer_products_seconds(session, rows, columns))
    exact, f32, i8 = (statistics.median(times[key]) for key in times)
    print(f"## {cell.label().removeprefix('smote ')}: {len(points)} rows, k={K}")
    print(f"onnxruntime {ort.__version__}, numpy {np.__version__}, "
          f"median of {args.repeats}\n")  # fmt: skip
    print("| what | s |")
    print("|---|---:|")
    print(f"| smotekit exact search (each pair once) | {exact:.2f} |")
    print(f"| float32 products, all ordered pairs | {f32:.2f} |")
    print(f"| int8 products, all ordered pairs | {i8:.2f} |")
    print(f"| exact search less half the float32 products | {exact - f32 / 2:.2f} |")
    print(f"\nfloat32 / int8 products: {f32 / i8:.2f}x")


if __name__ == "__main__":
    main()
