"""``smotekit resample``'s method options at their limits: the SMOTE
variants' refusals told in options, ``--sampling-strategy`` objects that
name a class twice, ``--categorical`` naming date columns or a list, and the
advice given when memory runs out."""

import numpy as np
import pandas as pd
import pytest
from cli_run import resample


def assert_refused(code, out, err, folder, kept=("in.csv",)):
    """One error line, nothing on stdout, no file but the input written."""
    assert code == 2 and out == ""
    assert err.startswith("smotekit: error: ") and err.count("\n") == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted(kept)


@pytest.fixture
def one_row_class(tmp_path):
    """Three classes and a fourth of one row, far from the others' mix."""
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.normal(size=(40, 2)).round(4), columns=["a", "b"])
    table["label"] = ["cat"] * 22 + ["dog"] * 9 + ["eel"] * 8 + ["fox"]
    source = tmp_path / "in.csv"
    table.to_csv(source, index=False)
    return source


def test_svm_smote_support_vectors_all_noise_is_told_in_options(
    capsys, one_row_class, tmp_path
):
    # the library's advice ("Try another SMOTE variant (SMOTE,
    # BorderlineSMOTE), or a larger m_neighbors") came alone: no option named
    code, out, err = resample(
        capsys, one_row_class, tmp_path / "out.csv", "--method", "svm_smote"
    )
    assert_refused(code, out, err, tmp_path)
    assert "All support vectors are considered as noise" in err
    assert "class 'fox'" in err
    assert (
        "On the command line its m_neighbors is --m-neighbors; --method smote or "
        "--method random take the class as it is."
    ) in err


def test_svm_smote_refusal_keeps_an_existing_output(capsys, one_row_class, tmp_path):
    output = tmp_path / "out.csv"
    output.write_text("kept\n")
    code, out, err = resample(capsys, one_row_class, output, "--method", "svm_smote")
    assert_refused(code, out, err, tmp_path, kept=("in.csv", "out.csv"))
    assert output.read_text() == "kept\n"


@pytest.mark.parametrize("extra", [[], ["--k-neighbors", "1"]], ids=["k5", "k1"])
def test_kmeans_smote_on_fewer_rows_than_clusters_is_told_in_options(
    capsys, tmp_path, extra
):
    # the library's "Pass kmeans_estimator=<an int of at most 6>" names a
    # parameter the command line does not have
    source = tmp_path / "in.csv"
    source.write_text("a,b,label\n0,0,x\n1,0,x\n0,1,x\n1,1,x\n0.5,0.5,y\n0.4,0.6,y\n")
    code, out, err = resample(
        capsys, source, tmp_path / "out.csv", "--method", "kmeans_smote", *extra
    )
    assert_refused(code, out, err, tmp_path)
    assert "kmeans_estimator" not in err
    assert (
        "--method kmeans_smote groups the rows into 8 clusters (its number of "
        "clusters is no option here), but the table has 6 rows. Use another "
        "--method (smote, borderline1, borderline2, adasyn, svm_smote), or "
        "--method random (copies rows)."
    ) in err


def test_kmeans_smote_on_exactly_as_many_rows_as_clusters_runs(capsys, tmp_path):
    # the boundary of that refusal: 8 rows make 8 clusters
    source = tmp_path / "in.csv"
    rows = [f"{i},{i % 3},{'x' if i < 5 else 'y'}" for i in range(8)]
    source.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    code, out, err = resample(
        capsys, source, tmp_path / "out.csv", "--method", "kmeans_smote"
    )
    # past the count of clusters, to the clusters themselves
    assert_refused(code, out, err, tmp_path)
    assert "groups the rows into" not in err
    assert "No clusters found with sufficient samples of class 'y'" in err


@pytest.fixture
def three_classes(tmp_path):
    rng = np.random.default_rng(2)
    table = pd.DataFrame(rng.normal(size=(60, 2)).round(4), columns=["a", "b"])
    table["label"] = ["cat"] * 36 + ["dog"] * 14 + ["eel"] * 10
    source = tmp_path / "in.csv"
    table.to_csv(source, index=False)
    return source


@pytest.mark.parametrize(
    "strategy",
    ['{"dog": 20, "dog": 30}', '{"dog": 20, "eel": 12, "dog": 20}'],
    ids=["different-counts", "same-count"],
)
def test_a_class_named_twice_in_the_json_strategy_is_refused(
    capsys, three_classes, tmp_path, strategy
):
    # JSON objects keep the last of repeated keys: the first count was
    # dropped silently
    code, out, err = resample(
        capsys, three_classes, tmp_path / "out.csv", "--sampling-strategy", strategy
    )
    assert code == 2 and out == ""
    assert (
        "the sampling strategy names the class 'dog' twice; give each class once"
    ) in " ".join(err.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_class_named_once_in_the_json_strategy_still_runs(
    capsys, three_classes, tmp_path
):
    output = tmp_path / "out.csv"
    code, _, err = resample(
        capsys, three_classes, output, "--sampling-strategy", '{"dog": 30}'
    )
    assert (code, err) == (0, "")
    counts = pd.read_csv(output)["label"].value_counts().to_dict()
    assert counts == {"cat": 36, "dog": 30, "eel": 10}


@pytest.fixture
def dated(tmp_path):
    """Scores, a text city and a date column; label last."""
    rng = np.random.default_rng(5)
    n = 60
    return pd.DataFrame(
        {
            "x": rng.normal(size=n).round(3),
            "city": rng.choice(["Oslo", "Lima"], n),
            "day": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 9, n), unit="D"),
            "label": [0] * 45 + [1] * 15,
        }
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_date_column_named_by_categorical_is_copied_from_a_row(
    capsys, dated, tmp_path, suffix
):
    # refused as a column "--method smotenc cannot interpolate", which the
    # option had asked it not to interpolate
    from smotekit import SMOTENC

    pytest.importorskip("pyarrow")
    source, output = tmp_path / "in.parquet", tmp_path / f"out{suffix}"
    dated.to_parquet(source, index=False)
    extra = ["--method", "smotenc", "--categorical", "day", "--k-neighbors", "3"]
    code, out, err = resample(capsys, source, output, *extra)
    assert (code, err) == (0, "")
    assert "30 synthetic" in out
    X, y = dated.drop(columns="label"), dated["label"]
    expected = SMOTENC(
        categorical_features=["city", "day"], k_neighbors=3, random_state=0
    ).fit_resample(X, y)[0]
    if suffix == ".parquet":
        result = pd.read_parquet(output)
        assert result["day"].dtype == dated["day"].dtype
    else:
        result = pd.read_csv(output, parse_dates=["day"])
        expected["day"] = expected["day"].astype(result["day"].dtype)
    pd.testing.assert_frame_equal(result.iloc[: len(dated)], dated)
    assert set(result["day"].iloc[len(dated) :]) <= set(dated["day"])
    pd.testing.assert_frame_equal(
        result.drop(columns="label"),
        expected.reset_index(drop=True),
        check_dtype=suffix == ".parquet",
    )


def test_a_date_column_not_named_is_still_refused_with_the_option_as_a_way(
    capsys, dated, tmp_path
):
    pytest.importorskip("pyarrow")
    source, output = tmp_path / "in.parquet", tmp_path / "out.parquet"
    dated.to_parquet(source, index=False)
    code, out, err = resample(capsys, source, output, "--method", "smotenc")
    assert_refused(code, out, err, tmp_path, kept=("in.parquet",))
    assert "'day' (datetime64[" in err and "cannot interpolate" in err
    assert "--categorical day" in err


@pytest.mark.parametrize("given", ["day,city", "day, city", "x,day"])
def test_a_list_given_to_categorical_says_to_repeat_the_option(
    capsys, dated, tmp_path, given
):
    # told "Did you mean 'day'?", which points to one of the columns only
    dated = dated.drop(columns="day").assign(day=np.arange(60) % 4)
    source = tmp_path / "in.csv"
    dated.to_csv(source, index=False)
    code, out, err = resample(
        capsys, source, tmp_path / "out.csv", "--method", "smotenc",
        "--categorical", given,
    )  # fmt: skip
    assert_refused(code, out, err, tmp_path)
    names = [n.strip() for n in given.split(",")]
    assert "Did you mean" not in err
    assert (
        f"--categorical {given!r} is not a column; the option takes one column "
        f"name: repeat it for each column (--categorical {names[0]} "
        f"--categorical {names[1]})."
    ) in err


@pytest.mark.parametrize("method", ["borderline1", "svm_smote", "kmeans_smote"])
def test_out_of_memory_advice_names_the_methods_of_the_dask_engine(
    capsys, tmp_path, method
):
    # it said "--engine dask (--method smote or random)", before the dask
    # engine had the Borderline variants and ADASYN
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.normal(size=(60, 2)).round(3), columns=["x1", "x2"])
    table["label"] = ["a"] * 40 + ["b"] * 20
    source = tmp_path / "in.csv"
    table.to_csv(source, index=False)
    code, out, err = resample(
        capsys, source, tmp_path / "out.csv", "--method", method,
        "--sampling-strategy", '{"b": 100000000000000000}',
    )  # fmt: skip
    assert_refused(code, out, err, tmp_path)
    assert err.startswith("smotekit: error: out of memory:")
    assert "(--method smote or random)" not in err
    assert (
        "use --engine dask (which has --method smote, random, borderline1, "
        "borderline2 and adasyn)"
    ) in err


@pytest.fixture
def far_and_tiny(tmp_path):
    """A class far from the others (no row in danger: Borderline warns) and
    one of 3 rows (too few for 5 neighbours: refused)."""
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal(size=(50, 2)),
            rng.normal(size=(8, 2)) + 10,
            rng.normal(size=(3, 2)),
        ]
    )
    table = pd.DataFrame(X.round(4), columns=["a", "b"])
    table["label"] = ["maj"] * 50 + ["far"] * 8 + ["tiny"] * 3
    return table


def test_a_refused_run_prints_its_error_line_alone(capsys, far_and_tiny, tmp_path):
    # the warning of a class resampled before the refusal came first, telling
    # of samples generated that were never written
    source = tmp_path / "in.csv"
    far_and_tiny.to_csv(source, index=False)
    code, out, err = resample(
        capsys, source, tmp_path / "out.csv", "--method", "borderline1"
    )
    assert_refused(code, out, err, tmp_path)
    assert "warning" not in err
    assert "class 'tiny' has 3 row(s), too few for --k-neighbors 5" in err


def test_the_dask_engine_prints_its_error_line_alone(capsys, far_and_tiny, tmp_path):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    far_and_tiny.to_parquet(source, index=False)
    code, out, err = resample(
        capsys, source, tmp_path / "out", "--method", "borderline1",
        "--engine", "dask",
    )  # fmt: skip
    assert_refused(code, out, err, tmp_path, kept=("in.parquet",))
    assert "warning" not in err


def test_a_run_that_succeeds_still_prints_its_warning(capsys, far_and_tiny, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    far_and_tiny.to_csv(source, index=False)
    strategy = '{"far": 50}'
    code, out, err = resample(
        capsys, source, output, "--method", "borderline1",
        "--sampling-strategy", strategy,
    )  # fmt: skip
    assert code == 0 and "42 synthetic" in out
    assert err.startswith("smotekit: warning: BorderlineSMOTE: class 'far' has no")
    assert err.count("\n") == 1
    assert len(pd.read_csv(output)) == 103
