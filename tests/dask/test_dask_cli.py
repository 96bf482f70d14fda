"""``smotekit resample --engine dask``: Parquet folder in, Parquet folder out."""

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

from dask_fixtures import *  # noqa: E402, F403  (fixtures)

from smotekit.cli import main  # noqa: E402


@pytest.fixture
def parquet_folder(tmp_path, imbalanced_frame):
    frame, labels = imbalanced_frame
    table = frame.copy()
    table.insert(2, "label", labels.to_numpy())
    folder = tmp_path / "in"
    folder.mkdir()
    for i, start in enumerate(range(0, len(table), 250)):
        table.iloc[start : start + 250].to_parquet(folder / f"part{i}.parquet")
    table.to_parquet(tmp_path / "all.parquet")
    return tmp_path, folder


@pytest.mark.parametrize("pattern", ["in", "in/*.parquet"])
def test_dask_engine_equals_pandas_engine(parquet_folder, pattern, capsys):
    tmp, _ = parquet_folder
    args = ["--target", "label", "--random-state", "0"]
    memory = ["resample", str(tmp / "all.parquet"), "-o", str(tmp / "m.parquet")]
    assert main([*memory, *args, "-q"]) == 0
    dask_run = ["resample", str(tmp / pattern), "-o", str(tmp / "out")]
    code = main([*dask_run, "--engine", "dask", *args])
    assert code == 0
    assert "to the Parquet folder" in capsys.readouterr().out
    in_memory = pd.read_parquet(tmp / "m.parquet")
    out = pd.read_parquet(tmp / "out")
    assert list(out.columns) == list(in_memory.columns)
    np.testing.assert_array_equal(
        out.drop(columns="label").to_numpy(), in_memory.drop(columns="label").to_numpy()
    )
    assert out["label"].tolist() == in_memory["label"].tolist()


def test_dask_engine_replaces_an_existing_folder(parquet_folder):
    tmp, _ = parquet_folder
    argv = ["resample", str(tmp / "in"), "-o", str(tmp / "out"), "--target", "label",
            "--engine", "dask", "--method", "random", "-q"]  # fmt: skip
    assert main(argv) == 0
    assert main([*argv, "--sampling-strategy", '{"rarest": 100}']) == 0
    out = pd.read_parquet(tmp / "out")
    assert (out["label"] == "rarest").sum() == 100
    assert not [p for p in tmp.iterdir() if p.name.startswith(".out")]


def test_dask_engine_unknown_target(parquet_folder, capsys):
    tmp, _ = parquet_folder
    argv = ["resample", str(tmp / "in"), "-o", str(tmp / "out"), "--target", "nope",
            "--engine", "dask"]  # fmt: skip
    assert main(argv) != 0
    assert "target column 'nope' is not in the input" in capsys.readouterr().err


def test_dask_engine_tells_missing_cells_as_the_pandas_engine(parquet_folder, capsys):
    tmp, folder = parquet_folder
    part = pd.read_parquet(folder / "part1.parquet")
    part.iloc[3, 0] = np.nan
    part.to_parquet(folder / "part1.parquet")
    argv = ["resample", str(folder), "-o", str(tmp / "out"), "--target", "label",
            "--engine", "dask"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("smotekit: error: the feature columns hold 1 NaN value(s)")
    assert "data row 253 counting from 0" in err and "--method random" in err
    assert not (tmp / "out").exists()


def test_dask_engine_tells_an_output_folder_that_takes_no_file_first(
    parquet_folder, capsys, monkeypatch
):
    import errno

    import dask.dataframe

    from smotekit.cli import _io

    tmp, folder = parquet_folder
    (tmp / "place").mkdir()
    (tmp / "link").symlink_to(tmp / "place" / "out")
    seen = []

    def refused(where, name):
        seen.append((where, name))
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(_io, "_create_temp", refused)
    monkeypatch.setattr(dask.dataframe, "read_parquet", lambda *a: pytest.fail("read"))
    argv = ["resample", str(folder), "-o", str(tmp / "link"), "--target", "label",
            "--engine", "dask"]  # fmt: skip
    assert main(argv) == 2
    # probed where the folder would be written: beside what the link points to
    assert seen == [((tmp / "place").resolve(), "out")]
    assert capsys.readouterr().err == (
        f"smotekit: error: output folder '{(tmp / 'place').resolve()}' cannot hold "
        "new files (Read-only file system). Choose another folder for -o.\n"
    )


def test_n_jobs_reaches_the_dask_sampler(parquet_folder, monkeypatch):
    import smotekit.dask

    seen = []
    fit_resample = smotekit.dask.SMOTE.fit_resample

    def spy(self, X, y=None):
        seen.append(self.n_jobs)
        return fit_resample(self, X, y)

    monkeypatch.setattr(smotekit.dask.SMOTE, "fit_resample", spy)
    tmp, _ = parquet_folder
    argv = ["resample", str(tmp / "in"), "-o", str(tmp / "out"), "--target", "label",
            "--engine", "dask", "--random-state", "0", "-q"]  # fmt: skip
    assert main([*argv, "--n-jobs", "-1"]) == 0
    with_all = pd.read_parquet(tmp / "out")
    assert main([*argv, "--n-jobs", "1"]) == 0
    assert seen == [-1, 1]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp / "out"), with_all)


def test_scheduler_address_is_used(parquet_folder, cluster_client):
    tmp, _ = parquet_folder
    address = cluster_client.scheduler.address
    argv = ["resample", str(tmp / "in"), "-o", str(tmp / "out"), "--target", "label",
            "--engine", "dask", "--scheduler", address, "-q"]  # fmt: skip
    assert main(argv) == 0
    assert len(pd.read_parquet(tmp / "out")) == 3 * 450


def test_label_column_mode_matches_series_mode(imbalanced_frame):
    import smotekit.dask as skdask

    frame, labels = imbalanced_frame
    table = frame.assign(label=labels.to_numpy())
    whole = dd.from_pandas(table, npartitions=4)
    out, y_out = skdask.SMOTE(random_state=0).fit_resample(whole, "label")
    X_res, y_res = skdask.SMOTE(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=4), dd.from_pandas(labels, npartitions=4)
    )
    out = out.compute()
    pd.testing.assert_frame_equal(out.drop(columns="label"), X_res.compute())
    assert out["label"].tolist() == y_res.compute().tolist()
    assert y_out.compute().tolist() == out["label"].tolist()
