"""How many bytes a zip archive (xlsx, ods) expands to, from its central directory.

Readers of uploaded workbooks refuse archives that would expand far beyond their size
(zip bombs) before anything inflates them.
"""

from __future__ import annotations

import zipfile


def unzipped_size(path: str) -> int | None:
    """The sum of the archive's uncompressed entry sizes; None if it is not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
