"""How a file the reader refused as a whole is explained to the person who gave it.

A file that is no Excel workbook (a PDF, a CSV, an old .xls renamed, a broken download)
gets words the person knows and what to do, instead of the reader's technical reason
("invalid Zip archive: Could not find EOCD"). Used by the upload pages and the command
line, which runs without Django's settings: hence the plain marker below.
"""

from __future__ import annotations

import os

from .parsed import WorkbookError


def gettext_noop(message: str) -> str:
    """Marks text for translation (makemessages) and returns it as is; pages translate
    it with gettext where they show it, the command line prints it in English."""
    return message


# .xlsx and .xlsm files are zip archives: they start with these bytes.
ZIP_SIGNATURE = b"PK\x03\x04"

NOT_A_WORKBOOK = gettext_noop(
    "This file is not an Excel workbook (.xlsx), or it is damaged. Open it in Excel, "
    "choose File > Save As > Excel Workbook (.xlsx), and try again with the saved file.")


def looks_like_a_workbook(head: bytes) -> bool:
    """Whether a file's first bytes can begin an .xlsx or .xlsm file."""
    return head.startswith(ZIP_SIGNATURE)


def not_a_workbook(error: WorkbookError, path: str | os.PathLike[str]) -> bool:
    """Whether the reader refused the file at `path` as a whole because it is no Excel
    workbook: the error names no sheet, and the reader said so (an empty file, one that
    would not open) or the file is no zip archive at all."""
    if error.sheet is not None:
        return False
    if error.message.startswith("not an Excel workbook"):
        return True
    try:
        with open(path, "rb") as handle:
            return not looks_like_a_workbook(handle.read(len(ZIP_SIGNATURE)))
    except OSError:
        return False  # missing or unreadable: the reader's own words say which
