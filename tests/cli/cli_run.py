"""Running ``smotekit`` in process from the CLI tests."""

from smotekit.cli import main


def run(capsys, *argv):
    """Run the CLI in process; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def resample(capsys, source, output, *extra):
    """Run ``smotekit resample`` of ``source`` into ``output`` with the
    target column 'label' and seed 0."""
    argv = ["resample", source, "-o", output, "--target", "label"]
    return run(capsys, *argv, "--random-state", "0", *extra)
