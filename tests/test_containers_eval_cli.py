"""compare_strategies and the command line with the containers the samplers
take: polars, nullable and pyarrow columns, object columns of numbers, any
sparse format, stored Parquet indexes, categorical labels, SMOTENC's errors."""

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import make_classification

from smotekit.cli import main
from smotekit.evaluation import compare_strategies


def _data(n=80):
    X, y = make_classification(
        n_samples=n,
        n_features=3,
        n_informative=2,
        n_redundant=0,
        weights=[0.8],
        random_state=0,
    )
    return pd.DataFrame(X, columns=["a", "b", "c"]), y


def _resample(source, output, *extra):
    """Run ``smotekit resample`` on ``source`` with label column "label"."""
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    return _run([*argv, *extra, "-q"])


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("dtype", ["Float64", "float64[pyarrow]"])
def test_compare_missing_value_in_nullable_frame_gets_clear_error(dtype):
    X, y = _data()
    X = X.astype(dtype)
    X.iloc[3, 1] = pd.NA
    with pytest.raises(ValueError, match="missing"):
        compare_strategies(X, y, strategies="none,smote", cv=2, n_repeats=1)


def test_cli_evaluate_parquet_with_null_in_int_column_clear_error(tmp_path):
    pytest.importorskip("pyarrow")
    X, y = _data()
    frame = X.assign(n=pd.array([1, None] + [2] * 78, dtype="Int64"), label=y)
    data = tmp_path / "data.parquet"
    frame.to_parquet(data)
    code, _, err = _run(
        [
            "evaluate",
            str(data),
            "--target",
            "label",
            "-o",
            str(tmp_path / "r.html"),
            "--cv",
            "2",
            "--repeats",
            "1",
            "--strategies",
            "none,smote",
            "-q",
        ]
    )
    assert code == 2
    assert "missing" in err and "NAType" not in err


def test_compare_sparse_input_with_default_model():
    X, y = _data()
    Xs = sparse.csr_matrix(X.to_numpy())  # a sparse pandas frame fails too
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare_strategies(
            Xs, y, strategies="none,smote", cv=2, n_repeats=1, random_state=0
        )
    assert list(result.table.index) == ["none", "smote"]


def test_compare_object_columns_holding_numbers():
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare_strategies(
            X.astype(object),
            y,
            strategies="none,smote",
            cv=2,
            n_repeats=1,
            random_state=0,
        )
    assert list(result.table.index) == ["none", "smote"]


def test_compare_polars_lazyframe_clear_error():
    pl = pytest.importorskip("polars")
    X, y = _data()
    with pytest.raises((TypeError, ValueError), match="collect"):
        compare_strategies(
            pl.from_pandas(X).lazy(), y, strategies="none", cv=2, n_repeats=1
        )


@pytest.mark.parametrize("method", ["smote", "random"])
def test_cli_resample_parquet_keeps_stored_index_column(tmp_path, method):
    pytest.importorskip("pyarrow")
    X, y = _data(40)
    frame = X.assign(label=y)
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))], name="id")
    data = tmp_path / "data.parquet"
    frame.to_parquet(data)
    out = tmp_path / "out.parquet"
    code, _, err = _resample(data, out, "--method", method, "--random-state", "0")
    assert code == 0, err
    result = pd.read_parquet(out)
    assert result.columns[0] == "id"  # the stored index, first, as a column
    assert result["id"].iloc[:40].tolist() == frame.index.tolist()
    assert result["id"].iloc[40:].str.startswith("synthetic_").all()


def test_compare_refuses_repeated_column_names_clearly():
    X, y = _data()
    X.columns = ["a", "a", "c"]
    with pytest.raises(ValueError, match=r"X has repeated column names \('a'\)"):
        compare_strategies(X, y, strategies="none,smote", cv=2, n_repeats=1)


def test_cli_resample_smotenc_list_column_clear_error(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    X, y = _data(40)
    table = pa.table({"x": X["a"], "l": pa.array([[1, 2]] * 40), "label": y})
    data = tmp_path / "data.parquet"
    pq.write_table(table, data)
    out = tmp_path / "out.parquet"
    code, _, err = _resample(data, out, "--method", "smotenc")
    assert code == 2
    assert err.startswith("smotekit: error:")
    assert "'l'" in err, err
    assert not out.exists()


def test_cli_resample_counts_do_not_list_unused_categories(tmp_path):
    pytest.importorskip("pyarrow")
    from smotekit.cli.resample import resample_file

    X, _ = _data(40)
    frame = X.assign(
        label=pd.Categorical(["p"] * 8 + ["q"] * 32, categories=["p", "q", "zzz"])
    )
    data = tmp_path / "data.parquet"
    frame.to_parquet(data)
    result = resample_file(data, tmp_path / "out.parquet", "label", random_state=0)
    assert "zzz" not in result.counts_before
    assert "zzz" not in result.counts_after


def test_compare_polars_text_column_error_names_the_column():
    pl = pytest.importorskip("polars")
    X, y = _data()
    Xp = pl.from_pandas(X).with_columns(pl.lit("Paris").alias("city"))
    with pytest.raises(ValueError, match="city"):
        compare_strategies(Xp, y, strategies="none", cv=2, n_repeats=1)


@pytest.mark.parametrize(
    "extra, hint",
    [
        ({}, "--method smote"),  # no text/category column: numbers only
        ({"a": "t", "b": "t", "c": "t"}, "--method random"),  # text only
    ],
)
def test_cli_resample_smotenc_errors_point_to_command_options(tmp_path, extra, hint):
    X, y = _data(40)
    frame = X.assign(label=y)
    for column in extra:
        frame[column] = np.where(frame[column] > 0, "hi", "lo")
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    code, _, err = _resample(data, tmp_path / "o.csv", "--method", "smotenc")
    assert code == 2 and err.startswith("smotekit: error:")
    assert hint in err, err


@pytest.mark.parametrize("fmt", ["coo", "dia"])
def test_compare_non_indexable_sparse_formats(fmt):
    from sklearn.linear_model import LogisticRegression

    X, y = _data()
    Xs = sparse.csr_matrix(X.clip(lower=0).to_numpy()).asformat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare_strategies(
            Xs,
            y,
            model=LogisticRegression(),
            strategies="none,smote",
            cv=2,
            n_repeats=1,
            random_state=0,
        )
    assert list(result.table.index) == ["none", "smote"]


def test_cli_resample_conflicting_dict_keys_for_one_class_are_refused(tmp_path):
    frame = pd.DataFrame(
        {
            "a": np.random.default_rng(0).normal(size=60),
            "label": [2] * 10 + [1] * 15 + [0] * 35,
        }
    )
    data = tmp_path / "three.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "out.csv"
    code, _, err = _resample(data, out, "--sampling-strategy", '{"1": 35, "1.0": 30}')
    assert code == 2
    assert err.startswith("smotekit: error:")
    assert not out.exists()
