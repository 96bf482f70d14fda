"""Paths, writes and option types of the command line in detail."""

import os

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main
from smotekit.cli._io import format_bytes


@pytest.fixture
def source(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "x": rng.normal(size=40).round(3),
        "label": ["majority"] * 30 + ["minority"] * 10,
    })  # fmt: skip
    path = tmp_path / "train.csv"
    frame.to_csv(path, index=False)
    return path


def _resample(capsys, source, output, *extra):
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    code = main([*argv, *map(str, extra)])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_output_hard_linked_to_the_input_is_refused(capsys, source, tmp_path):
    output = tmp_path / "same.csv"
    os.link(source, output)
    before = source.read_bytes()
    code, out, err = _resample(capsys, source, output, "--random-state", 0)
    assert code == 2 and out == ""
    assert "refusing to overwrite the input file" in err
    assert source.read_bytes() == before and output.read_bytes() == before


def test_an_output_in_a_missing_folder_is_told_as_such(capsys, source, tmp_path):
    code, _, err = _resample(capsys, source, tmp_path / "nowhere" / "out.csv")
    assert code == 2
    assert f"output folder '{tmp_path / 'nowhere'}' does not exist" in err


def test_an_output_that_is_a_folder_is_refused_before_any_work(
    capsys, source, tmp_path
):
    folder = tmp_path / "out.csv"
    folder.mkdir()
    code, _, err = _resample(capsys, source, folder)
    assert code == 2
    assert f"output '{folder}' is a directory, not a file" in err
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "train.csv"]


def test_the_counts_table_fits_labels_longer_than_its_title(capsys, source, tmp_path):
    code, out, _ = _resample(capsys, source, tmp_path / "out.csv", "--random-state", 0)
    assert code == 0
    assert out.splitlines()[:3] == [
        "class     before  after",
        "majority      30     30",
        "minority      10     30",
    ]


@pytest.mark.parametrize(
    ("seed", "code"), [("4294967295", 0), ("4294967296", 2)], ids=["last", "past"]
)
def test_a_seed_is_below_2_to_32(capsys, source, tmp_path, seed, code):
    got, _, err = _resample(capsys, source, tmp_path / "o.csv", "--random-state", seed)
    assert got == code
    assert ("a seed is an integer from 0 to 4294967295; got 4294967296" in err) == (
        code == 2
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--n-jobs", "0 threads cannot run anything"),
        ("--k-neighbors", "must be at least 1, got 0"),
        ("--m-neighbors", "must be at least 1, got 0"),
    ],
)
def test_zero_is_refused_where_it_means_nothing(
    capsys, source, tmp_path, option, message
):
    output = tmp_path / "o.csv"
    code, _, err = _resample(
        capsys, source, output, "--method", "borderline1", option, 0
    )
    assert code == 2
    assert message in err
    assert not output.exists()


def test_a_kibibyte_is_told_in_kib():
    assert format_bytes(1023) == "1023 bytes"
    assert format_bytes(1024) == "1.0 KiB"
    assert format_bytes(2**20) == "1.0 MiB"
