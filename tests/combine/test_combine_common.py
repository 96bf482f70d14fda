"""SMOTEENN and SMOTETomek: over-sample, then clean, with the rows accounted for."""

import importlib
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.combine import SMOTETomek as ImbSMOTETomek
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import TomekLinks as ImbTomek
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import InvalidParameterError

import smotekit
from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    EditedNearestNeighbours,
    RandomOverSampler,
    SMOTETomek,
    TomekLinks,
)

#: (combination class, cleaner parameter, smotekit cleaner, imblearn cleaner,
#: imblearn combination)
COMBOS = [
    pytest.param(
        SMOTEENN, "enn", EditedNearestNeighbours, ImbENN, ImbSMOTEENN, id="SMOTEENN"
    ),
    pytest.param(
        SMOTETomek, "tomek", TomekLinks, ImbTomek, ImbSMOTETomek, id="SMOTETomek"
    ),
]
COMBO_CLASSES = [
    pytest.param(SMOTEENN, id="SMOTEENN"),
    pytest.param(SMOTETomek, id="SMOTETomek"),
]


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=400,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.6, 0.3],
        class_sep=0.8,
        random_state=3,
    )
    return X, y


def cleaner_of(combo):
    return combo.enn_ if isinstance(combo, SMOTEENN) else combo.tomek_


def over_samplers():
    """Every smotekit over-sampler to try inside a combination.

    BorderlineSMOTE (refused by imblearn's combinations) is listed whether or
    not it exists yet; the case skips only while the class is missing.
    """
    cases = [
        pytest.param(lambda: SMOTE(k_neighbors=3), id="SMOTE"),
        pytest.param(RandomOverSampler, id="RandomOverSampler"),
        pytest.param(lambda: RandomOverSampler(shrinkage=0.3), id="ROS-shrinkage"),
        pytest.param(ADASYN, id="ADASYN"),
    ]
    for name, kwargs in [
        ("BorderlineSMOTE", {}),
        ("BorderlineSMOTE", {"kind": "borderline-2"}),
        ("SVMSMOTE", {}),
    ]:
        case_id = name + "".join(f"-{v}" for v in kwargs.values())
        if hasattr(smotekit, name) or name in smotekit.__all__:
            cases.append(
                pytest.param(
                    lambda name=name, kwargs=kwargs: getattr(smotekit, name)(**kwargs),
                    id=case_id,
                )
            )
        else:
            reason = f"{name} does not exist yet"
            cases.append(pytest.param(None, id=case_id, marks=pytest.mark.skip(reason)))
    return cases


# ------------------------------------------------------------ composition


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
@pytest.mark.parametrize("make_over", over_samplers())
def test_equals_the_cleaner_run_on_the_over_samplers_output(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls, make_over
):
    X, y = data
    over = make_over().set_params(random_state=5)
    combo = combo_cls(smote=over)
    X_res, y_res = combo.fit_resample(X, y)

    X_over, y_over = clone(over).fit_resample(X, y)
    cleaner = cleaner_cls(sampling_strategy="all")
    X_ref, y_ref = cleaner.fit_resample(X_over, y_over)
    assert X_res.tobytes() == X_ref.tobytes()
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(
        cleaner_of(combo).sample_indices_, cleaner.sample_indices_
    )
    assert type(combo.smote_) is type(over)
    assert combo.sampling_strategy_ == combo.smote_.sampling_strategy_


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
def test_cleaning_step_keeps_the_rows_imblearns_cleaner_keeps(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls
):
    # the over-sampled data differs between the libraries (other random
    # draws), so the cleaning is compared on the same over-sampled data
    X, y = data
    combo = combo_cls(random_state=0)
    combo.fit_resample(X, y)
    X_over, y_over = SMOTE(random_state=0).fit_resample(X, y)
    imb = imb_cleaner_cls(sampling_strategy="all")
    imb.fit_resample(X_over, y_over)
    np.testing.assert_array_equal(
        cleaner_of(combo).sample_indices_, np.sort(imb.sample_indices_)
    )


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
def test_imblearn_refuses_borderline_smote_we_accept_it(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls
):
    X, y = data
    imb_borderline = importlib.import_module("imblearn.over_sampling").BorderlineSMOTE
    with pytest.raises(InvalidParameterError, match="must be an instance of"):
        imb_combo_cls(smote=imb_borderline()).fit_resample(X, y)
    if not hasattr(smotekit, "BorderlineSMOTE"):  # pragma: no cover
        pytest.skip("BorderlineSMOTE does not exist yet")
    combo = combo_cls(smote=smotekit.BorderlineSMOTE(), random_state=0)
    _, y_res = combo.fit_resample(X, y)
    assert type(combo.smote_).__name__ == "BorderlineSMOTE"
    assert len(y_res) <= len(y) + sum(combo.sampling_strategy_.values())


# ------------------------------------------------------- fitted attributes


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
def test_sampling_strategy_is_a_dict_not_the_raw_parameter(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls
):
    X, y = data
    imb = imb_combo_cls(random_state=0)
    imb.fit_resample(X, y)
    assert imb.sampling_strategy_ == "auto"  # imblearn's defect
    combo = combo_cls(random_state=0)
    combo.fit_resample(X, y)
    assert dict(combo.sampling_strategy_) == {1: 120, 2: 200}
    counts = Counter(y.tolist())
    assert combo.sampling_strategy_ == {
        c: max(counts.values()) - counts[c] for c in (1, 2)
    }


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
@pytest.mark.parametrize("container", ["numpy", "pandas", "csr"])
def test_sample_indices_and_provenance_describe_every_output_row(
    data, combo_cls, container
):
    X, y = data
    combo = combo_cls(random_state=1)
    if container == "pandas":
        X_in = pd.DataFrame(X, index=pd.RangeIndex(100, 100 + len(y)))
    elif container == "csr":
        X_in = sparse.csr_matrix(X)
    else:
        X_in = X
    X_res, y_res = combo.fit_resample(X_in, y)
    dense = (
        X_res.to_numpy()
        if container == "pandas"
        else X_res.toarray()
        if container == "csr"
        else X_res
    )
    n = len(y)
    idx = combo.sample_indices_
    originals = idx >= 0
    n_kept = int(originals.sum())
    # originals first, in order, unchanged; synthetic rows after them
    assert originals[:n_kept].all() and not originals[n_kept:].any()
    assert (np.diff(idx[:n_kept]) > 0).all()
    np.testing.assert_array_equal(dense[:n_kept], X[idx[:n_kept]])
    np.testing.assert_array_equal(y_res[:n_kept], y[idx[:n_kept]])
    # the provenance of the surviving synthetic rows rebuilds them exactly
    p = combo.provenance_
    assert len(p) == len(y_res) - n_kept
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_array_equal(dense[n_kept:], rebuilt)
    np.testing.assert_array_equal(y_res[n_kept:], y[p.parent])
    # and it is the over-sampler's provenance, restricted to the survivors
    cleaner_kept = cleaner_of(combo).sample_indices_
    survivors = cleaner_kept[cleaner_kept >= n] - n
    np.testing.assert_array_equal(p.parent, combo.smote_.provenance_.parent[survivors])
    np.testing.assert_array_equal(p.gap, combo.smote_.provenance_.gap[survivors])
    # some rows of both kinds are cleaned away on this overlapping data
    assert n_kept < n and len(p) < len(combo.smote_.provenance_)
    if container == "pandas":
        n_new = len(combo.smote_.provenance_)
        labels = np.arange(100 + n, 100 + n + n_new)
        assert X_res.index[:n_kept].tolist() == (idx[:n_kept] + 100).tolist()
        assert X_res.index[n_kept:].tolist() == labels[survivors].tolist()


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
def test_noise_of_a_smoothed_bootstrap_follows_the_survivors(data, combo_cls):
    X, y = data
    combo = combo_cls(smote=RandomOverSampler(shrinkage=0.5), random_state=0)
    X_res, _ = combo.fit_resample(X, y)
    p = combo.provenance_
    n_kept = int((combo.sample_indices_ >= 0).sum())
    assert p.noise is not None and p.noise.shape == (len(p), X.shape[1])
    np.testing.assert_allclose(X_res[n_kept:], X[p.parent] + p.noise)


# ------------------------------------------------------ estimators inside


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
def test_default_and_given_estimators(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls
):
    X, y = data
    combo = combo_cls(sampling_strategy={2: 150}, random_state=0, n_jobs=1)
    combo.fit_resample(X, y)
    assert type(combo.smote_) is SMOTE
    assert combo.smote_.get_params()["sampling_strategy"] == {2: 150}
    assert combo.smote_.get_params()["n_jobs"] == 1
    cleaner = cleaner_of(combo)
    assert type(cleaner) is cleaner_cls
    assert cleaner.sampling_strategy == "all" and cleaner.n_jobs == 1

    # given estimators are cloned and keep their own parameters
    given_smote = SMOTE(sampling_strategy="minority", k_neighbors=2)
    given_cleaner = cleaner_cls(sampling_strategy="majority")
    combo = combo_cls(
        sampling_strategy={2: 150}, smote=given_smote, **{param: given_cleaner}
    )
    combo.fit_resample(X, y)
    assert combo.smote_ is not given_smote and cleaner_of(combo) is not given_cleaner
    assert not hasattr(given_smote, "provenance_")
    assert dict(combo.sampling_strategy_) == {2: 200}  # 'minority' of the smote
    assert cleaner_of(combo).sampling_strategy == "majority"


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
def test_random_state_seeds_a_given_over_sampler_without_its_own(data, combo_cls):
    X, y = data
    a = combo_cls(smote=SMOTE(), random_state=0).fit_resample(X, y)[0]
    b = combo_cls(smote=SMOTE(), random_state=0).fit_resample(X, y)[0]
    c = combo_cls(smote=SMOTE(), random_state=1).fit_resample(X, y)[0]
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, c)
    # an over-sampler with its own seed keeps it (as in imblearn)
    d = combo_cls(smote=SMOTE(random_state=0), random_state=1).fit_resample(X, y)[0]
    assert d.tobytes() == a.tobytes()


@pytest.mark.parametrize(
    ("combo_cls", "param", "cleaner_cls", "imb_cleaner_cls", "imb_combo_cls"), COMBOS
)
def test_parameter_errors(
    data, combo_cls, param, cleaner_cls, imb_cleaner_cls, imb_combo_cls
):
    X, y = data
    name = combo_cls.__name__
    with pytest.raises(
        InvalidParameterError,
        match=rf"The 'smote' parameter of {name} must be an instance of "
        r"'smotekit.base.BaseOverSampler' or None",
    ):
        combo_cls(smote=TomekLinks()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=rf"'{param}' parameter of {name}"):
        combo_cls(**{param: RandomOverSampler()}).fit_resample(X, y)
    with pytest.raises(
        ValueError,
        match=rf"The 'sampling_strategy' parameter of {name} asks for 10 samples of "
        r"class 2, which already has 40",
    ):
        combo_cls(sampling_strategy={2: 10}).fit_resample(X, y)
    with pytest.raises(
        ValueError, match=r"The 'sampling_strategy' parameter of SMOTE asks for 10"
    ):
        combo_cls(smote=SMOTE(sampling_strategy={2: 10})).fit_resample(X, y)
    # the combination's own target is checked against y when smote is given
    # too (as imbalanced-learn does), though the given sampler's applies
    for own in ({7: 40}, 0.5):
        with pytest.raises(ValueError, match=rf"'sampling_strategy' parameter of "
                           rf"{name} (names class|can be a float only)"):  # fmt: skip
            combo_cls(sampling_strategy=own, smote=SMOTE()).fit_resample(X, y)
        with pytest.raises(ValueError):
            imb_combo_cls(sampling_strategy=own, smote=ImbSMOTE()).fit_resample(X, y)
    with pytest.raises(ValueError, match=rf"Input X of {name} contains 1 NaN"):
        X_nan = X.copy()
        X_nan[3, 1] = np.nan
        combo_cls().fit_resample(X_nan, y)


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
def test_fit_only_resolves_the_target(data, combo_cls):
    X, y = data
    combo = combo_cls().fit(X, y)
    assert dict(combo.sampling_strategy_) == {1: 120, 2: 200}
    assert not hasattr(combo, "provenance_")
    assert not hasattr(combo, "sample_indices_")
    assert not hasattr(combo.smote_, "provenance_")


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
def test_inside_imblearns_pipeline_and_cross_validation(data, combo_cls):
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_validate

    X, y = data
    pipe = make_pipeline(combo_cls(random_state=0), LogisticRegression(max_iter=500))
    scores = cross_validate(pipe, X, y, cv=3, scoring="balanced_accuracy")
    assert (scores["test_score"] > 0.5).all()
    assert pipe.fit(X, y).predict(X).shape == y.shape


@pytest.mark.parametrize("combo_cls", COMBO_CLASSES)
def test_provenance_is_drawn_only_when_read(combo_cls):
    # the over-sampler builds its rows straight from the draws; the
    # combination's provenance takes its subset of them only when read
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3_000, 3))
    y = np.array([0] * 2_700 + [1] * 300)
    X[y == 1] += 0.5
    combo = combo_cls(random_state=0)
    X_res, _ = combo.fit_resample(X, y)
    p, over = combo.provenance_, combo.smote_.provenance_
    assert "parent" not in vars(p) and "parent" not in vars(over)
    n_kept = int((combo.sample_indices_ >= 0).sum())
    assert len(p) == len(X_res) - n_kept > 0
    cleaner_kept = cleaner_of(combo).sample_indices_
    survivors = cleaner_kept[cleaner_kept >= len(y)] - len(y)
    np.testing.assert_array_equal(p.neighbor, over.neighbor[survivors])
    assert "parent" in vars(p) and p.gap.tobytes() == over.gap[survivors].tobytes()
    rebuilt = X[p.parent] + p.gap[:, None] * (X[p.neighbor] - X[p.parent])
    np.testing.assert_array_equal(X_res[n_kept:], rebuilt)


@pytest.mark.parametrize(
    "combo_cls, cleaner",
    [(SMOTEENN, "EditedNearestNeighbours"), (SMOTETomek, "TomekLinks")],
)
def test_categorical_columns_are_refused_naming_the_cleaning_step(combo_cls, cleaner):
    # with smote=SMOTENC(...) the advice was "use SMOTENC for mixed data": the
    # cleaning step measures distances, whatever the over-sampler
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 2)), columns=["a", "b"])
    frame["c"] = pd.Categorical(["u", "v"] * 20)
    labels = np.array([0] * 30 + [1] * 10)
    combo = combo_cls(smote=smotekit.SMOTENC("auto", random_state=0))
    with pytest.raises(
        ValueError,
        match=rf"'c' \(category\) are not numeric\. {combo_cls.__name__} cleans with "
        rf"{cleaner}, which measures distances between samples, whatever the "
        r"over-sampler: encode them first \(e\.g\. one-hot\), or for mixed or "
        r"categorical data use SMOTENC or SMOTEN on their own\.",
    ):
        combo.fit_resample(frame, labels)
