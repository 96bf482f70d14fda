"""CSV files through the command line: the original rows come back with
the values as written (leading zeros, text that spells a missing value,
whole numbers beside empty cells, repeated column names), and the messages
for files and options the command cannot take speak of the command line."""

import csv
import subprocess
import sys

import pandas as pd
import pytest

from smotekit.cli import main
from smotekit.cli._csv import read_csv


def _resample(src, out, *options):
    """``smotekit resample SRC -o OUT --target label OPTIONS...``: exit code."""
    return main(["resample", str(src), "-o", str(out), "--target", "label", *options])


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _table(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


# ---------------------------------------------------------------- CSV fidelity


def test_text_labels_with_leading_zeros_are_kept(tmp_path):
    # Labels "01"/"02" are class names, not numbers: the original rows must come
    # back with "01"/"02" (the CSV is read with type inference, so they become 1/2).
    src = _table(
        tmp_path / "in.csv",
        ["a", "b", "label"],
        [[i, i * 2, "01" if i < 8 else "02"] for i in range(12)],
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--k-neighbors", "2", "--random-state", "0", "-q")
    assert code == 0
    labels = {row[2] for row in _rows(out)[1:]}
    assert labels == {"01", "02"}


def test_numeric_looking_text_column_keeps_leading_zeros(tmp_path):
    # --method random only copies rows, so zip codes such as "02134" must be
    # written back unchanged (they come out as 2134 / 501: data corruption).
    zips = [
        "02134",
        "00501",
        "02134",
        "10001",
        "00501",
        "02134",
        "10001",
        "00501",
        "02134",
        "00501",
        "02134",
        "00501",
    ]
    src = _table(
        tmp_path / "in.csv",
        ["x", "zip", "label"],
        [[i, zips[i], "a" if i < 8 else "b"] for i in range(12)],
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--method", "random", "--random-state", "0", "-q")
    assert code == 0
    assert [row[1] for row in _rows(out)[1:13]] == zips


def test_text_value_NA_is_not_turned_into_missing(tmp_path):
    # "NA" is a real value here (Namibia's country code); --method random copies
    # rows, so the original rows must still say "NA", not an empty cell.
    countries = ["NA", "US", "NA", "DE", "NA", "US", "NA", "DE", "NA", "NA", "US", "NA"]
    src = _table(
        tmp_path / "in.csv",
        ["x", "country", "label"],
        [[i, countries[i], "a" if i < 8 else "b"] for i in range(12)],
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--method", "random", "--random-state", "0", "-q")
    assert code == 0
    assert [row[1] for row in _rows(out)[1:13]] == countries


def test_label_NA_is_a_class_not_a_missing_label(tmp_path, capsys):
    # A target whose classes are "US" and "NA" has no missing labels; the
    # command claims "4 missing label(s)" and refuses a valid file.
    src = _table(
        tmp_path / "in.csv",
        ["x", "y", "label"],
        [[i, i % 3, "US" if i < 8 else "NA"] for i in range(12)],
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--method", "random", "--random-state", "0", "-q")
    assert code == 0, capsys.readouterr().err
    assert {row[2] for row in _rows(out)[1:]} == {"US", "NA"}


def test_integer_column_with_a_gap_keeps_integer_text(tmp_path):
    # An integer column with one empty cell is read as float, so "7" is
    # written back as "7.0": --method random must reproduce the original rows.
    src = _write(
        tmp_path / "in.csv",
        "x,n,label\n"
        + "".join(
            f"{i},{'' if i == 3 else i * 7},{'a' if i < 8 else 'b'}\n"
            for i in range(12)
        ),
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--method", "random", "--random-state", "0", "-q")
    assert code == 0
    original = _rows(src)[1:]
    assert _rows(out)[1:13] == original


@pytest.mark.parametrize("before", ["", "\n", "\r\n\n"])
def test_duplicate_column_names_are_not_renamed(tmp_path, before):
    # pandas reads "x,x,label" as "x,x.1,label" (blank lines before the
    # header skipped); the output keeps the names as written
    rows = "".join(f"{i},{i * 2},{'a' if i < 8 else 'b'}\n" for i in range(12))
    src = _write(tmp_path / "in.csv", before + "x,x,label\n" + rows)
    assert read_csv(src).columns.tolist() == ["x", "x", "label"]
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--k-neighbors", "2", "--random-state", "0", "-q")
    assert code == 0
    assert _rows(out)[0] == ["x", "x", "label"]
    assert _rows(out)[1:13] == [line.split(",") for line in rows.splitlines()]


# ---------------------------------------------------------------- messages


def test_k_too_large_message_names_the_command_line_option(tmp_path, capsys):
    # k larger than the minority class: the one-line error should name
    # --k-neighbors and --method random (as the other resample errors do),
    # not the Python names 'k_neighbors' / RandomOverSampler / n_neighbors.
    src = _table(
        tmp_path / "in.csv",
        ["x", "y", "label"],
        [[i, i % 3, "a" if i < 15 else "b"] for i in range(20)],
    )
    code = main(
        [
            "resample",
            str(src),
            "-o",
            str(tmp_path / "o.csv"),
            "--target",
            "label",
            "--k-neighbors",
            "9",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--k-neighbors" in err
    assert "RandomOverSampler" not in err


@pytest.mark.parametrize("command", ["resample", "evaluate"])
def test_semicolon_csv_error_does_not_suggest_the_whole_header(
    tmp_path, capsys, command
):
    # A ';'-separated file: "Did you mean 'x1;x2;label'?" is misleading; the
    # message should say the file is not comma-separated (delimiter/separator).
    src = _write(
        tmp_path / "in.csv",
        "x1;x2;label\n"
        + "".join(f"{i};{i};{'a' if i < 8 else 'b'}\n" for i in range(12)),
    )
    output = tmp_path / ("o.csv" if command == "resample" else "o.html")
    code = main([command, str(src), "-o", str(output), "--target", "label"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Did you mean 'x1;x2;label'" not in err
    assert any(word in err.lower() for word in ("delimiter", "separat", "comma"))


def test_quiet_prints_nothing_for_a_wide_table(tmp_path):
    # --help says -q prints nothing on success; a 200-column table makes pandas
    # print a PerformanceWarning (from resample.py's frame.insert) on stderr.
    n = 200
    header = [f"c{j}" for j in range(n)] + ["label"]
    rows = [
        [f"{(i * 7 + j) % 13 / 10:.1f}" for j in range(n)] + ["a" if i < 14 else "b"]
        for i in range(20)
    ]
    src = _table(tmp_path / "in.csv", header, rows)
    out = tmp_path / "out.csv"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from smotekit.cli import main; sys.exit(main(sys.argv[1:]))",
            "resample",
            str(src),
            "-o",
            str(out),
            "--target",
            "label",
            "--k-neighbors",
            "3",
            "--random-state",
            "0",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == ""


@pytest.mark.parametrize("separator, shown", [("\t", "tab"), ("|", "'|'")])
def test_other_separators_are_named(tmp_path, capsys, separator, shown):
    src = _write(tmp_path / "in.csv", separator.join(["x1", "x2", "label"]) + "\n1" +
                 separator + "2" + separator + "a\n")  # fmt: skip
    code = main(
        ["resample", str(src), "-o", str(tmp_path / "o.csv"), "--target", "label"]
    )
    assert code == 2
    assert f"seems to separate its fields with {shown}" in capsys.readouterr().err


def test_a_repeated_target_column_is_refused_by_name(tmp_path, capsys):
    src = _write(tmp_path / "in.csv", "x,label,label\n" + "1,a,a\n" * 12)
    code = main(
        ["resample", str(src), "-o", str(tmp_path / "o.csv"), "--target", "label"]
    )
    assert code == 2
    assert (
        "target column 'label' appears 2 times in the header" in capsys.readouterr().err
    )


def test_a_class_of_one_row_is_told_to_use_random_or_leave_it_out(tmp_path, capsys):
    src = _table(tmp_path / "in.csv", ["x", "label"],
                 [[i, "a" if i < 11 else "b"] for i in range(12)])  # fmt: skip
    code = main(
        ["resample", str(src), "-o", str(tmp_path / "o.csv"), "--target", "label"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "class 'b' has 1 row(s), too few for --k-neighbors 5" in err
    assert "Use --method random (copies rows), or leave the class out" in err


# --- the reader itself


def test_numbers_beside_missing_value_spellings_are_numbers(tmp_path):
    # in a column of numbers, NA / null / n/a are missing (as pandas reads
    # them); in a text column they are values
    src = _write(tmp_path / "in.csv",
                 "f,i,t\n1.5,7,NA\nNA,null,US\nn/a,-3,null\n")  # fmt: skip
    frame = read_csv(src)
    assert frame["f"].dtype == "float64" and frame["f"].isna().tolist() == [
        False, True, True]  # fmt: skip
    assert frame["i"].dtype == "Int64" and frame["i"].tolist()[::2] == [7, -3]
    assert frame["t"].tolist() == ["NA", "US", "null"]


def test_whole_numbers_beside_empty_cells_stay_exact_past_2_to_53(tmp_path):
    src = _write(tmp_path / "in.csv", "n,m\n9007199254740993,\n,1.0\n")
    frame = read_csv(src)
    assert frame["n"].dtype == "Int64" and frame["n"][0] == 2**53 + 1
    assert frame["m"].dtype == "float64"  # "1.0" is not written as a whole number


def test_past_int64_digits_beside_empty_cells_stay_exact(tmp_path):
    # pandas reads them as Python ints beside NaN, exactly; so does read_csv
    src = _write(tmp_path / "in.csv", "n,m\n99999999999999999999,1\n,2\n")
    values = read_csv(src)["n"].tolist()
    assert values[0] == 99999999999999999999 and pd.isna(values[1])


def test_plain_tables_read_as_pandas_reads_them(tmp_path):
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, -1.25, 3.0], "c": ["x", "y", "z"],
                          "d": [True, False, True], "e": [0, 10, 20]})  # fmt: skip
    frame.to_csv(tmp_path / "in.csv", index=False)
    pd.testing.assert_frame_equal(
        read_csv(tmp_path / "in.csv"), pd.read_csv(tmp_path / "in.csv")
    )


@pytest.mark.parametrize(
    "chunk", [2**20, 7]
)  # the bad byte in the first block, or later
def test_a_file_not_in_utf8_is_located_and_told_how_to_convert(tmp_path, capsys, chunk):
    from smotekit.cli import _csv

    src = tmp_path / "latin1.csv"
    src.write_bytes(b"a,label\n1,x\n2,y\n3,caf\xe9\n4,x\n")
    error = _csv._not_utf8(src, chunk=chunk)
    assert str(error) == (
        "the file is not UTF-8 text (byte 0xe9 on line 4, byte 21 of the file). "
        "Save it as UTF-8 (a spreadsheet's 'CSV UTF-8' format, or iconv -f "
        "latin1 -t utf-8 for a Latin-1 file)."
    )
    out = tmp_path / "out.csv"
    assert _resample(src, out, "-q") == 2
    err = capsys.readouterr().err
    assert err == f"smotekit: error: cannot read {str(src)!r} as CSV: {error}\n"
    assert not out.exists()


@pytest.mark.parametrize("big", [1234567890123456789, -9223372036854775808])
def test_nineteen_digit_integers_beside_a_gap_keep_their_text(tmp_path, big):
    src = _write(
        tmp_path / "in.csv",
        "x,id,label\n"
        + "".join(
            f"{i},{'' if i == 3 else big + (i if big > 0 else i * 0)},"
            f"{'a' if i < 8 else 'b'}\n"
            for i in range(12)
        ),
    )
    out = tmp_path / "out.csv"
    code = _resample(src, out, "--method", "random", "--random-state", "0", "-q")
    assert code == 0
    assert _rows(out)[1:13] == _rows(src)[1:]


@pytest.mark.parametrize(
    "rows",
    ["r1,1.5,2.5,a\nr2,1.0,2.0,b\n", "1.5,2.5,a,\n1.0,2.0,b,\n"],
    ids=["row-names", "trailing-commas"],
)
def test_rows_longer_than_the_header_are_refused(tmp_path, capsys, rows):
    src = _write(tmp_path / "in.csv", "f1,f2,label\n" + rows)
    assert _resample(src, tmp_path / "out.csv", "-q") == 2
    err = capsys.readouterr().err
    assert "have 1 field more than its header (3 names)" in err
    assert "Name every column in the header, or remove the trailing commas." in err
    assert not (tmp_path / "out.csv").exists()
