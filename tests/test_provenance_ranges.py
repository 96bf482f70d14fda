"""draw_into and its replays on row ranges that do not start at 0 (SVMSMOTE's
and KMeansSMOTE's calls), and a deferred builder made to draw its calls."""

import numpy as np
import pytest

from smotekit._draws import draw_pairs
from smotekit._provenance import (
    Provenance,
    ProvenanceBuilder,
    build_from_draws,
    draw_into,
    pending_replay,
)
from smotekit._random import make_root_entropy, stream_key

TABLE = np.array([[1, 2], [2, 0], [0, 1]])
ROWS = np.array([10, 20, 30])
#: class ranges (position, first, last): the second and third start past 0;
#: each long enough that its call is recorded (its arrays take a page each)
CALLS = [(0, 0, 1500), (1, 400, 1900), (2, 70, 1070)]


def _keys():
    entropy = make_root_entropy(5)
    return [stream_key(entropy, 0, position) for position, _, _ in CALLS]


def _expected():
    parts = [
        draw_pairs(key, first, last, TABLE, ROWS)
        for key, (_, first, last) in zip(_keys(), CALLS, strict=True)
    ]
    return Provenance(
        np.concatenate([p.parent for p in parts]),
        np.concatenate([p.neighbor for p in parts]),
        np.concatenate([p.gap for p in parts]),
    )


def _drawn_into(builder, block_rows=None):
    for key, (_, first, last) in zip(_keys(), CALLS, strict=True):
        draw_into(builder, draw_pairs, key, first, last, TABLE, ROWS,
                  block_rows=block_rows)  # fmt: skip
    return builder


def _assert_equal(got, expected):
    np.testing.assert_array_equal(got.parent, expected.parent)
    np.testing.assert_array_equal(got.neighbor, expected.neighbor)
    np.testing.assert_array_equal(got.gap, expected.gap)


@pytest.mark.parametrize("block_rows", [None, 160])
def test_ranges_past_zero_are_drawn_from_their_own_counters(block_rows):
    builder = _drawn_into(ProvenanceBuilder(4000, 40, np.float64), block_rows)
    _assert_equal(builder.build(), _expected())


def test_a_deferred_builder_draws_its_recorded_calls_at_their_rows():
    n = sum(last - first for _, first, last in CALLS)
    builder = _drawn_into(ProvenanceBuilder(n + 5, 40, np.float64, deferred=True))
    assert builder.deferred
    # rows that come another way: the calls recorded so far are drawn now
    extra = Provenance(np.arange(5), np.arange(5) + 1, np.full(5, 0.5))
    builder.add(extra)
    got = builder.build()
    expected = _expected()
    _assert_equal(Provenance(got.parent[:n], got.neighbor[:n], got.gap[:n]), expected)
    assert got.parent[n:].tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("block_rows", [None, 320, 1000])
def test_rows_built_from_replayed_ranges_past_zero(block_rows):
    n = sum(last - first for _, first, last in CALLS)
    builder = _drawn_into(ProvenanceBuilder(n, 40, np.float64, deferred=True))
    p = builder.build()
    replay = pending_replay(p)
    assert replay is not None
    out = np.empty(n, dtype=np.int64)

    def build(dest, part):
        dest[:] = part.parent * 1000 + part.neighbor

    build_from_draws(out, replay, build, block_rows=block_rows)
    expected = _expected()
    np.testing.assert_array_equal(out, expected.parent * 1000 + expected.neighbor)
    _assert_equal(p, expected)  # drawn again when read
