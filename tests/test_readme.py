"""The README's Python examples run and do what they say."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_examples():
    assert len(_python_blocks()) >= 1


def test_readme_python_examples_run(capsys):
    for block in _python_blocks():
        namespace = {}
        exec(compile(block, str(README), "exec"), namespace)
    out = capsys.readouterr().out
    assert "parent" in out and "neighbor" in out and "gap" in out


def test_readme_commands_match_ci():
    ci = (README.parent / ".ci" / "run").read_text()
    test_command = 'python -m pip install -e ".[test]" && python -m pytest -n auto'
    assert test_command in README.read_text().splitlines()
    assert test_command in ci.splitlines()
