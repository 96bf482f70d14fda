"""The row builders write exactly the rows their provenance describes."""

import copy
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import RandomOverSampler, _blocks, _draws, _generation, _pages
from smotekit._draws import draw_bootstrap, draw_normal, draw_pairs
from smotekit._generation import copy_rows_into, interpolate_into, take_into
from smotekit._provenance import Provenance, ProvenanceBuilder, draw_into
from smotekit._random import make_root_entropy, stream_key

DTYPES = [np.bool_, np.int8, np.uint16, np.int32, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n_features", [1, 3, 5, 8])
def test_take_into_equals_fancy_indexing(dtype, n_features, monkeypatch):
    # small blocks so several threads share the rows
    monkeypatch.setattr(_blocks, "BLOCK_ROWS", 7)
    rng = np.random.RandomState(n_features)
    X = (rng.standard_normal((40, n_features)) * 50).astype(dtype)
    parent = rng.randint(0, 40, size=100)
    out = np.full((100, n_features), 1, dtype=dtype)
    take_into(out, X, parent)
    np.testing.assert_array_equal(out, X[parent])


def test_take_into_handles_views_and_offsets():
    rng = np.random.RandomState(0)
    base = rng.standard_normal((50, 7)).astype(np.float32)
    X = base[1:, 1:]  # not C-contiguous
    parent = rng.randint(0, 49, size=30)
    out = np.empty((31, 6), np.float32)[1:]  # C-contiguous, offset by one row
    take_into(out, X, parent, block_rows=4)
    np.testing.assert_array_equal(out, X[parent])
    contiguous = np.ascontiguousarray(base)[1:]  # offset 28 bytes: not 8-aligned
    out = np.empty((30, 7), np.float32)
    take_into(out, contiguous, parent, block_rows=4)
    np.testing.assert_array_equal(out, contiguous[parent])


def test_take_into_keeps_nan_and_signed_zero_bits():
    X = np.array([[np.nan, -0.0], [np.inf, 1.5]])
    out = np.empty((3, 2))
    take_into(out, X, np.array([0, 1, 0]))
    assert out.tobytes() == X[[0, 1, 0]].tobytes()


@given(
    n=st.integers(0, 300),
    d=st.integers(1, 6),
    block=st.integers(1, 64),
    dtype=st.sampled_from(DTYPES),
)
@settings(max_examples=60, deadline=None)
def test_copy_rows_into_is_a_copy_for_any_block_size(n, d, block, dtype):
    X = np.arange(n * d).reshape(n, d).astype(dtype)
    out = np.zeros((n, d), dtype=dtype)
    copy_rows_into(out, X, block_rows=block)
    np.testing.assert_array_equal(out, X)


@given(block=st.integers(1, 50), seed=st.integers(0, 2**16))
@settings(max_examples=40, deadline=None)
def test_interpolation_does_not_depend_on_blocks(block, seed):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((30, 4)).astype(np.float32)
    parent, neighbor = rng.randint(0, 30, 90), rng.randint(0, 30, 90)
    gap = rng.random_sample(90).astype(np.float32)
    whole, blocked = np.empty((90, 4), np.float32), np.empty((90, 4), np.float32)
    interpolate_into(whole, X, parent, neighbor, gap, block_rows=90)
    interpolate_into(blocked, X, parent, neighbor, gap, block_rows=block)
    assert whole.tobytes() == blocked.tobytes()
    expected = X[parent] + gap[:, None] * (X[neighbor] - X[parent])
    assert whole.tobytes() == expected.tobytes()


@given(
    sizes=st.lists(st.integers(0, 40), min_size=1, max_size=4),
    block=st.integers(1, 50),
    with_noise=st.booleans(),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None)
def test_draw_into_fills_each_class_range_with_its_stream(
    sizes, block, with_noise, seed
):
    rows = np.arange(7, 19)
    entropy = make_root_entropy(seed)

    def draw(key, start, stop, rows):
        part = draw_bootstrap(key, start, stop, rows)
        if with_noise:
            noise = draw_normal(key, start, stop, 2)
            return Provenance(part.parent, part.neighbor, part.gap, noise)
        return part

    noise = (2, np.float64) if with_noise else None
    out = ProvenanceBuilder(sum(sizes), 100, np.float64, noise=noise)
    for position, size in enumerate(sizes):
        key = stream_key(entropy, 0, position)
        draw_into(out, draw, key, 0, size, rows, block_rows=block)
    got = out.build()
    assert got.parent.dtype == np.int32 and len(got) == sum(sizes)
    offset = 0
    for position, size in enumerate(sizes):
        whole = draw(stream_key(entropy, 0, position), 0, size, rows)
        mine = slice(offset, offset + size)
        np.testing.assert_array_equal(got.parent[mine], whole.parent)
        np.testing.assert_array_equal(got.neighbor[mine], whole.neighbor)
        if with_noise:
            np.testing.assert_array_equal(got.noise[mine], whole.noise)
        offset += size


@given(
    size=st.integers(0, 300),
    block=st.integers(1, 120),
    word_rows=st.integers(1, 70),
    gap_dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None)
def test_draws_written_in_place_equal_the_returned_parts(
    size, block, word_rows, gap_dtype, seed
):
    # draw_pairs and draw_bootstrap write the builder's rows directly, their
    # words drawn in runs of WORD_ROWS; the rows must equal one whole draw
    # (one run) returned as a new part
    rows = np.arange(40, 52, dtype=np.int64)
    table = np.random.default_rng(seed).integers(0, 12, size=(12, 3))
    key = stream_key(make_root_entropy(seed), 0, 0)
    assert _draws.WORD_ROWS > 300
    for draw, args in ((draw_pairs, (table, rows)), (draw_bootstrap, (rows,))):
        whole = draw(key, 0, size, *args, gap_dtype)
        out = ProvenanceBuilder(size + 5, 100, gap_dtype)
        out.add(Provenance(np.full(5, -1), np.full(5, -1), np.full(5, 0.5)))
        with mock.patch.object(_draws, "WORD_ROWS", word_rows):
            draw_into(out, draw, key, 0, size, *args, gap_dtype, block_rows=block)
        got = out.build()
        assert got.parent.dtype == np.int32 and got.gap.dtype == gap_dtype
        assert (got.parent[:5] == -1).all() and (got.gap[:5] == 0.5).all()
        np.testing.assert_array_equal(got.parent[5:], whole.parent)
        np.testing.assert_array_equal(got.neighbor[5:], whole.neighbor)
        assert got.gap[5:].tobytes() == whole.gap.astype(gap_dtype).tobytes()


@given(
    sizes=st.lists(st.integers(0, 40), min_size=1, max_size=3),
    block=st.integers(1, 50),
    with_noise=st.booleans(),
    gap_dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=30, deadline=None)
def test_copies_builder_writes_only_the_parents(
    sizes, block, with_noise, gap_dtype, seed
):
    # RandomOverSampler's builder: neighbor is the parent array itself and the
    # gaps are zeros nobody writes; the parents equal a whole returned draw
    rows = np.arange(7, 19)
    entropy = make_root_entropy(seed)
    noise = (2, gap_dtype) if with_noise else None
    out = ProvenanceBuilder(sum(sizes), 100, gap_dtype, noise=noise, copies=True)
    view = out.view(0, sum(sizes))
    assert out.copies and view.neighbor is view.parent
    out.gap.flags.writeable = False  # any write into the gaps raises
    for position, size in enumerate(sizes):
        key = stream_key(entropy, 0, position)
        draw_into(out, draw_bootstrap, key, 0, size, rows, gap_dtype, block_rows=block)
    got = out.build()
    assert got.neighbor is got.parent and got.gap.dtype == gap_dtype
    assert not got.gap.any()
    offset = 0
    for position, size in enumerate(sizes):
        whole = draw_bootstrap(stream_key(entropy, 0, position), 0, size, rows)
        assert whole.neighbor is whole.parent and not whole.gap.any()
        np.testing.assert_array_equal(got.parent[offset : offset + size], whole.parent)
        offset += size
    # a part added to a copies builder lands in its parents only
    part_out = ProvenanceBuilder(3, 100, gap_dtype, copies=True)
    part_out.add(Provenance(np.array([4, 5, 6]), np.array([4, 5, 6]), np.zeros(3)))
    got = part_out.build()
    assert got.parent.tolist() == [4, 5, 6] and got.neighbor is got.parent
    assert not got.gap.any()


def test_sample_indices_follow_the_latest_fit():
    X = np.arange(20.0).reshape(10, 2)
    ros = RandomOverSampler(random_state=0)
    assert not hasattr(ros, "sample_indices_")
    for n_minority in (3, 1):
        y = np.array([0] * (10 - n_minority) + [1] * n_minority)
        X_res, _ = ros.fit_resample(X, y)
        np.testing.assert_array_equal(X_res, X[ros.sample_indices_])
        assert ros.sample_indices_ is ros.sample_indices_  # built once per fit
        assert len(ros.sample_indices_) == 2 * (10 - n_minority)


# ------------------------------------------------ provenance drawn again


def _fields(p):
    return [
        getattr(p, name)
        for name in ("parent", "neighbor", "gap", "noise", "copied_columns")
    ] + [p.copied_from]


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@given(
    # a class's table and rows take two pages when kept: small classes hold
    # their provenance, large ones draw it again
    sizes=st.lists(
        st.one_of(st.integers(0, 50), st.integers(600, 3000)), min_size=1, max_size=3
    ),
    block=st.integers(1, 1200),
    n_seeds=st.integers(2, 12),
    k=st.integers(1, 4),
    gap_dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None)
def test_released_provenance_is_drawn_again_identically(
    sizes, block, n_seeds, k, gap_dtype, seed
):
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(1000, n_seeds, replace=False)).astype(np.int32)
    table = rng.integers(0, n_seeds, (n_seeds, k))
    entropy = make_root_entropy(seed)
    out = ProvenanceBuilder(sum(sizes), 1000, gap_dtype)
    for position, size in enumerate(sizes):
        key = stream_key(entropy, 0, position)
        draw_into(out, draw_pairs, key, 0, size, table, rows, gap_dtype,
                  block_rows=block)  # fmt: skip
    held = copy.deepcopy(out.build())
    table[:] = -1  # the caller may reuse its arrays: the replay kept copies
    rows[:] = -1
    built = out.build()
    lazy = built.released()
    # drawing again keeps copies of the table and the rows, each in whole
    # pages: worth it only when, for every class, they take less memory than
    # the class's provenance (two int32 indices and a gap a row)
    kept = _pages.kept_bytes(table) + _pages.kept_bytes(rows)
    row_bytes = 8 + np.dtype(gap_dtype).itemsize
    replayed = any(sizes) and all(kept < n * row_bytes for n in sizes if n)
    assert (lazy is not built) == replayed
    assert ("_replay" in vars(lazy)) == replayed
    if not replayed:
        return
    assert len(lazy) == sum(sizes)
    assert "parent" not in vars(lazy)  # its length needs no drawing
    assert all(_same(a, b) for a, b in zip(_fields(lazy), _fields(held), strict=True))
    assert "_replay" not in vars(lazy)  # drawn once, the arrays are kept
    assert len(lazy) == len(held)


def test_provenance_written_part_by_part_is_held():
    out = ProvenanceBuilder(40_000, 100, np.float64)
    out.add(Provenance(np.zeros(40_000, int), np.ones(40_000, int), np.zeros(40_000)))
    held = out.build()
    assert held.released() is held


def test_a_released_provenance_has_no_other_attributes():
    rows = np.arange(10, dtype=np.int32)
    out = ProvenanceBuilder(5_000, 100, np.float64, copies=True)
    draw_into(out, draw_bootstrap, stream_key(make_root_entropy(0), 0, 0), 0, 5_000,
              rows)  # fmt: skip
    lazy = out.build().released()
    with pytest.raises(AttributeError, match="'Provenance' object has no attribute"):
        lazy.colour  # noqa: B018
    # a copies provenance drawn again is one again: neighbor is parent
    assert lazy.neighbor is lazy.parent and not lazy.gap.any()


# ------------------------------------------------ rows built from the draws


@given(
    # small classes keep their provenance (their table would cost more than
    # it), which stops the deferral: drawn then, the rest as recorded; large
    # classes are drawn twice as often, so that most examples stay deferred
    sizes=st.lists(
        st.sampled_from([0, 1, 2, 3, 50])
        | st.integers(1100, 2500)
        | st.integers(1100, 2500),
        min_size=1,
        max_size=3,
    ),
    added=st.sampled_from([None, None, None, 0, 1, 2]),
    block=st.integers(1, 1500),
    step=st.integers(1, 900),
    copies=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64, np.uint8, np.int16]),
    n_features=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=50, deadline=None)
def test_rows_built_from_deferred_draws_equal_rows_from_the_arrays(
    sizes, added, block, step, copies, dtype, n_features, seed
):
    rng = np.random.default_rng(seed)
    X = (rng.random((60, n_features)) * 100).astype(dtype)
    wdt = _generation.work_dtype(X.dtype)
    rows = np.sort(rng.choice(60, 12, replace=False)).astype(np.int32)
    table = rng.integers(0, 12, (12, 3))
    entropy = make_root_entropy(seed)
    n_added = 0 if added is None else 7
    n_rows = sum(sizes) + n_added
    builders = [
        ProvenanceBuilder(n_rows, 60, wdt, copies=copies, deferred=deferred)
        for deferred in (False, True)
    ]
    for out in builders:
        for position, size in enumerate(sizes):
            if position == added:  # rows not drawn: the whole provenance is held
                part = np.arange(n_added) % 60
                gap = np.zeros(n_added) if copies else np.full(n_added, 0.25)
                out.add(Provenance(part, part if copies else part[::-1], gap))
            key = stream_key(entropy, 0, position)
            if copies:
                draw_into(out, draw_bootstrap, key, 0, size, rows, wdt)
            else:
                draw_into(out, draw_pairs, key, 0, size, table, rows, wdt)
        if added is not None and added >= len(sizes):
            part = np.arange(n_added) % 60
            out.add(Provenance(part, part, np.zeros(n_added)))
    held, built = (out.build() for out in builders)
    # the kept copies of a draw's arrays must take less than its provenance
    kept = _pages.kept_bytes(rows) + (0 if copies else _pages.kept_bytes(table))
    row_bytes = 4 if copies else 8 + np.dtype(wdt).itemsize
    recordable = all(kept < n * row_bytes for n in sizes if n)
    deferred = added is None and recordable and sum(sizes) > 0
    assert ("parent" not in vars(built)) == deferred
    assert len(built) == len(held)
    n = len(held)
    expected = np.empty((n, n_features), X.dtype)
    got = np.full((n, n_features), 7, X.dtype)
    # the rows of a block are drawn and built BLOCK_ROWS at a time
    with mock.patch.object(_blocks, "BLOCK_ROWS", step):
        if copies:
            _generation.take_provenance_into(got, X, built, block_rows=block)
        else:
            _generation.interpolate_provenance_into(got, X, built, block_rows=block)
    if copies:
        take_into(expected, X, held.parent)
    else:
        interpolate_into(expected, X, held.parent, held.neighbor, held.gap)
    assert got.tobytes() == expected.tobytes()
    # copies, and interpolation of float and integer rows (compiled, the
    # integers interpolated in float64 and rounded), drew nothing whole
    compiled = copies or X.dtype == wdt or X.dtype.kind in "biu"
    assert ("parent" not in vars(built)) == (deferred and compiled)
    assert all(_same(a, b) for a, b in zip(_fields(built), _fields(held), strict=True))
    assert (built.neighbor is built.parent) == copies


def test_a_deferred_builder_allocates_nothing_until_drawn():
    rows = np.arange(10, dtype=np.int32)
    key = stream_key(make_root_entropy(0), 0, 0)
    out = ProvenanceBuilder(5_000, 100, np.float64, deferred=True)
    assert out.deferred and not hasattr(out, "parent")
    draw_into(out, draw_bootstrap, key, 0, 5_000, rows)
    assert not hasattr(out, "parent")
    lazy = out.build()
    assert vars(lazy).keys() == {"_replay"} and len(lazy) == 5_000
    # noise or copied columns are never deferred
    noisy = ProvenanceBuilder(5, 100, np.float64, noise=(2, np.float64), deferred=True)
    assert not noisy.deferred and noisy.noise.shape == (5, 2)


@pytest.mark.parametrize("sampler", ["SMOTE", "RandomOverSampler"])
def test_dense_resampling_builds_rows_without_drawing_the_provenance(sampler):
    import smotekit

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3_000, 4)).astype(np.float32)
    y = np.array([0] * 2_700 + [1] * 300)
    est = getattr(smotekit, sampler)(random_state=0)
    with mock.patch.object(
        ProvenanceBuilder, "_allocate", side_effect=AssertionError("drawn whole")
    ):
        X_res, y_res = est.fit_resample(X, y)
    assert (y_res[3_000:] == 1).all()
    p = est.provenance_
    assert "parent" not in vars(p) and len(p) == 2_400
    expected = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    assert X_res[3_000:].tobytes() == expected.astype(np.float32).tobytes()
    np.testing.assert_array_equal(X_res[:3_000], X)


def _dense_interpolation(X, parent, neighbor, gap):
    """The dense kernel's rows, cast as the samplers cast them."""
    wdt = _generation.work_dtype(X.dtype)
    D = X.toarray().astype(wdt)
    g = np.asarray(gap, dtype=wdt)[:, None]
    rows = D[parent] + g * (D[neighbor] - D[parent])
    return _generation.round_into_range(rows, X.dtype).astype(X.dtype)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n=st.integers(1, 30),
    d=st.integers(1, 12),
    density=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    dtype=st.sampled_from([np.float64, np.float32, np.int32, np.uint8]),
    head=st.booleans(),
    block_rows=st.sampled_from([None, 1, 4]),
)
def test_sparse_interpolation_is_the_dense_one_without_zeros(
    seed, n, d, density, dtype, head, block_rows
):
    from scipy import sparse

    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, (n, d)) * (rng.random((n, d)) < density)
    X = sparse.csr_matrix(values.astype(dtype))
    X.data[rng.random(X.nnz) < 0.2] = 0  # explicit zeros among the originals
    n_new = int(rng.integers(0, 40))
    parent, neighbor = rng.integers(0, n, n_new), rng.integers(0, n, n_new)
    gap = rng.choice([0.0, 0.5, 1.0, rng.random()], n_new)  # ends: exact zeros
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    got = _generation.interpolate_sparse(
        X, parent, neighbor, gap, block_rows=block_rows, head=head
    )
    want = _dense_interpolation(X, parent, neighbor, gap)
    start = n if head else 0
    assert got.dtype == X.dtype and got.shape == (start + n_new, d)
    np.testing.assert_array_equal(got[start:].toarray(), want)
    synthetic = got[start:]
    assert np.all(synthetic.data != 0) and synthetic.has_sorted_indices
    if head:  # the originals as they were stored, explicit zeros included
        np.testing.assert_array_equal(got.indptr[: n + 1], X.indptr)
        np.testing.assert_array_equal(got.indices[: X.nnz], X.indices)
        np.testing.assert_array_equal(got.data[: X.nnz], X.data)
    for now, then in zip((X.data, X.indices, X.indptr), before, strict=True):
        np.testing.assert_array_equal(now, then)


def test_sparse_interpolation_reads_unsorted_columns():
    from scipy import sparse

    # row 0 stores column 2 before column 0, and column 2 twice (summed)
    X = sparse.csr_matrix(
        (np.array([3.0, 1.0, 2.0, 4.0]), np.array([2, 0, 2, 1]), np.array([0, 3, 4])),
        shape=(2, 3),
    )
    got = _generation.interpolate_sparse(X, [0, 1], [1, 0], [0.5, 0.25], head=True)
    assert got[2:].toarray().tolist() == [[0.5, 2.0, 2.5], [0.25, 3.0, 1.25]]
    # the original rows as stored: same order of columns, repeats kept
    assert got.indptr[:3].tolist() == [0, 3, 4]
    assert got.indices[:4].tolist() == [2, 0, 2, 1]
    assert got.data[:4].tolist() == [3.0, 1.0, 2.0, 4.0]


INTEGER_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32,
                  np.uint32, np.int64, np.uint64]  # fmt: skip


def _integer_rows(dtype, rng, n, d, extreme):
    if dtype == np.bool_:
        return rng.random((n, d)) < 0.5
    info = np.iinfo(dtype)
    if extreme:  # the ends of the range, and values around them
        picks = [info.min, info.min + 1, info.max - 1, info.max, 0, 1]
        return rng.choice(np.array(picks, dtype=dtype), (n, d))
    low, high = max(info.min, -(2**40)), min(info.max, 2**40)
    return rng.integers(low, high, (n, d), endpoint=True).astype(dtype)


@settings(max_examples=80, deadline=None)
@given(
    dtype=st.sampled_from(INTEGER_DTYPES),
    extreme=st.booleans(),
    backwards=st.booleans(),
    halves=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_compiled_integer_rows_equal_the_rounded_float64_expression(
    dtype, extreme, backwards, halves, seed
):
    # the compiled kernel against the numpy form (taken for a destination
    # that is not C-contiguous): rounding half to even, clipping, the top of
    # 64-bit ranges, extrapolating gaps (SVMSMOTE's are negative)
    rng = np.random.default_rng(seed)
    X = _integer_rows(dtype, rng, 30, 4, extreme)
    n = 200
    parent, neighbor = rng.integers(0, 30, n), rng.integers(0, 30, n)
    gap = np.round(rng.random(n) * 4) / 8 if halves else rng.random(n)
    if backwards:
        gap = -gap
    compiled = np.empty((n, 4), dtype)
    reference = np.empty((n, 4), dtype, order="F")
    interpolate_into(compiled, X, parent, neighbor, gap)
    interpolate_into(reference, X, parent, neighbor, gap)
    assert compiled.tobytes() == np.ascontiguousarray(reference).tobytes()
    a = X[parent].astype(np.float64)
    expected = _generation.round_into_range(a + gap[:, None] * (X[neighbor] - a), dtype)
    if np.dtype(dtype).itemsize == 8:  # values past 2**53 kept on their segments
        expected = _generation.within_segments(expected, X, parent, neighbor, gap)
    assert compiled.tobytes() == expected.tobytes()


def test_wide_integers_still_keep_to_their_segments():
    # int64 values past 2**53 take the numpy form, which mends them
    X = np.array([[2**53 + 1], [2**53 + 3]], dtype=np.int64)
    out = np.empty((2, 1), np.int64)
    interpolate_into(out, X, np.array([0, 0]), np.array([0, 1]), np.array([0.5, 0.9]))
    assert out.ravel().tolist() == [2**53 + 1, 2**53 + 3]
