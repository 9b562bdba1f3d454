"""Compliance values and assessment methods as assessors type them."""

from __future__ import annotations

import pytest

from srishti.workbooks.reader import parse_methods, read_workbook
from tests.workbooks.builders import area, me, standard, write_workbook


def one_checkpoint(tmp_path, value="", method="OB"):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "Text", "The checkpoint", value, method),
    ]
    parsed = read_workbook(write_workbook(tmp_path / "book.xlsx", {"OPD": rows}))
    (checkpoint,) = parsed.departments[0].areas[0].standards[0].checkpoints
    return parsed, checkpoint


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
        (2.0, 2.0),
        ("2", 2.0),
        ("2 ", 2.0),
        (" 1.0", 1.0),
        ("0", 0.0),
    ],
)
def test_numbers_and_numeric_strings_are_compliance_levels(tmp_path, cell, value):
    _, checkpoint = one_checkpoint(tmp_path, cell)

    assert checkpoint.value == value


@pytest.mark.parametrize(
    "cell", ["", "NA", "N/A", "na", "n/a", "N.A.", " NA ", "Not Applicable", "-", "  "]
)
def test_blank_and_na_spellings_mean_not_applicable(tmp_path, cell):
    parsed, checkpoint = one_checkpoint(tmp_path, cell)

    assert checkpoint.value is None
    assert parsed.warnings == []


@pytest.mark.parametrize(("cell", "value"), [("Full", 2.0), ("partial", 1.0), ("NC", 0.0)])
def test_compliance_words_map_to_levels(tmp_path, cell, value):
    _, checkpoint = one_checkpoint(tmp_path, cell)

    assert checkpoint.value == value


@pytest.mark.parametrize(
    ("cell", "method"),
    [
        ("SI/OB ", {"SI", "OB"}),
        ("OB/RR/SI", {"OB", "RR", "SI"}),
        ("SI /RR", {"SI", "RR"}),
        ("SI, OB", {"SI", "OB"}),
        ("OB & SI", {"OB", "SI"}),
        ("si/ob", {"SI", "OB"}),
        ("PI", {"PI"}),
        ("OB/ RR ", {"OB", "RR"}),
        ("SI?OB/RR ", {"SI", "OB", "RR"}),
        ("RR and SI", {"RR", "SI"}),
        ("", set()),
    ],
)
def test_method_spellings_become_method_codes(tmp_path, cell, method):
    parsed, checkpoint = one_checkpoint(tmp_path, 1, cell)

    assert checkpoint.methods == frozenset(method)
    assert parsed.warnings == []


def test_an_unknown_method_token_is_one_warning_naming_sheet_and_row(tmp_path):
    parsed, checkpoint = one_checkpoint(tmp_path, 1, "OB/XY")

    assert checkpoint.methods == frozenset({"OB"})
    assert parsed.warnings == [
        "sheet 'OPD' row 3: unknown assessment method XY in 'OB/XY' (known: SI, OB, RR, PI)"
    ]


def test_parse_methods_reports_unknown_tokens_and_ignores_non_text():
    assert parse_methods("SI/OB/ZZ") == (frozenset({"SI", "OB"}), ("ZZ",))
    assert parse_methods(None) == (frozenset(), ())
    assert parse_methods("") == (frozenset(), ())
