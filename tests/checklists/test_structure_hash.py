"""The structure fingerprint keeps its definition: stored hashes must keep matching."""

import hashlib

import pytest

from srishti.checklists.services import structure_hash
from srishti.demo.checklist import demo_checklist
from srishti.workbooks.reader import read_workbook


def by_definition(parsed) -> str:
    """Codes and texts in order, no answers: the definition, written plainly."""
    digest = hashlib.sha256()
    for department in parsed.departments:
        digest.update(b"\x1dD" + department.name.encode())
        for area in department.areas:
            digest.update(b"\x1dA" + area.letter.encode() + b"\x1f" + area.title.encode())
            for standard in area.standards:
                digest.update(b"\x1dS" + standard.code.encode() + b"\x1f" + standard.title.encode())
                for me in standard.measurable_elements:
                    digest.update(b"\x1dM" + me.code.encode() + b"\x1f" + me.text.encode())
                for cp in standard.checkpoints:
                    digest.update(
                        b"\x1dC" + (cp.me_code or "").encode() + b"\x1f" + cp.text.encode()
                        + b"\x1f" + " ".join(sorted(cp.methods)).encode()
                    )
    return digest.hexdigest()


@pytest.mark.parametrize("facility_type", ["DH", "CHC", "PHC"])
def test_the_demo_checklists_hash_as_defined(facility_type):
    parsed = demo_checklist(facility_type)
    assert structure_hash(parsed) == by_definition(parsed)


@pytest.mark.parametrize("name", ["NQAS-DH-2016-blank.xlsx", "Kayakalp-DH-SDH-CHC-2017-blank.xlsx"])
def test_the_official_workbooks_hash_as_defined(reference_workbook, name):
    parsed = read_workbook(reference_workbook(name))
    assert structure_hash(parsed) == by_definition(parsed)


def test_any_change_of_text_changes_the_hash():
    parsed = demo_checklist("DH")
    before = structure_hash(parsed)
    checkpoints = parsed.departments[0].areas[0].standards[0].checkpoints
    checkpoints[0] = checkpoints[0]._replace(text=checkpoints[0].text + ".")
    assert structure_hash(parsed) != before
