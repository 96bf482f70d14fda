"""Fresh outputs get the page advice the machine calls for, values unchanged."""

import sys
from pathlib import Path

import numpy as np
import pytest

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
