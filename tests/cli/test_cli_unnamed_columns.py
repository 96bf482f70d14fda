"""Columns without a name (an empty header cell, as pandas writes for its
index or a line ending in a comma leaves) come back unnamed, header line
byte for byte, and messages call them by their position."""

import numpy as np
import pytest

from smotekit.cli import main


def _csv(path, header, n_rows=30, trailing=""):
    """A seeded table under ``header`` (its last named column is the label);
    ``trailing`` ends every row."""
    rng = np.random.default_rng(0)
    lines = [header]
    for i in range(n_rows):
        label = "a" if i < 24 else "b"
        n_features = header.count(",") - trailing.count(",")
        cells = [repr(v) for v in rng.random(n_features).round(3).tolist()]
        lines.append(",".join([*cells, label]) + trailing)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _resample(capsys, source, *options, target="label"):
    output = source.with_name("out.csv")
    code = main(
        ["resample", str(source), "-o", str(output), "--target", target, *options]
    )
    _, err = capsys.readouterr()
    return code, output, err


def _first_line(path):
    with open(path, "rb") as file:
        return file.readline()


@pytest.mark.parametrize("method", ["smote", "random"])
@pytest.mark.parametrize("header", [",x,label", "Unnamed: 0,,x,label", ",,x,label"])
def test_an_empty_header_cell_is_written_back_empty(capsys, tmp_path, header, method):
    # pandas writes ",x,label" for its index; a real "Unnamed: 0" stays as named
    source = _csv(tmp_path / "in.csv", header)
    code, output, err = _resample(capsys, source, "--method", method, "-q")
    assert (code, err) == (0, "")
    assert _first_line(output) == _first_line(source)


def test_a_trailing_comma_stays_a_trailing_comma(capsys, tmp_path):
    source = _csv(tmp_path / "in.csv", "x1,x2,label,", trailing=",")
    code, output, err = _resample(capsys, source, "--method", "random", "-q")
    assert (code, err) == (0, "")
    lines = output.read_bytes().splitlines(keepends=True)
    assert lines[0] == b"x1,x2,label,\n"
    assert lines[1:31] == source.read_bytes().splitlines(keepends=True)[1:]
    assert all(line.endswith(b",\n") for line in lines[31:])


def test_messages_call_an_unnamed_column_by_its_position(capsys, tmp_path):
    # the empty 4th column is all missing: SMOTE cannot interpolate it
    source = _csv(tmp_path / "in.csv", "x1,x2,label,", trailing=",")
    code, output, err = _resample(capsys, source)
    assert code == 2
    assert "column '<unnamed column 4>'" in err and "Unnamed" not in err
    assert not output.exists()


def test_a_missing_target_lists_the_unnamed_column_by_its_position(capsys, tmp_path):
    source = _csv(tmp_path / "in.csv", ",x,label")
    code, _, err = _resample(capsys, source, target="lbl")
    assert code == 2
    assert "Available columns: '<unnamed column 1>', 'x', 'label'." in err


def test_an_unnamed_column_can_be_the_target_by_its_position(capsys, tmp_path):
    source = _csv(tmp_path / "in.csv", "x1,x2,")
    code, output, err = _resample(
        capsys, source, "--method", "random", "-q", target="<unnamed column 3>"
    )
    assert (code, err) == (0, "")
    assert _first_line(output) == b"x1,x2,\n"
