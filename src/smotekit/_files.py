"""Names of the temporary files written beside an output."""

__all__ = ["NAME_MAX", "name_part"]

#: Longest file name, in bytes, on the usual file systems (ext4, XFS, APFS,
#: NTFS in UTF-16 units).
NAME_MAX = 255

#: Bytes of an output's name kept in its temporary files' names: file names
#: hold at most 255 bytes, and the temporary ones add a dot and a suffix.
NAME_BYTES = 120


def name_part(name):
    """``name``, cut to :data:`NAME_BYTES` bytes of UTF-8 (whole characters),
    for the name of a temporary file beside it.

    Examples
    --------
    >>> name_part("report.html")
    'report.html'
    >>> len(name_part("é" * 200).encode())
    120
    """
    return name.encode()[:NAME_BYTES].decode(errors="ignore")
