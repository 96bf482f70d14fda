"""CSV tables read so that writing them back gives the values that were read.

pandas' own reading guesses types in ways that change a table written back:
``"02134"`` becomes the number 2134, a text value ``"NA"`` (or ``"null"``,
``"None"``) becomes missing, an integer column with an empty cell becomes
float (``7`` written back as ``7.0``), a repeated column name gets a
suffix (``x.1``) and an empty header cell a name (``Unnamed: 0``).
:func:`read_csv` reads the way pandas does, with these exceptions:

- only an empty cell is missing, except in a column whose other cells are
  all numbers, where pandas' missing-value spellings (``NA``, ``null``,
  ``NaN``...) are missing too;
- a column of whole numbers written with leading zeros (codes, zip codes,
  labels such as ``"01"``) is text;
- a column of whole numbers with empty cells is a nullable integer column
  (``Int64``), exact beyond 2**53;
- column names are kept as written: repeats stay repeats, and an empty
  header cell (pandas writes one for its index; a line ending in a comma
  has one) is a column named ``""``, not ``Unnamed: 0``.
"""

import codecs
import csv

import numpy as np
import pandas as pd

__all__ = ["NA_SPELLINGS", "read_csv"]

#: Cells pandas reads as missing by default, besides the empty one; here
#: missing only in a column of numbers.
NA_SPELLINGS = frozenset({
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})  # fmt: skip

_WHOLE = r"[+-]?[0-9]+"
_LEADING_ZERO = r"[+-]?0[0-9]"
#: Digits of the longest whole number that always fits in int64 (those of
#: one digit more are read to tell).
_INT64_DIGITS = 18


def read_csv(path):
    """Read a CSV file as described in the module notes.

    Parameters
    ----------
    path : str or path-like
        A comma-separated file with a header row.

    Returns
    -------
    frame : DataFrame
        The table, with a RangeIndex.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "t.csv"
    ...     _ = path.write_text("zip,n,country,n\\n02134,7,NA,1\\n10001,,US,2\\n")
    ...     frame = read_csv(path)
    >>> frame.columns.tolist(), frame.iloc[:, 0].tolist(), frame.iloc[:, 2].tolist()
    (['zip', 'n', 'country', 'n'], ['02134', '10001'], ['NA', 'US'])
    >>> frame.iloc[:, 1].dtype, frame.iloc[:, 1].tolist()
    (Int64Dtype(), [7, <NA>])
    """
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the extra leading fields of such rows as an index
        extra = frame.index.nlevels
        raise ValueError(
            f"the data rows of '{path}' have {extra} field{'s' if extra > 1 else ''} "
            f"more than its header ({frame.shape[1]} names): R-style row "
            "names, or a comma at the end of each row. Name every column in "
            "the header, or remove the trailing commas."
        )
    spelled = _numbers_with_spelled_missing(frame, path)
    _whole_numbers_as_written(frame, path, spelled)
    header = _header(path)
    if _renamed_by_pandas(header, frame.shape[1]):
        frame.columns = header  # as written
    return frame


def _not_utf8(path, chunk=2**20):
    """The error for a CSV file that is not UTF-8 text: where its first
    undecodable byte is (line and byte, read again in chunks: pandas reports
    a position within its own buffer), and how to convert the file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with open(path, "rb") as file:
        while block := file.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                line += block.count(b"\n", 0, exc.start)
                offset += exc.start
                byte = block[exc.start : exc.start + 1].hex()
                break
            line += block.count(b"\n")
            offset += len(block)
        else:
            byte = None
    where = f" (byte 0x{byte} on line {line}, byte {offset} of the file)"
    return UnicodeError(
        f"the file is not UTF-8 text{where if byte else ''}. Save it as UTF-8 "
        "(a spreadsheet's 'CSV UTF-8' format, or iconv -f latin1 -t utf-8 for "
        "a Latin-1 file)."
    )


def _renamed_by_pandas(header, n_columns):
    """Whether pandas named the columns otherwise than the ``header`` of a
    file with ``n_columns`` columns: an empty cell became ``Unnamed: 3`` or
    a repeat ``x.1``."""
    if len(header) != n_columns:
        return False
    return "" in header or len(set(header)) < len(header)


def _header(path):
    """The names of the header row as written (the first line that is not
    blank: pandas skips blank lines before it too)."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        return next((row for row in csv.reader(file) if row), [])


def _reread(path, positions, **options):
    """Columns ``positions`` of the file, read again with ``options``."""
    return pd.read_csv(path, usecols=positions, keep_default_na=False, **options)


def _numbers_with_spelled_missing(frame, path):
    """Read again, as numbers, the text columns whose cells are numbers or
    missing-value spellings; return their positions."""
    found = []
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if not (
            pd.api.types.is_object_dtype(column.dtype)
            or pd.api.types.is_string_dtype(column.dtype)
        ):
            continue
        values = column[column.notna()]
        spelled = values.isin(NA_SPELLINGS)
        rest = values[~spelled]
        if spelled.any() and len(rest):
            if pd.to_numeric(rest, errors="coerce").notna().all():
                found.append(j)
    if not found:
        return []
    typed = _reread(path, found, na_values=["", *NA_SPELLINGS])
    kept = []
    for k, j in enumerate(found):
        if pd.api.types.is_numeric_dtype(typed.iloc[:, k].dtype):
            frame.isetitem(j, typed.iloc[:, k])
            kept.append(j)
    return kept


def _whole_numbers_as_written(frame, path, spelled):
    """Integer columns written with leading zeros become text; float
    columns of whole numbers with missing cells become Int64. ``spelled``:
    the columns where missing-value spellings are missing."""
    gaps = [j for j in range(frame.shape[1]) if _whole_with_gaps(frame.iloc[:, j])]
    integers = [j for j in range(frame.shape[1]) if frame.iloc[:, j].dtype.kind in "iu"]
    if integers and not _may_have_leading_zeros(path):
        integers = []  # reading their text again would change nothing
    candidates = sorted(gaps + integers)
    if not candidates:
        return
    text = _reread(path, candidates, dtype=str)
    for k, j in enumerate(candidates):
        cells = text.iloc[:, k]
        blank = cells == ""
        if j in spelled:
            blank |= cells.isin(NA_SPELLINGS)
        filled = cells[~blank]
        if filled.str.match(_LEADING_ZERO).any():
            frame.isetitem(j, cells.mask(blank))
        elif (
            frame.iloc[:, j].dtype.kind == "f"
            and filled.str.fullmatch(_WHOLE).all()
            and _fit_int64(filled)
        ):
            frame.isetitem(
                j, pd.to_numeric(cells.mask(blank), dtype_backend="numpy_nullable")
            )


def _fit_int64(whole):
    """Whether text cells of whole numbers all fit in int64 (those of 19
    digits are read to tell).

    Examples
    --------
    >>> import pandas as pd
    >>> _fit_int64(pd.Series(["9223372036854775807", "-12"]))
    True
    >>> _fit_int64(pd.Series(["9223372036854775808"]))
    False
    """
    digits = whole.str.lstrip("+-").str.len()
    if digits.max() <= _INT64_DIGITS:
        return True
    if digits.max() > _INT64_DIGITS + 1:
        return False
    long = whole[digits > _INT64_DIGITS].map(int)
    return bool(long.between(-(2**63), 2**63 - 1).all())


def _whole_with_gaps(column):
    """Whether a float column has missing cells and only whole values."""
    if column.dtype.kind != "f" or not column.isna().any():
        return False
    values = column.dropna()
    return len(values) > 0 and bool((values == values.round()).all())


def _byte_table(characters):
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(characters, dtype=np.uint8)] = True
    return table


#: Bytes that may come between a field's start and its first digit.
_LEAD, _SIGN = _byte_table(b'" \t'), _byte_table(b"+-")
_BLOCK = 1 << 24
#: Bytes kept for the next block: a field starting near a block's end is
#: read whole there (fields longer than this before their digits are
#: leading spaces or quotes, and are read again).
_TAIL = 64


def _may_have_leading_zeros(path):
    """Whether some field of the file may be a number written with a leading
    zero (``0`` then a digit at a field's start, after quotes, spaces or a
    sign). A fast byte scan that may say yes for other text (the columns are
    then read again), never no for such a field; an exponent (``1e-05``) is
    not a field's start."""
    with open(path, "rb") as file:
        data = b"\n"  # the file starts a field
        block = file.read(_BLOCK)
        while block:
            following = file.read(_BLOCK)
            data = np.frombuffer(data + block, dtype=np.uint8)
            end = len(data) - _TAIL if following else len(data)
            if _leading_zero_after(data, end):
                return True
            data, block = bytes(data[max(end, 0) :]), following
    return False


def _leading_zero_after(data, end):
    """Whether a field starting after a separator before ``end`` is ``0``
    then a digit, after quotes, spaces or a sign."""
    padded = np.concatenate([data, np.zeros(_TAIL, dtype=np.uint8)])
    head = data[:end]
    at = np.flatnonzero((head == ord(",")) | (head == ord("\n"))) + 1
    for _ in range(_TAIL - 3):  # quotes and spaces, then at most one sign
        lead = _LEAD[padded[at]]
        if not lead.any():
            break
        at = at + lead
    at = at + _SIGN[padded[at]]
    digit = padded[at + 1] - ord("0") < 10  # uint8 differences wrap
    return bool(((padded[at] == ord("0")) & digit).any())
