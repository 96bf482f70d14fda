"""Inputs and output folders of ``smotekit resample --engine dask`` in detail."""

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _dask_io, main

pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow.parquet")


def _frame(n=20, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n), "label": [0, 0, 0, 1] * (n // 4)})


def _resample(capsys, source, out):
    argv = ["resample", str(source), "-o", str(out), "--target", "label", "-q"]
    argv += ["--engine", "dask", "--method", "random", "--random-state", "0"]
    code = main(argv)
    return code, capsys.readouterr().err


def _hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "data" / "train.parquet"
    path.parent.mkdir()
    _frame().to_parquet(path, index=False)
    return path


def test_three_foreign_entries_are_named_without_a_count(capsys, source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (out / name).write_text("mine")
    code, err = _resample(capsys, source, out)
    assert code == 2
    assert "holds 'a.txt', 'b.txt', 'c.txt', which smotekit did not write" in err
    assert "more" not in err


def test_a_link_named_like_a_part_is_foreign(capsys, source, tmp_path):
    kept = tmp_path / "kept.parquet"
    kept.write_bytes(b"keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "part.000000.parquet").symlink_to(kept)
    code, err = _resample(capsys, source, out)
    assert code == 2 and "'part.000000.parquet', which smotekit did not" in err
    assert (out / "part.000000.parquet").is_symlink()
    assert kept.read_bytes() == b"keep me"


def test_a_part_name_needs_digits(capsys, source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "part..parquet").write_bytes(b"not a part")
    code, err = _resample(capsys, source, out)
    assert code == 2 and "'part..parquet', which smotekit did not write" in err
    assert (out / "part..parquet").read_bytes() == b"not a part"


def test_rows_in_a_later_file_are_rows(capsys, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    _frame().iloc[:0].to_parquet(folder / "a.parquet", index=False)
    _frame().to_parquet(folder / "b.parquet", index=False)
    code, err = _resample(capsys, folder, tmp_path / "out")
    assert (code, err) == (0, "")
    assert len(pd.read_parquet(tmp_path / "out")) == 30


def test_an_unnamed_stored_index_is_row_numbering(capsys, tmp_path):
    source = tmp_path / "in.parquet"
    _frame().set_axis(np.arange(100, 120)).to_parquet(source)  # not a range
    code, err = _resample(capsys, source, tmp_path / "out")
    assert (code, err) == (0, "")
    written = pd.read_parquet(tmp_path / "out")
    assert list(written.columns) == ["a", "label"] and len(written) == 30


def test_an_output_that_is_a_file_is_refused(capsys, source, tmp_path):
    out = tmp_path / "out"
    out.write_bytes(b"a file")
    code, err = _resample(capsys, source, out)
    assert code == 2 and f"{str(out)!r} is a file. Choose a folder name" in err
    assert out.read_bytes() == b"a file"


def test_a_folder_input_holding_a_stray_csv_is_read(capsys, source, tmp_path):
    (source.parent / "notes.csv").write_text("x\n1\n")
    code, err = _resample(capsys, source.parent, tmp_path / "out")
    assert (code, err) == (0, "")
    assert len(pd.read_parquet(tmp_path / "out")) == 30


def test_a_failed_write_leaves_no_unfinished_folder(
    capsys, source, tmp_path, monkeypatch
):
    def fail(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(_dask_io, "_swap_in", fail)
    code, err = _resample(capsys, source, tmp_path / "out")
    assert code != 0 and "No space left on device" in err
    assert _hidden(tmp_path) == [] and not (tmp_path / "out").exists()
