"""``import smotekit`` and the command line's help load no heavy library.

The package imports its public names on first use, and the command line
imports numpy, pandas and the samplers only when a command runs, so that
``import smotekit`` and ``smotekit --help`` answer at once. Each check runs
in a fresh interpreter, where nothing is imported yet.
"""

import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "scipy", "sklearn", "numba", "pyarrow", "dask")


def _heavy_imported_after(code):
    """The heavy libraries a fresh interpreter has imported after ``code``."""
    probe = (
        f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.split()


def test_import_smotekit_loads_no_heavy_library():
    assert _heavy_imported_after("import smotekit") == []


def test_names_are_imported_on_first_use():
    # the lazy names work: the first use pulls in what the sampler needs
    assert "numpy" in _heavy_imported_after("from smotekit import SMOTE")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["resample", "--help"],
        ["evaluate", "--help"],
        ["demo", "--help"],
        ["datasets", "--help"],
        ["datasets", "list", "--help"],
    ],
    ids=" ".join,
)
def test_command_line_help_loads_no_heavy_library(argv):
    code = (
        "import contextlib, io\n"
        "from smotekit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "assert 'smotekit' in out.getvalue(), out.getvalue()"
    )
    assert _heavy_imported_after(code) == []
