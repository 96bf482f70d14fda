"""The ``smotekit`` command line: ``main(argv=None)`` and its sub-commands.

Each sub-command lives in its own module (:mod:`smotekit.cli.resample`,
:mod:`smotekit.cli.datasets`, …) as plain functions plus thin entry points
that parse nothing themselves (``add_parser`` declares the options). User
errors end with exit code 2 and one ``smotekit: error: ...`` line on stderr.
SIGINT, SIGTERM and SIGHUP stop a command the same way: the files being
written are removed (an existing output is kept) and the exit code is 128
plus the signal's number.
"""

import argparse
import contextlib
import errno
import os
import signal
import sys
import threading

from .. import __version__
from . import datasets, demo, evaluate, resample
from ._io import OutOfMemoryError

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
#: Signals that stop a command like Ctrl-C does (those the platform has).
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


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


def _memory_message(exc):
    """The error line's text for a MemoryError (or a refused memory
    mapping, ENOMEM): an :class:`OutOfMemoryError` explains itself; any
    other says what failed to fit."""
    if isinstance(exc, OutOfMemoryError):
        return _one_line(exc)
    return (
        f"out of memory ({_one_line(exc)}). Give the command a smaller table "
        "or run it on a machine with more memory."
    )


def _silence_stdout():
    """Stop Python's flush at exit from failing again on a closed pipe."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


class _Stopped(BaseException):
    """A stop signal arrived; raised in the main thread so that the cleanup
    of the files being written runs (a BaseException, like
    KeyboardInterrupt, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _ignore_repeat(signum, frame):
    """A second stop signal while the first one's cleanup runs."""


def _stop_handler(signums):
    """A handler that raises :class:`_Stopped` for the first of ``signums``
    to arrive and has the later ones ignored, so that they do not break
    into the cleanup."""

    def stop(signum, frame):
        for each in signums:
            signal.signal(each, _ignore_repeat)
        raise _Stopped(signum)

    return stop


def _overridable(signum):
    """Whether ``signum`` has a Python-level handler other than SIG_IGN: one
    ignored on purpose (``nohup`` ignores SIGHUP) stays ignored."""
    handler = signal.getsignal(signum)
    return handler is not None and handler != signal.SIG_IGN


@contextlib.contextmanager
def _stop_signals_raise():
    """Within the block, SIGTERM and SIGHUP raise :class:`_Stopped` in the
    main thread (see :func:`_stop_handler`); the previous handlers are back
    on leaving. Elsewhere than in the main thread, which alone can set
    handlers, nothing changes."""
    signums = []
    if threading.current_thread() is threading.main_thread():
        signums = [signum for signum in _STOP_SIGNALS if _overridable(signum)]
    stop = _stop_handler(signums)
    previous = {signum: signal.signal(signum, stop) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_name(signum):
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


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
        stderr as one ``smotekit: error: ...`` line), 128 plus the signal's
        number when SIGINT, SIGTERM or SIGHUP stopped the command.

    Notes
    -----
    While a command runs in the main thread, SIGTERM and SIGHUP raise an
    exception there, so that the files being written are removed as on
    Ctrl-C; the previous handlers are back when ``main`` returns.

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
        with _stop_signals_raise():
            return _run(args)
    except _Stopped as exc:
        print(f"smotekit: stopped by {_signal_name(exc.signum)}", file=sys.stderr)
        return 128 + exc.signum


def _run(args):
    """Run the parsed command; turn the errors a user can fix into a code."""
    try:
        return args.handler(args)
    except BrokenPipeError:
        _silence_stdout()
        return _EXIT_BROKEN_PIPE
    except _USER_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
            # a memory mapping refused: memory ran out, as a MemoryError says
            print(f"smotekit: error: {_memory_message(exc)}", file=sys.stderr)
        else:
            print(f"smotekit: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError as exc:
        print(f"smotekit: error: {_memory_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("smotekit: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
