"""unzipped_size: what a workbook expands to, as zipfile would say, without importing it."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from srishti.workbooks.zipsize import unzipped_size
from tests.conftest import REFERENCE_NAMES
from tests.workbooks.builders import small_nqas_table, write_workbook


def zipfile_size(path: Path) -> int | None:
    """The answer of the standard library, None where it cannot read the archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def small_zip(path: Path, *, comment: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row>cell</row>" * 700)
        archive.writestr("xl/sharedStrings.xml", "text " * 300)
        archive.writestr("empty", b"")
        archive.writestr(zipfile.ZipInfo("stored.bin"), bytes(range(256)) * 9)
        archive.comment = comment
    return path


EXPECTED_SMALL = 15 * 700 + 5 * 300 + 0 + 256 * 9


@pytest.mark.reference
@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_a_reference_workbook_expands_to_what_zipfile_says(reference_workbook, name):
    path = reference_workbook(name)

    size = unzipped_size(str(path))

    assert size == zipfile_size(path)
    assert size > path.stat().st_size  # xml compresses well


def test_a_generated_workbook_expands_to_what_zipfile_says(tmp_path):
    path = write_workbook(
        tmp_path / "book.xlsx",
        {"OPD": small_nqas_table(), "IPD": small_nqas_table(), "Notes": [["no table"]]},
    )

    assert unzipped_size(str(path)) == zipfile_size(path)


def test_an_ordinary_zip_gives_the_sum_of_its_entries(tmp_path):
    path = small_zip(tmp_path / "a.zip")

    assert unzipped_size(str(path)) == EXPECTED_SMALL == zipfile_size(path)


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


@pytest.mark.parametrize("prefix", [b"MZ" + b"\x90" * 5000, b"PK\x05\x06" + b"\0" * 100])
def test_a_zip_with_bytes_before_it_still_gives_its_size(tmp_path, prefix):
    """Self-extracting archives put a program before the zip; zipfile reads them."""
    data = small_zip(tmp_path / "a.zip").read_bytes()
    path = tmp_path / "sfx.exe"
    path.write_bytes(prefix + data)

    assert unzipped_size(str(path)) == EXPECTED_SMALL == zipfile_size(path)


@pytest.mark.parametrize("comment", [b"x", b"made by a test " * 10, b"c" * 65_000])
def test_a_zip_with_an_archive_comment_still_gives_its_size(tmp_path, comment):
    path = small_zip(tmp_path / "a.zip", comment=comment)

    assert unzipped_size(str(path)) == EXPECTED_SMALL == zipfile_size(path)


def test_a_comment_that_holds_the_end_signature_gives_the_zipfile_answer(tmp_path):
    path = small_zip(tmp_path / "a.zip", comment=b"PK\x05\x06" + b"\0" * 30)

    assert unzipped_size(str(path)) == zipfile_size(path)


def test_bytes_after_the_archive_still_give_its_size(tmp_path):
    data = small_zip(tmp_path / "a.zip").read_bytes()
    path = tmp_path / "b.zip"
    path.write_bytes(data + b"\0" * 50)

    assert unzipped_size(str(path)) == zipfile_size(path)


def test_a_zip64_archive_gives_its_size(tmp_path):
    """The end record points to a ZIP64 end record (0xFFFF entries, 0xFFFFFFFF offsets)."""
    data = small_zip(tmp_path / "a.zip").read_bytes()
    end = data.rfind(b"PK\x05\x06")
    _, _, _, entries, total, size, offset, _ = struct.unpack_from("<4s4H2LH", data, end)
    zip64_end = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, total,
                            size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    marked_end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                             0xFFFFFFFF, 0)
    path = tmp_path / "z64.zip"
    path.write_bytes(data[:end] + zip64_end + locator + marked_end)

    assert zipfile_size(path) == EXPECTED_SMALL  # the crafted archive is valid
    assert unzipped_size(str(path)) == EXPECTED_SMALL


def test_an_entry_whose_size_is_in_a_zip64_extra_field_gives_its_real_size(tmp_path):
    """The 32-bit size reads 0xFFFFFFFF; the real one is in the entry's ZIP64 extra field."""
    data = bytearray(small_zip(tmp_path / "a.zip").read_bytes())
    entry = data.find(b"PK\x01\x02")
    real_size, name_length, extra_length = struct.unpack_from("<L2H", data, entry + 24)
    data[entry + 24 : entry + 28] = struct.pack("<L", 0xFFFFFFFF)
    data[entry + 30 : entry + 32] = struct.pack("<H", extra_length + 12)
    extra = struct.pack("<2HQ", 1, 8, real_size)
    at = entry + 46 + name_length
    data[at:at] = extra
    end = data.rfind(b"PK\x05\x06")
    (directory_size,) = struct.unpack_from("<L", data, end + 12)
    data[end + 12 : end + 16] = struct.pack("<L", directory_size + len(extra))
    path = tmp_path / "z64.zip"
    path.write_bytes(bytes(data))

    assert zipfile_size(path) == EXPECTED_SMALL  # the crafted archive is valid
    assert unzipped_size(str(path)) == EXPECTED_SMALL


@pytest.mark.parametrize("keep", [1, 4, 21, 22, 100, 0.5, -1, -10, -23, -60])
def test_a_truncated_zip_gives_none_or_the_zipfile_answer_and_never_raises(tmp_path, keep):
    data = small_zip(tmp_path / "a.zip").read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    path = tmp_path / "cut.zip"
    path.write_bytes(data[:cut])

    size = unzipped_size(str(path))

    assert size is None or size == zipfile_size(path)


def test_a_damaged_central_directory_gives_none_or_the_zipfile_answer(tmp_path):
    path = small_zip(tmp_path / "a.zip")
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    data[entry : entry + 4] = b"XXXX"
    path.write_bytes(bytes(data))

    size = unzipped_size(str(path))

    assert size is None or size == zipfile_size(path)
