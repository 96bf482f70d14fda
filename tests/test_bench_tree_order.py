"""The tree-order benchmark times both orders on the same classes and
restores the package's threshold."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_tree_order
from smotekit import _kdtree


def test_cases_expand_to_every_size_and_width():
    cases = list(bench_tree_order.parse_cases("Gaussian:10,20:2,3;count column:5:9"))
    assert cases == [("Gaussian", 10, 2), ("Gaussian", 10, 3), ("Gaussian", 20, 2),
                     ("Gaussian", 20, 3), ("count column", 5, 9)]  # fmt: skip
    full = list(bench_tree_order.parse_cases(bench_tree_order.FULL))
    assert set(bench_tree_order.parse_cases(bench_tree_order.CASES)) < set(full)


def test_the_given_order_search_builds_an_unordered_tree(monkeypatch):
    built = []
    real = _kdtree.OrderedTree.__init__

    def spy(self, points):
        real(self, points)
        built.append(self.order is not None)

    monkeypatch.setattr(_kdtree.OrderedTree, "__init__", spy)
    threshold = _kdtree.ORDER_MIN_ROWS
    X = bench_tree_order.make("Gaussian", threshold, 2)
    given = bench_tree_order.tree_search(False)(X)
    spatial = bench_tree_order.tree_search(True)(X)
    assert built == [False, True]
    assert _kdtree.ORDER_MIN_ROWS == threshold  # restored
    assert (given == spatial).all() and given.shape == (threshold, 5)


def test_main_prints_a_row_per_case_with_the_ratio(capsys):
    n = _kdtree.ORDER_MIN_ROWS
    bench_tree_order.main(["--cases", f"Gaussian:{n}:2,3", "--repeats", "1",
                           "--no-sklearn"])  # fmt: skip
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("| ")]
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows[1:]]
    assert [c[:3] for c in cells] == [["Gaussian", str(n), "2"],
                                      ["Gaussian", str(n), "3"]]  # fmt: skip
    for c in cells:
        spatial, given, ratio = float(c[3]), float(c[4]), float(c[5])
        assert spatial > 0 and given > 0
        # printed to 0.0005 s, the ratio to 0.005
        assert (given - 5e-4) / (spatial + 5e-4) - 0.005 <= ratio
        assert ratio <= (given + 5e-4) / max(spatial - 5e-4, 1e-9) + 0.005
        assert c[6:] == ["-", "-"]
