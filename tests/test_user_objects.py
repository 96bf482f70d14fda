"""Objects a user passes in (neighbour estimators, k-means, SVMs, encoders,
sampling targets) whose answers would index the data in compiled steps that
do not check bounds: a malformed answer gets an error naming the parameter,
never a crash or rows from outside the class; a valid but unusual one works.
"""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OrdinalEncoder
from sklearn.svm import SVC

import smotekit as sk

RNG = np.random.RandomState(0)
X_NUM = RNG.randn(40, 2)
Y = np.array([0] * 28 + [1] * 12)
X_CAT = RNG.randint(0, 3, size=(40, 2))
X_MIXED = np.column_stack([X_NUM, X_CAT]).astype(object)


class MangledNeighbors(BaseEstimator):
    """A neighbours estimator whose ``kneighbors`` answer is mangled."""

    def __init__(self, n_neighbors=3, mode="ok", metric="minkowski"):
        self.n_neighbors = n_neighbors
        self.mode = mode
        self.metric = metric  # SMOTEN sets "precomputed"

    def fit(self, X, y=None):
        self.nn_ = NearestNeighbors(
            n_neighbors=self.n_neighbors, metric=self.metric
        ).fit(X)
        self.n_ = X.shape[0]
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        d, i = self.nn_.kneighbors(X, n_neighbors)
        mode, n = self.mode, self.n_
        if mode == "big":
            i = i.copy()
            i[:, -1] = n + 1_000_000
        elif mode == "neg":
            i = i.copy()
            i[:, -1] = -1_000_000
        elif mode == "float":
            i = i.astype(float) + 0.5
        elif mode == "self_only":
            i, d = i[:, :1], d[:, :1]
        elif mode == "no_columns":
            i, d = i[:, :0], d[:, :0]
        elif mode == "too_many_columns":
            i, d = np.hstack([i, i]), np.hstack([d, d])
        elif mode == "too_few_rows":
            i, d = i[:-1], d[:-1]
        elif mode == "too_many_rows":
            i, d = np.vstack([i, i]), np.vstack([d, d])
        elif mode == "swapped":
            return (i, d) if return_distance else d
        elif mode == "one_d":
            i, d = i[:, 1], d[:, 1]
        elif mode == "self_everywhere":
            i = np.repeat(np.arange(len(i))[:, None], i.shape[1], 1)
        elif mode == "int32_list":
            i = np.asfortranarray(i.astype(np.int32)).tolist()
        elif mode == "integral_floats":
            i = i.astype(np.float64)
        return (d, i) if return_distance else i


SAMPLERS = {
    "SMOTE": (lambda nn: sk.SMOTE(k_neighbors=nn, random_state=0), X_NUM),
    "KMeansSMOTE": (
        lambda nn: sk.KMeansSMOTE(
            k_neighbors=nn, random_state=0, cluster_balance_threshold=0.0
        ),
        X_NUM,
    ),
    "SMOTEN": (lambda nn: sk.SMOTEN(k_neighbors=nn, random_state=0), X_CAT),
    "SMOTENC": (
        lambda nn: sk.SMOTENC([2, 3], k_neighbors=nn, random_state=0),
        X_MIXED,
    ),
    "BorderlineSMOTE": (
        lambda nn: sk.BorderlineSMOTE(k_neighbors=nn, random_state=0),
        X_NUM,
    ),
    "BorderlineSMOTE-m": (
        lambda nn: sk.BorderlineSMOTE(m_neighbors=nn, random_state=0),
        X_NUM,
    ),
    "SVMSMOTE": (lambda nn: sk.SVMSMOTE(k_neighbors=nn, random_state=0), X_NUM),
    "SVMSMOTE-m": (lambda nn: sk.SVMSMOTE(m_neighbors=nn, random_state=0), X_NUM),
    "ADASYN": (lambda nn: sk.ADASYN(n_neighbors=nn, random_state=0), X_NUM),
    "SMOTEENN": (
        lambda nn: sk.SMOTEENN(smote=sk.SMOTE(k_neighbors=nn), random_state=0),
        X_NUM,
    ),
    "SMOTETomek": (
        lambda nn: sk.SMOTETomek(smote=sk.SMOTE(k_neighbors=nn), random_state=0),
        X_NUM,
    ),
    "EditedNearestNeighbours": (
        lambda nn: sk.EditedNearestNeighbours(n_neighbors=nn),
        X_NUM,
    ),
}

PARAMETER = {
    "ADASYN": "n_neighbors",
    "EditedNearestNeighbours": "n_neighbors",
    "BorderlineSMOTE-m": "m_neighbors",
    "SVMSMOTE-m": "m_neighbors",
}

BAD_MODES = [
    "big",
    "neg",
    "float",
    "self_only",
    "no_columns",
    "too_many_columns",
    "too_few_rows",
    "too_many_rows",
    "swapped",
    "one_d",
    "self_everywhere",
]


@pytest.mark.parametrize("mode", BAD_MODES)
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_malformed_neighbour_answers_are_refused_naming_the_parameter(name, mode):
    make, X = SAMPLERS[name]
    param = PARAMETER.get(name, "k_neighbors")
    shown = name.removesuffix("-m")
    with pytest.raises((ValueError, TypeError)) as info:
        make(MangledNeighbors(3, mode)).fit_resample(X, Y)
    message = str(info.value)
    assert f"'{param}'" in message, message
    assert shown in message or shown in ("SMOTEENN", "SMOTETomek"), message


@pytest.mark.parametrize("mode", ["int32_list", "integral_floats"])
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_valid_unusual_answers_give_the_result_of_proper_ones(name, mode):
    make, X = SAMPLERS[name]
    expected_X, expected_y = make(MangledNeighbors(3, "ok")).fit_resample(X, Y)
    got_X, got_y = make(MangledNeighbors(3, mode)).fit_resample(X, Y)
    np.testing.assert_array_equal(got_y, expected_y)
    np.testing.assert_array_equal(got_X, expected_X)


def test_smote_rows_come_from_the_class_with_a_custom_estimator():
    sampler = sk.SMOTE(k_neighbors=MangledNeighbors(3, "int32_list"), random_state=0)
    X_res, _ = sampler.fit_resample(X_NUM, Y)
    p = sampler.provenance_
    assert X_res.shape == (56, 2)
    assert set(np.asarray(p.parent)) <= set(range(28, 40))
    assert set(np.asarray(p.neighbor)) <= set(range(28, 40))
    assert (np.asarray(p.parent) != np.asarray(p.neighbor)).all()


class RelabelledKMeans(BaseEstimator):
    def __init__(self, n_clusters=2, mode="ok"):
        self.n_clusters = n_clusters
        self.mode = mode

    def fit(self, X, y=None):
        labels = KMeans(self.n_clusters, n_init=1, random_state=0).fit(X).labels_
        if self.mode == "long":
            labels = np.concatenate([labels, labels])
        elif self.mode == "short":
            labels = labels[:-5]
        elif self.mode == "two_d":
            labels = labels[:, None]
        self.labels_ = labels
        return self

    def predict(self, X):
        return self.labels_

    def fit_predict(self, X, y=None):
        return self.fit(X).labels_


@pytest.mark.parametrize("mode", ["long", "short", "two_d"])
def test_kmeans_labels_not_one_per_sample_are_refused(mode):
    sampler = sk.KMeansSMOTE(
        kmeans_estimator=RelabelledKMeans(2, mode), k_neighbors=2, random_state=0,
        cluster_balance_threshold=0.0,
    )  # fmt: skip
    expected = r"'kmeans_estimator' of KMeansSMOTE \(RelabelledKMeans\) gave"
    with pytest.raises(ValueError, match=expected + " cluster labels of shape"):
        sampler.fit_resample(X_NUM, Y)


class ShiftedSupportSVC(SVC):
    def __init__(self, mode="ok", C=1.0):
        super().__init__(C=C)
        self.mode = mode

    def fit(self, X, y, sample_weight=None):
        super().fit(X, y)
        support = self.support_.copy()
        if self.mode == "big":
            support[0] = len(X) + 1_000_000
        elif self.mode == "neg":
            support[0] = -1
        elif self.mode == "text":
            support = support.astype(str)
        self.support_ = support
        return self


@pytest.mark.parametrize("mode", ["big", "neg", "text"])
def test_svm_support_not_row_indices_is_refused(mode):
    sampler = sk.SVMSMOTE(
        svm_estimator=ShiftedSupportSVC(mode), k_neighbors=2, random_state=0
    )
    with pytest.raises(ValueError, match=r"'svm_estimator' of SVMSMOTE "
                       r"\(ShiftedSupportSVC\) has a 'support_' that is not a list "
                       r"of row indices of the 40 samples"):  # fmt: skip
        sampler.fit_resample(X_NUM, Y)


class SpreadCodes(BaseEstimator, TransformerMixin):
    """An ordinal encoder whose codes are far apart (order kept), or infinite."""

    def __init__(self, mode="spread"):
        self.mode = mode

    def fit(self, X, y=None):
        self.encoder_ = OrdinalEncoder().fit(X)
        self.categories_ = self.encoder_.categories_
        return self

    def transform(self, X):
        codes = self.encoder_.transform(X)
        if self.mode == "spread":
            return codes * 2.0**40
        codes[0, 0] = np.inf
        return codes

    def inverse_transform(self, X):
        return self.encoder_.inverse_transform(np.asarray(X) / 2.0**40)


def test_far_apart_category_codes_give_the_result_of_dense_ones():
    # a code only tells which rows share a category: codes near 2**41 must
    # not size an array by their value
    expected, y_expected = sk.SMOTEN(OrdinalEncoder(), random_state=0).fit_resample(
        X_CAT, Y
    )
    got, y_got = sk.SMOTEN(SpreadCodes(), random_state=0).fit_resample(X_CAT, Y)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(y_got, y_expected)


def test_infinite_category_codes_are_refused():
    expected = r"SMOTEN requires the `categorical_encoder` to encode each category"
    with pytest.raises(ValueError, match=expected + " as a non-negative .*inf"):
        sk.SMOTEN(SpreadCodes("inf"), random_state=0).fit_resample(X_CAT, Y)


@pytest.mark.parametrize("count", [2**63, np.uint64(2**64 - 1), 2**62 + 1])
def test_a_count_no_array_can_hold_names_sampling_strategy(count):
    sampler = sk.SMOTE(sampling_strategy=lambda y: {1: count}, random_state=0)
    with pytest.raises(ValueError, match=r"'sampling_strategy' parameter of SMOTE "
                       r"asks for \d+ samples of class 1, more rows than an array "
                       r"can index"):  # fmt: skip
        sampler.fit_resample(X_NUM, Y)


def test_a_kneighbors_mixin_that_keeps_each_sample_is_told_so():
    # kneighbors() without X must leave each sample out of its own list, as
    # scikit-learn's does; a wrapper that queries the fitted rows instead
    # lists each sample once among its own neighbours
    class KeepsSelf(NearestNeighbors):
        def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
            if X is None:
                X = self._fit_X
            return super().kneighbors(X, n_neighbors, return_distance)

    sampler = sk.SMOTE(k_neighbors=KeepsSelf(n_neighbors=4), random_state=0)
    with pytest.raises(ValueError, match=r"'k_neighbors' estimator of SMOTE listed "
                       r"the sample \d+ among its own neighbours \(kneighbors\(\) "
                       r"without X must leave each sample out"):  # fmt: skip
        sampler.fit_resample(X_NUM, Y)


class _NoFit:
    """Answers kneighbors but cannot be fitted."""

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        raise AssertionError("never asked")

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


@pytest.mark.parametrize(
    ("make", "param", "estimator", "lacks"),
    [
        (sk.SMOTE, "k_neighbors", "KNeighborsClassifier", "a fit that needs more"),
        (sk.ADASYN, "n_neighbors", "KNeighborsClassifier", "a fit that needs more"),
        (sk.BorderlineSMOTE, "m_neighbors", "KNeighborsClassifier", "a fit that"),
        (sk.SMOTE, "k_neighbors", "_NoFit", "no fit method"),
    ],
)
def test_a_neighbours_estimator_that_needs_y_to_fit_is_refused(
    make, param, estimator, lacks
):
    from sklearn.neighbors import KNeighborsClassifier

    value = KNeighborsClassifier(6) if estimator == "KNeighborsClassifier" else _NoFit()
    X = np.random.default_rng(0).random((60, 2))
    y = np.array([0] * 45 + [1] * 15)
    with pytest.raises(TypeError) as e:
        make(**{param: value}, random_state=0).fit_resample(X, y)
    message = str(e.value)
    assert message.startswith(
        f"The '{param}' parameter of {make.__name__} must be a neighbours "
        "estimator fitted on the samples alone, fit(X), such as sklearn's "
        f"NearestNeighbors; {estimator} has {lacks}"
    )
    assert message.endswith(f"or pass {param} as an int k.")


class _NoCount(BaseEstimator):
    """A neighbours estimator that keeps its count under another name."""

    def __init__(self, k=6):
        self.k = k

    def fit(self, X, y=None):
        self.nn_ = NearestNeighbors(n_neighbors=self.k).fit(X)
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        return self.nn_.kneighbors(X, n_neighbors, return_distance)


@pytest.mark.parametrize(
    ("make", "param"),
    [
        (sk.SMOTE, "k_neighbors"),
        (sk.ADASYN, "n_neighbors"),
        (sk.BorderlineSMOTE, "m_neighbors"),
        (sk.EditedNearestNeighbours, "n_neighbors"),
        (sk.KMeansSMOTE, "k_neighbors"),
    ],
)
def test_a_neighbours_estimator_without_n_neighbors_is_told_how_to_fix(make, param):
    with pytest.raises(
        TypeError,
        match=rf"The '{param}' parameter of {make.__name__} is a _NoCount, which "
        rf"has no 'n_neighbors' attribute.*or pass {param} as an int k\.$",
    ):
        make(**{param: _NoCount()}).fit_resample(X_NUM, Y)


def test_a_kmeans_estimator_that_needs_y_to_fit_is_refused():
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(
        TypeError,
        match=r"'kmeans_estimator' parameter of KMeansSMOTE must be a clustering "
        r"estimator fitted on the samples alone.*LogisticRegression has a fit that "
        r"needs more arguments.*MiniBatchKMeans\(n_clusters=\.\.\.\)",
    ):
        sk.KMeansSMOTE(kmeans_estimator=LogisticRegression()).fit_resample(X_NUM, Y)
