"""The benchmark's measurement processes: forked or fresh, they report the
same measurement, and a failing or hanging one becomes a line of the table."""

import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import signal
import sys
import time
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))
import bench_smote  # noqa: E402
from _bench_data import ensure_cached  # noqa: E402
from _bench_registry import SAMPLERS, Cell  # noqa: E402

needs_fork_server = pytest.mark.skipif(
    bench_smote.fork_server() is None, reason="no fork server on this platform"
)
CELL = Cell(sampler="random", n=1_000, d=4, minority=0.1, dtype="float64")


def _blas_pools(result):
    return sorted(
        (pool["library"], pool["num_threads"])
        for pool in result["threads"]
        if pool["internal_api"] == "openblas"
    )


@needs_fork_server
def test_a_forked_measurement_reports_what_a_fresh_interpreter_does(tmp_path):
    ensure_cached(tmp_path, CELL, SAMPLERS[CELL.sampler].data)
    forked = bench_smote.run_child("smotekit", CELL, tmp_path, timeout=300)
    fresh = bench_smote.run_child("smotekit", CELL, tmp_path, 300, fresh=True)
    for result in (forked, fresh):
        assert "error" not in result, result
        assert result["n_out"] == 2 * 900  # the 100 minority rows grow to 900
        assert result["library"] == "smotekit"
        assert result["cell"] == CELL.__dict__
    assert forked["out_bytes"] == fresh["out_bytes"]
    assert forked["peak_method"] == fresh["peak_method"]
    # the forked process's BLAS pools have the threads a fresh one has...
    assert _blas_pools(forked) == _blas_pools(fresh)
    assert forked["pid"] != fresh["pid"]
    # ...running: a fork leaves none of them, the child starts them again
    if forked["blas_threads_restarted"] is not None:
        workers = sum(threads - 1 for _, threads in _blas_pools(forked))
        assert workers > 0
        assert forked["blas_threads_restarted"] == workers
    assert "blas_threads_restarted" not in fresh


@needs_fork_server
def test_an_error_in_a_forked_measurement_is_reported_with_its_type(tmp_path):
    # nothing cached: the measurement fails when it loads the data
    result = bench_smote.run_child("smotekit", CELL, tmp_path, timeout=300)
    assert result["library"] == "smotekit"
    assert result["cell"] == CELL.__dict__
    assert result["error"].startswith("FileNotFoundError: ")
    assert "n_out" not in result


@needs_fork_server
def test_a_forked_measurement_past_its_timeout_is_stopped(tmp_path):
    ensure_cached(tmp_path, CELL, SAMPLERS[CELL.sampler].data)
    start = time.perf_counter()
    result = bench_smote.run_child("imblearn", CELL, tmp_path, timeout=0.2)
    assert result == {"library": "imblearn", "cell": CELL.__dict__, "error": "timeout"}
    # stopped, not waited for (its imports alone take longer than this wait)
    assert time.perf_counter() - start < 10


@needs_fork_server
def test_a_forked_process_past_its_time_is_killed_not_waited_for(tmp_path):
    ensure_cached(tmp_path, CELL, SAMPLERS[CELL.sampler].data)
    context = bench_smote.fork_server()[0]
    # importing imbalanced-learn and warming it up take longer than 0.2 s
    args = ("imblearn", CELL.__dict__, str(tmp_path))
    finished, answer, exitcode = bench_smote.run_forked(
        context, bench_smote.measure_forked, args, timeout=0.2
    )
    assert (finished, answer, exitcode) == (False, None, -signal.SIGKILL)


@needs_fork_server
def test_a_forked_measurement_that_dies_without_a_result_is_an_error(
    tmp_path, monkeypatch
):
    # a target that cannot take the measurement's arguments: the process
    # exits with status 1 before it sends anything
    monkeypatch.setattr(bench_smote, "measure_forked", os.getpid)
    result = bench_smote.run_child("smotekit", CELL, tmp_path, timeout=60)
    assert result == {
        "library": "smotekit",
        "cell": CELL.__dict__,
        "error": "exit 1: no result",
    }


@needs_fork_server
def test_an_interrupted_driver_leaves_no_measurement_running(tmp_path, monkeypatch):
    def interrupted(self, timeout=0.0):
        raise KeyboardInterrupt

    monkeypatch.setattr(multiprocessing.connection.Connection, "poll", interrupted)
    with pytest.raises(KeyboardInterrupt):
        bench_smote.run_child("smotekit", CELL, tmp_path, timeout=60)
    assert multiprocessing.active_children() == []


def test_the_report_says_how_measurement_processes_start():
    assert bench_smote.process_kind(True) == "a fresh interpreter each"
    if bench_smote.fork_server() is not None:
        kind = bench_smote.process_kind(False)
        # what the server's processes have, asked of one of them
        assert kind.startswith("forked from a server that has imported pandas, ")
        assert "sklearn.neighbors" in kind
        assert "_bench_child" not in kind


def test_a_fork_server_that_cannot_start_means_fresh_interpreters(monkeypatch):
    def refused(self):
        raise OSError("AF_UNIX path too long")

    monkeypatch.setattr(
        multiprocessing.forkserver.ForkServer, "ensure_running", refused
    )
    assert bench_smote.fork_server.__wrapped__() is None
