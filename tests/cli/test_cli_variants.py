"""``smotekit resample --method`` with the SMOTE variants ``smotekit evaluate``
compares: the library's output, both engines, their options and messages."""

import warnings

import numpy as np
import pandas as pd
import pytest
from cli_run import resample, run
from sklearn.datasets import make_classification

from smotekit import ADASYN, SVMSMOTE, BorderlineSMOTE, KMeansSMOTE
from smotekit.cli._io import warnings_told
from smotekit.exceptions import NoDangerSamplesWarning

#: ``--method`` value → the library's sampler with the same settings.
VARIANTS = {
    "borderline1": lambda: BorderlineSMOTE(random_state=0),
    "borderline2": lambda: BorderlineSMOTE(kind="borderline-2", random_state=0),
    "adasyn": lambda: ADASYN(random_state=0),
    "svm_smote": lambda: SVMSMOTE(random_state=0),
    "kmeans_smote": lambda: KMeansSMOTE(random_state=0),
}
DASK_VARIANTS = ("borderline1", "borderline2", "adasyn")


@pytest.fixture(scope="module")
def frame():
    """Overlapping classes (every variant finds seeds); label in the middle."""
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0,
        weights=[0.85], flip_y=0.02, random_state=1,
    )  # fmt: skip
    table = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    table.insert(2, "label", y)
    return table


@pytest.fixture(scope="module")
def separated():
    """A minority class far from the other: no row in danger, no ADASYN weight."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(56, 2)), rng.normal(size=(8, 2)) + 10])
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "label": [0] * 56 + [1] * 8})


def expected_table(sampler, frame):
    X, y = frame.drop(columns="label"), frame["label"]
    X_res, y_res = sampler.fit_resample(X, y)
    X_res.insert(frame.columns.get_loc("label"), "label", y_res)
    return X_res.reset_index(drop=True)


@pytest.mark.parametrize("method", list(VARIANTS))
def test_each_variant_writes_the_library_output(capsys, frame, tmp_path, method):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)

    code, out, err = resample(capsys, source, output, "--method", method)

    assert (code, err) == (0, "")
    n_major = int((frame["label"] == 0).sum())
    assert f"{2 * n_major - len(frame)} synthetic" in out
    result = pd.read_csv(output)
    assert result["label"].value_counts().to_dict() == {0: n_major, 1: n_major}
    pd.testing.assert_frame_equal(result, expected_table(VARIANTS[method](), frame))


@pytest.mark.parametrize("method", DASK_VARIANTS)
def test_the_dask_engine_writes_what_the_pandas_engine_writes(
    capsys, frame, tmp_path, method
):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    frame.to_parquet(source, index=False)
    extra = ["--method", method, "--k-neighbors", "4"]

    code, _, _ = resample(capsys, source, tmp_path / "out", *extra, "--engine", "dask")
    assert code == 0
    code, _, _ = resample(capsys, source, tmp_path / "out.parquet", *extra)
    assert code == 0

    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "out"), pd.read_parquet(tmp_path / "out.parquet")
    )


@pytest.mark.parametrize("method", ["svm_smote", "kmeans_smote"])
def test_the_dask_engine_names_the_methods_it_has(capsys, frame, tmp_path, method):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    frame.to_parquet(source, index=False)
    code, _, err = resample(
        capsys, source, tmp_path / "out", "--method", method, "--engine", "dask"
    )
    assert code == 2 and not (tmp_path / "out").exists()
    assert (
        f"--method {method} is not available with --engine dask (it has smote, "
        "random, borderline1, borderline2, adasyn); use the pandas engine for it."
    ) in err


@pytest.mark.parametrize(
    ("extra", "sampler"),
    [
        (
            ["--method", "borderline1", "--m-neighbors", "4", "--k-neighbors", "3"],
            BorderlineSMOTE(m_neighbors=4, k_neighbors=3, random_state=0),
        ),
        (
            ["--method", "svm_smote", "--m-neighbors", "6"],
            SVMSMOTE(m_neighbors=6, random_state=0),
        ),
        (
            ["--method", "adasyn", "--k-neighbors", "3"],
            ADASYN(n_neighbors=3, random_state=0),
        ),
        (
            ["--method", "kmeans_smote", "--k-neighbors", "3"],
            KMeansSMOTE(k_neighbors=3, random_state=0),
        ),
    ],
    ids=["borderline-m-k", "svm-m", "adasyn-k", "kmeans-k"],
)
def test_neighbour_options_reach_the_parameters(
    capsys, frame, tmp_path, extra, sampler
):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    code, _, _ = resample(capsys, source, output, *extra)
    assert code == 0
    result = pd.read_csv(output)
    pd.testing.assert_frame_equal(result, expected_table(sampler, frame))
    # and the options change the output: the default settings give another
    method = extra[1]
    assert not result.equals(expected_table(VARIANTS[method](), frame))


def tiny_table():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"a": rng.normal(size=9), "b": rng.normal(size=9), "label": [0] * 3 + [1] * 6}
    )


@pytest.mark.parametrize(
    ("table", "extra", "expected"),
    [
        (
            tiny_table,
            ["--method", "borderline2", "--k-neighbors", "2"],
            "the table has 9 rows, too few for --m-neighbors 10 (BorderlineSMOTE "
            "looks for 10 neighbours of each row among all rows). Use "
            "--m-neighbors 8 or less, or --method smote.",
        ),
        (
            tiny_table,
            ["--method", "adasyn", "--k-neighbors", "6"],
            "class 0 has 3 row(s), too few for --k-neighbors 6 (a class to "
            "over-sample needs k + 1 rows",
        ),
        (
            "separated",
            ["--method", "adasyn"],
            "ADASYN cannot weight class 1: none of its 8 samples has a sample of "
            "another class among its 5 nearest neighbours",
        ),
        (
            tiny_table,
            ["--method", "kmeans_smote"],
            "Its clusters and their threshold are no options here. On the command "
            "line its k_neighbors is --k-neighbors; --method smote or --method "
            "random take the class as it is.",
        ),
        (
            "separated",
            ["--method", "smote", "--m-neighbors", "3"],
            "--m-neighbors applies only to --method borderline1, borderline2 or "
            "svm_smote (the neighbours among all rows of their danger test). Drop "
            "--m-neighbors, or use one of those methods.",
        ),
        (
            "separated",
            ["--method", "random", "--k-neighbors", "3"],
            "--k-neighbors applies only to the methods that interpolate between "
            "neighbours; random over-sampling copies rows",
        ),
    ],
    ids=[
        "m-beyond-rows",
        "k-beyond-class",
        "adasyn-no-weight",
        "kmeans-no-cluster",
        "m-with-smote",
        "k-with-random",
    ],
)
def test_a_variant_that_cannot_run_is_told_in_options(
    capsys, request, tmp_path, table, extra, expected
):
    table = request.getfixturevalue(table) if isinstance(table, str) else table()
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    table.to_csv(source, index=False)
    code, out, err = resample(capsys, source, output, *extra)
    assert code == 2 and out == ""
    assert err.startswith("smotekit: error: ") and err.count("\n") == 1
    assert expected in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            ["--method", "borderline1", "--m-neighbors", "64"],
            "the table has 64 rows, too few for --m-neighbors 64",
        ),
        (
            ["--method", "adasyn"],
            "On the command line its n_neighbors is --k-neighbors",
        ),
    ],
    ids=["m-beyond-rows", "adasyn-no-weight"],
)
def test_the_dask_engine_tells_them_alike(capsys, separated, tmp_path, extra, expected):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    separated.to_parquet(source, index=False)
    code, _, err = resample(
        capsys, source, tmp_path / "out", *extra, "--engine", "dask"
    )
    assert code == 2 and not (tmp_path / "out").exists()
    assert expected in err


def test_no_danger_is_a_warning_line_in_options(capsys, separated, tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    separated.to_csv(source, index=False)

    code, out, err = resample(capsys, source, output, "--method", "borderline1")

    assert code == 0 and "48 synthetic" in out
    assert err.startswith("smotekit: warning: BorderlineSMOTE: class 1 has no sample")
    assert err.count("\n") == 1
    assert "Use --method smote for this class, or change --m-neighbors" in err
    assert len(pd.read_csv(output)) == 112

    code, out, err = resample(capsys, source, output, "--method", "borderline1", "-q")
    assert (code, out, err) == (0, "", "")


def test_other_warnings_are_shown_as_python_shows_them(capsys):
    with warnings_told(quiet=True), warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warnings.warn("from elsewhere", UserWarning, stacklevel=1)
    assert [str(w.message) for w in seen] == ["from elsewhere"]
    with warnings_told(), pytest.warns(UserWarning, match="elsewhere"):
        warnings.warn("from elsewhere", UserWarning, stacklevel=1)
    # smotekit's own, told once the context is left: filters as they were
    with pytest.warns(NoDangerSamplesWarning):
        warnings.warn("no danger", NoDangerSamplesWarning, stacklevel=1)
    assert capsys.readouterr().err == ""


def test_help_lists_the_variants(capsys):
    code, out, _ = run(capsys, "resample", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert (
        "(choices: smote, smotenc, random, borderline1, borderline2, adasyn, "
        "svm_smote, kmeans_smote)"
    ) in text
    assert "--m-neighbors M with borderline1, borderline2 or svm_smote" in text
