"""The two engines of ``smotekit resample`` alike: the dask
engine's output reads back as the pandas engine's does (dtypes included),
every value a refusal suggests is one the next run accepts, and the
warnings raised on a distributed cluster's workers are told too."""

import datetime
import decimal
import os
import re

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main

pytest.importorskip("dask.dataframe")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

N_MAJOR, N_MINOR = 16, 4
N = N_MAJOR + N_MINOR


def _resample(source, out, *options):
    """``smotekit resample SOURCE -o OUT --target label -q OPTIONS...``."""
    return main(["resample", str(source), "-o", str(out), "--target", "label",
                 "-q", *options])  # fmt: skip


def _both_engines(tmp_path, source, *options):
    """The two engines' outputs for ``source``, as ``pd.read_parquet`` reads
    them back."""
    by_pandas, by_dask = tmp_path / "pandas.parquet", tmp_path / "dask"
    assert _resample(source, by_pandas, "--random-state", "0", *options) == 0
    assert _resample(source, by_dask, "--random-state", "0", "--engine", "dask",
                     *options) == 0  # fmt: skip
    return pd.read_parquet(by_pandas), pd.read_parquet(by_dask)


def _labels():
    return [0] * N_MAJOR + [1] * N_MINOR


def _missing_every(k, values):
    return [None if i % k == 0 else v for i, v in enumerate(values)]


#: Columns written by pandas (with its metadata), one kind each.
PANDAS_COLUMNS = {
    "str": lambda: pd.Series([f"t{i % 3}" for i in range(N)], dtype="str"),
    "str_missing": lambda: pd.Series(
        _missing_every(5, [f"t{i % 3}" for i in range(N)]), dtype="str"
    ),
    "object_text": lambda: pd.Series([f"o{i}" for i in range(N)], dtype=object),
    "string_na": lambda: pd.Series(
        _missing_every(5, [f"t{i % 3}" for i in range(N)]), dtype="string"
    ),
    "category": lambda: pd.Categorical([["x", "y", "z"][i % 3] for i in range(N)]),
    "category_of_ints": lambda: pd.Categorical([[1, 2, 3][i % 3] for i in range(N)]),
    "Int64_missing": lambda: pd.array(_missing_every(4, range(N)), dtype="Int64"),
    "Int32_full": lambda: pd.array(range(N), dtype="Int32"),
    "bool": lambda: np.arange(N) % 2 == 0,
    "boolean_missing": lambda: pd.array(
        _missing_every(3, [i % 2 == 0 for i in range(N)]), dtype="boolean"
    ),
    "datetime": lambda: pd.date_range("2020-01-01", periods=N),
    "datetime_ns": lambda: pd.date_range("2020-01-01", periods=N, unit="ns"),
    "datetime_tz": lambda: pd.date_range("2020-01-01", periods=N, tz="UTC"),
    "date": lambda: [datetime.date(2020, 1, i + 1) for i in range(N)],
}

#: Columns of a file without pandas metadata (as Spark or polars write).
ARROW_COLUMNS = {
    "string_missing": lambda: pa.array(_missing_every(5, [f"t{i}" for i in range(N)])),
    "large_string": lambda: pa.array([f"t{i}" for i in range(N)], pa.large_string()),
    "dictionary": lambda: pa.array(
        [["x", "y", "z"][i % 3] for i in range(N)]
    ).dictionary_encode(),
    "int64_missing": lambda: pa.array(_missing_every(4, range(N)), pa.int64()),
    "int64_beyond_float": lambda: pa.array(
        _missing_every(4, [2**62 + i for i in range(N)]), pa.int64()
    ),
    "int8_full": lambda: pa.array(range(N), pa.int8()),
    "uint16_missing": lambda: pa.array(_missing_every(4, range(N)), pa.uint16()),
    "bool_missing": lambda: pa.array(_missing_every(3, [i % 2 == 0 for i in range(N)])),
    "bool_full": lambda: pa.array([i % 2 == 0 for i in range(N)]),
    "timestamp": lambda: pa.array(
        pd.date_range("2020-01-01", periods=N).values, pa.timestamp("ms")
    ),
    "decimal": lambda: pa.array(
        [decimal.Decimal(f"{i}.25") for i in range(N)], pa.decimal128(10, 2)
    ),
    "date32_missing": lambda: pa.array(
        _missing_every(4, [datetime.date(2020, 1, i + 1) for i in range(N)])
    ),
}


@pytest.mark.parametrize("kind", sorted(PANDAS_COLUMNS))
def test_dask_output_reads_back_as_the_pandas_engines(tmp_path, kind):
    source = tmp_path / "in.parquet"
    frame = pd.DataFrame({"x": np.arange(N, dtype=float), "label": _labels()})
    frame[kind] = PANDAS_COLUMNS[kind]()
    frame.to_parquet(source, index=False)
    by_pandas, by_dask = _both_engines(tmp_path, source, "--method", "random")
    pd.testing.assert_frame_equal(by_dask, by_pandas)


@pytest.mark.parametrize("kind", sorted(ARROW_COLUMNS))
def test_dask_output_of_a_file_without_pandas_metadata(tmp_path, kind):
    source = tmp_path / "in.parquet"
    table = pa.table(
        {"x": np.arange(N, dtype=float), kind: ARROW_COLUMNS[kind](),
         "label": _labels()}
    )  # fmt: skip
    pq.write_table(table, source)
    by_pandas, by_dask = _both_engines(tmp_path, source, "--method", "random")
    pd.testing.assert_frame_equal(by_dask, by_pandas)


@pytest.mark.parametrize("labels", ["str", "string", "arrow"])
def test_dask_output_of_text_labels_reads_back_as_the_pandas_engines(tmp_path, labels):
    source = tmp_path / "in.parquet"
    names = np.array(["common", "rare"])[_labels()]
    x = np.random.default_rng(0).normal(size=N)
    if labels == "arrow":
        pq.write_table(pa.table({"x": x, "label": pa.array(names)}), source)
    else:
        frame = pd.DataFrame({"x": x, "label": pd.Series(names, dtype=labels)})
        frame.to_parquet(source, index=False)
    by_pandas, by_dask = _both_engines(
        tmp_path, source, "--method", "smote", "--k-neighbors", "2"
    )
    pd.testing.assert_frame_equal(by_dask, by_pandas)


@pytest.mark.parametrize("method", ["smote", "borderline1", "adasyn"])
def test_dask_output_of_interpolated_integer_columns(tmp_path, method):
    """Integer columns the samplers interpolate (and round), nullable or
    not, with and without pandas metadata."""
    rng = np.random.default_rng(1)
    n_major, n_minor = 40, 12
    labels = [0] * n_major + [1] * n_minor
    n = len(labels)
    table = pa.table(
        {"f": rng.normal(size=n), "i64": pa.array(rng.integers(0, 99, n)),
         "i16": pa.array(rng.integers(0, 99, n), pa.int16()),
         "u8": pa.array(rng.integers(0, 99, n), pa.uint8()),
         "label": pa.array(labels)}
    )  # fmt: skip
    pq.write_table(table, tmp_path / "arrow.parquet")
    frame = table.to_pandas()
    frame["i64"] = frame["i64"].astype("Int64")
    frame.to_parquet(tmp_path / "pandas.parquet", index=False)
    for name in ("arrow", "pandas"):
        out = tmp_path / name
        out.mkdir()
        by_pandas, by_dask = _both_engines(
            out, tmp_path / f"{name}.parquet", "--method", method,
            "--k-neighbors", "3",
        )  # fmt: skip
        pd.testing.assert_frame_equal(by_dask, by_pandas)


def test_dask_output_of_files_without_statistics(tmp_path):
    """Whether an integer or bool column holds nulls is then found by a
    pass over the data: the columns read back as the pandas engine's."""
    table = pa.table(
        {"x": np.arange(N, dtype=float), "full": pa.array(range(N), pa.int32()),
         "holes": ARROW_COLUMNS["int64_missing"](),
         "flags": ARROW_COLUMNS["bool_full"](), "label": _labels()}
    )  # fmt: skip
    folder = tmp_path / "data"
    folder.mkdir()
    # the second file holds the only nulls
    first, second = table.slice(1, N - 1), table.slice(0, 1)
    pq.write_table(first, folder / "a.parquet", write_statistics=False)
    pq.write_table(second, folder / "b.parquet", write_statistics=False)
    pq.write_table(pa.concat_tables([first, second]), tmp_path / "all.parquet")
    options = ["--method", "random", "--random-state", "0"]
    assert _resample(tmp_path / "all.parquet", tmp_path / "p.parquet", *options) == 0
    assert _resample(folder, tmp_path / "d", "--engine", "dask", *options) == 0
    by_pandas = pd.read_parquet(tmp_path / "p.parquet")
    by_dask = pd.read_parquet(tmp_path / "d")
    assert str(by_dask["holes"].dtype) == "Int64"
    pd.testing.assert_frame_equal(by_dask, by_pandas)


# --- every value a refusal of neighbour options suggests is accepted


def _ways_out(error):
    """The alternatives of an error's ``Use ...`` sentence, as options to
    set (``{option: value}``) and options to drop."""
    use = error.split(" Use ", 1)[1].rstrip(".\n")
    ways = []
    for way in use.split(", or "):
        settings = dict(re.findall(r"(--[a-z-]+) (\d+) or less", way))
        method = re.match(r"--method (\w+)", way)
        if method:
            settings["--method"] = method[1]
        dropped = re.findall(r"(--[a-z-]+)", way.split("drop", 1)[1]) if (
            "drop" in way) else []  # fmt: skip
        if settings:
            ways.append((settings, dropped))
    return ways


def _with(options, settings, dropped):
    options = list(options)
    for option in dropped:
        at = options.index(option)
        del options[at : at + 2]
    for option, value in settings.items():
        if option in options:
            options[options.index(option) + 1] = value
        else:
            options += [option, value]
    return options


NEIGHBOUR_CASES = [
    ("adasyn", ["--k-neighbors", "20"]),
    ("adasyn", ["--k-neighbors", "4"]),
    ("smote", ["--k-neighbors", "4"]),
    ("smote", ["--k-neighbors", "20", "--n-jobs", "1"]),
    ("borderline1", ["--k-neighbors", "20"]),
    ("borderline1", ["--m-neighbors", "20"]),
    ("borderline1", ["--m-neighbors", "20", "--k-neighbors", "4"]),
    ("borderline2", ["--k-neighbors", "20"]),
    ("borderline2", ["--m-neighbors", "20", "--k-neighbors", "4"]),
    ("svm_smote", ["--k-neighbors", "4"]),
    ("svm_smote", ["--m-neighbors", "20"]),
    ("svm_smote", ["--m-neighbors", "16", "--k-neighbors", "9"]),
]
DASK_METHODS = ("smote", "borderline1", "borderline2", "adasyn")


@pytest.mark.parametrize("engine", ["pandas", "dask"])
@pytest.mark.parametrize(("method", "options"), NEIGHBOUR_CASES)
def test_every_value_a_neighbour_refusal_suggests_is_accepted(
    tmp_path, capsys, engine, method, options
):
    """Classes of 8, 4 and 3 rows: the table's 15 rows and the smallest
    class to over-sample both limit the neighbours; each way out the
    refusal names is run again and accepted."""
    if engine == "dask" and method not in DASK_METHODS:
        pytest.skip("not a method of the dask engine")
    rng = np.random.default_rng(0)
    sizes = [8, 4, 3]
    frame = pd.DataFrame(
        {"a": rng.normal(size=sum(sizes)), "b": rng.normal(size=sum(sizes)),
         "label": np.repeat([0, 1, 2], sizes)}
    )  # fmt: skip
    source = tmp_path / "in.parquet"
    frame.to_parquet(source, index=False)
    out = tmp_path / ("out.parquet" if engine == "pandas" else "out")
    base = ["--method", method, *options, "--random-state", "0"]
    base += ["--engine", "dask"] * (engine == "dask")
    capsys.readouterr()
    assert _resample(source, out, *base) == 2
    error = capsys.readouterr().err
    ways = _ways_out(error)
    assert ways and any("--method" not in s for s, _ in ways), error
    for settings, dropped in ways:
        again = _with(base, settings, dropped)
        code = _resample(source, out, *again)
        assert code == 0, (error, again, capsys.readouterr().err)


def test_a_class_of_one_row_is_told_no_neighbour_value(tmp_path, capsys):
    frame = pd.DataFrame({"a": np.arange(10.0), "label": [0] * 9 + [1]})
    source = tmp_path / "in.parquet"
    frame.to_parquet(source, index=False)
    options = ["--method", "adasyn", "--k-neighbors", "20"]
    assert _resample(source, tmp_path / "o.parquet", *options) == 2
    error = capsys.readouterr().err
    assert "or less" not in error
    for settings, dropped in _ways_out(error):
        assert _resample(source, tmp_path / "o.parquet",
                         *_with(options, settings, dropped)) == 0  # fmt: skip


# --- a distributed cluster: the same warnings and output as local threads


def _restore_environment(saved):
    """Make ``os.environ`` ``saved`` again (a Nanny writes its workers'
    settings, such as OMP_NUM_THREADS=1, into this process's)."""
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    os.environ.update(saved)


def _separated(n_major=30, n_minor=8):
    """Classes far apart: no minority row is in danger, so Borderline-SMOTE
    warns."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"a": np.r_[rng.normal(size=n_major), rng.normal(size=n_minor) + 50],
         "b": rng.normal(size=n_major + n_minor),
         "label": [0] * n_major + [1] * n_minor}
    )  # fmt: skip


def _warnings(err):
    return [line for line in err.splitlines() if line.startswith("smotekit: warning:")]


def test_a_distributed_cluster_tells_the_warnings_and_writes_the_same(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    source = tmp_path / "in.parquet"
    _separated().to_parquet(source, index=False)
    texts = tmp_path / "texts.parquet"
    frame = pd.DataFrame({"x": np.arange(N, dtype=float), "label": _labels()})
    frame["t"] = PANDAS_COLUMNS["str_missing"]()
    frame.to_parquet(texts, index=False)
    runs = [(source, ["--method", kind, "--random-state", "0"])
            for kind in ("borderline1", "borderline2")]  # fmt: skip
    runs.append((texts, ["--method", "random", "--random-state", "0"]))

    def run_all(tag, *scheduler):
        told = []
        for i, (data, options) in enumerate(runs):
            out = tmp_path / f"{tag}{i}"
            capsys.readouterr()
            options = [*options, "--engine", "dask", *scheduler]
            assert main(["resample", str(data), "-o", str(out), "--target",
                         "label", *options]) == 0  # fmt: skip
            told.append(_warnings(capsys.readouterr().err))
        return told

    local = run_all("local")
    assert [len(w) for w in local] == [1, 1, 0]
    assert "class 1 has no sample in danger" in local[0][0]
    saved = dict(os.environ)
    try:
        with distributed.LocalCluster(
            n_workers=1, processes=True, threads_per_worker=1,
            dashboard_address=":0", silence_logs=50,
        ) as cluster:  # fmt: skip
            _restore_environment(saved)  # the worker has started
            remote = run_all("remote", "--scheduler", cluster.scheduler_address)
    finally:
        _restore_environment(saved)
    assert remote == local
    for i in range(len(runs)):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / f"remote{i}"),
            pd.read_parquet(tmp_path / f"local{i}"),
        )
    by_pandas = tmp_path / "pandas.parquet"
    assert _resample(texts, by_pandas, *runs[-1][1]) == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "remote2"), pd.read_parquet(by_pandas)
    )
