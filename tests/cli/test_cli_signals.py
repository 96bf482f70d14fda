"""SIGTERM and SIGHUP stop a command like Ctrl-C: the files being written are
removed, an existing output is kept, and the exit code is 128 + the signal's
number; ``main`` leaves the handlers it found when it returns."""

import os
import select
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _io, main

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(signal, "SIGHUP"), reason="POSIX signals"
)

#: The stop signals, named in the test ids.
SIGNALS = [
    pytest.param(getattr(signal, name), id=name)
    for name in ("SIGTERM", "SIGHUP")
    if hasattr(signal, name)
]
#: Seconds a subprocess may take to reach the point where it is signalled,
#: and then to stop.
TIMEOUT = 60


class _SignalReachedTest(Exception):
    """Raised by the handler the tests install: the signal was not handled
    by ``main``."""


def _test_handler(signum, frame):
    raise _SignalReachedTest(signum)


@pytest.fixture
def test_handlers():
    """SIGTERM and SIGHUP raise :class:`_SignalReachedTest` around the test
    (rather than ending the test process), then get their handlers back."""
    saved = {
        s: signal.signal(s, _test_handler) for s in (signal.SIGTERM, signal.SIGHUP)
    }
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _table(n_rows=2000, n_features=20):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.normal(size=(n_rows, n_features)).round(4),
        columns=[f"f{i}" for i in range(n_features)],
    )
    frame["label"] = (np.arange(n_rows) < n_rows // 10).astype(int)
    return frame


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ------------------------------------------------------------------ in process


@pytest.mark.parametrize("signum", SIGNALS)
def test_signal_while_writing_removes_the_temp_file(
    capsys, monkeypatch, tmp_path, test_handlers, signum
):
    def signalled(frame, path):
        path.write_text("f0,f1,la")  # half a file
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises before this ends
        raise AssertionError("the signal did not stop the writer")

    monkeypatch.setitem(_io._WRITERS, "csv", signalled)
    source = tmp_path / "in.csv"
    _table(100, 2).to_csv(source, index=False)
    output = tmp_path / "out.csv"
    output.write_text("previous result\n")
    code = main(["resample", str(source), "-o", str(output), "--target", "label"])
    _, err = capsys.readouterr()
    assert code == 128 + signum
    assert err == f"smotekit: stopped by {signal.Signals(signum).name}\n"
    assert output.read_text() == "previous result\n"
    assert _leftovers(tmp_path) == []
    assert signal.getsignal(signum) is _test_handler  # main's handler is gone


def test_an_ignored_hangup_stays_ignored(capsys, monkeypatch, tmp_path):
    # under nohup SIGHUP is ignored: the command must go on
    real_writer = _io._WRITERS["csv"]

    def hung_up(frame, path):
        os.kill(os.getpid(), signal.SIGHUP)
        real_writer(frame, path)

    monkeypatch.setitem(_io._WRITERS, "csv", hung_up)
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        source = tmp_path / "in.csv"
        _table(100, 2).to_csv(source, index=False)
        output = tmp_path / "out.csv"
        code = main(["resample", str(source), "-o", str(output), "--target", "label"])
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert code == 0
    assert len(pd.read_csv(output)) == 180


# ---------------------------------------------------------------- subprocesses


def _signal_when(argv, cwd, ready, signum):
    """Run ``smotekit ARGV`` in ``cwd``, send ``signum`` as soon as
    ``ready()``; return the exit code and stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "smotekit", *argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not ready(proc):
            assert proc.poll() is None, "the command ended before the signal"
            assert time.monotonic() < deadline, "the command never got ready"
            time.sleep(0.002)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err


def _file_started(folder, pattern):
    def ready(proc):
        return any(p.stat().st_size > 0 for p in folder.glob(pattern) if p.is_file())

    return ready


def test_sigterm_during_a_real_write_leaves_no_partial_file(tmp_path):
    signum = signal.SIGTERM  # SIGHUP takes the same path (see above)
    _table().to_csv(tmp_path / "big.csv", index=False)
    (tmp_path / "out.csv").write_text("previous result\n")
    argv = ["resample", "big.csv", "-o", "out.csv", "--target", "label", "-q"]
    # random copies rows fast: about 15 MB to write, long after the start
    argv += ["--method", "random", "--sampling-strategy", '{"1": 100000}']
    ready = _file_started(tmp_path, ".out.csv.*.tmp")
    code, err = _signal_when(argv, tmp_path, ready, signum)
    assert code == 128 + signum, err
    assert f"stopped by {signal.Signals(signum).name}" in err
    out = (tmp_path / "out.csv").read_text()
    if out != "previous result\n":  # stopped once the output was in place
        assert len(pd.read_csv(tmp_path / "out.csv")) == 1800 + 100_000
    assert _leftovers(tmp_path) == []


def test_sigterm_during_a_dask_write_leaves_no_partial_folder(tmp_path):
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    parts = tmp_path / "parts"
    parts.mkdir()
    frame = _table(10_000)
    for i in range(10):
        frame.iloc[i * 1000 : (i + 1) * 1000].to_parquet(parts / f"p{i:02d}.parquet")
    argv = ["resample", "parts", "-o", "dout", "--target", "label", "-q"]
    argv += ["--engine", "dask", "--random-state", "0"]
    ready = _file_started(tmp_path, ".dout.partial-*/*")
    code, err = _signal_when(argv, tmp_path, ready, signal.SIGTERM)
    assert code == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err
    if (tmp_path / "dout").exists():  # stopped once the output was in place
        assert len(pd.read_parquet(tmp_path / "dout")) == 2 * 9000
    assert _leftovers(tmp_path) == []


def _progress_started(proc):
    """Whether the progress bar has begun (the comparison runs)."""
    readable, _, _ = select.select([proc.stderr], [], [], 0)
    return bool(readable)


def test_sigterm_during_a_comparison_leaves_no_report(tmp_path):
    # demo writes its report the same way
    _table(600, 4).to_csv(tmp_path / "data.csv", index=False)
    argv = ["evaluate", "data.csv", "--target", "label", "-o", "report.html"]
    code, err = _signal_when(argv, tmp_path, _progress_started, signal.SIGTERM)
    assert code == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err
    written = {p.name for p in tmp_path.iterdir()} - {"data.csv"}
    assert written == set()
