"""The compiled kernels against plain numpy references."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smotekit._grouped_kernels import merge_levels
from smotekit._kernels import (
    bootstrap_from_words,
    count_labels,
    divisor,
    group_thresholds,
    mark_and_merge,
    merge_marked,
    merge_top_lists,
    pairs_from_words,
    quotient,
    scan_nearest,
    tile_masks,
)


def _marked_words(mask, bit=0, other=None):
    """Mask rows padded to whole uint64 words as ``tile_masks`` writes them
    (the owners' marks at ``bit``, ``other`` marks at the other bit), and the
    owners' marks per row."""
    n_rows, n_cols = mask.shape
    padded = np.zeros((n_rows, -(-n_cols // 8) * 8), dtype=np.uint8)
    padded[:, :n_cols] = mask.astype(np.uint8) << bit
    if other is not None:
        padded[:, :n_cols] |= other.astype(np.uint8) << (1 - bit)
    return padded.view(np.uint64), mask.sum(axis=1)


@settings(max_examples=80, deadline=None)
@given(
    n_rows=st.integers(1, 19),
    n_cols=st.integers(1, 23),
    owners=st.sampled_from(["rows", "both", "columns"]),
    skip_diagonal=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_tile_masks_marks_entries_at_most_the_threshold(
    n_rows, n_cols, owners, skip_diagonal, seed
):
    rng = np.random.default_rng(seed)
    # few distinct values: entries exactly at a threshold
    prod = rng.integers(-2, 3, size=(n_rows, n_cols)).astype(np.float64)
    half_rows = rng.integers(0, 2, size=n_rows).astype(np.float64)
    half_cols = rng.integers(0, 2, size=n_cols).astype(np.float64)
    thresh_rows = rng.integers(-2, 3, size=n_rows).astype(np.float64)
    thresh_cols = rng.integers(-2, 3, size=n_cols).astype(np.float64)
    stride = -(-n_cols // 8) * 8
    rows, cols = owners != "columns", owners != "rows"
    # stale marks from an earlier tile must not survive, in the padding either
    mask = np.full((n_rows, stride), 0xFF, dtype=np.uint8)
    count_rows = np.full(n_rows + 2, -1)
    count_cols = np.full(n_rows + 2, -1)
    tile_masks(
        prod, half_rows, half_cols, thresh_rows, thresh_cols, mask, count_rows,
        count_cols, rows, cols, skip_diagonal,
    )  # fmt: skip
    expected_rows = (half_cols[None, :] - prod) <= thresh_rows[:, None]
    expected_cols = (half_rows[:, None] - prod) <= thresh_cols[None, :]
    if skip_diagonal:
        diagonal = np.arange(min(n_rows, n_cols))
        expected_rows[diagonal, diagonal] = False
        expected_cols[diagonal, diagonal] = False
    expected_rows &= rows
    expected_cols &= cols
    expected = expected_rows.astype(np.uint8) | (expected_cols.astype(np.uint8) << 1)
    np.testing.assert_array_equal(mask[:, :n_cols], expected)
    assert not mask[:, n_cols:].any()
    expected_count_rows = expected_rows.sum(axis=1) if rows else -1
    expected_count_cols = expected_cols.sum(axis=1) if cols else -1
    np.testing.assert_array_equal(count_rows[:n_rows], expected_count_rows)
    np.testing.assert_array_equal(count_cols[:n_rows], expected_count_cols)
    assert (count_rows[n_rows:] == -1).all() and (count_cols[n_rows:] == -1).all()


def test_tile_masks_counts_whole_rows_of_marks():
    # every entry marked for both: counts up to the full row, past 255
    n_rows, n_cols = 3, 300
    prod = np.zeros((n_rows, n_cols))
    mask = np.zeros((n_rows, 304), dtype=np.uint8)
    counts = np.zeros(n_rows, dtype=np.int64), np.zeros(n_rows, dtype=np.int64)
    zeros = np.zeros(n_rows), np.zeros(n_cols)
    tile_masks(prod, *zeros, *zeros, mask, *counts, True, True, True)
    assert counts[0].tolist() == [n_cols - 1] * n_rows
    assert counts[1].tolist() == [n_cols - 1] * n_rows
    assert mask[0, 0] == 0 and mask[0, 1] == 3 and mask[2, 2] == 0


@settings(max_examples=80, deadline=None)
@given(
    n_rows=st.integers(1, 40),
    n_cols=st.integers(1, 30),
    n_groups=st.integers(1, 12),
    width=st.integers(1, 6),
    skip_diagonal=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**32 - 1),
)
@example(n_rows=7, n_cols=7, n_groups=3, width=3, skip_diagonal=True,
         dtype=np.float64, seed=0)  # fmt: skip
def test_group_thresholds_bound_each_columns_width_th_value(
    n_rows, n_cols, n_groups, width, skip_diagonal, dtype, seed
):
    rng = np.random.default_rng(seed)
    # few distinct values: ties between rows and groups
    prod = rng.integers(-3, 4, size=(n_rows, n_cols)).astype(dtype)
    half_rows = rng.integers(0, 3, size=n_rows).astype(dtype)
    before = rng.choice([np.inf, 2.0, -1.0], size=n_cols).astype(dtype)
    thresh = before.copy()
    low = np.full((n_groups, n_cols + 3), np.nan, dtype)
    best = np.full((width + 1, n_cols + 2), np.nan, dtype)
    group_thresholds(prod, half_rows, width, skip_diagonal, thresh, low, best)

    values = half_rows[:, None] - prod
    if skip_diagonal:
        diagonal = np.arange(min(n_rows, n_cols))
        values[diagonal, diagonal] = np.inf
    used = min(n_groups, n_rows)
    for j in range(n_cols):
        if used < width:
            assert thresh[j] == before[j]
            continue
        minima = [values[c::used, j].min() for c in range(used)]
        bound = np.sort(minima)[width - 1]
        assert thresh[j] == min(before[j], bound)
        # a valid threshold: the column's width-th smallest value is not above
        assert np.sort(values[:, j])[width - 1] <= bound


def _reference_lists(values, owners_mask, width):
    """Each owner's ``width`` smallest marked values, sorted (ties by
    member), as (values, members) padded with inf / -1."""
    out_v = np.full((len(values), width), np.inf)
    out_i = np.full((len(values), width), -1, dtype=np.int64)
    for r in range(len(values)):
        members = np.flatnonzero(owners_mask[r])
        order = members[np.argsort(values[r, members], kind="stable")][:width]
        out_v[r, : len(order)] = values[r, order]
        out_i[r, : len(order)] = order
    return out_v, out_i


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(1, 19),
    n_cols=st.integers(1, 23),
    width=st.integers(1, 6),
    density=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    by_row=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_merge_marked_keeps_the_smallest_marked_values(
    n_rows, n_cols, width, density, by_row, seed
):
    rng = np.random.default_rng(seed)
    prod = rng.standard_normal((n_rows, n_cols))
    mask = rng.random((n_rows, n_cols)) < density
    n_owners, n_members = (n_rows, n_cols) if by_row else (n_cols, n_rows)
    member_half_sq = rng.random(n_members)
    values = np.full((n_owners, width), np.inf)
    indices = np.full((n_owners, width), -1, dtype=np.int64)
    thresh = np.full(n_owners, np.inf)
    offset = 100
    # the other owners' marks share the bytes and must be left alone
    other = rng.random((n_rows, n_cols)) < 0.5
    merge_marked(
        *_marked_words(mask, 0 if by_row else 1, other), prod, member_half_sq,
        values, indices, thresh, offset, by_row,
    )  # fmt: skip
    owner_values = member_half_sq[None, :] - (prod if by_row else prod.T)
    want_v, want_i = _reference_lists(owner_values, mask if by_row else mask.T, width)
    np.testing.assert_array_equal(values, want_v)
    np.testing.assert_array_equal(indices, np.where(want_i >= 0, want_i + offset, -1))
    # a full list lowers its owner's threshold to its last value
    np.testing.assert_array_equal(thresh, want_v[:, -1])


def test_merge_marked_reads_every_byte_of_a_word():
    # one mark per row at every position 0..15 of two uint64 words
    n_cols = 16
    prod = np.zeros((n_cols, n_cols))
    mask = np.eye(n_cols, dtype=np.bool_)
    values = np.full((n_cols, 1), np.inf)
    indices = np.full((n_cols, 1), -1, dtype=np.int64)
    merge_marked(
        *_marked_words(mask), prod, np.arange(n_cols, dtype=float), values, indices,
        np.full(n_cols, np.inf), 0, True,
    )  # fmt: skip
    assert indices.ravel().tolist() == list(range(n_cols))
    assert values.ravel().tolist() == list(range(n_cols))


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(1, 17),
    n_cols=st.integers(1, 21),
    width=st.integers(1, 5),
    owners=st.sampled_from(["rows", "both", "columns"]),
    skip_diagonal=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_mark_and_merge_fills_the_lists_of_rows_and_columns(
    n_rows, n_cols, width, owners, skip_diagonal, seed
):
    rng = np.random.default_rng(seed)
    prod = rng.standard_normal((n_rows, n_cols))
    half_rows, half_cols = rng.random(n_rows), rng.random(n_cols)
    # thresholds from loose to none: some entries marked, some lists full
    thresh_rows = rng.choice([np.inf, 0.5, -0.5], size=n_rows)
    thresh_cols = rng.choice([np.inf, 0.5, -0.5], size=n_cols)
    rows, cols = owners != "columns", owners != "rows"
    lists = [
        (np.full((n, width), np.inf), np.full((n, width), -1, dtype=np.int64))
        for n in (n_rows, n_cols)
    ]
    thresh = thresh_rows.copy(), thresh_cols.copy()
    flags = np.full(n_rows * (-(-n_cols // 8) * 8) + 5, 0xFF, dtype=np.uint8)
    counts = np.zeros(n_rows, dtype=np.int64), np.zeros(n_rows, dtype=np.int64)
    row_offset, col_offset = 40, 7
    mark_and_merge(
        prod, half_rows, half_cols, *thresh, *lists[0], *lists[1], row_offset,
        col_offset, flags, *counts, rows, cols, skip_diagonal,
    )  # fmt: skip

    row_values = half_cols[None, :] - prod
    col_values = (half_rows[:, None] - prod).T
    row_mask = row_values <= thresh_rows[:, None]
    col_mask = col_values <= thresh_cols[:, None]
    if skip_diagonal:
        diagonal = np.arange(min(n_rows, n_cols))
        row_mask[diagonal, diagonal] = False
        col_mask[diagonal, diagonal] = False
    for owned, values, mask, (got_v, got_i), offset in (
        (rows, row_values, row_mask, lists[0], col_offset),
        (cols, col_values, col_mask, lists[1], row_offset),
    ):
        if not owned:
            assert np.isinf(got_v).all() and (got_i == -1).all()
            continue
        want_v, want_i = _reference_lists(values, mask, width)
        np.testing.assert_array_equal(got_v, want_v)
        np.testing.assert_array_equal(got_i, np.where(want_i >= 0, want_i + offset, -1))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 12),
    width=st.integers(1, 8),
    fill_a=st.integers(0, 8),
    fill_b=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_merge_top_lists_is_the_sorted_union(n, width, fill_a, fill_b, seed):
    rng = np.random.default_rng(seed)

    def sorted_list(fill, first_index):
        values = np.full((n, width), np.inf)
        indices = np.full((n, width), -1, dtype=np.int64)
        fill = min(fill, width)
        values[:, :fill] = np.sort(rng.integers(0, 5, size=(n, fill)), axis=1)
        indices[:, :fill] = first_index + np.arange(fill)
        return values, indices

    va, ia = sorted_list(fill_a, 0)
    vb, ib = sorted_list(fill_b, 1000)
    expected = []
    for r in range(n):
        pairs = list(zip(va[r], ia[r], strict=True))
        pairs = sorted(pairs + list(zip(vb[r], ib[r], strict=True)))
        finite = [p for p in pairs if np.isfinite(p[0])]
        expected.append(finite[:width])
    merge_top_lists(va, ia, vb, ib)
    for r in range(n):
        kept = len(expected[r])
        assert va[r, :kept].tolist() == [p[0] for p in expected[r]]
        assert ia[r, :kept].tolist() == [p[1] for p in expected[r]]
        assert np.isinf(va[r, kept:]).all()


def _numpy_pairs(words, neighbors, rows, gap_dtype):
    """(seed, neighbour, gap) with numpy: pair index by modulo, 53-bit gaps."""
    pair = (words[:, 0] % np.uint64(neighbors.size)).astype(np.int64)
    seed, column = np.divmod(pair, neighbors.shape[1])
    gap = ((words[:, 1] >> np.uint64(11)).astype(np.float64) * 2.0**-53).astype(
        gap_dtype
    )
    one = np.dtype(gap_dtype).type(1)
    np.minimum(gap, np.nextafter(one, one.dtype.type(0)), out=gap)
    return rows[seed], rows[neighbors[seed, column]], gap


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 50),
    n_seeds=st.integers(1, 9),
    k=st.integers(1, 6),
    gap_dtype=st.sampled_from([np.float32, np.float64]),
    index_dtype=st.sampled_from([np.int32, np.int64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_pairs_from_words_matches_numpy(n, n_seeds, k, gap_dtype, index_dtype, seed):
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 2**64, size=(n, 2), dtype=np.uint64, endpoint=False)
    # words whose gap rounds up to 1 in float32 must be clamped below 1
    words[: n // 4, 1] = np.uint64(2**64 - 1)
    n_candidates = n_seeds + 3
    neighbors = rng.integers(0, n_candidates, size=(n_seeds, k)).astype(index_dtype)
    rows = rng.permutation(1000)[:n_candidates].astype(index_dtype)
    parent = np.full(n, -1, dtype=index_dtype)
    neighbor = np.full(n, -1, dtype=index_dtype)
    gap = np.full(n, 2, dtype=gap_dtype)
    one = np.dtype(gap_dtype).type(1)
    pairs_from_words(
        words, neighbors, rows, np.nextafter(one, one.dtype.type(0)), parent,
        neighbor, gap,
    )  # fmt: skip
    want_parent, want_neighbor, want_gap = _numpy_pairs(
        words, neighbors, rows, gap_dtype
    )
    np.testing.assert_array_equal(parent, want_parent)
    np.testing.assert_array_equal(neighbor, want_neighbor)
    assert gap.tobytes() == want_gap.tobytes()
    assert (gap < 1).all() and (gap >= 0).all()


@settings(max_examples=60, deadline=None)
@given(
    n_fit=st.integers(2, 40),
    n_query=st.integers(0, 12),
    d=st.integers(1, 4),
    levels=st.integers(1, 4),
    excluded=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_scan_nearest_is_the_lexicographic_order(
    n_fit, n_query, d, levels, excluded, dtype, seed
):
    # few coordinate values: ties everywhere, settled by the index
    rng = np.random.default_rng(seed)
    fit = rng.integers(0, levels, size=(n_fit, d)).astype(dtype)
    query = rng.integers(0, levels, size=(n_query, d)).astype(dtype)
    exclude = (
        rng.integers(0, n_fit, size=n_query)
        if excluded
        else np.full(n_query, -1, dtype=np.int64)
    )
    k = min(4, n_fit - 1)
    sq = ((query[:, None, :].astype(float) - fit[None].astype(float)) ** 2).sum(-1)
    sq[np.arange(n_query)[exclude >= 0], exclude[exclude >= 0]] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(n_fit), sq.shape), sq), axis=1)
    ind = np.full((n_query + 2, k), -7, dtype=np.int64)
    got_sq = np.full((n_query + 2, k), -7.0)
    scan_nearest(fit, query, exclude, 0, n_query, ind[1:], got_sq[1:])
    np.testing.assert_array_equal(ind[1 : n_query + 1], order[:, :k])
    np.testing.assert_array_equal(
        got_sq[1 : n_query + 1], np.take_along_axis(sq, order[:, :k], axis=1)
    )
    # rows outside start:stop are left alone
    assert (ind[0] == -7).all() and (ind[-1] == -7).all()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 60),
    n_rows=st.integers(1, 9),
    index_dtype=st.sampled_from([np.int32, np.int64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_bootstrap_from_words_matches_numpy(n, n_rows, index_dtype, seed):
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
    words[: n // 3] = np.uint64(2**64 - 1)
    rows = rng.permutation(1000)[:n_rows].astype(np.int64)
    parent = np.full(n, -1, dtype=index_dtype)
    bootstrap_from_words(words, rows, parent)
    want = rows[(words % np.uint64(n_rows)).astype(np.int64)]
    np.testing.assert_array_equal(parent, want)


def test_merge_levels_moves_past_a_nan_distance():
    # a NaN distance equals nothing, not even itself: the merge once looped
    # forever on it; it must take that candidate alone and not certify the row
    ptr = np.array([0, 3])
    cand = np.array([0, 1, 2])
    dist = np.array([np.nan, 1.0, 2.0])
    member_ptr, members = np.array([0, 1, 2, 3]), np.array([0, 1, 2])
    rows, ok = np.empty((1, 3), dtype=np.int64), np.empty(1, dtype=bool)
    merge_levels(ptr, cand, dist, member_ptr, members, np.array([5.0]), 1e-9, 0.0,
                 rows, ok)  # fmt: skip
    assert rows.tolist() == [[1, 2, 0]]
    assert not ok[0]


@settings(max_examples=200, deadline=None)
@given(
    a=st.integers(0, 2**64 - 1),
    d=st.one_of(
        st.integers(1, 2**64 - 1),
        st.integers(1, 10_000),
        st.integers(0, 63).map(lambda e: 2**e),
        st.integers(1, 64).map(lambda e: 2**e - 1),
        st.integers(0, 63).map(lambda e: 2**e + 1),
    ),
)
@example(a=2**64 - 1, d=2**63 + 1)
@example(a=2**64 - 1, d=3)
@example(a=0, d=1)
@example(a=2**64 - 1, d=1)
def test_quotient_by_an_invariant_divisor_is_exact(a, d):
    magic, shift = divisor(np.uint64(d))
    for x in {a, a // d * d, max(a // d * d - 1, 0), d - 1, d, min(2 * d, 2**64 - 1)}:
        got = quotient(np.uint64(x), np.uint64(d), np.uint64(magic), np.uint64(shift))
        assert int(got) == x // d


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 100),
    n_bins=st.sampled_from([1, 2, 7, 1024, 1025, 3000]),
    low=st.integers(-(2**40), 2**40),
    dtype=st.sampled_from([np.int8, np.uint8, np.int32, np.uint32, np.int64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_count_labels_counts_every_value_once(n, n_bins, low, dtype, seed):
    info = np.iinfo(dtype)
    low = int(np.clip(low, info.min, info.max - n_bins + 1))
    rng = np.random.default_rng(seed)
    values = (low + rng.integers(0, n_bins, n)).astype(dtype)
    counts = np.full(n_bins, 5, dtype=np.int64)  # added to, not overwritten
    count_labels(values, low, counts)
    expected = np.bincount(values.astype(np.int64) - low, minlength=n_bins)
    np.testing.assert_array_equal(counts, expected + 5)
