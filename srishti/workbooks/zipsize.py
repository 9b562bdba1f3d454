"""How many bytes a zip archive (xlsx, ods) expands to, from its central directory.

The reader refuses workbooks that would expand far beyond their size (zip bombs) before
the parser inflates them. `zipfile` answers the same question, but importing it costs
about 10 ms, a large share of `srishti scorecard`'s whole run; the central directory of
an ordinary archive is a simple table, read here. Anything unusual (ZIP64, data before
the archive, a damaged directory, not a zip at all) is left to `zipfile`.
"""

from __future__ import annotations

import os
import struct

_END = struct.Struct("<4s4H2LH")  # end of central directory record, 22 bytes
_ENTRY = struct.Struct("<4s6H3L5H2L")  # central directory file header, 46 bytes
_END_SIGNATURE = b"PK\x05\x06"
_ENTRY_SIGNATURE = b"PK\x01\x02"
_MAX_COMMENT = 0xFFFF
_ZIP64_MARK = 0xFFFFFFFF


def unzipped_size(path: str) -> int | None:
    """The sum of the archive's uncompressed entry sizes; None if it is not a zip."""
    try:
        total = _ordinary_size(path)
    except OSError:
        total = None
    return total if total is not None else _size_by_zipfile(path)


def _ordinary_size(path: str) -> int | None:
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        tail_start = max(0, size - _END.size - _MAX_COMMENT)
        f.seek(tail_start)
        tail = f.read()
        at = tail.rfind(_END_SIGNATURE)
        if at < 0 or len(tail) - at < _END.size:
            return None
        _, _, _, _, entries, directory_size, directory_at, _ = _END.unpack_from(tail, at)
        if directory_at + directory_size != tail_start + at:
            return None  # ZIP64 markers, bytes before the archive, or damage
        f.seek(directory_at)
        directory = f.read(directory_size)
    total = offset = 0
    for _ in range(entries):
        if offset + _ENTRY.size > len(directory):
            return None
        fields = _ENTRY.unpack_from(directory, offset)
        if fields[0] != _ENTRY_SIGNATURE or fields[9] == _ZIP64_MARK:
            return None
        total += fields[9]
        offset += _ENTRY.size + fields[10] + fields[11] + fields[12]
    return total


def _size_by_zipfile(path: str) -> int | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
