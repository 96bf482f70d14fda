"""``smotekit resample``: file in, file out, counts, formats, atomic writes, errors."""

import csv
import json
import os
import stat
import sys

import numpy as np
import pandas as pd
import pytest
from cli_run import run

from smotekit import SMOTENC
from smotekit.cli import _io, main
from smotekit.cli.resample import resample_file

N_MAJORITY, N_MINORITY = 60, 12


@pytest.fixture
def frame():
    """A seeded imbalanced table; the target sits between the features."""
    rng = np.random.default_rng(0)
    n = N_MAJORITY + N_MINORITY
    labels = np.array([0] * N_MAJORITY + [1] * N_MINORITY)
    rng.shuffle(labels)
    return pd.DataFrame(
        {
            "count": rng.integers(0, 100, n),
            "label": labels,
            "score": rng.normal(size=n).round(3),
        }
    )


@pytest.fixture
def csv_path(frame, tmp_path):
    path = tmp_path / "train.csv"
    frame.to_csv(path, index=False)
    return path


def resample_args(source, output, *extra):
    return ["resample", source, "-o", output, "--target", "label", *extra]


def leftovers(folder):
    """Files in ``folder`` other than the ones the test created on purpose."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_originals_first(original, resampled):
    head = resampled.iloc[: len(original)].reset_index(drop=True)
    pd.testing.assert_frame_equal(head, original)


def test_smote_csv_balances_and_keeps_originals_first(capsys, frame, csv_path):
    output = csv_path.with_name("out.csv")
    code, out, err = run(capsys, *resample_args(csv_path, output, "--random-state", 0))
    assert (code, err) == (0, "")
    result = pd.read_csv(output)
    assert len(result) == len(frame) + (N_MAJORITY - N_MINORITY)
    assert list(result.columns) == list(frame.columns)
    assert_originals_first(frame, result)
    assert result["label"].value_counts().to_dict() == {0: 60, 1: 60}
    assert result["count"].dtype == np.int64
    lines = out.splitlines()
    assert lines[0].split() == ["class", "before", "after"]
    assert lines[1].split() == ["0", "60", "60"]
    assert lines[2].split() == ["1", "12", "60"]
    assert "48 synthetic" in out and str(output) in out
    assert leftovers(csv_path.parent) == []


def test_random_method_copies_minority_rows(capsys, frame, csv_path):
    output = csv_path.with_name("out.csv")
    code, _, _ = run(capsys, *resample_args(csv_path, output, "--method", "random"))
    assert code == 0
    result = pd.read_csv(output)
    synthetic = result.iloc[len(frame) :]
    minority = frame[frame["label"] == 1]
    assert len(synthetic) == N_MAJORITY - N_MINORITY
    assert (
        synthetic.merge(minority, how="left", indicator=True)["_merge"].eq("both").all()
    )


@pytest.mark.parametrize(
    ("strategy", "expected_minority"),
    [
        ("0.5", 30),
        ("minority", 60),
        ('{"1": 40}', 40),
    ],
)
def test_sampling_strategy_forms(capsys, csv_path, strategy, expected_minority):
    output = csv_path.with_name("out.csv")
    argv = resample_args(csv_path, output, "--sampling-strategy", strategy)
    code, _, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    counts = pd.read_csv(output)["label"].value_counts().to_dict()
    assert counts == {0: N_MAJORITY, 1: expected_minority}


@pytest.mark.parametrize(
    ("labels", "key", "minority"),
    [
        (["ok", "fraud"], "fraud", "fraud"),
        ([0.0, 1.0], "1", 1.0),
        ([10, 20], "20", 20),
    ],
)
def test_dict_strategy_keys_match_label_type(
    capsys, frame, tmp_path, labels, key, minority
):
    frame["label"] = np.where(frame["label"] == 1, labels[1], labels[0])
    source = tmp_path / "labels.csv"
    frame.to_csv(source, index=False)
    output = tmp_path / "out.csv"
    strategy = json.dumps({key: 30})
    code, _, err = run(
        capsys, *resample_args(source, output, "--sampling-strategy", strategy)
    )
    assert (code, err) == (0, "")
    counts = pd.read_csv(output)["label"].value_counts().to_dict()
    assert counts[minority] == 30


def test_parquet_round_trip_keeps_dtypes(capsys, frame, tmp_path):
    source = tmp_path / "train.parquet"
    frame.to_parquet(source, index=False)
    output = tmp_path / "out.pq"
    code, _, _ = run(capsys, *resample_args(source, output, "--random-state", 1))
    assert code == 0
    assert output.read_bytes()[:4] == b"PAR1"
    result = pd.read_parquet(output)
    assert result.dtypes.to_dict() == frame.dtypes.to_dict()
    assert_originals_first(frame, result)
    assert result["label"].value_counts().to_dict() == {0: 60, 1: 60}


def test_parquet_without_pandas_metadata_keeps_its_arrow_types(capsys, tmp_path):
    # as pyarrow, polars or Spark write it: an int32 and a bool column with a
    # null, a decimal128(10, 2), a dictionary of int32 indices and a string
    # column come back in their own types (pandas would read the first two
    # as double and object, and infer narrower or wider types on writing)
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import decimal

    rng = np.random.default_rng(3)
    n = 60
    labels = [0] * 45 + [1] * 15
    table = pa.table({
        "x": pa.array(rng.normal(size=n)),
        "count": pa.array([None, *rng.integers(0, 100, n - 1).tolist()], pa.int32()),
        "flag": pa.array([None] + [bool(v) for v in rng.integers(0, 2, n - 1)]),
        "price": pa.array([decimal.Decimal(int(v)).scaleb(-2)
                           for v in rng.integers(0, 900, n)], pa.decimal128(10, 2)),
        "city": pa.array(rng.choice(["a", "b"], n)).dictionary_encode(),
        "name": pa.array(rng.choice(["u", "v"], n), pa.string()),
        "label": pa.array(labels, pa.int64()),
    })  # fmt: skip
    for method in ("random", "smotenc"):
        source = tmp_path / f"in-{method}.parquet"
        output = tmp_path / f"out-{method}.parquet"
        if method == "smotenc":  # SMOTENC refuses the nulls: drop that row
            table = table.slice(1)
        pq.write_table(table, source)
        code, _, err = run(capsys, *resample_args(source, output, "--method", method,
                                                  "--random-state", 0))  # fmt: skip
        assert code == 0, err
        result = pq.read_table(output)
        for field in table.schema:
            assert result.schema.field(field.name).type == field.type, field.name
        assert (
            result.slice(0, table.num_rows)
            .select(table.schema.names)
            .equals(table.select(table.schema.names))
        )
        assert result.num_rows == 2 * table.column("label").to_pylist().count(0)


def test_csv_to_parquet_follows_output_extension(capsys, frame, csv_path):
    output = csv_path.with_name("out.parquet")
    code, _, _ = run(capsys, *resample_args(csv_path, output))
    assert code == 0
    assert output.read_bytes()[:4] == b"PAR1"
    assert len(pd.read_parquet(output)) == 2 * N_MAJORITY


def test_same_seed_same_file(capsys, csv_path):
    outputs = [csv_path.with_name(f"out{i}.csv") for i in range(2)]
    for output in outputs:
        run(capsys, *resample_args(csv_path, output, "--random-state", 7))
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_n_jobs_reaches_smote_and_leaves_the_file_unchanged(
    capsys, monkeypatch, csv_path
):
    import smotekit

    seen = []
    fit_resample = smotekit.SMOTE.fit_resample

    def spy(self, X, y):
        seen.append(self.n_jobs)
        return fit_resample(self, X, y)

    monkeypatch.setattr(smotekit.SMOTE, "fit_resample", spy)
    outputs = []
    for n_jobs in ("1", "-1"):
        output = csv_path.with_name(f"out{n_jobs}.csv")
        argv = resample_args(csv_path, output, "--random-state", 3, "--n-jobs", n_jobs)
        assert run(capsys, *argv)[0] == 0
        outputs.append(output.read_bytes())
    assert seen == [1, -1]
    assert outputs[0] == outputs[1]


def test_quiet_prints_nothing(capsys, csv_path):
    output = csv_path.with_name("out.csv")
    assert run(capsys, *resample_args(csv_path, output, "--quiet")) == (0, "", "")
    assert output.exists()


def test_resample_file_returns_counts(csv_path):
    output = csv_path.with_name("out.csv")
    result = resample_file(
        csv_path, output, "label", sampling_strategy={"1": 20}, random_state=0
    )
    assert result.counts_before == {0: N_MAJORITY, 1: N_MINORITY}
    assert result.counts_after == {0: N_MAJORITY, 1: 20}
    assert result.n_synthetic == 8
    assert len(pd.read_csv(output)) == result.n_output == N_MAJORITY + 20


ERROR_CASES = {
    "missing input": (["resample", "{dir}/nope.csv", "-o", "{out}"], ["nope.csv"]),
    "input extension": (["resample", "{dir}/train.txt", "-o", "{out}"], [".txt"]),
    "output extension": (
        ["resample", "{src}", "-o", "{dir}/out.xlsx"],
        [".xlsx", ".csv", ".parquet"],
    ),
    "missing target": (
        ["resample", "{src}", "-o", "{out}", "--target", "y"],
        ["'y'", "count", "label", "score"],
    ),
    "text feature": (["resample", "{dir}/text.csv", "-o", "{out}"], ["'city'"]),
    "too few samples": (
        ["resample", "{src}", "-o", "{out}", "--k-neighbors", "12"],
        ["--k-neighbors 12", "--method random"],
    ),
    "overwrite input": (["resample", "{src}", "-o", "{src}"], ["overwrite"]),
    "unknown class": (
        ["resample", "{src}", "-o", "{out}", "--sampling-strategy", '{{"7": 90}}'],
        ["'7'"],
    ),
    "ratio too low": (
        ["resample", "{src}", "-o", "{out}", "--sampling-strategy", "0.1"],
        ["ratio", "0.1"],
    ),
    "k with random": (
        [
            *("resample", "{src}", "-o", "{out}"),
            *("--method", "random", "--k-neighbors", "3"),
        ],
        ["--k-neighbors"],
    ),
    "n_jobs with random": (
        [
            *("resample", "{src}", "-o", "{out}"),
            *("--method", "random", "--n-jobs", "2"),
        ],
        ["--n-jobs", "random"],
    ),
    "missing output folder": (
        ["resample", "{src}", "-o", "{dir}/nowhere/out.csv"],
        ["nowhere"],
    ),
    "one class": (
        ["resample", "{dir}/one.csv", "-o", "{out}"],
        ["target column 'label' holds a single class (0)", "--target"],
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_user_errors_exit_2_with_one_line(capsys, frame, csv_path, case):
    folder = csv_path.parent
    (folder / "train.txt").write_text("a,b\n1,2\n")
    frame.assign(city=["a", "b", "c"] * 24).to_csv(folder / "text.csv", index=False)
    frame.assign(label=0).to_csv(folder / "one.csv", index=False)
    argv, words = ERROR_CASES[case]
    fill = {"dir": folder, "src": csv_path, "out": folder / "out.csv"}
    argv = [a.format(**fill) for a in argv]
    if "--target" not in argv:
        argv += ["--target", "label"]
    before = csv_path.read_bytes()
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("smotekit: error: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err
    assert not (folder / "out.csv").exists()
    assert csv_path.read_bytes() == before
    assert leftovers(folder) == []


def test_non_numeric_message_points_to_a_fix(capsys, frame, tmp_path):
    source = tmp_path / "text.csv"
    frame.assign(city="x").to_csv(source, index=False)
    _, _, err = run(capsys, *resample_args(source, tmp_path / "out.csv"))
    assert "'city'" in err and "--method smotenc, or --method random" in err


def test_smotenc_method_votes_the_text_columns(capsys, frame, tmp_path):
    source, output = tmp_path / "mixed.csv", tmp_path / "out.csv"
    cities = np.array(["Oslo", "Lima", "Pune"])[frame["count"].to_numpy() % 3]
    mixed = frame.assign(city=cities)
    mixed.to_csv(source, index=False)
    argv = resample_args(source, output, "--method", "smotenc", "--random-state", "0")

    code, out, _ = run(capsys, *argv, "--k-neighbors", "3")

    assert code == 0 and "48 synthetic" in out
    result = pd.read_csv(output)
    assert_originals_first(pd.read_csv(source), result)
    assert result["label"].value_counts().to_dict() == {0: N_MAJORITY, 1: N_MAJORITY}
    assert set(result["city"]) <= set(cities)
    expected = SMOTENC(
        categorical_features="auto", k_neighbors=3, random_state=0
    ).fit_resample(mixed.drop(columns="label"), mixed["label"])[0]
    pd.testing.assert_frame_equal(
        result.drop(columns="label"), expected.reset_index(drop=True), check_dtype=False
    )


def test_smotenc_method_is_refused_by_the_dask_engine(capsys, frame, tmp_path):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "train.parquet"
    frame.to_parquet(source)
    argv = resample_args(source, tmp_path / "out", "--method", "smotenc")
    code, _, err = run(capsys, *argv, "--engine", "dask")
    assert code == 2
    assert "--method smotenc is not available with --engine dask" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["resample", "in.csv", "--target", "label"],
        ["resample", "in.csv", "-o", "out.csv", "--target", "label", "--method", "x"],
        ["resample", "in.csv", "-o", "o.csv", "--target", "y", "--k-neighbors", "0"],
        ["resample", "in.csv", "-o", "o.csv", "--target", "y", "--n-jobs", "0"],
        ["resample", "in.csv", "-o", "o.csv", "--target", "y", "--n-jobs", "all"],
        [
            *("resample", "in.csv", "-o", "o.csv", "--target", "y"),
            *("--sampling-strategy", "most"),
        ],
        ["frobnicate"],
        [],
    ],
)
def test_bad_usage_exits_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "error:" in err and "Traceback" not in err


def test_bad_strategy_text_is_explained(capsys):
    argv = ["resample", "i.csv", "-o", "o.csv", "--target", "y"]
    _, _, err = run(capsys, *argv, "--sampling-strategy", "{1: 5}")
    assert "--sampling-strategy" in err and "JSON" in err


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("2.0", "'2.0' is a ratio outside (0, 1]"),
        ("0", "'0' is a ratio outside (0, 1]"),
        ("-0.5", "'-0.5' is a ratio outside (0, 1]"),
        ("nan", "'nan' is a ratio outside (0, 1]"),
        ("{}", "'{}' names no class, so nothing would be resampled"),
        (" { } ", "' { } ' names no class"),
    ],
)
def test_strategies_that_cannot_mean_anything_are_refused(capsys, strategy, expected):
    # before any file is read: a ratio above 1 or an empty object would
    # fail in the sampler's own terms, or silently write a copy
    argv = ["resample", "missing.csv", "-o", "o.csv", "--target", "y"]
    code, out, err = run(capsys, *argv, "--sampling-strategy", strategy)
    assert code == 2 and out == ""
    assert f"argument --sampling-strategy: the sampling strategy {expected}" in err


def _failing_writer(frame, path):
    with open(path, "w") as handle:
        handle.write("count,label,sc")
    raise OSError("No space left on device")


def test_failure_while_writing_leaves_no_output(capsys, monkeypatch, csv_path):
    monkeypatch.setitem(_io._WRITERS, "csv", _failing_writer)
    output = csv_path.with_name("out.csv")
    code, _, err = run(capsys, *resample_args(csv_path, output))
    assert code == 2
    assert "No space left on device" in err
    assert sorted(os.listdir(csv_path.parent)) == ["train.csv"]


@pytest.mark.parametrize("writer_fails", [True, False])
def test_failure_keeps_existing_output(capsys, monkeypatch, csv_path, writer_fails):
    output = csv_path.with_name("out.csv")
    output.write_text("previous result\n")
    argv = resample_args(csv_path, output)
    if writer_fails:
        monkeypatch.setitem(_io._WRITERS, "csv", _failing_writer)
    else:
        argv += ["--k-neighbors", "50"]
    code, _, _ = run(capsys, *argv)
    assert code == 2
    assert output.read_text() == "previous result\n"
    assert leftovers(csv_path.parent) == []


def test_interrupt_while_writing_removes_temp_file(monkeypatch, csv_path):
    def interrupted(frame, path):
        path.write_text("partial")
        raise KeyboardInterrupt

    monkeypatch.setitem(_io._WRITERS, "csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _io.write_table(pd.DataFrame({"a": [1]}), csv_path.with_name("out.csv"))
    assert sorted(os.listdir(csv_path.parent)) == ["train.csv"]


def test_missing_pyarrow_names_the_extra(capsys, monkeypatch, csv_path):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    output = csv_path.with_name("out.parquet")
    code, _, err = run(capsys, *resample_args(csv_path, output))
    assert code == 2
    assert 'pip install "smotekit[parquet]"' in err
    assert not output.exists()


@pytest.mark.parametrize("method", ["smote", "smotenc"])
def test_non_numeric_column_advice_fits_the_method(capsys, tmp_path, method):
    # --method smotenc already takes text columns as categorical: the advice
    # for a date column must be something else than that method, and not a
    # library parameter the command line does not have
    rng = np.random.default_rng(4)
    n = 60
    frame = pd.DataFrame({
        "x": rng.normal(size=n),
        "city": rng.choice(list("abc"), n),
        "day": pd.date_range("2020-01-01", periods=n),
        "label": [0] * 45 + [1] * 15,
    })  # fmt: skip
    if method == "smote":
        frame = frame.drop(columns=["city"])
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame.to_parquet(source, index=False)
    code, _, err = run(capsys, *resample_args(source, output, "--method", method))
    assert code == 2
    assert "'day'" in err
    assert not output.exists()
    # neither method takes a date column as it is: smote's advice was
    # "--method smotenc", which refused the same column in turn
    assert "categorical_features" not in err
    assert (
        "'day' (datetime64[us]) hold dates, times or durations, which --method" in err
    )
    assert (
        "Store them as numbers (for example seconds since an epoch), or as text for "
        "--method smotenc to take them as categories, or drop them, or use --method "
        "random (copies rows)."
    ) in err


@pytest.mark.parametrize("method", ["smote", "smotenc"])
@pytest.mark.parametrize("kind", ["date32", "time64"])
def test_parquet_dates_and_times_read_as_objects_are_told_as_such(
    capsys, tmp_path, method, kind
):
    # pandas reads date32 / time64 columns as Python objects: they were
    # told as "(object) are not numeric", with advice for text columns
    import datetime

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    values = (
        [datetime.date(2020, 1, 1) + datetime.timedelta(days=i) for i in range(60)]
        if kind == "date32"
        else [datetime.time(1, i) for i in range(60)]
    )
    table = pa.table({
        "x": pa.array(np.arange(60) * 0.5),
        "when": pa.array(values),
        "label": pa.array([0] * 45 + [1] * 15),
    })  # fmt: skip
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(table, source)
    code, _, err = run(capsys, *resample_args(source, output, "--method", method))
    shown = "date" if kind == "date32" else "time"
    assert code == 2 and not output.exists()
    assert err.startswith(
        f"smotekit: error: column(s) 'when' ({shown} objects) hold dates, times or "
        f"durations, which --method {method} cannot interpolate."
    )
    code, _, _ = run(capsys, *resample_args(source, output, "--method", "random"))
    assert code == 0 and pq.read_table(output).schema.types == table.schema.types


@pytest.mark.parametrize("command", ["resample", "evaluate"])
def test_a_label_column_of_parquet_dates_is_told_to_be_stored_as_text(
    capsys, tmp_path, command
):
    # it got the library's "Unknown label type ... y.astype(int)" advice
    import datetime

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    days = [datetime.date(2020, 1, 1)] * 45 + [datetime.date(2020, 1, 2)] * 15
    table = pa.table({"x": pa.array(np.arange(60) * 0.5), "label": pa.array(days)})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    output = tmp_path / ("out.parquet" if command == "resample" else "report.html")
    argv = [command, source, "-o", output, "--target", "label"]
    code, _, err = run(capsys, *argv)
    assert code == 2 and not output.exists()
    assert err == (
        "smotekit: error: target column 'label' holds date objects (as Parquet "
        "date or time columns are read), which are not class labels here. Store "
        "the labels as text or whole numbers.\n"
    )


@pytest.mark.parametrize("form", ["folder", "glob"])
def test_a_folder_or_glob_given_to_the_pandas_engine_points_to_dask(
    capsys, tmp_path, form
):
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.DataFrame({"x": [0.5, 1.5], "label": [0, 1]}).to_parquet(folder / "a.parquet")
    given = folder if form == "folder" else folder / "*.parquet"
    code, _, err = run(capsys, *resample_args(given, tmp_path / "out.parquet"))
    assert code == 2
    assert err == (
        f"smotekit: error: input '{given}' is a folder or a glob, and the pandas "
        "engine reads one file. For Parquet files in a folder or matching a glob "
        "use --engine dask, or name one file.\n"
    )


def test_a_file_named_like_a_glob_is_read_as_a_file(capsys, tmp_path):
    source = tmp_path / "train[1].csv"
    pd.DataFrame({"x": np.arange(12) * 0.5, "label": [0] * 8 + [1] * 4}).to_csv(
        source, index=False
    )
    output = tmp_path / "out.csv"
    code, _, _ = run(capsys, *resample_args(source, output, "--k-neighbors", "2"))
    assert code == 0 and len(pd.read_csv(output)) == 16


@pytest.mark.parametrize("method", ["smote", "smotenc"])
@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.date_range("2020-01-01", periods=60)),
        pd.Series(pd.date_range("2020-01-01", periods=60, tz="UTC")),
        pd.Series(pd.to_timedelta(np.arange(60), unit="s")),
    ],
    ids=["naive", "tz", "duration"],
)
def test_a_table_whose_only_feature_is_a_time_gets_advice_that_works(
    capsys, tmp_path, method, column
):
    # smotenc told such a table to use --method smote, which refuses it too
    frame = pd.DataFrame({"when": column, "label": [0] * 45 + [1] * 15})
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame.to_parquet(source, index=False)
    code, _, err = run(capsys, *resample_args(source, output, "--method", method))
    assert code == 2 and not output.exists()
    assert "'when'" in err and "hold dates, times or durations" in err
    assert "On the command line: --method smote." not in err
    code, _, _ = run(capsys, *resample_args(source, output, "--method", "random"))
    assert code == 0 and len(pd.read_parquet(output)) == 90


def test_smotenc_interpolates_a_decimal_parquet_column(capsys, tmp_path):
    # a decimal128 column reads as Decimal objects: --method smotenc took it
    # for a category and only copied its values
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from decimal import Decimal

    rng = np.random.default_rng(0)
    amounts = [Decimal(int(v)) / 100 for v in rng.integers(0, 10**5, 60)]
    table = pa.table({
        "amount": pa.array(amounts, pa.decimal128(10, 2)),
        "city": pa.array(["a", "b", "c"] * 20),
        "label": pa.array([0] * 45 + [1] * 15),
    })  # fmt: skip
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(table, source)
    args = resample_args(source, output, "--method", "smotenc", "--k-neighbors", "3")
    code, _, _ = run(capsys, *args, "--random-state", "0")
    assert code == 0
    written = pq.read_table(output)
    assert written.schema.field("amount").type == pa.decimal128(10, 2)
    new = written.column("amount").to_pylist()[60:]
    minority = amounts[45:]
    assert len(new) == 30 and not set(new) <= set(minority)
    assert all(min(minority) <= v <= max(minority) for v in new)
    assert set(written.column("city").to_pylist()[60:]) <= {"a", "b", "c"}


def test_a_long_but_valid_output_name_is_written(capsys, frame, csv_path):
    # the temporary file beside it must fit in a file name too
    output = csv_path.with_name("o" * 247 + ".csv")  # 251 bytes
    code, _, err = run(capsys, *resample_args(csv_path, output, "--random-state", 0))
    assert (code, err) == (0, "")
    assert len(pd.read_csv(output)) == 120
    assert leftovers(csv_path.parent) == []


def test_a_replaced_output_keeps_its_permissions_and_its_link(capsys, csv_path):
    private = csv_path.with_name("private.csv")
    private.write_text("old\n")
    private.chmod(0o600)
    real = csv_path.with_name("real.csv")
    real.write_text("old\n")
    link = csv_path.with_name("link.csv")
    link.symlink_to(real.name)
    for output in (private, link):
        code, _, err = run(capsys, *resample_args(csv_path, output, "-q"))
        assert (code, err) == (0, "")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert len(pd.read_csv(real)) == 120
    assert leftovers(csv_path.parent) == []


def test_an_output_folder_that_takes_no_file_is_told_before_any_work(
    capsys, csv_path, monkeypatch
):
    import errno

    from smotekit.cli import _io, resample

    def refused(folder, name):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(_io, "_create_temp", refused)
    monkeypatch.setattr(resample, "read_table", lambda *a: pytest.fail("read"))
    code, _, err = run(capsys, *resample_args(csv_path, csv_path.with_name("o.csv")))
    assert code == 2
    assert err == (
        f"smotekit: error: output folder '{csv_path.parent}' cannot hold new files "
        "(Read-only file system). Choose another folder for -o.\n"
    )


def test_parquet_with_repeated_column_names_is_read_and_refused_as_output(
    capsys, tmp_path
):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    table = pa.table(
        [
            pa.array(values),
            pa.array([1.0, 2, 3, 4, 5, 6]),
            pa.array([0, 0, 0, 0, 1, 1]),
        ],
        names=["a", "a", "label"],
    )
    pq.write_table(table, tmp_path / "dup.parquet")
    out = tmp_path / "out.csv"
    args = resample_args(tmp_path / "dup.parquet", out, "--method", "random", "-q")
    code, _, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert next(csv.reader(open(out))) == ["a", "a", "label"]
    assert [float(r[0]) for r in list(csv.reader(open(out)))[1:7]] == values
    code, _, err = run(capsys, *resample_args(out, tmp_path / "o.parquet", "-q"))
    assert code == 2
    assert err == (
        "smotekit: error: the output is Parquet, which cannot hold repeated "
        "column names ('a'); rename them, or write CSV (-o with a .csv name).\n"
    )
    assert not (tmp_path / "o.parquet").exists() and leftovers(tmp_path) == []


def test_a_map_column_is_copied_back_as_a_map(capsys, tmp_path):
    # pandas holds a map column's values as lists of pairs, which arrow
    # cannot type on its own: the write failed with pyarrow's words
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    kind = pa.map_(pa.string(), pa.int64())
    table = pa.table({
        "x": pa.array([float(i) for i in range(20)]),
        "m": pa.array([[("k", i), ("j", -i)] for i in range(20)], type=kind),
        "label": pa.array(["a"] * 15 + ["b"] * 5),
    })  # fmt: skip
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    output = tmp_path / "out.parquet"
    argv = ["resample", str(source), "-o", str(output), "--target", "label",
            "--method", "random", "--random-state", "0", "-q"]  # fmt: skip
    assert main(argv) == 0
    written = pq.read_table(output)
    assert written.schema.types == table.schema.types
    assert written.slice(0, 20).equals(table)
    copies = written.slice(20).to_pylist()
    assert len(copies) == 10 and all(row in table.to_pylist()[15:] for row in copies)
