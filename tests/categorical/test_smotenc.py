"""SMOTENC: counts, containers, dtypes, the vote, determinism, errors, memory.

SMOTENC needs ``categorical_features`` and numeric and categorical columns, so
it is not in the common ``SAMPLERS`` (whose checks build numeric data and call
the constructor without arguments); this file repeats those checks on mixed
data: exact counts for every form of ``sampling_strategy``, every container
in and out, originals first and unchanged, dtypes, provenance, determinism
(seed, blocks, threads, search chunks), the estimator API and pickling.
"""

import pickle
import tracemalloc
from collections import Counter, OrderedDict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTENC as ImbSMOTENC
from imblearn.utils import check_sampling_strategy
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from smotekit import SMOTEENN, SMOTENC, ExactNeighbors, _blocks, _grouped
from smotekit.exceptions import NonNumericFeaturesError

SEED = 42

CITIES = np.array(["Oslo", "Lima", "Pune", "Kyiv", "Accra"], dtype=object)
CHANNELS = np.array(["web", "shop", "phone"], dtype=object)


def labels(n, shares=(0.7, 0.2, 0.1), seed=0):
    """Shuffled labels 0, 1, 2 with the given shares (exact counts)."""
    counts = [round(n * s) for s in shares]
    counts[0] = n - sum(counts[1:])
    y = np.repeat(np.arange(len(counts)), counts)
    return np.random.default_rng(seed).permutation(y)


def mixed_frame(n=300, seed=0, shares=(0.7, 0.2, 0.1)):
    """A DataFrame with every kind of column, and its labels.

    Columns: ``amount`` (float64), ``age`` (int64), ``city`` (category),
    ``channel`` (object), ``member`` (bool), ``tier`` (string), ``score``
    (float32). Each class prefers other cities, so categories depend on y.
    """
    rng = np.random.default_rng(seed)
    y = labels(n, shares, seed)
    city = (rng.integers(0, 3, n) + y) % len(CITIES)
    frame = pd.DataFrame(
        {
            "amount": rng.normal(size=n) + y,
            "age": rng.integers(18, 90, n),
            "city": pd.Categorical(CITIES[city], categories=list(CITIES)),
            "channel": CHANNELS[rng.integers(0, 3, n)],
            "member": rng.random(n) < 0.3 + 0.2 * y,
            "tier": pd.array(
                np.array(["gold", "basic"])[rng.integers(0, 2, n)], "string"
            ),
            "score": rng.normal(size=n).astype(np.float32),
        }
    )
    frame["channel"] = frame["channel"].astype(object)
    return frame, y


def mixed_array(n=300, seed=0, shares=(0.7, 0.2, 0.1)):
    """Numeric X: columns 1 and 3 are integer category codes (3 and 12 values)."""
    rng = np.random.default_rng(seed)
    y = labels(n, shares, seed)
    X = np.column_stack(
        [
            rng.normal(size=n) + y,
            (rng.integers(0, 2, n) + y) % 3,
            rng.normal(size=n),
            rng.integers(0, 12, n),
        ]
    )
    return X, y


def resample(X, y, **params):
    sampler = SMOTENC(**{"random_state": SEED, **params})
    X_res, y_res = sampler.fit_resample(X, y)
    return X_res, y_res, sampler


def class_neighbors(cont, codes, med, k):
    """Full-scan SMOTENC neighbour table of one class, ties by position."""
    sq = ((cont[:, None, :] - cont[None, :, :]) ** 2).sum(axis=-1)
    dist = sq + med**2 * (codes[:, None, :] != codes[None, :, :]).sum(axis=-1)
    n = len(cont)
    table = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        others = np.delete(np.arange(n), i)
        table[i] = others[np.lexsort((others, dist[i, others]))][:k]
    return table


# ------------------------------------------------------------------- counts

STRATEGIES = [
    "auto",
    "minority",
    "not minority",
    "all",
    {1: 150, 2: 100},
    {0: 210, 2: 30},
    OrderedDict([(2, 90), (1, 95)]),
    lambda y: {2: 2 * int((y == 2).sum())},
]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_counts_are_exactly_the_target(strategy):
    frame, y = mixed_frame()
    X_res, y_res, sampler = resample(
        frame, y, categorical_features="auto", sampling_strategy=strategy
    )
    target = check_sampling_strategy(strategy, y, "over-sampling")
    target = {int(c): int(n) for c, n in target.items()}
    assert dict(sampler.sampling_strategy_) == target
    assert Counter(y_res.tolist()) == Counter(y.tolist()) + Counter(target)
    n_new = sum(target.values())
    assert len(X_res) == len(frame) + n_new == len(y_res)
    assert len(sampler.provenance_) == n_new
    expected_labels = [c for c in sorted(target) for _ in range(target[c])]
    assert y_res[len(y) :].tolist() == expected_labels


def test_binary_float_strategy():
    X, y = mixed_array(shares=(0.8, 0.2, 0.0))
    y = (y > 0).astype(int)
    _, y_res, _ = resample(X, y, categorical_features=[1, 3], sampling_strategy=0.5)
    assert Counter(y_res.tolist()) == {0: 240, 1: 120}


# --------------------------------------------------------------- containers


def containers(X, y):
    columns = list("abcd")
    return {
        "numpy": (X, y),
        "list": (X.tolist(), y.tolist()),
        "csr": (sparse.csr_matrix(X), y),
        "csc": (sparse.csc_matrix(X), y),
        "pandas": (pd.DataFrame(X, columns=columns), pd.Series(y, name="target")),
        "pandas-sparse": (
            pd.DataFrame.sparse.from_spmatrix(sparse.csr_matrix(X), columns=columns),
            pd.Series(y, name="target"),
        ),
    }


def dense(X):
    if isinstance(X, pd.DataFrame):
        if all(isinstance(dt, pd.SparseDtype) for dt in X.dtypes):
            return X.sparse.to_dense().to_numpy()
        return X.to_numpy()
    return X.toarray() if sparse.issparse(X) else np.asarray(X)


@pytest.mark.parametrize(
    "container", ["numpy", "list", "csr", "csc", "pandas", "pandas-sparse"]
)
def test_every_container_comes_back_with_the_same_values(container):
    X, y = mixed_array()
    X[X[:, 2] < 0, 2] = 0.0  # sparsity in a continuous column
    reference, y_ref, ref_sampler = resample(X, y, categorical_features=[1, 3])
    X_in, y_in = containers(X, y)[container]

    X_res, y_res, sampler = resample(X_in, y_in, categorical_features=[1, 3])

    if sparse.issparse(X_in):
        assert sparse.issparse(X_res) and X_res.format == X_in.format
    elif isinstance(X_in, pd.DataFrame):
        assert X_res.dtypes.tolist() == X_in.dtypes.tolist()
        assert X_res.columns.tolist() == X_in.columns.tolist()
        assert isinstance(y_res, pd.Series) and y_res.name == "target"
    else:
        assert type(X_res) is type(X_in)
    assert_array_equal(dense(X_res), reference)
    assert_array_equal(np.asarray(y_res), y_ref)
    assert_array_equal(
        sampler.provenance_.copied_from, ref_sampler.provenance_.copied_from
    )


def test_frame_keeps_dtypes_originals_and_rebuilds_from_provenance():
    frame, y = mixed_frame()
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))], name="id")
    X_res, _, sampler = resample(frame, y, categorical_features="auto")
    n = len(frame)

    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res.iloc[:n], frame, check_exact=True)
    assert X_res.index[n:].tolist() == [f"synthetic_{i}" for i in range(len(X_res) - n)]
    assert sampler.categorical_features_.tolist() == [2, 3, 4, 5]
    assert sampler.continuous_features_.tolist() == [0, 1, 6]

    p = sampler.provenance_
    assert p.copied_columns.tolist() == [2, 3, 4, 5]
    for t, j in enumerate(p.copied_columns):
        copied = frame.iloc[p.copied_from[:, t], j].to_numpy()
        assert_array_equal(X_res.iloc[n:, j].to_numpy(), copied)
    # continuous columns are interpolated in float64 (the frame is not all
    # float32), then cast to their dtype, integers rounded
    assert p.gap.dtype == np.float64
    for name in ("amount", "score", "age"):
        values = frame[name].to_numpy().astype(np.float64)
        a, b = values[p.parent], values[p.neighbor]
        expected = a + p.gap * (b - a)
        if name == "age":
            expected = np.rint(expected)
        got = X_res[name].iloc[n:].to_numpy()
        assert_array_equal(got, expected.astype(frame[name].dtype))


def test_numeric_array_rebuilds_exactly_from_provenance():
    X, y = mixed_array()
    X_res, _, sampler = resample(X, y, categorical_features=[1, 3])
    p, n = sampler.provenance_, len(y)
    rows = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    for t, j in enumerate(p.copied_columns):
        rows[:, j] = X[p.copied_from[:, t], j]
    assert_array_equal(X_res[n:], rows)
    assert X_res[:n].tobytes() == X.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int16])
def test_numpy_dtype_kept_integers_rounded(dtype):
    X, y = mixed_array()
    X = np.round(X * 10).astype(dtype)
    X_res, _, sampler = resample(X, y, categorical_features=[1, 3])
    assert X_res.dtype == dtype
    p, n = sampler.provenance_, len(y)
    work = np.float32 if dtype == np.float32 else np.float64
    a, b = X[p.parent][:, [0, 2]].astype(work), X[p.neighbor][:, [0, 2]].astype(work)
    expected = a + p.gap.astype(work)[:, None] * (b - a)
    if dtype != np.float32:
        expected = np.rint(expected)
    assert_array_equal(X_res[n:, [0, 2]], expected.astype(dtype))


def test_object_array_keeps_objects_and_rounds_integer_columns():
    rng = np.random.default_rng(0)
    n = 120
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = np.array(["red", "blue", "green"], dtype=object)[rng.integers(0, 3, n)]
    X[:, 2] = [int(v) for v in rng.integers(0, 50, n)]
    y = np.array([0] * 90 + [1] * 30)
    X_res, _, _sampler = resample(X, y, categorical_features=[1])
    assert X_res.dtype == object
    assert all(X_res[i, j] is X[i, j] for i in range(n) for j in range(3))
    new = X_res[n:]
    assert all(isinstance(v, float) for v in new[:, 0])
    assert all(isinstance(v, int) for v in new[:, 2])  # integer column: rounded ints
    assert set(new[:, 1]) <= set(X[y == 1, 1])
    as_list, _, _ = resample(X.tolist(), y, categorical_features=[1])
    assert as_list == X_res.tolist()


def test_sparse_output_keeps_the_continuous_part_sparse():
    X, y = mixed_array()
    X[:, 2] = np.where(X[:, 2] > 0.5, X[:, 2], 0.0)
    X_res, _, _sampler = resample(sparse.csr_matrix(X), y, categorical_features=[1, 3])
    assert X_res.format == "csr"
    dense_res, _, _ = resample(X, y, categorical_features=[1, 3])
    assert_array_equal(X_res.toarray(), dense_res)
    assert X_res.nnz == np.count_nonzero(dense_res)


# --------------------------------------------------------- categories, vote


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(30, 200),
    n_categories=st.integers(2, 40),
    k=st.integers(1, 6),
)
def test_categories_come_only_from_the_class_observed_values(seed, n, n_categories, k):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    y[: 3 * (k + 1)] = np.repeat([0, 1, 2], k + 1)  # every class can be resampled
    # each class draws its categories from its own window of the value range
    codes = (rng.integers(0, max(n_categories // 2, 1), n) + 7 * y) % n_categories
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "code": pd.Categorical(codes),
            "name": np.array([f"v{c}" for c in codes], dtype=object),
            "flag": codes % 2 == 0,
        }
    )
    X_res, y_res, sampler = resample(
        frame, y, categorical_features="auto", k_neighbors=k, sampling_strategy="all"
    )
    new, labels = X_res.iloc[n:], y_res[n:]
    for cls in np.unique(y):
        observed = frame[y == cls]
        mine = new[labels == cls]
        for column in ("code", "name", "flag"):
            assert set(mine[column].tolist()) <= set(observed[column].tolist())
    p = sampler.provenance_
    assert (y[p.copied_from] == labels[:, None]).all()


def test_vote_takes_the_most_frequent_category_of_the_neighbours():
    X, y = mixed_array(n=400)
    k = 5
    _, y_res, sampler = resample(X, y, categorical_features=[1, 3], k_neighbors=k)
    p, n = sampler.provenance_, len(y)
    for cls in sampler.sampling_strategy_:
        rows = np.flatnonzero(y == cls)
        cont, codes = X[rows][:, [0, 2]], X[rows][:, [1, 3]]
        med = sampler.median_std_[cls]
        assert med == pytest.approx(np.median(cont.std(axis=0)))
        table = class_neighbors(cont, codes, med, k)
        mine = np.flatnonzero(y_res[n:] == cls)
        for j in mine:
            seed = np.searchsorted(rows, p.parent[j])
            voters = rows[table[seed]]
            assert p.neighbor[j] in voters
            for t, column in enumerate([1, 3]):
                votes = X[voters, column]
                values, counts = np.unique(votes, return_counts=True)
                winners = values[counts == counts.max()]
                source = p.copied_from[j, t]
                assert X[source, column] in winners
                # copied from the nearest voter carrying the winning category
                assert source == voters[np.flatnonzero(votes == X[source, column])[0]]


def test_ties_are_broken_at_random_per_synthetic_row():
    # minority class of 5: the seed with code 2 has the 4 others as neighbours,
    # codes {0, 0, 1, 1}: a tie, broken anew for each of its synthetic rows
    X_min = np.array([[0.0, 0], [0.1, 0], [0.2, 1], [0.3, 1], [0.15, 2]])
    X = np.vstack([X_min, np.column_stack([np.linspace(5, 9, 20), np.zeros(20)])])
    y = np.array([1] * 5 + [0] * 20)
    strategy = {1: 1_005}
    X_res, _, sampler = resample(
        X, y, categorical_features=[1], k_neighbors=4, sampling_strategy=strategy
    )
    parent, new = sampler.provenance_.parent, X_res[25:, 1]
    assert set(new[parent == 4]) == {0.0, 1.0}
    assert set(new[parent == 0]) == {1.0}  # neighbours 0, 1, 1, 2: no tie
    again, _, _ = resample(
        X, y, categorical_features=[1], k_neighbors=4, sampling_strategy=strategy
    )
    assert_array_equal(again, X_res)


def test_zero_median_std_still_copies_categories_of_the_class():
    # facts: median_std_ == 0 for a class whose continuous features are
    # constant; its categories must still be its own ("C" only)
    X = np.array(
        [[1.0, "A"]] * 3
        + [[2.0, "B"]] * 3
        + [[3.0, "C"]] * 6
        + [[v, "D"] for v in range(20)],
        dtype=object,
    )
    y = np.array(["class_1"] * 3 + ["class_2"] * 3 + ["class_3"] * 6 + ["class_0"] * 20)
    X_res, y_res, sampler = resample(X, y, categorical_features=[1], k_neighbors=2)
    assert sampler.median_std_ == {"class_1": 0.0, "class_2": 0.0, "class_3": 0.0}
    new = X_res[len(y) :]
    for cls, category in [("class_1", "A"), ("class_2", "B"), ("class_3", "C")]:
        assert set(new[y_res[len(y) :] == cls, 1]) == {category}


def test_nan_in_a_categorical_column_is_a_category():
    rng = np.random.default_rng(0)
    n = 200
    X = np.empty((n, 2), dtype=object)
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = np.array(["a", None, "b", np.nan], dtype=object)[rng.integers(0, 4, n)]
    y = (np.arange(n) < 40).astype(int)
    X_res, _, _sampler = resample(X, y, categorical_features=[1])
    observed = {v for v in X[y == 1, 1] if isinstance(v, str)}
    values = X_res[n:, 1]
    assert {v for v in values if isinstance(v, str)} <= observed
    assert pd.isna(values).any()  # the missing category wins some votes
    assert len(values) == 120


# ---------------------------------------------------------- imbalanced-learn


def test_fitted_attributes_match_imblearn():
    frame, y = mixed_frame()
    frame = frame.drop(columns=["tier"])  # imblearn's encoder rejects pd.NA strings
    ours = SMOTENC([2, 3, 4], random_state=0).fit(frame, y)
    ours.fit_resample(frame, y)
    theirs = ImbSMOTENC([2, 3, 4], random_state=0)
    theirs.fit_resample(frame, y)
    assert_array_equal(ours.categorical_features_, theirs.categorical_features_)
    assert_array_equal(ours.continuous_features_, theirs.continuous_features_)
    assert ours.n_features_ == theirs.n_features_ == 6
    assert ours.median_std_.keys() == theirs.median_std_.keys()
    for cls in ours.median_std_:
        assert ours.median_std_[cls] == pytest.approx(theirs.median_std_[cls])
    assert isinstance(ours.categorical_encoder_, OneHotEncoder)
    for mine, peer in zip(
        ours.categorical_encoder_.categories_,
        theirs.categorical_encoder_.categories_,
        strict=True,
    ):
        assert_array_equal(mine, peer)
    assert ours.nn_k_.n_neighbors == theirs.nn_k_.n_neighbors == 6


def test_auto_and_names_select_columns_and_keep_bool_and_category_dtypes():
    # imbalanced-learn's test: 'auto' / names → [1, 2] and [0], counts 70 / 70
    rng = np.random.default_rng(0)
    n = 100
    frame = pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "cat": pd.Categorical(rng.choice(["a", "b", "c"], n)),
            "flag": rng.random(n) < 0.5,
        }
    )
    y = np.array([0] * 30 + [1] * 70)
    for selection in ("auto", ["cat", "flag"], [1, 2], [False, True, True]):
        X_res, y_res, sampler = resample(frame, y, categorical_features=selection)
        assert sampler.categorical_features_.tolist() == [1, 2]
        assert sampler.continuous_features_.tolist() == [0]
        assert Counter(y_res.tolist()) == {0: 70, 1: 70}
        assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()


def test_auto_detects_object_string_and_bool_columns_unlike_imblearn():
    frame, y = mixed_frame()
    sampler = SMOTENC("auto").fit(frame, y)
    assert sampler.categorical_features_.tolist() == [2, 3, 4, 5]
    peer = ImbSMOTENC("auto")
    peer.fit_resample(frame.drop(columns=["tier", "channel", "member"]), y)
    assert peer.categorical_features_.tolist() == [2]  # category dtype only


def test_auto_reads_object_columns_of_numbers_as_continuous():
    # pd.read_sql gives NUMERIC columns as objects holding Decimals: 'auto'
    # took them for categories, so their values were only ever copied
    from decimal import Decimal

    rng = np.random.default_rng(3)
    y = np.repeat([0, 1], [30, 12])
    frame = pd.DataFrame(
        {
            "amount": pd.Series(
                [Decimal(int(v)) / 100 for v in rng.integers(0, 10**5, 42)],
                dtype=object,
            ),
            "big": pd.Series(
                [2**60 + int(v) for v in rng.integers(0, 1000, 42)], dtype=object
            ),
            "mixed": pd.Series([1.5 if i % 2 else i for i in range(42)], dtype=object),
            "x": rng.normal(size=42),
            "text": pd.Series(rng.choice(["a", "b"], 42), dtype=object),
            "text_and_int": pd.Series(
                ["a" if i % 2 else i for i in range(42)], dtype=object
            ),
            "flags": pd.Series([bool(i % 2) for i in range(42)], dtype=object),
            "empty": pd.Series([None] * 42, dtype=object),
        }
    )
    sampler = SMOTENC("auto", k_neighbors=3, random_state=0)
    X_res, _ = sampler.fit_resample(frame, y)
    assert sampler.categorical_features_.tolist() == [4, 5, 6, 7]
    new = X_res.iloc[42:]
    assert all(isinstance(v, Decimal) for v in new["amount"])
    amounts = set(frame["amount"][y == 1])
    assert not set(new["amount"]) <= amounts  # interpolated, not copied
    low, high = min(frame["big"][y == 1]), max(frame["big"][y == 1])
    assert all(isinstance(v, int) and low <= v <= high for v in new["big"])


def test_high_cardinality_column_with_bounded_memory():
    # imbalanced-learn builds a dense (n_new, k, n_categories) array: with 2,500
    # categories it needs 1.7 GB for 20,000 rows (measured) and ~100 MB even
    # for 2,000 rows; smotekit stays a small multiple of its output
    def data(n):
        rng = np.random.default_rng(0)
        y = np.zeros(n, dtype=np.int64)
        y[: n // 5] = 1
        X = np.column_stack(
            [rng.normal(size=(n, 4)) + y[:, None], rng.integers(0, 2_500, n)]
        )
        return X, y

    X, y = data(20_000)
    resample(X[::50], y[::50], categorical_features=[4])  # compile the kernels
    tracemalloc.start()
    X_res, y_res, _ = resample(X, y, categorical_features=[4])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert Counter(y_res.tolist()) == {0: 16_000, 1: 16_000}
    assert peak < 6 * X_res.nbytes  # about 3x measured: output, inputs, indices

    X_small, y_small = data(2_000)
    tracemalloc.start()
    X_peer, _ = ImbSMOTENC([4], random_state=0).fit_resample(X_small, y_small)
    peer_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peer_peak > 100 * X_peer.nbytes


# -------------------------------------------------------------- determinism


def test_same_seed_same_bytes_and_different_seeds_differ():
    frame, y = mixed_frame()
    first, _, s1 = resample(frame, y, categorical_features="auto")
    second, _, s2 = resample(frame, y, categorical_features="auto")
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    for field in ("parent", "neighbor", "gap", "copied_from"):
        assert (
            getattr(s1.provenance_, field).tobytes()
            == getattr(s2.provenance_, field).tobytes()
        )
    other, _, _ = resample(frame, y, categorical_features="auto", random_state=1)
    assert not first.equals(other)


def test_result_independent_of_blocks_threads_chunks_and_engine(monkeypatch):
    X, y = mixed_array(n=500)
    reference, _, _ = resample(X, y, categorical_features=[1, 3])
    variants = [
        {"n_jobs": 1},
        {"n_jobs": 2},
        {"k_neighbors": ExactNeighbors(6, algorithm="brute", block_size=7)},
        {"k_neighbors": ExactNeighbors(6, algorithm="kd_tree")},
    ]
    for params in variants:
        got, _, _ = resample(X, y, categorical_features=[1, 3], **params)
        assert got.tobytes() == reference.tobytes(), params
    monkeypatch.setattr(_blocks, "BLOCK_ROWS", 7)
    monkeypatch.setattr(_grouped, "PAIR_BUDGET", 11)
    monkeypatch.setattr(_grouped, "MARGIN", 0)
    got, _, _ = resample(X, y, categorical_features=[1, 3])
    assert got.tobytes() == reference.tobytes()


def test_neighbour_estimator_is_fitted_on_the_scaled_one_hot_encoding():
    X, y = mixed_array()
    by_int, _, _ = resample(X, y, categorical_features=[1, 3], k_neighbors=4)
    sampler = SMOTENC(
        [1, 3], k_neighbors=NearestNeighbors(n_neighbors=5), random_state=SEED
    )
    by_object, _ = sampler.fit_resample(X, y)
    assert_array_equal(by_object, by_int)  # continuous data: no ties
    assert isinstance(sampler.nn_k_, NearestNeighbors)
    assert sampler.nn_k_.n_samples_fit_ == np.sum(y == 2)  # the last class


def test_user_one_hot_encoder_defines_the_categories():
    X, y = mixed_array()
    reference, _, _ = resample(X, y, categorical_features=[1, 3])
    encoder = OneHotEncoder(handle_unknown="ignore")
    X_res, _, sampler = resample(
        X, y, categorical_features=[1, 3], categorical_encoder=encoder
    )
    assert_array_equal(X_res, reference)
    assert sampler.categorical_encoder_ is not encoder
    assert len(sampler.categorical_encoder_.categories_[1]) == 12
    with pytest.raises(ValueError, match="one column per category") as e:
        resample(
            X, y, categorical_features=[1, 3],
            categorical_encoder=OneHotEncoder(drop="first"),
        )  # fmt: skip
    assert "the encoder drops columns (e.g. `OneHotEncoder(drop=...)`)" in str(e.value)
    with pytest.raises(ValueError, match="one column per category") as e:
        resample(
            X, y, categorical_features=[1, 3], categorical_encoder=OrdinalEncoder()
        )
    assert "the encoder is not a one-hot encoder (an OrdinalEncoder" in str(e.value)
    assert "drops columns" not in str(e.value)


# ---------------------------------------------------------------------- API


def test_api_positional_selection_fit_clone_pickle():
    frame, y = mixed_frame()
    sampler = SMOTENC("auto", k_neighbors=3, random_state=0)
    assert sampler.get_params()["categorical_features"] == "auto"
    assert sampler.fit(frame, y) is sampler
    assert not hasattr(sampler, "provenance_")
    assert sampler.categorical_features_.tolist() == [2, 3, 4, 5]
    assert sampler.feature_names_in_.tolist() == frame.columns.tolist()
    X_res, _ = sampler.fit_resample(frame, y)
    restored = pickle.loads(pickle.dumps(sampler))
    assert restored.fit_resample(frame, y)[0].equals(X_res)
    fresh = clone(sampler)
    assert not [a for a in vars(fresh) if a.endswith("_")]
    assert (
        repr(fresh)
        == "SMOTENC(categorical_features='auto', k_neighbors=3, random_state=0)"
    )
    with pytest.raises(TypeError):
        SMOTENC("auto", None)  # everything after categorical_features is keyword-only


def test_refit_on_other_data_forgets_the_previous_fit():
    frame, y = mixed_frame()
    sampler = SMOTENC("auto", random_state=0)
    sampler.fit_resample(frame, y)
    X, y2 = mixed_array()
    sampler.set_params(categorical_features=[1, 3]).fit(X, y2)
    assert sampler.categorical_features_.tolist() == [1, 3]
    assert not hasattr(sampler, "median_std_") and not hasattr(
        sampler, "feature_names_in_"
    )


# ------------------------------------------------------------------- errors


def bad_inputs(frame, y):
    X = frame[["amount", "age", "city"]]
    numbers = X[["amount", "age"]].to_numpy()
    return [
        (
            "auto",
            numbers,
            "When `categorical_features='auto'`, the input data should be a pandas",
        ),
        ([0, 1, 2], X, "not designed to work only with categorical.*Use SMOTEN"),
        ([], X, "only with numerical features.*Use SMOTE for purely numerical"),
        ("auto", X[["amount", "age"]], "only with numerical features"),
        ([5], X, r"out of range for X with 3 features: \[5\]"),
        (["city", "town"], X, r"names columns that X does not have: \['town'\]"),
        (["a"], numbers, "need X to be a pandas.DataFrame; got ndarray"),
        ([True, False], X, r"one entry per feature \(3\); got 2"),
        ([2, -1], X, "lists the same column more than once"),
        ([[0, 1]], X, "must be a 1-D list"),
        ([0.5], X, "must hold column indices"),
        ([0], X, r"column\(s\) 'city' \(category\) are not numeric"),
    ]


@pytest.mark.parametrize("case", range(12))
def test_bad_categorical_features_raise_clear_errors(case):
    frame, y = mixed_frame()
    selection, X, message = bad_inputs(frame, y)[case]
    with pytest.raises(ValueError, match=message):
        SMOTENC(selection).fit_resample(X, y)


def test_nan_in_a_continuous_column_is_rejected():
    X, y = mixed_array()
    X[5, 0] = np.nan
    X[7, 1] = np.nan  # NaN in a categorical column is fine
    with pytest.raises(
        ValueError, match=r"contains 1 NaN value\(s\) \(first at row 5, column 0\)"
    ):
        SMOTENC([1, 3]).fit_resample(X, y)


def test_string_array_and_too_small_class_raise():
    X, y = mixed_array()
    with pytest.raises(ValueError, match="hold no numbers"):
        SMOTENC([1, 3]).fit_resample(X.astype(str), y)
    with pytest.raises(
        ValueError, match=r"class 2 has 30\. Lower k_neighbors to at most 29"
    ):
        SMOTENC([1, 3], k_neighbors=30).fit_resample(X, y)
    with pytest.raises(ValueError, match="categorical_features"):
        SMOTENC("everything").fit_resample(X, y)  # parameter constraints


def test_combinations_accept_smotenc_and_keep_its_provenance():
    X, y = mixed_array()
    sampler = SMOTEENN(smote=SMOTENC([1, 3], random_state=0), random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    p = sampler.provenance_
    assert p.copied_columns.tolist() == [1, 3]
    n_kept = int((sampler.sample_indices_ >= 0).sum())
    rows = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    for t, j in enumerate(p.copied_columns):
        rows[:, j] = X[p.copied_from[:, t], j]
    assert len(p) == len(X_res) - n_kept > 0
    assert_array_equal(X_res[n_kept:], rows)


@pytest.mark.parametrize(
    ("dtype", "power"),
    [(np.float64, 900), (np.float64, -900), (np.float32, 120), (np.float32, -60)],
)
def test_extreme_magnitudes_give_the_scaled_rows(dtype, power):
    # squares of such continuous values leave the dtype's range (the search
    # once never finished): scaling by a power of two is exact, so the rows,
    # neighbours and median spread are the unscaled data's, scaled
    rng = np.random.RandomState(4)
    cont = rng.standard_normal((300, 3))
    cats = rng.randint(0, 3, (300, 1))
    y = np.array([0] * 240 + [1] * 60)
    scale = np.ldexp(1.0, power)
    base = SMOTENC(categorical_features=[3], random_state=1)
    X_base = base.fit_resample(np.hstack([cont, cats]).astype(dtype), y)[0]
    scaled = SMOTENC(categorical_features=[3], random_state=1)
    X_res = scaled.fit_resample(np.hstack([cont * scale, cats]).astype(dtype), y)[0]
    assert X_res.dtype == dtype
    assert_array_equal(scaled.provenance_.neighbor, base.provenance_.neighbor)
    assert_array_equal(X_res[:, :3], (X_base[:, :3] * scale).astype(dtype))
    assert_array_equal(X_res[:, 3], X_base[:, 3])
    assert scaled.median_std_[1] == base.median_std_[1] * scale


# ------------------------------------------------- inputs met in the wild


def object_array(n=40, seed=0):
    """Columns of numbers, strings and integers, all stored as objects."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = rng.choice(["a", "b"], n)
    X[:, 2] = rng.integers(0, 5, n)
    y = np.array([0] * (3 * n // 4) + [1] * (n - 3 * n // 4))
    return X, y


def test_a_frame_of_numbers_stored_as_objects_is_read_like_the_object_array():
    # pd.DataFrame(object array) keeps the numbers as object columns
    X, y = object_array()
    frame = pd.DataFrame(X, columns=["num", "cat", "count"])
    assert frame["num"].dtype == object and frame["count"].dtype == object

    X_arr, _ = SMOTENC([1], random_state=0).fit_resample(X, y)
    X_res, _ = SMOTENC(["cat"], random_state=0).fit_resample(frame, y)

    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    assert X_res.to_numpy().tolist() == X_arr.tolist()
    assert all(type(v) is int for v in X_res["count"])  # integers stay integers
    pd.testing.assert_frame_equal(X_res.iloc[:40], frame)


def test_an_object_column_that_is_not_numbers_is_named():
    X, y = object_array()
    frame = pd.DataFrame(X, columns=["num", "cat", "count"])
    frame.loc[3, "num"] = "three"
    with pytest.raises(
        ValueError, match=r"column\(s\) 'num' \(object\) are not numeric"
    ):
        SMOTENC(["cat"]).fit_resample(frame, y)


def test_approximate_neighbours_search_the_dense_encoding():
    pytest.importorskip("faiss")
    from smotekit import ApproximateNeighbors

    rng = np.random.default_rng(0)
    X = np.column_stack(
        [rng.normal(size=400), rng.integers(0, 3, 400), rng.normal(size=400)]
    )
    y = np.array([0] * 300 + [1] * 100)
    sampler = SMOTENC(
        [1], random_state=0, k_neighbors=ApproximateNeighbors(n_neighbors=6)
    )

    X_res, y_res = sampler.fit_resample(X, y)

    assert X_res.shape == (600, 3) and np.bincount(y_res).tolist() == [300, 300]
    exact = SMOTENC([1], random_state=0)
    exact.fit_resample(X, y)
    assert sampler.nn_k_.n_neighbors == 6 and exact.median_std_ == sampler.median_std_
    assert set(np.unique(X_res[400:, 1])) <= {0.0, 1.0, 2.0}


@pytest.mark.parametrize("n", [0, 1])
def test_exact_neighbors_without_a_neighbour_is_refused(n):
    X, y = object_array()
    with pytest.raises(
        ValueError, match=r"'k_neighbors' parameter of SMOTENC is Exact"
    ):
        SMOTENC([1], k_neighbors=ExactNeighbors(n_neighbors=n)).fit_resample(X, y)


@pytest.mark.parametrize(
    ("selection", "match"),
    [("auto", r"Got <class 'list'> instead"), (["x"], r"got list\. Pass column")],
)
def test_selection_errors_name_a_list_as_a_list(selection, match):
    X = [[0.1 * i, "a" if i % 2 else "b"] for i in range(40)]
    y = [0] * 30 + [1] * 10
    with pytest.raises(ValueError, match=match):
        SMOTENC(selection).fit_resample(X, y)


def _two_text_columns():
    frame = pd.DataFrame(
        {"a": list("xy") * 20, "b": list("uv") * 20, "c": np.arange(40) * 0.5}
    )
    return frame, [0] * 30 + [1] * 10


@pytest.mark.parametrize("selection", [[0, True], [1, True], (np.True_, 2)])
def test_bools_mixed_with_indices_are_refused(selection):
    # np.asarray([0, True]) is [0, 1]: True was taken as column 1
    frame, y = _two_text_columns()
    with pytest.raises(ValueError) as info:
        SMOTENC(categorical_features=selection).fit_resample(frame, y)
    assert str(info.value) == (
        "The 'categorical_features' parameter of SMOTENC must hold column indices "
        "(ints), column names (strings) or a boolean mask, not a mix of bools and "
        f"other values; got {list(selection)}. Give each column's index, or one "
        "bool per feature."
    )


@pytest.mark.parametrize(
    ("selection", "shown"),
    [
        ({1, 0}, "a set (unordered). Pass a list of the columns, such as [0, 1]."),
        (
            frozenset({"b", "a"}),
            "a frozenset (unordered). Pass a list of the columns, such as ['a', 'b'].",
        ),
        (
            {"a": True},
            "a dict (a mapping). Pass a list of the columns, such as ['a'].",
        ),
    ],
)
def test_unordered_selections_are_refused_with_a_list_to_pass(selection, shown):
    frame, y = _two_text_columns()
    with pytest.raises(TypeError) as info:
        SMOTENC(categorical_features=selection).fit_resample(frame, y)
    assert str(info.value) == (
        "The 'categorical_features' parameter of SMOTENC must be a list of column "
        f"indices, names or a boolean mask; got {shown}"
    )


def test_a_name_shared_by_two_columns_is_refused():
    # columns.index(name) took the first of them: with ["a", "c", "c"], the
    # second 'c' was read as continuous and refused as not numeric, and two
    # numeric columns named 'a' had the second silently interpolated
    frame, y = mixed_frame()
    X = frame[["amount", "city", "age"]].copy()
    X.columns = ["a", "c", "a"]
    message = r"names columns that X has more than once: \['a'\].*by position"
    with pytest.raises(ValueError, match=message):
        SMOTENC(["a", "c"]).fit_resample(X, y)
    # by position the same columns are fine, and so is a name used once
    assert SMOTENC([1]).fit(X, y).categorical_features_.tolist() == [1]
    assert SMOTENC(["c"]).fit(X, y).categorical_features_.tolist() == [1]


@pytest.mark.parametrize(
    "selection",
    [
        np.array([1, 3], dtype=object),
        pd.Index([1, 3], dtype=object),
        np.array([False, True, False, True], dtype=object),
        np.array([np.int64(1), 3], dtype=object),
    ],
    ids=["object-ints", "object-index", "object-mask", "numpy-scalars"],
)
def test_indices_or_a_mask_held_as_objects_select_like_their_values(selection):
    # an object array of Python ints was refused as "must hold column
    # indices (ints) ...; got [1, 3]"
    X, y = mixed_array()
    reference, _, _ = resample(X, y, categorical_features=[1, 3])
    X_res, _, sampler = resample(X, y, categorical_features=selection)
    assert sampler.categorical_features_.tolist() == [1, 3]
    assert_array_equal(X_res, reference)


def test_an_encoder_that_leaves_a_value_without_category_names_it():
    # the message named neither the column nor the value, and advised the
    # encoder setting the user had passed
    frame, y = mixed_frame()
    X = frame[["amount", "age", "city"]]
    known = sorted(X["city"].dropna().unique().tolist())
    missing = known.pop()
    encoder = OneHotEncoder(categories=[known], handle_unknown="ignore")
    row = int(np.flatnonzero((X["city"] == missing).to_numpy())[0])
    message = (
        rf"the value '{missing}' of column 'city' \(row {row}\) was given 0\. An "
        r"encoder with a fixed list of categories must list every value"
    )
    with pytest.raises(ValueError, match=message):
        SMOTENC(["city"], categorical_encoder=encoder).fit_resample(X, y)


def test_names_of_multiindex_columns_select_the_categorical_features():
    rng = np.random.default_rng(0)
    y = np.array([0] * 90 + [1] * 30)
    frame = pd.DataFrame(
        {
            ("f", "a"): rng.normal(size=120),
            ("g", "c"): rng.choice(["x", "y"], 120).astype(object),
            ("g", "d"): rng.choice(["p", "q"], 120).astype(object),
        }
    )
    by_name = SMOTENC([("g", "c"), ("g", "d")], random_state=0)
    X_res, _ = by_name.fit_resample(frame, y)
    by_position = SMOTENC([1, 2], random_state=0)
    pd.testing.assert_frame_equal(X_res, by_position.fit_resample(frame, y)[0])
    assert by_name.categorical_features_.tolist() == [1, 2]
    with pytest.raises(ValueError, match=r"X does not have: \[\('g', 'zz'\)\]"):
        SMOTENC([("g", "c"), ("g", "zz")]).fit_resample(frame, y)
    with pytest.raises(ValueError, match="lists the same column more than once"):
        SMOTENC([("g", "c"), ("g", "c")]).fit_resample(frame, y)


def test_exact_engine_leaves_nn_k_as_the_unfitted_search_it_names():
    # the mixed-metric engine searches without an encoding: nn_k_ names the
    # search (its n_neighbors, its n_jobs), it is not fitted for show
    rng = np.random.RandomState(1)
    y = np.array([0] * 80 + [1] * 20)
    X = np.empty((100, 2), dtype=object)
    X[:, 0], X[:, 1] = rng.randn(100), rng.choice(list("abc"), 100)
    sampler = SMOTENC([1], k_neighbors=3, n_jobs=2, random_state=0)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.nn_k_, ExactNeighbors)
    assert (sampler.nn_k_.n_neighbors, sampler.nn_k_.n_jobs) == (4, 2)
    assert not hasattr(sampler.nn_k_, "n_samples_fit_")


def test_a_missing_value_in_an_object_column_of_numbers_is_named_as_missing():
    X = pd.DataFrame(
        {
            "a": pd.Series([1.0, 2.0, 3.0, pd.NA] + [1.5] * 16, dtype=object),
            "c": ["u", "v"] * 10,
        }
    )
    y = np.array([0] * 14 + [1] * 6)
    with pytest.raises(
        ValueError, match=r"contains 1 NaN value\(s\) \(first at row 3, column 'a'\)"
    ):
        SMOTENC(["c"], k_neighbors=2).fit_resample(X, y)


@pytest.mark.parametrize("as_frame", [False, True])
def test_numbers_written_as_text_are_refused_in_a_continuous_column(as_frame):
    # as by SMOTE: text is no number, numerals included (np.c_ of floats and
    # strings turns the floats into text); the original rows would keep the
    # text beside synthetic floats
    rng = np.random.RandomState(1)
    X = np.c_[rng.randn(20), rng.choice(list("abc"), 20)].astype(object)
    if as_frame:
        X = pd.DataFrame(X, columns=["x", "c"])
    with pytest.raises(NonNumericFeaturesError, match="not numeric") as info:
        SMOTENC([1], k_neighbors=3).fit_resample(X, [0] * 14 + [1] * 6)
    assert info.value.columns == (["x"] if as_frame else [0])
