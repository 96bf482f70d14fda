"""The routes benchmark builds its kinds of class and prints a row each."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_routes
from smotekit._intrinsic import off_axis_ratio


@pytest.mark.parametrize("kind", bench_routes.KINDS)
def test_every_kind_is_a_float32_class_of_the_asked_shape(kind):
    X = bench_routes.make(kind, 3000, 12)
    assert X.shape == (3000, 12) and X.dtype == np.float32
    assert np.isfinite(X).all()
    np.testing.assert_array_equal(X, bench_routes.make(kind, 3000, 12))


def test_underlying_kinds_follow_as_many_directions_as_they_say():
    ratios = [off_axis_ratio(bench_routes.make(f"{m} underlying", 5000, 20))
              for m in (3, 6)]  # fmt: skip
    assert ratios[0] > ratios[1] > 2  # 20 columns along 3, then 6 directions
    with pytest.raises(ValueError, match="unknown kind"):
        bench_routes.make("spiral", 10, 2)


def test_main_prints_a_row_per_class_with_the_route_auto_took(capsys):
    bench_routes.main(
        ["--rows", "2000", "--features", "9", "--repeats", "1",
         "--kinds", "200 clusters,Gaussian"]
    )  # fmt: skip
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("| ")]
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows[1:]]
    assert [c[:3] for c in cells] == [["200 clusters", "2000", "9"],
                                      ["Gaussian", "2000", "9"]]  # fmt: skip
    for c in cells:
        assert c[3] in ("kd_tree", "brute")
        times = [float(v.rstrip("*")) for v in (c[4], c[5], c[6], c[8])]
        assert all(t > 0 for t in times)
        # auto against the faster route, from the unrounded medians: within
        # what the printed times' rounding (to 0.0005 s) allows
        auto, faster, half = times[0], min(times[1], times[2]), 0.0005
        low = (auto - half) / (faster + half) - 0.005
        high = (auto + half) / max(faster - half, 1e-9) + 0.005
        assert low <= float(c[7]) <= high
        # the decision, within auto's time (printed to 0.0005 s)
        assert 0 <= float(c[10]) <= 1e3 * (times[0] + 0.0005)
