"""Labels of the resampled data: the originals, untouched, then the new ones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import _data


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300),
    added=st.lists(st.integers(0, 200), min_size=0, max_size=4),
    block=st.integers(1, 97),
    kind=st.sampled_from(["int64", "int8", "float32", "str", "object"]),
)
def test_labels_are_the_originals_then_each_class_in_turn(n, added, block, kind):
    """Whatever the block size the labels are written in, the result is the
    original labels, untouched, then each class's count of its label."""
    rng = np.random.default_rng(n)
    classes = [f"c{i}" if kind in ("str", "object") else i for i in range(5)]
    labels = np.array([classes[i] for i in rng.integers(0, 5, n)], dtype=object)
    labels = labels.astype({"str": "<U3"}.get(kind, kind))
    before = labels.copy()
    counts = {classes[i + 1]: count for i, count in enumerate(added)}
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_data, "LABEL_BLOCK", block)
        joined = _data.labels_with_new(labels, counts)
    expected = np.concatenate(
        [labels, *[np.full(c, cls, dtype=labels.dtype) for cls, c in counts.items()]]
    )
    assert joined.dtype == labels.dtype
    np.testing.assert_array_equal(joined, expected)
    np.testing.assert_array_equal(labels, before)
