"""unzipped_size: what a workbook would expand to, before anything inflates it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from srishti.workbooks.zipsize import unzipped_size


def small_zip(path: Path, *, comment: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row>cell</row>" * 700)
        archive.writestr("xl/sharedStrings.xml", "text " * 300)
        archive.writestr("empty", b"")
        archive.writestr(zipfile.ZipInfo("stored.bin"), bytes(range(256)) * 9)
        archive.comment = comment
    return path


EXPECTED_SMALL = 15 * 700 + 5 * 300 + 0 + 256 * 9


def test_an_ordinary_zip_gives_the_sum_of_its_entries(tmp_path):
    path = small_zip(tmp_path / "a.zip")

    assert unzipped_size(str(path)) == EXPECTED_SMALL


def test_the_path_may_be_a_path_object(tmp_path):
    path = small_zip(tmp_path / "a.zip")

    assert unzipped_size(path) == EXPECTED_SMALL


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\0" * 40,
                                     b"x" * 70_000])
def test_a_file_that_is_not_a_zip_gives_none(tmp_path, content):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)

    assert unzipped_size(str(path)) is None


def test_a_missing_file_or_a_directory_gives_none(tmp_path):
    assert unzipped_size(str(tmp_path / "missing.xlsx")) is None
    assert unzipped_size(str(tmp_path)) is None
