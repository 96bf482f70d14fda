"""The dask engine and the CLI at their edges: where the output folder may
lie, labels read from Parquet, the order of the written partitions, index
labels near int64's top, and the errors for empty or unlabelled input."""

import numpy as np
import pandas as pd
import pytest

import smotekit
from smotekit.cli import main

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")
smotekit_dask = pytest.importorskip("smotekit.dask")


def _frame(n_major=32, n_minor=8, seed=0):
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "label": [0] * n_major + [1] * n_minor,
        }
    )


def _resample(source, out, *options):
    """``smotekit resample SOURCE -o OUT --target label OPTIONS...``."""
    return main(["resample", str(source), "-o", str(out), "--target", "label",
                 *options])  # fmt: skip


# --- an output folder that holds the input would replace it


@pytest.mark.parametrize("form", ["glob", "file"])
def test_dask_output_folder_holding_the_input_is_refused(tmp_path, monkeypatch, form):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    source = tmp_path / "data" / "train.parquet"
    _frame().to_parquet(source, index=False)
    given = "data/*.parquet" if form == "glob" else "data/train.parquet"
    code = _resample(given, "data", "--engine", "dask", "--random-state", "0", "-q")
    assert code == 2  # refuse: replacing 'data' would delete the input
    assert source.exists()


def test_dask_output_folder_above_the_input_folder_is_refused(tmp_path):
    (tmp_path / "outer" / "data").mkdir(parents=True)
    source = tmp_path / "outer" / "data" / "train.parquet"
    _frame().to_parquet(source, index=False)
    code = _resample(
        str(tmp_path / "outer" / "data"),
        str(tmp_path / "outer"),
        "--engine",
        "dask",
        "-q",
    )
    assert code == 2
    assert source.exists()


# --- categorical labels with unknown categories (as read from Parquet)


def test_dask_unknown_category_labels_of_synthetic_rows(tmp_path):
    frame = _frame()
    frame["label"] = pd.Categorical(np.where(frame["label"] == 1, "min", "maj"))
    ddf = dd.from_pandas(frame, npartitions=2)
    ddf["label"] = ddf["label"].cat.as_unknown()
    out, _ = smotekit_dask.SMOTE(random_state=0).fit_resample(ddf, "label")
    result = out.compute()
    assert result["label"].notna().all()
    assert result["label"].value_counts().to_dict() == {"maj": 32, "min": 32}


def test_cli_dask_categorical_label_from_parquet(tmp_path):
    frame = _frame()
    frame["label"] = pd.Categorical(np.where(frame["label"] == 1, "min", "maj"))
    frame.to_parquet(tmp_path / "in.parquet", index=False)
    out = tmp_path / "out"
    code = _resample(
        str(tmp_path / "in.parquet"),
        str(out),
        "--engine",
        "dask",
        "--random-state",
        "0",
        "-q",
    )
    assert code == 0
    written = pd.read_parquet(out)
    assert written["label"].notna().all()
    assert written["label"].astype(str).value_counts().to_dict() == {
        "maj": 32,
        "min": 32,
    }


# --- the output folder, read back with pandas, must keep the row order


def test_cli_dask_output_folder_reads_back_in_order(tmp_path):
    frame = _frame(n_major=300, n_minor=30, seed=1)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, rows in enumerate(np.array_split(np.arange(len(frame)), 12)):
        frame.iloc[rows].to_parquet(folder / f"p{i:02d}.parquet", index=False)
    frame.to_csv(tmp_path / "in.csv", index=False)
    out = tmp_path / "out"
    assert (
        _resample(
            str(folder), str(out), "--engine", "dask", "--random-state", "0", "-q"
        )
        == 0
    )
    assert (
        _resample(
            str(tmp_path / "in.csv"),
            str(tmp_path / "mem.csv"),
            "--random-state",
            "0",
            "-q",
        )
        == 0
    )
    written = pd.read_parquet(out)  # as the docstring of resample_parquet_dask
    pd.testing.assert_frame_equal(
        written.iloc[: len(frame)].reset_index(drop=True), frame
    )
    expected = pd.read_csv(tmp_path / "mem.csv")
    np.testing.assert_array_equal(written.to_numpy(), expected.to_numpy())


# --- synthetic index labels past int64's range (README's pandas index rule)


def test_dask_synthetic_index_near_int64_max():
    frame = _frame()
    top = np.iinfo(np.int64).max
    frame.index = pd.Index(np.arange(len(frame), dtype=np.int64) + top - len(frame))
    X_mem, _ = smotekit.SMOTE(random_state=0).fit_resample(
        frame.drop(columns="label"), frame["label"]
    )
    for npartitions in (1, 3):
        ddf = dd.from_pandas(frame, npartitions=npartitions, sort=False)
        out, _ = smotekit_dask.SMOTE(random_state=0).fit_resample(ddf, "label")
        result = out.compute()
        assert list(result.index) == list(X_mem.index)


# --- clear errors


def test_cli_dask_glob_matching_nothing_says_so(tmp_path, capsys):
    code = _resample(
        str(tmp_path / "nothere" / "*.parquet"),
        str(tmp_path / "out"),
        "--engine",
        "dask",
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "is not in the input" not in err
    assert "match" in err or "exist" in err


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda f: f.rename(columns={"b": "B"}), "p1.parquet' lacks 'b' and has 'B'"),
        (lambda f: f.assign(z=1.0), "p1.parquet' has 'z'"),  # dask dropped 'z'
        (lambda f: f.drop(columns="b"), "p1.parquet' lacks 'b'"),
    ],
    ids=["renamed", "extra", "missing"],
)
def test_cli_dask_input_files_with_different_columns_are_refused(
    tmp_path, capsys, change, says
):
    # a renamed column ended in a raw KeyError traceback ("['b'] not in
    # index", exit 1); an extra one was silently dropped from the output
    frame = _frame()
    folder = tmp_path / "in"
    folder.mkdir()
    frame.iloc[:20].to_parquet(folder / "p0.parquet", index=False)
    frame.iloc[20:].to_parquet(folder / "p1.parquet", index=False)
    out = tmp_path / "out"
    options = ["--engine", "dask", "--method", "random", "-q"]
    assert _resample(folder, out, *options) == 0  # a previous output
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    change(frame.iloc[20:]).to_parquet(folder / "p1.parquet", index=False)
    code = _resample(folder, out, *options)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("smotekit: error: ") and err.count("\n") == 1
    assert "the input files do not share one set of columns" in err
    assert says in err and "p0.parquet'." in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_dask_input_files_may_order_their_columns_differently(tmp_path):
    # a guard for the check above: dask matches columns by name
    frame = _frame()
    folder = tmp_path / "in"
    folder.mkdir()
    frame.iloc[:20].to_parquet(folder / "p0.parquet", index=False)
    frame.iloc[20:][["label", "b", "a"]].to_parquet(folder / "p1.parquet", index=False)
    out = tmp_path / "out"
    code = _resample(folder, out, "--engine", "dask", "--random-state", "0", "-q")
    assert code == 0
    assert list(pd.read_parquet(out).columns) == ["a", "b", "label"]


@pytest.mark.parametrize("engine", ["pandas", "dask"])
@pytest.mark.parametrize("kind", ["float", "str"])
def test_cli_missing_labels_name_the_target(tmp_path, capsys, engine, kind):
    frame = _frame()
    if kind == "str":
        frame["label"] = frame["label"].map({0: "neg", 1: "pos"}).astype(object)
        frame.loc[3, "label"] = None
    else:
        frame["label"] = frame["label"].astype(float)
        frame.loc[3, "label"] = np.nan
    frame.to_parquet(tmp_path / "in.parquet", index=False)
    out = tmp_path / ("out.csv" if engine == "pandas" else "out")
    code = _resample(str(tmp_path / "in.parquet"), str(out), "--engine", engine)
    assert code == 2
    err = capsys.readouterr().err
    assert "'label'" in err and "missing" in err  # as `smotekit evaluate` says
    assert not out.exists()


def test_cli_header_only_csv_says_no_rows(tmp_path, capsys):
    (tmp_path / "in.csv").write_text("a,b,label\n")
    code = _resample(tmp_path / "in.csv", tmp_path / "o.csv")
    assert code == 2
    err = capsys.readouterr().err
    assert "not numeric" not in err  # the columns are empty, not text
    assert "row" in err or "empty" in err


@pytest.mark.parametrize(
    "options, message",
    [
        (["--memory-budget", "64MiB"], "--memory-budget applies only to --engine dask"),
        (["--random-state", "-1"], "a seed is an integer from 0 to 4294967295"),
        (["--engine", "dask"], "--engine dask reads Parquet"),
    ],
)
def test_cli_options_that_cannot_apply_are_refused(tmp_path, capsys, options, message):
    _frame().to_csv(tmp_path / "in.csv", index=False)
    out = tmp_path / ("out" if "dask" in options else "out.csv")
    code = _resample(tmp_path / "in.csv", out, *options)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    "options, message",
    [
        (["--n-jobs", "0"], "0 threads cannot run anything"),
        (["--random-state", "-1"], "a seed is an integer from 0 to 4294967295"),
    ],
)
def test_cli_evaluate_checks_its_integers(tmp_path, capsys, options, message):
    _frame().to_csv(tmp_path / "in.csv", index=False)
    out = tmp_path / "report.html"
    base = ["evaluate", str(tmp_path / "in.csv"), "--target", "label", "-o", str(out)]
    code = main([*base, "-q", *options])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_label_column_named_by_an_int():
    frame = _frame().rename(columns={"a": 0, "b": 1, "label": 2})
    ddf = dd.from_pandas(frame, npartitions=3)
    out, _ = smotekit_dask.SMOTE(random_state=0).fit_resample(ddf, 2)
    result = out.compute()
    expected, y_mem = smotekit.SMOTE(random_state=0).fit_resample(
        frame.drop(columns=2), frame[2]
    )
    assert list(result.columns) == [0, 1, 2]
    np.testing.assert_array_equal(result[[0, 1]].to_numpy(), expected.to_numpy())
    np.testing.assert_array_equal(result[2].to_numpy(), y_mem.to_numpy())


# --- advice for columns SMOTE cannot take, in the dask engine's terms


@pytest.mark.parametrize(
    "column, says",
    [
        (pd.date_range("2020-01-01", periods=40), "hold dates, times or durations"),
        (pd.Series(["u", "v"] * 20, dtype=object), "are not numeric"),
    ],
    ids=["date", "text"],
)
def test_dask_advice_for_a_column_smote_cannot_take_is_a_command_line(
    tmp_path, capsys, column, says
):
    # the dask engine told a user with a text column to "use SMOTENC", a
    # library class it has no option for (and a date column goes nowhere there)
    frame = _frame().assign(extra=column)
    frame.to_parquet(tmp_path / "in.parquet", index=False)
    code = _resample(tmp_path / "in.parquet", tmp_path / "out", "--engine", "dask")
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists()
    assert "'extra'" in err and says in err
    assert "--engine pandas --method smotenc" in err and "--method random" in err


# --- Parquet column types the dask engine writes


def test_dask_keeps_string_columns_as_string_not_large_string(tmp_path):
    # dask writes text as large_string; the pandas engine keeps the input's
    # arrow type, and so must this one (string, large_string and string_view all kept)
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = _frame()
    table = pa.table({
        "a": frame["a"],
        "s": pa.array(["u", "v"] * 20, pa.string()),
        "ls": pa.array(["u", "v"] * 20, pa.large_string()),
        "label": pa.array(["n"] * 32 + ["p"] * 8, pa.string()),
    })  # fmt: skip
    if hasattr(pa, "string_view"):  # pyarrow 16+
        table = table.append_column("sv", pa.array(["u", "v"] * 20, pa.string_view()))
    pq.write_table(table, tmp_path / "in.parquet")
    code = _resample(tmp_path / "in.parquet", tmp_path / "out", "--engine", "dask",
                     "--method", "random", "--random-state", "0", "-q")  # fmt: skip
    assert code == 0
    written = pq.read_table(tmp_path / "out")
    assert written.schema.field("s").type == pa.string()
    assert written.schema.field("ls").type == pa.large_string()
    assert written.schema.field("label").type == pa.string()
    assert written.column("label").to_pylist().count("p") == 32
    assert written.schema.types == table.schema.types


def test_dask_refuses_binary_columns_before_any_work(tmp_path, capsys):
    # dask reads binary columns but cannot write them ("Could not convert
    # <object object ...>" from its placeholder rows): say so plainly
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"a": _frame()["a"], "b": pa.array([b"x", b"y"] * 20),
                      "label": _frame()["label"]})  # fmt: skip
    pq.write_table(table, tmp_path / "in.parquet")
    code = _resample(tmp_path / "in.parquet", tmp_path / "out", "--engine", "dask",
                     "--method", "random")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists()
    assert "'b' (binary) hold binary values" in err and "--engine pandas" in err


def test_dask_engine_refuses_a_csv_output_name(tmp_path, capsys):
    # --engine dask writes a Parquet folder: with -o out.csv it exited 0 and
    # made a folder named out.csv full of Parquet parts
    _frame().to_parquet(tmp_path / "in.parquet", index=False)
    out = tmp_path / "out.csv"
    code = _resample(tmp_path / "in.parquet", out, "--engine", "dask", "-q")
    assert code == 2 and not out.exists()
    assert "names a CSV file" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["smote", "random"])
def test_dictionary_columns_of_files_without_pandas_metadata(tmp_path, method):
    # pyarrow, polars and Spark write no pandas metadata: dask reads their
    # dictionary columns with empty categories, counted as known. The write
    # failed ("Unsupported cast from large_string to null") and the labels of
    # the synthetic rows came out missing.
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = _frame()
    columns = {"a": pa.array(frame["a"]), "b": pa.array(frame["b"])}
    if method == "random":  # a dictionary feature too
        columns["c"] = pa.array(["u", "v"] * 20).dictionary_encode()
    columns["label"] = pa.array(["n"] * 32 + ["p"] * 8).dictionary_encode()
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table(columns), source)
    assert pq.read_schema(source).pandas_metadata is None
    options = ["--method", method, "--random-state", "0", "-q"]
    assert _resample(source, tmp_path / "out", "--engine", "dask", *options) == 0
    assert _resample(source, tmp_path / "mem.parquet", *options) == 0
    written = pq.read_table(tmp_path / "out")
    in_memory = pq.read_table(tmp_path / "mem.parquet")
    assert written.schema.types == pq.read_schema(source).types
    assert written.column("label").to_pylist() == ["n"] * 32 + ["p"] * 32
    assert written.to_pandas().equals(in_memory.to_pandas())


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("list", "column(s) 'c' (list<element: int64>) hold nested values, which "
         "the dask engine cannot write back to Parquet. Use --engine pandas, or "
         "store them as text or drop them."),
        ("struct", "column(s) 'c' (struct<k: int64>) hold nested values"),
        ("null", "column(s) 'c' (null) hold null-typed (all missing) values, which "
         "the dask engine cannot write back to Parquet. Use --engine pandas, or "
         "drop them."),
        ("repeated", "the input repeats column names ('a'), which the dask engine "
         "cannot read. Rename them, or use --engine pandas."),
    ],
)  # fmt: skip
def test_dask_refuses_what_it_cannot_read_or_write_before_any_work(
    tmp_path, capsys, monkeypatch, kind, message
):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = _frame()
    third = {
        "list": pa.array([[i] for i in range(40)]),
        "struct": pa.array([{"k": i} for i in range(40)]),
        "null": pa.nulls(40),
        "repeated": pa.array(frame["b"]),
    }[kind]
    names = ["a", "a" if kind == "repeated" else "c", "label"]
    arrays = [pa.array(frame["a"]), third, pa.array(frame["label"])]
    pq.write_table(pa.Table.from_arrays(arrays, names=names), tmp_path / "in.parquet")
    monkeypatch.setattr(dd, "read_parquet", lambda *a, **k: pytest.fail("read"))
    code = _resample(tmp_path / "in.parquet", tmp_path / "out", "--engine", "dask",
                     "--method", "random")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists()
    assert err.startswith(f"smotekit: error: {message}") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        ("int32", "int64", "column 'i' is int64 in '{b}' but int32 in '{a}'"),
        ("int64", "float64", "column 'i' is double in '{b}' but int64 in '{a}'"),
        ("int64", "string", "column 'i' is string in '{b}' but int64 in '{a}'"),
    ],
)
def test_dask_refuses_files_typing_a_column_differently(
    tmp_path, capsys, first, second, shown
):
    # dask cast every file to the first one's types: int64 2**40 into int32
    # failed after the work, 0.5 into int64 too, and text into int64 passed
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    folder = tmp_path / "in"
    folder.mkdir()
    frame = _frame()
    values = {"int32": [1] * 20, "int64": [2**40] * 20, "float64": [0.5] * 20,
              "string": ["7"] * 20}  # fmt: skip
    for name, kind, rows in (("a", first, slice(0, 20)), ("b", second, slice(20, 40))):
        part = frame.iloc[rows]
        pq.write_table(pa.table({
            "a": pa.array(part["a"]), "i": pa.array(values[kind], getattr(pa, kind)()),
            "label": pa.array(part["label"]),
        }), folder / f"{name}.parquet")  # fmt: skip
    code = _resample(folder, tmp_path / "out", "--engine", "dask", "--method",
                     "random")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists()
    a, b = (str(folder / f"{n}.parquet") for n in "ab")
    assert shown.format(a=a, b=b) in err
    assert "Write every file with the same types" in err


def test_dask_names_an_input_file_that_is_not_parquet_inside(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _frame().to_parquet(folder / "a.parquet", index=False)
    (folder / "b.parquet").touch()  # an empty file: a failed copy
    (folder / "_SUCCESS").touch()  # a marker of Spark's: skipped, as dask does
    code = _resample(folder, tmp_path / "out", "--engine", "dask", "-q")
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists()
    assert err.startswith(
        f"smotekit: error: the input file '{folder / 'b.parquet'}' is not a "
        "readable Parquet file ("
    )
    assert err.endswith("). Remove it from the input, or write it again.\n")


def test_dask_input_without_rows_is_told_as_the_pandas_engine_tells_it(
    tmp_path, capsys
):
    # it got the sampler's "SMOTE got an empty X (0 samples)."
    folder = tmp_path / "in"
    folder.mkdir()
    _frame().iloc[:0].to_parquet(folder / "a.parquet", index=False)
    _frame().iloc[:0].to_parquet(folder / "b.parquet", index=False)
    code = _resample(folder, tmp_path / "out", "--engine", "dask")
    assert code == 2 and not (tmp_path / "out").exists()
    assert capsys.readouterr().err == (
        "smotekit: error: the input has no data rows (its columns are 'a', 'b', "
        "'label'). Check the input files.\n"
    )
    # a file without rows beside one with rows is fine
    _frame().to_parquet(folder / "c.parquet", index=False)
    assert _resample(folder, tmp_path / "out", "--engine", "dask", "-q") == 0
    assert len(pd.read_parquet(tmp_path / "out")) == 64
