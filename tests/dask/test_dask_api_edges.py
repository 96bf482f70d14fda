"""Edge cases of the Dask samplers' API: metadata, index, dtypes and errors
match the in-memory samplers."""

import numpy as np
import pandas as pd
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

import dask  # noqa: E402
import smotekit  # noqa: E402
import smotekit.dask as skdask  # noqa: E402


def _data(n=(60, 15, 8), d=4, seed=0):
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(len(n)), n)
    X = rng.normal(size=(len(y), d)) + y[:, None] * 0.7
    order = rng.permutation(len(y))
    return X[order], y[order]


@pytest.mark.parametrize(
    "index",
    [
        pd.Index(np.arange(83) * 1.5),  # 'synthetic_i' labels
        pd.date_range("2020-01-01", periods=83),  # 'synthetic_i' labels
        pd.Index(np.arange(83), dtype="int32"),  # int64 labels
    ],
    ids=["float", "datetime", "int32"],
)
def test_lazy_index_meta_matches_computed(index):
    # the synthetic partitions' metadata carries their own index dtype
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcd"), index=index)
    labels = pd.Series(y, name="label", index=index)
    X_mem, _ = smotekit.SMOTE(random_state=0).fit_resample(frame, labels)
    X_res, y_res = skdask.SMOTE(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=3), dd.from_pandas(labels, npartitions=3)
    )
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    assert X_c.equals(X_mem)
    assert X_res._meta.index.dtype == X_c.index.dtype == X_mem.index.dtype
    assert y_res._meta.index.dtype == y_c.index.dtype


def test_nan_error_names_the_global_row():
    # the row of the first NaN is counted in the whole input, not its partition
    X, y = _data()
    X[50, 1] = np.nan
    with pytest.raises(ValueError, match=r"first at row 50, column 1"):
        smotekit.SMOTE(random_state=0).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"first at row 50, column 1"):
        skdask.SMOTE(random_state=0).fit_resample(
            da.from_array(X, chunks=(20, 4)), da.from_array(y, chunks=20)
        )


def test_nan_error_counts_every_partition_like_in_memory():
    X, y = _data()
    X[50, 1] = X[65, 0] = np.nan
    X[70, 2] = np.inf
    frame = pd.DataFrame(X, columns=list("abcd"))
    with pytest.raises(ValueError) as memory:
        smotekit.SMOTE(random_state=0).fit_resample(frame, y)
    with pytest.raises(ValueError) as distributed:
        skdask.SMOTE(random_state=0).fit_resample(
            dd.from_pandas(frame, npartitions=4),
            dd.from_pandas(pd.Series(y), npartitions=4),
        )
    assert "first at row 50, column 'b'" in str(memory.value)
    assert str(distributed.value) == str(memory.value)


@pytest.mark.parametrize("name", ["SMOTE", "RandomOverSampler"])
def test_output_graph_does_not_reread_input_partitions(name):
    # the class's rows come from the persisted blocks: computing the output
    # loads each input partition once (the pass-through)
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcd")).assign(label=y)
    loads = []

    def load(part):
        i = part[1]
        loads.append(i)
        return frame.iloc[i * 28 : (i + 1) * 28]

    # the sampler's name in the arguments: a distinct dask expression per case
    ddf = dd.from_map(load, [(name, 0), (name, 1), (name, 2)], meta=frame.iloc[:0])
    X_res, _ = getattr(skdask, name)(random_state=0).fit_resample(ddf, "label")
    loads.clear()
    X_res.compute(scheduler="sync")
    assert sorted(loads) == [0, 1, 2]


@pytest.mark.parametrize(
    "name, attribute",
    [("BorderlineSMOTE", "in_danger_indices_"), ("ADASYN", "n_synthetic_per_sample_")],
)
def test_documented_attribute_set_when_no_class_is_over_sampled(name, attribute):
    # an empty dict, as the in-memory BorderlineSMOTE sets
    X, y = _data()
    strategy = {1: 15, 2: 8}  # the current counts: nothing to add
    sampler = getattr(skdask, name)(random_state=0, sampling_strategy=strategy)
    sampler.fit_resample(da.from_array(X, chunks=(20, 4)), da.from_array(y, chunks=20))
    if name == "BorderlineSMOTE":
        memory = smotekit.BorderlineSMOTE(random_state=0, sampling_strategy=strategy)
        memory.fit_resample(X, y)
        assert memory.in_danger_indices_ == {}
        assert sampler.in_danger_indices == {}
    assert getattr(sampler, attribute) == {}


@pytest.mark.parametrize("y_kind", ["dask", "numpy"])
def test_x_and_y_of_different_lengths_get_a_clear_error(y_kind):
    # the in-memory message, naming X, y and their lengths
    X, y = _data()
    dX = da.from_array(X, chunks=(20, 4))
    dy = da.from_array(y[:-1], chunks=20) if y_kind == "dask" else y[:-1]
    with pytest.raises(ValueError, match=r"X has 83 rows and y has 82 labels"):
        skdask.SMOTE(random_state=0).fit_resample(dX, dy)


def test_numerals_written_as_text_are_refused_as_in_memory():
    X, y = _data()
    Xa = np.round(X, 1).astype("U4")
    with pytest.raises(ValueError, match=r"are not numeric") as memory:
        smotekit.SMOTE().fit_resample(Xa, y)
    with pytest.raises(ValueError, match=r"are not numeric") as lazy:
        skdask.SMOTE().fit_resample(
            da.from_array(Xa, chunks=(20, 4)), da.from_array(y, chunks=20)
        )
    assert str(lazy.value) == str(memory.value)


def test_numbers_held_as_objects_give_float64_rows():
    # like the in-memory SMOTE: converted to float64
    X, y = _data()
    Xa = np.round(X, 1).astype(object)
    X_mem, _ = smotekit.SMOTE(random_state=0).fit_resample(Xa, y)
    X_res, _ = skdask.SMOTE(random_state=0).fit_resample(
        da.from_array(Xa, chunks=(20, 4)), da.from_array(y, chunks=20)
    )
    X_c = X_res.compute(scheduler="sync")
    assert X_res.dtype == X_c.dtype == X_mem.dtype == np.float64
    np.testing.assert_array_equal(X_c, X_mem)


def test_y_synthetic_index_follows_y_own_index_like_in_memory():
    # y's synthetic labels follow y's index (here 83, 84, ...), not X's
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcd"), index=np.arange(83) + 500)
    labels = pd.Series(y, name="label")
    X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(frame, labels)
    X_res, y_res = skdask.SMOTE(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=3), dd.from_pandas(labels, npartitions=3)
    )
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    assert X_c.equals(X_mem)
    pd.testing.assert_series_equal(y_c, y_mem)


def test_synthetic_labels_follow_those_of_an_earlier_resampling_like_in_memory():
    # a text index that already holds synthetic_<n> labels (an earlier
    # resampling) continues after the largest, as in memory; the partition
    # holding the largest need not be the last
    X, y = _data()
    labels = [f"r{i}" for i in range(83)]
    labels[5], labels[40], labels[70] = "synthetic_3", "synthetic_17", "synthetic_9"
    frame = pd.DataFrame(X, columns=list("abcd"), index=labels)
    target = pd.Series(y, name="label", index=[f"y{i}" for i in range(83)])
    X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(frame, target)
    assert X_mem.index[83] == "synthetic_18" and y_mem.index[83] == "synthetic_0"
    X_res, y_res = skdask.SMOTE(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=3, sort=False),
        dd.from_pandas(target, npartitions=3, sort=False),
    )
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    assert X_c.equals(X_mem) and X_c.index.is_unique
    pd.testing.assert_series_equal(y_c, y_mem)


@pytest.mark.parametrize("whole", [False, True], ids=["X-y", "label-column"])
def test_index_name_kept(whole):
    X, y = _data()
    index = pd.RangeIndex(83, name="row_id")
    frame = pd.DataFrame(X, columns=list("abcd"), index=index)
    labels = pd.Series(y, name="label", index=index)
    X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(frame, labels)
    sampler = skdask.SMOTE(random_state=0)
    if whole:
        X_res, y_res = sampler.fit_resample(
            dd.from_pandas(frame.assign(label=labels), npartitions=3), "label"
        )
        X_mem = X_mem.assign(label=y_mem)
    else:
        X_res, y_res = sampler.fit_resample(
            dd.from_pandas(frame, npartitions=3), dd.from_pandas(labels, npartitions=3)
        )
    assert X_res._meta.index.name == "row_id"
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    pd.testing.assert_frame_equal(X_c, X_mem)
    pd.testing.assert_series_equal(y_c, y_mem)


def test_unknown_categorical_labels_keep_their_categories():
    # categories of unknown-category labels (as read from Parquet) keep the
    # input's order: original rows untouched, result as in memory
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcd"))
    labels = pd.Series(
        pd.Categorical(np.array(["x", "yy", "z"])[y], categories=["z", "yy", "x"]),
        name="label",
    )
    _, y_mem = smotekit.SMOTE(random_state=0).fit_resample(frame, labels)
    unknown = dd.from_pandas(labels, npartitions=3).cat.as_unknown()
    _, y_res = skdask.SMOTE(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=3), unknown
    )
    y_c = y_res.compute(scheduler="sync")
    pd.testing.assert_series_equal(y_c.iloc[:83], labels)
    pd.testing.assert_series_equal(y_c, y_mem)


def test_unknown_categorical_label_column_of_differing_partitions():
    # partitions with the categories in other orders: the in-memory result on
    # the computed frame (categories first seen first)
    X, y = _data()
    labels = pd.Categorical(np.array(["x", "yy", "z"])[y], categories=["z", "yy", "x"])
    frame = pd.DataFrame(X, columns=list("abcd")).assign(label=labels)
    parts = [frame.iloc[i * 28 : (i + 1) * 28].copy() for i in range(3)]
    parts[1]["label"] = parts[1]["label"].cat.reorder_categories(["x", "z", "yy"])

    def load(i):
        return parts[i]

    ddf = dd.from_map(load, [0, 1, 2], meta=frame.iloc[:0])
    ddf["label"] = ddf["label"].cat.as_unknown()
    computed = ddf.compute(scheduler="sync")
    X_mem, y_mem = smotekit.SMOTE(random_state=0).fit_resample(
        computed.drop(columns="label"), computed["label"]
    )
    X_res, y_res = skdask.SMOTE(random_state=0).fit_resample(ddf, "label")
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    assert list(y_res._meta.cat.categories) == ["z", "yy", "x"]
    pd.testing.assert_series_equal(y_c, y_mem)
    pd.testing.assert_frame_equal(X_c, X_mem.assign(label=y_mem))


def test_provenance_is_an_empty_frame_when_nothing_is_over_sampled():
    X, y = _data()
    sampler = skdask.SMOTE(sampling_strategy={0: 60}, random_state=0)
    sampler.fit_resample(da.from_array(X, chunks=30), da.from_array(y, chunks=30))
    memory = smotekit.SMOTE(sampling_strategy={0: 60}, random_state=0)
    memory.fit_resample(X, y)
    empty = sampler.provenance_.compute()
    assert empty.columns.tolist() == ["parent", "neighbor", "gap"] and len(empty) == 0
    assert dict(empty.dtypes) == dict(memory.provenance_.to_frame().dtypes)


def test_labels_of_mixed_types_get_the_in_memory_error():
    X, _ = _data()
    y = np.array([0] * 40 + ["a"] * 20 + [0] * 23, dtype=object)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(
            ValueError, match=r"mixes labels of different types \(int, str\)"
        ):
            skdask.SMOTE(random_state=0).fit_resample(
                da.from_array(X, chunks=20), da.from_array(y, chunks=20)
            )


def test_bytes_labels_get_the_in_memory_error():
    X, _ = _data()
    y = np.array([b"a"] * 60 + [b"b"] * 23, dtype=object)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(TypeError, match=r"holds bytes labels"):
            skdask.SMOTE(random_state=0).fit_resample(
                da.from_array(X, chunks=20), da.from_array(y, chunks=20)
            )


def test_danger_indices_equal_the_in_memory_ones_dtype_included():
    X, y = _data()
    sampler = skdask.BorderlineSMOTE(random_state=0)
    with dask.config.set(scheduler="synchronous"):
        sampler.fit_resample(
            da.from_array(X, chunks=(20, 4)), da.from_array(y, chunks=20)
        )
    memory = smotekit.BorderlineSMOTE(random_state=0)
    memory.fit_resample(X, y)
    assert sampler.in_danger_indices_.keys() == memory.in_danger_indices_.keys()
    assert any(v.size for v in memory.in_danger_indices_.values())
    for cls, rows in memory.in_danger_indices_.items():
        assert sampler.in_danger_indices_[cls].dtype == rows.dtype
        np.testing.assert_array_equal(sampler.in_danger_indices_[cls], rows)


@pytest.mark.parametrize("separate_y", [False, True])
def test_categorical_feature_of_unknown_differing_categories(separate_y):
    # as read from Parquet files holding different categories: the synthetic
    # copies keep one categorical dtype, that of the computed frame
    X, y = _data()
    frame = pd.DataFrame(X[:, :2], columns=["a", "b"]).assign(label=y)
    frame["c"] = pd.Categorical(np.where(np.arange(len(y)) < 40, "u", "w"))
    parts = [frame.iloc[:40].copy(), frame.iloc[40:].copy()]
    parts[0]["c"] = parts[0]["c"].cat.set_categories(["u", "v"])
    parts[1]["c"] = parts[1]["c"].cat.set_categories(["w", "x"])
    ddf = dd.from_map(lambda i: parts[i], [0, 1], meta=parts[0].iloc[:0])
    ddf["c"] = ddf["c"].cat.as_unknown()
    computed = ddf.compute(scheduler="sync")
    X_mem, _ = smotekit.RandomOverSampler(random_state=0).fit_resample(
        computed.drop(columns="label"), computed["label"]
    )
    assert list(X_mem["c"].cat.categories) == ["u", "v", "w", "x"]
    sampler = skdask.RandomOverSampler(random_state=0)
    if separate_y:
        X_res, _ = sampler.fit_resample(ddf.drop(columns="label"), ddf["label"])
    else:
        X_res, _ = sampler.fit_resample(ddf, "label")
    X_c = X_res.compute(scheduler="sync")
    assert X_res._meta["c"].dtype == X_c["c"].dtype == X_mem["c"].dtype
    expected = X_mem if separate_y else X_mem.assign(label=X_c["label"])
    pd.testing.assert_frame_equal(X_c[expected.columns], expected)


@pytest.mark.parametrize("categories", ["text", "int"])
@pytest.mark.parametrize("name", ["SMOTE", "RandomOverSampler"])
def test_categorical_index_gives_the_in_memory_labels(categories, name):
    X, y = _data()
    labels = [f"r{i}" for i in range(len(y))] if categories == "text" else range(len(y))
    index = pd.CategoricalIndex(labels)
    frame = pd.DataFrame(X, columns=list("abcd"), index=index)
    target = pd.Series(y, index=index, name="t")
    X_mem, y_mem = getattr(smotekit, name)(random_state=0).fit_resample(frame, target)
    X_res, y_res = getattr(skdask, name)(random_state=0).fit_resample(
        dd.from_pandas(frame, npartitions=3, sort=False),
        dd.from_pandas(target, npartitions=3, sort=False),
    )
    X_c, y_c = dask.compute(X_res, y_res, scheduler="sync")
    pd.testing.assert_frame_equal(X_c, X_mem)
    pd.testing.assert_series_equal(y_c, y_mem)


def test_repeated_column_names_are_refused_before_any_work():
    X, y = _data()
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abca")), npartitions=2)
    with pytest.raises(ValueError, match=r"SMOTE \(dask\) needs unique column.*'a'"):
        skdask.SMOTE().fit_resample(frame, dd.from_pandas(pd.Series(y), npartitions=2))


def test_sparse_chunks_are_refused_with_the_way_out():
    sp = pytest.importorskip("scipy.sparse")
    X, y = _data()
    chunks = da.from_array(X, chunks=30).map_blocks(
        sp.csr_matrix, dtype=float, meta=sp.csr_matrix((0, 0))
    )
    with pytest.raises(TypeError, match=r"dense chunks.*csr_matrix.*toarray"):
        skdask.SMOTE().fit_resample(chunks, da.from_array(y, chunks=30))


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (np.arange(83).astype(object), "labels of dtype object must all be strings"),
        (np.linspace(0, 1, 83), "looks like a regression target"),
        (np.zeros(83) + 1j, "Complex data not supported: the target 'y' of SMOTE"),
    ],
    ids=["object-ints", "continuous", "complex"],
)
def test_labels_refused_in_memory_are_refused_alike(labels, match):
    X, _ = _data()
    with pytest.raises(ValueError, match=match):
        smotekit.SMOTE().fit_resample(X, labels)
    with pytest.raises(ValueError, match=match):
        skdask.SMOTE().fit_resample(
            da.from_array(X, chunks=30), da.from_array(labels, chunks=30)
        )


@pytest.mark.parametrize("name", ["SMOTE", "BorderlineSMOTE", "ADASYN"])
def test_no_threads_is_refused_at_fit_naming_the_class(name):
    X, y = _data()
    sampler = getattr(skdask, name)(n_jobs=0)
    with pytest.raises(ValueError, match=f"'n_jobs' parameter of {name}: n_jobs=0"):
        sampler.fit_resample(da.from_array(X, chunks=30), da.from_array(y, chunks=30))


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("SMOTE", "k_neighbors", 0),
        ("BorderlineSMOTE", "k_neighbors", -2),
        ("BorderlineSMOTE", "m_neighbors", 0),
        ("ADASYN", "n_neighbors", 0),
    ],
)
def test_neighbour_counts_below_one_are_told_as_dask_ints(name, param, value):
    # the in-memory check offered a neighbours object, which dask refuses
    X, y = _data()
    sampler = getattr(skdask, name)(**{param: value})
    with pytest.raises(ValueError) as info:
        sampler.fit_resample(da.from_array(X, chunks=40), da.from_array(y, chunks=40))
    assert str(info.value) == (
        f"The '{param}' parameter of smotekit.dask.{name} must be an int of at "
        f"least 1; got {value}."
    )


@pytest.mark.parametrize(
    ("param", "value", "kind"),
    [
        ("memory_budget", True, "a number of bytes or a size such as '256MiB'"),
        ("memory_budget", np.True_, "a number of bytes or a size such as '256MiB'"),
        ("partition_rows", False, "a number of rows or None"),
    ],
)
def test_bools_are_refused_as_sizes(param, value, kind):
    # an int constraint lets a bool through: True was a budget of 1 byte
    X, y = _data()
    sampler = skdask.RandomOverSampler(**{param: value})
    with pytest.raises(TypeError) as info:
        sampler.fit_resample(da.from_array(X, chunks=40), da.from_array(y, chunks=40))
    assert str(info.value) == (
        f"The '{param}' parameter of smotekit.dask.RandomOverSampler must be "
        f"{kind}; got {value!r}."
    )
