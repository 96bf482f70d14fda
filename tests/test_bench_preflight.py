"""The side-by-side benchmark refuses to start when a library is missing."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_smote


def test_missing_library_is_an_error_naming_it_and_the_install_command():
    error, warning = bench_smote.check_libraries(("smotekit", "no_such_lib_xyz"))
    assert warning is None
    assert "cannot import smotekit, no_such_lib_xyz" in error
    assert "No module named 'no_such_lib_xyz'" in error
    assert bench_smote.INSTALL_HINT in error


def test_this_checkout_imports_cleanly():
    assert bench_smote.check_libraries(("smotekit",)) == (None, None)


def test_smotekit_from_another_place_is_reported(tmp_path):
    copy = tmp_path / "smotekit"
    copy.mkdir()
    (copy / "__init__.py").write_text("")
    shim = tmp_path / "python"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={tmp_path} exec {sys.executable} "$@"\n')
    shim.chmod(0o755)
    error, warning = bench_smote.check_libraries(("smotekit",), python=str(shim))
    assert error is None
    assert f"imported from {copy}" in warning
    assert bench_smote.INSTALL_HINT in warning


def test_main_stops_before_measuring(monkeypatch, capsys):
    monkeypatch.setattr(
        bench_smote, "check_libraries", lambda: ("cannot import x", None)
    )
    monkeypatch.setattr(
        bench_smote, "machine_info", lambda: pytest.fail("measured anyway")
    )
    assert bench_smote.main(["--quick"]) == 2
    assert "cannot import x" in capsys.readouterr().err
