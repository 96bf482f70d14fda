"""BorderlineSMOTE-specific behaviour (common checks live in tests/test_common.py)."""

import warnings
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE
from reference_knn import nearest_others
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import (
    BorderlineSMOTE,
    ExactNeighbors,
    NoDangerSamplesWarning,
    SmotekitWarning,
)

KINDS = ["borderline-1", "borderline-2"]


# ------------------------------------------------------------------ helpers


def reference_danger(X, y, cls, m):
    """Input rows of class ``cls`` in danger: m/2 <= m' < m (Han et al.)."""
    rows = np.flatnonzero(y == cls)
    n_other = (y[nearest_others(X, rows, m)] != cls).sum(axis=1)
    return rows[(2 * n_other >= m) & (n_other < m)]


def separated_blobs():
    """Two far-apart classes: no minority sample is in danger."""
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(20, 1, (50, 2))])
    return X, np.array([0] * 200 + [1] * 50)


@pytest.fixture
def data():
    """Three overlapping classes, 600 samples: every class has danger samples."""
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


# ----------------------------------------------------------- danger and seeds


@pytest.mark.parametrize("kind", KINDS)
def test_danger_samples_match_the_definition(data, kind):
    X, y = data
    sampler = BorderlineSMOTE(kind=kind, m_neighbors=7, random_state=0)
    sampler.fit_resample(X, y)
    assert set(sampler.in_danger_indices_) == {1, 2}
    for cls, danger in sampler.in_danger_indices_.items():
        np.testing.assert_array_equal(danger, reference_danger(X, y, cls, 7))
        assert 0 < len(danger) < (y == cls).sum()


def test_both_kinds_find_the_same_danger_samples(data):
    found = []
    for kind in KINDS:
        sampler = BorderlineSMOTE(kind=kind, random_state=0)
        sampler.fit_resample(*data)
        found.append(sampler.in_danger_indices_)
    one, two = found
    assert one.keys() == two.keys()
    for cls in one:
        np.testing.assert_array_equal(one[cls], two[cls])


def test_danger_indices_are_imbalanced_learns_on_tie_free_data(data):
    X, y = data
    ours = BorderlineSMOTE(random_state=0)
    ours.fit_resample(X, y)
    theirs = ImbBorderlineSMOTE(random_state=0)
    theirs.fit_resample(X, y)
    assert ours.in_danger_indices.keys() == theirs.in_danger_indices.keys()
    for cls in ours.in_danger_indices:
        np.testing.assert_array_equal(
            ours.in_danger_indices[cls], theirs.in_danger_indices[cls]
        )


def test_own_row_is_excluded_even_behind_a_duplicate_of_another_class():
    # minority row 7 sits exactly on majority row 0: its neighbours are the
    # duplicate (another class) and majority points, never row 7 itself
    rng = np.random.RandomState(1)
    X_major = rng.normal(0, 1, (6, 2))
    X_minor = np.vstack([X_major[:1], rng.normal(6, 0.3, (3, 2))])
    X = np.vstack([X_major, [[9.0, 9.0]], X_minor])
    y = np.array([0] * 7 + [1] * 4)  # row 7 is the minority copy of row 0
    sampler = BorderlineSMOTE(k_neighbors=2, m_neighbors=2, random_state=0)
    with pytest.warns(NoDangerSamplesWarning):  # rows 8-10 are safe
        sampler.fit_resample(X, y)
    # row 7's 2 nearest others are rows 0 and another majority row: noise, not
    # danger; counting itself (as imbalanced-learn does when the duplicate
    # comes first) would make it look in danger
    assert 7 not in sampler.in_danger_indices_[1].tolist()
    theirs = ImbBorderlineSMOTE(k_neighbors=2, m_neighbors=2, random_state=0)
    theirs.fit_resample(X, y)
    assert 7 in theirs.in_danger_indices[1].tolist()


@pytest.mark.parametrize("kind", KINDS)
def test_every_seed_is_a_danger_sample_of_its_class(data, kind):
    X, y = data
    sampler = BorderlineSMOTE(kind=kind, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    p, labels = sampler.provenance_, y_res[len(y) :]
    for cls, danger in sampler.in_danger_indices_.items():
        parents = p.parent[labels == cls]
        assert set(parents.tolist()) == set(danger.tolist())  # all used, on 600+


# --------------------------------------------------------------- neighbours


def test_borderline1_interpolates_towards_the_seeds_class_neighbours(data):
    X, y = data
    sampler = BorderlineSMOTE(k_neighbors=4, random_state=0)
    sampler.fit_resample(X, y)
    p = sampler.provenance_
    assert (y[p.neighbor] == y[p.parent]).all()
    assert ((p.gap >= 0) & (p.gap < 1)).all()
    seeds = np.unique(p.parent)
    allowed = {
        seed: set(nearest_others(X, [seed], 4, np.flatnonzero(y == y[seed]))[0])
        for seed in seeds.tolist()
    }
    for a, b in zip(p.parent.tolist(), p.neighbor.tolist(), strict=True):
        assert b in allowed[a]


def test_borderline2_interpolates_towards_neighbours_of_any_class(data):
    X, y = data
    sampler = BorderlineSMOTE(kind="borderline-2", k_neighbors=4, random_state=0)
    sampler.fit_resample(X, y)
    p = sampler.provenance_
    seeds = np.unique(p.parent)
    allowed = {s: set(nearest_others(X, [s], 4)[0]) for s in seeds.tolist()}
    for a, b in zip(p.parent.tolist(), p.neighbor.tolist(), strict=True):
        assert b in allowed[a]
    other = y[p.neighbor] != y[p.parent]
    assert other.any() and (~other).any()
    assert (p.gap[other] < 0.5).all()
    assert (p.gap[~other] < 1).all() and (p.gap[~other] >= 0.5).any()


def test_borderline2_gap_towards_other_classes_is_imbalanced_learns_product():
    # imbalanced-learn scales the U(0, 1) step by U(0, 0.5) for a neighbour of
    # another class: the gap is a product of uniforms, mean 1/2 * 1/4 = 0.125
    # (a single U(0, 0.5) draw would have mean 0.25)
    X, y = make_classification(
        n_samples=3000, n_features=3, n_informative=3, n_redundant=0,
        weights=[0.8], class_sep=0.3, random_state=0,
    )  # fmt: skip
    sampler = BorderlineSMOTE(kind="borderline-2", random_state=0)
    sampler.fit_resample(X, y)
    p = sampler.provenance_
    other = y[p.neighbor] != y[p.parent]
    assert other.sum() > 1000
    assert abs(p.gap[other].mean() - 0.125) < 0.01
    assert abs(p.gap[~other].mean() - 0.5) < 0.03


# ---------------------------------------------------- the no-danger defect


def test_class_without_danger_samples_still_gets_the_exact_count():
    X, y = separated_blobs()
    # imbalanced-learn silently generates nothing for the class
    _, y_imb = ImbBorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert Counter(y_imb.tolist()) == {0: 200, 1: 50}

    sampler = BorderlineSMOTE(random_state=0)
    with pytest.warns(
        NoDangerSamplesWarning,
        match=r"class 1 has no sample in danger.*Every sample of the class is used "
        r"as a seed.*150 samples asked",
    ):
        _, y_res = sampler.fit_resample(X, y)

    assert Counter(y_res.tolist()) == {0: 200, 1: 200}
    assert sampler.in_danger_indices_[1].size == 0
    p = sampler.provenance_
    assert (y[p.parent] == 1).all() and (y[p.neighbor] == 1).all()
    assert len(np.unique(p.parent)) > 40  # seeds spread over the whole class


@pytest.mark.parametrize("kind", KINDS)
def test_no_danger_warning_names_the_class_and_is_a_smotekit_warning(kind):
    X, y = separated_blobs()
    labels = np.array(["legit", "fraud"])[y]
    sampler = BorderlineSMOTE(kind=kind, random_state=0)
    with pytest.warns(
        SmotekitWarning, match="class 'fraud' has no sample in danger"
    ) as caught:
        _, y_res = sampler.fit_resample(X, labels)
    assert Counter(y_res.tolist()) == {"legit": 200, "fraud": 200}
    assert caught[0].filename == __file__  # it points at the caller's line


def test_no_danger_warning_points_at_the_caller_for_polars_data_too():
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    X, y = separated_blobs()
    with pytest.warns(NoDangerSamplesWarning) as caught:
        BorderlineSMOTE(random_state=0).fit_resample(pl.DataFrame(X), y)
    assert caught[0].filename == __file__


def test_only_the_class_without_danger_samples_falls_back(data):
    X, y = data
    X = X.copy()
    X[y == 2] += 50.0  # class 2 moves far away: no danger; class 1 keeps some
    sampler = BorderlineSMOTE(random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, y_res = sampler.fit_resample(X, y)
    messages = [str(w.message) for w in caught if w.category is NoDangerSamplesWarning]
    assert len(messages) == 1 and "class 2" in messages[0]
    labels = y_res[len(y) :]
    parents_1 = sampler.provenance_.parent[labels == 1]
    assert set(parents_1.tolist()) <= set(sampler.in_danger_indices_[1].tolist())
    assert sampler.in_danger_indices_[2].size == 0


# -------------------------------------------------------------- attributes


def test_in_danger_indices_alias_is_read_only(data):
    sampler = BorderlineSMOTE(random_state=0)
    assert not hasattr(sampler, "in_danger_indices")
    sampler.fit_resample(*data)
    assert sampler.in_danger_indices is sampler.in_danger_indices_
    with pytest.raises(AttributeError):
        sampler.in_danger_indices = {}


@pytest.mark.parametrize(("kind", "k_fit_on_all"), [(k, k[-1] == "2") for k in KINDS])
def test_fitted_neighbour_estimators(data, kind, k_fit_on_all):
    X, y = data
    sampler = BorderlineSMOTE(kind=kind, k_neighbors=3, m_neighbors=8)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.nn_m_, ExactNeighbors)
    assert sampler.nn_m_.n_neighbors == 9
    assert sampler.nn_m_.n_samples_fit_ == len(X)
    assert sampler.nn_k_.n_neighbors == 4
    n_last_class = (y == 2).sum()
    assert sampler.nn_k_.n_samples_fit_ == (len(X) if k_fit_on_all else n_last_class)


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


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "make", [NearestNeighbors, DuckNeighbors], ids=["sklearn", "duck-typed"]
)
def test_neighbour_objects_give_the_same_rows_as_ints(data, kind, make):
    X, y = data
    by_int = BorderlineSMOTE(kind=kind, k_neighbors=4, m_neighbors=6, random_state=1)
    by_object = BorderlineSMOTE(
        kind=kind, k_neighbors=make(n_neighbors=5), m_neighbors=make(n_neighbors=7),
        random_state=1,
    )  # fmt: skip
    np.testing.assert_array_equal(
        by_object.fit_resample(X, y)[0], by_int.fit_resample(X, y)[0]
    )
    assert isinstance(by_object.nn_m_, make) and isinstance(by_object.nn_k_, make)


def test_same_class_counts_as_imbalanced_learn_when_every_class_has_danger(data):
    X, y = data
    for strategy in ["auto", "all", {1: 300, 2: 250}]:
        ours = BorderlineSMOTE(sampling_strategy=strategy, random_state=0)
        theirs = ImbBorderlineSMOTE(sampling_strategy=strategy, random_state=0)
        assert Counter(ours.fit_resample(X, y)[1].tolist()) == Counter(
            theirs.fit_resample(X, y)[1].tolist()
        )


# ------------------------------------------------------------------- errors


def test_too_few_samples_for_m_neighbors():
    X = np.arange(16, dtype=float).reshape(8, 2)
    y = np.array([0] * 5 + [1] * 3)
    with pytest.raises(
        ValueError,
        match=r"'m_neighbors' parameter of BorderlineSMOTE asks for 10 neighbours "
        r"among all samples, so X needs at least 11 samples.*it has 8\. Lower "
        r"m_neighbors to at most 7",
    ):
        BorderlineSMOTE(k_neighbors=1).fit_resample(X, y)


def test_class_smaller_than_k_plus_one_names_the_class(data):
    X, y = data
    y = y.copy()
    y[np.flatnonzero(y == 2)[3:]] = 0  # class 2 keeps 3 samples
    with pytest.raises(
        ValueError,
        match=r"'k_neighbors' parameter of BorderlineSMOTE asks for 5 neighbours.*"
        r"class 2 has 3",
    ):
        BorderlineSMOTE(m_neighbors=3).fit_resample(X, y)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"kind": "borderline-3"}, r"'kind' parameter of BorderlineSMOTE must be"),
        ({"m_neighbors": 0}, r"'m_neighbors' parameter of BorderlineSMOTE must be"),
        ({"m_neighbors": "ten"}, r"'m_neighbors' parameter of BorderlineSMOTE"),
    ],
)
def test_bad_parameters(data, params, match):
    with pytest.raises(ValueError, match=match):
        BorderlineSMOTE(**params).fit_resample(*data)


# ------------------------------------------------------------------ property


@st.composite
def jittered_data(draw):
    """2-3 overlapping classes on a small grid, jittered so distances are
    distinct (the danger test is then unambiguous)."""
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(7, 20)) for _ in range(n_classes)]
    sizes[0] += draw(st.integers(1, 30))
    n, d = sum(sizes), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.integers(-4, 5, size=(n, d)) + rng.uniform(-0.01, 0.01, size=(n, d))
    y = np.repeat(np.arange(n_classes), sizes)
    return X, y[rng.permutation(n)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=jittered_data(),
    kind=st.sampled_from(KINDS),
    k=st.integers(1, 5),
    m=st.integers(1, 6),
    seed=st.integers(0, 2**31),
)
def test_property_every_seed_is_a_danger_sample_and_counts_are_exact(
    data, kind, k, m, seed
):
    X, y = data
    sampler = BorderlineSMOTE(
        kind=kind, k_neighbors=k, m_neighbors=m, random_state=seed
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X_res, y_res = sampler.fit_resample(X, y)
    warned = {
        str(w.message).split("class ")[1].split(" ")[0]
        for w in caught
        if w.category is NoDangerSamplesWarning
    }
    counts = Counter(y.tolist())
    assert set(Counter(y_res.tolist()).values()) == {max(counts.values())}
    n, p, labels = len(y), sampler.provenance_, y_res[len(y) :]
    for cls, danger in sampler.in_danger_indices_.items():
        np.testing.assert_array_equal(danger, reference_danger(X, y, cls, m))
        parents = p.parent[labels == cls]
        if danger.size:
            assert str(cls) not in warned
            assert np.isin(parents, danger).all()
        else:
            assert str(cls) in warned
            assert (y[parents] == cls).all()
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_array_equal(X_res[n:], rebuilt)


def test_float32_gaps_stay_below_their_bounds(monkeypatch):
    # a float64 draw just below 1 (or 0.5) rounds up to it in float32
    from smotekit._random import make_root_entropy, stream_key
    from smotekit.over_sampling import _borderline

    monkeypatch.setattr(
        _borderline, "to_unit_float", lambda words: np.full(len(words), 1 - 2**-53)
    )
    key = stream_key(make_root_entropy(0), 0, 0)
    table = np.array([[1, 2]])
    p = _borderline.draw_borderline(
        key, 0, 50, np.array([0]), table, np.float32, np.array([[False, True]])
    )
    assert p.gap.dtype == np.float32
    assert (p.gap[p.neighbor == 1] < 1).all() and (p.gap[p.neighbor == 2] < 0.5).all()
    assert (p.gap[p.neighbor == 1] == np.nextafter(np.float32(1), np.float32(0))).all()
