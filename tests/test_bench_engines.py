"""The engines benchmark's own checks: self-exclusion, the brute-force
comparison, shape selection, and the report's choice of the fastest."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_engines as be


def test_drop_self_removes_the_row_or_else_the_last_column():
    ind = np.array([[0, 3, 4], [2, 1, 0], [3, 0, 1]])  # row 2 lost itself
    np.testing.assert_array_equal(be._drop_self(ind), [[3, 4], [2, 0], [3, 0]])


def _line(n):
    return np.arange(n, dtype=np.float64)[:, None] ** 1.5  # distinct gaps


def test_exact_lists_are_right_and_farther_points_are_wrong():
    X = _line(60)
    rows = np.arange(60)
    reference = be.reference_distances(X, rows)
    sq = (X - X.T) ** 2
    np.fill_diagonal(sq, np.inf)
    exact = np.argsort(sq, axis=1, kind="stable")[:, : be.K]
    assert be.wrong_rows(X, exact, rows, reference) == 0
    wrong = exact.copy()
    wrong[7, -1] = np.argsort(sq[7])[be.K + 3]  # a farther point
    wrong[9, 0] = 9  # the row itself
    wrong[11, 2] = -1  # nothing found
    assert be.wrong_rows(X, wrong, rows, reference) == 3


def test_another_point_at_the_same_distance_is_right():
    X = np.array([[0.0], [1.0], [-1.0], [2.0], [-2.0], [3.0], [-3.0], [10.0]])
    rows = np.array([0])
    reference = be.reference_distances(X, rows)
    # the 5 nearest of row 0 (at 0): rows 1-4 (at ±1, ±2), then row 5 or 6
    # (at 3 and -3, tied)
    assert be.wrong_rows(X, np.array([[1, 2, 3, 4, 6]]), rows, reference) == 0
    assert be.wrong_rows(X, np.array([[2, 1, 4, 3, 5]]), rows, reference) == 0
    assert be.wrong_rows(X, np.array([[1, 2, 3, 4, 7]]), rows, reference) == 1


def test_only_selects_shapes_and_refuses_unknown_keys():
    shape = be.Shape(100_000, 50, "float32")
    assert be.matches(shape, "rows=100k,d=50")
    assert be.matches(shape, "dtype=float32")
    assert not be.matches(shape, "rows=10k")
    assert not be.matches(shape, "d=50,dtype=float64")
    with pytest.raises(SystemExit, match="unknown key 'n'; use rows, d or dtype"):
        be.matches(shape, "n=100k")


def test_pykdtree_and_the_kd_route_only_where_they_apply():
    assert be.applies("pykdtree", be.Shape(10_000, 127, "float32"))
    assert not be.applies("pykdtree", be.Shape(10_000, 200, "float32"))
    assert be.applies("smotekit kd_tree", be.Shape(10_000, 8, "float64"))
    assert not be.applies("smotekit kd_tree", be.Shape(10_000, 10, "float64"))


def test_the_fastest_in_bold_is_the_fastest_right_engine():
    shape = {"rows": 10_000, "d": 10, "dtype": "float32"}

    def run(engine, median, wrong=0):
        return {"engine": engine, "shape": shape, "median_s": median,
                "times": [median], "wrong": wrong, "chosen": "brute"}  # fmt: skip

    results = [
        run("sklearn brute", 0.1),
        run("faiss flat", 0.01, wrong=2),  # fastest, but wrong: not bold
        run("smotekit", 0.03),
        {"engine": "pykdtree", "shape": shape, "error": "> 240 s"},
    ]
    table = be.markdown(results).splitlines()
    assert table[0] == (
        "| class | sklearn brute | faiss flat | smotekit | pykdtree "
        "| smotekit chose | fastest |"
    )
    assert table[2] == (
        "| 10k × 10, float32 | 0.100 | 0.010 (2 wrong) | **0.030** | > 240 s "
        "| brute | smotekit |"
    )
