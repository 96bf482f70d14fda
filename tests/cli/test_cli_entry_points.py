"""The command line is reachable as installed: console script, ``-m``, ``--help``."""

import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from smotekit.cli import main

HELP_COMMANDS = [
    [],
    ["resample"],
    ["datasets"],
    ["datasets", "list"],
    ["datasets", "export"],
]


def _console_script():
    scripts = Path(sysconfig.get_path("scripts"))
    for name in ("smotekit", "smotekit.exe"):
        if (scripts / name).exists():
            return str(scripts / name)
    return shutil.which("smotekit")


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(capsys, command):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: smotekit")
    assert "example" in out and "smotekit " in out.split("example", 1)[1]


def test_console_script_is_registered():
    (script,) = entry_points(group="console_scripts", name="smotekit")
    assert script.value == "smotekit.cli:main"
    path = _console_script()
    assert path, "the 'smotekit' console script is not installed"
    done = subprocess.run(
        [path, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert "resample" in done.stdout and "datasets" in done.stdout


def test_python_dash_m_runs_the_cli(tmp_path):
    help_run = subprocess.run(
        [sys.executable, "-m", "smotekit", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_run.returncode == 0
    assert help_run.stdout.startswith("usage: smotekit")
    missing = tmp_path / "missing.csv"
    error_run = subprocess.run(
        [
            *(sys.executable, "-m", "smotekit", "resample", str(missing)),
            *("-o", str(tmp_path / "out.csv"), "--target", "y"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert error_run.returncode == 2
    assert (
        error_run.stderr == f"smotekit: error: input file '{missing}' does not exist.\n"
    )


@pytest.mark.parametrize("command", ["resample", "evaluate", "demo", "datasets"])
def test_help_does_not_load_the_library(command):
    # --help answers from the parsers alone: scikit-learn, scipy and numba
    # (about 2 s of imports) load only when a command runs
    code = (
        "import sys\n"
        "from smotekit.cli import main\n"
        f"assert main([{command!r}, '--help']) == 0\n"
        "print(sorted({'sklearn', 'scipy', 'numba'} & set(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
