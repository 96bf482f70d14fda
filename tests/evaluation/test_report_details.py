"""Report contents in detail: which number fills each cell, which cell is
marked best, the minority share, the overlap limit and the settings rows;
checked on a comparison whose table is set by hand."""

import dataclasses
import json
import re
import warnings

import pandas as pd
import pytest
from eval_data import sixty_rows

from smotekit.evaluation import compare_strategies, render_html, write_report

pytest.importorskip("matplotlib")

NAMES = ["none", "class_weight", "random_over"]


@pytest.fixture(scope="module")
def base():
    X, y = sixty_rows()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare_strategies(
            X, y, strategies=NAMES, cv=2, n_repeats=1, random_state=0
        )


def _table(columns, values):
    """A summary table: ``values[name][metric] = (mean, std)``."""
    data = {
        (metric, stat): [values[name][metric][k] for name in NAMES]
        for metric in columns
        for k, stat in enumerate(("mean", "std"))
    }
    frame = pd.DataFrame(data, index=pd.Index(NAMES, name="strategy"))
    return frame


@pytest.fixture
def crafted(base):
    """``base`` with a table whose every mean and std is distinct and known:
    the best F1 is class_weight's, the best recall random_over's, the best
    (lowest) fit time none's."""
    metrics = list(dict.fromkeys(base.table.columns.get_level_values(0)))
    values = {}
    for i, name in enumerate(NAMES):
        values[name] = {
            m: (0.1 + 0.01 * j + 0.3 * i, 0.001 * (j + 1) + 0.0001 * i)
            for j, m in enumerate(metrics)
        }
    values["class_weight"]["f1"] = (0.9, 0.05)
    values["none"]["f1"] = (0.2, 0.07)
    values["random_over"]["f1"] = (0.5, 0.06)
    values["none"]["fit_time"] = (0.004, 0.002)  # fastest, the best
    values["class_weight"]["fit_time"] = (0.05, 0.001)
    values["random_over"]["fit_time"] = (0.2, 0.01)
    values["none"]["train_rows"] = (30.0, 0.5)
    values["class_weight"]["train_rows"] = (30.0, 0.5)
    values["random_over"]["train_rows"] = (52.0, 1.0)
    result = dataclasses.replace(base, table=_table(metrics, values))
    return result, values


def _summary_cells(page):
    table = re.search(r'<table id="summary-table">(.*?)</table>', page).group(1)
    head = re.findall(r"<th>(.*?)</th>", table)
    rows = {}
    for row in re.findall(r"<tr>(<td>.*?)</tr>", table):
        cells = re.findall(r"<td( class=\"best\")?>(.*?)</td>", row)
        label = cells[0][1]
        rows[label] = {
            h: (text, bool(best)) for h, (best, text) in zip(head, cells, strict=True)
        }
    return rows


def _number_cell(mean, std):
    return f'{mean:.3f} <span class="pm">± {std:.3f}</span>'


def test_summary_cells_show_mean_then_std_and_the_mean_train_rows(crafted):
    result, values = crafted
    rows = _summary_cells(render_html(result))
    for name in NAMES:
        cells = rows[result.labels[name]]
        assert cells["F1"][0] == _number_cell(*values[name]["f1"])
        assert cells["MCC"][0] == _number_cell(*values[name]["mcc"])
        assert cells["train rows"][0] == f"{values[name]['train_rows'][0]:,.0f}"


def test_best_cell_is_the_highest_mean_and_the_lowest_fit_time(crafted):
    result, _ = crafted
    rows = _summary_cells(render_html(result))
    best = {
        column: [label for label, cells in rows.items() if cells[column][1]]
        for column in ("F1", "recall", "fit time (s)")
    }
    labels = result.labels
    assert best["F1"] == [labels["class_weight"]]
    assert best["recall"] == [labels["random_over"]]
    assert best["fit time (s)"] == [labels["none"]]


def test_heading_names_the_best_f1_and_the_minority_share(crafted):
    result, _ = crafted
    page = render_html(result)
    best_f1 = re.search(r"Best F1: <b>(.*?)</b>", page).group(1)
    assert best_f1 == result.labels["class_weight"]
    # 10 of the 60 rows are of the minority class 1
    assert "(minority 1: 16.7%)" in page


def test_per_class_cells_show_mean_then_std(base):
    page = render_html(base)
    table = re.search(r'<table id="per-class-table">(.*?)</table>', page).group(1)
    rows = re.findall(r"<tr>(<td>.*?)</tr>", table)
    assert len(rows) == len(base.per_class)
    for row, ((name, cls), stats) in zip(rows, base.per_class.iterrows(), strict=True):
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert cells[:2] == [base.labels[name], str(cls)]
        mean, std = stats[("recall", "mean")], stats[("recall", "std")]
        assert cells[2] == _number_cell(mean, std)


def test_json_keeps_each_mean_and_std(crafted, tmp_path):
    result, values = crafted
    _, data = write_report(result, tmp_path / "r.html")
    numbers = json.loads(data.read_text())
    for entry in numbers["strategies"]:
        for metric in ("f1", "fit_time", "train_rows"):
            mean, std = values[entry["name"]][metric]
            assert entry["metrics"][metric] == {
                "mean": pytest.approx(mean),
                "std": pytest.approx(std),
            }


def test_a_share_at_the_overlap_limit_gets_no_warning(base, monkeypatch):
    view = base.synthetic.views[0]
    monkeypatch.setattr(view, "overlap_share", 0.25)  # at the limit, not above
    assert "Overlap warning" not in render_html(base)
    monkeypatch.setattr(view, "overlap_share", 0.26)
    assert "Overlap warning — " + view.label in render_html(base)


def test_threshold_row_names_the_inner_folds(base):
    settings = {
        **base.settings,
        "tune_threshold": True,
        "threshold_scoring": "f1",
        "threshold_cv": 4,
    }
    page = render_html(dataclasses.replace(base, settings=settings))
    assert "yes, maximising f1 on 4 inner folds of each training fold" in page


def test_scores_scope_and_json_curves_are_those_of_the_minority(base, tmp_path):
    page = render_html(base)
    assert "ROC AUC are of the minority class 1;" in page
    _, data = write_report(base, tmp_path / "r.html")
    curves = json.loads(data.read_text())["pr_curves"]
    for name, curve in base.pr_curves.items():
        assert curves[name]["recall"] == pytest.approx(list(curve["recall"]))
        assert curves[name]["precision"] == pytest.approx(list(curve["precision"]))
