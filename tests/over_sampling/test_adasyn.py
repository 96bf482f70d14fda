"""ADASYN-specific behaviour (common checks live in tests/test_common.py)."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import ADASYN as ImbADASYN
from reference_knn import nearest_others
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import ADASYN, ExactNeighbors, _blocks
from smotekit.over_sampling._adasyn import allocate_largest_remainder

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def other_class_counts(X, y, cls, k):
    """Per sample of ``cls``: how many of its k nearest samples are of another class."""
    rows = np.flatnonzero(y == cls)
    return rows, (y[nearest_others(X, rows, k)] != cls).sum(axis=1)


def overlapping(random_state=0, n_samples=2000):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        weights=[0.7],
        class_sep=1.5,
        random_state=random_state,
    )
    return X, y


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=600,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.7, 0.2],
        n_classes=3,
        class_sep=0.8,
        random_state=3,
    )
    return X, y


# -------------------------------------------------------- the count defect


@pytest.mark.parametrize(
    ("random_state", "strategy", "imblearn_count"),
    [
        (0, "auto", 1393 - 604),  # rounding loses 3 samples
        (1, "auto", 1406 - 599),  # ... or adds 5
        (0, {1: 704}, 119),  # asked for 100 more, got 119
    ],
)
def test_exact_total_where_imbalanced_learn_rounds_it_off(
    random_state, strategy, imblearn_count
):
    X, y = overlapping(random_state)
    target = Counter(y.tolist())
    asked = target[0] - target[1] if strategy == "auto" else strategy[1] - target[1]

    _, y_imb = ImbADASYN(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    assert (y_imb == 1).sum() - target[1] == imblearn_count != asked

    sampler = ADASYN(sampling_strategy=strategy, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() - target[1] == asked
    assert len(sampler.provenance_) == asked


def test_per_seed_counts_are_imbalanced_learns_rounded_quotas_up_to_one(data):
    # imbalanced-learn grows rint(quota) samples per seed; ours floor or ceil
    X, y = data
    sampler = ADASYN(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    labels = y_res[len(y) :]
    for cls, n_new in sampler.sampling_strategy_.items():
        rows, n_other = other_class_counts(X, y, cls, 5)
        quota = n_other / n_other.sum() * n_new
        grown = np.bincount(sampler.provenance_.parent[labels == cls], minlength=len(y))
        assert (np.abs(grown[rows] - quota) < 1).all()
        assert (np.abs(grown[rows] - np.rint(quota)) <= 1).all()
        assert grown[rows].sum() == n_new


# --------------------------------------------------------------- weights


def test_no_samples_from_a_sample_surrounded_by_its_own_class(data):
    X, y = data
    sampler = ADASYN(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    labels = y_res[len(y) :]
    for cls in (1, 2):
        rows, n_other = other_class_counts(X, y, cls, 5)
        parents = set(sampler.provenance_.parent[labels == cls].tolist())
        assert parents == set(rows[n_other > 0].tolist())


def test_neighbours_are_the_seeds_nearest_of_its_class(data):
    X, y = data
    sampler = ADASYN(n_neighbors=3, random_state=0)
    sampler.fit_resample(X, y)
    p = sampler.provenance_
    assert (y[p.neighbor] == y[p.parent]).all()
    assert ((p.gap >= 0) & (p.gap < 1)).all()
    allowed = {
        s: set(nearest_others(X, [s], 3, np.flatnonzero(y == y[s]))[0])
        for s in np.unique(p.parent).tolist()
    }
    for a, b in zip(p.parent.tolist(), p.neighbor.tolist(), strict=True):
        assert b in allowed[a]


def test_row_j_belongs_to_the_seed_whose_cumulative_range_contains_it(data):
    X, y = data
    sampler = ADASYN(sampling_strategy={2: 200}, random_state=0)
    sampler.fit_resample(X, y)
    parent = sampler.provenance_.parent
    # seeds come in input order, each one's rows contiguous
    assert (np.diff(parent) >= 0).all()
    rows, n_other = other_class_counts(X, y, 2, 5)
    ends = np.cumsum(allocate_largest_remainder(n_other, 200 - (y == 2).sum()))
    np.testing.assert_array_equal(
        parent, rows[np.searchsorted(ends, np.arange(ends[-1]), side="right")]
    )


def test_rows_do_not_depend_on_how_the_work_is_split(data, monkeypatch):
    X, y = data
    reference = ADASYN(random_state=5).fit_resample(X, y)[0]
    for block_rows in (1, 3, 50):
        monkeypatch.setattr(_blocks, "BLOCK_ROWS", block_rows)
        X_res = ADASYN(random_state=5).fit_resample(X, y)[0]
        assert X_res.tobytes() == reference.tobytes()


# ------------------------------------------------------- no adaptive weight


def separated_blobs():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(20, 1, (50, 2))])
    return X, np.array(["legit"] * 200 + ["fraud"] * 50)


def test_class_without_other_class_neighbours_raises_a_clear_error():
    X, y = separated_blobs()
    with pytest.raises(RuntimeError, match="Not any neigbours"):
        ImbADASYN().fit_resample(X, y)  # the same exception type as ours
    with pytest.raises(
        RuntimeError,
        match=r"ADASYN cannot weight class 'fraud': none of its 50 samples has a "
        r"sample of another class among its 5 nearest neighbours.*Use SMOTE.*"
        r"raise n_neighbors",
    ):
        ADASYN().fit_resample(X, y)


def test_a_class_of_copies_is_named_as_such():
    rng = np.random.RandomState(0)
    legit = rng.normal(0, 1, (30, 3))
    # one row ten times: no neighbour can weight it, nothing new to draw
    X = np.vstack([legit, np.ones((10, 3))])
    y = np.r_[np.zeros(30), np.ones(10)].astype(int)
    with pytest.raises(
        RuntimeError,
        match=r"ADASYN cannot weight class 1: none of its 10 samples .*\(every "
        r"sample of the class is the same row.*Use RandomOverSampler",
    ):
        ADASYN().fit_resample(X, y)
    # two rows six times each: five neighbours are all copies; six look past
    # them (here to the other row, of the same class: separated)
    twins = np.repeat(rng.normal(5, 1, (2, 3)), [6, 6], axis=0)
    X, y = np.vstack([legit, twins]), np.r_[np.zeros(30), np.ones(12)].astype(int)
    with pytest.raises(
        RuntimeError,
        match=r"exact copy of its sample: the class repeats rows, one of them 6 "
        r"times\)\. Raise n_neighbors to 6 or more",
    ):
        ADASYN().fit_resample(X, y)
    with pytest.raises(RuntimeError, match="separated from the others"):
        ADASYN(n_neighbors=6).fit_resample(X, y)
    # copies near the other class: as the hint says, six neighbours look
    # past the copies (to the other class here) and the class is weighted
    X = np.vstack([legit, np.repeat(legit[:2] + 0.01, [6, 6], axis=0)])
    with pytest.raises(RuntimeError, match="Raise n_neighbors to 6 or more"):
        ADASYN().fit_resample(X, y)
    X_res, y_res = ADASYN(random_state=0, n_neighbors=6).fit_resample(X, y)
    assert X_res.shape == (60, 3) and (y_res == 1).sum() == 30


def test_one_sample_near_the_border_takes_every_synthetic_sample():
    X, y = separated_blobs()
    X = np.vstack([X, [[1.0, 1.0]]])  # a fraud sample among the legit ones
    y = np.append(y, "fraud")
    sampler = ADASYN(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {"legit": 200, "fraud": 200}
    assert set(sampler.provenance_.parent.tolist()) == {250}


# -------------------------------------------------------- neighbour objects


class DuckNeighbors:
    """A minimal neighbours object: fit, kneighbors, n_neighbors (no sklearn)."""

    def __init__(self, n_neighbors):
        self.n_neighbors = n_neighbors

    def get_params(self, deep=True):
        return {"n_neighbors": self.n_neighbors}

    def set_params(self, **params):
        self.n_neighbors = params["n_neighbors"]
        return self

    def fit(self, X):
        self.X_ = np.asarray(X)
        return self

    def kneighbors(self, X, return_distance=True):
        d = ((np.asarray(X)[:, None, :] - self.X_[None]) ** 2).sum(axis=2)
        ind = np.argsort(d, axis=1, kind="stable")[:, : self.n_neighbors]
        return (np.take_along_axis(d, ind, 1), ind) if return_distance else ind


@pytest.mark.parametrize(
    "make", [NearestNeighbors, DuckNeighbors], ids=["sklearn", "duck-typed"]
)
def test_neighbour_objects_give_the_same_rows_as_an_int(data, make):
    X, y = data
    by_int = ADASYN(n_neighbors=4, random_state=2).fit_resample(X, y)[0]
    sampler = ADASYN(n_neighbors=make(n_neighbors=5), random_state=2)
    np.testing.assert_array_equal(sampler.fit_resample(X, y)[0], by_int)
    assert isinstance(sampler.nn_, make) and sampler.nn_.n_neighbors == 5


def test_nn_is_the_engine_fitted_on_the_last_class(data):
    X, y = data
    sampler = ADASYN(n_neighbors=3)
    sampler.fit(X, y)
    assert not hasattr(sampler, "nn_")
    sampler.fit_resample(X, y)
    assert isinstance(sampler.nn_, ExactNeighbors)
    assert sampler.nn_.n_neighbors == 4
    assert sampler.nn_.n_samples_fit_ == (y == 2).sum()


def test_same_class_counts_as_asked_and_imbalanced_learn_s_classes(data):
    X, y = data
    for strategy in ["auto", "all", {1: 300, 2: 250}]:
        sampler = ADASYN(sampling_strategy=strategy, random_state=0)
        _, y_res = sampler.fit_resample(X, y)
        expected = Counter(y.tolist()) + Counter(dict(sampler.sampling_strategy_))
        assert Counter(y_res.tolist()) == expected
        _, y_imb = ImbADASYN(sampling_strategy=strategy, random_state=0).fit_resample(
            X, y
        )
        assert set(y_imb[len(y) :].tolist()) == set(y_res[len(y) :].tolist())


# ------------------------------------------------------------------- errors


def test_too_few_samples_for_n_neighbors():
    X = np.arange(10, dtype=float).reshape(5, 2)
    y = np.array([0, 0, 0, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"'n_neighbors' parameter of ADASYN asks for 5 neighbours among all "
        r"samples, so X needs at least 6 samples.*it has 5\. Lower n_neighbors to "
        r"at most 4",
    ):
        ADASYN().fit_resample(X, y)


def test_class_smaller_than_k_plus_one_names_the_class(data):
    X, y = data
    y = y.copy()
    y[np.flatnonzero(y == 2)[3:]] = 0
    with pytest.raises(
        ValueError,
        match=r"'n_neighbors' parameter of ADASYN asks for 5 neighbours.*class 2 "
        r"has 3\. Lower n_neighbors to at most 2",
    ):
        ADASYN().fit_resample(X, y)


@pytest.mark.parametrize("bad", [0, -1, "five", 2.5])
def test_bad_n_neighbors(data, bad):
    with pytest.raises(ValueError, match=r"'n_neighbors' parameter of ADASYN must be"):
        ADASYN(n_neighbors=bad).fit_resample(*data)


# ------------------------------------------------------- largest remainder


def test_largest_remainder_examples():
    assert allocate_largest_remainder([1, 1, 1], 10).tolist() == [4, 3, 3]
    assert allocate_largest_remainder([1, 2, 3, 4], 7).tolist() == [1, 1, 2, 3]
    assert allocate_largest_remainder([0, 0, 5], 9).tolist() == [0, 0, 9]
    assert allocate_largest_remainder([3, 1], 0).tolist() == [0, 0]
    # huge products are computed exactly (Python integers)
    big = allocate_largest_remainder([1, 2**40, 1], 2**30)
    assert big.tolist() == [0, 2**30, 0]


@pytest.mark.parametrize("weights", [[0, 0], [], [1, -1]])
def test_largest_remainder_rejects_weights_without_mass(weights):
    with pytest.raises(ValueError, match="non-negative and not all zero"):
        allocate_largest_remainder(weights, 3)


@SETTINGS
@given(
    weights=st.lists(st.integers(0, 10), min_size=1, max_size=60).filter(any),
    total=st.integers(0, 5000),
)
def test_property_largest_remainder_is_exact_fair_and_monotone(weights, total):
    parts = allocate_largest_remainder(weights, total)
    w = np.array(weights)
    quota = w * total / w.sum()
    assert parts.sum() == total
    assert (np.abs(parts - quota) < 1).all()
    assert (parts[w == 0] == 0).all()
    order = np.argsort(w, kind="stable")
    assert (np.diff(parts[order]) >= -1).all()
    for i in range(len(w)):
        assert (parts[w > w[i]] >= parts[i]).all()


# --------------------------------------------------------- sampler property


@st.composite
def overlapping_data(draw):
    """2-3 classes on a small grid, jittered (distinct distances), overlapping."""
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(7, 20)) for _ in range(n_classes)]
    sizes[0] += draw(st.integers(1, 30))
    n, d = sum(sizes), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.integers(-3, 4, size=(n, d)) + rng.uniform(-0.01, 0.01, size=(n, d))
    y = np.repeat(np.arange(n_classes), sizes)
    return X, y[rng.permutation(n)]


@SETTINGS
@given(
    data=overlapping_data(),
    k=st.integers(1, 5),
    extra=st.integers(1, 300),
    seed=st.integers(0, 2**31),
)
def test_property_more_samples_where_more_neighbours_are_of_other_classes(
    data, k, extra, seed
):
    X, y = data
    counts = Counter(y.tolist())
    strategy = {cls: n + extra for cls, n in counts.items()}
    weights = {cls: other_class_counts(X, y, cls, k) for cls in counts}
    if not all(n_other.any() for _, n_other in weights.values()):
        with pytest.raises(RuntimeError, match="cannot weight class"):
            ADASYN(sampling_strategy=strategy, n_neighbors=k).fit_resample(X, y)
        return
    sampler = ADASYN(sampling_strategy=strategy, n_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)

    n, p = len(y), sampler.provenance_
    labels = y_res[n:]
    assert Counter(labels.tolist()) == dict.fromkeys(counts, extra)  # exact totals
    for cls, (rows, n_other) in weights.items():
        grown = np.bincount(p.parent[labels == cls], minlength=n)[rows]
        assert grown.sum() == extra
        assert (grown[n_other == 0] == 0).all()
        # g_i is non-decreasing in r_i
        for r in np.unique(n_other):
            assert grown[n_other > r].min(initial=extra) >= grown[n_other == r].max()
    assert (y[p.neighbor] == labels).all()
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_array_equal(X_res[n:], rebuilt)


def test_float32_gaps_stay_below_one(monkeypatch):
    from smotekit._random import make_root_entropy, stream_key
    from smotekit.over_sampling import _adasyn

    monkeypatch.setattr(
        _adasyn, "to_unit_float", lambda words: np.full(len(words), 1 - 2**-53)
    )
    key = stream_key(make_root_entropy(0), 0, 0)
    p = _adasyn.draw_adasyn(
        key, 0, 5, np.array([5]), np.array([0]), np.array([[1]]), np.float32
    )
    assert p.gap.dtype == np.float32 and (p.gap < 1).all()
