"""The HTML + JSON report: same numbers, self-contained, written atomically."""

import base64
import json
import os
import re

import numpy as np
import pytest
from eval_data import sixty_rows
from sklearn.datasets import make_classification

from smotekit.evaluation import _report, compare_strategies, write_report

SEED = 0


@pytest.fixture(scope="module")
def result():
    X, y = make_classification(
        n_samples=400, n_features=5, weights=[0.85], flip_y=0.05, random_state=SEED
    )
    return compare_strategies(
        X,
        y,
        strategies="none,class_weight,random_under,smote,borderline1",
        tune_threshold=["smote"],
        cv=3,
        n_repeats=1,
        random_state=SEED,
    )


def test_html_and_json_hold_the_same_numbers(result, tmp_path):
    page, data = write_report(result, tmp_path / "report.html", title="toy <data>")
    assert data == tmp_path / "report.json"
    numbers = json.loads(data.read_text())
    names = [s["name"] for s in numbers["strategies"]]
    assert names == list(result.table.index)
    for entry in numbers["strategies"]:
        for metric, stats in entry["metrics"].items():
            assert stats["mean"] == pytest.approx(
                result.table.loc[entry["name"], (metric, "mean")]
            )
    assert numbers["data"]["class_counts"] == {"0": 330, "1": 70}
    assert numbers["title"] == "toy <data>"
    curve = numbers["pr_curves"]["smote"]
    assert len(curve["precision"]) == len(curve["recall"]) > 2
    shares = {
        v["name"]: v["overlap_share"] for v in numbers["synthetic_points"]["views"]
    }
    assert set(shares) == {"smote", "borderline1"}
    html = page.read_text()
    assert "toy &lt;data&gt;" in html and "<data>" not in html
    for entry in numbers["strategies"]:
        mean = entry["metrics"]["f1"]["mean"]
        assert f"{mean:.3f}" in html
    assert 'id="summary-table"' in html and 'id="per-class-table"' in html


def test_html_is_self_contained_with_valid_png_images(result, tmp_path):
    page, _ = write_report(result, tmp_path / "report.html")
    html = page.read_text()
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 3  # scores, PR curves, synthetic map
    for image in images:
        assert base64.b64decode(image).startswith(b"\x89PNG\r\n\x1a\n")
    # nothing is loaded from elsewhere
    assert not re.search(r'(src|href)="(?!data:)', html)
    assert "<script" not in html


def test_json_has_no_nan(result, tmp_path):
    _, data = write_report(result, tmp_path / "r.html")
    json.loads(data.read_text(), parse_constant=lambda c: pytest.fail(c))


def test_a_failed_render_writes_nothing_and_keeps_old_files(
    result, tmp_path, monkeypatch
):
    old = tmp_path / "report.html"
    old.write_text("previous report")

    def broken(*args, **kwargs):
        raise RuntimeError("plot failed")

    monkeypatch.setattr(_report, "render_html", broken)
    with pytest.raises(RuntimeError, match="plot failed"):
        write_report(result, old)
    assert sorted(os.listdir(tmp_path)) == ["report.html"]
    assert old.read_text() == "previous report"


def test_a_failed_rename_leaves_no_temporary_file(result, tmp_path, monkeypatch):
    calls = []
    real_replace = os.replace

    def flaky(src, dst):
        calls.append(dst)
        raise OSError("disk full")

    monkeypatch.setattr(_report.os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        write_report(result, tmp_path / "report.html")
    monkeypatch.setattr(_report.os, "replace", real_replace)
    assert os.listdir(tmp_path) == []
    assert calls


def test_overlap_warning_appears_above_the_limit(result, tmp_path, monkeypatch):
    view = result.synthetic.views[0]
    monkeypatch.setattr(view, "overlap_share", 0.9)
    html = _report.render_html(result)
    assert "Overlap warning — " + view.label in html
    for other in result.synthetic.views:
        monkeypatch.setattr(other, "overlap_share", 0.0)
    assert "Overlap warning" not in _report.render_html(result)


def test_report_path_errors(result, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_report(result, tmp_path / "missing" / "report.html")
    with pytest.raises(ValueError, match="would both be"):
        write_report(result, tmp_path / "r.json")
    assert np.isfinite(result.table.to_numpy(dtype=float)).all()


def _folder_without_new_files(tmp_path):
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o500)
    if not os.access(folder, os.W_OK):
        return folder
    # root ignores the mode bits; /proc takes no new file, even from root
    if os.path.isdir("/proc"):
        return type(folder)("/proc")
    pytest.skip("no folder this user cannot write to")


def test_a_folder_that_takes_no_new_file_is_refused_before_any_work(
    tmp_path, monkeypatch, capsys
):
    import smotekit.evaluation
    from smotekit.cli import main

    folder = _folder_without_new_files(tmp_path)
    with pytest.raises(PermissionError, match="cannot hold new files"):
        _report.check_report_path(folder / "report.html")

    def compare_strategies(*args, **kwargs):  # the long part: never reached
        raise AssertionError("the comparison ran before the folder was checked")

    monkeypatch.setattr(smotekit.evaluation, "compare_strategies", compare_strategies)
    X, y = make_classification(n_samples=60, weights=[0.8], random_state=0)
    data = tmp_path / "data.csv"
    np.savetxt(data, np.column_stack([X, y]), delimiter=",", header=",".join(
        [f"f{i}" for i in range(X.shape[1])] + ["label"]), comments="")  # fmt: skip
    code = main(["evaluate", str(data), "--target", "label", "-o",
                 str(folder / "report.html"), "-q"])  # fmt: skip
    assert code == 2
    assert "cannot hold new files" in capsys.readouterr().err
    if folder.name == "read_only":
        folder.chmod(0o700)


@pytest.mark.parametrize("unit", ["D", "s", "ns"])
def test_json_names_date_classes_in_iso_text(unit, tmp_path):
    # dates are no JSON value: they are written as ISO text (nanosecond
    # dates, whose Python value is a bare int, included)
    X, labels = make_classification(
        n_samples=300, n_features=4, weights=[0.85], random_state=SEED
    )
    days = np.array(["2020-01-01", "2021-01-01"], dtype=f"datetime64[{unit}]")
    result = compare_strategies(
        X, days[labels], strategies="none,smote", cv=3, random_state=SEED
    )
    _, data = write_report(result, tmp_path / "report.html")
    numbers = json.loads(data.read_text())
    keys = list(numbers["strategies"][0]["per_class"])
    assert [k[:10] for k in keys] == ["2020-01-01", "2021-01-01"]


def test_labels_holding_dollar_signs_are_drawn_as_written(tmp_path):
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=SEED)
    labels = np.array(["ok", "$\\frac{1}$"])[y]  # not valid TeX
    result = compare_strategies(
        X, labels, strategies={"$x$ none": None}, cv=3, n_repeats=1,
        random_state=SEED, synthetic_view=False,
    )  # fmt: skip
    page, _ = write_report(result, tmp_path / "dollars.html")
    assert "$\\frac{1}$" in page.read_text()
    import matplotlib

    assert matplotlib.rcParams["text.parse_math"] is True  # left as it was


def test_settings_rows_tell_the_splitter_and_the_seed_given(tmp_path):
    from sklearn.model_selection import KFold

    X, y = make_classification(n_samples=300, weights=[0.8], random_state=SEED)
    result = compare_strategies(
        X, y, strategies="none", cv=KFold(3), synthetic_view=False,
        random_state=np.random.RandomState(0),
    )  # fmt: skip
    page, _ = write_report(result, tmp_path / "settings.html")
    rows = dict(
        re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", page.read_text())
    )
    assert (
        rows["folds"] == "KFold(n_splits=3, random_state=None, shuffle=False): 3 splits"
    )
    assert rows["random state"] == (
        f"a RandomState instance (seed drawn: {result.settings['seed']})"
    )
    assert rows["threshold tuning"] == "no"


def test_leave_one_out_report_has_no_best_pr_auc_and_its_fold_count(tmp_path):
    # one-row test folds: PR AUC is undefined in every fold
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import LeaveOneOut

    X, y = sixty_rows()
    result = compare_strategies(
        X, y, strategies=["none", "smote"], model=LogisticRegression(),
        cv=LeaveOneOut(), synthetic_view=False,
    )  # fmt: skip
    assert result.best("pr_auc") is None
    assert result.best("recall") in ("none", "smote")
    write_report(result, tmp_path / "loo.html")
    html = (tmp_path / "loo.html").read_text()
    assert "Best PR AUC: <b>n/a</b>" in html
    assert "over 60 held-out folds" in html
    data = json.loads((tmp_path / "loo.json").read_text())
    assert data["settings"]["n_splits"] == 60


def test_report_counts_the_splits_of_a_shuffle_splitter(tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import ShuffleSplit

    X, y = sixty_rows()
    result = compare_strategies(
        X, y, strategies="none", model=LogisticRegression(),
        cv=ShuffleSplit(5, test_size=0.08, random_state=0), synthetic_view=False,
    )  # fmt: skip
    # overlapping test sets: grouped as 2 folds x 3 repeats, still 5 splits
    write_report(result, tmp_path / "ss.html")
    assert "over 5 held-out folds" in (tmp_path / "ss.html").read_text()


def test_strategies_keep_the_names_given_and_each_draws_its_curve(monkeypatch):
    from sklearn.linear_model import LogisticRegression

    from smotekit import SMOTE
    from smotekit.evaluation import _plots

    X, y = sixty_rows()
    result = compare_strategies(
        X, y, model=LogisticRegression(), cv=3, n_repeats=1, synthetic_view=False,
        strategies={"baseline": None, "w1": "class_weight", "w2": "balanced",
                    "mine+threshold": SMOTE(k_neighbors=3)},
        tune_threshold=["baseline"],
    )  # fmt: skip
    assert result.labels == {
        "baseline": "baseline",
        "w1": "w1",
        "w2": "w2",
        "mine+threshold": "mine+threshold",
        "baseline+threshold": "baseline + tuned threshold",
    }
    drawn = []
    real = _plots._colors
    monkeypatch.setattr(_plots, "_colors", lambda n: drawn.append(n) or real(n))
    _plots.pr_curves_png(result)
    assert drawn == [4]  # all but the tuned copy of baseline


def test_a_long_but_valid_report_name_is_written_and_a_too_long_one_named(tmp_path):
    # the temporary files beside it must fit in a file name too
    from sklearn.linear_model import LogisticRegression

    X, y = sixty_rows()
    result = compare_strategies(
        X, y, strategies="none", model=LogisticRegression(), cv=3, n_repeats=1,
        synthetic_view=False,
    )  # fmt: skip
    page, data = write_report(result, tmp_path / ("r" * 245 + ".html"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([page.name, data.name])
    with pytest.raises(ValueError, match=r"has 256 bytes; file names hold at most 255"):
        write_report(result, tmp_path / ("r" * 251 + ".html"))
