"""The ``smotekit`` command line: ``main(argv=None)`` and its sub-commands.

Each sub-command lives in its own module (:mod:`smotekit.cli.resample`,
:mod:`smotekit.cli.datasets`, …) as plain functions plus thin entry points
that parse nothing themselves (``add_parser`` declares the options). User
errors end with exit code 2 and one ``smotekit: error: ...`` line on stderr.
"""

import argparse
import os
import sys

from .. import __version__
from . import datasets, demo, evaluate, resample

__all__ = ["EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
#: Bad usage or bad input (argparse uses the same code).
EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130
_EXIT_BROKEN_PIPE = 141

_EPILOG = """\
examples:
  smotekit datasets export page_blocks0 -o page_blocks0.csv
  smotekit resample page_blocks0.csv -o balanced.csv --target target
  smotekit evaluate page_blocks0.csv --target target -o report.html
  smotekit demo

Run 'smotekit COMMAND --help' for the options of a command.
"""

_USER_ERRORS = (ValueError, TypeError, OSError, ImportError)


def build_parser():
    """Return the ``smotekit`` argument parser with all sub-commands.

    Returns
    -------
    parser : argparse.ArgumentParser
        Parsed arguments carry a ``handler(args) -> int``.
    """
    parser = argparse.ArgumentParser(
        prog="smotekit",
        description="SMOTE-family over-sampling for imbalanced tables.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"smotekit {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    resample.add_parser(commands)
    evaluate.add_parser(commands)
    demo.add_parser(commands)
    datasets.add_parser(commands)
    return parser


def _one_line(exc):
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _silence_stdout():
    """Stop Python's flush at exit from failing again on a closed pipe."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def main(argv=None):
    """Run the ``smotekit`` command line.

    Parameters
    ----------
    argv : list of str or None, default=None
        Arguments without the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    code : int
        0 on success, 2 for bad usage or bad input (the reason is printed on
        stderr as one ``smotekit: error: ...`` line).

    Examples
    --------
    >>> main(["--version"])  # doctest: +ELLIPSIS
    smotekit ...
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code is None else exc.code
    try:
        return args.handler(args)
    except BrokenPipeError:
        _silence_stdout()
        return _EXIT_BROKEN_PIPE
    except _USER_ERRORS as exc:
        print(f"smotekit: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("smotekit: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
