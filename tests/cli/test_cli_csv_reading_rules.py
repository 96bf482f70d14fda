"""CSV reading rules in detail: the original rows of a ``smotekit resample``
output are the input's lines, byte for byte, for the values these rules keep
as written."""

import pytest

from smotekit.cli import main


def _written_back(tmp_path, lines):
    """Resample the table of ``lines`` (the last column is the label) by
    copying rows; return the output's lines for the input's rows."""
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    assert main([*argv, "--method", "random", "--random-state", "0", "-q"]) == 0
    return output.read_text(encoding="utf-8").splitlines()[: len(lines)]


@pytest.mark.parametrize(
    "cells",
    [
        ["01", "10", "7"],  # one leading zero makes the column text
        ["-01", "10", "7"],  # after a sign too
        ["+01", "-1", "7"],
    ],
    ids=["one-of-three", "signed", "plus-signed"],
)
def test_a_column_with_one_leading_zero_keeps_every_cell_as_written(tmp_path, cells):
    lines = ["code,label", *(f"{c},{y}" for c, y in zip(cells, "aab", strict=True))]
    assert _written_back(tmp_path, lines) == lines


def test_a_signed_leading_zero_alone_in_the_file_is_found(tmp_path):
    # the byte scan that decides whether integer columns are read again
    # must look past a sign: here no other field starts with a zero
    lines = ["code,n,label", "-05,1,a", "3,2,a", "4,3,b"]
    assert _written_back(tmp_path, lines) == lines


def test_a_text_column_of_missing_value_spellings_only_stays_text(tmp_path):
    lines = ["note,x,label", "NA,1,a", "null,2,a", "NA,3,b"]
    assert _written_back(tmp_path, lines) == lines


def test_whole_numbers_beside_spelled_missing_cells_stay_whole(tmp_path):
    # "NA" is missing in a column of numbers; the numbers beside it and an
    # empty cell are still whole numbers, not floats written "-7.0"
    lines = ["n,x,label", "-7,1,a", ",2,a", "NA,3,b", "12,4,b"]
    out = _written_back(tmp_path, lines)
    assert out == ["n,x,label", "-7,1,a", ",2,a", ",3,b", "12,4,b"]


def test_a_value_just_past_int64_beside_a_gap_keeps_its_text(tmp_path):
    lines = ["n,x,label", "9223372036854775808,1,a", ",2,a", "5,3,b"]
    assert _written_back(tmp_path, lines) == lines


def test_a_byte_order_mark_does_not_enter_a_repeated_header(tmp_path):
    source = tmp_path / "in.csv"
    output = tmp_path / "out.csv"
    source.write_bytes(b"\xef\xbb\xbfx,x,label\n1.5,2,a\n2.5,3,a\n3.5,4,b\n")
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    assert main([*argv, "--method", "random", "--random-state", "0", "-q"]) == 0
    assert output.read_bytes().startswith(b"x,x,label\n1.5,2,a\n")


def test_blank_lines_before_a_repeated_header_are_skipped(tmp_path):
    source = tmp_path / "in.csv"
    output = tmp_path / "out.csv"
    source.write_text("\n\nx,x,label\n1.5,2,a\n2.5,3,a\n3.5,4,b\n")
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    assert main([*argv, "--method", "random", "--random-state", "0", "-q"]) == 0
    assert output.read_text().startswith("x,x,label\n1.5,2,a\n")
