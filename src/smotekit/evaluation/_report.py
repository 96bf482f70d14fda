"""The comparison as one self-contained HTML page and a JSON file.

The page embeds its figures as base64 PNG images and its style inline, so it
can be mailed or archived as a single file; the JSON file holds the same
numbers for scripts. Both are rendered in memory first and written through
temporary files renamed into place, so a failure never leaves a half-written
report.
"""

import base64
import datetime
import html
import json
import math
import os
import secrets
import tempfile
from pathlib import Path

import numpy as np

from .. import __version__
from .._files import NAME_MAX, name_part
from .._strategy import python_scalar
from ._metrics import CLASS_METRICS, METRIC_LABELS, METRICS
from ._views import OVERLAP_WARNING

__all__ = ["comparison_to_dict", "render_html", "write_report"]

_LOWER_IS_BETTER = {"fit_time", "score_time"}


def _plain(value):
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        if value.dtype.kind in "mM":  # dates and durations as ISO text
            return str(value)
        value = value.item()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(np.timedelta64(value))
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _stats(table, row, metrics):
    return {
        m: {"mean": table.loc[row, (m, "mean")], "std": table.loc[row, (m, "std")]}
        for m in metrics
    }


def comparison_to_dict(result):
    """Every number of a comparison as JSON-ready values (NaN becomes None).

    Parameters
    ----------
    result : ComparisonResult
        A comparison.

    Returns
    -------
    data : dict
        Keys ``smotekit_version``, ``data``, ``settings``, ``averaging``,
        ``metrics``, ``strategies`` (per strategy: name, label, mean and std
        of each metric, per-class figures), ``pr_curves``,
        ``synthetic_points`` and ``notes``.
    """
    metrics = [m for m in [*METRICS, "train_rows"] if (m, "mean") in result.table]
    strategies = []
    for name in result.table.index:
        per_class = {}
        for cls in result.classes:
            key = (name, python_scalar(cls))
            if key in result.per_class.index:
                per_class[key[1]] = _stats(result.per_class, key, CLASS_METRICS)
        strategies.append(
            {
                "name": name,
                "label": result.labels[name],
                "metrics": _stats(result.table, name, metrics),
                "per_class": per_class,
            }
        )
    curves = {
        name: {
            "average_precision": curve["average_precision"],
            "recall": curve["recall"],
            "precision": curve["precision"],
        }
        for name, curve in result.pr_curves.items()
    }
    synthetic = None
    if result.synthetic is not None:
        synthetic = {
            "projection": "PCA of the standardised real points",
            "explained_variance": result.synthetic.explained_variance,
            "overlap_warning_above": OVERLAP_WARNING,
            "views": [
                {
                    "name": view.name,
                    "label": view.label,
                    "n_synthetic": view.n_synthetic,
                    "overlap_share": view.overlap_share,
                    "real_overlap_share": view.real_overlap_share,
                }
                for view in result.synthetic.views
            ],
        }
    data = {
        "smotekit_version": __version__,
        "data": {
            "n_samples": result.settings["n_samples"],
            "n_features": result.settings["n_features"],
            "class_counts": result.class_counts,
            "minority_class": result.minority_class,
        },
        "settings": result.settings,
        "averaging": result.averaging,
        "metrics": metrics,
        "strategies": strategies,
        "pr_curves": curves,
        "synthetic_points": synthetic,
        "notes": list(result.notes),
    }
    return _plain(data)


# ----------------------------------------------------------------- HTML

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
color:#1d1d1f;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;
border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{padding:5px 7px;border-bottom:1px solid #e4e4e4;text-align:right;
white-space:nowrap}
th{background:#f0f0f3;position:sticky;top:0;white-space:normal;vertical-align:bottom}
td:first-child,th:first-child{text-align:left}
td.best{font-weight:700;color:#0b5d1e}
.pm{color:#777;font-size:11px}
.scroll{overflow-x:auto}
figure{margin:12px 0;background:#fff;border:1px solid #e4e4e4;padding:8px}
figure img{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:13px;margin-top:6px}
.warn{background:#fff4e5;border-left:4px solid #f28e1c;padding:8px 12px;margin:8px 0}
.note{color:#555;font-size:13px}
.kv td{text-align:left}
code{background:#f0f0f3;padding:1px 4px;border-radius:3px}
"""


def _e(value):
    return html.escape(str(value))


def _best_label(result, name):
    """The label of the best strategy ``name``, escaped; "n/a" for None."""
    return "n/a" if name is None else _e(result.labels[name])


def _n_splits(settings):
    """Held-out folds of the comparison (folds times repeats in settings
    written before ``n_splits`` was kept)."""
    return settings.get("n_splits", settings["cv"] * settings["n_repeats"])


def _img(png, alt, caption, ident):
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="{ident}"><img alt="{_e(alt)}" '
        f'src="data:image/png;base64,{data}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _best_rows(result, metric):
    means = result.table[(metric, "mean")].to_numpy(dtype=float)
    if not np.isfinite(means).any():
        return set()
    target = np.nanmin(means) if metric in _LOWER_IS_BETTER else np.nanmax(means)
    return {
        name
        for name, value in zip(result.table.index, means, strict=True)
        if np.isclose(value, target)
    }


def _summary_table(result):
    metrics = [m for m in METRICS if (m, "mean") in result.table]
    head = "".join(f"<th>{_e(METRIC_LABELS[m])}</th>" for m in metrics)
    head += "<th>train rows</th>"
    best = {m: _best_rows(result, m) for m in metrics}
    body = []
    for name in result.table.index:
        cells = [f"<td>{_e(result.labels[name])}</td>"]
        for m in metrics:
            mean = result.table.loc[name, (m, "mean")]
            std = result.table.loc[name, (m, "std")]
            cls = ' class="best"' if name in best[m] else ""
            if not np.isfinite(mean):
                cells.append(f"<td{cls}>n/a</td>")
                continue
            digits = 3
            cells.append(
                f'<td{cls}>{mean:.{digits}f} <span class="pm">± {std:.{digits}f}'
                "</span></td>"
            )
        rows = result.table.loc[name, ("train_rows", "mean")]
        cells.append(f"<td>{rows:,.0f}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table id="summary-table"><thead><tr><th>strategy</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _per_class_table(result):
    head = "".join(f"<th>{_e(METRIC_LABELS[m])}</th>" for m in CLASS_METRICS)
    body = []
    for (name, cls), row in result.per_class.iterrows():
        cells = [f"<td>{_e(result.labels[name])}</td><td>{_e(cls)}</td>"]
        for m in CLASS_METRICS:
            mean, std = row[(m, "mean")], row[(m, "std")]
            text = (
                "n/a"
                if not np.isfinite(mean)
                else f'{mean:.3f} <span class="pm">± {std:.3f}</span>'
            )
            cells.append(f"<td>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table id="per-class-table"><thead><tr><th>strategy'
        f"</th><th>class</th>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></div>"
    )


def _overlap_section(result):
    smap = result.synthetic
    if smap is None or not smap.views:
        return (
            '<p class="note">No over-sampler in this comparison, so there are no '
            "synthetic points to map.</p>"
        )
    from ._plots import synthetic_png

    rows, warnings_html = [], []
    for view in smap.views:
        share, real = view.overlap_share, view.real_overlap_share
        fmt = lambda v: "n/a" if not np.isfinite(v) else f"{v:.1%}"  # noqa: E731
        rows.append(
            f"<tr><td>{_e(view.label)}</td><td>{view.n_synthetic:,}</td>"
            f"<td>{fmt(share)}</td><td>{fmt(real)}</td></tr>"
        )
        if np.isfinite(share) and share > OVERLAP_WARNING:
            warnings_html.append(
                f'<div class="warn"><b>Overlap warning — {_e(view.label)}:</b> '
                f"{share:.0%} of its synthetic points have mostly other-class "
                f"real points as nearest neighbours (real points of the class: "
                f"{fmt(real)}). They push the model into the other class's "
                "region; compare its precision with the simpler strategies.</div>"
            )
    table = (
        '<table id="overlap-table"><thead><tr><th>sampler</th><th>synthetic '
        "points</th><th>among other classes</th><th>real points of the class, "
        "for comparison</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    caption = (
        "Real points (grey: other classes, blue: the over-sampled class) and "
        "each sampler's synthetic points (orange; red when most of their "
        "5 nearest real neighbours belong to other classes), projected on the "
        "first two principal components of the standardised features. For "
        "this picture only, each sampler was fitted once on all the data; no "
        "score above used it."
    )
    image = _img(
        synthetic_png(smap, result.minority_class),
        "where synthetic points land",
        _e(caption),
        "synthetic-map",
    )
    return "".join(warnings_html) + image + table


def _random_state_text(settings):
    """The settings' random state as the report tells it."""
    if settings["random_state"] is not None:
        return settings["random_state"]
    given = settings.get("random_state_given")
    what = f"a {given} instance" if given not in (None, "int") else "none given"
    return f"{what} (seed drawn: {settings['seed']})"


def _settings_table(result):
    s = result.settings
    rows = [
        ("model", s["model"]),
        (
            "folds",
            s.get("folds")
            or f"{s['cv']}-fold stratified, repeated {s['n_repeats']} times",
        ),
        ("random state", _random_state_text(s)),
        (
            "threshold tuning",
            f"yes, maximising {s['threshold_scoring']} on {s['threshold_cv']} "
            "inner folds of each training fold"
            if s["tune_threshold"]
            else "no",
        ),
        ("smotekit", __version__),
    ]
    body = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv" id="settings-table"><tbody>{body}</tbody></table>'


#: Heading of a report given no title.
DEFAULT_TITLE = "Imbalance strategy comparison"


def render_html(result, *, title=None):
    """Render a comparison as one self-contained HTML page.

    Parameters
    ----------
    result : ComparisonResult
        A comparison.
    title : str, default=None
        Heading of the page (for example the data set's name).

    Returns
    -------
    page : str
        The HTML document, figures embedded as base64 PNG images.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install "smotekit[report]"``).
    """
    from ._plots import pr_curves_png, scores_png

    counts = result.class_counts
    n = sum(counts.values())
    minority = result.minority_class
    counts_text = ", ".join(f"{_e(c)}: {k:,}" for c, k in counts.items())
    heading = title or DEFAULT_TITLE
    scope = (
        f"of the minority class {_e(repr(minority))}"
        if result.averaging == "minority"
        else "macro-averaged over classes"
    )
    best_ap = result.best("pr_auc")
    best_f1 = result.best("f1")
    notes = "".join(f"<li>{_e(note)}</li>" for note in result.notes)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} — smotekit report</title>",
        f"<style>{_STYLE}</style></head><body><main>",
        f"<h1>{_e(heading)}</h1>",
        f'<p class="sub">{n:,} rows, {result.settings["n_features"]} features; '
        f"classes {counts_text} (minority {_e(repr(minority))}: "
        f"{counts[minority] / n:.1%}). Scores on held-out folds that were never "
        "resampled.</p>",
        f"<p>Best PR AUC: <b>{_best_label(result, best_ap)}</b>. Best F1: "
        f"<b>{_best_label(result, best_f1)}</b>.</p>",
        "<h2>Scores</h2>",
        f'<p class="note">Mean ± standard deviation over '
        f"{_n_splits(result.settings)} held-out folds. "
        f"Recall, precision, F1, PR AUC (average precision) and ROC AUC are "
        f"{scope}; the best mean of each column is in bold.</p>",
        _summary_table(result),
        _img(
            scores_png(result),
            "scores per strategy",
            "Mean and standard deviation per strategy; the best is orange.",
            "scores-plot",
        ),
        "<h2>Precision–recall curves</h2>",
        _img(
            pr_curves_png(result),
            "precision-recall curves",
            _e(
                "Out-of-fold scores of every repeat, pooled. A tuned threshold "
                "picks a point on its strategy's curve, so tuned strategies are "
                "not drawn separately. The dotted line is the minority share."
            ),
            "pr-curves",
        ),
        "<h2>Where synthetic points land</h2>",
        _overlap_section(result),
        "<h2>Per class</h2>",
        "<details><summary>Recall, precision, F1, PR AUC and ROC AUC of each class "
        "against the others</summary>",
        _per_class_table(result),
        "</details>",
        "<h2>Settings</h2>",
        _settings_table(result),
    ]
    if notes:
        parts += ["<h2>Notes</h2>", f'<ul class="note" id="notes">{notes}</ul>']
    parts.append(
        f'<p class="note">Written by smotekit {__version__}. The same numbers are '
        "in the JSON file written beside this page.</p></main></body></html>"
    )
    return "\n".join(parts)


# ----------------------------------------------------------------- files


def _temp_beside(path):
    for _ in range(100):
        candidate = path.parent / f".{name_part(path.name)}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return candidate, fd
    raise FileExistsError(f"could not create a temporary file in '{path.parent}'.")


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def write_files_atomically(contents):
    """Write several text files so that none is left half-written.

    Each file is written in full to a temporary file in its folder first;
    only when all are written are they renamed into place.

    Parameters
    ----------
    contents : dict of {path: str}
        Destination → UTF-8 text.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    temps = []
    try:
        for path, text in contents.items():
            path = Path(path)
            temp, fd = _temp_beside(path)
            temps.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        for temp, path in temps:
            os.replace(temp, path)
    except BaseException:
        for temp, _ in temps:
            _unlink(temp)
        raise
    return [path for _, path in temps]


def _name_fits(path):
    """``path`` as a Path, refused when its name is longer than file names
    can be."""
    path = Path(path)
    size = len(os.fsencode(path.name))
    if size > NAME_MAX:
        raise ValueError(
            f"output file name '{path.name[:40]}...' has {size} bytes; file "
            f"names hold at most {NAME_MAX}. Choose a shorter name."
        )
    return path


def check_report_path(path):
    """Raise a clear error unless ``path`` can hold a report file.

    Parameters
    ----------
    path : str or path-like
        The file to be written.

    Raises
    ------
    FileNotFoundError
        If its folder does not exist.
    IsADirectoryError
        If it is a directory.
    ValueError
        If its name is longer than file names can be (255 bytes).
    PermissionError
        If no file can be created in its folder (checked by creating one, so
        that a long comparison is not run for a report it cannot write).
    """
    path = _name_fits(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"output folder '{path.parent}' does not exist.")
    if path.is_dir():
        raise IsADirectoryError(f"output '{path}' is a directory, not a file.")
    try:
        prefix = f".{name_part(path.name)}."
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=prefix):
            pass
    except OSError as exc:
        raise PermissionError(
            f"output folder '{path.parent}' cannot hold new files "
            f"({exc.strerror or exc}). Choose another folder."
        ) from None


def write_report(result, path, *, json_path=None, title=None):
    """Write a comparison as an HTML page and a JSON file, atomically.

    Parameters
    ----------
    result : ComparisonResult
        From :func:`~smotekit.evaluation.compare_strategies`.
    path : str or path-like
        The HTML file (``report.html``).
    json_path : str or path-like, default=None
        The JSON file; default: ``path`` with the ``.json`` extension.
    title : str, default=None
        Heading of the page, also kept as the ``"title"`` of the JSON file
        (for example the data set's name).

    Returns
    -------
    html_path, json_path : Path
        The files written.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install "smotekit[report]"``).
    FileNotFoundError
        If the output folder does not exist.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.evaluation import compare_strategies, write_report
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> result = compare_strategies(
    ...     X, y, strategies="none,smote", cv=3, n_repeats=1, random_state=0
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page, data = write_report(result, Path(folder) / "report.html")
    ...     numbers = json.loads(data.read_text())
    >>> [s["name"] for s in numbers["strategies"]]
    ['none', 'smote']
    """
    path = _name_fits(path)
    json_path = path.with_suffix(".json") if json_path is None else Path(json_path)
    json_path = _name_fits(json_path)
    if path.resolve() == json_path.resolve():
        raise ValueError(
            f"The HTML and JSON reports would both be '{path}'; give the HTML "
            "file an .html extension or choose another JSON path."
        )
    check_report_path(path)
    check_report_path(json_path)
    page = render_html(result, title=title)
    numbers = {"title": title or DEFAULT_TITLE, **result.to_dict()}
    data = json.dumps(numbers, indent=1, allow_nan=False)
    write_files_atomically({path: page, json_path: data + "\n"})
    return path, json_path
