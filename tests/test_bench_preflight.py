"""The side-by-side benchmark refuses to start when a library is missing."""

import os
import shlex
import sys
from pathlib import Path

import pytest

import smotekit

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))
import bench_smote  # noqa: E402

posix_only = pytest.mark.skipif(os.name != "posix", reason="uses a shell script")


def _python_with_path(tmp_path, extra):
    """A Python launcher that puts ``extra`` first on the module path."""
    shim = tmp_path / "python"
    python = shlex.quote(sys.executable)
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(extra))} exec {python} "$@"\n'
    )
    shim.chmod(0o755)
    return str(shim)


def test_missing_library_is_an_error_naming_it_and_the_install_command():
    error, warning = bench_smote.check_libraries(("smotekit", "no_such_lib_xyz"))
    assert warning is None
    assert (
        "cannot import no_such_lib_xyz (ModuleNotFoundError: No module named" in error
    )
    assert "smotekit (" not in error  # the library that imports is not blamed
    assert bench_smote.INSTALL_HINT in error


def test_the_smotekit_of_this_checkout_gives_no_warning():
    src = (BENCH_DIR.parent / "src").resolve()
    here = Path(smotekit.__file__).resolve().is_relative_to(src)
    error, warning = bench_smote.check_libraries(("smotekit",))
    assert error is None
    assert (warning is None) == here


@posix_only
def test_smotekit_from_another_place_is_reported(tmp_path):
    copy = tmp_path / "smotekit"
    copy.mkdir()
    (copy / "__init__.py").write_text("")
    python = _python_with_path(tmp_path, tmp_path)
    error, warning = bench_smote.check_libraries(("smotekit",), python=python)
    assert error is None
    assert f"imported from {copy}" in warning
    assert bench_smote.INSTALL_HINT in warning


@posix_only
def test_an_import_that_hangs_is_an_error(tmp_path):
    (tmp_path / "hangs_on_import.py").write_text("import time\ntime.sleep(30)\n")
    python = _python_with_path(tmp_path, tmp_path)
    error, warning = bench_smote.check_libraries(
        ("hangs_on_import",), python=python, timeout=1
    )
    assert warning is None
    assert "importing hangs_on_import with" in error
    assert "took over 1 s" in error


def test_main_stops_before_measuring(monkeypatch, capsys):
    monkeypatch.setattr(
        bench_smote, "check_libraries", lambda: ("cannot import x", None)
    )
    monkeypatch.setattr(
        bench_smote, "machine_info", lambda: pytest.fail("measured anyway")
    )
    assert bench_smote.main(["--quick"]) == 2
    assert "cannot import x" in capsys.readouterr().err
