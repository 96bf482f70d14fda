"""``smotekit resample``: running out of memory is one error line that says
what was asked for and how to ask for less; the help names the methods each
option applies to."""

import errno

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main, resample

#: Rows far beyond any address space (1.4 EiB of float64 for 2 features):
#: the allocation fails at once, whatever the machine lets a process map.
HUGE = 10**17


@pytest.fixture
def source(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(30, 2)).round(3), columns=["x1", "x2"])
    frame["label"] = ["a"] * 24 + ["b"] * 6
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return path


def _resample(capsys, source, *options):
    output = source.with_name("out.csv")
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    code = main([*argv, *options])
    _, err = capsys.readouterr()
    return code, err


@pytest.mark.parametrize("method", ["smote", "smotenc", "random"])
def test_a_count_beyond_memory_is_one_error_line(capsys, source, method):
    if method == "smotenc":  # SMOTENC needs a categorical feature
        frame = pd.read_csv(source).assign(colour=["red", "blue", "green"] * 10)
        frame.to_csv(source, index=False)
    strategy = f'{{"b": {HUGE}}}'
    code, err = _resample(
        capsys, source, "--method", method, "--sampling-strategy", strategy
    )
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("smotekit: error: out of memory:")
    assert f"into {HUGE + 24:,} rows ({HUGE - 6:,} synthetic, about " in err
    assert "smaller --sampling-strategy" in err and "--engine dask" in err
    assert sorted(p.name for p in source.parent.iterdir()) == ["in.csv"]


@pytest.mark.parametrize(
    "error, shown",
    [
        (
            MemoryError("Unable to allocate 8.00 GiB for an array"),
            "Unable to allocate 8.00 GiB for an array",
        ),
        # a refused memory mapping: memory ran out just the same
        (
            OSError(errno.ENOMEM, "Cannot allocate memory"),
            "[Errno 12] Cannot allocate memory",
        ),
    ],
    ids=["MemoryError", "ENOMEM"],
)
def test_any_other_memory_error_is_one_error_line(
    capsys, monkeypatch, source, error, shown
):
    def short_of_memory(path):
        raise error

    monkeypatch.setattr(resample, "read_table", short_of_memory)
    code, err = _resample(capsys, source)
    assert code == 2
    assert err == (
        f"smotekit: error: out of memory ({shown}). Give the command a smaller "
        "table or run it on a machine with more memory.\n"
    )


@pytest.mark.parametrize(
    "option, text",
    [
        (
            "--k-neighbors K",
            "neighbours each new row is interpolated towards, with "
            "every method but random",
        ),
        ("--n-jobs N", "threads of the neighbour search of every method but random"),
        ("--m-neighbors M", "with borderline1, borderline2 or svm_smote:"),
        ("--categorical COL", "with --method smotenc:"),
    ],
)
def test_help_names_every_method_an_option_applies_to(capsys, option, text):
    assert main(["resample", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"{option} {text} " in out


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_missing_feature_cells_are_told_as_cells_of_the_file(capsys, source, value):
    frame = pd.read_csv(source)
    frame.loc[7, "x2"] = value
    frame.to_csv(source, index=False)
    code, err = _resample(capsys, source)
    kind = "NaN" if np.isnan(value) else "infinite"
    assert code == 2
    assert err == (
        f"smotekit: error: the feature columns hold 1 {kind} value(s) (first at "
        "data row 7 counting from 0, column 'x2'), and SMOTE cannot use missing or "
        "infinite values. Fill or drop those cells (or their rows) in the file "
        "first. Or use --method random (copies rows, missing cells included).\n"
    )
    assert sorted(p.name for p in source.parent.iterdir()) == ["in.csv"]
    # the way out it gives works
    code, _ = _resample(capsys, source, "--method", "random")
    assert code == 0
    out = pd.read_csv(source.with_name("out.csv"))
    assert len(out) == 48 and out["x2"].iloc[:30].equals(frame["x2"])


@pytest.mark.parametrize("engine", ["pandas", "dask"])
@pytest.mark.parametrize(
    "strategy, labels, told",
    [
        (
            "0.1",
            ["a"] * 24 + ["b"] * 6,
            "--sampling-strategy asks for a minority/majority ratio of 0.1, but "
            "the data already has 0.25 (6 samples of class 'b' vs 24 of class "
            "'a'); over-sampling cannot remove samples. Use a ratio of at least "
            "0.2917 to generate samples.",
        ),
        (
            "0.5",
            ["a"] * 15 + ["b"] * 9 + ["c"] * 6,
            "--sampling-strategy can be a float only for a binary target; the "
            "target has 3 classes ('a', 'b', 'c'). Give a JSON object of final "
            "counts such as '{\"1\": 500}', or 'not majority', for multi-class "
            "targets.",
        ),
        (
            '{"b": 4}',
            ["a"] * 24 + ["b"] * 6,
            "--sampling-strategy asks for 4 samples of class 'b', which already "
            "has 6; an over-sampler can only add samples. Ask for at least 6 "
            "(this command adds rows, it never removes them), or leave the "
            "class out.",
        ),
        (
            '{"z": 40}',
            ["a"] * 24 + ["b"] * 6,
            "--sampling-strategy names class(es) 'z' that are not in the target "
            "column; the classes present are 'a', 'b'. Remove or rename those "
            "keys.",
        ),
        (
            '{"b": 7.5}',
            ["a"] * 24 + ["b"] * 6,
            "--sampling-strategy must map each class to an integer final count; "
            "class 'b' maps to 7.5 (float). Give whole numbers, as in a JSON "
            "object of final counts such as '{\"1\": 500}'.",
        ),
    ],
)
def test_a_strategy_the_labels_cannot_take_is_told_in_options(
    capsys, source, engine, strategy, labels, told
):
    # the library's message speaks of a Python parameter and of dicts; the
    # command line's names the option and the JSON form, on both engines
    frame = pd.read_csv(source).assign(label=labels)
    if engine == "dask":
        source = source.with_suffix(".parquet")
        frame.to_parquet(source)
    else:
        frame.to_csv(source, index=False)
    output = source.with_name("out" + (".csv" if engine == "pandas" else ""))
    argv = ["resample", str(source), "-o", str(output), "--target", "label"]
    code = main([*argv, "--engine", engine, "--sampling-strategy", strategy])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == f"smotekit: error: {told}\n"
    assert not output.exists()
