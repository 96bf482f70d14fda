"""``smotekit resample`` options and table rules in detail."""

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "x": rng.normal(size=40).round(3),
        "label": [0] * 30 + [1] * 10,
    })  # fmt: skip


def _resample(capsys, source, output, *extra):
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    code = main([*argv, *map(str, extra)])
    out, err = capsys.readouterr()
    return code, out, err


def _csv(frame, tmp_path, name="in.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_a_count_key_does_not_match_a_bool_label_by_value(capsys, frame, tmp_path):
    # "1" is not the label True, though True == 1 in Python
    source = _csv(frame.assign(label=frame["label"] == 0), tmp_path)
    output = tmp_path / "out.csv"
    code, _, err = _resample(capsys, source, output, "--sampling-strategy", '{"1": 40}')
    assert code == 2
    assert "names class(es) '1' that are not in the target column" in err
    assert not output.exists()


def test_two_count_keys_of_one_label_are_refused(capsys, frame, tmp_path):
    source = _csv(frame, tmp_path)
    output = tmp_path / "out.csv"
    strategy = '{"1": 40, "1.0": 35}'
    code, _, err = _resample(capsys, source, output, "--sampling-strategy", strategy)
    assert code == 2
    assert "names the class 1 twice (as '1' and '1.0')" in err
    assert not output.exists()


def test_a_strategy_name_with_spaces_around_it_is_understood(capsys, frame, tmp_path):
    source = _csv(frame, tmp_path)
    output = tmp_path / "out.csv"
    code, _, err = _resample(
        capsys, source, output, "--sampling-strategy", "  not majority ", "-q"
    )
    assert (code, err) == (0, "")
    assert len(pd.read_csv(output)) == 60


def test_the_target_named_by_categorical_is_refused_as_such(capsys, frame, tmp_path):
    source = _csv(frame, tmp_path)
    args = ["--method", "smotenc", "--categorical", "label"]
    code, _, err = _resample(capsys, source, tmp_path / "out.csv", *args)
    assert code == 2
    assert "--categorical 'label' is the --target column" in err


def test_categorical_naming_two_columns_is_refused(capsys, frame, tmp_path):
    source = tmp_path / "in.csv"
    frame.assign(a=1, b=2).rename(columns={"a": "code", "b": "code"}).to_csv(
        source, index=False
    )
    args = ["--method", "smotenc", "--categorical", "code"]
    code, _, err = _resample(capsys, source, tmp_path / "out.csv", *args)
    assert code == 2
    assert "--categorical 'code' names 2 columns of the header" in err


def test_memory_budget_is_refused_by_the_pandas_engine(capsys, frame, tmp_path):
    source = _csv(frame, tmp_path)
    output = tmp_path / "out.csv"
    code, _, err = _resample(capsys, source, output, "--memory-budget", "1MiB")
    assert code == 2
    assert "--memory-budget applies only to --engine dask" in err
    assert not output.exists()


def test_parquet_with_a_stored_index_to_csv_writes_the_index_first(
    capsys, frame, tmp_path
):
    pytest.importorskip("pyarrow")
    source, output = tmp_path / "in.parquet", tmp_path / "out.csv"
    frame.set_axis(pd.RangeIndex(100, 140, name="id")).to_parquet(source)
    code, _, err = _resample(capsys, source, output, "--random-state", 0, "-q")
    assert (code, err) == (0, "")
    written = pd.read_csv(output)
    assert list(written.columns) == ["id", "x", "label"]
    assert written["id"].tolist()[:40] == list(range(100, 140))
    assert written[["x", "label"]].iloc[:40].equals(frame)


def test_a_stored_index_named_as_a_column_is_refused(capsys, frame, tmp_path):
    pytest.importorskip("pyarrow")
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame.set_axis(pd.RangeIndex(100, 140, name="x")).to_parquet(source)
    code, _, err = _resample(capsys, source, output)
    assert code == 2
    assert "the input's stored index 'x' has the name of a column" in err
    assert not output.exists()


def test_a_category_without_rows_is_no_class_of_the_counts(capsys, frame, tmp_path):
    pytest.importorskip("pyarrow")
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    labels = pd.Categorical(frame["label"].map({0: "a", 1: "b"}), ["a", "b", "c"])
    frame.assign(label=labels).to_parquet(source)
    code, out, _ = _resample(capsys, source, output, "--random-state", 0)
    assert code == 0
    lines = out.splitlines()
    assert lines[:-1] == [
        "class  before  after",
        "a          30     30",
        "b          10     30",
    ]
    assert lines[-1].startswith("wrote 60 rows (40 original + 20 synthetic)")
