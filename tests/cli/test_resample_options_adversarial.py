"""``smotekit resample``'s newest options pushed where they break: the SMOTE
variants' refusals told in options, ``--sampling-strategy`` objects that
name a class twice, ``--categorical`` naming date columns or a list, and the
advice given when memory runs out."""

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def resample(capsys, source, output, *extra):
    argv = ["resample", source, "-o", output, "--target", "label"]
    return run(capsys, *argv, "--random-state", "0", *extra)


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
