"""Fresh outputs get the page advice the machine calls for, values unchanged."""

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import SMOTE, RandomOverSampler, _pages

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or _pages._madvise() is None,
    reason="page advice is read back from Linux's /proc/self/smaps",
)


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


@linux_only
def test_small_pages_are_advised_on_large_arrays_only(monkeypatch):
    monkeypatch.setattr(_pages, "SMALL_PAGES_FROM", 8 * 2**20)
    monkeypatch.setenv(_pages.ENV_VAR, "small")
    large = _pages.empty((2**20 + 4096,), np.float64)
    large[:] = 1.0
    assert "nh" in vm_flags(large)
    below = _pages.empty((2**20 - 4096,), np.float64)  # numpy still advises it
    below[:] = 1.0
    assert "nh" not in vm_flags(below)
    monkeypatch.setenv(_pages.ENV_VAR, "default")
    large = _pages.empty((2**20 + 4096,), np.float64)
    large[:] = 1.0
    assert "nh" not in vm_flags(large)


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


# ------------------------------------------------ writing in timed segments


def recorded_fill(out, monkeypatch, touches=None):
    """Fill ``out`` with its row numbers through :func:`_pages.fill`, the
    machine made to report free pages; return the ``(start, stop)`` calls.
    ``touches`` replaces the timed first touches (nanoseconds, in order)."""
    monkeypatch.setattr(_pages, "_auto", lambda: True)
    if touches is not None:
        times = iter(touches)

        def touch(flat, offset):
            flat[offset] = 0
            return next(times)

        monkeypatch.setattr(_pages, "_first_touch_ns", touch)
    calls = []

    def write(start, stop):
        calls.append((start, stop))
        out[start:stop] = np.arange(start, stop).reshape(-1, *[1] * (out.ndim - 1))

    _pages.fill(out, write)
    return calls


def assert_rows_filled(out, calls):
    assert calls[0][0] == 0 and calls[-1][1] == out.shape[0]
    assert all(a[1] == b[0] for a, b in itertools.pairwise(calls))  # no gap
    assert all(start < stop for start, stop in calls)
    expected = np.arange(out.shape[0]).reshape(-1, *[1] * (out.ndim - 1))
    np.testing.assert_array_equal(out, np.broadcast_to(expected, out.shape))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 3000),
    columns=st.integers(1, 9),
    segment=st.integers(1, 40_000),
    probe_from=st.integers(0, 60_000),
)
def test_fill_writes_every_row_once_in_order(rows, columns, segment, probe_from):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv(_pages.ENV_VAR, raising=False)
        monkeypatch.setattr(_pages, "SEGMENT_BYTES", segment)
        monkeypatch.setattr(_pages, "PROBE_FROM", probe_from)
        monkeypatch.setattr(_pages, "_huge_page_size", lambda: 4096)
        out = np.empty((rows, columns), np.float64)
        calls = recorded_fill(out, monkeypatch, touches=[10**9] * 10**4)
        assert_rows_filled(out, calls)
        if out.nbytes < probe_from:
            assert calls == [(0, rows)]
        else:
            step = max(1, segment // (8 * columns))
            assert len(calls) == -(-rows // step)


@pytest.mark.parametrize("choice", ["small", "default"])
def test_fill_writes_in_one_call_unless_it_probes(monkeypatch, choice):
    monkeypatch.setenv(_pages.ENV_VAR, choice)
    monkeypatch.setattr(_pages, "PROBE_FROM", 0)
    out = np.empty((1000, 3))
    calls = recorded_fill(out, monkeypatch)
    assert calls == [(0, 1000)]
    assert_rows_filled(out, calls)


def test_fill_refuses_an_unknown_environment_value(monkeypatch):
    monkeypatch.setenv(_pages.ENV_VAR, "huge")
    with pytest.raises(ValueError, match="SMOTEKIT_OUTPUT_PAGES must be one of"):
        _pages.fill(np.empty(3), lambda start, stop: None)


def segmented(monkeypatch):
    """Probe from 16 MiB in segments of 8 MiB (two huge pages probed each)."""
    monkeypatch.delenv(_pages.ENV_VAR, raising=False)
    monkeypatch.setattr(_pages, "PROBE_FROM", 16 * 2**20)
    monkeypatch.setattr(_pages, "SEGMENT_BYTES", 8 * 2**20)


SLOW = int(_pages.COLD_NS_PER_BYTE * _pages._huge_page_size()) + 1
FAST = SLOW // 10


@linux_only
def test_slow_huge_pages_turn_the_rest_to_small_pages(monkeypatch):
    segmented(monkeypatch)
    out = np.empty((5 * 2**20,), np.float64)  # 40 MiB: five segments
    # first segment fast, second slow: small pages from inside it on
    calls = recorded_fill(out, monkeypatch, touches=[FAST, FAST, SLOW, SLOW])
    assert len(calls) == 5
    assert_rows_filled(out, calls)
    assert "nh" not in vm_flags(out[: 2**20 // 2])  # first segment
    assert "nh" in vm_flags(out[-(2**20) :])  # last segment


@linux_only
@pytest.mark.parametrize(
    "touches",
    [[FAST] * 10, [SLOW, FAST] * 5, [FAST, SLOW] * 5],
    ids=["fast", "slow-then-fast", "fast-then-slow"],
)
def test_fast_or_single_slow_touches_keep_the_huge_pages(monkeypatch, touches):
    segmented(monkeypatch)
    out = np.empty((5 * 2**20,), np.float64)
    calls = recorded_fill(out, monkeypatch, touches=touches)
    assert len(calls) == 5
    assert_rows_filled(out, calls)
    assert "nh" not in vm_flags(out)


@linux_only
@pytest.mark.parametrize("sampler", [SMOTE, RandomOverSampler])
@pytest.mark.parametrize("frame", [False, True], ids=["array", "frame"])
def test_outputs_are_the_same_however_the_pages_come(monkeypatch, sampler, frame):
    """Cold pages from the first, from the third segment, never; small pages
    outright; numpy's advice: the same rows, the input untouched."""
    pd = pytest.importorskip("pandas")
    segmented(monkeypatch)
    monkeypatch.setattr(_pages, "SEGMENT_BYTES", 3 * 2**20 + 8)  # not aligned
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300_001, 20)).astype(np.float32)  # 44 MiB out
    y = (rng.random(300_001) < 0.03).astype(np.int64)
    data = pd.DataFrame(X, columns=[f"f{i}" for i in range(20)]) if frame else X
    X_before = X.copy()
    runs = {
        "cold": ("auto", [SLOW] * 100),
        "cold later": ("auto", [FAST] * 4 + [SLOW] * 100),
        "hot": ("auto", [FAST] * 100),
        "small": ("small", None),
        "default": ("default", None),
    }
    results = {}
    for name, (choice, touches) in runs.items():
        monkeypatch.setenv(_pages.ENV_VAR, choice)
        if touches is not None:
            times = iter(touches)
            monkeypatch.setattr(_pages, "_auto", lambda: True)
            monkeypatch.setattr(
                _pages, "_first_touch_ns", lambda flat, offset, t=times: next(t)
            )
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
