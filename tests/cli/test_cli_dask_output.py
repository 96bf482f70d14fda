"""The output folder of ``smotekit resample --engine dask``: it is replaced
whole, so only an empty folder or one this engine wrote may be replaced; the
current folder (or one holding it) is refused before any work."""

import os

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _dask_io, main

pytest.importorskip("dask.dataframe")
pq = pytest.importorskip("pyarrow.parquet")


def _frame(n_major=16, n_minor=4, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "a": rng.normal(size=n_major + n_minor),
            "label": [0] * n_major + [1] * n_minor,
        }
    )


def _resample(source, out, *options):
    """``smotekit resample SOURCE -o OUT --target label --engine dask``
    ``--method random -q OPTIONS...``."""
    return main(["resample", str(source), "-o", str(out), "--target", "label",
                 "--engine", "dask", "--method", "random", "-q", *options])  # fmt: skip


def _snapshot(folder):
    """Every path under ``folder`` with the bytes of the files."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def _leftovers(folder):
    """Hidden entries (the engine's temporary folders) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _error_line(capsys):
    err = capsys.readouterr().err
    assert err.startswith("smotekit: error: ") and err.count("\n") == 1
    return err


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "data" / "train.parquet"
    path.parent.mkdir()
    _frame().to_parquet(path, index=False)
    return path


# --- a folder holding anything this engine does not write is not replaced


def _make_text(folder):
    (folder / "notes.txt").write_text("important\n")
    return "'notes.txt'"


def _make_subfolder(folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "kept.csv").write_text("a\n1\n")
    return "'sub'"


def _make_hidden(folder):
    (folder / ".keep").write_text("")
    return "'.keep'"


def _make_user_parquet(folder):
    _frame(seed=1).to_parquet(folder / "mine.parquet", index=False)
    return "'mine.parquet'"


def _make_part_named_folder(folder):
    (folder / "part.000000.parquet").mkdir()  # a part's name, but a folder
    (folder / "part.000000.parquet" / "x").write_text("x")
    return "'part.000000.parquet'"


@pytest.mark.parametrize(
    "make",
    [_make_text, _make_subfolder, _make_hidden, _make_user_parquet,
     _make_part_named_folder],
    ids=["text", "subfolder", "hidden", "user-parquet", "part-named-folder"],
)  # fmt: skip
def test_dask_refuses_an_output_folder_holding_foreign_entries(
    tmp_path, source, capsys, make
):
    out = tmp_path / "precious"
    out.mkdir()
    shown = make(out)
    before = _snapshot(out)
    assert _resample(source, out) == 2
    err = _error_line(capsys)
    assert f"the output folder {str(out)!r} holds {shown}" in err
    assert "new or empty folder" in err and "remove" in err
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_dask_refusal_beside_a_previous_output_names_only_the_foreign_entry(
    tmp_path, source, capsys
):
    out = tmp_path / "out"
    assert _resample(source, out) == 0
    (out / "notes.txt").write_text("important\n")
    before = _snapshot(out)
    assert _resample(source, out, "--sampling-strategy", "0.5") == 2
    err = _error_line(capsys)
    assert "holds 'notes.txt'," in err and "part.000000" not in err
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_dask_refusal_lists_a_few_foreign_entries_and_counts_the_rest(
    tmp_path, source, capsys
):
    out = tmp_path / "out"
    out.mkdir()
    for i in range(7):
        (out / f"f{i}.txt").write_text("x")
    assert _resample(source, out) == 2
    err = _error_line(capsys)
    assert "holds 'f0.txt', 'f1.txt', 'f2.txt' and 4 more," in err
    assert len(list(out.iterdir())) == 7


def test_dask_rechecks_the_output_folder_before_replacing_it(
    tmp_path, source, capsys, monkeypatch
):
    # the work can take hours: a file saved into the folder meanwhile must
    # not be deleted by the final swap
    out = tmp_path / "out"
    assert _resample(source, out) == 0
    first_run = _snapshot(out)
    name_part = _dask_io._part_name

    def part_name_then_save_a_file(i):
        (out / "late.txt").write_text("saved during the run\n")
        return name_part(i)

    monkeypatch.setattr(_dask_io, "_part_name", part_name_then_save_a_file)
    assert _resample(source, out, "--sampling-strategy", "0.5") == 2
    assert "holds 'late.txt'" in _error_line(capsys)
    assert _snapshot(out) == {**first_run, "late.txt": b"saved during the run\n"}
    assert _leftovers(tmp_path) == []


# --- what the engine may replace (guards: these passed before the fix too)


def test_dask_replaces_an_empty_folder(tmp_path, source):
    out = tmp_path / "out"
    out.mkdir()
    assert _resample(source, out) == 0
    assert len(pd.read_parquet(out)) == 32
    assert _leftovers(tmp_path) == []


def test_dask_replaces_its_previous_output_with_dask_metadata_files(tmp_path, source):
    out = tmp_path / "out"
    assert _resample(source, out) == 0
    schema = pq.read_schema(next(out.glob("part.*.parquet")))
    pq.write_metadata(schema, out / "_common_metadata")  # older dask wrote these
    pq.write_metadata(schema, out / "_metadata")
    (out / "part.7.parquet").write_bytes(b"")  # dask's default part names
    assert _resample(source, out, "--sampling-strategy", "0.5") == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "part.000000.parquet",
        "part.000001.parquet",
    ]
    assert len(pd.read_parquet(out)) == 24
    assert _leftovers(tmp_path) == []


# --- the current folder, or one holding it


@pytest.mark.parametrize("given", [".", "..", "{cwd}"])
def test_dask_refuses_the_current_folder_or_one_holding_it(
    tmp_path, source, capsys, monkeypatch, given
):
    # '-o .' failed with "[Errno 16] Device or resource busy" after all the
    # work; '-o ..' swapped the folder holding the current one away
    work = tmp_path / "a" / "work"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text("important\n")
    monkeypatch.chdir(work)
    before = _snapshot(tmp_path / "a")
    assert _resample(source, given.format(cwd=work)) == 2
    err = _error_line(capsys)
    assert "is the current folder or holds it" in err
    assert "Name a new folder" in err
    assert _snapshot(tmp_path / "a") == before
    assert _leftovers(tmp_path) == [] and _leftovers(work) == []


# --- the swap itself


def test_dask_output_through_a_link_replaces_the_folder_it_points_to(source, tmp_path):
    real = tmp_path / "real"
    link = tmp_path / "link"
    assert _resample(source, real) == 0
    first = _snapshot(real)
    link.symlink_to(real, target_is_directory=True)
    assert _resample(source, link, "--sampling-strategy", '{"1": 8}') == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _snapshot(real) != first  # the new output, in the linked folder
    assert len(pd.read_parquet(link)) == 16 + 8
    assert _leftovers(tmp_path) == []


def test_a_failed_swap_puts_the_old_folder_back(tmp_path):
    place = tmp_path / "out"
    place.mkdir()
    (place / "part.000000.parquet").write_bytes(b"old")
    missing = tmp_path / ".out.partial-1"  # a second rename that fails
    with pytest.raises(FileNotFoundError):
        _dask_io._swap_in(missing, place)
    assert (place / "part.000000.parquet").read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def _dead_pid():
    """The number of a process that has ended."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.skipif(
    _dask_io._process_space() is None, reason="process spaces told on Linux"
)
def test_dask_removes_the_unfinished_folders_of_killed_runs(tmp_path, source):
    out = tmp_path / "out"
    killed = tmp_path / _dask_io._partial_name(out, _dead_pid())
    killed.mkdir()
    (killed / "part.000003.parquet").write_bytes(b"half")
    alive = tmp_path / _dask_io._partial_name(out, os.getppid())  # a live run
    alive.mkdir()
    elsewhere = tmp_path / f".out.partial-0123456789abcdef4026531836-{_dead_pid()}"
    elsewhere.mkdir()  # a run in another process space (machine, container)
    strange = tmp_path / _dask_io._partial_name(out, _dead_pid())
    strange.mkdir()
    (strange / "notes.txt").write_text("not ours")  # not what the engine writes
    other = tmp_path / _dask_io._partial_name(tmp_path / "other", _dead_pid())
    other.mkdir()  # unfinished output of another folder
    assert _resample(source, out) == 0
    assert len(pd.read_parquet(out)) == 32
    assert not killed.exists()
    assert _leftovers(tmp_path) == sorted(
        p.name for p in (alive, elsewhere, strange, other)
    )


_POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


@_POSIX
def test_stop_signals_wait_for_the_end_of_the_swap():
    import signal

    got = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: got.append(signum))
    try:
        with _dask_io._stop_signals_held():
            signal.raise_signal(signal.SIGTERM)
            assert got == []  # held back while the folders are swapped
        assert got == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


@_POSIX
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_stop_signals_are_held_while_other_threads_run(name):
    # a signal mask held them from this thread only: sent to the process,
    # another thread (dask's, the samplers') took them, and Python raised
    # them here all the same
    import signal
    import threading
    import time

    sig = getattr(signal, name)
    got = []
    previous = signal.signal(sig, lambda signum, frame: got.append(signum))
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        with _dask_io._stop_signals_held():
            os.kill(os.getpid(), sig)
            for _ in range(50):  # time for the handler to run, if it would
                time.sleep(0.002)
            assert got == []
        assert got == [sig]
    finally:
        done.set()
        other.join()
        signal.signal(sig, previous)


@_POSIX
def test_an_interrupt_held_back_arrives_as_ctrl_c_after_the_swap():
    import signal

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    swapped = []
    with pytest.raises(KeyboardInterrupt):
        with _dask_io._stop_signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            swapped.append(True)
    assert swapped == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_dask_names_the_command_line_options_for_a_class_too_small(tmp_path, capsys):
    source = tmp_path / "small.parquet"
    _frame(n_major=16, n_minor=3).to_parquet(source, index=False)
    out = tmp_path / "out"
    code = main(["resample", str(source), "-o", str(out), "--target", "label",
                 "--engine", "dask", "-q"])  # fmt: skip
    assert code == 2
    assert _error_line(capsys) == (
        "smotekit: error: class 1 has 3 row(s), too few for --k-neighbors 5 (a "
        "class to over-sample needs k + 1 rows: the row and its k neighbours). "
        "Use --k-neighbors 2 or less, or --method random (copies rows), or "
        "leave the class out of --sampling-strategy.\n"
    )
    assert not out.exists() and _leftovers(tmp_path) == []
