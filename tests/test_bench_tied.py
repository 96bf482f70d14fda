"""The tied-tables benchmark runs both libraries and prints a row a case."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_tied


def test_the_tables_tie_as_described():
    X, y = bench_tied.tied_table(1000, "one-hot")
    assert X.shape == (1000, 40) and set(np.unique(X)) == {0.0, 1.0}
    assert (X.sum(axis=1) == 8).all() and 100 < y.sum() < 300
    mixed, _ = bench_tied.tied_table(1000, "mixed")
    off = (mixed != np.rint(mixed)).any(axis=1)
    assert 400 < off.sum() < 600
    np.testing.assert_array_equal(mixed[~off], X[~off])


def test_main_prints_both_libraries_for_every_case(capsys):
    bench_tied.main(["--rows", "600", "--repeats", "1"])
    rows = [line for line in capsys.readouterr().out.splitlines() if line[2:4] in
            ("to", "en")]  # fmt: skip
    assert [r.split(" | ")[:3] for r in rows] == [
        ["| tomek", "one-hot", "600"],
        ["| enn", "one-hot", "600"],
        ["| tomek", "mixed", "600"],
        ["| enn", "mixed", "600"],
    ]
    for row in rows:
        cells = [float(c) for c in row.strip("| ").split(" | ")[3:]]
        assert len(cells) == 5 and all(c > 0 for c in cells)
