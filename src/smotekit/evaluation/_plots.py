"""The report's figures as PNG bytes (matplotlib, imported on first use).

Figures are drawn on :class:`matplotlib.figure.Figure` objects with the Agg
canvas, without pyplot, so nothing global (no window, no backend switch) is
touched.
"""

import functools
import io

import numpy as np

__all__ = ["pr_curves_png", "require_matplotlib", "scores_png", "synthetic_png"]

_REPORT_HINT = (
    "The report's plots need matplotlib; install it with: "
    'pip install "smotekit[report]"'
)
_DPI = 100
_REAL_OTHER = "#b8b8b8"
_REAL_GROWN = "#1f63b4"
_SYNTH = "#f28e1c"
_SYNTH_OVERLAP = "#d62728"


def require_matplotlib():
    """Raise the report's ImportError, naming the extra to install, when
    matplotlib is missing (so that a command can refuse before its work).

    Examples
    --------
    >>> require_matplotlib()  # matplotlib is installed here
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(_REPORT_HINT) from exc


def _literal_text(draw):
    """Run ``draw`` with matplotlib's math text off: class labels and
    strategy names holding ``$`` are drawn as written, not parsed as TeX
    (which fails on labels that are not valid TeX)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        try:
            import matplotlib
        except ImportError as exc:
            raise ImportError(_REPORT_HINT) from exc
        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return wrapper


def _lowest_drawn(n_panels, columns):
    """``(row, column)`` of the lowest drawn panel of each column, when
    ``n_panels`` fill a grid of ``columns`` row by row.

    Examples
    --------
    >>> _lowest_drawn(4, 3)
    [(1, 0), (0, 1), (0, 2)]
    >>> _lowest_drawn(2, 2)
    [(0, 0), (0, 1)]
    """
    return [((n_panels - 1 - c) // columns, c) for c in range(min(columns, n_panels))]


def _figure(width, height):
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(_REPORT_HINT) from exc
    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def _colors(n):
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _tuned_copy(result, name):
    """Whether ``name`` is the tuned copy of another strategy of ``result``."""
    base = name.removesuffix("+threshold")
    return (
        base != name
        and base in result.pr_curves
        and result.labels.get(name, "").endswith(" + tuned threshold")
    )


@_literal_text
def pr_curves_png(result):
    """Precision–recall curves of the minority class, one line per strategy.

    Strategies with a tuned threshold share the curve of their untuned
    version (tuning moves the cut-off, not the scores) and are not drawn.

    Parameters
    ----------
    result : ComparisonResult
        A comparison.

    Returns
    -------
    png : bytes
        The figure as a PNG image.
    """
    # a tuned copy draws its strategy's curve again (tuning moves only the
    # threshold): left out, whatever names the user's own strategies have
    names = [n for n in result.pr_curves if not _tuned_copy(result, n)]
    figure = _figure(7.5, 5.2)
    axes = figure.add_subplot()
    for name, color in zip(names, _colors(len(names)), strict=True):
        curve = result.pr_curves[name]
        axes.plot(
            curve["recall"],
            curve["precision"],
            drawstyle="steps-post",
            color=color,
            linewidth=1.6,
            label=f"{result.labels[name]} (AP {curve['average_precision']:.3f})",
        )
    prevalence = result.class_counts[result.minority_class] / len(result.y)
    axes.axhline(
        prevalence, color="black", linestyle=":", linewidth=1, label="chance level"
    )
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel(f"recall of class {result.minority_class!r}")
    axes.set_ylabel("precision")
    axes.set_title("Precision–recall, out-of-fold predictions")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize=8, framealpha=0.9)
    return _png(figure)


@_literal_text
def scores_png(result, metrics=("pr_auc", "f1", "recall", "balanced_accuracy")):
    """Mean ± standard deviation of a few figures per strategy.

    Parameters
    ----------
    result : ComparisonResult
        A comparison.
    metrics : sequence of str
        Metrics of ``result.table``, one panel each.

    Returns
    -------
    png : bytes
        The figure as a PNG image.
    """
    from ._metrics import METRIC_LABELS

    names = list(result.table.index)
    labels = [result.labels[n] for n in names]
    height = 1.2 + 0.32 * len(names)
    figure = _figure(3.0 * len(metrics) + 1.8, height)
    axes_row = figure.subplots(1, len(metrics), sharey=True, squeeze=False)[0]
    positions = np.arange(len(names))
    for axes, metric in zip(axes_row, metrics, strict=True):
        mean = result.table[(metric, "mean")].to_numpy(dtype=float)
        std = result.table[(metric, "std")].to_numpy(dtype=float)
        best = np.nanargmax(mean) if np.isfinite(mean).any() else -1
        colors = [_SYNTH if i == best else _REAL_GROWN for i in positions]
        axes.barh(positions, mean, xerr=std, color=colors, capsize=2)
        axes.set_xlim(0, 1)
        axes.set_title(METRIC_LABELS.get(metric, metric), fontsize=10)
        axes.grid(axis="x", alpha=0.3)
    axes_row[0].set_yticks(positions, labels, fontsize=8)
    axes_row[0].invert_yaxis()
    return _png(figure)


def _subsample(n, limit, seed=0):
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


@_literal_text
def synthetic_png(smap, minority_class=None):
    """Where each over-sampler's synthetic points land, one panel per sampler.

    Parameters
    ----------
    smap : SyntheticMap
        From :func:`~smotekit.evaluation.synthetic_map`.
    minority_class : object, default=None
        Only used in the legend.

    Returns
    -------
    png : bytes
        The figure as a PNG image.
    """
    from ._views import MAX_DRAWN

    views = smap.views
    columns = min(3, max(1, len(views)))
    rows = -(-len(views) // columns)
    figure = _figure(max(7.0, 4.2 * columns), 3.9 * rows + 0.7)
    panels = figure.subplots(rows, columns, squeeze=False, sharex=True, sharey=True)
    x_label = f"PC1 ({smap.explained_variance[0]:.0%} of variance)"
    y_label = f"PC2 ({smap.explained_variance[1]:.0%})"
    for panel, view in zip(panels.flat, views, strict=False):
        grown = np.isin(smap.labels, np.unique(view.classes))
        for mask, color, size, label in (
            (~grown, _REAL_OTHER, 4, "real, other classes"),
            (grown, _REAL_GROWN, 7, "real, over-sampled class"),
        ):
            points = smap.coords[mask]
            keep = _subsample(len(points), MAX_DRAWN)
            panel.scatter(
                points[keep, 0],
                points[keep, 1],
                s=size,
                c=color,
                linewidths=0,
                label=label,
                rasterized=True,
            )
        for mask, color, label in (
            (~view.overlap, _SYNTH, "synthetic"),
            (view.overlap, _SYNTH_OVERLAP, "synthetic, among other classes"),
        ):
            points = view.coords[mask]
            keep = _subsample(len(points), MAX_DRAWN)
            panel.scatter(
                points[keep, 0],
                points[keep, 1],
                s=6,
                c=color,
                marker="x",
                linewidths=0.7,
                label=label,
                rasterized=True,
            )
        share = view.overlap_share
        panel.set_title(
            f"{view.label}: {view.n_synthetic} new, {share:.0%} among other classes"
            if np.isfinite(share)
            else f"{view.label}: no synthetic point",
            fontsize=9,
        )
        panel.grid(alpha=0.25)
    for panel in panels.flat[len(views) :]:
        panel.set_visible(False)
    for row, column in _lowest_drawn(len(views), columns):
        # above a hidden slot too: the shared axis shows its ticks at the bottom
        panels[row, column].xaxis.set_tick_params(labelbottom=True)
        panels[row, column].set_xlabel(x_label, fontsize=8)
    for panel in panels[:, 0]:
        panel.set_ylabel(y_label, fontsize=8)
    handles, texts = panels.flat[0].get_legend_handles_labels()
    if handles:
        figure.legend(
            handles,
            texts,
            loc="outside lower center",
            ncols=4 if columns > 1 else 2,
            fontsize=8,
            markerscale=2,
        )
    return _png(figure)
