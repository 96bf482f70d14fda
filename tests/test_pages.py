"""Fresh outputs get the page advice the machine calls for, values unchanged."""

import mmap
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smotekit import SMOTE, RandomOverSampler, _pages
from smotekit._generation import copy_rows_into, interpolate_into, take_into

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or _pages._madvise() is None,
    reason="page advice is read back from Linux's /proc/self/smaps",
)


@pytest.fixture(autouse=True)
def _own_cold_signal(monkeypatch):
    """Slow touches faked by a test stay in it (the signal is process-wide)."""
    monkeypatch.setattr(_pages, "_last_cold", [-np.inf])


def vm_flags(array):
    """The VmFlags of the mapping holding the middle of ``array``'s buffer."""
    address = array.ctypes.data + array.nbytes // 2
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not line.startswith("VmFlags"):
            low, high = (int(x, 16) for x in head.split("-"))
            inside = low <= address < high
        elif line.startswith("VmFlags") and inside:
            return set(line.split()[1:])
    raise AssertionError("no mapping holds the array")  # pragma: no cover


def balloon(root, name, device, features):
    path = root / name
    path.mkdir()
    (path / "device").write_text(f"{device}\n")
    (path / "features").write_text(f"{features}\n")


@pytest.mark.parametrize(
    "devices, expected",
    [
        ([("virtio0", "0x0005", "011001" + "0" * 58)], True),
        ([("virtio0", "0x0005", "011000" + "0" * 58)], False),
        ([("virtio0", "0x0001", "011001" + "0" * 58)], False),
        ([("virtio0", "0x0001", "0" * 64), ("virtio1", "0x0005", "000001")], True),
        ([("virtio0", "0x0005", "0110")], False),
        ([("virtio0", "garbage", "011001")], False),
        ([], False),
    ],
)
def test_free_page_reporting_reads_the_balloon_feature_bit(tmp_path, devices, expected):
    for name, device, features in devices:
        balloon(tmp_path, name, device, features)
    assert _pages.free_page_reporting(tmp_path) is expected


def test_free_page_reporting_without_sysfs_is_false(tmp_path):
    assert _pages.free_page_reporting(tmp_path / "missing") is False
    (tmp_path / "virtio0").mkdir()  # a device without readable files
    assert _pages.free_page_reporting(tmp_path) is False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("always [madvise] never", True),
        ("[always] madvise never", True),
        ("always madvise [never]", False),
    ],
)
def test_huge_pages_matter_only_when_the_kernel_gives_them(tmp_path, text, expected):
    path = tmp_path / "enabled"
    path.write_text(text + "\n")
    assert _pages._thp_advised(path) is expected
    assert _pages._thp_advised(tmp_path / "missing") is False


@pytest.mark.parametrize("value, expected", [("small", True), (" Small ", True),
                                             ("default", False)])  # fmt: skip
def test_environment_variable_overrides_the_detection(monkeypatch, value, expected):
    monkeypatch.setenv(_pages.ENV_VAR, value)
    assert _pages.small_pages_preferred() is expected


def test_unknown_environment_value_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(_pages.ENV_VAR, "tiny")
    with pytest.raises(ValueError, match=r"SMOTEKIT_OUTPUT_PAGES must be one of "
                       r"'auto', 'small', 'default'; got 'tiny'"):  # fmt: skip
        _pages.small_pages_preferred()
    with pytest.raises(ValueError, match="SMOTEKIT_OUTPUT_PAGES"):
        _pages.empty((4,), np.float64)  # a small array checks it too
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), np.repeat([0, 1], [30, 10])
    with pytest.raises(ValueError, match="SMOTEKIT_OUTPUT_PAGES"):
        SMOTE(random_state=0).fit_resample(X, y)


def advice_log(monkeypatch):
    """Record the buffers advised to small pages (still advising them): the
    arrays a test expects left alone are looked up here, since memory of the
    C heap may carry advice another test gave it."""
    advised = []
    real = _pages._advise_small_pages

    def advise(array):
        advised.append((array.ctypes.data, array.nbytes))
        real(array)

    monkeypatch.setattr(_pages, "_advise_small_pages", advise)
    return advised


def was_advised(advised, array):
    address = array.ctypes.data
    return any(low <= address < low + size for low, size in advised)


@linux_only
def test_small_pages_are_advised_on_large_arrays_only(monkeypatch):
    monkeypatch.setattr(_pages, "SMALL_PAGES_FROM", 8 * 2**20)
    monkeypatch.setenv(_pages.ENV_VAR, "small")
    advised = advice_log(monkeypatch)
    large = _pages.empty((2**20 + 4096,), np.float64)
    large[:] = 1.0
    assert "nh" in vm_flags(large) and isinstance(_memory_owner(large), mmap.mmap)
    below = _pages.empty((2**20 - 4096,), np.float64)  # numpy still advises it
    below[:] = 1.0
    assert not was_advised(advised, below)
    assert not isinstance(_memory_owner(below), mmap.mmap)
    monkeypatch.setenv(_pages.ENV_VAR, "default")
    large = _pages.empty((2**20 + 4096,), np.float64)
    large[:] = 1.0
    assert not was_advised(advised, large) and len(advised) == 1


@linux_only
def test_advised_arrays_take_their_advice_away_with_them(monkeypatch):
    """An array advised to small pages holds a mapping of its own, which goes
    when the array goes: the advice never reaches memory reused later."""
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    monkeypatch.setattr(_pages, "_last_cold", [_pages.time.monotonic()])
    monkeypatch.setattr(_pages, "HEAP_MAPPED_FROM", _pages.NUMPY_HUGE_FROM)
    monkeypatch.delenv(_pages.ENV_VAR, raising=False)
    for make in (_pages.empty, _pages.output, _pages.transient):
        array = make((_pages.NUMPY_HUGE_FROM // 8 + 4096,), np.float64)
        array[:] = 1.0
        assert "nh" in vm_flags(array) and isinstance(_memory_owner(array), mmap.mmap)
        low, high = array.ctypes.data, array.ctypes.data + array.nbytes
        del array
        for line in Path("/proc/self/maps").read_text().splitlines():
            start, stop = (int(x, 16) for x in line.split()[0].split("-"))
            assert stop <= low or start >= high, "the mapping outlived the array"


@pytest.mark.parametrize("make", ["empty", "output", "transient", "kept_copy"])
def test_arrays_of_python_objects_never_get_a_mapping_of_their_own(monkeypatch, make):
    # numpy cannot place an object array in a buffer: those that would get a
    # mapping (and small pages) stay plain numpy arrays, values alike
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    monkeypatch.setattr(_pages, "_last_cold", [_pages.time.monotonic()])
    monkeypatch.setattr(_pages, "HEAP_MAPPED_FROM", 1)
    monkeypatch.setattr(_pages, "NUMPY_HUGE_FROM", 1)
    monkeypatch.setattr(_pages, "SMALL_PAGES_FROM", 1)
    monkeypatch.delenv(_pages.ENV_VAR, raising=False)
    values = np.array([["a", 1], [None, 2.5]], dtype=object)
    if make == "kept_copy":
        array = _pages.kept_copy(values)
    else:
        array = getattr(_pages, make)(values.shape, object)
        array[...] = values
    assert array.dtype == object and array.tolist() == values.tolist()
    numbers = getattr(_pages, "empty" if make == "kept_copy" else make)((600,), "f8")
    assert isinstance(_memory_owner(numbers), mmap.mmap)  # the patches hold


def test_the_threshold_is_a_few_hundred_megabytes():
    assert _pages.SMALL_PAGES_FROM == 256 * 2**20


@linux_only
@pytest.mark.parametrize("sampler", [SMOTE, RandomOverSampler])
def test_outputs_are_the_same_under_either_advice(monkeypatch, sampler):
    monkeypatch.setattr(_pages, "SMALL_PAGES_FROM", 4 * 2**20)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300_000, 4))
    y = (rng.random(300_000) < 0.05).astype(np.int64)
    X_before = X.copy()
    results = {}
    for choice in ("small", "default"):
        monkeypatch.setenv(_pages.ENV_VAR, choice)
        estimator = sampler(random_state=3)
        X_res, y_res = estimator.fit_resample(X, y)
        assert min(X_res.nbytes, y_res.nbytes) > _pages.SMALL_PAGES_FROM
        assert ("nh" in vm_flags(X_res)) is (choice == "small")
        assert ("nh" in vm_flags(y_res)) is (choice == "small")
        results[choice] = X_res, y_res, estimator.provenance_.to_frame()
    np.testing.assert_array_equal(results["small"][0], results["default"][0])
    np.testing.assert_array_equal(results["small"][1], results["default"][1])
    assert results["small"][2].equals(results["default"][2])
    np.testing.assert_array_equal(X, X_before)


# ------------------------------------------- first touches timed while writing

SLOW = int(_pages.COLD_NS_PER_BYTE * _pages._huge_page_size()) + 1
FAST = SLOW // 10


def timed_touches(monkeypatch, spent):
    """Report free pages here and replace the timed first touch of the huge
    page at ``address`` by ``spent(address)`` nanoseconds; return the list
    of touched addresses."""
    monkeypatch.delenv(_pages.ENV_VAR, raising=False)
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    touched = []

    def touch(address):
        touched.append(address)
        return spent(address)

    monkeypatch.setattr(_pages, "_first_touch_ns", touch)
    return touched


@pytest.mark.parametrize("choice", ["auto", "small", "default"])
def test_fill_calls_write_once(monkeypatch, choice):
    monkeypatch.setattr(_pages, "PROBE_FROM", 0)
    timed_touches(monkeypatch, lambda address: FAST)
    monkeypatch.setenv(_pages.ENV_VAR, choice)
    out = np.empty((1000, 3))
    calls = []
    _pages.fill(out, lambda: calls.append(out.fill(2.0)))
    assert len(calls) == 1 and np.all(out == 2.0)


def test_fill_refuses_an_unknown_environment_value(monkeypatch):
    monkeypatch.setenv(_pages.ENV_VAR, "huge")
    with pytest.raises(ValueError, match="SMOTEKIT_OUTPUT_PAGES must be one of"):
        _pages.fill(np.empty(3), lambda: None)


def test_blocks_are_watched_only_inside_fill_and_the_output(monkeypatch):
    monkeypatch.setattr(_pages, "PROBE_FROM", 1024)
    monkeypatch.setattr(_pages, "BLOCK_BYTES", 4096)
    timed_touches(monkeypatch, lambda address: FAST)
    out, other = np.empty((1000, 4)), np.empty((1000, 4))
    assert _pages.watched_blocks(out, 1000, 100) == (100, None)  # outside fill
    seen = {}

    def write():
        seen["out"] = _pages.watched_blocks(out[10:], 990, 1000)
        seen["other"] = _pages.watched_blocks(other, 1000, 1000)
        seen["none"] = _pages.watched_blocks(None, 1000, 1000)
        seen["narrow"] = _pages.watched_blocks(out, 1000, 50)
        out.fill(0.0)

    _pages.fill(out, write)
    rows, before = seen["out"]
    assert rows == 4096 // 32 and callable(before)
    assert seen["other"] == (1000, None) and seen["none"] == (1000, None)
    assert seen["narrow"][0] == 4096 // 32  # sized by bytes, not by rows asked
    monkeypatch.setattr(_pages, "PROBE_FROM", 10**9)  # below the size: unwatched
    _pages.fill(out, write)
    assert seen["out"] == (1000, None)


KERNELS = {
    "copy": lambda out, X, rows: copy_rows_into(out, X),
    "interpolate": lambda out, X, rows: interpolate_into(
        out, X, rows, rows[::-1].copy(), np.linspace(0, 1, len(rows), dtype=X.dtype)
    ),
    "take": lambda out, X, rows: take_into(out, X, rows[::-1].copy()),
}


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.sampled_from(sorted(KERNELS)),
    rows=st.integers(1, 4000),
    columns=st.integers(1, 12),
    block_bytes=st.integers(1, 20_000),
    slow_from=st.integers(0, 400_000),
    dtype=st.sampled_from(["float32", "float64"]),
)
@example(kernel="copy", rows=4000, columns=12, block_bytes=16384, slow_from=0,
         dtype="float64")  # fmt: skip
@example(kernel="interpolate", rows=4000, columns=12, block_bytes=16384,
         slow_from=100_000, dtype="float32")  # fmt: skip
def test_watched_writes_equal_plain_ones(kernel, rows, columns, block_bytes,
                                         slow_from, dtype):  # fmt: skip
    """Whatever the block size and wherever pages turn slow, the kernels
    write the same rows, touch only the output's huge page starts, and stop
    touching once the output is advised to small pages."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_pages, "PROBE_FROM", 0)
        monkeypatch.setattr(_pages, "BLOCK_BYTES", block_bytes)
        monkeypatch.setattr(_pages, "_huge_page_size", lambda: 4096)
        monkeypatch.setattr(_pages, "COLD_NS_PER_BYTE", 1.0)
        out = np.empty((rows, columns), dtype)
        start = out.ctypes.data
        touched = timed_touches(
            monkeypatch, lambda address: 10**9 if address - start >= slow_from else 0
        )
        advised = []  # (array, touches so far)
        monkeypatch.setattr(
            _pages, "_advise_small_pages", lambda a: advised.append((a, len(touched)))
        )
        rng = np.random.default_rng(rows)
        X = rng.normal(size=(rows, columns)).astype(dtype)
        index = rng.permutation(rows).astype(np.int32)
        _pages.fill(out, lambda: KERNELS[kernel](out, X, index))
        expected = np.empty_like(out)
        KERNELS[kernel](expected, X, index)
        np.testing.assert_array_equal(out, expected)
        assert all(a % 4096 == 0 and start <= a < start + out.nbytes for a in touched)
        assert len(advised) <= 1
        if advised:
            array, touches = advised[0]
            assert array is out
            assert max(touched) - start >= slow_from
            # other cores may finish the look they are in, none starts one
            assert len(touched) - touches < (os.cpu_count() or 1)


@linux_only
@pytest.mark.parametrize(
    "pattern, small",
    [
        ("slow", True),
        ("slow later", True),
        ("fast", False),
        ("every other slow", False),
        ("two slow first", False),
    ],
)
def test_slow_huge_pages_turn_the_output_to_small_pages(monkeypatch, pattern, small):
    monkeypatch.setattr(_pages, "PROBE_FROM", 16 * 2**20)
    monkeypatch.setattr(_pages, "BLOCK_BYTES", 8 * 2**20)
    huge = _pages._huge_page_size()
    out = np.empty((6 * 2**20,), np.float64)  # 48 MiB, six blocks
    start = out.ctypes.data
    middle = start + out.nbytes // 2
    spent = {
        "slow": lambda address: SLOW,
        "slow later": lambda address: SLOW if address >= middle else FAST,
        "fast": lambda address: FAST,
        "every other slow": lambda address: SLOW if address // huge % 2 else FAST,
        "two slow first": lambda address: SLOW if address < start + 6 * 2**20 else FAST,
    }[pattern]
    touched = timed_touches(monkeypatch, spent)
    X = np.arange(out.size, dtype=np.float64).reshape(-1, 1)
    column = out.reshape(-1, 1)
    _pages.fill(out, lambda: copy_rows_into(column, X))
    np.testing.assert_array_equal(out, X.ravel())
    assert touched  # the blocks looked
    assert ("nh" in vm_flags(out)) is small


@linux_only
@pytest.mark.parametrize("sampler", [SMOTE, RandomOverSampler])
@pytest.mark.parametrize("frame", [False, True], ids=["array", "frame"])
def test_outputs_are_the_same_however_the_pages_come(monkeypatch, sampler, frame):
    """Slow pages from the start, from the middle, never; small pages
    outright; numpy's advice: the same rows, the input untouched."""
    pd = pytest.importorskip("pandas")
    monkeypatch.setattr(_pages, "PROBE_FROM", 16 * 2**20)
    monkeypatch.setattr(_pages, "BLOCK_BYTES", 3 * 2**20 + 8)  # not aligned
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300_001, 20)).astype(np.float32)  # 44 MiB out
    y = (rng.random(300_001) < 0.03).astype(np.int64)
    data = pd.DataFrame(X, columns=[f"f{i}" for i in range(20)]) if frame else X
    X_before = X.copy()
    results = {}
    for name in ("cold", "cold later", "hot", "small", "default"):
        if name in ("small", "default"):
            monkeypatch.setenv(_pages.ENV_VAR, name)
        else:
            first = []  # slow from 20 MiB after the first touch for "cold later"

            def spent(address, name=name, first=first):
                first.append(address)
                later = name == "cold later" and address >= first[0] + 20 * 2**20
                return SLOW if name == "cold" or later else FAST

            timed_touches(monkeypatch, spent)
        estimator = sampler(random_state=3)
        X_res, y_res = estimator.fit_resample(data, y)
        results[name] = np.asarray(X_res), np.asarray(y_res)
    reference = results.pop("default")
    assert reference[0].shape[0] == 2 * np.sum(y == 0)
    for X_res, y_res in results.values():
        np.testing.assert_array_equal(X_res, reference[0])
        np.testing.assert_array_equal(y_res, reference[1])
    np.testing.assert_array_equal(X, X_before)
    if frame:
        np.testing.assert_array_equal(data.to_numpy(), X_before)


def _memory_owner(array):
    while isinstance(array.base, np.ndarray):
        array = array.base
    owner = array.base
    return owner.obj if isinstance(owner, memoryview) else owner


@pytest.mark.skipif(os.name != "posix", reason="own mappings on POSIX only")
@pytest.mark.parametrize("shape", [(2**18,), (1024, 300)])
def test_transient_arrays_of_a_mebibyte_get_a_mapping_of_their_own(shape):
    out = _pages.transient(shape, np.float32)
    assert out.shape == shape and out.dtype == np.float32 and out.flags.writeable
    assert out.flags.c_contiguous
    assert isinstance(_memory_owner(out), mmap.mmap)
    out[...] = 7
    assert (out == 7).all()
    small = _pages.transient((10, 3), np.float32)
    assert small.shape == (10, 3) and not isinstance(_memory_owner(small), mmap.mmap)


@pytest.mark.skipif(os.name != "posix", reason="own mappings on POSIX only")
@pytest.mark.parametrize("array", [np.arange(7), np.arange(12.0).reshape(3, 4).T])
def test_kept_copy_is_a_copy_in_a_mapping_of_its_own(array):
    kept = _pages.kept_copy(array)
    assert kept.dtype == array.dtype and (kept == array).all()
    assert isinstance(_memory_owner(kept), mmap.mmap)
    assert not np.shares_memory(kept, array)


# ------------------------------------- arrays after a slow first touch was seen


@linux_only
@pytest.mark.parametrize("first_slow", [True, False])
def test_a_slow_touch_gives_later_mid_size_arrays_small_pages(monkeypatch, first_slow):
    """Once a watched output has seen a slow huge page, the arrays of a few
    MiB that follow (labels, small outputs), not watched themselves, get
    small pages outright; smaller ones keep the heap, and nothing changes
    when every touch was fast or the signal is old."""
    monkeypatch.setattr(_pages, "PROBE_FROM", 16 * 2**20)
    monkeypatch.setattr(_pages, "HEAP_MAPPED_FROM", _pages.NUMPY_HUGE_FROM)
    spent = SLOW if first_slow else FAST
    timed_touches(monkeypatch, lambda address: spent)
    advised = advice_log(monkeypatch)
    # 16 MiB, two blocks, in a mapping of its own like any output above 32 MiB
    watched = _pages._own_mapping((2 * 2**20 + 4096, 1), np.dtype(np.float64), False)
    X = np.ones_like(watched)
    _pages.fill(watched, lambda: copy_rows_into(watched, X))
    assert _pages.recently_cold() is first_slow
    labels = _pages.empty((_pages.NUMPY_HUGE_FROM // 8 + 4096,), np.int64)
    labels[:] = 2
    out = _pages.output((_pages.NUMPY_HUGE_FROM // 8 + 4096,), np.float64)
    _pages.fill(out, lambda: out.fill(3.0))
    for array in (labels, out):
        assert was_advised(advised, array) is first_slow
        assert isinstance(_memory_owner(array), mmap.mmap) is first_slow
        if first_slow:
            assert "nh" in vm_flags(array)
    assert np.all(out == 3.0) and np.all(labels == 2)
    small = _pages.empty((_pages.NUMPY_HUGE_FROM // 8 - 8192,), np.int64)
    small[:] = 1
    assert not was_advised(advised, small)
    # the signal fades: the free memory may have been refilled since
    monkeypatch.setattr(_pages, "COLD_MEMORY_SECONDS", 0.0)
    assert not _pages.recently_cold()
    later = _pages.empty((_pages.NUMPY_HUGE_FROM // 8 + 4096,), np.int64)
    later[:] = 2
    assert not was_advised(advised, later)
    assert len(advised) == (3 if first_slow else 0)  # the watched one, labels, out


@linux_only
def test_after_a_slow_touch_arrays_glibc_may_serve_from_the_heap_keep_it(
    monkeypatch,
):
    """Below HEAP_MAPPED_FROM the labels and small outputs keep numpy's
    allocation (glibc may serve them from freed heap memory, resident
    already); from it on they get a mapping of their own, advised."""
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    monkeypatch.setattr(_pages, "_last_cold", [_pages.time.monotonic()])
    monkeypatch.setattr(_pages, "HEAP_MAPPED_FROM", 8 * 2**20)
    assert _pages.recently_cold()
    advised = advice_log(monkeypatch)
    for make in (_pages.empty, _pages.output):
        below = make((_pages.HEAP_MAPPED_FROM // 8 - 4096,), np.int64)
        at = make((_pages.HEAP_MAPPED_FROM // 8,), np.int64)
        assert below.nbytes >= _pages.NUMPY_HUGE_FROM
        assert not isinstance(_memory_owner(below), mmap.mmap)
        assert not was_advised(advised, below)
        assert isinstance(_memory_owner(at), mmap.mmap)
        assert was_advised(advised, at)


@linux_only
@pytest.mark.parametrize("choice", ["default", "small"])
def test_the_override_ignores_the_slow_touch_signal(monkeypatch, choice):
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    monkeypatch.setattr(_pages, "_last_cold", [_pages.time.monotonic()])
    monkeypatch.setenv(_pages.ENV_VAR, choice)
    assert _pages.recently_cold()
    advised = advice_log(monkeypatch)
    for make in (_pages.empty, _pages.output, _pages.transient):
        mid = make((_pages.NUMPY_HUGE_FROM // 8 + 4096,), np.int64)
        mid[:] = 2
        _pages.fill(mid, lambda mid=mid: mid.fill(3))
        assert not was_advised(advised, mid)  # below SMALL_PAGES_FROM either way
