"""``smotekit resample --method smotenc --categorical COL``: numeric codes of
categories are copied from a row, never interpolated."""

import numpy as np
import pandas as pd
import pytest
from cli_run import run

from smotekit import SMOTENC
from smotekit.cli.resample import resample_frame

N_MAJORITY, N_MINORITY = 60, 12
CODES = (10, 20, 30, 40)


@pytest.fixture
def frame():
    """Scores, a numeric region code and a text city; label in the middle."""
    rng = np.random.default_rng(3)
    n = N_MAJORITY + N_MINORITY
    labels = np.array([0] * N_MAJORITY + [1] * N_MINORITY)
    rng.shuffle(labels)
    return pd.DataFrame(
        {
            "score": rng.normal(size=n).round(3),
            "region": rng.choice(CODES, n),
            "label": labels,
            "city": rng.choice(["Oslo", "Lima", "Pune"], n),
            "weight": rng.integers(50, 90, n),
        }
    )


def resample(capsys, source, output, *extra):
    argv = ["resample", source, "-o", output, "--target", "label", *extra]
    return run(capsys, *argv, "--random-state", "0", "--k-neighbors", "3")


def test_named_code_columns_are_voted_like_text_columns(capsys, frame, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)

    code, out, _ = resample(
        capsys, source, output, "--method", "smotenc", "--categorical", "region"
    )

    assert code == 0 and f"{N_MAJORITY - N_MINORITY} synthetic" in out
    result = pd.read_csv(output)
    pd.testing.assert_frame_equal(result.iloc[: len(frame)], frame)
    synthetic = result.iloc[len(frame) :]
    assert set(synthetic["region"]) <= set(CODES)
    assert (synthetic["label"] == 1).all()
    # the same as the library given the columns by name: the named code
    # column joins the text column found from its type
    X, y = frame.drop(columns="label"), frame["label"]
    expected = SMOTENC(
        categorical_features=["region", "city"], k_neighbors=3, random_state=0
    ).fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(
        result.drop(columns="label"), expected.reset_index(drop=True)
    )


def test_without_the_option_codes_are_interpolated(capsys, frame, tmp_path):
    # what the option changes: the code column is a number to smotenc
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    code, _, _ = resample(capsys, source, output, "--method", "smotenc")
    assert code == 0
    synthetic = pd.read_csv(output).iloc[len(frame) :]
    assert not set(synthetic["region"]) <= set(CODES)


def test_several_columns_and_a_text_column_named_again(capsys, frame, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    extra = ["--categorical", "weight", "--categorical", "city"]
    extra += ["--categorical", "region", "--categorical", "weight"]

    code, _, _ = resample(capsys, source, output, "--method", "smotenc", *extra)

    assert code == 0
    result = pd.read_csv(output)
    synthetic = result.iloc[len(frame) :]
    assert set(synthetic["weight"]) <= set(frame["weight"])
    assert set(synthetic["region"]) <= set(CODES)
    assert result["weight"].dtype == frame["weight"].dtype
    X, y = frame.drop(columns="label"), frame["label"]
    expected = SMOTENC(
        categorical_features=[1, 2, 3], k_neighbors=3, random_state=0
    ).fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(
        result.drop(columns="label"), expected.reset_index(drop=True)
    )


def test_resample_frame_takes_the_names(frame):
    out = resample_frame(
        frame, "label", method="smotenc", categorical=["region"], random_state=1
    )
    assert len(out) == 2 * N_MAJORITY
    assert set(out["region"]) <= set(CODES)
    pd.testing.assert_frame_equal(out.iloc[: len(frame)], frame)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            ["--categorical", "region"],
            "--categorical applies only to --method smotenc (the other methods",
        ),
        (
            ["--method", "random", "--categorical", "region"],
            "Add --method smotenc, or drop --categorical.",
        ),
        (
            ["--method", "smotenc", "--categorical", "regoin"],
            "--categorical 'regoin' is not in the table. Did you mean 'region'? "
            "Available columns: 'score', 'region', 'city', 'weight'.",
        ),
        (
            ["--method", "smotenc", "--categorical", "label"],
            "--categorical 'label' is the --target column: the class labels are "
            "not a feature. Drop it from --categorical.",
        ),
        (
            ["--method", "smotenc"]
            + [f"--categorical={name}" for name in ("score", "region", "weight")],
            "all 4 features are categorical here. Use SMOTEN for purely "
            "categorical data. On the command line: --method random, or name "
            "fewer columns with --categorical.",
        ),
    ],
    ids=["smote", "random", "misspelt", "target", "every-column"],
)
def test_a_selection_that_cannot_work_is_told(capsys, frame, tmp_path, extra, expected):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    argv = ["resample", source, "-o", output, "--target", "label", *extra]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert expected in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_name_of_two_columns_is_refused(capsys, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = [f"{i % 7 / 3:.3f},{i % 3},{i % 4},{int(i % 6 == 0)}" for i in range(60)]
    source.write_text("x,code,code,label\n" + "\n".join(rows) + "\n")
    argv = ["resample", source, "-o", output, "--target", "label"]
    code, _, err = run(capsys, *argv, "--method", "smotenc", "--categorical", "code")
    assert code == 2 and not output.exists()
    assert "--categorical 'code' names 2 columns of the header" in err


def test_numbers_only_with_smotenc_point_to_the_option(capsys, frame, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.drop(columns="city").to_csv(source, index=False)
    argv = ["resample", source, "-o", output, "--target", "label"]
    code, _, err = run(capsys, *argv, "--method", "smotenc")
    assert code == 2 and not output.exists()
    assert "On the command line: --method smote, or name the columns of " in err
    assert "categories with --categorical COL (one option per column)." in err


def test_the_dask_engine_refuses_the_option_with_smote(capsys, frame, tmp_path):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    frame.to_parquet(source)
    argv = ["resample", source, "-o", tmp_path / "out", "--target", "label"]
    code, _, err = run(capsys, *argv, "--engine", "dask", "--categorical", "region")
    assert code == 2 and not (tmp_path / "out").exists()
    assert "--categorical applies only to --method smotenc" in err


def test_help_tells_the_option(capsys):
    code, out, _ = run(capsys, "resample", "--help")
    assert code == 0
    assert "--categorical COL" in out
    assert "--method smotenc --categorical region_code" in out
