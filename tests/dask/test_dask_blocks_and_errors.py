"""Behaviours of the Dask samplers in detail: how a class over
``memory_budget`` is split into blocks, the size of the synthetic
partitions, the provenance's divisions, empty partitions, a borderline-2
seed set with a single neighbour of another class, and errors naming rows
and partitions of the whole input."""

import numpy as np
import pandas as pd
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

import dask  # noqa: E402
import smotekit  # noqa: E402
import smotekit.dask as skdask  # noqa: E402


def _striped(dtype=np.float64):
    """8 partitions of 10 rows, each holding 8 rows of class 0 and 2 of
    class 1, in 2 features: class 1 (16 rows, 256 bytes at 8 bytes a
    value) is the one over-sampled."""
    rng = np.random.RandomState(3)
    y = np.concatenate([rng.permutation([0] * 8 + [1] * 2) for _ in range(8)])
    X = (rng.normal(size=(80, 2)) + y[:, None] * 0.9).astype(dtype)
    return X, y


def _blocks(monkeypatch, sampler, X, y, chunk=10):
    """Fit ``sampler`` on ``X``, ``y`` in partitions of ``chunk`` rows, and
    return the computed output and the row indices of the class blocks it
    gathered (recorded from ``dask.persist``)."""
    gathered = []
    persist = dask.persist

    def recording_persist(*args, **kwargs):
        gathered.extend(args)
        return persist(*args, **kwargs)

    monkeypatch.setattr(dask, "persist", recording_persist)
    X_res, _ = sampler.fit_resample(
        da.from_array(X, chunks=(chunk, X.shape[1])), da.from_array(y, chunks=chunk)
    )
    blocks = dask.compute(*gathered, scheduler="sync")
    return X_res.compute(scheduler="sync"), [rows for rows, _ in blocks]


@pytest.mark.parametrize("name", ["SMOTE", "RandomOverSampler"])
def test_class_of_exactly_the_budget_is_gathered_once(monkeypatch, name):
    X, y = _striped()
    memory, _ = getattr(smotekit, name)(random_state=0).fit_resample(X, y)
    sampler = getattr(skdask, name)(random_state=0, memory_budget=16 * 2 * 8)
    X_res, blocks = _blocks(monkeypatch, sampler, X, y)
    assert [len(b) for b in blocks] == [16]
    assert np.array_equal(X_res, memory)
    sampler = getattr(skdask, name)(random_state=0, memory_budget=16 * 2 * 8 - 1)
    X_res, blocks = _blocks(monkeypatch, sampler, X, y)
    assert len(blocks) > 1
    assert np.array_equal(X_res, memory)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_blocks_of_a_class_over_the_budget_stay_within_it(monkeypatch, dtype):
    # values counted at 8 bytes at least (the search's float64 copy): float32
    # rows make blocks of no more rows than float64 ones
    X, y = _striped(dtype)
    budget = 5 * 2 * 8  # five rows
    memory, _ = smotekit.SMOTE(random_state=0).fit_resample(X, y)
    sampler = skdask.SMOTE(random_state=0, memory_budget=budget)
    X_res, blocks = _blocks(monkeypatch, sampler, X, y)
    assert len(blocks) > 1
    assert all(len(b) * 2 * 8 <= budget for b in blocks)
    assert np.array_equal(np.concatenate(blocks), np.flatnonzero(y == 1))
    assert np.array_equal(X_res, memory)


def test_blocks_take_partitions_while_they_fit(monkeypatch):
    # a budget of four rows holds the class rows of two partitions: blocks
    # are not cut before the budget is reached (fewer blocks, fewer pairs)
    X, y = _striped()
    memory, _ = smotekit.SMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)
    sampler = skdask.SMOTE(random_state=0, k_neighbors=3, memory_budget=4 * 2 * 8)
    X_res, blocks = _blocks(monkeypatch, sampler, X, y)
    assert [len(b) for b in blocks] == [4, 4, 4, 4]
    assert np.array_equal(X_res, memory)


def test_synthetic_partitions_default_to_the_largest_input_partition():
    X, y = _striped()
    X_res, _ = skdask.SMOTE(random_state=0).fit_resample(
        da.from_array(X, chunks=((10, 30, 40), 2)),
        da.from_array(y, chunks=((10, 30, 40),)),
    )
    assert X_res.chunks[0][:3] == (10, 30, 40)
    assert X_res.chunks[0][3:] == (40, 8)  # 48 new rows of class 1


def test_provenance_divisions_are_those_of_its_rows():
    X, y = _striped()
    sampler = skdask.SMOTE(random_state=0, partition_rows=7, sampling_strategy="all")
    sampler.fit_resample(da.from_array(X, chunks=(30, 2)), da.from_array(y, chunks=30))
    provenance = sampler.provenance_
    parts = [p.compute(scheduler="sync") for p in provenance.partitions]
    assert provenance.known_divisions
    assert list(provenance.divisions[:-1]) == [p.index[0] for p in parts]
    assert provenance.divisions[-1] == parts[-1].index[-1]


@pytest.mark.parametrize(
    "name, params",
    [
        ("BorderlineSMOTE", {}),
        ("BorderlineSMOTE", {"kind": "borderline-2"}),
        ("ADASYN", {}),
    ],
)
def test_empty_partition_is_skipped_by_the_search_among_all(name, params):
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], [60, 20])
    X = rng.normal(size=(80, 3)) + y[:, None] * 0.7
    order = rng.permutation(80)
    X, y = X[order], y[order]
    memory, _ = getattr(smotekit, name)(random_state=0, **params).fit_resample(X, y)
    X_res, _ = getattr(skdask, name)(random_state=0, **params).fit_resample(
        da.from_array(X, chunks=((30, 0, 50), 3)),
        da.from_array(y, chunks=((30, 0, 50),)),
    )
    assert np.array_equal(X_res.compute(scheduler="sync"), memory)


@pytest.mark.parametrize("n_parts", [1, 3, 7])
def test_borderline2_with_a_single_neighbour_of_another_class(n_parts):
    # class 1 on a line, one row of class 0 among it, the rest far away: the
    # seeds in danger (rows 4 and 5 of the line) have one neighbour outside
    # their class between them, which the synthetic rows must read
    rng = np.random.RandomState(0)
    line = np.c_[np.arange(10.0), np.zeros(10)]
    other = np.r_[[[4.5, 0.1]], rng.normal(size=(29, 2)) + 50]
    X = np.r_[other, line]
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    order = rng.permutation(40)
    X, y = X[order], y[order]
    params = {"random_state": 0, "kind": "borderline-2"}
    params.update(k_neighbors=1, m_neighbors=2)
    memory = smotekit.BorderlineSMOTE(**params)
    X_mem, _ = memory.fit_resample(X, y)
    chunk = -(-40 // n_parts)
    sampler = skdask.BorderlineSMOTE(**params)
    X_res, _ = sampler.fit_resample(
        da.from_array(X, chunks=(chunk, 2)), da.from_array(y, chunks=chunk)
    )
    assert len(sampler.in_danger_indices_[1]) == 2
    assert np.array_equal(sampler.in_danger_indices_[1], memory.in_danger_indices_[1])
    assert np.array_equal(X_res.compute(scheduler="sync"), X_mem)
    assert sampler.provenance_.compute(scheduler="sync").equals(
        memory.provenance_.to_frame()
    )


def test_budget_of_zero_bytes_is_refused():
    X, y = _striped()
    with pytest.raises(ValueError, match=r"must be positive; got '0B'"):
        skdask.SMOTE(memory_budget="0B").fit_resample(
            da.from_array(X, chunks=(10, 2)), da.from_array(y, chunks=10)
        )


def test_missing_label_is_named_at_its_row_of_the_whole_input():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = np.repeat([0.0, 1.0], [60, 20])
    y[50] = np.nan  # row 10 of partition 2
    with pytest.raises(ValueError, match=r"the first at position 50\)"):
        smotekit.SMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=r"the first at position 50\)"):
        skdask.SMOTE().fit_resample(
            da.from_array(X, chunks=(20, 3)), da.from_array(y, chunks=20)
        )


def test_missing_datetime_label_is_refused_like_in_memory():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(80, 3)), columns=list("abc"))
    y = pd.Series(pd.to_datetime(["2020-01-01"] * 60 + ["2021-01-01"] * 20))
    y[50] = pd.NaT
    with pytest.raises(ValueError, match=r"1 missing label.*position 50\)"):
        smotekit.SMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=r"1 missing label.*position 50\)"):
        skdask.SMOTE().fit_resample(
            dd.from_pandas(X, npartitions=4), dd.from_pandas(y, npartitions=4)
        )


def test_partition_of_x_and_y_of_different_lengths_is_named():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(15, 2)), columns=["a", "b"])
    y = pd.Series([0] * 10 + [1] * 5)
    labels = dd.from_delayed(
        [dask.delayed(y.iloc[a:b]) for a, b in [(0, 5), (5, 9), (9, 15)]],
        meta=y.iloc[:0],
    )
    with pytest.raises(
        ValueError, match=r"partition 1 has 5 rows in X and 4 labels in y"
    ):
        skdask.SMOTE().fit_resample(dd.from_pandas(X, npartitions=3), labels)


@pytest.mark.parametrize(
    "name, params, param",
    [
        ("BorderlineSMOTE", {"m_neighbors": 12, "k_neighbors": 2}, "m_neighbors"),
        (
            "BorderlineSMOTE",
            {"kind": "borderline-2", "k_neighbors": 12, "m_neighbors": 3},
            "k_neighbors",
        ),
        ("ADASYN", {"n_neighbors": 12}, "n_neighbors"),
    ],
)
def test_as_many_neighbours_as_samples_is_refused_like_in_memory(name, params, param):
    # a sample and its k neighbours need k + 1 samples: 12 are one too few
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(12, 2)), np.repeat([0, 1], [8, 4])
    match = rf"'{param}' parameter of {name} asks for 12 .* it has 12\."
    with pytest.raises(smotekit.exceptions.TooFewSamplesError, match=match):
        getattr(smotekit, name)(**params).fit_resample(X, y)
    with pytest.raises(smotekit.exceptions.TooFewSamplesError, match=match):
        getattr(skdask, name)(**params).fit_resample(
            da.from_array(X, chunks=(5, 2)), da.from_array(y, chunks=5)
        )


def test_non_integer_label_in_a_later_partition_is_refused_like_in_memory():
    # every partition's labels are checked, not only the first one's
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = np.repeat([0.0, 1.0], [60, 20])
    y[50] = 0.5  # in partition 2 of 4
    match = r"Unknown label type: continuous"
    with pytest.raises(ValueError, match=match):
        smotekit.SMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=match):
        skdask.SMOTE().fit_resample(
            da.from_array(X, chunks=(20, 3)), da.from_array(y, chunks=20)
        )


def test_unknown_label_categories_are_taken_first_seen_first():
    # the last partition lists the categories in another order: the first
    # partition's order is kept, as when the partitions are concatenated
    rng = np.random.RandomState(0)
    y = rng.permutation(np.repeat([0, 1, 2], [50, 20, 14]))
    names = np.array(["x", "yy", "z"])[y]
    frame = pd.DataFrame(rng.normal(size=(84, 2)), columns=["a", "b"])
    frame["label"] = pd.Categorical(names, categories=["z", "yy", "x"])
    parts = [frame.iloc[i * 28 : (i + 1) * 28].copy() for i in range(3)]
    parts[2]["label"] = parts[2]["label"].cat.reorder_categories(["x", "z", "yy"])
    ddf = dd.from_map(lambda i: parts[i], [0, 1, 2], meta=frame.iloc[:0])
    ddf["label"] = ddf["label"].cat.as_unknown()
    computed = ddf.compute(scheduler="sync")
    assert list(computed["label"].cat.categories) == ["z", "yy", "x"]
    _, y_mem = smotekit.SMOTE(random_state=0).fit_resample(
        computed.drop(columns="label"), computed["label"]
    )
    _, y_res = skdask.SMOTE(random_state=0).fit_resample(ddf, "label")
    assert list(y_res._meta.cat.categories) == ["z", "yy", "x"]
    pd.testing.assert_series_equal(y_res.compute(scheduler="sync"), y_mem)


@pytest.mark.parametrize("magnitude", [1e200, 1e-170])
@pytest.mark.parametrize("n_parts", [1, 3, 7])
@pytest.mark.parametrize("budget", ["256MiB", 100])
def test_smoothed_bootstrap_of_extreme_magnitudes_like_in_memory(
    magnitude, n_parts, budget
):
    # the per-feature std of a class over the budget, merged from its
    # blocks, is taken on values scaled by a power of two as in memory: the
    # squares of 1e200 overflowed (infinite noise) and those of 1e-170
    # vanished (no noise)
    rng = np.random.RandomState(0)
    y = rng.permutation(np.repeat([0, 1], [60, 20]))
    X = (rng.normal(size=(80, 2)) + y[:, None]) * magnitude
    params = {"random_state": 0, "shrinkage": 1.0}
    memory, _ = smotekit.RandomOverSampler(**params).fit_resample(X, y)
    chunk = -(-80 // n_parts)
    sampler = skdask.RandomOverSampler(**params, memory_budget=budget)
    X_res, _ = sampler.fit_resample(
        da.from_array(X, chunks=(chunk, 2)), da.from_array(y, chunks=chunk)
    )
    X_res = X_res.compute(scheduler="sync")
    assert np.isfinite(X_res).all()
    np.testing.assert_allclose(X_res, memory, rtol=1e-12, atol=0)
    if budget == "256MiB" or n_parts == 1:  # the class in one block
        assert np.array_equal(X_res, memory)


def test_empty_input_is_refused_as_empty():
    X, y = np.empty((0, 3)), np.empty(0, dtype=int)
    with pytest.raises(ValueError, match=r"SMOTE got an empty X \(0 samples\)"):
        smotekit.SMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=r"SMOTE got an empty X \(0 samples\)"):
        skdask.SMOTE().fit_resample(
            da.from_array(X, chunks=(5, 3)), da.from_array(y, chunks=5)
        )


@pytest.mark.parametrize("name", ["SMOTE", "BorderlineSMOTE"])
def test_y_in_other_chunks_than_x_is_rechunked(name):
    X, y = _striped()
    memory, y_mem = getattr(smotekit, name)(random_state=0).fit_resample(X, y)
    X_res, y_res = getattr(skdask, name)(random_state=0).fit_resample(
        da.from_array(X, chunks=(20, 2)), da.from_array(y, chunks=30)
    )
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    assert np.array_equal(X_c, memory)
    assert np.array_equal(y_c, y_mem)
